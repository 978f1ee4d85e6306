"""The simulated CyStack API (/v1): targets, scans, vulnerabilities, monitoring, with DRF conventions."""

from werkzeug.exceptions import MethodNotAllowed, NotFound
from werkzeug.routing import Map, Rule

import cystack_views as views
from fleet import PROFILES, WEB_FINDINGS, scan_findings
from core.pagination import drf_page
from core.web import ApiError, as_int, json_body, json_response
from scan_lifecycle import Lifecycle

SCAN_STATUSES = ("Stopped", "Running", "Stopping", "Queued")
SEVERITIES = ("High", "Medium", "Low", "Information")


def _rules():
    return Map([
        Rule("/v1/targets", endpoint="targets", methods=["GET"]),
        Rule("/v1/targets/<tid>", endpoint="target", methods=["GET"]),
        Rule("/v1/targets/<tid>/monitoring", endpoint="monitoring", methods=["GET", "PUT"]),
        Rule("/v1/targets/<tid>/monitor_result", endpoint="monitor_result", methods=["GET"]),
        Rule("/v1/scans", endpoint="scans", methods=["GET", "POST"]),
        Rule("/v1/scans/<sid>", endpoint="scan", methods=["GET", "DELETE"]),
        Rule("/v1/scans/<sid>/stop", endpoint="scan_stop", methods=["GET"]),
        Rule("/v1/vulnerabilities", endpoint="vulns", methods=["GET"]),
        Rule("/v1/vulnerabilities/<vid>", endpoint="vuln", methods=["GET", "PUT"]),
    ], strict_slashes=False, merge_slashes=False)


def _order(rows, ordering, keys):
    """DRF OrderingFilter: comma-separated fields, '-' for descending, unknown fields ignored."""
    fields = [f.strip() for f in (ordering or "").split(",") if f.strip()]
    for field in reversed(fields):
        name = field.lstrip("-")
        if name in keys:
            rows.sort(key=keys[name], reverse=field.startswith("-"))
    return rows


def _choice_error(field, value):
    return json_response({field: ["Select a valid choice. %s is not one of the available choices." % value]}, 400)


class CyStackApi:
    """dispatch(request) -> Response for authenticated /v1 requests."""

    def __init__(self, store, scan_seconds=3, next_host=None):
        self.store = store
        self.lifecycle = Lifecycle(store, scan_seconds)
        self.next_host = next_host
        self.url_map = _rules()

    def dispatch(self, request):
        """Route and answer one request."""
        try:
            endpoint, args = self.url_map.bind_to_environ(request.environ).match()
        except MethodNotAllowed:
            return json_response({"detail": 'Method "%s" not allowed.' % request.method}, 405)
        except NotFound:
            return json_response({"detail": "Not found."}, 404)
        request.get_data(cache=True)  # read the body before taking the lock
        try:
            with self.store.lock:
                self.lifecycle.tick()
                return getattr(self, "do_" + endpoint)(request, **args)
        except ApiError as err:
            return json_response({"detail": err.message}, err.status)

    def _get(self, table, key):
        record = self.store.tables[table].get(key)
        if record is None:
            raise ApiError(404, "Not found.")
        return record

    def _paged(self, request, rows, render):
        page = drf_page(request, rows, self.next_host)
        if page is None:
            return json_response({"detail": "Invalid page."}, 404)
        envelope, rows = page
        envelope["results"] = [render(row) for row in rows]
        return json_response(envelope)

    def add_target(self, address, verification):
        """Test-only target creation (rendered like the API)."""
        if not str(address or "").strip():
            raise ValueError("address is required")
        tid = self.lifecycle.new_scan_id()
        self.store.targets[tid] = {"id": tid, "address": address, "verification": verification, "ip": None,
                                   "os": "Unknown", "created_at": self.store.now(),
                                   "monitoring": {"interval": 5, "is_activated": False, "notifications": []}}
        return views.target(self.store.targets[tid])

    def add_finished_scan(self, target, profile=5, age=3600, findings=None):
        """Test-only: a scan of target (id or address) from the account's history, started age seconds ago and
        finished, with the named findings (WEB_FINDINGS names; None: its deterministic ones). Rendered as detailed."""
        tid = target if target in self.store.targets else next(
            (tid for tid, record in self.store.targets.items() if record["address"] == target), None)
        if tid is None:
            raise ValueError("no target %s" % target)
        if as_int(profile) not in PROFILES or as_int(age) is None or as_int(age) < 0:
            raise ValueError("profile must be one of %s and age a number of seconds" % sorted(PROFILES))
        known = [name for name, _plugin, _severity in WEB_FINDINGS]
        unknown = [name for name in findings or () if name not in known]
        if unknown:
            raise ValueError("unknown findings %s (known: %s)" % (unknown, known))
        scan_id = self.lifecycle.new_scan_id()
        start = int(self.store.now()) - as_int(age)
        self.store.scans[scan_id] = {
            "id": scan_id, "target_id": tid, "profile": as_int(profile), "description": None, "notification": [],
            "status": "Stopped", "start_time": start, "stop_time": start + min(as_int(age), 1000), "created_mono": None,
            "finished": True}
        address = self.store.targets[tid]["address"]
        found = scan_findings(self.store.seed, scan_id, address, None if findings is None else len(WEB_FINDINGS))
        for vuln in found:
            if findings is None or vuln["name"] in findings:
                self.store.vulnerabilities[vuln["id"]] = vuln
        return views.scan_detail(self.store, self.store.scans[scan_id])

    def listing_kind(self, request):
        """"targets" or "scans" for a GET on those collections, else None."""
        if request.method != "GET":
            return None
        try:
            endpoint, _args = self.url_map.bind_to_environ(request.environ).match()
        except (MethodNotAllowed, NotFound):
            return None
        return endpoint if endpoint in ("targets", "scans") else None

    def listing_rows(self, kind, request):
        """Records of the targets or scans listing for this request, in listing order (None: invalid filter)."""
        return self.target_rows(request) if kind == "targets" else self.scan_rows(request)

    # ---- targets
    def target_rows(self, request):
        """Targets listed for the request: q on the address, ordering target/verification."""
        rows = list(self.store.targets.values())
        needle = request.args.get("q", "").lower()
        if needle:
            rows = [t for t in rows if needle in t["address"].lower()]
        return _order(rows, request.args.get("ordering"),
                      {"target": lambda t: t["address"], "verification": lambda t: t["verification"]})

    def do_targets(self, request):
        """GET /targets."""
        return self._paged(request, self.target_rows(request), views.target)

    def do_target(self, request, tid):
        """GET /targets/{id}: same fields as a list item."""
        del request
        return json_response(views.target(self._get("targets", tid)))

    def do_monitoring(self, request, tid):
        """GET/PUT monitoring settings; PUT accepts any subset of the three fields."""
        record = self._get("targets", tid)
        settings = record["monitoring"]
        if request.method == "PUT":
            body = json_body(request)
            errors = {}
            if "interval" in body:
                interval = as_int(body["interval"])
                if interval is None or isinstance(body["interval"], bool):
                    errors["interval"] = ["A valid integer is required."]
                elif interval < 1:
                    errors["interval"] = ["Ensure this value is greater than or equal to 1."]
            if "is_activated" in body and body["is_activated"] not in (True, False, 0, 1, "true", "false"):
                errors["is_activated"] = ["Must be a valid boolean."]
            notes = body.get("notifications", [])
            if not isinstance(notes, list) or any(as_int(n) is None for n in notes):
                errors["notifications"] = ["Expected a list of integers."]
            if errors:
                return json_response(errors, 400)
            if "interval" in body:
                settings["interval"] = as_int(body["interval"])
            if "is_activated" in body:
                settings["is_activated"] = body["is_activated"] in (True, 1, "true")
            if "notifications" in body:
                settings["notifications"] = [as_int(n) for n in notes]
        return json_response(dict(settings))

    def do_monitor_result(self, request, tid):
        """GET monitor_result: bare array of the last ~30 checks."""
        del request
        return json_response(views.monitor_results(self.store.seed, self._get("targets", tid), self.store.now()))

    # ---- scans
    def do_scans(self, request):
        """GET list (q, ordering, status; newest first by default) or POST create (201 + Location, body {})."""
        if request.method == "POST":
            return self._create_scan(json_body(request))
        status = request.args.get("status")
        if status and status not in SCAN_STATUSES:
            return _choice_error("status", status)
        return self._paged(request, self.scan_rows(request), lambda s: views.scan_item(self.store, s))

    def scan_rows(self, request):
        """Scans listed for the request (q, ordering, status; newest first by default); None for a bad status."""
        status = request.args.get("status")
        if status and status not in SCAN_STATUSES:
            return None
        rows = sorted(self.store.scans.values(), key=lambda s: s["start_time"], reverse=True)
        if status:
            rows = [s for s in rows if s["status"] == status]
        needle = request.args.get("q", "").lower()
        if needle:
            rows = [s for s in rows if needle in self.store.targets.get(s["target_id"], {}).get("address", "").lower()]
        count = {}
        for vuln in self.store.vulnerabilities.values():
            count[vuln["scan_id"]] = count.get(vuln["scan_id"], 0) + 1
        keys = {"target": lambda s: self.store.targets.get(s["target_id"], {}).get("address", ""),
                "start_time": lambda s: s["start_time"], "vulnerabilities": lambda s: count.get(s["id"], 0)}
        return _order(rows, request.args.get("ordering"), keys)

    def _create_scan(self, body):
        errors = {}
        tid = body.get("target")
        if tid in (None, ""):
            errors["target"] = ["This field is required."]
        elif tid not in self.store.targets:
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
        scan_id = self.lifecycle.new_scan_id()
        now = self.store.now()
        self.store.scans[scan_id] = {
            "id": scan_id, "target_id": tid, "profile": as_int(profile), "description": body.get("description") or None,
            "notification": [as_int(n) for n in notification], "status": "Queued", "start_time": int(now),
            "stop_time": None, "created_mono": now, "finished": False, "advances": body.get("advances")}
        return json_response({}, 201, {"Location": "/v1/scans/" + scan_id})

    def do_scan(self, request, sid):
        """GET detail, or DELETE (204, its vulnerabilities go with it)."""
        scan = self._get("scans", sid)
        if request.method == "DELETE":
            del self.store.scans[sid]
            for vid in [v["id"] for v in self.store.vulnerabilities.values() if v["scan_id"] == sid]:
                del self.store.vulnerabilities[vid]
            return json_response(None, 204)
        return json_response(views.scan_detail(self.store, scan))

    def do_scan_stop(self, request, sid):
        """GET /scans/{id}/stop: stops now (idempotent), returns the detail."""
        del request
        scan = self._get("scans", sid)
        self.lifecycle.user_stop(scan)
        return json_response(views.scan_detail(self.store, scan))

    # ---- vulnerabilities
    def do_vulns(self, request):
        """GET list: q on name and target address, sev exact, ordering (severity by rank)."""
        sev = request.args.get("sev")
        if sev and sev not in SEVERITIES:
            return _choice_error("sev", sev)
        rows = list(self.store.vulnerabilities.values())
        if sev:
            rows = [v for v in rows if v["severity"] == sev]
        needle = request.args.get("q", "").lower()
        if needle:
            rows = [v for v in rows if needle in v["name"].lower() or needle in v["target"].lower()]
        keys = {"severity": lambda v: views.SEVERITY_RANK[v["severity"]], "target": lambda v: v["target"],
                "false_positive": lambda v: v["false_positive"], "name": lambda v: v["name"]}
        rows = _order(rows, request.args.get("ordering"), keys)
        return self._paged(request, rows, views.vuln_item)

    def do_vuln(self, request, vid):
        """GET detail or PUT {"false_positive": bool}."""
        vuln = self._get("vulnerabilities", vid)
        if request.method == "PUT":
            body = json_body(request)
            value = body.get("false_positive")
            if value not in (True, False, "true", "false", "True", "False", 0, 1):
                return json_response({"false_positive": ["Must be a valid boolean."]}, 400)
            vuln["false_positive"] = value in (True, "true", "True", 1)
        return json_response(views.vuln_detail(self.store, vuln))
