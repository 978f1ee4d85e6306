"""Stored credentials: /api/v3/assets/credentials (one route set): GET list and detail, POST, PATCH, DELETE.

Never recorded: routes and fields from cbw-api-toolbox 2.3.2; the rest is invented. A credential is {id, name, type,
user, endpoint, ca_cert, client_cert, created_at, updated_at}; its secrets are stored and never returned. `name` and
`type` are required (422 `Validation failed: Name can't be blank`), `name` is unique (422 `Name has already been
taken`, checked before an id is taken, as for groups); any `type` string is accepted (the real type names are
unknown); deleting a credential leaves the remote accesses that use it alone.
"""

from core.store import BASE_TS, DAY, iso
from core.web import ApiError, json_body, json_response
from cyberwatch.common import destroy_of, find, index_of, show_of

MODEL = "CbwRam::StoredCredential"
# Never rendered: the API takes them on create and update and never returns them.
SECRETS = ("password", "key", "client_key", "auth_password", "priv_password")
FIELDS = ("name", "type", "user", "endpoint", "ca_cert", "client_cert")
HOSTILE_FIELDS = ("name", "user")


def seed(store):
    """linux-scan-password (SSH with a password, user cyberwatch) and snmp-core-switches (SNMP)."""
    created_at = BASE_TS - 30 * DAY
    rows = (("linux-scan-password", "CbwRam::StoredCredential::Ssh::WithPassword", "cyberwatch"),
            ("snmp-core-switches", "CbwRam::StoredCredential::Snmp", None))
    for cid, (name, kind, user) in enumerate(rows, start=1):
        store.stored_credentials[cid] = {
            "id": cid, "name": name, "type": kind, "user": user, "endpoint": None, "ca_cert": None,
            "client_cert": None, "created_at": created_at, "updated_at": created_at, "secrets": {}}


def render(record):
    """A stored credential as listed, shown, created, updated and deleted: never a secret."""
    return {"id": record["id"], "name": record["name"], "type": record["type"], "user": record["user"],
            "endpoint": record["endpoint"], "ca_cert": record["ca_cert"], "client_cert": record["client_cert"],
            "created_at": iso(record["created_at"]), "updated_at": iso(record["updated_at"])}


def _fields(store, record, body):
    for key in FIELDS:
        if key in body:
            record[key] = body[key]
    for key in ("name", "type"):
        if not str(record[key] or "").strip():
            raise ApiError(422, "Validation failed: %s can't be blank" % key.capitalize())
    own_id = record.get("id")
    if any(other["name"] == record["name"] and cid != own_id for cid, other in store.stored_credentials.items()):
        raise ApiError(422, "Validation failed: Name has already been taken")
    secrets = dict(record.get("secrets") or {})
    secrets.update((k, body[k]) for k in SECRETS if body.get(k) is not None)
    record["secrets"] = secrets
    record["updated_at"] = store.now()
    return record


def create(api, request):
    """POST stored credential: validated before an id is taken."""
    record = dict({key: None for key in FIELDS}, id=None, created_at=api.store.now())
    record = _fields(api.store, record, json_body(request))
    record["id"] = api.store.new_id("stored_credentials")
    api.store.stored_credentials[record["id"]] = record
    return json_response(render(record), 201)


def update(api, request, item_id):
    """PATCH stored credential: any subset of the fields, secrets included (validated on a copy)."""
    record = find(api.store, "stored_credentials", item_id, MODEL)
    record.update(_fields(api.store, dict(record, secrets=dict(record["secrets"])), json_body(request)))
    return json_response(render(record))


# GET list (no filter), GET {id}, DELETE {id} (200 with the record)
index = index_of("stored_credentials", render)
show = show_of("stored_credentials", MODEL, render)
destroy = destroy_of("stored_credentials", MODEL, render)
