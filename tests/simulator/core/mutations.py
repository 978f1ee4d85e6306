"""The mutate_listing fault: a busy fleet that changes between two pages of a listing.

Before the page is served, K records already served (those just before the page's offset, in the listing's order)
are deleted, which shifts offset pagination so that a naive client skips one later record per deletion; then K new
records are inserted at the head of the listing, which makes the last K served records come again on this page.

The listings it acts on say how (each platform's api.mutable_listing): cyberwatch/servers.py Listing (servers and
assets), cystack/targets.py and cystack/scans.py Listing. A listing has rows(request) -> (rows or None for an invalid
filter, offset of the page), drop(key) and insert(request, count, rng) -> new ids.
"""

import random


class Mutator:
    """Applies mutate_listing rules to the store (deterministic: its own RNG seeded from the seed)."""

    def __init__(self, app):
        self.app = app
        self.rng = random.Random("mutate-%s" % app.options.seed)

    def reset(self):
        """Restart the RNG (with the seeded state)."""
        self.rng = random.Random("mutate-%s" % self.app.options.seed)

    def listing(self, api, request):
        """The listing this request reads when mutate_listing can act on it, else None."""
        handler = self.app.cyberwatch if api == "cyberwatch" else self.app.cystack if api == "cystack" else None
        return handler.mutable_listing(request) if handler is not None else None

    def apply(self, listing, request, delete, insert):
        """Mutate the store for this listing request; returns {"deleted": [ids], "inserted": [ids], "total"}."""
        with self.app.store.lock:
            rows, offset = listing.rows(request)
            deleted = []
            if rows is not None and delete > 0:
                for row in rows[max(offset - delete, 0):offset]:
                    listing.drop(row["id"])
                    deleted.append(row["id"])
            inserted = []
            if rows is not None and insert > 0:
                inserted = listing.insert(request, insert, self.rng)
            rows, _offset = listing.rows(request)
            return {"deleted": deleted, "inserted": inserted, "total": None if rows is None else len(rows)}


def insert_before(table, anchor, records):
    """Insert records into an insertion-ordered dict just before key anchor (at the end if anchor is None)."""
    tail = []
    if anchor is not None:
        keys = list(table)
        tail = [(key, table.pop(key)) for key in keys[keys.index(anchor):]]
    for record in records:
        table[record["id"]] = record
    table.update(tail)
