"""Discoveries: /api/v3/assets/discoveries: GET list and detail, DELETE, PUT {id}/relaunch. Never recorded: routes
from cbw-api-toolbox 2.3.2 (`discoveries`, `relaunch_discovery`, `delete_discovery`); the shape, the seeded two and
the relaunch (running until --test-deploy-delay passes, then finished; evaluated lazily) are invented."""

from core.store import BASE_TS, DAY, iso
from core.web import json_response
from cyberwatch.common import destroy_of, find, index_of, show_of

MODEL = "CbwAssets::Discovery"
KEYS = ("id", "type", "name", "node_id", "target", "status", "created_at", "updated_at", "last_launched_at")
HOSTILE_FIELDS = ("name", "target")


def seed(store):
    """A network range on the master node, an Active Directory domain on scanner-dmz."""
    seeded = (("CbwAssets::Discoveries::NetworkScan", "office-lan", 1, "10.0.0.0/24"),
              ("CbwAssets::Discoveries::ActiveDirectory", "corp-ad", 2, "corp.example.com"))
    for did, (kind, name, node_id, target) in enumerate(seeded, start=1):
        store.discoveries[did] = {"id": did, "type": kind, "name": name, "node_id": node_id, "target": target,
                                  "status": "finished", "created_at": BASE_TS - 30 * DAY,
                                  "updated_at": BASE_TS - DAY, "last_launched_at": BASE_TS - DAY,
                                  "relaunch_due": None}


def render(record):
    """Discovery as listed, shown, relaunched and deleted."""
    item = {key: record[key] for key in KEYS}
    for key in ("created_at", "updated_at", "last_launched_at"):
        item[key] = iso(item[key])
    return item


def settle(store):
    """Finish the relaunches that are due (callers hold the store lock)."""
    now = store.now()
    for record in store.discoveries.values():
        if record.get("relaunch_due") is not None and record["relaunch_due"] <= now:
            record.update(status="finished", updated_at=record["relaunch_due"], relaunch_due=None)


def relaunch(api, request, item_id):
    """PUT discoveries/{id}/relaunch: running until the delay passes, then finished."""
    del request
    record = find(api.store, "discoveries", item_id, MODEL)
    now = api.store.now()
    record.update(status="running", last_launched_at=now, updated_at=now, relaunch_due=now + api.delay)
    return json_response(render(record))


# GET list (no filter), GET {id}, DELETE {id} (200 with the record)
index = index_of("discoveries", render)
show = show_of("discoveries", MODEL, render)
destroy = destroy_of("discoveries", MODEL, render)
