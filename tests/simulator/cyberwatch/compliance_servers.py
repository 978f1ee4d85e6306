"""Compliance servers: /api/v3/compliance/servers: every server with its compliance results (compliance.py).

Recorded: the list and detail shapes, the filters hostname, group_id and environment_id, PUT {id}/recheck_rules.
Invented: PUT {id} (cbw-api-toolbox update_compliance_server, not recorded), a server update answered with the
detail; right after a recheck the simulator shows gen_analyzing (the recording showed the job state gen_idle).
"""

from core.web import as_int, json_body, json_response
from cyberwatch import compliance, servers
from cyberwatch.common import find, listing, matching

MODEL = "Server"
FILTERS = {"hostname": servers.FILTERS["hostname"], "group_id": servers.FILTERS["group_id"],
           "environment_id": lambda row, value: row["environment_id"] == as_int(value)}


def index(api, request):
    """GET compliance/servers[?hostname, group_id, environment_id]."""
    return listing(api, request, lambda store, query: matching(list(store.servers.values()), query, FILTERS),
                   compliance.Compliance(api.store).server_item)


def show(api, request, item_id):
    """GET compliance/servers/{id}: the detail, with its rules."""
    del request
    return json_response(compliance.Compliance(api.store).server_detail(find(api.store, "servers", item_id, MODEL)))


def update(api, request, item_id):
    """PUT compliance/servers/{id}: as a server update, answered with the compliance detail."""
    server = find(api.store, "servers", item_id, MODEL)
    servers.apply_update(api.store, server, json_body(request), api.delay)
    return json_response(compliance.Compliance(api.store).server_detail(server))


def recheck_rules(api, request, item_id):
    """PUT compliance/servers/{id}/recheck_rules: the server's results are gen_analyzing until the recheck
    completes, after the test_deploy delay."""
    del request
    server = find(api.store, "servers", item_id, MODEL)
    compliance.schedule(server, "compliance_verified_at", "compliance_recheck_due", api.store.now(), api.delay)
    return json_response(compliance.Compliance(api.store).server_detail(server))
