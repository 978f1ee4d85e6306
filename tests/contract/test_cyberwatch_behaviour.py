"""Cyberwatch behaviour of the simulator beyond the recordings: auth, pagination, params, filters, rules."""

import base64
import json
import time
from email.utils import formatdate

import requests

from conftest import HmacAuth

SERVERS = "/api/v3/vulnerabilities/servers"


def test_basic_auth_and_missing_credentials(api):
    sim = api.sim
    token = base64.b64encode(("%s:%s" % (sim.cyberwatch["api_key"], sim.cyberwatch["secret_key"])).encode()).decode()
    ok = requests.get(sim.url + "/api/v3/ping", headers={"Authorization": "Basic " + token}, timeout=5)
    assert ok.status_code == 200 and ok.json()["uuid"] == ok.headers["X-Request-Id"]
    bad = base64.b64encode(("%s:nope" % sim.cyberwatch["api_key"]).encode()).decode()
    assert requests.get(sim.url + "/api/v3/ping", headers={"Authorization": "Basic " + bad}, timeout=5).status_code == 401
    missing = requests.get(sim.url + "/api/v3/ping", timeout=5)
    assert missing.json()["error"]["message"] == "Missing credentials."
    assert [e["auth"] for e in sim.requests()] == ["basic", "failed", "missing"]


def test_hmac_clock_skew(api):
    sim = api.sim
    stale = formatdate(time.time() - 1000, usegmt=True)
    resp = requests.get(sim.url + "/api/v3/ping", auth=HmacAuth(sim.cyberwatch["api_key"], sim.cyberwatch["secret_key"], stale),
                        timeout=5)
    assert resp.status_code == 401 and resp.json()["error"]["message"] == "Authentication failed."
    fresh = formatdate(time.time() - 600, usegmt=True)
    assert requests.get(sim.url + "/api/v3/ping", auth=HmacAuth(sim.cyberwatch["api_key"], sim.cyberwatch["secret_key"],
                                                                fresh), timeout=5).status_code == 200
    assert sim.requests()[0]["auth"] == "failed"


def test_signature_covers_query(api):
    sim = api.sim
    auth = HmacAuth(sim.cyberwatch["api_key"], sim.cyberwatch["secret_key"])
    prepared = requests.Request("GET", sim.url + SERVERS + "?per_page=5", auth=auth).prepare()
    prepared.url = sim.url + SERVERS + "?per_page=6"
    assert requests.Session().send(prepared, timeout=5).status_code == 401


def test_pagination_headers_and_links(api):
    resp = api.cw("GET", SERVERS + "?per_page=5&page=2&hostname=")
    assert resp.headers["X-Page"] == "2" and resp.headers["X-Per-Page"] == "5" and resp.headers["X-Total"] == "20"
    links = resp.headers["Link"]
    assert [part.split("rel=")[1] for part in links.split(", ")] == ['"first"', '"prev"', '"last"', '"next"']
    assert links.startswith("<%s%s?per_page=5&hostname=&page=1>" % (api.sim.url, SERVERS))
    assert "Link" not in api.cw("GET", SERVERS + "?per_page=100").headers
    assert api.cw("GET", SERVERS).headers["X-Per-Page"] == "25"
    past = api.cw("GET", SERVERS + "?per_page=5&page=9")
    assert past.status_code == 200 and past.json() == []


def test_get_with_json_body_params(api):
    resp = api.cw("GET", SERVERS, data=json.dumps({"per_page": 3, "page": "2"}))
    assert resp.headers["X-Per-Page"] == "3" and len(resp.json()) == 3
    assert "per_page" not in resp.headers["Link"]
    users = api.cw("GET", "/api/v3/users", data=json.dumps({"auth_provider": "ldap"})).json()
    assert users and {u["auth_provider"] for u in users} == {"ldap"}


def test_server_filters_and_counts(api):
    servers = api.cw("GET", SERVERS + "?per_page=100").json()
    first = servers[0]
    assert [s["id"] for s in api.cw("GET", SERVERS + "?hostname=" + first["hostname"]).json()] == [first["id"]]
    group_id = first["groups"][0]["id"]
    assert all(group_id in [g["id"] for g in s["groups"]] for s in api.cw("GET", SERVERS + "?group_id=%d" % group_id).json())
    assert all(s["reboot_required"] for s in api.cw("GET", SERVERS + "?reboot_required=true&per_page=100").json())
    for server in servers[:5]:
        detail = api.cw("GET", SERVERS + "/%d" % server["id"]).json()
        active = [c for c in detail["cve_announcements"] if not c["ignored"] and c["fixed_at"] is None]
        assert detail["cve_announcements_count"] == len(active)
        assert detail["prioritized_cve_announcements_count"] == len([c for c in active if c["prioritized"]])
        assert detail["updates_count"] == len(detail["updates"])
        for cve in active[:2]:
            cve_detail = api.cw("GET", "/api/v3/vulnerabilities/cve_announcements/" + cve["cve_code"]).json()
            assert server["id"] in [s["id"] for s in cve_detail["servers"]]


def test_server_groups_replace_and_clear(api):
    path = SERVERS + "/1"
    assert [g["id"] for g in api.cw("PATCH", path, data=json.dumps({"groups": [3, 4]})).json()["groups"]] == [3, 4]
    assert api.cw("PUT", path, data=json.dumps({"groups": [None]})).json()["groups"] == []
    api.cw("PATCH", path, data=json.dumps({"groups": [2]}))
    assert api.cw("PATCH", path, data=json.dumps({"groups": []})).json()["groups"] == []
    assert api.cw("PATCH", "/api/v3/servers/1", data=json.dumps({"category": "bogus"})).status_code == 400


def test_legacy_and_current_routes_share_one_store(api):
    created = api.cw("POST", "/api/v3/groups", data=json.dumps({"name": "shared", "description": ""})).json()
    assert api.cw("GET", "/api/v3/assets/groups/%d" % created["id"]).json()["name"] == "shared"
    assert api.cw("DELETE", "/api/v3/assets/groups/%d" % created["id"]).status_code == 200
    assert api.cw("GET", "/api/v3/groups/%d" % created["id"]).status_code == 404


def test_remote_access_rules(api):
    body = {"type": "CbwRam::RemoteAccess::Ssh::WithPassword", "address": "203.0.113.7", "port": "22", "login": "root",
            "password": "s3cret", "key": "", "node_id": "1", "server_groups": "prod, brand-new"}
    created = api.cw("POST", "/api/v3/remote_accesses", data=json.dumps(body))
    assert created.status_code == 201 and created.json()["port"] == 22
    assert "password" not in created.text and "s3cret" not in created.text and "login" not in created.json()
    assert "brand-new" in [g["name"] for g in api.cw("GET", "/api/v3/assets/groups").json()]
    ra_id = created.json()["id"]
    good = api.cw("POST", "/api/v3/assets/remote_accesses", data=json.dumps(dict(body, address="10.9.9.9"))).json()
    for rid in (ra_id, good["id"]):
        assert api.cw("PUT", "/api/v3/assets/remote_accesses/%d/test_deploy" % rid).json()["is_valid"] is None
    assert api.cw("POST", "/api/v3/remote_accesses/%d/test_deploy" % ra_id).status_code == 200
    time.sleep(0.3)
    bad = api.cw("GET", "/api/v3/assets/remote_accesses/%d" % ra_id).json()
    assert bad["is_valid"] is False and bad["last_error"] == "Net::SSH::ConnectionTimeout"
    assert api.cw("GET", "/api/v3/assets/remote_accesses/%d" % good["id"]).json()["is_valid"] is True
    patched = api.cw("PATCH", "/api/v3/assets/remote_accesses/%d" % good["id"], data=json.dumps({"type": "", "port": 2222}))
    assert patched.json()["is_valid"] is None and patched.json()["type"] == body["type"]
    dup = api.cw("POST", "/api/v3/assets/remote_accesses", data=json.dumps(body))
    assert dup.json()["error"]["message"] == "Validation failed: Address has already been taken"


def test_host_target_is_immutable_and_node_transfer(api):
    host = api.cw("POST", "/api/v3/hosts", data=json.dumps({"target": "192.0.2.50", "node_id": 2})).json()
    updated = api.cw("PUT", "/api/v3/hosts/%d" % host["id"], data=json.dumps({"target": "192.0.2.99", "category": "other"}))
    assert updated.json()["target"] == "192.0.2.50" and updated.json()["category"] == "other"
    deleted = api.cw("DELETE", "/api/v3/nodes/2", data=json.dumps({"new_id": "1"}))
    assert deleted.status_code == 200 and deleted.json()["id"] == 2
    assert api.cw("GET", "/api/v3/hosts/%d" % host["id"]).json()["node_id"] == 1


def test_cve_filters_and_custom_score(api):
    cves = api.cw("GET", "/api/v3/cve_announcements?level=level_high&per_page=500").json()
    assert cves and {c["level"] for c in cves} == {"level_high"}
    code = cves[0]["cve_code"]
    put = api.cw("PUT", "/api/v3/vulnerabilities/cve_announcements/" + code,
                 data=json.dumps({"score_custom": "7", "privilege_required": "privilege_required_low"})).json()
    assert put["score_custom"] == 7.0 and put["cvss_custom"]["privileges_required"] == "privileges_required_low"
    reset = api.cw("DELETE", "/api/v3/vulnerabilities/cve_announcements/" + code).json()
    assert reset["score_custom"] is None and reset["cvss_custom"] is None
