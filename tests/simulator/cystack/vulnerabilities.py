"""Vulnerabilities (findings of a scan): /v1/vulnerabilities: GET list and detail, PUT {"false_positive"}.

Documented (reference/cystack_api.md §3, §5; never recorded): the list item (target is the address string), the
detail (target under scan.target, "None" urls kept), the filters q and sev, ordering by severity rank. Invented: the
findings of a finished scan, a function of (seed, scan id) only, and their texts.
"""

import random

from core.web import json_body, json_response
from cystack.common import choice_error, get, new_uuid, order, paged

SEVERITIES = ("High", "Medium", "Low", "Information")
SEVERITY_RANK = {"Information": 0, "Low": 1, "Medium": 2, "High": 3}
SOLUTIONS = {"High": "Validate and escape every user input.", "Medium": "Configure the web server securely.",
             "Low": "Harden the HTTP response headers.", "Information": "No action needed."}
WEB_FINDINGS = (
    ("Click-Jacking vulnerability", "click_jacking", "Medium"), ("SQL injection", "sqli", "High"),
    ("Cross site scripting vulnerability", "xss", "High"), ("Strange HTTP response code", "strange_http_codes", "Low"),
    ("Server header", "server_header", "Information"), ("Missing HSTS header", "strict_transport_security", "Low"),
    ("Directory listing", "dir_file_bruter", "Medium"), ("Cookie without HttpOnly", "http_only", "Low"),
    ("Allowed HTTP methods", "allowed_methods", "Information"), ("Blind SQL injection", "blind_sqli", "High"),
)


def scan_findings(seed, scan_id, target_address, count=None):
    """Deterministic vulnerabilities of a finished scan: a function of (seed, scan id) only."""
    rng = random.Random("scan-%s-%s" % (seed, scan_id))
    count = rng.randint(1, 5) if count is None else count
    found = []
    for name, plugin, severity in rng.sample(WEB_FINDINGS, count):
        found.append({"id": new_uuid(rng), "name": name, "plugin_name": plugin, "severity": severity,
                      "false_positive": False, "scan_id": scan_id, "target": target_address,
                      "var": rng.choice(("", "id", "q")), "urls": ["None"] if rng.random() < 0.5 else [target_address + "/"],
                      "traffic": "%024x" % rng.getrandbits(96)})
    return found


def make_hostile(store, payloads):
    """Hostile fleet: name, plugin name, var and urls; the target is the (hostile) address of the scan's target."""
    for index, vuln in enumerate(store.vulnerabilities.values()):
        vuln["name"] = payloads.payload("vulnerability", index, "name")
        vuln["plugin_name"] = payloads.payload("vulnerability", index, "plugin_name")
        vuln["var"] = payloads.payload("vulnerability", index, "var")
        vuln["target"] = store.targets[store.scans[vuln["scan_id"]]["target_id"]]["address"]
        vuln["urls"] = [payloads.payload("vulnerability", index, "url")]


def render(vuln):
    """Vulnerability list item: target is the address string."""
    return {"false_positive": vuln["false_positive"], "severity": vuln["severity"], "name": vuln["name"],
            "href": "/v1/vulnerabilities/" + vuln["id"], "id": vuln["id"], "target": vuln["target"]}


def render_detail(store, vuln):
    """Vulnerability detail: target under scan.target, "None" urls kept as generated."""
    scan = store.scans.get(vuln["scan_id"])
    tgt = store.targets.get(scan["target_id"]) if scan else None
    return {"traffic_hrefs": ["/v1/vulnerabilities/%s/traffics/%s" % (vuln["id"], vuln["traffic"])],
            "description": "%s found by the %s plugin." % (vuln["name"], vuln["plugin_name"]),
            "long_description": "Generated long description of %s." % vuln["name"],
            "scan": {"target": {"id": tgt["id"] if tgt else None, "address": vuln["target"]}, "id": vuln["scan_id"]},
            "severity": vuln["severity"], "solution": SOLUTIONS[vuln["severity"]], "plugin_name": vuln["plugin_name"],
            "false_positive": vuln["false_positive"],
            "references": [{"url": "http://vulndb.github.io/vuln/%s" % vuln["plugin_name"], "title": "Vulndb"}],
            "urls": list(vuln["urls"]), "var": vuln["var"], "attributes": {}, "id": vuln["id"], "name": vuln["name"]}


def index(api, request):
    """GET vulnerabilities: q on name and target address, sev exact, ordering (severity by rank)."""
    sev = request.args.get("sev")
    if sev and sev not in SEVERITIES:
        return choice_error("sev", sev)
    rows = list(api.store.vulnerabilities.values())
    if sev:
        rows = [v for v in rows if v["severity"] == sev]
    needle = request.args.get("q", "").lower()
    if needle:
        rows = [v for v in rows if needle in v["name"].lower() or needle in v["target"].lower()]
    keys = {"severity": lambda v: SEVERITY_RANK[v["severity"]], "target": lambda v: v["target"],
            "false_positive": lambda v: v["false_positive"], "name": lambda v: v["name"]}
    return paged(api, request, order(rows, request.args.get("ordering"), keys), render)


def show(api, request, vid):
    """GET vulnerabilities/{id}."""
    del request
    return json_response(render_detail(api.store, get(api.store, "vulnerabilities", vid)))


def update(api, request, vid):
    """PUT vulnerabilities/{id} {"false_positive": bool}."""
    vuln = get(api.store, "vulnerabilities", vid)
    value = json_body(request).get("false_positive")
    if value not in (True, False, "true", "false", "True", "False", 0, 1):
        return json_response({"false_positive": ["Must be a valid boolean."]}, 400)
    vuln["false_positive"] = value in (True, "true", "True", 1)
    return json_response(render_detail(api.store, vuln))
