"""Hosts (network targets): /api/v3/hosts.

Recorded: the list/create shape, the shorter shape of update and delete, `target` required and ignored on PUT.
Invented: `target` unique without case (as remote access addresses), category checked against the host categories.
"""

from core.store import BASE_TS, DAY, iso
from core.web import ApiError, as_int, json_body, json_response
from cyberwatch import nodes
from cyberwatch.common import destroy_of, find, index_of, show_of

MODEL = "Host"
CATEGORIES = ("linux", "windows", "other", "unknown", "network_device")
HOSTILE_FIELDS = ("target", "hostname")


def seed(store, servers):
    """Hosts 1-4; the first two are linked to servers 1 and 2 (when there are)."""
    for hid, target in enumerate(("10.10.1.186", "172.18.0.13", "5.5.5.5", "scanme.example.org"), start=1):
        store.hosts[hid] = {"id": hid, "target": target, "category": ("linux", "other", "unknown", "unknown")[hid - 1],
                            "hostname": None, "created_at": BASE_TS - 50 * DAY, "updated_at": BASE_TS - 5 * DAY,
                            "node_id": 1, "server_id": hid if hid <= min(servers, 2) else None}


def render(record):
    """Host as listed, shown and created."""
    return {"id": record["id"], "target": record["target"], "category": record["category"],
            "hostname": record["hostname"], "cve_announcements_count": 0, "created_at": iso(record["created_at"]),
            "updated_at": iso(record["updated_at"]), "node_id": record["node_id"], "server_id": record["server_id"],
            "status": "server_update_init", "technologies": [], "security_issues": [], "cve_announcements": [],
            "scans": []}


def render_short(record):
    """Host as returned by update and delete (shorter recorded shape)."""
    keys = ("id", "target", "category", "hostname", "created_at", "updated_at", "node_id", "server_id", "scans")
    item = render(record)
    return {key: item[key] for key in keys}


def _category(body):
    if body["category"] not in CATEGORIES:
        raise ApiError(400, "'%s' is not a valid category" % body["category"])
    return body["category"]


def create(api, request):
    """POST host: target required and unique; category defaults to unknown."""
    store = api.store
    body = json_body(request)
    if not str(body.get("target") or "").strip():
        raise ApiError(422, "Validation failed: Target can't be blank")
    if any(str(h["target"]).lower() == str(body["target"]).lower() for h in store.hosts.values()):
        raise ApiError(422, "Validation failed: Target has already been taken")
    category = _category(body) if body.get("category") not in (None, "") else "unknown"
    hid = store.new_id("hosts")
    now = store.now()
    record = {"id": hid, "target": body["target"], "category": category,
              "hostname": body.get("hostname"), "created_at": now, "updated_at": now,
              "node_id": nodes.node_id(store, body, 1), "server_id": as_int(body.get("server_id"))}
    store.hosts[hid] = record
    return json_response(render(record), 201)


def update(api, request, item_id):
    """PUT host: target is immutable (silently ignored, as recorded)."""
    record = find(api.store, "hosts", item_id, MODEL)
    body = json_body(request)
    if body.get("category") not in (None, ""):
        record["category"] = _category(body)
    if "hostname" in body:
        record["hostname"] = body["hostname"]
    if "server_id" in body:
        record["server_id"] = as_int(body["server_id"])
    record["node_id"] = nodes.node_id(api.store, body, record["node_id"])
    record["updated_at"] = api.store.now()
    return json_response(render_short(record))


# GET list (no filter), GET {id}, DELETE {id} (200 with the record)
index = index_of("hosts", render)
show = show_of("hosts", MODEL, render)
destroy = destroy_of("hosts", MODEL, render_short)
