"""The mutate_listing fault: a busy fleet that changes between two pages of a listing.

Before the page is served, K records already served (those just before the page's offset, in the listing's order)
are deleted, which shifts offset pagination so that a naive client skips one later record per deletion; then K new
records are inserted at the head of the listing, which makes the last K served records come again on this page.
"""

import random

import fleet
from core.pagination import cyberwatch_window, drf_offset
from core.web import params, truthy

# (api, listing kind) -> table; the routes of each kind are in cyberwatch_api.RESOURCES / cystack_api._rules.
SUPPORTED = {("cyberwatch", "servers"): "servers", ("cyberwatch", "assets"): "servers",
             ("cystack", "targets"): "targets", ("cystack", "scans"): "scans"}


class Mutator:
    """Applies mutate_listing rules to the store (deterministic: its own RNG seeded from the seed)."""

    def __init__(self, app):
        self.app = app
        self.rng = random.Random("mutate-%s" % app.options.seed)

    def reset(self):
        """Restart the RNG (with the seeded state)."""
        self.rng = random.Random("mutate-%s" % self.app.options.seed)

    def listing(self, api, request):
        """(api, kind) when the request is a listing mutate_listing can act on, else None."""
        handler = self.app.cyberwatch if api == "cyberwatch" else self.app.cystack if api == "cystack" else None
        kind = handler.listing_kind(request) if handler is not None else None
        return (api, kind) if (api, kind) in SUPPORTED else None

    def apply(self, listing, request, delete, insert):
        """Mutate the store for this listing request; returns {"deleted": [ids], "inserted": [ids], "total"}."""
        kind = listing[1]
        store = self.app.store
        with store.lock:
            rows, offset = self._rows(listing, request)
            deleted = []
            if rows is not None and delete > 0:
                for row in rows[max(offset - delete, 0):offset]:
                    self._delete(kind, row["id"])
                    deleted.append(row["id"])
            inserted = []
            if rows is not None and insert > 0:
                inserted = self._insert(listing, request, insert)
            rows, _offset = self._rows(listing, request)
            return {"deleted": deleted, "inserted": inserted, "total": None if rows is None else len(rows)}

    def _rows(self, listing, request):
        api, kind = listing
        if api == "cyberwatch":
            query = params(request)
            page, per_page = cyberwatch_window(query, self.app.cyberwatch.max_per_page)
            return self.app.cyberwatch.listing_rows(kind, query), (page - 1) * per_page
        return self.app.cystack.listing_rows(kind, request), drf_offset(request)

    def _delete(self, kind, key):
        store = self.app.store
        if kind in ("servers", "assets"):
            store.drop_server(key)
            return
        scans = [key] if kind == "scans" else [s["id"] for s in store.scans.values() if s["target_id"] == key]
        for sid in scans:
            del store.scans[sid]
            for vid in [v["id"] for v in store.vulnerabilities.values() if v["scan_id"] == sid]:
                del store.vulnerabilities[vid]
        if kind == "targets":
            del store.targets[key]

    def _insert(self, listing, request, count):
        store = self.app.store
        kind = listing[1]
        if kind == "scans":
            return self._insert_scans(request, count)
        if kind in ("servers", "assets"):
            query = params(request)
            records = [self._fit_server(fleet.extra_server(store, self.rng), query) for dummy in range(count)]
            table = store.servers
        else:
            needle = request.args.get("q", "")
            records = [fleet.extra_target(store, self.rng) for dummy in range(count)]
            for record in records:
                if needle and needle.lower() not in record["address"].lower():
                    record["address"] += "/" + needle
            table = store.targets
        head, _offset = self._rows(listing, request)
        _insert_before(table, head[0]["id"] if head else None, records)
        if kind in ("servers", "assets"):
            for record in records:
                for code in record["cves"]:
                    store.cve_servers.setdefault(code, set()).add(record["id"])
        return [record["id"] for record in records]

    def _insert_scans(self, request, count):
        """New Queued scans started now: newest first, they head the default listing."""
        store = self.app.store
        needle = request.args.get("q", "").lower()
        targets = [t for t in store.targets.values() if needle in t["address"].lower()] or list(store.targets.values())
        if not targets:
            return []
        wanted = request.args.get("status")
        ids = []
        for dummy in range(count):
            scan = fleet.extra_scan(store, self.rng, self.rng.choice(targets)["id"])
            store.scans[scan["id"]] = scan
            if wanted in ("Running", "Stopping"):
                scan["status"], scan["created_mono"] = "Running", None
            elif wanted == "Stopped":
                self.app.cystack.lifecycle.finish(scan, at=scan["start_time"] + 1)
            ids.append(scan["id"])
        return ids

    @staticmethod
    def _fit_server(server, query):
        """Make a new server match the listing's filters, so that it shows in the filtered listing."""
        if query.get("hostname") not in (None, ""):
            server["hostname"] = str(query["hostname"])
        gid = query.get("group_id")
        if gid not in (None, "") and str(gid).isdigit() and int(gid) not in server["groups"]:
            server["groups"].append(int(gid))
        if query.get("reboot_required") not in (None, ""):
            server["reboot_required"] = truthy(query["reboot_required"])
        if query.get("communication_failed") not in (None, ""):
            failed = truthy(query["communication_failed"])
            if failed != (server["status"] == "server_update_comm_fail"):
                server["status"] = "server_update_comm_fail" if failed else "server_vulnerable"
        if query.get("active") not in (None, ""):
            server["active"] = truthy(query["active"])
        return server


def _insert_before(table, anchor, records):
    """Insert records into an insertion-ordered dict just before key anchor (at the end if anchor is None)."""
    tail = []
    if anchor is not None:
        keys = list(table)
        tail = [(key, table.pop(key)) for key in keys[keys.index(anchor):]]
    for record in records:
        table[record["id"]] = record
    table.update(tail)
