"""Test-control endpoints under /_sim/ (no auth, never logged): one route table, (METHOD, path, handler).

A handler is handler(app, request, **path arguments) -> Response; ValueError, TypeError and KeyError (a bad or
missing field) answer 400 {"error"}. The platform endpoints delegate to their resource files.
"""

import json

from werkzeug.exceptions import MethodNotAllowed, NotFound
from werkzeug.routing import Map, Rule

from core.web import as_int, json_body, json_response
from cyberwatch import cves, servers
from cystack import scans, targets


def requests_log(app, request):
    """GET /_sim/requests[?since=N]: the log."""
    return json_response({"requests": app.log.entries(as_int(request.args.get("since"), 0))})


def clear_requests(app, request):
    """DELETE /_sim/requests: forget the log."""
    del request
    app.log.clear()
    return json_response({"requests": []})


def reset(app, request):
    """Back to the seeded state, or with {"to": "snapshot"} to the last snapshot; clears the log and the faults."""
    to = json_body(request).get("to", "seed")
    if to not in ("seed", "snapshot"):
        raise ValueError('"to" must be "seed" or "snapshot", got %r' % (to,))
    app.reset(to_snapshot=to == "snapshot")
    return json_response({"reset": True, "state": app.store.counts()})


def snapshot(app, request):
    """Remember the current state (the seeded one plus what a test added) for POST /_sim/reset {"to": "snapshot"}."""
    del request
    app.snapshot()
    return json_response({"snapshot": True, "state": app.store.counts()})


def show_faults(app, request):
    """GET /_sim/faults: the rules with their counters."""
    del request
    return json_response({"faults": app.faults.describe()})


def replace_faults(app, request):
    """PUT /_sim/faults {"faults": [...]}: replace the rules."""
    body = json.loads(request.get_data() or b"{}")
    app.faults.replace(body.get("faults", []) if isinstance(body, dict) else body)
    return show_faults(app, request)


def clear_faults(app, request):
    """DELETE /_sim/faults: no rule."""
    app.faults.replace([])
    return show_faults(app, request)


def state(app, request):
    """GET /_sim/state: counts per table."""
    del request
    with app.store.lock:
        return json_response(app.store.counts())


def cystack_target(app, request):
    """POST /_sim/cystack/targets {"address", "verification"}: a CyStack target (the real API cannot create one)."""
    body = json_body(request)
    with app.store.lock:
        record = targets.add(app.store, app.cystack.lifecycle.new_scan_id(), body["address"],
                             as_int(body.get("verification"), 0))
    return json_response(record, 201)


def cystack_scan(app, request):
    """POST /_sim/cystack/scans: a finished scan from the account's history: {"target" (id or address), "profile"
    (5), "age" (seconds since it started, 3600), "findings" (names; default: the scan's deterministic findings)}."""
    body = json_body(request)
    with app.store.lock:
        record = scans.add_finished(app.cystack, body["target"], body.get("profile", 5), body.get("age", 3600),
                                    body.get("findings"))
    return json_response(record, 201)


def cystack_advance(app, request, sid):
    """POST /_sim/cystack/scans/<id>/advance: move a scan one step, or to {"to": state}."""
    body = json_body(request)
    with app.store.lock:
        scan = app.store.scans.get(sid)
        if scan is None:
            return json_response({"detail": "Not found."}, 404)
        app.cystack.lifecycle.advance(scan, body.get("to"))
        return json_response(scans.render_detail(app.store, scan))


def cyberwatch_server(app, request):
    """POST /_sim/cyberwatch/servers: a Cyberwatch server from partial fields (duplicate hostnames allowed)."""
    body = json_body(request)
    with app.store.lock:
        record = servers.render(app.store, servers.add(app.store, body))
    return json_response(record, 201)


def cyberwatch_server_cve(app, request, sid):
    """POST /_sim/cyberwatch/servers/<id>/cves: detect a CVE on a server now (cyberwatch/cves.py detect)."""
    body = json_body(request)
    with app.store.lock:
        answer, status = cves.detect(app.store, sid, body)
    return json_response(answer, status)


ROUTES = (
    ("GET", "/_sim/requests", requests_log),
    ("DELETE", "/_sim/requests", clear_requests),
    ("POST", "/_sim/reset", reset),
    ("POST", "/_sim/snapshot", snapshot),
    ("GET", "/_sim/faults", show_faults),
    ("PUT", "/_sim/faults", replace_faults),
    ("DELETE", "/_sim/faults", clear_faults),
    ("GET", "/_sim/state", state),
    ("POST", "/_sim/cystack/targets", cystack_target),
    ("POST", "/_sim/cystack/scans", cystack_scan),
    ("POST", "/_sim/cystack/scans/<sid>/advance", cystack_advance),
    ("POST", "/_sim/cyberwatch/servers", cyberwatch_server),
    ("POST", "/_sim/cyberwatch/servers/<int:sid>/cves", cyberwatch_server_cve),
)
URLS = Map([Rule(path, endpoint=handler, methods=[method]) for method, path, handler in ROUTES], strict_slashes=False)


class Control:
    """The /_sim/ endpoints of the running App."""

    def __init__(self, app):
        self.app = app

    def dispatch(self, request):
        """Answer one /_sim/ request."""
        try:
            handler, args = URLS.bind_to_environ(request.environ).match()
        except (NotFound, MethodNotAllowed):
            return json_response({"error": "unknown control endpoint"}, 404)
        try:
            return handler(self.app, request, **args)
        except (ValueError, TypeError, KeyError) as exc:
            return json_response({"error": str(exc)}, 400)
