"""CyStack scan lifecycle: Queued -> Running -> Stopped, driven by elapsed time or by /_sim/ control.

Rule (with S = --scan-seconds > 0): Queued during the first S/3 seconds after creation, Running until S, then Stopped.
States only move forward. A scan that finishes (not stopped by the user) gets its full, deterministic findings;
a Running scan stopped by the user keeps the first half of them; a Queued scan stopped by the user finds nothing.
"""

import random
import uuid

from fleet import scan_findings

ORDER = ("Queued", "Running", "Stopped")


class Lifecycle:
    """Moves scans forward and materialises their vulnerabilities (callers hold the store lock)."""

    def __init__(self, store, scan_seconds):
        self.store = store
        self.scan_seconds = scan_seconds
        self.rng = random.Random("scan-ids-%s" % store.seed)

    def new_scan_id(self):
        """Deterministic UUID4 sequence for created scans."""
        return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))

    def tick(self):
        """Apply the time rule to every unfinished scan."""
        if self.scan_seconds <= 0:
            return
        now = self.store.now()
        for scan in self.store.scans.values():
            if scan["status"] == "Stopped" or scan.get("created_mono") is None:
                continue
            elapsed = now - scan["created_mono"]
            if elapsed >= self.scan_seconds:
                self.finish(scan, at=int(scan["created_mono"] + self.scan_seconds))
            elif elapsed >= self.scan_seconds / 3.0 and scan["status"] == "Queued":
                scan["status"] = "Running"

    def advance(self, scan, to=None):
        """One step forward, or straight to a target state (never backwards)."""
        current = ORDER.index(scan["status"]) if scan["status"] in ORDER else 2
        target = ORDER.index(to) if to in ORDER else min(current + 1, 2)
        if target <= current:
            return
        if target == 2:
            self.finish(scan, at=int(self.store.now()))
        else:
            scan["status"] = ORDER[target]

    def finish(self, scan, at):
        """The scan completed: full findings."""
        self._stop(scan, at, full=True)

    def user_stop(self, scan):
        """GET /scans/{id}/stop: idempotent; partial findings if it was running."""
        if scan["status"] != "Stopped":
            self._stop(scan, int(self.store.now()), full=False)

    def _stop(self, scan, at, full):
        was_running = scan["status"] == "Running"
        scan["status"] = "Stopped"
        scan["stop_time"] = at
        scan["finished"] = True
        if not (full or was_running):
            return
        target = self.store.targets.get(scan["target_id"])
        found = scan_findings(self.store.seed, scan["id"], target["address"] if target else "")
        if not full:
            found = found[:max(1, len(found) // 2)]
        for vuln in found:
            self.store.vulnerabilities[vuln["id"]] = vuln
