"""Cyberwatch compliance: which rules apply to which server, the results, and the recorded v3 JSON shapes.

A rule applies to a server when the server's OS key is in the rule's OS list and the rule is in one of the server's
compliance groups (rule groups). Results are derived, never stored: a (server, rule) result is "gen_analyzing" while
a recheck of the server or of the rule is due, else "failed" or "succeed", a function of (seed, server id, rule id,
rule revision) only, verified at the latest completed recheck of either (the seeded servers: their analyzed_at).
A recheck (recheck_rules, recheck_servers, a change of a rule's checks/equation/OS/groups or of a server's compliance
groups) completes --test-deploy-delay seconds after the request, evaluated lazily from the timestamps.

Recorded: the rule and compliance server shapes (cassettes), the rule groups' ids and color. Invented: the results
and their rule, the detail's `rules` items of a compliance server (only [] was recorded), the status
cbw_compliance_server_compliant. The routes are compliance_servers.py and compliance_rules.py.
"""

import zlib

from core.store import iso
from core.web import ApiError
from cyberwatch import environments, groups
from cyberwatch.common import find
from cyberwatch.compliance_catalogue import WITH_SCRIPT

PENDING = "gen_analyzing"
FAILED_PERCENT = 30
RULE_KEYS = ("id", "audit", "code", "description", "name", "rationale", "remediation", "level", "require_sudo", "type",
             "created_at", "updated_at", "published_at", "last_modified_at", "reference", "equation")
SERVER_KEYS = ("id", "hostname", "description", "last_communication", "reboot_required", "boot_at", "category",
               "created_at")


def verified(record, verified_key, due_key, now):
    """(time of the latest completed verification or None, True while a recheck is due) of a server or a rule."""
    last, due = record.get(verified_key), record.get(due_key)
    if due is not None and due <= now:
        last = max(last or 0, due)
    return last, due is not None and due > now


def server_verified(server, now):
    """A server's verification state (a seeded or added server without the fields: its analyzed_at)."""
    if "compliance_verified_at" not in server:
        return server.get("analyzed_at"), False
    return verified(server, "compliance_verified_at", "compliance_recheck_due", now)


def schedule(record, verified_key, due_key, now, delay):
    """Start a recheck of a server or a rule (a completed earlier one is kept as the last verification)."""
    record[verified_key], _pending = verified(record, verified_key, due_key, now)
    record[due_key] = now + delay


class Compliance:
    """The compliance state seen by one request (callers hold the store lock)."""

    def __init__(self, store):
        self.store = store
        self.now = store.now()
        self._index = None

    def _rules_index(self):
        """(rule group id, OS key) -> rule ids, built once per request."""
        if self._index is None:
            index = {}
            for rid, rule in self.store.compliance_rules.items():
                for gid in rule["rule_groups"]:
                    for key in rule["os"]:
                        index.setdefault((gid, key), []).append(rid)
            self._index = index
        return self._index

    @staticmethod
    def applies(rule, server):
        """Whether the rule is checked on the server."""
        key = (server.get("os") or {}).get("key")
        return key in rule["os"] and any(gid in rule["rule_groups"] for gid in server.get("compliance_groups", ()))

    def rule_ids(self, server):
        """Ids of the rules checked on the server, in id order."""
        index = self._rules_index()
        key = (server.get("os") or {}).get("key")
        found = set()
        for gid in server.get("compliance_groups", ()):
            found.update(index.get((gid, key), ()))
        return sorted(found)

    def result(self, server, rule):
        """(status, last verification timestamp or None) of a rule on a server."""
        server_last, server_due = server_verified(server, self.now)
        rule_last, rule_due = verified(rule, "verified_at", "recheck_due", self.now)
        last = max(server_last or 0, rule_last or 0) or None
        if server_due or rule_due or server_last is None:
            return PENDING, last
        draw = zlib.crc32(("%s:%s:%s:%s" % (self.store.seed, server["id"], rule["id"], rule["revision"])).encode())
        return ("failed" if draw % 100 < FAILED_PERCENT else "succeed"), last

    def server_item(self, server):
        """Compliance server as listed: counts and status derived from the results."""
        results = [self.result(server, self.store.compliance_rules[rid]) for rid in self.rule_ids(server)]
        statuses = [status for status, _last in results]
        item = {key: server[key] for key in SERVER_KEYS}
        for key in ("last_communication", "boot_at", "created_at"):
            item[key] = iso(item[key])
        item.update({"compliance_rules_count": len(statuses),
                     "compliance_rules_failed_count": statuses.count("failed"),
                     "compliance_rules_succeed_count": statuses.count("succeed"), "status": server_status(statuses),
                     "os": server["os"], "environment": environments.render(self.store, server["environment_id"]),
                     "groups": [groups.render(self.store, gid) for gid in server["groups"] if gid in self.store.groups],
                     "compliance_groups": rule_groups(self.store, server["compliance_groups"])})
        return item

    def server_detail(self, server):
        """Compliance server detail: the list item plus its rules (after status, as recorded)."""
        item = self.server_item(server)
        rules = []
        for rid in self.rule_ids(server):
            rule = self.store.compliance_rules[rid]
            status, last = self.result(server, rule)
            rules.append({"id": rid, "code": rule["code"], "name": rule["name"], "level": rule["level"],
                          "status": status, "last_verification": iso(last)})
        keys = list(item)
        detail = {key: item[key] for key in keys[:keys.index("status") + 1]}
        detail["rules"] = rules
        detail.update({key: item[key] for key in keys[keys.index("status") + 1:]})
        return detail

    def rule_detail(self, rule):
        """Rule detail: the list item plus the servers it is checked on (after os, as recorded)."""
        item = rule_item(self.store, rule)
        servers = []
        for sid, server in self.store.servers.items():
            if self.applies(rule, server):
                status, last = self.result(server, rule)
                servers.append({"id": sid, "hostname": server["hostname"], "status": status,
                                "last_verification": iso(last)})
        keys = list(item)
        detail = {key: item[key] for key in keys[:keys.index("os") + 1]}
        detail["servers"] = servers
        detail.update({key: item[key] for key in keys[keys.index("os") + 1:]})
        return detail


def server_status(statuses):
    """gen_idle without rules, gen_analyzing while a recheck is due, else not compliant if a rule failed."""
    if not statuses:
        return "gen_idle"
    if PENDING in statuses:
        return PENDING
    return "cbw_compliance_server_not_compliant" if "failed" in statuses else "cbw_compliance_server_compliant"


def rule_groups(store, ids):
    """Rule group objects {id, name, description, color} of a list of ids (unknown ids skipped)."""
    return [dict(store.rule_groups[gid]) for gid in ids if gid in store.rule_groups]


def rule_group_ids(store, value):
    """Compliance groups (rule groups) from a body: a list of ids or {"id"} objects replacing the set; [null], [] and
    null clear; an unknown id -> 404; a comma-separated names string is accepted too (unknown names ignored)."""
    if value is None:
        return []
    if isinstance(value, str):  # names, v2 style, unknown ones ignored (as for groups)
        by_name = {g["name"]: gid for gid, g in store.rule_groups.items()}
        return [by_name[name.strip()] for name in value.split(",") if name.strip() in by_name]
    if not isinstance(value, list):
        raise ApiError(400, "rule_groups is invalid")
    ids = [item.get("id") if isinstance(item, dict) else item for item in value]
    return [find(store, "rule_groups", gid, "Group")["id"] for gid in ids if gid not in (None, "")]


def rule_item(store, rule):
    """Rule as listed, created and updated (no servers)."""
    item = {key: rule[key] for key in RULE_KEYS}
    for key in ("created_at", "updated_at", "published_at", "last_modified_at"):
        item[key] = iso(item[key])
    item["os"] = [{"key": key} for key in rule["os"]]
    item["rule_groups"] = rule_groups(store, rule["rule_groups"])
    item["checks"] = [{"type": check.get("type") or WITH_SCRIPT, "order": check["order"], "content": check["content"],
                       "success": check["success"], "failure": check["failure"]} for check in rule["checks"]]
    return item


def rule_deleted(store, rule):
    """Rule as answered by DELETE: its OS list, groups and checks are already gone (as recorded)."""
    item = rule_item(store, rule)
    item.update({"os": [], "rule_groups": [], "checks": []})
    return item
