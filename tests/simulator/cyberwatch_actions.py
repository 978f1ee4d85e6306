"""Cyberwatch actions with an observable end: server refresh, updates and reboot, and discoveries (never recorded).

Routes follow cbw-api-toolbox 2.3.2 (`server_refresh`, `server_schedule_updates`, `server_reboot`, `discoveries`,
`relaunch_discovery`, `delete_discovery`); the answers and the way each action completes are invented (see README).
Each action completes --test-deploy-delay seconds after the request, evaluated lazily by settle() on every request
(callers hold the store lock), like test_deploy and compliance rechecks.
"""

import analysis
import cyberwatch_views as views
from core.store import iso
from core.web import ApiError, as_int, json_body

# (collection kind, sub-route, HTTP methods, action name) served on each prefix of the kind
ROUTES = (
    ("servers", "refresh", ("PUT",), "server_refresh"),
    ("servers", "updates", ("POST",), "server_updates"),
    ("servers", "reboot", ("PATCH", "POST"), "server_reboot"),
    ("discoveries", "relaunch", ("PUT",), "discovery_relaunch"),
)
ACTIONS = frozenset(route[3] for route in ROUTES)
COMM_FAIL = "server_update_comm_fail"
DISCOVERY_KEYS = ("id", "type", "name", "node_id", "target", "status", "created_at", "updated_at", "last_launched_at")


def seed(store, base_ts):
    """Two discoveries: a network range on the master node, an Active Directory domain on scanner-dmz."""
    seeded = (("CbwAssets::Discoveries::NetworkScan", "office-lan", 1, "10.0.0.0/24"),
              ("CbwAssets::Discoveries::ActiveDirectory", "corp-ad", 2, "corp.example.com"))
    for did, (kind, name, node_id, target) in enumerate(seeded, start=1):
        store.discoveries[did] = {"id": did, "type": kind, "name": name, "node_id": node_id, "target": target,
                                  "status": "finished", "created_at": base_ts - 30 * 86400,
                                  "updated_at": base_ts - 86400, "last_launched_at": base_ts - 86400,
                                  "relaunch_due": None}


def discovery(record):
    """Discovery as listed, relaunched and deleted."""
    item = {key: record[key] for key in DISCOVERY_KEYS}
    for key in ("created_at", "updated_at", "last_launched_at"):
        item[key] = iso(item[key])
    return item


def _due(server):
    return any(server.get(key) is not None for key in ("updates_due", "reboot_due", "refresh_due"))


class Actions:
    """The action sub-routes and their lazy completion."""

    def __init__(self, store, delay):
        self.store = store
        self.delay = delay
        self.pending = None  # ids of the servers with an action due (None: not known yet, e.g. a loaded state)

    def handle(self, action, record, request):
        """Answer one action request on a looked-up record."""
        return getattr(self, action)(record, json_body(request))

    def server_refresh(self, server, body):
        """PUT servers/{id}/refresh: a new analysis is due after the delay (never for a server whose communication
        failed: its agent does not answer). Answers the server as listed."""
        del body
        if server["status"] != COMM_FAIL:
            server["refresh_due"] = self.store.now() + self.delay
        self._schedule(server)
        return views.server_item(self.store, server)

    def server_updates(self, server, body):
        """POST servers/{id}/updates {"update_ids": [...]} (also "updates_ids"; none: every update): installed after
        the delay. An id that is not an update of the server -> 422."""
        known = [update["id"] for update in server["updates"]]
        wanted = body.get("update_ids", body.get("updates_ids"))
        ids = known if wanted in (None, "", []) else [as_int(uid) for uid in wanted]
        unknown = [str(uid) for uid in ids if uid not in known]
        if unknown:
            raise ApiError(422, "Validation failed: Update %s is not an update of this server" % ", ".join(unknown))
        server["updates_pending"] = sorted(set(server.get("updates_pending") or []) | set(ids))
        server["updates_due"] = self.store.now() + self.delay
        self._schedule(server)
        return views.server_item(self.store, server)

    def server_reboot(self, server, body):
        """PATCH servers/{id}/reboot: status server_update_reboot until the reboot completes after the delay."""
        del body
        server.setdefault("status_before_reboot", server["status"])
        server["status"] = "server_update_reboot"
        server["reboot_due"] = self.store.now() + self.delay
        self._schedule(server)
        return views.server_item(self.store, server)

    def discovery_relaunch(self, record, body):
        """PUT discoveries/{id}/relaunch: running until the delay passes, then finished."""
        del body
        now = self.store.now()
        record.update(status="running", last_launched_at=now, updated_at=now, relaunch_due=now + self.delay)
        return discovery(record)

    def _schedule(self, server):
        if self.pending is not None:
            self.pending.add(server["id"])

    def settle(self):
        """Complete the actions that are due."""
        now = self.store.now()
        # Only the servers with an action due: a scan of every server on every request cost ~15 ms at 10,000.
        if self.pending is None:
            self.pending = set(sid for sid, server in self.store.servers.items() if _due(server))
        for sid in list(self.pending):
            server = self.store.servers.get(sid)
            if server is not None:
                self._settle_server(self.store, server, now)
            if server is None or not _due(server):
                self.pending.discard(sid)
        for record in self.store.discoveries.values():
            if record.get("relaunch_due") is not None and record["relaunch_due"] <= now:
                record.update(status="finished", updated_at=record["relaunch_due"], relaunch_due=None)

    @staticmethod
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
