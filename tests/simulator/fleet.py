"""Seeded generator of a self-consistent Cyberwatch fleet and CyStack account (deterministic from the seed)."""

import random
import uuid

import compliance_catalogue
import cyberwatch_actions
import cyberwatch_assets_more
from core.hostile import SAFE_MARKERS, Payloads
from core.store import Store

BASE_TS = 1704103200  # 2024-01-01T10:00:00Z: every seeded timestamp is an offset from here
DAY = 86400
LEVELS = ("level_critical", "level_high", "level_medium", "level_low")
MATURITY = ("unproven", "proof_of_concept", "functional", "high", "not_defined")
GROUPS = (("prod", "Production servers"), ("staging", ""), ("dev", "Development"), ("dmz", "Exposed hosts"),
          ("databases", ""), ("web", ""), ("windows", "Windows fleet"), ("linux", ""))
ENVIRONMENTS = ("Low", "Medium", "High")
TECHNOLOGIES = (("openbsd", "openssh"), ("apache", "http_server"), ("nginx", "nginx"), ("openssl", "openssl"),
                ("linux", "linux_kernel"), ("microsoft", "windows_server_2019"), ("microsoft", "server_message_block"),
                ("postgresql", "postgresql"), ("mysql", "mysql"), ("mozilla", "firefox"), ("busybox", "busybox"),
                ("sylius", "sylius"), ("samba", "samba"), ("gnu", "glibc"))
# CVE codes seen in the recordings, so the catalogue can answer the recorded requests.
RECORDED_CVES = ("CVE-2017-0146", "CVE-2019-16768", "CVE-2020-28928", "CVE-2020-16044", "CVE-2020-15673",
                 "CVE-2012-1182", "CVE-2014-9645")
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
CATEGORIES = ("server", "server", "server", "server", "desktop", "hypervisor", "network_device")
ENV_NAMES = ("prod", "staging", "dev", "dmz")
# Compliance groups (rule groups) of a server by id % 4: none, CIS level 1, Security Best Practices, all CIS + SBP.
COMPLIANCE_GROUPS = ((), (2,), (4,), (1, 4))
PROFILES = {1: "Quick Scan", 2: "Web Application", 3: "SQL Injection", 4: "XSS", 5: "Full Audit"}
WEB_FINDINGS = (
    ("Click-Jacking vulnerability", "click_jacking", "Medium"), ("SQL injection", "sqli", "High"),
    ("Cross site scripting vulnerability", "xss", "High"), ("Strange HTTP response code", "strange_http_codes", "Low"),
    ("Server header", "server_header", "Information"), ("Missing HSTS header", "strict_transport_security", "Low"),
    ("Directory listing", "dir_file_bruter", "Medium"), ("Cookie without HttpOnly", "http_only", "Low"),
    ("Allowed HTTP methods", "allowed_methods", "Information"), ("Blind SQL injection", "blind_sqli", "High"),
)


def _uuid(rng):
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def _cve_catalogue(rng, size):
    cves = {}
    codes = list(RECORDED_CVES)
    while len(codes) < size:
        code = "CVE-%d-%d" % (rng.randint(2014, 2024), rng.randint(1000, 49999))
        if code not in codes:
            codes.append(code)
    for code in codes:
        score = round(rng.uniform(2.0, 10.0), 1)
        level = LEVELS[0] if score >= 9 else LEVELS[1] if score >= 7 else LEVELS[2] if score >= 4 else LEVELS[3]
        vendor, product = rng.choice(TECHNOLOGIES)
        published = BASE_TS - rng.randint(30, 3000) * DAY
        cves[code] = {
            "cve_code": code, "content": "Generated description of %s in %s %s." % (code, vendor, product),
            "last_modified": published + 20 * DAY, "level": level, "published": published, "score": score,
            "score_v2": round(max(score - 0.5, 0.0), 1), "score_v3": score if rng.random() < 0.85 else None,
            "score_custom": None, "exploit_code_maturity": rng.choice(MATURITY), "note_custom": None,
            "exploitable": rng.random() < 0.3, "technologies": [{"vendor": vendor, "product": product}],
            "cvss_custom": None, "cwe": {"cwe_id": "CWE-%d" % rng.choice((20, 79, 89, 119, 200, 209, 287, 416))},
            "scannable": rng.random() < 0.5,
        }
    return cves


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
        vendor, product = rng.choice(TECHNOLOGIES)
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
        "boot_at": last_com - rng.randint(1, 60) * DAY, "category": "server" if windows else rng.choice(CATEGORIES),
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


def _servers(rng, store, count):
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


def _cyberwatch(rng, store, servers):
    for gid, (name, description) in enumerate(GROUPS, start=1):
        store.groups[gid] = {"id": gid, "name": name, "description": description, "color": "#12afcb"}
    for eid, name in enumerate(ENVIRONMENTS, start=1):
        req = name.lower()
        store.environments[eid] = {
            "id": eid, "name": name, "confidentiality_requirement": "confidentiality_requirement_" + req,
            "integrity_requirement": "integrity_requirement_" + req, "availability_requirement": "availability_requirement_" + req}
    for nid, name in enumerate(("master", "scanner-dmz", "scanner-eu"), start=1):
        store.nodes[nid] = {"id": nid, "name": name, "created_at": BASE_TS - 400 * DAY + nid, "updated_at": BASE_TS - DAY}
    users = (("admin@example.com", "local_password", "Admin", "Alice"), ("bob", "ldap", "Martin", "Bob"),
             ("carol@example.com", "local_password", "Durand", "Carol"), ("dave", "ldap", "Smith", "Dave"))
    for uid, (login, provider, name, first) in enumerate(users, start=1):
        email = login if "@" in login else login + "@corp.example.com"
        store.users[uid] = {"id": uid, "login": login, "email": email, "name": name, "firstname": first, "locale": "en",
                            "auth_provider": provider, "description": "", "server_groups": []}
    store.cves.update(_cve_catalogue(rng, max(60, min(servers // 4, 600))))
    store.tables["rule_groups"] = compliance_catalogue.rule_groups()
    store.tables["compliance_rules"] = compliance_catalogue.rules()
    _servers(rng, store, servers)
    ra_rows = (("CbwRam::RemoteAccess::Ssh::WithPassword", "10.0.2.14", 22, False, "Net::SSH::ConnectionTimeout"),
               ("CbwRam::RemoteAccess::Snmp", "10.10.1.207", 161, True, None),
               ("CbwRam::RemoteAccess::Ssh::WithKey", "10.10.1.103", 22, True, None),
               ("CbwRam::RemoteAccess::WinRm::WithNegotiate", "10.0.0.30", 5985, None, None))
    for rid, (kind, address, port, valid, error) in enumerate(ra_rows, start=1):
        sid = rid + 1 if rid + 1 <= servers and valid else None
        store.remote_accesses[rid] = {"id": rid, "type": kind, "address": address, "port": port, "is_valid": valid,
                                      "last_error": error, "server_id": sid, "node_id": 1, "groups": [1],
                                      "secrets": {}, "test_due": None}
    for hid, target in enumerate(("10.10.1.186", "172.18.0.13", "5.5.5.5", "scanme.example.org"), start=1):
        store.hosts[hid] = {"id": hid, "target": target, "category": ("linux", "other", "unknown", "unknown")[hid - 1],
                            "hostname": None, "created_at": BASE_TS - 50 * DAY, "updated_at": BASE_TS - 5 * DAY,
                            "node_id": 1, "server_id": hid if hid <= min(servers, 2) else None}
    for aid, sid in enumerate(range(1, servers + 1, 2), start=1):
        if aid > 200:
            break
        server = store.servers[sid]
        store.agents[aid] = {"id": aid, "server_id": sid, "node_id": 1, "version": "5.%d" % (aid % 3),
                             "remote_ip": server["addresses"][0], "last_communication": server["last_communication"]}
    images = (("library/alpine", "latest"), ("library/nginx", "1.25"), ("library/mysql", "latest"))
    for did, (name, tag) in enumerate(images, start=1):
        store.docker_images[did] = {"id": did, "image_name": name, "image_tag": tag, "docker_registry_id": 1,
                                    "docker_engine_id": 4, "node_id": 1, "server_id": None}
    for aid, target in enumerate(("www.example.com", "https://shop.example.com"), start=1):
        store.applicative_scans[aid] = {"id": aid, "node_id": 1, "target": target, "server_id": None}
    cyberwatch_assets_more.seed(store, OSES + (WINDOWS_OS,), BASE_TS - 30 * DAY)
    cyberwatch_actions.seed(store, BASE_TS)
    for iid, (sid_text, level) in enumerate((("weak-tls", "level_medium"), ("default-creds", "level_high"),
                                             ("info-banner", "level_info")), start=1):
        store.security_issues[iid] = {"id": iid, "type": "SecurityIssues::Custom", "sid": sid_text, "level": level,
                                      "title": sid_text.replace("-", " ").title(), "description": "Seeded issue " + sid_text,
                                      "score": None, "servers": [], "cve_announcements": []}


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


def extra_target(store, rng):
    """A new CyStack target shaped like the seeded ones (new UUID, unique address), not yet in the store."""
    tid = _uuid(rng)
    while tid in store.targets:
        tid = _uuid(rng)
    taken = {target["address"] for target in store.targets.values()}
    num = len(store.targets)
    address = None
    while address is None or address in taken:
        address = "https://%s-%02d.example.com" % (rng.choice(("app", "shop", "api", "portal")), num)
        num += 1
    return {"id": tid, "address": address, "verification": 0 if rng.random() < 0.75 else 1,
            "ip": "203.0.113.%d" % rng.randint(10, 250), "os": rng.choice(("Unknown", "Linux")),
            "monitoring": {"interval": 5, "is_activated": False, "notifications": []}, "created_at": int(store.now())}


def extra_scan(store, rng, target_id):
    """A new Queued scan of target_id, started now (newest first: it heads the default listing), not yet stored."""
    scan_id = _uuid(rng)
    while scan_id in store.scans:
        scan_id = _uuid(rng)
    start = max([int(store.now())] + [s["start_time"] + 1 for s in store.scans.values()])
    return {"id": scan_id, "target_id": target_id, "profile": rng.choice(sorted(PROFILES)), "description": None,
            "notification": [], "status": "Queued", "start_time": start, "stop_time": None,
            "created_mono": store.now(), "finished": False}


def scan_findings(seed, scan_id, target_address, count=None):
    """Deterministic vulnerabilities of a finished scan: a function of (seed, scan id) only."""
    rng = random.Random("scan-%s-%s" % (seed, scan_id))
    count = rng.randint(1, 5) if count is None else count
    found = []
    for name, plugin, severity in rng.sample(WEB_FINDINGS, count):
        found.append({"id": _uuid(rng), "name": name, "plugin_name": plugin, "severity": severity,
                      "false_positive": False, "scan_id": scan_id, "target": target_address,
                      "var": rng.choice(("", "id", "q")), "urls": ["None"] if rng.random() < 0.5 else [target_address + "/"],
                      "traffic": "%024x" % rng.getrandbits(96)})
    return found


def _cystack(rng, store, seed, targets):
    for num in range(targets):
        tid = "599fc347-3e46-4163-8a1d-444bd1928a85" if num == 0 else _uuid(rng)
        address = "https://cystack.net" if num == 0 else "https://%s-%02d.example.com" % (rng.choice(("app", "shop", "api", "portal")), num)
        store.targets[tid] = {"id": tid, "address": address, "verification": 0 if num % 4 != 3 else 1,
                              "ip": "203.0.113.%d" % (num + 10), "os": "Unknown" if num % 3 else "Linux",
                              "monitoring": {"interval": 5, "is_activated": num % 2 == 0, "notifications": [20]},
                              "created_at": BASE_TS - (targets - num) * DAY}
    for num, tid in enumerate(list(store.targets)[: max(1, targets * 2 // 3)]):
        scan_id = _uuid(rng)
        start = BASE_TS - (30 - num) * DAY
        store.scans[scan_id] = {"id": scan_id, "target_id": tid, "profile": 5 if num % 2 == 0 else 1,
                                "description": None, "notification": [29], "status": "Stopped", "start_time": start,
                                "stop_time": start + 1000, "created_mono": None, "finished": True}
        for vuln in scan_findings(seed, scan_id, store.targets[tid]["address"]):
            store.vulnerabilities[vuln["id"]] = vuln
    if store.targets:  # one scan still in progress, so the lifecycle is visible right after start
        scan_id = _uuid(rng)
        store.scans[scan_id] = {"id": scan_id, "target_id": list(store.targets)[-1], "profile": 5, "description": None,
                                "notification": [], "status": "Queued", "start_time": int(store.now()),
                                "stop_time": None, "created_mono": store.now(), "finished": False}


def _make_hostile(store, markers):
    """Replace every free-text string of the store with a payload, deterministically: record i of a table gets kind
    (i + field offset) % len(HOSTILE_KINDS), so each field holds every kind over len(HOSTILE_KINDS) records.
    Ids, levels, statuses, types, timestamps and CVE codes stay valid."""
    payloads = Payloads(markers)
    payload = payloads.payload

    def replace(table, fields):
        payloads.replace(store, table, fields)

    replace("groups", ("name", "description"))
    replace("environments", ("name",))
    replace("nodes", ("name",))
    replace("users", ("login", "email", "name", "firstname", "description"))
    replace("remote_accesses", ("address", "last_error"))
    replace("hosts", ("target", "hostname"))
    replace("agents", ("remote_ip",))
    replace("docker_images", ("image_name", "image_tag"))
    replace("applicative_scans", ("target",))
    replace("discoveries", ("name", "target"))
    replace("stored_credentials", ("name", "user"))
    replace("security_issues", ("title", "description"))
    replace("os", ("key", "name", "short_name", "arch"))
    for index, cve in enumerate(store.cves.values()):
        cve["content"] = payload("cve", index, "content")
        for tech in cve["technologies"]:
            tech["vendor"], tech["product"] = payload("cve", index, "vendor"), payload("cve", index, "product")
    for index, server in enumerate(store.servers.values()):
        server["hostname"] = payload("server", index, "hostname")
        server["description"] = payload("server", index, "description")
        server["addresses"] = [payload("server", index, "address%d" % num) for num in range(len(server["addresses"]))]
        for field in ("key", "name", "short_name", "arch"):
            server["os"][field] = payload("server", index, "os_" + field)
        for state in server["cves"].values():
            if state["comment"] is not None:
                state["comment"] = payload("server", index, "comment")
        for update in server["updates"]:
            for side in ("current", "target"):
                update[side]["product"] = payload("server", index, "product")
                update[side]["version"] = payload("server", index, "version")
        for package in server["packages"]:
            package["product"], package["version"] = payload("server", index, "product"), payload("server", index, "version")
    for index, target in enumerate(store.targets.values()):
        address = payload("target", index, "address")
        target["address"] = address if index % 2 else "https://" + address
        target["ip"], target["os"] = payload("target", index, "ip"), payload("target", index, "os")
    for index, scan in enumerate(store.scans.values()):
        scan["description"] = payload("scan", index, "description")
    for index, vuln in enumerate(store.vulnerabilities.values()):
        vuln["name"] = payload("vulnerability", index, "name")
        vuln["plugin_name"] = payload("vulnerability", index, "plugin_name")
        vuln["var"] = payload("vulnerability", index, "var")
        vuln["target"] = store.targets[store.scans[vuln["scan_id"]]["target_id"]]["address"]
        vuln["urls"] = [payload("vulnerability", index, "url")]


def generate(seed=1, servers=20, targets=12, hostile=None):
    """Build a fresh Store. hostile: a marker directory (see HOSTILE_KINDS) for the hostile fleet, None for a
    plain one."""
    store = Store(seed)
    rng = random.Random(seed)
    _cyberwatch(rng, store, servers)
    _cystack(random.Random("cystack-%s" % seed), store, seed, targets)
    if hostile is not None:
        if not SAFE_MARKERS.match(hostile):
            raise ValueError("hostile marker directory %r: an absolute path of [A-Za-z0-9_./-] only" % hostile)
        _make_hostile(store, hostile)
    store.reindex()
    return store
