"""Rendering of CyStack records into the documented shapes, quirks included (reference/cystack_api.md §3, §5)."""

import hashlib
import random
import time

from fleet import PROFILES

VIETNAM_OFFSET = 7 * 3600  # CyStack prints list times in its local time zone (Q15)
SEVERITY_RANK = {"Information": 0, "Low": 1, "Medium": 2, "High": 3}
SOLUTIONS = {"High": "Validate and escape every user input.", "Medium": "Configure the web server securely.",
             "Low": "Harden the HTTP response headers.", "Information": "No action needed."}


def target(record):
    """Target list item and detail: {verification, href, id, address} (verification 0 = verified)."""
    return {"verification": record["verification"], "href": "/v1/targets/" + record["id"], "id": record["id"],
            "address": record["address"]}


def _scan_target(store, scan):
    tgt = store.targets.get(scan["target_id"]) or {"ip": None, "os": "Unknown", "id": scan["target_id"], "address": None}
    return {"ip": tgt["ip"], "os": tgt["os"], "id": tgt["id"], "address": tgt["address"]}


def scan_vuln_hrefs(store, scan):
    """The scan's vulnerability hrefs, in discovery order."""
    return ["/v1/vulnerabilities/" + v["id"] for v in store.vulnerabilities.values() if v["scan_id"] == scan["id"]]


def scan_item(store, scan):
    """Scan list item: no id (only href), start_time as a "%H:%M:%S %d/%m/%Y" string in Vietnam time (UTC+7)."""
    return {"status": scan["status"], "profile": PROFILES.get(scan["profile"], str(scan["profile"])),
            "vulnerabilities": len(scan_vuln_hrefs(store, scan)),
            "start_time": time.strftime("%H:%M:%S %d/%m/%Y", time.gmtime(scan["start_time"] + VIETNAM_OFFSET)),
            "href": "/v1/scans/" + scan["id"], "target": _scan_target(store, scan)}


def scan_detail(store, scan):
    """Scan detail: epoch start/stop times, "None" description, noti_href and vuln_href, no id/href/count."""
    description = scan["description"]
    return {"status": scan["status"], "profile": PROFILES.get(scan["profile"], str(scan["profile"])),
            "description": "None" if description is None else description,
            "noti_href": ["/v1/notifications/%s" % n for n in scan["notification"]],
            "start_time": scan["start_time"], "stop_time": scan["stop_time"],
            "vuln_href": scan_vuln_hrefs(store, scan), "target": _scan_target(store, scan)}


def vuln_item(vuln):
    """Vulnerability list item: target is the address string."""
    return {"false_positive": vuln["false_positive"], "severity": vuln["severity"], "name": vuln["name"],
            "href": "/v1/vulnerabilities/" + vuln["id"], "id": vuln["id"], "target": vuln["target"]}


def vuln_detail(store, vuln):
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


def monitor_results(seed, record, now):
    """About 30 recent up/down checks, one per interval, deterministic for (seed, target, check time)."""
    interval = max(int(record["monitoring"]["interval"]), 1) * 60
    last = int(now) // interval * interval
    results = []
    for step in range(30):
        start = last - step * interval
        rng = random.Random("%s-%s-%d" % (seed, record["id"], start))
        is_up = rng.random() > 0.1
        oid = "%08x%s" % (start, hashlib.sha1(("%s%d" % (record["id"], start)).encode()).hexdigest()[:16])
        results.append({"url": record["address"], "status_code": 200 if is_up else rng.choice((502, 503, 0)),
                        "start_time": start, "target_id": record["id"], "is_up": is_up, "timeout": 30, "id": oid,
                        "response_time": round(rng.uniform(0.05, 1.5), 6) if is_up else 30.0,
                        "notify": not is_up})
    return results
