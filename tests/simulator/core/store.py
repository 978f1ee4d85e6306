"""The in-memory store shared by both simulated APIs: plain dict tables, one lock, JSON persistence."""

import json
import threading
import time
from datetime import datetime, timezone

CBW_TABLES = ("groups", "environments", "nodes", "users", "cves", "servers", "remote_accesses", "hosts",
              "agents", "security_issues", "rule_groups", "compliance_rules", "docker_images", "applicative_scans",
              "discoveries", "stored_credentials", "os")
CYSTACK_TABLES = ("targets", "scans", "vulnerabilities")
BASE_TS = 1704103200  # 2024-01-01T10:00:00Z: every seeded timestamp is an offset from here
DAY = 86400


def iso(ts):
    """Cyberwatch timestamp format: ISO 8601 with milliseconds and an offset."""
    if ts is None:
        return None
    return datetime.fromtimestamp(ts, timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.000+00:00")


class Store:
    """Every table is a dict id -> record (insertion order = listing order). Callers hold ``lock`` while mutating."""

    def __init__(self, seed):
        self.seed = seed
        self.lock = threading.RLock()
        self.tables = {name: {} for name in CBW_TABLES + CYSTACK_TABLES}
        self.next_ids = {}
        self.cve_servers = {}  # reverse index: cve code -> set of server ids that have it

    def __getattr__(self, name):
        tables = self.__dict__.get("tables", {})
        if name in tables:
            return tables[name]
        raise AttributeError(name)

    def new_id(self, table):
        """Next integer id of a table (never reused, like a database sequence)."""
        current = self.next_ids.get(table) or (max(self.tables[table], default=0) + 1)
        self.next_ids[table] = current + 1
        return current

    @staticmethod
    def now():
        """Wall clock, in seconds."""
        return time.time()

    def reindex(self):
        """Rebuild the cve -> servers index from the servers' CVE lists."""
        index = {}
        for sid, server in self.tables["servers"].items():
            for code in server["cves"]:
                index.setdefault(code, set()).add(sid)
        self.cve_servers = index

    def drop_server(self, sid):
        """Remove a server and its traces (CVE index, agents)."""
        server = self.tables["servers"].pop(sid)
        for code in server["cves"]:
            self.cve_servers.get(code, set()).discard(sid)
        for agent in [a for a in self.tables["agents"].values() if a["server_id"] == sid]:
            del self.tables["agents"][agent["id"]]
        return server

    def counts(self):
        """Number of records per table."""
        return {name: len(rows) for name, rows in self.tables.items()}

    def dump(self, path):
        """Persist the store as JSON (best effort)."""
        with self.lock:
            data = {"seed": self.seed, "next_ids": self.next_ids,
                    "tables": {name: list(rows.values()) for name, rows in self.tables.items()}}
            text = json.dumps(data)
        with open(path, "w", encoding="utf-8") as handle:
            handle.write(text)

    def load(self, path):
        """Load a store written by dump(); ids come back as the record's own key."""
        with open(path, encoding="utf-8") as handle:
            data = json.load(handle)
        with self.lock:
            for name, rows in data["tables"].items():
                key = "cve_code" if name == "cves" else "id"
                self.tables[name] = {row[key]: row for row in rows}
            self.next_ids = data.get("next_ids", {})
            self.reindex()
