"""The asset view of the servers: /api/v3/assets/servers (GET list and detail, DELETE).

Recorded: the shorter list shape and the detail with packages and applications ([]). Invented (cbw-api-toolbox
2.3.2 examples, never recorded): the filters service_name and service_status (case-insensitive) and the services
behind them (not rendered): a Windows server runs `spooler`, disabled on even ids and running on odd ones; any other
server runs `sshd`, running.
"""

from core.web import json_response
from cyberwatch import servers
from cyberwatch.common import find, listing, matching

MODEL = "Server"
KEYS = ("id", "hostname", "description", "last_communication", "reboot_required", "boot_at", "category",
        "created_at", "environment", "os", "groups")


def services(server):
    """The services an asset reports (invented so that the service filters of the toolbox's examples select
    something)."""
    os_type = (server.get("os") or {}).get("type")
    if os_type == "Os::Windows":
        return {"spooler": "disabled" if server["id"] % 2 == 0 else "running"}
    return {"sshd": "running"}


FILTERS = {"service_name": lambda row, value: str(value).strip().lower() in services(row),
           "service_status": lambda row, value: str(value).strip().lower() in services(row).values()}


def render(store, server):
    """Asset list item."""
    item = servers.render(store, server)
    return {key: item[key] for key in KEYS}


def render_detail(store, server):
    """Asset detail: adds packages and applications."""
    item = render(store, server)
    item["packages"] = [dict(p) for p in server["packages"]]
    item["applications"] = []
    return item


def rows(store, query):
    """The assets listed for a query."""
    return matching(list(store.servers.values()), query, FILTERS)


def index(api, request):
    """GET assets/servers[?service_name, service_status]."""
    return listing(api, request, rows, lambda server: render(api.store, server))


def show(api, request, item_id):
    """GET assets/servers/{id}."""
    del request
    return json_response(render_detail(api.store, find(api.store, "servers", item_id, MODEL)))


def destroy(api, request, item_id):
    """DELETE assets/servers/{id}: the server goes, answered as an asset."""
    del request
    server = find(api.store, "servers", item_id, MODEL)
    rendered = render(api.store, server)
    api.store.drop_server(server["id"])
    return json_response(rendered)
