"""Scans: /v1/scans: GET list (q, ordering, status; newest first) and POST, GET and DELETE /v1/scans/{id},
GET /v1/scans/{id}/stop; and the scan lifecycle.

Documented (reference/cystack_api.md, Q2-Q6, Q9, Q10, Q15): the list item (no id, only href; start_time a
"%H:%M:%S %d/%m/%Y" string in Vietnam time, UTC+7), the detail (epoch times, "None" description, noti_href,
vuln_href), the profiles, POST answering 201 {} with a relative Location, its 400 field errors, the idempotent stop,
DELETE 204. Invented: the lifecycle rule. With S = --scan-seconds > 0, a scan is Queued during the first S/3 seconds
after creation, Running until S, then Stopped (evaluated lazily; states only move forward); a finished scan gets its
full deterministic findings, a Running scan stopped by the user the first half, a Queued one nothing. Also
invented: the seeded history, POST /_sim/cystack/scans and .../advance, the scans mutate_listing inserts.
"""

import random
import time

from core.store import BASE_TS, DAY
from core.web import as_int, json_body, json_response
from cystack.common import DrfListing, choice_error, get, new_uuid, order, paged
from cystack.vulnerabilities import WEB_FINDINGS, scan_findings

PROFILES = {1: "Quick Scan", 2: "Web Application", 3: "SQL Injection", 4: "XSS", 5: "Full Audit"}
STATUSES = ("Stopped", "Running", "Stopping", "Queued")
LIFECYCLE = ("Queued", "Running", "Stopped")
VIETNAM_OFFSET = 7 * 3600  # CyStack prints list times in its local time zone (Q15)


def seed(store, rng, seed_value, target_count):
    """A finished scan with findings on two thirds of the targets, then one Queued scan (after the targets: same
    RNG)."""
    for num, tid in enumerate(list(store.targets)[: max(1, target_count * 2 // 3)]):
        scan_id = new_uuid(rng)
        start = BASE_TS - (30 - num) * DAY
        store.scans[scan_id] = {"id": scan_id, "target_id": tid, "profile": 5 if num % 2 == 0 else 1,
                                "description": None, "notification": [29], "status": "Stopped", "start_time": start,
                                "stop_time": start + 1000, "created_mono": None, "finished": True}
        for vuln in scan_findings(seed_value, scan_id, store.targets[tid]["address"]):
            store.vulnerabilities[vuln["id"]] = vuln
    if store.targets:  # one scan still in progress, so the lifecycle is visible right after start
        scan_id = new_uuid(rng)
        store.scans[scan_id] = {"id": scan_id, "target_id": list(store.targets)[-1], "profile": 5, "description": None,
                                "notification": [], "status": "Queued", "start_time": int(store.now()),
                                "stop_time": None, "created_mono": store.now(), "finished": False}


def extra_scan(store, rng, target_id):
    """A new Queued scan of target_id, started now (newest first: it heads the default listing), not yet stored."""
    scan_id = new_uuid(rng)
    while scan_id in store.scans:
        scan_id = new_uuid(rng)
    start = max([int(store.now())] + [s["start_time"] + 1 for s in store.scans.values()])
    return {"id": scan_id, "target_id": target_id, "profile": rng.choice(sorted(PROFILES)), "description": None,
            "notification": [], "status": "Queued", "start_time": start, "stop_time": None,
            "created_mono": store.now(), "finished": False}


def make_hostile(store, payloads):
    """Hostile fleet: every scan's description."""
    for index, scan in enumerate(store.scans.values()):
        scan["description"] = payloads.payload("scan", index, "description")


# ---- lifecycle
class Lifecycle:
    """Moves scans forward and materialises their vulnerabilities (callers hold the store lock)."""

    def __init__(self, store, scan_seconds):
        self.store = store
        self.scan_seconds = scan_seconds
        self.rng = random.Random("scan-ids-%s" % store.seed)

    def new_scan_id(self):
        """Deterministic UUID4 sequence for created scans (and targets added through /_sim/)."""
        return new_uuid(self.rng)

    def tick(self):
        """Apply the time rule to every unfinished scan."""
        if self.scan_seconds <= 0:
            return
        now = self.store.now()
        for scan in self.store.scans.values():
            if scan["status"] == "Stopped" or scan.get("created_mono") is None:
                continue
            elapsed = now - scan["created_mono"]
            if elapsed >= self.scan_seconds:
                self.finish(scan, at=int(scan["created_mono"] + self.scan_seconds))
            elif elapsed >= self.scan_seconds / 3.0 and scan["status"] == "Queued":
                scan["status"] = "Running"

    def advance(self, scan, to=None):
        """One step forward, or straight to a target state (never backwards)."""
        current = LIFECYCLE.index(scan["status"]) if scan["status"] in LIFECYCLE else 2
        target = LIFECYCLE.index(to) if to in LIFECYCLE else min(current + 1, 2)
        if target <= current:
            return
        if target == 2:
            self.finish(scan, at=int(self.store.now()))
        else:
            scan["status"] = LIFECYCLE[target]

    def finish(self, scan, at):
        """The scan completed: full findings."""
        self._stop(scan, at, full=True)

    def user_stop(self, scan):
        """GET /scans/{id}/stop: idempotent; partial findings if it was running."""
        if scan["status"] != "Stopped":
            self._stop(scan, int(self.store.now()), full=False)

    def _stop(self, scan, at, full):
        was_running = scan["status"] == "Running"
        scan["status"] = "Stopped"
        scan["stop_time"] = at
        scan["finished"] = True
        if not (full or was_running):
            return
        target = self.store.targets.get(scan["target_id"])
        found = scan_findings(self.store.seed, scan["id"], target["address"] if target else "")
        if not full:
            found = found[:max(1, len(found) // 2)]
        for vuln in found:
            self.store.vulnerabilities[vuln["id"]] = vuln


# ---- rendering
def _target(store, scan):
    tgt = store.targets.get(scan["target_id"]) or {"ip": None, "os": "Unknown", "id": scan["target_id"], "address": None}
    return {"ip": tgt["ip"], "os": tgt["os"], "id": tgt["id"], "address": tgt["address"]}


def vuln_hrefs(store, scan):
    """The scan's vulnerability hrefs, in discovery order."""
    return ["/v1/vulnerabilities/" + v["id"] for v in store.vulnerabilities.values() if v["scan_id"] == scan["id"]]


def render(store, scan):
    """Scan list item."""
    return {"status": scan["status"], "profile": PROFILES.get(scan["profile"], str(scan["profile"])),
            "vulnerabilities": len(vuln_hrefs(store, scan)),
            "start_time": time.strftime("%H:%M:%S %d/%m/%Y", time.gmtime(scan["start_time"] + VIETNAM_OFFSET)),
            "href": "/v1/scans/" + scan["id"], "target": _target(store, scan)}


def render_detail(store, scan):
    """Scan detail: epoch start/stop times, "None" description, noti_href and vuln_href, no id/href/count."""
    description = scan["description"]
    return {"status": scan["status"], "profile": PROFILES.get(scan["profile"], str(scan["profile"])),
            "description": "None" if description is None else description,
            "noti_href": ["/v1/notifications/%s" % n for n in scan["notification"]],
            "start_time": scan["start_time"], "stop_time": scan["stop_time"],
            "vuln_href": vuln_hrefs(store, scan), "target": _target(store, scan)}


# ---- routes
def rows(store, request):
    """Scans listed for the request (q, ordering, status; newest first by default); None for a bad status."""
    status = request.args.get("status")
    if status and status not in STATUSES:
        return None
    found = sorted(store.scans.values(), key=lambda s: s["start_time"], reverse=True)
    if status:
        found = [s for s in found if s["status"] == status]
    needle = request.args.get("q", "").lower()
    if needle:
        found = [s for s in found if needle in store.targets.get(s["target_id"], {}).get("address", "").lower()]
    count = {}
    for vuln in store.vulnerabilities.values():
        count[vuln["scan_id"]] = count.get(vuln["scan_id"], 0) + 1
    keys = {"target": lambda s: store.targets.get(s["target_id"], {}).get("address", ""),
            "start_time": lambda s: s["start_time"], "vulnerabilities": lambda s: count.get(s["id"], 0)}
    return order(found, request.args.get("ordering"), keys)


def index(api, request):
    """GET scans."""
    status = request.args.get("status")
    if status and status not in STATUSES:
        return choice_error("status", status)
    return paged(api, request, rows(api.store, request), lambda scan: render(api.store, scan))


def create(api, request):
    """POST scans: 201, body {}, Location /v1/scans/<uuid>; target (one of the targets) and profile required."""
    store = api.store
    body = json_body(request)
    errors = {}
    tid = body.get("target")
    if tid in (None, ""):
        errors["target"] = ["This field is required."]
    elif tid not in store.targets:
        errors["target"] = ['Invalid pk "%s" - object does not exist.' % tid]
    profile = body.get("profile")
    if profile in (None, ""):
        errors["profile"] = ["This field is required."]
    elif as_int(profile) is None or isinstance(profile, bool):
        errors["profile"] = ["A valid integer is required."]
    elif as_int(profile) not in PROFILES:
        errors["profile"] = ['Invalid pk "%s" - object does not exist.' % profile]
    notification = body.get("notification") or []
    if not isinstance(notification, list) or any(as_int(n) is None for n in notification):
        errors["notification"] = ["Expected a list of items."]
    if errors:
        return json_response(errors, 400)
    scan_id = api.lifecycle.new_scan_id()
    now = store.now()
    store.scans[scan_id] = {
        "id": scan_id, "target_id": tid, "profile": as_int(profile), "description": body.get("description") or None,
        "notification": [as_int(n) for n in notification], "status": "Queued", "start_time": int(now),
        "stop_time": None, "created_mono": now, "finished": False, "advances": body.get("advances")}
    return json_response({}, 201, {"Location": "/v1/scans/" + scan_id})


def show(api, request, sid):
    """GET scans/{id}: the detail."""
    del request
    return json_response(render_detail(api.store, get(api.store, "scans", sid)))


def drop(store, sid):
    """A scan goes with its findings."""
    del store.scans[sid]
    for vid in [v["id"] for v in store.vulnerabilities.values() if v["scan_id"] == sid]:
        del store.vulnerabilities[vid]


def destroy(api, request, sid):
    """DELETE scans/{id}: 204, its vulnerabilities go with it."""
    del request
    get(api.store, "scans", sid)
    drop(api.store, sid)
    return json_response(None, 204)


def stop(api, request, sid):
    """GET scans/{id}/stop: stops now (idempotent), returns the detail."""
    del request
    scan = get(api.store, "scans", sid)
    api.lifecycle.user_stop(scan)
    return json_response(render_detail(api.store, scan))


# ---- /_sim/ control
def add_finished(api, target, profile=5, age=3600, findings=None):
    """POST /_sim/cystack/scans: a scan of target (id or address) from the account's history, started age seconds
    ago and finished, with the named findings (WEB_FINDINGS names; None: its deterministic ones). Rendered as
    detailed."""
    store = api.store
    tid = target if target in store.targets else next(
        (tid for tid, record in store.targets.items() if record["address"] == target), None)
    if tid is None:
        raise ValueError("no target %s" % target)
    if as_int(profile) not in PROFILES or as_int(age) is None or as_int(age) < 0:
        raise ValueError("profile must be one of %s and age a number of seconds" % sorted(PROFILES))
    known = [name for name, _plugin, _severity in WEB_FINDINGS]
    unknown = [name for name in findings or () if name not in known]
    if unknown:
        raise ValueError("unknown findings %s (known: %s)" % (unknown, known))
    scan_id = api.lifecycle.new_scan_id()
    start = int(store.now()) - as_int(age)
    store.scans[scan_id] = {
        "id": scan_id, "target_id": tid, "profile": as_int(profile), "description": None, "notification": [],
        "status": "Stopped", "start_time": start, "stop_time": start + min(as_int(age), 1000), "created_mono": None,
        "finished": True}
    address = store.targets[tid]["address"]
    found = scan_findings(store.seed, scan_id, address, None if findings is None else len(WEB_FINDINGS))
    for vuln in found:
        if findings is None or vuln["name"] in findings:
            store.vulnerabilities[vuln["id"]] = vuln
    return render_detail(store, store.scans[scan_id])


# ---- mutate_listing (core/mutations.py)
class Listing(DrfListing):
    """The scans listing that a busy account changes between two pages."""

    rows_for = staticmethod(rows)
    drop_record = staticmethod(drop)

    def insert(self, request, count, rng):
        """New Queued scans started now: newest first, they head the default listing (fitted to q and status)."""
        store = self.api.store
        needle = request.args.get("q", "").lower()
        targets = [t for t in store.targets.values() if needle in t["address"].lower()] or list(store.targets.values())
        if not targets:
            return []
        wanted = request.args.get("status")
        ids = []
        for dummy in range(count):
            scan = extra_scan(store, rng, rng.choice(targets)["id"])
            store.scans[scan["id"]] = scan
            if wanted in ("Running", "Stopping"):
                scan["status"], scan["created_mono"] = "Running", None
            elif wanted == "Stopped":
                self.api.lifecycle.finish(scan, at=scan["start_time"] + 1)
            ids.append(scan["id"])
        return ids
