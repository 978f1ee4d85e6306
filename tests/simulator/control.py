"""Test-control endpoints under /_sim/ (no auth, never logged)."""

import json

from werkzeug.exceptions import MethodNotAllowed, NotFound
from werkzeug.routing import Map, Rule

from cystack_views import scan_detail
from views_common import as_int, json_body, json_response

URLS = Map([
    Rule("/_sim/requests", endpoint="requests", methods=["GET", "DELETE"]),
    Rule("/_sim/reset", endpoint="reset", methods=["POST"]),
    Rule("/_sim/faults", endpoint="faults", methods=["GET", "PUT", "DELETE"]),
    Rule("/_sim/state", endpoint="state", methods=["GET"]),
    Rule("/_sim/cystack/targets", endpoint="cystack_target", methods=["POST"]),
    Rule("/_sim/cystack/scans/<sid>/advance", endpoint="advance", methods=["POST"]),
    Rule("/_sim/cyberwatch/servers", endpoint="cbw_server", methods=["POST"]),
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
        """Back to the seeded state; clears the log and the faults."""
        del request
        self.app.reset()
        return json_response({"reset": True, "state": self.app.store.counts()})

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
