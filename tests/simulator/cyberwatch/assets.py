"""The asset view of the servers: /api/v3/assets/servers (GET list and detail, DELETE).

Recorded: the shorter list shape and the detail with packages and applications ([]). Invented (cbw-api-toolbox
2.3.2 examples, never recorded): the filters service_name and service_status (case-insensitive) and the services
behind them (not rendered): a Windows server runs `spooler`, disabled on even ids and running on odd ones; any other
server runs `sshd`, running.
"""

from cyberwatch import servers

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


# GET assets/servers[?service_name, service_status], GET {id} (with packages), DELETE {id}
rows, index, show, destroy = servers.view(FILTERS, render, render_detail)
