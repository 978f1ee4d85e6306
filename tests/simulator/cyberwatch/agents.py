"""Agents: /api/v3/assets/agents (legacy /api/v3/agents): GET list and detail, DELETE. Recorded: the shape.
Invented: one agent per odd server (at most 200)."""

from core.store import iso
from core.web import json_response
from cyberwatch.common import all_rows, find, listing

MODEL = "Agent"
HOSTILE_FIELDS = ("remote_ip",)


def seed(store, servers):
    """One agent per odd server id, up to 200 (after the servers: it copies their address and last communication)."""
    for aid, sid in enumerate(range(1, servers + 1, 2), start=1):
        if aid > 200:
            break
        server = store.servers[sid]
        store.agents[aid] = {"id": aid, "server_id": sid, "node_id": 1, "version": "5.%d" % (aid % 3),
                             "remote_ip": server["addresses"][0], "last_communication": server["last_communication"]}


def render(record):
    """Agent: {id, server_id, node_id, version, remote_ip, last_communication}."""
    item = dict(record)
    item["last_communication"] = iso(record["last_communication"])
    return item


def index(api, request):
    """GET agents."""
    return listing(api, request, all_rows("agents"), render)


def show(api, request, item_id):
    """GET agents/{id}."""
    del request
    return json_response(render(find(api.store, "agents", item_id, MODEL)))


def destroy(api, request, item_id):
    """DELETE agent: 200 with it."""
    del request
    record = find(api.store, "agents", item_id, MODEL)
    del api.store.agents[record["id"]]
    return json_response(render(record))
