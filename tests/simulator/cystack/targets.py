"""Targets: /v1/targets: GET list (q on the address, ordering target/verification) and detail.

Documented (reference/cystack_api.md; the docs' example target is the first one): the four fields {verification,
href, id, address} in list and detail (Q1), creation order by default (Q10). Invented: the other seeded targets
(every fourth one unverified), POST /_sim/cystack/targets (the real API cannot create one), the targets
mutate_listing inserts.
"""

from core import mutations
from core.store import BASE_TS, DAY
from core.web import json_response
from cystack.common import DrfListing, get, new_uuid, order, paged

FIRST_ID = "599fc347-3e46-4163-8a1d-444bd1928a85"  # the docs' example


def seed(store, rng, count):
    """count targets (draws from the CyStack RNG before the scans)."""
    for num in range(count):
        tid = FIRST_ID if num == 0 else new_uuid(rng)
        address = "https://cystack.net" if num == 0 else "https://%s-%02d.example.com" % (rng.choice(("app", "shop", "api", "portal")), num)
        store.targets[tid] = {"id": tid, "address": address, "verification": 0 if num % 4 != 3 else 1,
                              "ip": "203.0.113.%d" % (num + 10), "os": "Unknown" if num % 3 else "Linux",
                              "monitoring": {"interval": 5, "is_activated": num % 2 == 0, "notifications": [20]},
                              "created_at": BASE_TS - (count - num) * DAY}


def extra_target(store, rng):
    """A new target shaped like the seeded ones (new UUID, unique address), not yet in the store."""
    tid = new_uuid(rng)
    while tid in store.targets:
        tid = new_uuid(rng)
    taken = {target["address"] for target in store.targets.values()}
    num = len(store.targets)
    address = None
    while address is None or address in taken:
        address = "https://%s-%02d.example.com" % (rng.choice(("app", "shop", "api", "portal")), num)
        num += 1
    return {"id": tid, "address": address, "verification": 0 if rng.random() < 0.75 else 1,
            "ip": "203.0.113.%d" % rng.randint(10, 250), "os": rng.choice(("Unknown", "Linux")),
            "monitoring": {"interval": 5, "is_activated": False, "notifications": []}, "created_at": int(store.now())}


def add(store, new_id, address, verification):
    """POST /_sim/cystack/targets: a target (rendered like the API)."""
    if not str(address or "").strip():
        raise ValueError("address is required")
    store.targets[new_id] = {"id": new_id, "address": address, "verification": verification, "ip": None,
                             "os": "Unknown", "created_at": store.now(),
                             "monitoring": {"interval": 5, "is_activated": False, "notifications": []}}
    return render(store.targets[new_id])


def make_hostile(store, payloads):
    """Hostile fleet: the address (every other one behind https://), ip and os."""
    for index, target in enumerate(store.targets.values()):
        address = payloads.payload("target", index, "address")
        target["address"] = address if index % 2 else "https://" + address
        target["ip"], target["os"] = payloads.payload("target", index, "ip"), payloads.payload("target", index, "os")


def render(record):
    """Target list item and detail: {verification, href, id, address} (verification 0 = verified)."""
    return {"verification": record["verification"], "href": "/v1/targets/" + record["id"], "id": record["id"],
            "address": record["address"]}


def rows(store, request):
    """Targets listed for the request: q on the address, ordering target/verification."""
    found = list(store.targets.values())
    needle = request.args.get("q", "").lower()
    if needle:
        found = [t for t in found if needle in t["address"].lower()]
    return order(found, request.args.get("ordering"),
                 {"target": lambda t: t["address"], "verification": lambda t: t["verification"]})


def index(api, request):
    """GET targets."""
    return paged(api, request, rows(api.store, request), render)


def show(api, request, tid):
    """GET targets/{id}: same fields as a list item."""
    del request
    return json_response(render(get(api.store, "targets", tid)))


def drop(store, tid):
    """A target goes with its scans and their findings."""
    for sid in [s["id"] for s in store.scans.values() if s["target_id"] == tid]:
        del store.scans[sid]
        for vid in [v["id"] for v in store.vulnerabilities.values() if v["scan_id"] == sid]:
            del store.vulnerabilities[vid]
    del store.targets[tid]


class Listing(DrfListing):
    """The targets listing that a busy account changes between two pages (core/mutations.py)."""

    rows_for = staticmethod(rows)
    drop_record = staticmethod(drop)

    def insert(self, request, count, rng):
        """count new targets at the head of the listing, their address containing q."""
        store = self.api.store
        needle = request.args.get("q", "")
        records = [extra_target(store, rng) for dummy in range(count)]
        for record in records:
            if needle and needle.lower() not in record["address"].lower():
                record["address"] += "/" + needle
        head, _offset = self.rows(request)
        mutations.insert_before(store.targets, head[0]["id"] if head else None, records)
        return [record["id"] for record in records]
