"""Test-control endpoints under /_sim/ (no auth, never logged)."""

import json

from werkzeug.exceptions import MethodNotAllowed, NotFound
from werkzeug.routing import Map, Rule

from cystack_views import scan_detail
from core.web import as_int, json_body, json_response

URLS = Map([
    Rule("/_sim/requests", endpoint="requests", methods=["GET", "DELETE"]),
    Rule("/_sim/reset", endpoint="reset", methods=["POST"]),
    Rule("/_sim/snapshot", endpoint="snapshot", methods=["POST"]),
    Rule("/_sim/faults", endpoint="faults", methods=["GET", "PUT", "DELETE"]),
    Rule("/_sim/state", endpoint="state", methods=["GET"]),
    Rule("/_sim/cystack/targets", endpoint="cystack_target", methods=["POST"]),
    Rule("/_sim/cystack/scans", endpoint="cystack_scan", methods=["POST"]),
    Rule("/_sim/cystack/scans/<sid>/advance", endpoint="advance", methods=["POST"]),
    Rule("/_sim/cyberwatch/servers", endpoint="cbw_server", methods=["POST"]),
    Rule("/_sim/cyberwatch/servers/<int:sid>/cves", endpoint="cbw_server_cve", methods=["POST"]),
], strict_slashes=False)


class Control:
    """Handlers bound to the running App."""

    def __init__(self, app):
        self.app = app

    def dispatch(self, request):
        """Answer one /_sim/ request."""
        try:
            endpoint, args = URLS.bind_to_environ(request.environ).match()
        except (NotFound, MethodNotAllowed):
            return json_response({"error": "unknown control endpoint"}, 404)
        try:
            return getattr(self, "do_" + endpoint)(request, **args)
        except (ValueError, TypeError, KeyError) as exc:
            return json_response({"error": str(exc)}, 400)

    def do_requests(self, request):
        """GET the log (optionally ?since=N) or DELETE it."""
        if request.method == "DELETE":
            self.app.log.clear()
            return json_response({"requests": []})
        return json_response({"requests": self.app.log.entries(as_int(request.args.get("since"), 0))})

    def do_reset(self, request):
        """Back to the seeded state, or with {"to": "snapshot"} to the last snapshot; clears the log and the faults."""
        to = json_body(request).get("to", "seed")
        if to not in ("seed", "snapshot"):
            raise ValueError('"to" must be "seed" or "snapshot", got %r' % (to,))
        self.app.reset(to_snapshot=to == "snapshot")
        return json_response({"reset": True, "state": self.app.store.counts()})

    def do_snapshot(self, request):
        """Remember the current state (the seeded one plus what a test added) for POST /_sim/reset {"to": "snapshot"}."""
        del request
        self.app.snapshot()
        return json_response({"snapshot": True, "state": self.app.store.counts()})

    def do_faults(self, request):
        """GET, PUT {"faults": [...]} or DELETE the fault rules."""
        if request.method == "PUT":
            body = json.loads(request.get_data() or b"{}")
            self.app.faults.replace(body.get("faults", []) if isinstance(body, dict) else body)
        elif request.method == "DELETE":
            self.app.faults.replace([])
        return json_response({"faults": self.app.faults.describe()})

    def do_state(self, request):
        """Counts per table."""
        del request
        with self.app.store.lock:
            return json_response(self.app.store.counts())

    def do_cystack_target(self, request):
        """Create a CyStack target (the real API cannot)."""
        body = json_body(request)
        with self.app.store.lock:
            record = self.app.cystack.add_target(body["address"], as_int(body.get("verification"), 0))
        return json_response(record, 201)

    def do_cystack_scan(self, request):
        """Add a finished scan from the account's history: {"target" (id or address), "profile" (5), "age" (seconds
        since it started, 3600), "findings" (names; default: the scan's deterministic findings)}."""
        body = json_body(request)
        with self.app.store.lock:
            record = self.app.cystack.add_finished_scan(body["target"], body.get("profile", 5), body.get("age", 3600),
                                                        body.get("findings"))
        return json_response(record, 201)

    def do_advance(self, request, sid):
        """Move a scan one step, or to {"to": state}."""
        body = json_body(request)
        api = self.app.cystack
        with self.app.store.lock:
            scan = self.app.store.scans.get(sid)
            if scan is None:
                return json_response({"detail": "Not found."}, 404)
            api.lifecycle.advance(scan, body.get("to"))
            return json_response(scan_detail(self.app.store, scan))

    def do_cbw_server(self, request):
        """Add a Cyberwatch server from partial fields (duplicate hostnames allowed)."""
        body = json_body(request)
        with self.app.store.lock:
            record = self.app.cyberwatch.add_server(body)
        return json_response(record, 201)

    def do_cbw_server_cve(self, request, sid):
        """Detect a CVE on a server now: {"cve_code", and for a code not in the catalogue "level", "score",
        "exploitable", "content"} (what a new Cyberwatch analysis finds)."""
        body = json_body(request)
        code = str(body["cve_code"]).upper()
        store = self.app.store
        with store.lock:
            server = store.servers.get(sid)
            if server is None:
                return json_response({"error": "no server %s" % sid}, 404)
            if code not in store.cves:
                now = store.now()
                score = float(body.get("score", 9.8))
                store.cves[code] = {
                    "cve_code": code, "content": body.get("content") or "Test CVE %s." % code, "last_modified": now,
                    "level": body.get("level", "level_critical"), "published": now, "score": score,
                    "score_v2": score, "score_v3": score, "score_custom": None, "exploit_code_maturity": "high",
                    "note_custom": None, "exploitable": bool(body.get("exploitable", True)), "technologies": [],
                    "cvss_custom": None, "cwe": {"cwe_id": "CWE-20"}, "scannable": False}
            server["cves"][code] = {"ignored": False, "comment": None, "detected_at": store.now(), "fixed_at": None,
                                    "prioritized": store.cves[code]["score"] >= 7.5}
            # A new analysis found it: analyzed_at moves forward by a whole second at least (the API shows seconds).
            server["analyzed_at"] = max(store.now(), (server["analyzed_at"] or 0) + 1)
            store.cve_servers.setdefault(code, set()).add(sid)
            return json_response({"server": sid, "cve_code": code}, 201)
