"""CVE announcements: /api/v3/vulnerabilities/cve_announcements (legacy /api/v3/cve_announcements), keyed by code.

Recorded: the list and detail shapes, PUT of score_custom and the CVSS v3 custom fields (the toolbox sends
`privilege_required`, stored as `privileges_required`), DELETE resetting them, 404 `Couldn't find CveAnnouncement`.
Invented: the catalogue beyond the recorded codes, the detail's `servers` items (only [] was recorded), `note_custom`
on PUT (not in the toolbox's body; "" clears it) and its reset on DELETE, and POST /_sim/cyberwatch/servers/<id>/cves.
"""

from core.store import BASE_TS, DAY, iso
from core.web import ApiError, json_body, json_response, truthy
from cyberwatch.common import listing, matching

BASE_LEVELS = ("level_critical", "level_high", "level_medium", "level_low")
MATURITY = ("unproven", "proof_of_concept", "functional", "high", "not_defined")
TECHNOLOGIES = (("openbsd", "openssh"), ("apache", "http_server"), ("nginx", "nginx"), ("openssl", "openssl"),
                ("linux", "linux_kernel"), ("microsoft", "windows_server_2019"), ("microsoft", "server_message_block"),
                ("postgresql", "postgresql"), ("mysql", "mysql"), ("mozilla", "firefox"), ("busybox", "busybox"),
                ("sylius", "sylius"), ("samba", "samba"), ("gnu", "glibc"))
# CVE codes seen in the recordings, so the catalogue can answer the recorded requests.
RECORDED_CVES = ("CVE-2017-0146", "CVE-2019-16768", "CVE-2020-28928", "CVE-2020-16044", "CVE-2020-15673",
                 "CVE-2012-1182", "CVE-2014-9645")
CVSS_V2 = {"access_vector": "access_vector_network", "access_complexity": "access_complexity_low",
           "authentication": "authentication_none", "confidentiality_impact": "confidentiality_impact_partial",
           "integrity_impact": "integrity_impact_partial", "availability_impact": "availability_impact_partial"}
CVSS_V3 = {"access_vector": "access_vector_network", "access_complexity": "access_complexity_low",
           "privileges_required": "privileges_required_none", "user_interaction": "user_interaction_none",
           "scope": "scope_unchanged", "confidentiality_impact": "confidentiality_impact_high",
           "integrity_impact": "integrity_impact_high", "availability_impact": "availability_impact_high"}
CUSTOM_FIELDS = ("access_vector", "access_complexity", "privileges_required", "user_interaction", "scope",
                 "confidentiality_impact", "integrity_impact", "availability_impact")


def seed(store, rng, size):
    """The catalogue: the recorded codes, then generated ones up to size (draws from the fleet's RNG)."""
    codes = list(RECORDED_CVES)
    while len(codes) < size:
        code = "CVE-%d-%d" % (rng.randint(2014, 2024), rng.randint(1000, 49999))
        if code not in codes:
            codes.append(code)
    for code in codes:
        score = round(rng.uniform(2.0, 10.0), 1)
        level = (BASE_LEVELS[0] if score >= 9 else BASE_LEVELS[1] if score >= 7 else BASE_LEVELS[2] if score >= 4
                 else BASE_LEVELS[3])
        vendor, product = rng.choice(TECHNOLOGIES)
        published = BASE_TS - rng.randint(30, 3000) * DAY
        store.cves[code] = {
            "cve_code": code, "content": "Generated description of %s in %s %s." % (code, vendor, product),
            "last_modified": published + 20 * DAY, "level": level, "published": published, "score": score,
            "score_v2": round(max(score - 0.5, 0.0), 1), "score_v3": score if rng.random() < 0.85 else None,
            "score_custom": None, "exploit_code_maturity": rng.choice(MATURITY), "note_custom": None,
            "exploitable": rng.random() < 0.3, "technologies": [{"vendor": vendor, "product": product}],
            "cvss_custom": None, "cwe": {"cwe_id": "CWE-%d" % rng.choice((20, 79, 89, 119, 200, 209, 287, 416))},
            "scannable": rng.random() < 0.5,
        }


def make_hostile(store, payloads):
    """Hostile fleet: the description and the technologies' vendor and product."""
    for index, cve in enumerate(store.cves.values()):
        cve["content"] = payloads.payload("cve", index, "content")
        for tech in cve["technologies"]:
            tech["vendor"], tech["product"] = (payloads.payload("cve", index, "vendor"),
                                               payloads.payload("cve", index, "product"))


def render(record):
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


def render_detail(store, record):
    """CVE detail: adds servers (those that have it, not ignored), scannable and security announcements."""
    item = render(record)
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


def _find(store, code):
    if code not in store.cves:
        raise ApiError(404, "Couldn't find CveAnnouncement")
    return store.cves[code]


def _active(store, code):
    """On at least one server, neither ignored nor fixed there."""
    servers = store.servers
    return any(not servers[sid]["cves"][code]["ignored"] and servers[sid]["cves"][code]["fixed_at"] is None
               for sid in store.cve_servers.get(code, ()))


def _rows(store, query):
    def wanted(value):
        return value if isinstance(value, list) else [value]
    checks = {"level": lambda row, value: row["level"] in wanted(value),
              "exploitable": lambda row, value: row["exploitable"] == truthy(value),
              "active": lambda row, value: _active(store, row["cve_code"]) == truthy(value),
              "technology_product": lambda row, value: any(t["product"] in wanted(value) for t in row["technologies"]),
              "exploit_code_maturity": lambda row, value: row["exploit_code_maturity"] in wanted(value)}
    return matching(list(store.cves.values()), query, checks)


def index(api, request):
    """GET cve_announcements[?level, exploitable, active, technology_product, exploit_code_maturity]."""
    return listing(api, request, _rows, render)


def show(api, request, item_id):
    """GET cve_announcements/{code}."""
    del request
    return json_response(render_detail(api.store, _find(api.store, item_id)))


def update(api, request, item_id):
    """PUT custom score: score_custom, the CVSS v3 fields (privilege_required accepted, singular as the client sends
    it) and note_custom."""
    record = _find(api.store, item_id)
    body = json_body(request)
    if "score_custom" in body:
        try:
            record["score_custom"] = None if body["score_custom"] in (None, "") else float(body["score_custom"])
        except (TypeError, ValueError) as exc:
            raise ApiError(400, "score_custom is invalid") from exc
    if "privilege_required" in body and "privileges_required" not in body:
        body["privileges_required"] = body["privilege_required"].replace("privilege_", "privileges_")
    custom = dict(record["cvss_custom"] or CVSS_V3)
    custom.update({k: body[k] for k in CUSTOM_FIELDS if k in body})
    record["cvss_custom"] = custom
    if "note_custom" in body:
        record["note_custom"] = body["note_custom"] or None
    return json_response(render_detail(api.store, record))


def destroy(api, request, item_id):
    """DELETE: the custom score, CVSS and note go back to null; answers the detail."""
    del request
    record = _find(api.store, item_id)
    record["score_custom"] = None
    record["cvss_custom"] = None
    record["note_custom"] = None
    return json_response(render_detail(api.store, record))


def detect(store, sid, body):
    """POST /_sim/cyberwatch/servers/<id>/cves: a new analysis finds {"cve_code"} on the server now; a code the
    catalogue lacks joins it with "level", "score", "exploitable", "content" (default critical, 9.8, exploitable).
    Returns the answer's (body, status)."""
    code = str(body["cve_code"]).upper()
    server = store.servers.get(sid)
    if server is None:
        return {"error": "no server %s" % sid}, 404
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
    return {"server": sid, "cve_code": code}, 201
