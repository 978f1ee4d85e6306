"""Faults that model a busy or unreliable server: status_after_commit, drop_after_commit, mutate_listing; and the
uniqueness rules (group name, remote access address, host target) holding under concurrent POSTs."""

import json
import re
import threading
from urllib.error import HTTPError

import pytest
import requests

from conftest import Clients
from launcher import Simulator

RA_TYPE = "CbwRam::RemoteAccess::Ssh::WithPassword"
CBW_SERVER_ROUTES = ("/api/v3/vulnerabilities/servers", "/api/v3/assets/servers", "/api/v3/servers")


@pytest.fixture()
def shared(sim):
    """Clients on the session simulator, reset before and after (no fault leaks to the other tests)."""
    sim.reset()
    yield Clients(sim)
    sim.reset()


@pytest.fixture(scope="module")
def own_sim():
    """A simulator of this module only: 23 servers (5 pages of 5), 25 targets (3 DRF pages), 17 scans."""
    with Simulator(seed=3, servers=23, targets=25, scan_seconds=0) as running:
        yield running


@pytest.fixture()
def own(own_sim):  # pylint: disable=redefined-outer-name
    """Clients on the module's simulator, reset before and after."""
    own_sim.reset()
    yield Clients(own_sim)
    own_sim.reset()


def _mutations(sim):
    return [m for rule in sim.control("GET", "faults")["faults"] for m in rule.get("mutations", [])]


# ---- status_after_commit / drop_after_commit


def test_status_after_commit_on_post_group_commits_then_answers_502(shared):
    shared.sim.set_faults([{"kind": "status_after_commit", "match": "^POST /api/v3/assets/groups$", "times": 1}])
    resp = shared.cw("POST", "/api/v3/assets/groups", data=json.dumps({"name": "after-commit"}))
    assert resp.status_code == 502
    assert resp.json() == {"error": {"code": 502, "status": "Error", "message": "Simulated fault"}}
    names = [g["name"] for g in shared.cw("GET", "/api/v3/assets/groups?per_page=100").json()]
    assert names.count("after-commit") == 1
    assert shared.sim.requests()[0] == {"method": "POST", "path": "/api/v3/assets/groups", "query": "", "status": 502,
                                        "auth": "hmac", "handled_status": 201}
    # A client that blindly retries the create now meets the uniqueness rule.
    retry = shared.cw("POST", "/api/v3/assets/groups", data=json.dumps({"name": "after-commit"}))
    assert retry.status_code == 422
    assert retry.json()["error"]["message"] == "Validation failed: Name has already been taken"
    assert shared.sim.control("GET", "faults")["faults"][0]["fired"] == 1


def test_status_after_commit_custom_status_on_cystack_scan_create(shared):
    shared.sim.set_faults([{"kind": "status_after_commit", "status": 504, "match": "^POST /v1/scans"}])
    before = shared.sim.control("GET", "state")["scans"]
    resp = shared.cs("POST", "/scans", json={"target": "599fc347-3e46-4163-8a1d-444bd1928a85", "profile": 1})
    assert resp.status_code == 504 and resp.json() == {"detail": "Service unavailable (simulated fault)."}
    assert "Location" not in resp.headers
    assert shared.sim.control("GET", "state")["scans"] == before + 1
    assert shared.sim.requests()[-1]["handled_status"] == 201


def test_status_after_commit_on_a_get_answers_the_error(shared):
    shared.sim.set_faults([{"kind": "status_after_commit", "match": "ping"}])
    resp = shared.cw("GET", "/api/v3/ping")
    assert resp.status_code == 502 and resp.json()["error"]["code"] == 502
    assert shared.sim.requests()[-1]["handled_status"] == 200


def test_drop_after_commit_on_patch_remote_access_applies_the_change(shared):
    shared.sim.set_faults([{"kind": "drop_after_commit", "match": "^PATCH /api/v3/assets/remote_accesses/1$"}])
    with pytest.raises(requests.exceptions.ConnectionError):
        shared.cw("PATCH", "/api/v3/assets/remote_accesses/1", data=json.dumps({"port": 2222, "login": "deploy"}))
    shared.sim.clear_faults()
    record = shared.cw("GET", "/api/v3/assets/remote_accesses/1").json()
    assert record["port"] == 2222 and record["is_valid"] is None  # the PATCH happened (and reset is_valid)
    entry = [e for e in shared.sim.requests() if e["method"] == "PATCH"][-1]
    assert entry["status"] == 0 and entry["handled_status"] == 200


def test_after_commit_and_mutate_rules_are_validated(shared):
    for bad in ({"kind": "mutate_listing", "delete": -1}, {"kind": "mutate_listing", "insert": "2"},
                {"kind": "mutate_listing", "delete": True}):
        with pytest.raises(HTTPError) as err:
            shared.sim.set_faults([bad])
        assert err.value.code == 400
    shared.sim.set_faults([{"kind": "drop_after_commit"}, {"kind": "status_after_commit"}])
    kinds = [rule["kind"] for rule in shared.sim.control("GET", "faults")["faults"]]
    assert kinds == ["drop_after_commit", "status_after_commit"]


# ---- mutate_listing


def _naive_cyberwatch(api, route, per_page):
    """Page by page until an empty page, as a client without snapshot semantics does: (ids, X-Total per page)."""
    ids, totals, page = [], [], 1
    while True:
        resp = api.cw("GET", "%s?per_page=%d&page=%d" % (route, per_page, page))
        assert resp.status_code == 200, resp.text
        totals.append(int(resp.headers["X-Total"]))
        items = resp.json()
        if not items:
            return ids, totals
        ids += [item["id"] for item in items]
        page += 1


def _naive_cystack(api, path, key="id"):
    """DRF pages 1, 2, ... until next is null: (ids, count per page)."""
    ids, counts, page = [], [], 1
    while True:
        body = api.cs("GET", "%s?page=%d" % (path, page)).json()
        counts.append(body["count"])
        ids += [item[key] if key == "id" else item["href"].rsplit("/", 1)[1] for item in body["results"]]
        if body["next"] is None:
            return ids, counts
        page += 1


def _all_server_ids(api):
    return [s["id"] for s in api.cw("GET", "/api/v3/vulnerabilities/servers?per_page=500").json()]


@pytest.mark.parametrize("route", CBW_SERVER_ROUTES)
def test_mutate_listing_delete_makes_a_naive_client_miss_one_server(own, route):
    before = _all_server_ids(own)
    assert len(before) == 23
    own.sim.set_faults([{"kind": "mutate_listing", "delete": 1, "times": 1,
                         "match": "^GET %s\\?per_page=5&page=3$" % re.escape(route)}])
    seen, totals = _naive_cyberwatch(own, route, 5)
    [mutation] = _mutations(own.sim)
    assert mutation == {"deleted": [before[9]], "inserted": [], "total": 22, "method": "GET", "path": route,
                        "query": "per_page=5&page=3"}
    stable = [sid for sid in before if sid not in mutation["deleted"]]  # existed for the whole listing
    assert len(seen) == len(set(seen))  # no repeat
    assert [sid for sid in stable if sid not in seen] == [before[10]]  # exactly one missed: shifted onto page 2
    assert totals == [23, 23, 22, 22, 22, 22]
    assert own.cw("GET", "%s/%d" % (route, before[9])).status_code == 404
    rule = own.sim.control("GET", "faults")["faults"][0]
    assert rule["fired"] == 1 and rule["seen"] == 1


@pytest.mark.parametrize("route", CBW_SERVER_ROUTES)
def test_mutate_listing_insert_makes_a_naive_client_see_one_server_twice(own, route):
    before = _all_server_ids(own)
    own.sim.set_faults([{"kind": "mutate_listing", "insert": 1, "times": 1,
                         "match": "^GET %s\\?per_page=5&page=3$" % re.escape(route)}])
    seen, totals = _naive_cyberwatch(own, route, 5)
    [mutation] = _mutations(own.sim)
    [new_id] = mutation["inserted"]
    assert mutation["deleted"] == [] and mutation["total"] == 24 and new_id not in before
    assert [sid for sid in set(seen) if seen.count(sid) > 1] == [before[9]]  # the last of page 2 comes again
    assert len(seen) == 24 and set(seen) == set(before)  # the new server sorted before page 3: never seen
    assert totals == [23, 23, 24, 24, 24, 24]
    # A valid server of the same shape as the seeded ones, with a unique hostname.
    listing = own.cw("GET", route + "?per_page=500").json()
    assert listing[0]["id"] == new_id
    assert set(listing[0]) == set(listing[1])
    assert [s["hostname"] for s in listing].count(listing[0]["hostname"]) == 1
    detail = own.cw("GET", "%s/%d" % (route, new_id))
    assert detail.status_code == 200 and set(detail.json()) == set(own.cw("GET", "%s/1" % route).json())


def test_mutate_listing_counts_only_listings_and_applies_both(own):
    route = "/api/v3/vulnerabilities/servers"
    before = _all_server_ids(own)
    own.sim.set_faults([{"kind": "mutate_listing", "delete": 2, "insert": 2, "match": "servers", "after": 1,
                         "times": 1}])
    assert own.cw("GET", route + "/1").status_code == 200  # a detail: not a listing, not counted
    assert own.cw("PATCH", route + "/1", data=json.dumps({"description": "x"})).status_code == 200
    first = own.cw("GET", route + "?per_page=4&page=1")  # seen 1, skipped by after
    second = own.cw("GET", route + "?per_page=4&page=2")  # fires
    assert first.headers["X-Total"] == "23" and second.headers["X-Total"] == "23"  # -2 +2
    [mutation] = _mutations(own.sim)
    assert mutation["deleted"] == before[2:4] and len(mutation["inserted"]) == 2
    # Net shift 0: page 2 shows the records that were at 4..7 before, the new ones are at the head.
    assert [s["id"] for s in second.json()] == before[4:8]
    rule = own.sim.control("GET", "faults")["faults"][0]
    assert (rule["seen"], rule["fired"]) == (2, 1)
    head = own.cw("GET", route + "?per_page=2&page=1").json()  # seen 3, times exhausted: no more changes
    assert [s["id"] for s in head] == mutation["inserted"] and len(_mutations(own.sim)) == 1


def test_mutate_listing_first_page_and_filters(own):
    own.sim.set_faults([{"kind": "mutate_listing", "delete": 1, "insert": 1, "times": 1,
                         "match": "group_id=2"}])
    resp = own.cw("GET", "/api/v3/vulnerabilities/servers?group_id=2&reboot_required=false&per_page=3")
    [mutation] = _mutations(own.sim)
    assert mutation["deleted"] == []  # nothing was served before page 1
    [new_id] = mutation["inserted"]
    assert resp.json()[0]["id"] == new_id  # fitted to the filters, at the head
    detail = own.cw("GET", "/api/v3/vulnerabilities/servers/%d" % new_id).json()
    assert 2 in [g["id"] for g in detail["groups"]] and detail["reboot_required"] is False


def test_mutate_listing_cystack_targets_delete_and_insert(own):
    before, counts = _naive_cystack(own, "/targets")
    assert len(before) == 25 and counts == [25, 25, 25]
    own.sim.set_faults([{"kind": "mutate_listing", "delete": 1, "times": 1, "match": "^GET /v1/targets\\?page=2$"}])
    seen, counts = _naive_cystack(own, "/targets")
    [mutation] = _mutations(own.sim)
    assert mutation["deleted"] == [before[9]] and mutation["total"] == 24
    assert counts == [25, 24, 24]
    assert [t for t in before if t not in mutation["deleted"] and t not in seen] == [before[10]]
    assert own.cs("GET", "/targets/" + before[9]).status_code == 404

    own.sim.reset()
    own.sim.set_faults([{"kind": "mutate_listing", "insert": 1, "times": 1, "match": "^GET /v1/targets\\?page=2$"}])
    seen, counts = _naive_cystack(own, "/targets")
    [mutation] = _mutations(own.sim)
    [new_id] = mutation["inserted"]
    assert counts == [25, 26, 26] and len(seen) == 26
    assert [t for t in set(seen) if seen.count(t) > 1] == [before[9]] and new_id not in seen
    target = own.cs("GET", "/targets/" + new_id).json()
    assert set(target) == {"verification", "href", "id", "address"}
    assert [t["address"] for t in own.cs("GET", "/targets?page=1").json()["results"]].count(target["address"]) == 1


def test_mutate_listing_cystack_scans_insert(own):
    before, counts = _naive_cystack(own, "/scans", key="href")
    assert len(before) == 17
    own.sim.set_faults([{"kind": "mutate_listing", "insert": 1, "times": 1, "match": "^GET /v1/scans\\?page=2$"}])
    seen, counts = _naive_cystack(own, "/scans", key="href")
    [mutation] = _mutations(own.sim)
    [new_id] = mutation["inserted"]
    assert counts == [17, 18] and [s for s in set(seen) if seen.count(s) > 1] == [before[9]]
    assert new_id not in seen
    scan = own.cs("GET", "/scans/" + new_id)
    assert scan.status_code == 200 and scan.json()["status"] == "Queued"


# ---- uniqueness under concurrency


RACES = {  # name -> (collection, body, unique field, 422 message)
    "group name": ("/api/v3/assets/groups", {"name": "race-group"}, "name",
                   "Validation failed: Name has already been taken"),
    "host target": ("/api/v3/hosts", {"target": "race.example.com", "node_id": 1}, "target",
                    "Validation failed: Target has already been taken"),
    "remote access address": ("/api/v3/assets/remote_accesses",
                              {"type": RA_TYPE, "address": "race-ra.example.com", "port": 22, "node_id": 1}, "address",
                              "Validation failed: Address has already been taken"),
}


@pytest.mark.parametrize("race", sorted(RACES))
def test_concurrent_creates_give_one_201_and_422s(own, race):
    path, body, key, message = RACES[race]
    workers = 8
    own.sim.set_faults([{"kind": "latency", "seconds": 0.3, "match": "^POST "}])  # all in flight together
    barrier = threading.Barrier(workers)
    answers = [None] * workers

    def post(slot):
        client = Clients(own.sim)  # one session per thread
        barrier.wait()
        answers[slot] = client.cw("POST", path, data=json.dumps(body))

    threads = [threading.Thread(target=post, args=(slot,)) for slot in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert sorted(a.status_code for a in answers) == [201] + [422] * (workers - 1)
    for answer in answers:
        if answer.status_code == 422:
            assert answer.json() == {"error": {"code": 422, "status": "Unprocessable Entity", "message": message}}
    listing = own.cw("GET", path + "?per_page=500").json()
    assert [row[key] for row in listing].count(body[key]) == 1
    if race == "group name":  # failed validations take no id, as in a database
        created = next(a.json() for a in answers if a.status_code == 201)
        assert created["id"] == 9
        own.sim.clear_faults()
        assert own.cw("POST", path, data=json.dumps({"name": "next"})).json()["id"] == 10


def test_uniqueness_is_case_insensitive_for_addresses_and_exact_for_group_names(own):
    assert own.cw("POST", "/api/v3/hosts", data=json.dumps({"target": "Case.example.com"})).status_code == 201
    dup = own.cw("POST", "/api/v3/hosts", data=json.dumps({"target": "case.EXAMPLE.com"}))
    assert dup.status_code == 422 and dup.json()["error"]["message"] == "Validation failed: Target has already been taken"
    assert own.cw("POST", "/api/v3/assets/groups", data=json.dumps({"name": "PROD"})).status_code == 201
    rename = own.cw("PUT", "/api/v3/assets/groups/2", data=json.dumps({"name": "prod"}))
    assert rename.status_code == 422 and rename.json()["error"]["message"] == "Validation failed: Name has already been taken"
