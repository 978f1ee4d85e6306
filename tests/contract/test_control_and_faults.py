"""Request log, reset, state and every fault kind."""

import http.client
import json
import urllib.error
from urllib.parse import urlsplit

import pytest
import requests


def test_request_log_and_reset(api):
    api.cw("POST", "/api/v3/assets/groups", data=json.dumps({"name": "tmp"}))
    api.cw("GET", "/api/v3/assets/groups?per_page=2")
    api.sim.control("GET", "state")
    log = api.sim.requests()
    assert log == [{"method": "POST", "path": "/api/v3/assets/groups", "query": "", "status": 201, "auth": "hmac"},
                   {"method": "GET", "path": "/api/v3/assets/groups", "query": "per_page=2", "status": 200, "auth": "hmac"}]
    assert api.sim.requests(since=1) == log[1:]
    assert [w["method"] for w in api.sim.writes()] == ["POST"]
    assert api.sim.control("GET", "state")["groups"] == 9
    api.sim.reset()
    assert api.sim.requests() == [] and api.sim.control("GET", "state")["groups"] == 8
    api.cw("GET", "/api/v3/ping")
    api.sim.clear_requests()
    assert api.sim.requests() == []


def test_snapshot_then_reset_to_it(api):
    with pytest.raises(urllib.error.HTTPError) as refused:  # no snapshot yet
        api.sim.control("POST", "reset", {"to": "snapshot"})
    assert refused.value.code == 400
    api.cw("POST", "/api/v3/assets/groups", data=json.dumps({"name": "kept"}))
    api.sim.control("POST", "snapshot")
    api.cw("POST", "/api/v3/assets/groups", data=json.dumps({"name": "dropped"}))
    api.sim.control("POST", "reset", {"to": "snapshot"})
    names = [g["name"] for g in api.cw("GET", "/api/v3/assets/groups?per_page=100").json()]
    assert "kept" in names and "dropped" not in names and api.sim.requests()[:-1] == []
    created = api.cw("POST", "/api/v3/assets/groups", data=json.dumps({"name": "again"})).json()
    assert created["id"] == 10  # the snapshot's id counter, not the seed's
    api.sim.reset()
    assert api.sim.control("GET", "state")["groups"] == 8


def test_add_server_with_duplicate_hostname(api):
    first = api.cw("GET", "/api/v3/vulnerabilities/servers/1").json()
    added = api.sim.control("POST", "cyberwatch/servers", {"hostname": first["hostname"]})
    found = api.cw("GET", "/api/v3/servers?hostname=" + first["hostname"]).json()
    assert [s["id"] for s in found] == [1, added["id"]]


def test_fault_status_times_and_after(api):
    api.sim.set_faults([{"kind": "status", "status": 503, "match": "GET /api/v3/ping", "times": 1, "after": 1}])
    codes = [api.cw("GET", "/api/v3/ping").status_code for dummy in range(3)]
    assert codes == [200, 503, 200]
    assert [e["status"] for e in api.sim.requests()] == codes
    assert api.sim.control("GET", "faults")["faults"][0]["fired"] == 1


def test_fault_retry_after_and_probability(api):
    api.sim.set_faults([{"kind": "retry_after", "retry_after": 2, "match": "/v1/targets", "probability": 0.5}])
    codes = [api.cs("GET", "/targets").status_code for dummy in range(20)]
    assert set(codes) == {200, 429}
    api.sim.set_faults([{"kind": "retry_after", "retry_after": 2, "match": "/v1/targets", "probability": 0.5}])
    assert [api.cs("GET", "/targets").status_code for dummy in range(20)] == codes  # same seed, same draws
    api.sim.set_faults([{"kind": "retry_after", "retry_after": 2, "match": "targets"}])
    resp = api.cs("GET", "/targets")
    assert resp.status_code == 429 and resp.headers["Retry-After"] == "2"


def test_fault_latency(api):
    api.sim.set_faults([{"kind": "latency", "seconds": 0.3, "match": "ping"}])
    resp = api.cw("GET", "/api/v3/ping")
    assert resp.status_code == 200 and resp.elapsed.total_seconds() >= 0.3


def test_fault_non_json(api):
    api.sim.set_faults([{"kind": "non_json", "match": "ping", "times": 1}, {"kind": "non_json", "status": 502, "match": "ping"}])
    first, second = api.cw("GET", "/api/v3/ping"), api.cw("GET", "/api/v3/ping")
    assert first.status_code == 200 and "502 Bad Gateway" in first.text
    assert second.status_code == 502
    with pytest.raises(ValueError):
        first.json()


def test_fault_truncate(api):
    api.sim.set_faults([{"kind": "truncate", "match": "servers"}])
    with pytest.raises(requests.exceptions.RequestException):
        api.cw("GET", "/api/v3/vulnerabilities/servers")
    assert api.sim.requests()[-1]["status"] == 200


def test_fault_drop(api):
    api.sim.set_faults([{"kind": "drop", "match": "^DELETE "}])
    with pytest.raises(requests.exceptions.ConnectionError):
        api.cw("DELETE", "/api/v3/assets/groups/1")
    assert api.sim.requests()[-1]["status"] == 0
    parts = urlsplit(api.sim.url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=5)
    conn.request("DELETE", "/v1/scans/x")
    with pytest.raises((http.client.RemoteDisconnected, ConnectionError)):
        conn.getresponse()
    api.sim.clear_faults()
    assert api.sim.control("GET", "faults") == {"faults": []}


def test_bad_fault_rule_is_rejected(api):
    with pytest.raises(Exception):
        api.sim.set_faults([{"kind": "explode"}])
