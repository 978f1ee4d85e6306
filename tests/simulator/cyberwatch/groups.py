"""Server groups: /api/v3/assets/groups (legacy /api/v3/groups).

Recorded: the shape {id, name, description, color}, the default color #12AFCB on create (upper case), the 422
messages of a blank or taken name. Invented: deleting a group removes it from its servers; groups a remote access
or an air-gap upload names are created lower-case #12afcb, like the seeded ones.
"""

from core.web import ApiError, json_body, json_response
from cyberwatch.common import find, index_of, show_of

MODEL = "Group"
SEEDED = (("prod", "Production servers"), ("staging", ""), ("dev", "Development"), ("dmz", "Exposed hosts"),
          ("databases", ""), ("web", ""), ("windows", "Windows fleet"), ("linux", ""))
HOSTILE_FIELDS = ("name", "description")


def seed(store):
    """The eight seeded groups (servers name them by id: 1-4 their environment, 7 windows, 8 linux)."""
    for gid, (name, description) in enumerate(SEEDED, start=1):
        store.groups[gid] = {"id": gid, "name": name, "description": description, "color": "#12afcb"}


def render(store, gid):
    """Group of a server: {id, name, description, color}."""
    return dict(store.groups[gid])


def ids(store, value):
    """A server's groups from a body: a list of ids replacing the set; [null], [] and null clear; a comma-separated
    names string is accepted too (v2 style, unknown names ignored); an unknown id -> 404."""
    if value is None:
        return []
    if isinstance(value, str):
        return by_name(store, value, create=False)
    return [find(store, "groups", gid, MODEL)["id"] for gid in value if gid not in (None, "")]


def by_name(store, names, create):
    """Ids of the groups a comma-separated string names; create: a missing name becomes a new group."""
    found = []
    known = {g["name"]: gid for gid, g in store.groups.items()}
    for name in (n.strip() for n in str(names or "").split(",")):
        if not name:
            continue
        if name not in known and create:
            gid = store.new_id("groups")
            store.groups[gid] = {"id": gid, "name": name, "description": None, "color": "#12afcb"}
            known[name] = gid
        if name in known:
            found.append(known[name])
    return found


def _name(store, name, own_id):
    if name is None or not str(name).strip():
        raise ApiError(422, "Validation failed: Name can't be blank")
    if any(g["name"] == name and gid != own_id for gid, g in store.groups.items()):
        raise ApiError(422, "Validation failed: Name has already been taken")
    return name


def create(api, request):
    """POST group: default color #12AFCB (upper-case on create, as recorded). Validated before an id is taken."""
    body = json_body(request)
    name = _name(api.store, body.get("name"), None)
    gid = api.store.new_id("groups")
    record = {"id": gid, "name": name, "description": body.get("description"), "color": body.get("color") or "#12AFCB"}
    api.store.groups[gid] = record
    return json_response(dict(record), 201)


def update(api, request, item_id):
    """PUT group."""
    record = find(api.store, "groups", item_id, MODEL)
    body = json_body(request)
    if "name" in body:
        record["name"] = _name(api.store, body["name"], record["id"])
    for key in ("description", "color"):
        if key in body:
            record[key] = body[key]
    return json_response(dict(record))


def destroy(api, request, item_id):
    """DELETE group: 200 with the group; its servers lose it."""
    del request
    record = find(api.store, "groups", item_id, MODEL)
    del api.store.groups[record["id"]]
    for server in api.store.servers.values():
        if record["id"] in server["groups"]:
            server["groups"] = [g for g in server["groups"] if g != record["id"]]
    return json_response(dict(record))


# GET list (no filter), GET {id}
index = index_of("groups", dict)
show = show_of("groups", MODEL, dict)
