"""Applicative (web) scans: /api/v3/assets/applicative_scans. Recorded: the shape {id, node_id, target,
server_id}, the 422 of `invalid@target` (`Target must be an IP, an HTTP URL or a successfully resolved domain name`).
Invented: a target is valid when it is an IP address, an http(s) URL with a host or a syntactically valid domain
name (nothing is resolved); blank -> 422 `Target can't be blank`; creating one does not create the website's
server asset (server_id stays null; the recording answered a new server_id)."""

import ipaddress
import re
from urllib.parse import urlsplit

from core.web import ApiError, json_body, json_response
from cyberwatch import nodes
from cyberwatch.common import destroy_of, find, index_of, show_of

MODEL = "CbwRam::ApplicativeScan"
HOSTILE_FIELDS = ("target",)
HOSTNAME = re.compile(r"^(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*\.?$", re.I)
TARGET_ERROR = "Target must be an IP, an HTTP URL or a successfully resolved domain name"


def seed(store):
    """www.example.com and https://shop.example.com, none linked to a server."""
    for aid, target in enumerate(("www.example.com", "https://shop.example.com"), start=1):
        store.applicative_scans[aid] = {"id": aid, "node_id": 1, "target": target, "server_id": None}


def valid_target(target):
    """Whether a target is an IP, an http(s) URL or a domain name (syntax only: nothing is resolved)."""
    target = str(target).strip()
    try:
        ipaddress.ip_address(target)
        return True
    except ValueError:
        pass
    if target.lower().startswith(("http://", "https://")):
        host = urlsplit(target).hostname or ""
        return bool(host) and (HOSTNAME.match(host) is not None or valid_target(host))
    return HOSTNAME.match(target) is not None


def _target(body, default):
    target = body.get("target", default)
    if not str(target or "").strip():
        raise ApiError(422, "Validation failed: Target can't be blank")
    if not valid_target(target):
        raise ApiError(422, "Validation failed: " + TARGET_ERROR)
    return target


def create(api, request):
    """POST applicative scan."""
    body = json_body(request)
    target = _target(body, None)
    node_id = nodes.node_id(api.store, body, 1)
    sid = api.store.new_id("applicative_scans")
    record = {"id": sid, "node_id": node_id, "target": target, "server_id": None}
    api.store.applicative_scans[sid] = record
    return json_response(dict(record), 201)


def update(api, request, item_id):
    """PATCH applicative scan: target and node."""
    record = find(api.store, "applicative_scans", item_id, MODEL)
    body = json_body(request)
    target = _target(body, record["target"])
    record["node_id"] = nodes.node_id(api.store, body, record["node_id"])
    record["target"] = target
    return json_response(dict(record))


# GET list (no filter), GET {id}, DELETE {id} (200 with the record)
index = index_of("applicative_scans", dict)
show = show_of("applicative_scans", MODEL, dict)
destroy = destroy_of("applicative_scans", MODEL, dict)
