"""Scanning nodes: /api/v3/nodes. Recorded: {id, name, created_at, updated_at}, DELETE with {"new_id"} and its
errors. Invented: what moves to the new node (remote accesses, hosts, agents, docker images, applicative scans)."""

from core.store import BASE_TS, DAY, iso
from core.web import ApiError, json_body, json_response
from cyberwatch.common import find, index_of, show_of

MODEL = "Node"
HOSTILE_FIELDS = ("name",)
# The tables whose records name a node (DELETE moves them to the new one).
ON_NODES = ("remote_accesses", "hosts", "agents", "docker_images", "applicative_scans")


def seed(store):
    """master, scanner-dmz, scanner-eu."""
    for nid, name in enumerate(("master", "scanner-dmz", "scanner-eu"), start=1):
        store.nodes[nid] = {"id": nid, "name": name, "created_at": BASE_TS - 400 * DAY + nid, "updated_at": BASE_TS - DAY}


def render(record):
    """Node: {id, name, created_at, updated_at}."""
    return {"id": record["id"], "name": record["name"], "created_at": iso(record["created_at"]),
            "updated_at": iso(record["updated_at"])}


def node_id(store, body, default):
    """The node a body names, by `node_id` (404 when unknown) or by `node` (its name), else default."""
    if body.get("node_id") not in (None, ""):
        return find(store, "nodes", body["node_id"], MODEL)["id"]
    if body.get("node") not in (None, ""):
        for nid, node in store.nodes.items():
            if node["name"] == body["node"]:
                return nid
        raise ApiError(404, "Couldn't find Node with 'name'=%s" % body["node"])
    return default


def destroy(api, request, item_id):
    """DELETE node with {"new_id"}: what ran on it moves to new_id."""
    record = find(api.store, "nodes", item_id, MODEL)
    body = json_body(request)
    if body.get("new_id") in (None, ""):
        raise ApiError(400, "new_id is missing")
    new_id = find(api.store, "nodes", body["new_id"], MODEL)["id"]
    if new_id == record["id"]:
        raise ApiError(422, "Validation failed: new_id must be another node")
    for table in ON_NODES:
        for row in api.store.tables[table].values():
            if row["node_id"] == record["id"]:
                row["node_id"] = new_id
    del api.store.nodes[record["id"]]
    return json_response(render(record))


# GET list (no filter), GET {id}
index = index_of("nodes", render)
show = show_of("nodes", MODEL, render)
