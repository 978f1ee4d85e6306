"""Remote accesses: /api/v3/assets/remote_accesses (legacy /api/v3/remote_accesses), and their test_deploy.

Recorded: the shape (secrets, login and groups never returned), the 422 messages of a blank or taken address and of
a missing or unknown type, `"type": ""` ignored on PATCH, default ports, `server_groups` as a names string, DELETE
answering the object. Invented: the address compared without case (as under a case-insensitive SQL collation),
unknown group names created, every PATCH resetting is_valid to null, and the test_deploy outcome: after
--test-deploy-delay an address in 203.0.113.0/24 or starting with "unreachable" fails with
Net::SSH::ConnectionTimeout, any other succeeds.
"""

import ipaddress

from core.web import ApiError, as_int, json_body, json_response
from cyberwatch import groups, nodes
from cyberwatch.common import destroy_of, find, index_of, show_of

MODEL = "CbwRam::RemoteAccess"
PORTS = {"CbwRam::RemoteAccess::Ssh::WithPassword": 22, "CbwRam::RemoteAccess::Ssh::WithKey": 22,
         "CbwRam::RemoteAccess::WinRm::WithNegotiate": 5985, "CbwRam::RemoteAccess::Snmp": 161}
SECRETS = ("login", "password", "key", "auth_password", "priv_password")
UNREACHABLE = ipaddress.ip_network("203.0.113.0/24")
HOSTILE_FIELDS = ("address", "last_error")


def seed(store, servers):
    """Remote accesses 1-4 (SSH password, SNMP, SSH key, WinRM); a valid one is linked to the server after its id."""
    rows = (("CbwRam::RemoteAccess::Ssh::WithPassword", "10.0.2.14", 22, False, "Net::SSH::ConnectionTimeout"),
            ("CbwRam::RemoteAccess::Snmp", "10.10.1.207", 161, True, None),
            ("CbwRam::RemoteAccess::Ssh::WithKey", "10.10.1.103", 22, True, None),
            ("CbwRam::RemoteAccess::WinRm::WithNegotiate", "10.0.0.30", 5985, None, None))
    for rid, (kind, address, port, valid, error) in enumerate(rows, start=1):
        sid = rid + 1 if rid + 1 <= servers and valid else None
        store.remote_accesses[rid] = {"id": rid, "type": kind, "address": address, "port": port, "is_valid": valid,
                                      "last_error": error, "server_id": sid, "node_id": 1, "groups": [1],
                                      "secrets": {}, "test_due": None}


def render(record):
    """Remote access: secrets, login and groups are never returned."""
    keys = ("id", "type", "address", "port", "is_valid", "last_error", "server_id", "node_id")
    return {key: record[key] for key in keys}


def deploy_outcome(address):
    """The deterministic test_deploy rule: (is_valid, last_error)."""
    unreachable = str(address).lower().startswith("unreachable")
    try:
        unreachable = unreachable or ipaddress.ip_address(address) in UNREACHABLE
    except ValueError:
        pass
    return (False, "Net::SSH::ConnectionTimeout") if unreachable else (True, None)


def settle(store):
    """Resolve the test_deploy runs that are due (evaluated lazily on every Cyberwatch request)."""
    now = store.now()
    for record in store.remote_accesses.values():
        if record.get("test_due") is not None and record["test_due"] <= now:
            record["is_valid"], record["last_error"] = deploy_outcome(record["address"])
            record["test_due"] = None


def _address(store, address, own_id):
    if address is None or not str(address).strip():
        raise ApiError(422, "Validation failed: Address can't be blank")
    for rid, other in store.remote_accesses.items():
        if rid != own_id and other["address"].lower() == str(address).lower():  # case-insensitive collation
            raise ApiError(422, "Validation failed: Address has already been taken")
    return address


def create(api, request):
    """POST remote access; server_groups is a comma-separated string of group names (missing ones are created)."""
    store = api.store
    body = json_body(request)
    kind = body.get("type") or ""
    if kind not in PORTS:
        reason = "Type can't be blank" if not kind else "Type is not included in the list"
        raise ApiError(422, "Validation failed: " + reason)
    address = _address(store, body.get("address"), None)
    node_id = nodes.node_id(store, body, 1)
    group_ids = groups.by_name(store, body.get("server_groups"), create=True)
    rid = store.new_id("remote_accesses")
    record = {"id": rid, "type": kind, "address": address, "port": as_int(body.get("port"), PORTS[kind]),
              "is_valid": None, "last_error": None, "server_id": None, "node_id": node_id, "groups": group_ids,
              "credential_id": as_int(body.get("credential_id")),
              "secrets": {k: body[k] for k in SECRETS if body.get(k) is not None}, "test_due": None}
    store.remote_accesses[rid] = record
    return json_response(render(record), 201)


def update(api, request, item_id):
    """PATCH remote access: "type": "" is ignored; every PATCH resets is_valid to null."""
    store = api.store
    record = find(store, "remote_accesses", item_id, MODEL)
    body = json_body(request)
    if body.get("type"):
        if body["type"] not in PORTS:
            raise ApiError(422, "Validation failed: Type is not included in the list")
        record["type"] = body["type"]
    if "address" in body:
        record["address"] = _address(store, body["address"], record["id"])
    if body.get("port") not in (None, ""):
        record["port"] = as_int(body["port"], record["port"])
    record["node_id"] = nodes.node_id(store, body, record["node_id"])
    if "server_groups" in body:
        record["groups"] = groups.by_name(store, body["server_groups"], create=True)
    if "credential_id" in body:
        record["credential_id"] = as_int(body["credential_id"])
    record["secrets"].update({k: body[k] for k in SECRETS if body.get(k) is not None})
    record["is_valid"] = None
    record["test_due"] = None
    return json_response(render(record))


def test_deploy(api, request, item_id):
    """PUT (or POST, as in the seed doc) remote_accesses/{id}/test_deploy: answers is_valid null now, resolved by
    deploy_outcome() after the delay."""
    del request
    record = find(api.store, "remote_accesses", item_id, MODEL)
    record["is_valid"] = None
    record["test_due"] = api.store.now() + api.delay
    return json_response(render(record))


# GET list (no filter), GET {id}, DELETE {id} (200 with the record)
index = index_of("remote_accesses", render)
show = show_of("remote_accesses", MODEL, render)
destroy = destroy_of("remote_accesses", MODEL, render)
