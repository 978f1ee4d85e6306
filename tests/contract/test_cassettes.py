"""Replay every in-scope recorded Cyberwatch interaction against the simulator and compare the answers."""

import json
import re
from urllib.parse import urlsplit

import pytest

from recordings import LEGACY, interactions, problems, skip_reason

CASES = interactions()
# Every recorded interaction (259 of 259, the air-gap script included): a lost cassette or a new SKIPPED entry fails
# test_enough_interactions_in_scope.
MIN_REPLAYED = 259
# Requests to replay after the reset, before a cassette whose recording depended on earlier state.
SETUP = {
    "import_remote_accesses_xlsx_file_false": [
        ("POST", "/api/v3/assets/remote_accesses", {"type": "CbwRam::RemoteAccess::Ssh::WithPassword",
                                                    "address": address, "port": 22, "node_id": 1})
        for address in ("server01.example.com", "server02.example.com")],
}
# Fields only the 2019-2020 servers returned (cassettes/legacy_v3); documented in tests/simulator/README.md.
LEGACY_ONLY = {"agent_version", "remote_ip", "criticality", "created_at", "updated_at", "content", "exploitable"}
KIND_OF = [("remote_accesses", "remote_accesses"), ("groups", "groups"), ("hosts", "hosts"), ("nodes", "nodes"),
           ("users", "users"), ("agents", "agents"), ("security_issues", "security_issues"),
           ("assets/servers", "assets"), ("servers", "servers")]
LIST_ROUTES = {"servers": "/api/v3/vulnerabilities/servers", "assets": "/api/v3/assets/servers",
               "remote_accesses": "/api/v3/assets/remote_accesses", "groups": "/api/v3/assets/groups",
               "hosts": "/api/v3/hosts", "nodes": "/api/v3/nodes", "users": "/api/v3/users", "agents": "/api/v3/assets/agents",
               "security_issues": "/api/v3/vulnerabilities/security_issues"}


def _existing_ids(api, kind):
    resp = api.cw("GET", LIST_ROUTES[kind] + "?per_page=500")
    return [row["id"] for row in resp.json()]


def translate(api, path):
    """Map recorded ids to ids of the seeded store (unknown ids such as wrong_id stay as they are)."""
    match = re.match(r"^(/api/v3/(?:vulnerabilities/|assets/)?)([a-z_]+(?:/servers)?)/(\d+)(/.*)?$", path)
    if not match:
        return path
    prefix, resource, raw_id, rest = match.groups()
    kind = next((k for needle, k in KIND_OF if resource.endswith(needle)), None)
    if kind is None:
        return path
    if rest and rest.startswith("/cve_announcements/"):
        for server in api.cw("GET", "/api/v3/vulnerabilities/servers?per_page=500").json():
            detail = api.cw("GET", "/api/v3/vulnerabilities/servers/%d" % server["id"]).json()
            if detail["cve_announcements"]:
                return "%s%s/%d/cve_announcements/%s" % (prefix, resource, server["id"],
                                                         detail["cve_announcements"][0]["cve_code"])
    ids = _existing_ids(api, kind)
    new_id = int(raw_id) if int(raw_id) in ids else ids[-1]
    return "%s%s/%d%s" % (prefix, resource, new_id, rest or "")


def translate_body(api, body):
    """Recorded group ids in a server update body become ids of seeded groups."""
    try:
        data = json.loads(body) if body else None
    except ValueError:
        return body
    if not isinstance(data, dict) or not isinstance(data.get("groups"), list):
        return body
    ids = _existing_ids(api, "groups")
    data["groups"] = [ids[i % len(ids)] if gid is not None else None for i, gid in enumerate(data["groups"])]
    return json.dumps(data)


def _type(value):
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, (int, float)):
        return "number"
    return type(value).__name__


def compare_object(recorded, got, legacy, where):
    """Same top-level keys (legacy: recorded keys minus LEGACY_ONLY are present) and compatible value types."""
    assert isinstance(got, dict), "%s: expected an object, got %r" % (where, got)
    if legacy:
        missing = set(recorded) - set(got) - LEGACY_ONLY
        assert not missing, "%s: missing keys %s" % (where, sorted(missing))
    else:
        assert set(got) == set(recorded), "%s: keys differ: missing %s, extra %s" % (
            where, sorted(set(recorded) - set(got)), sorted(set(got) - set(recorded)))
    for key, value in recorded.items():
        if key in got and value is not None and got[key] is not None:
            assert _type(value) == _type(got[key]), "%s: %s is %s, recorded %s" % (where, key, _type(got[key]), _type(value))


def compare_headers(recorded, resp):
    """X-Page/X-Per-Page/X-Total as recorded; Link only and exactly when there is more than one page."""
    if "X-Total" not in recorded:
        return
    for name in ("X-Page", "X-Per-Page"):
        assert resp.headers.get(name) == recorded[name][0], name
    total, per_page = int(resp.headers["X-Total"]), int(resp.headers["X-Per-Page"])
    if total > per_page:
        rels = re.findall(r'rel="(\w+)"', resp.headers["Link"])
        assert rels == [r for r in ("first", "prev", "last", "next") if r in rels]
    else:
        assert "Link" not in resp.headers


def test_cassettes_present():
    """Every cassette of SHA256SUMS is in tests/contract/cassettes/, unchanged: a missing one fails, never skips."""
    found = problems()
    assert not found, "recorded cassettes missing or changed:\n" + "\n".join(found)


def test_enough_interactions_in_scope():
    """At least MIN_REPLAYED recorded interactions are replayed (not skipped as out of the simulator's scope)."""
    in_scope = sum(1 for case in CASES if not skip_reason(case[2]))
    assert in_scope >= MIN_REPLAYED, "only %d of %d recorded interactions are in scope (need %d)" % (
        in_scope, len(CASES), MIN_REPLAYED)


def send(api, name, rec):
    """The recorded request, with ids mapped to the seeded store."""
    uri = urlsplit(rec["uri"])
    path = translate(api, uri.path) + ("?" + uri.query if uri.query else "")
    if name == "ping_without_api_key":
        api.cbw.auth.api_key = ""
    elif name == "ping_without_secret_key":
        api.cbw.auth.secret = ""
    try:
        return api.cw(rec["method"], path, data=translate_body(api, rec["body"]).encode("utf-8") or None)
    finally:
        api.cbw.auth.api_key, api.cbw.auth.secret = api.sim.cyberwatch["api_key"], api.sim.cyberwatch["secret_key"]


@pytest.mark.parametrize("case", CASES, ids=[case[0] for case in CASES])
def test_replay(clients, case):
    """One recorded interaction, self-contained whatever the order or the xdist worker: the simulator is reset and
    the earlier interactions of the same cassette are sent again (not compared) before this one."""
    api = clients
    _test_id, folder, name, index, rec = case
    reason = skip_reason(name)
    if reason:
        pytest.skip(reason)
    legacy = folder == LEGACY
    api.sim.reset()
    for method, path, body in SETUP.get(name, []):
        assert api.cw(method, path, data=json.dumps(body)).status_code == 201
    for earlier in CASES:
        if earlier[1:3] == (folder, name) and earlier[3] < index:
            send(api, name, earlier[4])
    resp = send(api, name, rec)
    assert resp.status_code == rec["status"], resp.text[:300]
    recorded, got = rec["json"], resp.json()
    if isinstance(recorded, dict) and "error" in recorded:
        assert got["error"]["code"] == recorded["error"]["code"]
        assert got["error"]["status"] == recorded["error"]["status"]
        expected = recorded["error"]["message"].split(" [WHERE")[0]
        assert got["error"]["message"] == expected or (legacy and got["error"]["message"].startswith(expected))
    elif isinstance(recorded, list):
        assert isinstance(got, list)
        if recorded and got:
            compare_object(recorded[0], got[0], legacy, "first item")
        compare_headers(rec["headers"], resp)
    elif isinstance(recorded, dict):
        compare_object(recorded, got, legacy, "body")
