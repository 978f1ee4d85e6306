"""A Cyberwatch analysis of one server in the store: its CVEs and updates derived again from its packages
(packages.py). The air-gap upload (airgap.py), refresh and install_updates (server_actions.py) all end here.

Only what the package table derives is the analysis' to change. The CVEs and updates it derived carry
source "packages" (never rendered); the seeded ones, the DOCS_WORLD ones and those /_sim/ adds are left alone: the
simulator has no package knowledge of them. A derived CVE no package is affected by any more keeps its record with
fixed_at set (the vendor's own examples, cyberwatch_api examples/mean_cve_resolution_time_per_year.py, read fixed CVEs
from a server's cve_announcements by fixed_at; the counts leave them out).
"""

from cyberwatch import packages

SOURCE = "packages"
# The statuses an analysis decides; the others belong to something else (a reboot, a lost agent, an unsupported OS).
ANALYSED_STATUSES = ("server_vulnerable", "server_compliant", "server_awaiting_analysis", "server_update_init")


def analyse(store, server, now):
    """A completed analysis at now: CVEs and updates derived again, analyzed_at moved forward (a whole second at
    least: the API shows it to the second), status from the active CVEs."""
    derive_again(store, server, now)
    server["analyzed_at"] = max(now, (server["analyzed_at"] or 0) + 1)


def derive_again(store, server, now):
    """The server's derived CVEs and updates, from its packages as they are now (callers hold the lock)."""
    codes, updates = packages.derive(server["packages"])
    for code, link in server["cves"].items():
        if link.get("source") == SOURCE and code not in codes and link["fixed_at"] is None:
            link["fixed_at"] = now
    for code in codes:
        record = store.cves.get(code) or add_cve(store, code)
        link = server["cves"].get(code)
        if link is None or link["fixed_at"] is not None:  # new, or back after a fix (a downgrade): detected now
            server["cves"][code] = {"ignored": bool(link and link["ignored"]), "comment": link and link["comment"],
                                    "detected_at": now, "fixed_at": None, "prioritized": record["score"] >= 7.5}
        server["cves"][code]["source"] = SOURCE
        store.cve_servers.setdefault(code, set()).add(server["id"])
    server["updates"] = ([u for u in server["updates"] if u.get("source") != SOURCE]
                         + _with_ids(store, server, updates))
    if server["status"] in ANALYSED_STATUSES:
        active = any(not c["ignored"] and c["fixed_at"] is None for c in server["cves"].values())
        server["status"] = "server_vulnerable" if active else "server_compliant"


def install(server, update):
    """Install one update: the package its current names moves to its target version (never backwards), or is
    added when the server does not list it."""
    current, target = update["current"], update["target"]
    package = next((p for p in server["packages"]
                    if p.get("type") == current["type"] and p.get("product") == current["product"]), None)
    if package is None:
        server["packages"].append({"vendor": current.get("vendor"), "product": current["product"],
                                   "type": current["type"], "version": target["version"]})
        return
    try:
        newer = packages.compare(current["type"], target["version"], package["version"]) > 0
    except (KeyError, ValueError):  # a type without version rules, or a version they cannot read: the target wins
        newer = True
    if newer:
        package["version"] = target["version"]


def _with_ids(store, server, updates):
    """The derived updates with ids: an update to the same version of the same package keeps its id (a plan made
    before an install or a new scan still names it), a new one takes the next id of the store."""
    known = {_key(u): u for u in server["updates"] if u.get("source") == SOURCE}
    taken = set()  # a package listed twice (two architectures) has two updates with one key: one keeps the id
    for update in updates:
        previous = known.get(_key(update))
        reused = previous is not None and previous["id"] not in taken
        update["id"] = previous["id"] if reused else _next_update_id(store)
        update["ignored"] = bool(reused and previous["ignored"])
        update["source"] = SOURCE
        taken.add(update["id"])
    return updates


def _key(update):
    return update["current"]["type"], update["current"]["product"], update["target"]["version"]


def _next_update_id(store):
    """Update ids are unique across servers (a sequence in next_ids, never below the ids in use)."""
    used = max((u["id"] for s in store.servers.values() for u in s["updates"] if isinstance(u.get("id"), int)),
               default=0)
    current = max(store.next_ids.get("updates", 0), used + 1)
    store.next_ids["updates"] = current + 1
    return current


def add_cve(store, code):
    """A CVE the table derives and the catalogue lacks, added to the catalogue from packages.CVE_FACTS."""
    score, product = packages.CVE_FACTS.get(code, (5.0, "unknown"))
    level = ("level_critical" if score >= 9 else "level_high" if score >= 7 else "level_medium" if score >= 4
             else "level_low")
    record = {"cve_code": code, "content": "Air-gap simulator CVE %s in %s." % (code, product),
              "last_modified": store.now(), "level": level, "published": store.now(), "score": score,
              "score_v2": score, "score_v3": score, "score_custom": None, "exploit_code_maturity": "functional",
              "note_custom": None, "exploitable": score >= 9, "technologies": [{"vendor": product, "product": product}],
              "cvss_custom": None, "cwe": {"cwe_id": "CWE-20"}, "scannable": True}
    store.cves[code] = record
    return record
