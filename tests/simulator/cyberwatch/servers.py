"""Servers: /api/v3/vulnerabilities/servers (legacy /api/v3/servers), the fleet's main table.

Recorded: the list and detail shapes (the detail adds cve_announcements after the first 14 keys, then updates and
security issues), the filters hostname, group_id, reboot_required, communication_failed, active, PATCH/PUT of
groups, category (400 outside the enum), description and environment, DELETE answering the server, and PUT
{id}/cve_announcements/{code} (comment, ignored). Invented: the generated fleet (hostnames, CVEs, updates),
compliance_groups as a list of rule group ids, the names string for groups, POST /_sim/cyberwatch/servers, and the
new servers mutate_listing inserts. The asset view is assets.py, the actions server_actions.py, compliance
compliance_servers.py.
"""

from core import mutations
from core.pagination import cyberwatch_offset
from core.store import BASE_TS, DAY, iso
from core.web import ApiError, as_int, json_body, json_response, params, truthy
from cyberwatch import compliance, environments, groups, security_issues
from cyberwatch.cves import TECHNOLOGIES
from cyberwatch.common import find, listing, matching

MODEL = "Server"
OSES = (
    {"key": "ubuntu_2004_64", "name": "Ubuntu 20.04 LTS", "arch": "x86_64", "eol": "2025-04-01T02:00:00.000+02:00",
     "short_name": "Ubuntu 20.04", "type": "Os::Ubuntu"},
    {"key": "ubuntu_2204_64", "name": "Ubuntu 22.04 LTS", "arch": "x86_64", "eol": "2027-04-01T02:00:00.000+02:00",
     "short_name": "Ubuntu 22.04", "type": "Os::Ubuntu"},
    {"key": "debian_12_64", "name": "Debian 12", "arch": "x86_64", "eol": "2028-06-30T02:00:00.000+02:00",
     "short_name": "Debian 12", "type": "Os::Debian"},
    {"key": "rhel_9_64", "name": "Red Hat Enterprise Linux 9", "arch": "x86_64", "eol": None,
     "short_name": "RHEL 9", "type": "Os::Redhat"},
    {"key": "alpine_linux_64", "name": "Alpine Linux", "arch": "x86_64", "eol": None,
     "short_name": "Alpine Linux", "type": "Os::Alpine"},
)
WINDOWS_OS = {"key": "windows_2019_64", "name": "Windows Server 2019", "arch": "x86_64", "eol": "2029-01-09T01:00:00.000+01:00",
              "short_name": "Windows 2019", "type": "Os::Windows"}
LINUX_ROLES = ("web", "app", "db", "cache", "proxy", "mq", "worker", "bastion")
WINDOWS_ROLES = ("ad", "sql", "exchange", "rds")
STATUSES = ("server_vulnerable", "server_vulnerable", "server_vulnerable", "server_compliant", "server_update_init",
            "server_update_comm_fail", "server_update_reboot", "server_awaiting_analysis")
SEEDED_CATEGORIES = ("server", "server", "server", "server", "desktop", "hypervisor", "network_device")
# The recorded category enum (PATCH/PUT answer 400 outside it).
CATEGORIES = ("server", "desktop", "hypervisor", "network_device", "docker_image", "network_target_or_website")
ENV_NAMES = ("prod", "staging", "dev", "dmz")
# Compliance groups (rule groups) of a server by id % 4: none, CIS level 1, Security Best Practices, all CIS + SBP.
COMPLIANCE_GROUPS = ((), (2,), (4,), (1, 4))
COMM_FAIL = "server_update_comm_fail"
UPDATE_KEYS = ("id", "ignored", "patchable", "target", "current", "cve_announcements")
FILTERS = {"hostname": lambda row, value: row["hostname"] == value,
           "group_id": lambda row, value: as_int(value) in row["groups"],
           "reboot_required": lambda row, value: bool(row["reboot_required"]) == truthy(value),
           "communication_failed": lambda row, value: (row["status"] == COMM_FAIL) == truthy(value),
           "active": lambda row, value: row["active"] == truthy(value)}


# ---- seed
def _server(rng, sid, hostname, windows, store, cve_codes, update_id):
    env = rng.choice(ENV_NAMES)
    status = rng.choice(STATUSES)
    detected = BASE_TS - rng.randint(1, 90) * DAY
    cves = {}
    if status not in ("server_compliant", "server_awaiting_analysis"):
        for code in rng.sample(cve_codes, rng.randint(1, 12)):
            ignored = rng.random() < 0.05
            cves[code] = {"ignored": ignored, "comment": "accepted risk" if ignored else None,
                          "detected_at": detected, "fixed_at": None, "prioritized": store.cves[code]["score"] >= 7.5}
    codes = list(cves)
    updates = []
    for dummy in range(rng.randint(0, min(4, len(codes)))):
        _vendor, product = rng.choice(TECHNOLOGIES)
        kind = "Packages::Msi" if windows else "Packages::Deb"
        updates.append({"id": update_id + len(updates), "ignored": False, "patchable": True,
                        "target": {"vendor": None, "product": product, "type": kind, "version": "2.%d.1" % rng.randint(1, 9)},
                        "current": {"vendor": None, "product": product, "type": kind, "version": "1.%d.0" % rng.randint(1, 9)},
                        "cve_announcements": rng.sample(codes, rng.randint(1, min(3, len(codes))))})
    group_ids = [1 + ENV_NAMES.index(env)] + ([7] if windows else [8])
    addresses = ["10.%d.%d.%d" % (ENV_NAMES.index(env), sid // 250 % 250, sid % 250 + 1)]
    if rng.random() < 0.2:
        addresses.append("192.168.%d.%d" % (rng.randint(0, 255), rng.randint(1, 254)))
    last_com = BASE_TS - rng.randint(60, 5 * DAY)
    return {
        "id": sid, "hostname": hostname, "description": None if rng.random() < 0.7 else "%s %s server" % (env, hostname),
        "last_communication": last_com, "reboot_required": rng.random() < 0.15, "addresses": addresses,
        "boot_at": last_com - rng.randint(1, 60) * DAY,
        "category": "server" if windows else rng.choice(SEEDED_CATEGORIES),
        "created_at": BASE_TS - rng.randint(100, 400) * DAY, "analyzed_at": last_com, "status": status,
        "os": dict(WINDOWS_OS if windows else rng.choice(OSES)), "environment_id": rng.randint(1, 3),
        "groups": group_ids, "compliance_groups": list(COMPLIANCE_GROUPS[sid % 4]), "compliance_verified_at": last_com,
        "compliance_recheck_due": None, "cves": cves, "updates": updates, "security_issues": [], "active": True,
        "packages": [{"vendor": None, "product": u["current"]["product"], "type": u["current"]["type"],
                      "version": u["current"]["version"]} for u in updates],
    }


def _hostname(role, num, env, windows):
    return ("%s-%02d.%s.corp.example.com" % (role.upper(), num, env) if windows
            else "%s-%02d.%s.example.com" % (role, num, env))


def seed(store, rng, count):
    """count servers (after the CVE catalogue: they draw from the same RNG); update ids are unique across them."""
    cve_codes = list(store.cves)
    update_id = 1
    counters = {}
    for sid in range(1, count + 1):
        windows = rng.random() < 0.15
        role = rng.choice(WINDOWS_ROLES if windows else LINUX_ROLES)
        env = ENV_NAMES[sid % len(ENV_NAMES)]
        counters[(role, env)] = counters.get((role, env), 0) + 1
        hostname = _hostname(role, counters[(role, env)], env, windows)
        server = _server(rng, sid, hostname, windows, store, cve_codes, update_id)
        update_id += len(server["updates"])
        store.servers[sid] = server


def extra_server(store, rng):
    """A new server shaped like the seeded ones (new id, unique hostname, created now), not yet in the store."""
    sid = store.new_id("servers")
    windows = rng.random() < 0.15
    role = rng.choice(WINDOWS_ROLES if windows else LINUX_ROLES)
    env = ENV_NAMES[sid % len(ENV_NAMES)]
    taken = {server["hostname"].lower() for server in store.servers.values()}
    num = sid
    while _hostname(role, num, env, windows).lower() in taken:
        num += 1
    update_id = 1 + max((u["id"] for server in store.servers.values() for u in server["updates"]), default=0)
    server = _server(rng, sid, _hostname(role, num, env, windows), windows, store, list(store.cves), update_id)
    server["created_at"] = int(store.now())
    return server


def add(store, fields):
    """A seeded-looking server overridden by the given fields (POST /_sim/cyberwatch/servers, and a new air-gap
    host); duplicate hostnames allowed. Returns the record."""
    sid = store.new_id("servers")
    now = store.now()
    server = {"id": sid, "hostname": "server-%d.example.com" % sid, "description": None, "last_communication": now,
              "reboot_required": False, "addresses": [], "boot_at": None, "category": "server", "created_at": now,
              "analyzed_at": None, "status": "server_awaiting_analysis", "os": None, "environment_id": 2,
              "groups": [], "compliance_groups": [], "cves": {}, "updates": [], "security_issues": [],
              "active": True, "packages": []}
    server.update({k: v for k, v in fields.items() if k in server and k not in ("id", "cves")})
    store.servers[sid] = server
    return server


def make_hostile(store, payloads):
    """Hostile fleet: hostname, description, addresses, OS names, CVE comments, update and package products."""
    for index, server in enumerate(store.servers.values()):
        def payload(field, index=index):
            return payloads.payload("server", index, field)
        server["hostname"] = payload("hostname")
        server["description"] = payload("description")
        server["addresses"] = [payload("address%d" % num) for num in range(len(server["addresses"]))]
        for field in ("key", "name", "short_name", "arch"):
            server["os"][field] = payload("os_" + field)
        for state in server["cves"].values():
            if state["comment"] is not None:
                state["comment"] = payload("comment")
        for update in server["updates"]:
            for side in ("current", "target"):
                update[side]["product"] = payload("product")
                update[side]["version"] = payload("version")
        for package in server["packages"]:
            package["product"], package["version"] = payload("product"), payload("version")


# ---- rendering
def active_cves(server):
    """Codes of the server's CVEs that count: not ignored and not fixed."""
    return [code for code, c in server["cves"].items() if not c["ignored"] and c["fixed_at"] is None]


def render(store, server):
    """Server as listed (and as returned by PATCH/PUT/DELETE); the counts are derived from the lists."""
    codes = active_cves(server)
    prioritized = sum(1 for code in codes if server["cves"][code]["prioritized"])
    return {
        "id": server["id"], "hostname": server["hostname"], "description": server["description"],
        "last_communication": iso(server["last_communication"]), "reboot_required": server["reboot_required"],
        "addresses": list(server["addresses"]), "updates_count": len(server["updates"]),
        "boot_at": iso(server["boot_at"]), "category": server["category"], "created_at": iso(server["created_at"]),
        "cve_announcements_count": len(codes), "analyzed_at": iso(server["analyzed_at"]),
        "prioritized_cve_announcements_count": prioritized, "status": server["status"], "os": server["os"],
        "environment": environments.render(store, server["environment_id"]),
        "groups": [groups.render(store, gid) for gid in server["groups"] if gid in store.groups],
        "compliance_groups": compliance.rule_groups(store, server["compliance_groups"]),
    }


def render_detail(store, server):
    """Server detail: the list item plus CVEs (ignored ones hidden), updates and security issues."""
    item = render(store, server)
    cves = [{"cve_code": code, "ignored": c["ignored"], "comment": c["comment"], "detected_at": iso(c["detected_at"]),
             "fixed_at": iso(c["fixed_at"]), "prioritized": c["prioritized"]}
            for code, c in server["cves"].items() if not c["ignored"]]
    detail = {key: item[key] for key in list(item)[:14]}
    detail["cve_announcements"] = cves
    detail.update({key: item[key] for key in list(item)[14:]})
    detail["updates"] = [render_update(u) for u in server["updates"]]
    detail["security_issues"] = [security_issues.render(store.security_issues[i]) for i in server["security_issues"]
                                 if i in store.security_issues]
    return detail


def render_update(update):
    """Update of a server detail, in the recorded order (cassette server_ok): {id, ignored, patchable, target,
    current, cve_announcements}; what the simulator keeps beside them (its source) is not shown."""
    return {key: update[key] for key in UPDATE_KEYS if key in update}


# ---- routes
def view(filters, render_item, render_one):
    """rows, index, show and destroy of a view of the servers (the servers routes; assets.py, the asset view):
    rows(store, query) filters them in id order; DELETE answers the record as listed, its agents and CVE index
    entries go with it."""
    def rows(store, query):
        return matching(list(store.servers.values()), query, filters)

    def index(api, request):
        return listing(api, request, rows, lambda server: render_item(api.store, server))

    def show(api, request, item_id):
        del request
        return json_response(render_one(api.store, find(api.store, "servers", item_id, MODEL)))

    def destroy(api, request, item_id):
        del request
        server = find(api.store, "servers", item_id, MODEL)
        rendered = render_item(api.store, server)
        api.store.drop_server(server["id"])
        return json_response(rendered)
    return rows, index, show, destroy


# GET servers[?hostname, group_id, reboot_required, communication_failed, active], GET {id} (the detail), DELETE {id}
rows, index, show, destroy = view(FILTERS, render, render_detail)


def apply_update(store, server, body, delay):
    """A PATCH/PUT body applied to a server: groups and compliance groups replace the whole set (a change of the
    compliance groups starts a recheck), category, description, environment (an object with id, or an id)."""
    if "groups" in body:
        server["groups"] = groups.ids(store, body["groups"])
    if "compliance_groups" in body:
        wanted = compliance.rule_group_ids(store, body["compliance_groups"])
        if wanted != server["compliance_groups"]:  # the rules to check change: a recheck starts
            compliance.schedule(server, "compliance_verified_at", "compliance_recheck_due", store.now(), delay)
        server["compliance_groups"] = wanted
    if "category" in body:
        if body["category"] not in CATEGORIES:
            raise ApiError(400, "'%s' is not a valid category" % body["category"])
        server["category"] = body["category"]
    if "description" in body:
        server["description"] = body["description"]
    env = body.get("environment")
    if env not in (None, ""):
        env_id = as_int(env.get("id") if isinstance(env, dict) else env)
        if env_id not in store.environments:
            raise ApiError(404, "Couldn't find Environment with 'id'=%s" % env_id)
        server["environment_id"] = env_id


def update(api, request, item_id):
    """PATCH or PUT servers/{id}: answers the server as listed."""
    server = find(api.store, "servers", item_id, MODEL)
    apply_update(api.store, server, json_body(request), api.delay)
    return json_response(render(api.store, server))


def update_cve(api, request, item_id, cve):
    """PUT servers/{id}/cve_announcements/{code}: comment and ignored (a CVE the server does not have -> 404)."""
    server = find(api.store, "servers", item_id, MODEL)
    if cve not in server["cves"]:
        raise ApiError(404, "Couldn't find CveAnnouncement")
    body = json_body(request)
    link = server["cves"][cve]
    if "comment" in body:
        link["comment"] = body["comment"]
    if "ignored" in body:
        link["ignored"] = truthy(body["ignored"])
    return json_response(render_detail(api.store, server))


# ---- mutate_listing (core/mutations.py)
class Listing:
    """A servers listing (servers or assets) that a busy fleet changes between two pages. rows_for(store, query):
    the listing's filtered rows."""

    def __init__(self, api, rows_for):
        self.api = api
        self.rows_for = rows_for

    def rows(self, request):
        """(rows as filtered and ordered for this request, offset of the requested page)."""
        query = params(request)
        return self.rows_for(self.api.store, query), cyberwatch_offset(query, self.api.max_per_page)

    def drop(self, key):
        """Delete a server as DELETE does (agents, CVE index)."""
        self.api.store.drop_server(key)

    def insert(self, request, count, rng):
        """count new seeded-looking servers at the head of the listing, fitted to its filters."""
        store = self.api.store
        query = params(request)
        records = [_fit(extra_server(store, rng), query) for dummy in range(count)]
        head, _offset = self.rows(request)
        mutations.insert_before(store.servers, head[0]["id"] if head else None, records)
        for record in records:
            for code in record["cves"]:
                store.cve_servers.setdefault(code, set()).add(record["id"])
        return [record["id"] for record in records]


def _fit(server, query):
    """Make a new server match the listing's filters, so that it shows in the filtered listing."""
    if query.get("hostname") not in (None, ""):
        server["hostname"] = str(query["hostname"])
    gid = query.get("group_id")
    if gid not in (None, "") and str(gid).isdigit() and int(gid) not in server["groups"]:
        server["groups"].append(int(gid))
    if query.get("reboot_required") not in (None, ""):
        server["reboot_required"] = truthy(query["reboot_required"])
    if query.get("communication_failed") not in (None, ""):
        failed = truthy(query["communication_failed"])
        if failed != (server["status"] == COMM_FAIL):
            server["status"] = COMM_FAIL if failed else "server_vulnerable"
    if query.get("active") not in (None, ""):
        server["active"] = truthy(query["active"])
    return server
