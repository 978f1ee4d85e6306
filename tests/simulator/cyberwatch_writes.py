"""Create, update and delete handlers of the simulated Cyberwatch API (callers hold the store lock)."""

import ipaddress
import re
from urllib.parse import urlsplit

import compliance
import cyberwatch_actions
import cyberwatch_assets_more
import cyberwatch_views as views
from compliance_catalogue import CUSTOM, LEVELS as RULE_LEVELS, WITH_SCRIPT, copy_rule
from core.web import ApiError, as_int, json_body, truthy

RA_PORTS = {"CbwRam::RemoteAccess::Ssh::WithPassword": 22, "CbwRam::RemoteAccess::Ssh::WithKey": 22,
            "CbwRam::RemoteAccess::WinRm::WithNegotiate": 5985, "CbwRam::RemoteAccess::Snmp": 161}
RA_SECRETS = ("login", "password", "key", "auth_password", "priv_password")
LEVELS = ("level_info", "level_low", "level_medium", "level_high", "level_critical")
CATEGORIES = ("server", "desktop", "hypervisor", "network_device", "docker_image", "network_target_or_website")
HOST_CATEGORIES = ("linux", "windows", "other", "unknown", "network_device")
UNREACHABLE = ipaddress.ip_network("203.0.113.0/24")
HOSTNAME = re.compile(r"^(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*\.?$", re.I)
WEB_TARGET_ERROR = "Target must be an IP, an HTTP URL or a successfully resolved domain name"


def web_target(target):
    """Whether an applicative scan target is valid: an IP, an http(s) URL or a domain name (syntax only: nothing is
    resolved)."""
    target = str(target).strip()
    try:
        ipaddress.ip_address(target)
        return True
    except ValueError:
        pass
    if target.lower().startswith(("http://", "https://")):
        host = urlsplit(target).hostname or ""
        return bool(host) and (HOSTNAME.match(host) is not None or web_target(host))
    return HOSTNAME.match(target) is not None


def deploy_outcome(address):
    """The deterministic test_deploy rule: (is_valid, last_error)."""
    unreachable = str(address).lower().startswith("unreachable")
    try:
        unreachable = unreachable or ipaddress.ip_address(address) in UNREACHABLE
    except ValueError:
        pass
    return (False, "Net::SSH::ConnectionTimeout") if unreachable else (True, None)


class Writes(cyberwatch_assets_more.MoreWrites):
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

    def _rule_group_ids(self, value):
        """Compliance groups (rule groups): a list of ids or {"id"} objects replacing the set; [null], [] and null
        clear; an unknown id -> 404; a comma-separated names string is accepted too."""
        if value is None:
            return []
        if isinstance(value, str):  # names, v2 style, unknown ones ignored (as for groups)
            by_name = {g["name"]: gid for gid, g in self.store.rule_groups.items()}
            return [by_name[name.strip()] for name in value.split(",") if name.strip() in by_name]
        if not isinstance(value, list):
            raise ApiError(400, "rule_groups is invalid")
        ids = [item.get("id") if isinstance(item, dict) else item for item in value]
        return [self._require("rule_groups", gid, "Group") for gid in ids if gid not in (None, "")]

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
            record["note_custom"] = None
            return views.cve_detail(store, record)
        if kind == "nodes":
            return self.delete_node(record, json_body(request))
        if kind == "compliance_rules":
            rendered = compliance.rule_deleted(store, record)
            del store.compliance_rules[record["id"]]
            return rendered
        renderers = {"remote_accesses": views.remote_access, "groups": dict, "hosts": views.host_short,
                     "agents": views.agent, "security_issues": views.issue_full, "docker_images": views.docker_image,
                     "applicative_scans": views.applicative_scan, "discoveries": cyberwatch_actions.discovery,
                     "stored_credentials": cyberwatch_assets_more.stored_credential}
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
            wanted = self._rule_group_ids(body["compliance_groups"])
            if wanted != server["compliance_groups"]:  # the rules to check change: a recheck starts
                compliance.schedule(server, "compliance_verified_at", "compliance_recheck_due", self.store.now(),
                                    self.delay)
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
        """DELETE node with {"new_id"}: its remote accesses, hosts, agents, docker images and applicative scans move
        to new_id."""
        if body.get("new_id") in (None, ""):
            raise ApiError(400, "new_id is missing")
        new_id = self._require("nodes", body["new_id"], "Node")
        if new_id == record["id"]:
            raise ApiError(422, "Validation failed: new_id must be another node")
        for table in ("remote_accesses", "hosts", "agents", "docker_images", "applicative_scans"):
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
        self.cve_note(record, body)
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

    # ---- compliance
    def update_compliance_servers(self, server, body):
        """PUT compliance server (cbw-api-toolbox update_compliance_server; not recorded): as a server update."""
        self.update_servers(server, body)
        return compliance.Compliance(self.store).server_detail(server)

    def recheck(self, kind, record):
        """PUT compliance/servers/{id}/recheck_rules or compliance/rules/{id}/recheck_servers: the results are
        gen_analyzing until the recheck completes, after the test_deploy delay."""
        now = self.store.now()
        view = compliance.Compliance(self.store)
        if kind == "compliance_servers":
            compliance.schedule(record, "compliance_verified_at", "compliance_recheck_due", now, self.delay)
            return view.server_detail(record)
        rule = self._own_rule(record)
        compliance.schedule(rule, "verified_at", "recheck_due", now, self.delay)
        return view.rule_detail(rule)

    def _own_rule(self, rule):
        """The rule as a record of its own (the seeded catalogue's records are shared: copy on write)."""
        rule = copy_rule(rule)
        self.store.compliance_rules[rule["id"]] = rule
        return rule

    def _rule_code(self, code, own_id):
        if code is None or not str(code).strip():
            return "Code can't be blank"
        if any(rule["code"] == code and rid != own_id for rid, rule in self.store.compliance_rules.items()):
            return "Code has already been taken"
        return None

    @staticmethod
    def _rule_checks(value):
        """checks: a list of {order, content, success, failure} (order defaults to the position)."""
        if not isinstance(value, list) or not all(isinstance(check, dict) for check in value):
            raise ApiError(400, "checks is invalid")
        return [{"type": check.get("type") or WITH_SCRIPT, "order": as_int(check.get("order"), num),
                 "content": check.get("content"), "success": check.get("success"), "failure": check.get("failure")}
                for num, check in enumerate(value, start=1)]

    @staticmethod
    def _rule_os(value):
        """os: a list of OS keys (or {"key"} objects, as rendered), or a comma-separated string."""
        if isinstance(value, str):
            value = value.split(",")
        if not isinstance(value, list):
            raise ApiError(400, "os is invalid")
        keys = [item.get("key") if isinstance(item, dict) else item for item in value]
        return [str(key).strip() for key in keys if key not in (None, "") and str(key).strip()]

    def _rule_fields(self, rule, body):
        """Apply a create/update body to a rule record; True when what is checked changed (a recheck starts)."""
        if "level" in body and body["level"] not in RULE_LEVELS:
            raise ApiError(400, "'%s' is not a valid level" % body["level"])
        checked = {"checks": self._rule_checks, "os": self._rule_os, "rule_groups": self._rule_group_ids}
        changed = False
        for key, parse in checked.items():
            if key in body:
                value = parse(body[key])
                changed = changed or value != rule[key]
                rule[key] = value
        if "equation" in body:
            changed = changed or body["equation"] != rule["equation"]
            rule["equation"] = body["equation"]
        for key in ("audit", "code", "description", "name", "rationale", "remediation", "level", "require_sudo",
                    "reference"):
            if key in body:
                rule[key] = body[key]
        return changed

    def create_compliance_rules(self, body):
        """POST compliance rule: a custom rule (level minimal, no group unless rule_groups is given). Validated (code
        and name required, code unique; not recorded) before an id is taken."""
        now = self.store.now()
        rule = {"id": None, "audit": None, "code": None, "description": None, "name": None, "rationale": None,
                "remediation": None, "level": "minimal", "require_sudo": None, "type": CUSTOM, "created_at": now,
                "updated_at": now, "published_at": None, "last_modified_at": None, "reference": None,
                "equation": None, "os": [], "rule_groups": [], "checks": [], "revision": 0, "recheck_due": None,
                "verified_at": None}
        self._rule_fields(rule, body)
        errors = [self._rule_code(rule["code"], None),
                  "Name can't be blank" if not str(rule["name"] or "").strip() else None]
        if any(errors):
            raise ApiError(422, "Validation failed: " + ", ".join(error for error in errors if error))
        rule["id"] = self.store.new_id("compliance_rules")
        rule["recheck_due"] = now + self.delay
        self.store.compliance_rules[rule["id"]] = rule
        return compliance.rule_item(self.store, rule)

    def update_compliance_rules(self, record, body):
        """PUT compliance rule: any subset of the fields; answered without servers (as recorded)."""
        rule = copy_rule(record)
        changed = self._rule_fields(rule, body)
        error = self._rule_code(rule["code"], rule["id"]) if "code" in body else None
        if not str(rule["name"] or "").strip():
            error = "Name can't be blank"
        if error:
            raise ApiError(422, "Validation failed: " + error)
        now = self.store.now()
        rule["updated_at"] = now
        if changed:
            rule["revision"] += 1
            compliance.schedule(rule, "verified_at", "recheck_due", now, self.delay)
        self.store.compliance_rules[rule["id"]] = rule
        return compliance.rule_item(self.store, rule)

    # ---- docker images and applicative scans
    def _image_fields(self, record, body):
        for key in ("image_name", "image_tag"):
            if key in body:
                record[key] = body[key]
        for key in ("docker_registry_id", "docker_engine_id"):
            if key in body:
                record[key] = as_int(body[key])
        record["node_id"] = self._node_id(body, record["node_id"])
        if not str(record["image_name"] or "").strip():
            raise ApiError(422, "Validation failed: Image name can't be blank")
        return record

    def create_docker_images(self, body):
        """POST docker image: image_name required (not recorded), image_tag defaults to latest; no server yet."""
        record = self._image_fields({"id": None, "image_name": None, "image_tag": "latest", "docker_registry_id": None,
                                     "docker_engine_id": None, "node_id": 1, "server_id": None}, body)
        record["id"] = self.store.new_id("docker_images")
        self.store.docker_images[record["id"]] = record
        return views.docker_image(record)

    def update_docker_images(self, record, body):
        """PATCH docker image."""
        updated = self._image_fields(dict(record), body)
        record.update(updated)
        return views.docker_image(record)

    def _web_target(self, body, default):
        target = body.get("target", default)
        if not str(target or "").strip():
            raise ApiError(422, "Validation failed: Target can't be blank")
        if not web_target(target):
            raise ApiError(422, "Validation failed: " + WEB_TARGET_ERROR)
        return target

    def create_applicative_scans(self, body):
        """POST applicative scan: target validated as recorded; the website asset is not created (server_id null)."""
        target = self._web_target(body, None)
        node_id = self._node_id(body, 1)
        sid = self.store.new_id("applicative_scans")
        record = {"id": sid, "node_id": node_id, "target": target, "server_id": None}
        self.store.applicative_scans[sid] = record
        return views.applicative_scan(record)

    def update_applicative_scans(self, record, body):
        """PATCH applicative scan: target and node."""
        target = self._web_target(body, record["target"])
        record["node_id"] = self._node_id(body, record["node_id"])
        record["target"] = target
        return views.applicative_scan(record)
