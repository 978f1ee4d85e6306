"""Rendering of Cyberwatch store records into the recorded v3 JSON shapes (reference/cyberwatch_api.md §4)."""

from core.store import iso

CVSS_V2 = {"access_vector": "access_vector_network", "access_complexity": "access_complexity_low",
           "authentication": "authentication_none", "confidentiality_impact": "confidentiality_impact_partial",
           "integrity_impact": "integrity_impact_partial", "availability_impact": "availability_impact_partial"}
CVSS_V3 = {"access_vector": "access_vector_network", "access_complexity": "access_complexity_low",
           "privileges_required": "privileges_required_none", "user_interaction": "user_interaction_none",
           "scope": "scope_unchanged", "confidentiality_impact": "confidentiality_impact_high",
           "integrity_impact": "integrity_impact_high", "availability_impact": "availability_impact_high"}
UPDATE_KEYS = ("id", "ignored", "patchable", "target", "current", "cve_announcements")
CUSTOM_FIELDS = ("access_vector", "access_complexity", "privileges_required", "user_interaction", "scope",
                 "confidentiality_impact", "integrity_impact", "availability_impact")


def group(store, gid):
    """Group: {id, name, description, color}."""
    return dict(store.groups[gid])


def environment(store, eid):
    """Environment object of a server, or None."""
    env = store.environments.get(eid)
    return dict(env) if env else None


def active_cves(server):
    """Codes of the server's CVEs that count: not ignored and not fixed."""
    return [code for code, c in server["cves"].items() if not c["ignored"] and c["fixed_at"] is None]


def server_counts(server):
    """cve_announcements_count, prioritized count, updates_count: always derived from the lists."""
    codes = active_cves(server)
    prioritized = sum(1 for code in codes if server["cves"][code]["prioritized"])
    return len(codes), prioritized, len(server["updates"])


def server_item(store, server):
    """Server as listed (and as returned by PATCH/PUT/DELETE)."""
    count, prioritized, updates = server_counts(server)
    return {
        "id": server["id"], "hostname": server["hostname"], "description": server["description"],
        "last_communication": iso(server["last_communication"]), "reboot_required": server["reboot_required"],
        "addresses": list(server["addresses"]), "updates_count": updates, "boot_at": iso(server["boot_at"]),
        "category": server["category"], "created_at": iso(server["created_at"]), "cve_announcements_count": count,
        "analyzed_at": iso(server["analyzed_at"]), "prioritized_cve_announcements_count": prioritized,
        "status": server["status"], "os": server["os"], "environment": environment(store, server["environment_id"]),
        "groups": [group(store, gid) for gid in server["groups"] if gid in store.groups],
        "compliance_groups": [dict(store.rule_groups[gid]) for gid in server["compliance_groups"]
                              if gid in store.rule_groups],
    }


def server_detail(store, server):
    """Server detail: the list item plus CVEs (ignored ones hidden), updates and security issues."""
    item = server_item(store, server)
    cves = [{"cve_code": code, "ignored": c["ignored"], "comment": c["comment"], "detected_at": iso(c["detected_at"]),
             "fixed_at": iso(c["fixed_at"]), "prioritized": c["prioritized"]}
            for code, c in server["cves"].items() if not c["ignored"]]
    detail = {key: item[key] for key in list(item)[:14]}
    detail["cve_announcements"] = cves
    detail.update({key: item[key] for key in list(item)[14:]})
    detail["updates"] = [update_item(u) for u in server["updates"]]
    detail["security_issues"] = [issue_item(store.security_issues[i]) for i in server["security_issues"]
                                 if i in store.security_issues]
    return detail


def update_item(update):
    """Update of a server detail, in the recorded order (cassette server_ok): {id, ignored, patchable, target,
    current, cve_announcements}; what the simulator keeps beside them (its source) is not shown."""
    return {key: update[key] for key in UPDATE_KEYS if key in update}


def asset_item(store, server):
    """Asset (/api/v3/assets/servers) list item."""
    item = server_item(store, server)
    keys = ("id", "hostname", "description", "last_communication", "reboot_required", "boot_at", "category",
            "created_at", "environment", "os", "groups")
    return {key: item[key] for key in keys}


def asset_detail(store, server):
    """Asset detail: adds packages and applications."""
    item = asset_item(store, server)
    item["packages"] = [dict(p) for p in server["packages"]]
    item["applications"] = []
    return item


def remote_access(record):
    """Remote access: secrets, login and groups are never returned."""
    keys = ("id", "type", "address", "port", "is_valid", "last_error", "server_id", "node_id")
    return {key: record[key] for key in keys}


def host_item(record):
    """Host as listed, shown and created."""
    return {"id": record["id"], "target": record["target"], "category": record["category"],
            "hostname": record["hostname"], "cve_announcements_count": 0, "created_at": iso(record["created_at"]),
            "updated_at": iso(record["updated_at"]), "node_id": record["node_id"], "server_id": record["server_id"],
            "status": "server_update_init", "technologies": [], "security_issues": [], "cve_announcements": [],
            "scans": []}


def host_short(record):
    """Host as returned by update and delete (shorter recorded shape)."""
    keys = ("id", "target", "category", "hostname", "created_at", "updated_at", "node_id", "server_id", "scans")
    item = host_item(record)
    return {key: item[key] for key in keys}


def node(record):
    """Node: {id, name, created_at, updated_at}."""
    return {"id": record["id"], "name": record["name"], "created_at": iso(record["created_at"]),
            "updated_at": iso(record["updated_at"])}


def user(record):
    """User: every stored field."""
    return dict(record)


def agent(record):
    """Agent: {id, server_id, node_id, version, remote_ip, last_communication}."""
    item = dict(record)
    item["last_communication"] = iso(record["last_communication"])
    return item


def issue_item(record):
    """Security issue as listed."""
    keys = ("id", "type", "sid", "level", "title", "description")
    return {key: record[key] for key in keys}


def issue_full(record):
    """Security issue as returned by create, update and delete."""
    item = issue_item(record)
    item["servers"] = list(record["servers"])
    item["cve_announcements"] = list(record["cve_announcements"])
    return item


def cve_item(record):
    """CVE announcement as listed."""
    cvss_v3 = dict(CVSS_V3) if record["score_v3"] is not None else None
    return {
        "content": record["content"], "cve_code": record["cve_code"], "last_modified": iso(record["last_modified"]),
        "level": record["level"], "published": iso(record["published"]), "score": record["score"],
        "score_v2": record["score_v2"], "score_v3": record["score_v3"], "score_custom": record["score_custom"],
        "exploit_code_maturity": record["exploit_code_maturity"], "note_custom": record["note_custom"],
        "exploitable": record["exploitable"], "technologies": [dict(t) for t in record["technologies"]],
        "cvss": dict(CVSS_V2), "cvss_v3": cvss_v3, "cvss_custom": record["cvss_custom"], "cwe": dict(record["cwe"]),
    }


def cve_detail(store, record):
    """CVE detail: adds servers (those that have it, not ignored), scannable and security announcements."""
    item = cve_item(record)
    code = record["cve_code"]
    servers = []
    for sid in sorted(store.cve_servers.get(code, ())):
        server = store.servers[sid]
        link = server["cves"][code]
        if not link["ignored"]:
            servers.append({"id": sid, "hostname": server["hostname"], "detected_at": iso(link["detected_at"]),
                            "fixed_at": iso(link["fixed_at"]), "prioritized": link["prioritized"]})
    detail = {key: item[key] for key in list(item)[:12]}
    detail["servers"] = servers
    detail["scannable"] = record["scannable"]
    detail.update({key: item[key] for key in list(item)[12:]})
    detail["security_announcements"] = []
    return detail


def docker_image(record):
    """Docker image: {id, image_name, image_tag, docker_registry_id, docker_engine_id, node_id, server_id}."""
    return dict(record)


def applicative_scan(record):
    """Applicative (web) scan: {id, node_id, target, server_id}."""
    return dict(record)
