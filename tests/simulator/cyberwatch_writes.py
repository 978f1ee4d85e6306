"""Create, update and delete handlers of the simulated Cyberwatch API (callers hold the store lock)."""

import ipaddress

import cyberwatch_views as views
from views_common import ApiError, as_int, json_body, truthy

RA_PORTS = {"CbwRam::RemoteAccess::Ssh::WithPassword": 22, "CbwRam::RemoteAccess::Ssh::WithKey": 22,
            "CbwRam::RemoteAccess::WinRm::WithNegotiate": 5985, "CbwRam::RemoteAccess::Snmp": 161}
RA_SECRETS = ("login", "password", "key", "auth_password", "priv_password")
LEVELS = ("level_info", "level_low", "level_medium", "level_high", "level_critical")
CATEGORIES = ("server", "desktop", "hypervisor", "network_device", "docker_image", "network_target_or_website")
HOST_CATEGORIES = ("linux", "windows", "other", "unknown", "network_device")
UNREACHABLE = ipaddress.ip_network("203.0.113.0/24")


def deploy_outcome(address):
    """The deterministic test_deploy rule: (is_valid, last_error)."""
    unreachable = str(address).lower().startswith("unreachable")
    try:
        unreachable = unreachable or ipaddress.ip_address(address) in UNREACHABLE
    except ValueError:
        pass
    return (False, "Net::SSH::ConnectionTimeout") if unreachable else (True, None)


class Writes:
    """Mutations of the Cyberwatch tables."""

    def __init__(self, store, test_deploy_delay):
        self.store = store
        self.delay = test_deploy_delay

    # ---- shared helpers
    def _require(self, kind, raw_id, message_model):
        table = self.store.tables[kind]
        key = as_int(raw_id)
        if key not in table:
            raise ApiError(404, "Couldn't find %s with 'id'=%s" % (message_model, raw_id))
        return key

    def _group_ids(self, value):
        """Server groups: a list of ids replacing the set; [null], [] and null clear; a names string is accepted too."""
        if value is None:
            return []
        if isinstance(value, str):
            return self._groups_by_name(value, create=False)
        return [self._require("groups", gid, "Group") for gid in value if gid not in (None, "")]

    def _groups_by_name(self, names, create):
        ids = []
        by_name = {g["name"]: gid for gid, g in self.store.groups.items()}
        for name in (n.strip() for n in str(names or "").split(",")):
            if not name:
                continue
            if name not in by_name and create:
                gid = self.store.new_id("groups")
                self.store.groups[gid] = {"id": gid, "name": name, "description": None, "color": "#12afcb"}
                by_name[name] = gid
            if name in by_name:
                ids.append(by_name[name])
        return ids

    def _node_id(self, body, default):
        if body.get("node_id") not in (None, ""):
            return self._require("nodes", body["node_id"], "Node")
        if body.get("node") not in (None, ""):
            for nid, node in self.store.nodes.items():
                if node["name"] == body["node"]:
                    return nid
            raise ApiError(404, "Couldn't find Node with 'name'=%s" % body["node"])
        return default

    # ---- dispatch
    def create(self, kind, request):
        """POST on a collection -> rendered new object (201)."""
        body = json_body(request)
        return getattr(self, "create_" + kind)(body)

    def update(self, kind, record, request):
        """PATCH/PUT on an item -> rendered object (200)."""
        body = json_body(request)
        return getattr(self, "update_" + kind)(record, body)

    def delete(self, kind, record, request):
        """DELETE on an item -> the deleted object (200, never 204)."""
        store = self.store
        if kind in ("servers", "assets"):
            rendered = (views.server_item if kind == "servers" else views.asset_item)(store, record)
            store.drop_server(record["id"])
            return rendered
        if kind == "cves":
            record["score_custom"] = None
            record["cvss_custom"] = None
            return views.cve_detail(store, record)
        if kind == "nodes":
            return self.delete_node(record, json_body(request))
        renderers = {"remote_accesses": views.remote_access, "groups": dict, "hosts": views.host_short,
                     "agents": views.agent, "security_issues": views.issue_full}
        rendered = renderers[kind](record)
        del store.tables[kind][record["id"]]
        if kind == "groups":
            for server in store.servers.values():
                if record["id"] in server["groups"]:
                    server["groups"] = [g for g in server["groups"] if g != record["id"]]
        return rendered

    # ---- servers
    def update_servers(self, server, body):
        """PATCH or PUT a server: groups replace the whole set."""
        if "groups" in body:
            server["groups"] = self._group_ids(body["groups"])
        if "compliance_groups" in body:
            server["compliance_groups"] = self._group_ids(body["compliance_groups"])
        if "category" in body:
            if body["category"] not in CATEGORIES:
                raise ApiError(400, "'%s' is not a valid category" % body["category"])
            server["category"] = body["category"]
        if "description" in body:
            server["description"] = body["description"]
        env = body.get("environment")
        if env not in (None, ""):
            env_id = as_int(env.get("id") if isinstance(env, dict) else env)
            if env_id not in self.store.environments:
                raise ApiError(404, "Couldn't find Environment with 'id'=%s" % env_id)
            server["environment_id"] = env_id
        return views.server_item(self.store, server)

    update_assets = update_servers

    def server_cve(self, server, code, request):
        """PUT servers/{id}/cve_announcements/{code}: comment and ignored."""
        if code not in server["cves"]:
            raise ApiError(404, "Couldn't find CveAnnouncement")
        body = json_body(request)
        link = server["cves"][code]
        if "comment" in body:
            link["comment"] = body["comment"]
        if "ignored" in body:
            link["ignored"] = truthy(body["ignored"])
        return views.server_detail(self.store, server)

    # ---- remote accesses
    def _ra_address(self, address, own_id):
        if address is None or not str(address).strip():
            raise ApiError(422, "Validation failed: Address can't be blank")
        for rid, other in self.store.remote_accesses.items():
            if rid != own_id and other["address"].lower() == str(address).lower():  # case-insensitive collation
                raise ApiError(422, "Validation failed: Address has already been taken")
        return address

    def create_remote_accesses(self, body):
        """POST remote access; server_groups is a comma-separated string of group names (missing ones are created)."""
        kind = body.get("type") or ""
        if kind not in RA_PORTS:
            reason = "Type can't be blank" if not kind else "Type is not included in the list"
            raise ApiError(422, "Validation failed: " + reason)
        address = self._ra_address(body.get("address"), None)
        node_id = self._node_id(body, 1)
        groups = self._groups_by_name(body.get("server_groups"), create=True)
        rid = self.store.new_id("remote_accesses")
        record = {"id": rid, "type": kind, "address": address, "port": as_int(body.get("port"), RA_PORTS[kind]),
                  "is_valid": None, "last_error": None, "server_id": None, "node_id": node_id, "groups": groups,
                  "credential_id": as_int(body.get("credential_id")),
                  "secrets": {k: body[k] for k in RA_SECRETS if body.get(k) is not None}, "test_due": None}
        self.store.remote_accesses[rid] = record
        return views.remote_access(record)

    def update_remote_accesses(self, record, body):
        """PATCH remote access: "type": "" is ignored; every PATCH resets is_valid to null."""
        if body.get("type"):
            if body["type"] not in RA_PORTS:
                raise ApiError(422, "Validation failed: Type is not included in the list")
            record["type"] = body["type"]
        if "address" in body:
            record["address"] = self._ra_address(body["address"], record["id"])
        if body.get("port") not in (None, ""):
            record["port"] = as_int(body["port"], record["port"])
        record["node_id"] = self._node_id(body, record["node_id"])
        if "server_groups" in body:
            record["groups"] = self._groups_by_name(body["server_groups"], create=True)
        if "credential_id" in body:
            record["credential_id"] = as_int(body["credential_id"])
        record["secrets"].update({k: body[k] for k in RA_SECRETS if body.get(k) is not None})
        record["is_valid"] = None
        record["test_due"] = None
        return views.remote_access(record)

    def test_deploy(self, record):
        """PUT test_deploy: answers is_valid null now, resolved by deploy_outcome() after the delay."""
        record["is_valid"] = None
        record["test_due"] = self.store.now() + self.delay
        return views.remote_access(record)

    def settle_tests(self):
        """Resolve the test_deploy runs that are due (evaluated lazily on every Cyberwatch request)."""
        now = self.store.now()
        for record in self.store.remote_accesses.values():
            if record.get("test_due") is not None and record["test_due"] <= now:
                record["is_valid"], record["last_error"] = deploy_outcome(record["address"])
                record["test_due"] = None

    # ---- groups
    def _group_name(self, name, own_id):
        if name is None or not str(name).strip():
            raise ApiError(422, "Validation failed: Name can't be blank")
        if any(g["name"] == name and gid != own_id for gid, g in self.store.groups.items()):
            raise ApiError(422, "Validation failed: Name has already been taken")
        return name

    def create_groups(self, body):
        """POST group: default color #12AFCB (upper-case on create, as recorded). Validated before an id is taken."""
        name = self._group_name(body.get("name"), None)
        gid = self.store.new_id("groups")
        record = {"id": gid, "name": name, "description": body.get("description"),
                  "color": body.get("color") or "#12AFCB"}
        self.store.groups[gid] = record
        return dict(record)

    def update_groups(self, record, body):
        """PUT group."""
        if "name" in body:
            record["name"] = self._group_name(body["name"], record["id"])
        for key in ("description", "color"):
            if key in body:
                record[key] = body[key]
        return dict(record)

    # ---- hosts
    def create_hosts(self, body):
        """POST host: target required and unique (case-insensitive, like remote access addresses); category defaults
        to unknown."""
        if not str(body.get("target") or "").strip():
            raise ApiError(422, "Validation failed: Target can't be blank")
        if any(str(h["target"]).lower() == str(body["target"]).lower() for h in self.store.hosts.values()):
            raise ApiError(422, "Validation failed: Target has already been taken")
        if body.get("category") not in (None, "") and body["category"] not in HOST_CATEGORIES:
            raise ApiError(400, "'%s' is not a valid category" % body["category"])
        hid = self.store.new_id("hosts")
        now = self.store.now()
        record = {"id": hid, "target": body["target"], "category": body.get("category") or "unknown",
                  "hostname": body.get("hostname"), "created_at": now, "updated_at": now,
                  "node_id": self._node_id(body, 1), "server_id": as_int(body.get("server_id"))}
        self.store.hosts[hid] = record
        return views.host_item(record)

    def update_hosts(self, record, body):
        """PUT host: target is immutable (silently ignored, as recorded)."""
        if body.get("category") not in (None, ""):
            if body["category"] not in HOST_CATEGORIES:
                raise ApiError(400, "'%s' is not a valid category" % body["category"])
            record["category"] = body["category"]
        if "hostname" in body:
            record["hostname"] = body["hostname"]
        if "server_id" in body:
            record["server_id"] = as_int(body["server_id"])
        record["node_id"] = self._node_id(body, record["node_id"])
        record["updated_at"] = self.store.now()
        return views.host_short(record)

    # ---- nodes
    def delete_node(self, record, body):
        """DELETE node with {"new_id"}: its remote accesses, hosts and agents move to new_id."""
        if body.get("new_id") in (None, ""):
            raise ApiError(400, "new_id is missing")
        new_id = self._require("nodes", body["new_id"], "Node")
        if new_id == record["id"]:
            raise ApiError(422, "Validation failed: new_id must be another node")
        for table in ("remote_accesses", "hosts", "agents"):
            for row in self.store.tables[table].values():
                if row["node_id"] == record["id"]:
                    row["node_id"] = new_id
        del self.store.nodes[record["id"]]
        return views.node(record)

    # ---- CVE announcements
    def update_cves(self, record, body):
        """PUT custom score: score_custom + CVSS v3 fields (privilege_required accepted, singular as the client sends)."""
        if "score_custom" in body:
            try:
                record["score_custom"] = None if body["score_custom"] in (None, "") else float(body["score_custom"])
            except (TypeError, ValueError) as exc:
                raise ApiError(400, "score_custom is invalid") from exc
        if "privilege_required" in body and "privileges_required" not in body:
            body["privileges_required"] = body["privilege_required"].replace("privilege_", "privileges_")
        custom = dict(record["cvss_custom"] or views.CVSS_V3)
        custom.update({k: body[k] for k in views.CUSTOM_FIELDS if k in body})
        record["cvss_custom"] = custom
        return views.cve_detail(self.store, record)

    # ---- security issues
    def _issue_fields(self, record, body):
        if "level" in body and body["level"] not in LEVELS:
            raise ApiError(400, "'%s' is not a valid level" % body["level"])
        for key in ("sid", "level", "title", "description", "type"):
            if key in body:
                record[key] = body[key]
        if "score" in body:
            record["score"] = body["score"]
        if "servers" in body:
            record["servers"] = [self._require("servers", sid, "Server") for sid in body["servers"] or []]
        if "cve_announcements" in body:
            record["cve_announcements"] = [c for c in body["cve_announcements"] or [] if c in self.store.cves]
        return views.issue_full(record)

    def create_security_issues(self, body):
        """POST security issue (sid and type may be omitted: they stay null, as recorded in 2020)."""
        iid = self.store.new_id("security_issues")
        record = {"id": iid, "type": None, "sid": None, "level": "level_info", "title": None,
                  "description": None, "score": None, "servers": [], "cve_announcements": []}
        rendered = self._issue_fields(record, body)
        self.store.security_issues[iid] = record
        return rendered

    def update_security_issues(self, record, body):
        """PUT security issue."""
        return self._issue_fields(record, body)
