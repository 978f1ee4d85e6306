"""Agents: /api/v3/assets/agents (legacy /api/v3/agents): GET list and detail, DELETE. Recorded: the shape.
Invented: one agent per odd server (at most 200)."""

from core.store import iso
from cyberwatch.common import destroy_of, index_of, show_of

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


# GET list (no filter), GET {id}, DELETE {id} (200 with the record)
index = index_of("agents", render)
show = show_of("agents", MODEL, render)
destroy = destroy_of("agents", MODEL, render)
