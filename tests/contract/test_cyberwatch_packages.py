"""The simulator's version-aware analysis: version rules and the package table (tests/simulator/cyberwatch/packages.py), then
through the API the air-gap upload, refresh and install_updates that derive a server's CVEs and updates from its
packages (analysis.py), with the demo package of the remediation end-to-end test."""

import subprocess
import time

import pytest

from cyberwatch import packages
from recordings import interactions
from cyberwatch.packages import DEB, DEMO_CRITICAL, DEMO_LATE, DEMO_PACKAGE, RPM, WINAPP, Fix

SERVERS = "/api/v3/vulnerabilities/servers"
SCRIPTS = "/api/v2/cbw_scans/scripts"
DELAY = 0.25  # a little more than the contract simulator's --test-deploy-delay


@pytest.mark.parametrize("kind, older, newer", [
    (DEB, "2.0", "1:1.0"),                          # the epoch wins
    (DEB, "1.0~rc1", "1.0"),                        # ~ sorts before the release
    (DEB, "1.0~rc1", "1.0~rc2"),
    (DEB, "1.0-1", "1.0-1+deb12u1"),                # revisions
    (DEB, "9.26~dfsg+0-0ubuntu0.18.04.11", "9.26~dfsg+0-0ubuntu0.18.04.12"),   # recorded (legacy_v3/server_ok)
    (DEB, "5.8.0.43.49~20.04.29", "5.8.0.44.50~20.04.30"),                    # recorded (export_file_xlsx)
    (DEB, "1:1.2.13.dfsg-1", "2:0.1-1"),
    (RPM, "2.0-1", "1:1.0-1"),                      # epoch:version-release
    (RPM, "1.0-1.el8", "1.0-1.el8_2"),
    (RPM, "1.0~rc1-1", "1.0-1"),
    (RPM, "1.34-6.el9_1", "2:1.34-6.el9_1"),
    (RPM, "1.0-1", "1.1"),                          # the demo's fixing versions are bare: 1.0-1 < 1.1 < 1.1-1
    (RPM, "1.1", "1.1-1"),
    (WINAPP, "9.0", "10.0"),                        # numerically, not as strings
    (WINAPP, "0.72.0.0", "0.73"),
    (WINAPP, "78.0", "81.0"),
])
def test_version_rules(kind, older, newer):
    assert packages.compare(kind, older, newer) == -1 and packages.compare(kind, newer, older) == 1


def test_version_equality_and_bad_versions():
    assert packages.compare(DEB, "1.0", "0:1.0") == 0 and packages.compare(RPM, "0:1.0-1", "1.0-1") == 0
    for bad in ("", "1.0 beta", "$(touch x)", None):
        with pytest.raises(ValueError):
            packages.version(DEB, bad)
    # A version the rules cannot read is affected by every CVE of its package: it cannot be shown fixed.
    assert packages.affects(DEB, "not a version!", Fix("CVE-2099-1", "1.0"))
    assert packages.derive([{"vendor": None, "product": DEMO_PACKAGE, "type": DEB, "version": ""}])[0] == [
        DEMO_CRITICAL, DEMO_LATE]


def test_table_is_readable_by_its_own_rules():
    for kind, names in packages.PACKAGES.items():
        for name, fixes in names.items():
            for fix in fixes:
                assert fix.cve in packages.CVE_FACTS, (kind, name, fix.cve)
                for text in (fix.fixed, fix.introduced):
                    if text is not None:
                        packages.version(kind, text)
                if fix.fixed and fix.introduced:
                    assert packages.compare(kind, fix.introduced, fix.fixed) < 0, (kind, name)


@pytest.mark.parametrize("kind, installed, affected", [
    (DEB, "5.4.1-1", False),                        # before the backdoor
    (DEB, "5.6.0-0.1", True),
    (DEB, "5.6.1-1", True),
    (DEB, "5.6.1+really5.4.5-1", False),            # the fix, a version number that went back
    (RPM, "5.4.6-1.fc40", False), (RPM, "5.6.0-1.fc40", True), (RPM, "5.6.2-1.fc41", False),
])
def test_a_cve_brought_in_by_a_release(kind, installed, affected):
    name = "xz-utils" if kind == DEB else "xz"
    assert packages.derive([{"vendor": None, "product": name, "type": kind, "version": installed}])[0] == (
        ["CVE-2024-3094"] if affected else [])


def demo(version, kind=DEB):
    return [{"vendor": None, "product": DEMO_PACKAGE, "type": kind, "version": version}]


def test_derive_the_demo_package():
    cves, updates = packages.derive(demo("1.0"))
    assert cves == [DEMO_CRITICAL, DEMO_LATE]
    assert [(u["target"]["version"], u["cve_announcements"]) for u in updates] == [
        ("1.1", [DEMO_CRITICAL]), ("1.3", [DEMO_LATE])]
    assert updates[0] == {"ignored": False, "patchable": True,
                          "target": {"vendor": None, "product": DEMO_PACKAGE, "type": DEB, "version": "1.1"},
                          "current": {"vendor": None, "product": DEMO_PACKAGE, "type": DEB, "version": "1.0"},
                          "cve_announcements": [DEMO_CRITICAL]}
    for version in ("1.1", "1.2", "1.2-3"):
        cves, updates = packages.derive(demo(version))
        assert cves == [DEMO_LATE] and [(u["target"]["version"], u["cve_announcements"]) for u in updates] == [
            ("1.3", [DEMO_LATE])], version
    assert packages.derive(demo("1.3")) == ([], []) and packages.derive(demo("1:0.1")) == ([], [])
    assert [u["target"]["version"] for u in packages.derive(demo("1.0-1", RPM))[1]] == ["1.1", "1.3"]
    assert packages.derive(demo("1.1-1", RPM))[0] == [DEMO_LATE]


def test_derive_windows_programs_and_cves_without_a_fix():
    cves, updates = packages.derive([
        {"vendor": None, "product": "Mozilla Firefox 78.0 (x64 en-US)", "type": WINAPP, "version": "78.0"},
        {"vendor": None, "product": "Mozilla Firefox Helper", "type": DEB, "version": "1"},   # another type
        {"vendor": None, "product": "coreutils", "type": DEB, "version": "9.1-1"},
        {"vendor": None, "product": "unknown-thing", "type": DEB, "version": "1.0"},
        {"vendor": None, "product": ["not", "a", "name"], "type": DEB, "version": "1.0"}])
    assert cves == ["CVE-2020-15673", "CVE-2017-18018"]
    assert updates == [{"ignored": False, "patchable": False,    # as recorded for Packages::WinApp
                        "target": {"vendor": "mozilla", "product": "firefox", "type": WINAPP, "version": "81.0"},
                        "current": {"vendor": None, "product": "Mozilla Firefox 78.0 (x64 en-US)", "type": WINAPP,
                                    "version": "78.0"},
                        "cve_announcements": ["CVE-2020-15673"]}]   # coreutils: no fix, so no update


# ---- through the API


def upload(api, hostname, version, reboot=False, name=DEMO_PACKAGE):
    """An air-gap upload of a Debian host with the demo package (or name) at version; its server id after the
    analysis."""
    output = "\n".join(["IDENTIFIER_SCRIPT:2", "IDENTIFIER_HOSTNAME:" + hostname, "HOSTNAME:" + hostname,
                        "OS_ID:debian", "OS_VERSION:12", "OS_PRETTYNAME:Debian GNU/Linux 12 (bookworm)",
                        "REBOOT:%s" % reboot, "PACKAGE:%s|%s" % (name, version), "SUCCESS:Script completed"])
    resp = api.cw("POST", SCRIPTS, json={"output": output})
    assert resp.status_code == 201, resp.text
    time.sleep(DELAY)
    return resp.json()["server_id"]


def detail(api, sid):
    resp = api.cw("GET", "%s/%d" % (SERVERS, sid))
    assert resp.status_code == 200, resp.text
    return resp.json()


def cve_states(server):
    """{code: fixed (True/False)} of a server detail."""
    return {c["cve_code"]: c["fixed_at"] is not None for c in server["cve_announcements"]}


def plan(server):
    """[(target version, CVEs)] of a server detail's updates."""
    return [(u["target"]["version"], u["cve_announcements"]) for u in server["updates"]]


def recorded_update_keys():
    """The key orders of the recorded updates (the server details that have some)."""
    return {tuple(update) for *_ignored, it in interactions({"server_ok", "update_server_cve", "export_file_xlsx"})
            if isinstance(it["json"], dict) for update in it["json"].get("updates") or []}


def test_upload_at_1_0_then_1_1_closes_the_critical_cve(api):
    sid = upload(api, "demo-host.example.com", "1.0", reboot=True)
    first = detail(api, sid)
    assert cve_states(first) == {DEMO_CRITICAL: False, DEMO_LATE: False}
    assert first["status"] == "server_vulnerable" and first["reboot_required"] is True
    assert first["cve_announcements_count"] == 2 and first["updates_count"] == 2
    assert plan(first) == [("1.1", [DEMO_CRITICAL]), ("1.3", [DEMO_LATE])]
    assert {tuple(u) for u in first["updates"]} <= recorded_update_keys()      # the recorded shape and order
    assert first["updates"][0]["current"] == {"vendor": None, "product": DEMO_PACKAGE, "type": DEB, "version": "1.0"}
    critical = api.cw("GET", "/api/v3/vulnerabilities/cve_announcements/" + DEMO_CRITICAL).json()
    assert critical["level"] == "level_critical" and critical["exploitable"] is True
    assert api.cw("GET", "/api/v3/vulnerabilities/cve_announcements/" + DEMO_LATE).json()["level"] == "level_high"

    assert upload(api, "demo-host.example.com", "1.1") == sid
    second = detail(api, sid)
    assert cve_states(second) == {DEMO_CRITICAL: True, DEMO_LATE: False}   # fixed: kept, with fixed_at
    assert second["cve_announcements_count"] == 1 and second["reboot_required"] is False
    assert second["analyzed_at"] > first["analyzed_at"]
    assert plan(second) == [("1.3", [DEMO_LATE])]
    assert second["updates"][0]["id"] == first["updates"][1]["id"]           # the same update: its id is kept
    assert second["updates"][0]["current"]["version"] == "1.1"
    assert [s["id"] for s in api.cw("GET", SERVERS + "?per_page=500").json() if s["hostname"] == "demo-host.example.com"] == [sid]

    upload(api, "demo-host.example.com", "1.3")
    last = detail(api, sid)
    assert cve_states(last) == {DEMO_CRITICAL: True, DEMO_LATE: True} and last["updates"] == []
    assert last["status"] == "server_compliant" and last["cve_announcements_count"] == 0

    upload(api, "demo-host.example.com", "1.0")                               # a downgrade: detected again
    again = detail(api, sid)
    assert cve_states(again) == {DEMO_CRITICAL: False, DEMO_LATE: False}
    fixed_at = {c["cve_code"]: c["fixed_at"] for c in last["cve_announcements"]}
    assert all(c["detected_at"] >= fixed_at[c["cve_code"]] for c in again["cve_announcements"])


def test_the_linux_script_prints_the_reboot_flag(api, tmp_path):
    """The InfoScript as served, run with its flag file moved to a temporary path (the machine's own is not
    touched), then its output uploaded."""
    contents = api.cw("GET", SCRIPTS + "/2").json()["contents"]
    assert contents.count("/var/run/reboot-required") == 1
    flag = tmp_path / "reboot-required"
    script = tmp_path / "InfoScript.sh"
    script.write_text(contents.replace("/var/run/reboot-required", str(flag)))
    outputs = []
    for present in (True, False):
        if present:
            flag.write_text("*** System restart required ***\n")
        else:
            flag.unlink()
        run = subprocess.run(["sh", str(script)], capture_output=True, text=True, timeout=30, check=True)
        outputs.append(run.stdout)
    assert "REBOOT:True" in outputs[0].splitlines() and "REBOOT:False" in outputs[1].splitlines()
    named = outputs[0].replace("IDENTIFIER_HOSTNAME:", "IDENTIFIER_HOSTNAME:reboot-flag-")
    sid = api.cw("POST", SCRIPTS, json={"output": named}).json()["server_id"]
    time.sleep(DELAY)
    assert detail(api, sid)["reboot_required"] is True


def add_server(api, hostname, version):
    """A server that lists the demo package at version and has not been analysed since."""
    return api.sim.control("POST", "/_sim/cyberwatch/servers", {
        "hostname": hostname, "status": "server_vulnerable",
        "packages": [{"vendor": None, "product": DEMO_PACKAGE, "type": DEB, "version": version}]})["id"]


def test_refresh_derives_then_install_updates_moves_the_package(api):
    sid = add_server(api, "demo-agent.example.com", "1.0")
    assert detail(api, sid)["cve_announcements"] == []
    assert api.cw("PUT", "%s/%d/refresh" % (SERVERS, sid)).status_code == 200
    time.sleep(DELAY)
    analysed = detail(api, sid)
    assert cve_states(analysed) == {DEMO_CRITICAL: False, DEMO_LATE: False}
    first, late = analysed["updates"]
    assert (first["target"]["version"], late["target"]["version"]) == ("1.1", "1.3")

    resp = api.cw("POST", "%s/%d/updates" % (SERVERS, sid), json={"update_ids": [first["id"]]})
    assert resp.status_code == 200, resp.text
    time.sleep(DELAY)
    patched = detail(api, sid)
    assert cve_states(patched) == {DEMO_CRITICAL: True, DEMO_LATE: False}
    assert [(u["id"], u["target"], u["current"]["version"]) for u in patched["updates"]] == [
        (late["id"], late["target"], "1.1")]                                  # the update to 1.3, now from 1.1
    assert patched["reboot_required"] is True
    assert patched["analyzed_at"] == analysed["analyzed_at"]                   # an install is not an analysis
    asset = api.cw("GET", "/api/v3/assets/servers/%d" % sid).json()
    assert [(p["product"], p["version"]) for p in asset["packages"]] == [(DEMO_PACKAGE, "1.1")]

    api.cw("POST", "%s/%d/updates" % (SERVERS, sid), json={"update_ids": [late["id"]]})
    time.sleep(DELAY)
    done = detail(api, sid)
    assert cve_states(done) == {DEMO_CRITICAL: True, DEMO_LATE: True} and done["updates"] == []
    assert done["status"] == "server_compliant"


def test_install_of_both_updates_at_once_takes_the_highest_target(api):
    sid = add_server(api, "demo-both.example.com", "1.0")
    api.cw("PUT", "%s/%d/refresh" % (SERVERS, sid))
    time.sleep(DELAY)
    api.cw("POST", "%s/%d/updates" % (SERVERS, sid), json={"update_ids": [u["id"] for u in detail(api, sid)["updates"]]})
    time.sleep(DELAY)
    assert cve_states(detail(api, sid)) == {DEMO_CRITICAL: True, DEMO_LATE: True}
    assert api.cw("GET", "/api/v3/assets/servers/%d" % sid).json()["packages"][0]["version"] == "1.3"


def test_refresh_leaves_what_the_table_does_not_know(api):
    """A seeded server's CVEs come from no package the table knows: a refresh keeps them (it used to fix one)."""
    servers = api.cw("GET", SERVERS + "?per_page=500").json()
    server = next(s for s in servers if s["status"] == "server_vulnerable" and s["cve_announcements_count"] > 1
                  and not any(packages.entry(p["type"], p["product"]) for p in
                              api.cw("GET", "/api/v3/assets/servers/%d" % s["id"]).json()["packages"]))
    before = detail(api, server["id"])
    api.cw("PUT", "%s/%d/refresh" % (SERVERS, server["id"]))
    time.sleep(DELAY)
    after = detail(api, server["id"])
    assert after["analyzed_at"] > before["analyzed_at"]
    assert after["cve_announcements"] == before["cve_announcements"] and after["updates"] == before["updates"]
