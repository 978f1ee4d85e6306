"""The simulated Cyberwatch API: current prefixed routes and legacy routes onto one store.

Routing, reads and pagination live here; writes are in cyberwatch_writes.py.
"""

from werkzeug.exceptions import MethodNotAllowed, NotFound
from werkzeug.routing import Map, Rule

import airgap
import cyberwatch_actions as actions
import cyberwatch_assets_more as more
import cyberwatch_views as views
import cyberwatch_writes as writes
from compliance import Compliance, rule_item
from core.pagination import cyberwatch_page
from core.web import ApiError, as_int, json_response, params, truthy

# kind -> (route prefixes: current first, then legacy; model name in 404 messages)
RESOURCES = {
    "servers": (("/api/v3/vulnerabilities/servers", "/api/v3/servers"), "Server"),
    "assets": (("/api/v3/assets/servers",), "Server"),
    "remote_accesses": (("/api/v3/assets/remote_accesses", "/api/v3/remote_accesses"), "CbwRam::RemoteAccess"),
    "groups": (("/api/v3/assets/groups", "/api/v3/groups"), "Group"),
    "cves": (("/api/v3/vulnerabilities/cve_announcements", "/api/v3/cve_announcements"), "CveAnnouncement"),
    "security_issues": (("/api/v3/vulnerabilities/security_issues", "/api/v3/security_issues"), "SecurityIssue"),
    "agents": (("/api/v3/assets/agents", "/api/v3/agents"), "Agent"),
    "hosts": (("/api/v3/hosts",), "Host"),
    "nodes": (("/api/v3/nodes",), "Node"),
    "users": (("/api/v3/users",), "User"),
    "compliance_servers": (("/api/v3/compliance/servers",), "Server"),
    "compliance_rules": (("/api/v3/compliance/rules",), "CbwCompliance::Rule"),
    "docker_images": (("/api/v3/assets/docker_images",), "CbwRam::DockerImage"),
    "applicative_scans": (("/api/v3/assets/applicative_scans",), "CbwRam::ApplicativeScan"),
    "discoveries": (("/api/v3/assets/discoveries",), "CbwAssets::Discovery"),
    "stored_credentials": (("/api/v3/assets/credentials",), "CbwRam::StoredCredential"),
    "os": (("/api/v3/os",), "Os"),
}
TABLE = {"assets": "servers", "compliance_servers": "servers"}
# verbs allowed per kind on the item route (GET list/detail are always there)
ITEM_VERBS = {"servers": ("PATCH", "PUT", "DELETE"), "assets": ("DELETE",), "remote_accesses": ("PATCH", "DELETE"),
              "groups": ("PUT", "DELETE"), "cves": ("PUT", "DELETE"), "security_issues": ("PUT", "DELETE"),
              "agents": ("DELETE",), "hosts": ("PUT", "DELETE"), "nodes": ("DELETE",), "users": (),
              "compliance_servers": ("PUT",), "compliance_rules": ("PUT", "DELETE"), "docker_images": ("PATCH", "DELETE"),
              "applicative_scans": ("PATCH", "DELETE"), "discoveries": ("DELETE",),
              "stored_credentials": ("PATCH", "DELETE"), "os": ()}
CREATABLE = ("remote_accesses", "groups", "security_issues", "hosts", "compliance_rules", "docker_images",
             "applicative_scans", "stored_credentials")
# PUT {item}/<action>: recheck the rules of a compliance server, or a rule on all its servers
RECHECKS = {"compliance_servers": "recheck_rules", "compliance_rules": "recheck_servers"}
REASONS = {400: "Bad Request", 401: "Unauthorized", 403: "Forbidden", 404: "Not Found", 405: "Method Not Allowed",
           422: "Unprocessable Entity"}


def error_response(status, message):
    """{"error": {"code", "status", "message"}} with Cache-Control: no-cache, as recorded."""
    body = {"error": {"code": status, "status": REASONS.get(status, "Error"), "message": message}}
    return json_response(body, status, {"Cache-Control": "no-cache"})


def not_found(kind, raw_id):
    """The recorded 404 for an unknown id."""
    model = RESOURCES[kind][1]
    if kind == "cves":
        return ApiError(404, "Couldn't find CveAnnouncement")
    return ApiError(404, "Couldn't find %s with 'id'=%s" % (model, raw_id))


def _build_map():
    rules = [Rule("/api/v3/ping", endpoint=("ping", None), methods=["GET"])]
    for kind, (prefixes, _model) in RESOURCES.items():
        for prefix in prefixes:
            rules.append(Rule(prefix, endpoint=("list", kind),
                              methods=["GET", "POST"] if kind in CREATABLE else ["GET"]))
            rules.append(Rule(prefix + "/<item_id>", endpoint=("item", kind), methods=["GET"] + list(ITEM_VERBS[kind])))
    for prefix in RESOURCES["servers"][0]:
        rules.append(Rule(prefix + "/<item_id>/cve_announcements/<cve>", endpoint=("server_cve", "servers"), methods=["PUT"]))
    for prefix in RESOURCES["remote_accesses"][0]:
        rules.append(Rule(prefix + "/<item_id>/test_deploy", endpoint=("test_deploy", "remote_accesses"),
                          methods=["PUT", "POST"]))
    for kind, suffix, methods, action in actions.ROUTES:  # server refresh/updates/reboot, discovery relaunch
        for prefix in RESOURCES[kind][0]:
            rules.append(Rule(prefix + "/<item_id>/" + suffix, endpoint=(action, kind), methods=list(methods)))
    for kind, action in RECHECKS.items():
        rules.append(Rule(RESOURCES[kind][0][0] + "/<item_id>/" + action, endpoint=("recheck", kind), methods=["PUT"]))
    for kind, route in (("vulnerability", airgap.ROUTE), ("compliance", airgap.COMPLIANCE_ROUTE)):  # airgap.py
        rules.append(Rule(route, endpoint=("airgap_list", kind), methods=["GET", "POST"]))
    rules.append(Rule(airgap.ROUTE + "/<item_id>", endpoint=("airgap_item", "vulnerability"), methods=["GET"]))
    return Map(rules, strict_slashes=False, merge_slashes=False)


class CyberwatchApi:
    """WSGI-free request handler: dispatch(request, request_id) -> Response."""

    def __init__(self, store, max_per_page=500, test_deploy_delay=0.5):
        self.store = store
        self.max_per_page = max_per_page
        self.writes = writes.Writes(store, test_deploy_delay)
        self.actions = actions.Actions(store, test_deploy_delay)
        self.airgap = airgap.Airgap(self, test_deploy_delay)
        self.url_map = _build_map()

    def dispatch(self, request, request_id):
        """Route and answer one authenticated request."""
        adapter = self.url_map.bind_to_environ(request.environ)
        try:
            (action, kind), args = adapter.match()
        except MethodNotAllowed:
            return error_response(405, "405 Not Allowed")
        except NotFound:
            return error_response(404, "Not Found")
        if action == "ping":
            return json_response({"uuid": request_id})
        request.get_data(cache=True)  # read the body before taking the lock: a slow client never holds it
        try:
            # One lock around validation and write: uniqueness checks and inserts are atomic across threads.
            with self.store.lock:
                self.writes.settle_tests()
                self.actions.settle()
                self.airgap.settle()
                return self._handle(request, action, kind, args)
        except ApiError as err:
            return error_response(err.status, err.message)

    def _handle(self, request, action, kind, args):
        method = request.method
        if action.startswith("airgap_"):
            return self.airgap.handle(request, action, kind, args)
        if action == "list" and method == "GET":
            return self._list(request, kind)
        if action == "list":
            return json_response(self.writes.create(kind, request), 201)
        if action == "server_cve":
            server = self.lookup("servers", args["item_id"])
            return json_response(self.writes.server_cve(server, args["cve"], request))
        record = self.lookup(kind, args["item_id"])
        if action == "test_deploy":
            return json_response(self.writes.test_deploy(record))
        if action == "recheck":
            return json_response(self.writes.recheck(kind, record))
        if action in actions.ACTIONS:
            return json_response(self.actions.handle(action, record, request))
        if method == "GET":
            return json_response(self.render_detail(kind, record))
        if method == "DELETE":
            return json_response(self.writes.delete(kind, record, request))
        return json_response(self.writes.update(kind, record, request))

    def add_server(self, fields):
        """Test-only server creation: a seeded-looking server overridden by the given fields."""
        sid = self.store.new_id("servers")
        now = self.store.now()
        server = {"id": sid, "hostname": "server-%d.example.com" % sid, "description": None, "last_communication": now,
                  "reboot_required": False, "addresses": [], "boot_at": None, "category": "server", "created_at": now,
                  "analyzed_at": None, "status": "server_awaiting_analysis", "os": None, "environment_id": 2,
                  "groups": [], "compliance_groups": [], "cves": {}, "updates": [], "security_issues": [],
                  "active": True, "packages": []}
        server.update({k: v for k, v in fields.items() if k in server and k not in ("id", "cves")})
        self.store.servers[sid] = server
        return views.server_item(self.store, server)

    def lookup(self, kind, raw_id):
        """The record of kind with the raw id from the path, or ApiError 404."""
        table = self.store.tables[TABLE.get(kind, kind)]
        key = raw_id if kind == "cves" else as_int(raw_id)
        if key is None or key not in table:
            raise not_found(kind, raw_id)
        return table[key]

    def render_detail(self, kind, record):
        """Detail shape of a record."""
        store = self.store
        renderers = {"servers": lambda r: views.server_detail(store, r), "assets": lambda r: views.asset_detail(store, r),
                     "cves": lambda r: views.cve_detail(store, r), "security_issues": views.issue_full,
                     "compliance_servers": lambda r: Compliance(store).server_detail(r),
                     "compliance_rules": lambda r: Compliance(store).rule_detail(r)}
        return renderers.get(kind, lambda r: self.render_item(kind, r))(record)

    def render_item(self, kind, record):
        """List shape of a record."""
        return self.item_renderer(kind)(record)

    def item_renderer(self, kind):
        """The function rendering the list shape of kind's records (one per request: it may cache)."""
        store = self.store
        renderers = {"servers": lambda r: views.server_item(store, r), "assets": lambda r: views.asset_item(store, r),
                     "remote_accesses": views.remote_access, "groups": dict, "cves": views.cve_item,
                     "security_issues": views.issue_item, "agents": views.agent, "hosts": views.host_item,
                     "nodes": views.node, "users": views.user, "compliance_servers": Compliance(store).server_item,
                     "compliance_rules": lambda r: rule_item(store, r), "docker_images": views.docker_image,
                     "applicative_scans": views.applicative_scan, "discoveries": actions.discovery,
                     "stored_credentials": more.stored_credential, "os": more.os_item}
        return renderers[kind]

    def listing_kind(self, request):
        """The kind listed by a GET on a collection route ("servers", "assets", ...), else None."""
        if request.method != "GET":
            return None
        try:
            (action, kind), _args = self.url_map.bind_to_environ(request.environ).match()
        except (MethodNotAllowed, NotFound):
            return None
        return kind if action == "list" else None

    def listing_rows(self, kind, query):
        """The records of a listing, filtered by the query, in listing order (callers hold the lock)."""
        rows = list(self.store.tables[TABLE.get(kind, kind)].values())
        return [row for row in rows if self._matches(kind, row, query)] if self._filters(kind, query) else rows

    def _list(self, request, kind):
        query = params(request)
        rows = self.listing_rows(kind, query)
        page, headers = cyberwatch_page(request, query, rows, self.max_per_page)
        render = self.item_renderer(kind)
        return json_response([render(row) for row in page], 200, headers)

    @staticmethod
    def _filters(kind, query):
        known = {"servers": ("hostname", "group_id", "reboot_required", "communication_failed", "active"),
                 "compliance_servers": ("hostname", "group_id", "environment_id"),
                 "cves": ("level", "exploitable", "active", "technology_product", "exploit_code_maturity"),
                 "users": ("auth_provider",), "security_issues": ("sid",),
                 "assets": ("service_name", "service_status")}
        return [key for key in known.get(kind, ()) if query.get(key) not in (None, "")]

    def _matches(self, kind, row, query):
        for key in self._filters(kind, query):
            if not self._match_one(kind, key, row, query[key]):
                return False
        return True

    def _match_one(self, kind, key, row, value):
        if kind in ("servers", "compliance_servers"):
            checks = {"hostname": lambda: row["hostname"] == value,
                      "group_id": lambda: as_int(value) in row["groups"],
                      "environment_id": lambda: row["environment_id"] == as_int(value),
                      "reboot_required": lambda: bool(row["reboot_required"]) == truthy(value),
                      "communication_failed": lambda: (row["status"] == "server_update_comm_fail") == truthy(value),
                      "active": lambda: row["active"] == truthy(value)}
            return checks[key]()
        if kind == "cves":
            wanted = value if isinstance(value, list) else [value]
            checks = {"level": lambda: row["level"] in wanted,
                      "exploitable": lambda: row["exploitable"] == truthy(value),
                      "active": lambda: self._cve_active(row["cve_code"]) == truthy(value),
                      "technology_product": lambda: any(t["product"] in wanted for t in row["technologies"]),
                      "exploit_code_maturity": lambda: row["exploit_code_maturity"] in wanted}
            return checks[key]()
        if kind == "assets":
            return more.asset_matches(row, key, value)
        return str(row[key]) == str(value)

    def _cve_active(self, code):
        servers = self.store.servers
        return any(not servers[sid]["cves"][code]["ignored"] and servers[sid]["cves"][code]["fixed_at"] is None
                   for sid in self.store.cve_servers.get(code, ()))
