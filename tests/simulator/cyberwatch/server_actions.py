"""Server actions with an observable end: PUT servers/{id}/refresh, POST servers/{id}/updates, PATCH (or POST)
servers/{id}/reboot, on both server route sets.

Never recorded: routes from cbw-api-toolbox 2.3.2 (`server_refresh`, `server_schedule_updates`, `server_reboot`);
the answers and the way each action completes are invented (README "Cyberwatch behaviour"). Each completes
--test-deploy-delay seconds after the request, evaluated lazily by settle() on every request (callers hold the
store lock), like test_deploy and compliance rechecks.
"""

from core.web import ApiError, as_int, json_body, json_response
from cyberwatch import analysis, servers
from cyberwatch.common import find


class Due:
    """The servers with an action due (ids), so that settle() does not look at every server on every request
    (that cost ~15 ms at 10,000 servers). None until first needed (a loaded state may have actions due)."""

    def __init__(self):
        self.ids = None

    def add(self, server):
        """Remember a server whose action was just scheduled."""
        if self.ids is not None:
            self.ids.add(server["id"])


def _due(server):
    return any(server.get(key) is not None for key in ("updates_due", "reboot_due", "refresh_due"))


def refresh(api, request, item_id):
    """PUT servers/{id}/refresh: a new analysis is due after the delay (never for a server whose communication
    failed: its agent does not answer). Answers the server as listed."""
    del request
    server = find(api.store, "servers", item_id, servers.MODEL)
    if server["status"] != servers.COMM_FAIL:
        server["refresh_due"] = api.store.now() + api.delay
    api.actions_due.add(server)
    return json_response(servers.render(api.store, server))


def install_updates(api, request, item_id):
    """POST servers/{id}/updates {"update_ids": [...]} (also "updates_ids"; none: every update): installed after
    the delay. An id that is not an update of the server -> 422."""
    server = find(api.store, "servers", item_id, servers.MODEL)
    body = json_body(request)
    known = [update["id"] for update in server["updates"]]
    wanted = body.get("update_ids", body.get("updates_ids"))
    ids = known if wanted in (None, "", []) else [as_int(uid) for uid in wanted]
    unknown = [str(uid) for uid in ids if uid not in known]
    if unknown:
        raise ApiError(422, "Validation failed: Update %s is not an update of this server" % ", ".join(unknown))
    server["updates_pending"] = sorted(set(server.get("updates_pending") or []) | set(ids))
    server["updates_due"] = api.store.now() + api.delay
    api.actions_due.add(server)
    return json_response(servers.render(api.store, server))


def reboot(api, request, item_id):
    """PATCH servers/{id}/reboot: status server_update_reboot until the reboot completes after the delay."""
    del request
    server = find(api.store, "servers", item_id, servers.MODEL)
    server.setdefault("status_before_reboot", server["status"])
    server["status"] = "server_update_reboot"
    server["reboot_due"] = api.store.now() + api.delay
    api.actions_due.add(server)
    return json_response(servers.render(api.store, server))


def settle(store, due):
    """Complete the actions that are due (due: the api's Due)."""
    now = store.now()
    if due.ids is None:
        due.ids = set(sid for sid, server in store.servers.items() if _due(server))
    for sid in list(due.ids):
        server = store.servers.get(sid)
        if server is not None:
            _settle_server(store, server, now)
        if server is None or not _due(server):
            due.ids.discard(sid)


def _settle_server(store, server, now):
    due = server.get("updates_due")
    if due is not None and due <= now:
        pending = set(server.pop("updates_pending", None) or ())
        for update in [u for u in server["updates"] if u["id"] in pending]:
            analysis.install(server, update)
            if update.get("source") != analysis.SOURCE:  # not derived from the packages: its CVEs are fixed
                for code in update["cve_announcements"]:
                    link = server["cves"].get(code)
                    if link and link["fixed_at"] is None and link.get("source") != analysis.SOURCE:
                        link["fixed_at"] = due
            server["updates"].remove(update)
        # The installed versions give the derived CVEs and updates (not a new analysis: analyzed_at stays).
        analysis.derive_again(store, server, due)
        server["updates_due"] = None
        server["reboot_required"] = bool(pending) or server["reboot_required"]
    due = server.get("reboot_due")
    if due is not None and due <= now:
        server.update(boot_at=due, last_communication=due, reboot_required=False, reboot_due=None,
                      status=server.pop("status_before_reboot", server["status"]))
    due = server.get("refresh_due")
    if due is not None and due <= now:
        # The new analysis derives the CVEs and updates from the packages the server has.
        analysis.analyse(store, server, due)
        server.update(last_communication=due, refresh_due=None)
