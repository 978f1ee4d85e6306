"""CyStack behaviour: bearer auth, DRF pagination, documented quirks, scan lifecycle, monitoring."""

import json
import time

import requests

from launcher import Simulator


def test_bearer_auth(api):
    assert requests.get(api.sim.cystack["api_url"] + "/targets", timeout=5).json() == {
        "detail": "Authentication credentials were not provided."}
    bad = requests.get(api.sim.cystack["api_url"] + "/targets", headers={"Authorization": "Bearer nope"}, timeout=5)
    assert bad.status_code == 401 and bad.json() == {"detail": "Invalid token."}
    assert [e["auth"] for e in api.sim.requests()] == ["missing", "failed"]


def test_drf_pagination(api):
    first = api.cs("GET", "/targets").json()
    assert first["count"] == 12 and len(first["results"]) == 10 and first["previous"] is None
    assert first["next"] == api.sim.cystack["api_url"] + "/targets?page=2"
    second = requests.get(first["next"], headers=api.cys.headers, timeout=5).json()
    assert len(second["results"]) == 2 and second["next"] is None
    assert second["previous"] == api.sim.cystack["api_url"] + "/targets"
    assert api.cs("GET", "/targets?page=3").json() == {"detail": "Invalid page."}
    assert api.cs("GET", "/targets?page=x").status_code == 404
    assert api.cs("GET", "/targets/").status_code == 200


def test_targets_search_order_and_detail(api):
    rows = api.cs("GET", "/targets?q=CYSTACK.NET").json()["results"]
    assert [t["address"] for t in rows] == ["https://cystack.net"] and rows[0]["verification"] == 0
    ordered = api.cs("GET", "/targets?ordering=-target").json()["results"]
    assert [t["address"] for t in ordered] == sorted((t["address"] for t in ordered), reverse=True)
    detail = api.cs("GET", "/targets/" + rows[0]["id"]).json()
    assert detail == rows[0]
    assert api.cs("GET", "/targets/unknown").json() == {"detail": "Not found."}


def test_scan_quirks(api):
    scans = api.cs("GET", "/scans").json()["results"]
    item = next(s for s in scans if s["status"] == "Stopped")
    assert "id" not in item and isinstance(item["start_time"], str)
    time.strptime(item["start_time"], "%H:%M:%S %d/%m/%Y")
    detail = api.cs("GET", item["href"].removeprefix("/v1")).json()
    assert isinstance(detail["start_time"], int) and detail["description"] == "None" and "id" not in detail
    assert item["vulnerabilities"] == len(detail["vuln_href"])
    assert api.cs("GET", "/scans?status=Bogus").status_code == 400


def test_scan_lifecycle_via_control(api):
    target = api.sim.control("POST", "cystack/targets", {"address": "https://new.example.com", "verification": 1})
    created = api.cs("POST", "/scans", data=json.dumps({"target": target["id"], "profile": 5}))  # no Content-Type
    assert created.status_code == 201 and created.json() == {}
    location = created.headers["Location"]
    assert location.startswith("/v1/scans/")
    scan_id = location.rsplit("/", 1)[1]
    assert api.cs("GET", "/scans/" + scan_id).json()["status"] == "Queued"
    assert api.sim.control("POST", "cystack/scans/%s/advance" % scan_id)["status"] == "Running"
    done = api.sim.control("POST", "cystack/scans/%s/advance" % scan_id, {"to": "Stopped"})
    assert done["status"] == "Stopped" and done["vuln_href"] and isinstance(done["stop_time"], int)
    vuln_id = done["vuln_href"][0].rsplit("/", 1)[1]
    marked = api.cs("PUT", "/vulnerabilities/" + vuln_id, json={"false_positive": True}).json()
    assert marked["false_positive"] is True and marked["scan"]["id"] == scan_id
    assert api.cs("DELETE", "/scans/" + scan_id).status_code == 204
    assert api.cs("GET", "/scans/" + scan_id).status_code == 404


def test_scan_validation(api):
    assert api.cs("POST", "/scans", json={"profile": 5}).json() == {"target": ["This field is required."]}
    target = api.cs("GET", "/targets").json()["results"][0]["id"]
    assert "profile" in api.cs("POST", "/scans", json={"target": target, "profile": 99}).json()


def test_scan_lifecycle_by_time():
    with Simulator(seed=3, scan_seconds=0.6, servers=2, targets=2) as sim:
        headers = {"Authorization": "Bearer " + sim.cystack["api_key"]}
        target = requests.get(sim.cystack["api_url"] + "/targets", headers=headers, timeout=5).json()["results"][0]
        resp = requests.post(sim.cystack["api_url"] + "/scans", json={"target": target["id"], "profile": 1},
                             headers=headers, timeout=5)
        url = sim.url + resp.headers["Location"]
        assert requests.get(url, headers=headers, timeout=5).json()["status"] == "Queued"
        time.sleep(0.8)
        detail = requests.get(url, headers=headers, timeout=5).json()
        assert detail["status"] == "Stopped" and len(detail["vuln_href"]) >= 1
        stopped = requests.get(url + "/stop", headers=headers, timeout=5).json()
        assert stopped == detail


def test_vulnerability_filters(api):
    rows = api.cs("GET", "/vulnerabilities?sev=High").json()["results"]
    assert rows and {v["severity"] for v in rows} == {"High"}
    ranked = api.cs("GET", "/vulnerabilities?ordering=-severity").json()["results"]
    assert ranked[0]["severity"] == "High"
    assert api.cs("GET", "/vulnerabilities?sev=Critical").status_code == 400


def test_monitoring(api):
    tid = api.cs("GET", "/targets").json()["results"][1]["id"]
    assert set(api.cs("GET", "/targets/%s/monitoring" % tid).json()) == {"interval", "is_activated", "notifications"}
    updated = api.cs("PUT", "/targets/%s/monitoring" % tid, json={"interval": 10, "is_activated": 0}).json()
    assert updated["interval"] == 10 and updated["is_activated"] is False
    assert api.cs("PUT", "/targets/%s/monitoring" % tid, json={"interval": "x"}).status_code == 400
    results = api.cs("GET", "/targets/%s/monitor_result" % tid).json()
    assert isinstance(results, list) and len(results) == 30 and results[0]["target_id"] == tid


def test_foreign_next_host():
    with Simulator(servers=1, targets=11, extra_args=("--cystack-next-host", "https://cystack.io")) as sim:
        headers = {"Authorization": "Bearer " + sim.cystack["api_key"]}
        page = requests.get(sim.cystack["api_url"] + "/targets", headers=headers, timeout=5).json()
        assert page["next"] == "https://cystack.io/v1/targets?page=2"
