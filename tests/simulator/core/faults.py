"""Fault injection rules (deterministic by seed). KINDS:

- status: answer `status` (default 503) with the API's error envelope; the store is not touched.
- retry_after: 429 + Retry-After: `retry_after` (default 1).
- latency: sleep `seconds` (default 0.2) before handling (the request is then handled normally).
- truncate: handled (writes happen), then half the body with the full Content-Length and Connection: close.
- non_json: an nginx HTML "502 Bad Gateway" page with status 200 (or `status`).
- drop: the socket is shut down without any answer; nothing is handled.
- status_after_commit: handled normally (the write is applied), then the answer is replaced by `status`
  (default 502) with the API's error envelope.
- drop_after_commit: handled normally (the write is applied), then the socket is shut down without any answer.
- mutate_listing: on a listing GET (Cyberwatch servers/assets lists, CyStack targets and scans lists), before the
  page is served, deletes `delete` records already served and inserts `insert` new ones at the head of the listing
  (mutations.py); each firing is recorded in the rule's `mutations`. Other requests never count for this rule.
- malformed: handled normally, then the answer is replaced by the malformed shape `variant` names (malformed.py:
  html, huge_html, truncated_json, empty_2xx, redirect_302, object_for_list, list_for_object, missing_ids,
  wrong_types, deep_nesting). Only answers below 400 are replaced.
"""

import random
import re
import threading

from core import malformed

KINDS = ("status", "retry_after", "latency", "truncate", "non_json", "drop", "status_after_commit",
         "drop_after_commit", "mutate_listing", "malformed")
AFTER_COMMIT = ("status_after_commit", "drop_after_commit")
# Kinds that let the request be handled, then change its answer.
AFTER_HANDLING = AFTER_COMMIT + ("malformed",)
DEFAULT_STATUS = {"status": 503, "retry_after": 429, "non_json": 200, "status_after_commit": 502}
HTML_502 = (b"<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>"
            b"\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n")


def _count(spec, key):
    """A mutate_listing count: a non-negative integer, 0 when missing."""
    value = spec.get(key) or 0
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValueError("%s must be a non-negative integer" % key)
    return value


class Rule:
    """One validated fault rule with its own counters."""

    def __init__(self, spec):
        if not isinstance(spec, dict) or spec.get("kind") not in KINDS:
            raise ValueError("each rule needs a kind in %s" % (KINDS,))
        self.spec = dict(spec)
        self.kind = spec["kind"]
        self.status = int(spec.get("status") or DEFAULT_STATUS.get(self.kind, 0))
        self.retry_after = spec.get("retry_after", 1)
        self.seconds = float(spec.get("seconds", 0.2))
        self.pattern = re.compile(spec.get("match") or "")
        self.times = spec.get("times")
        self.probability = spec.get("probability")
        self.after = int(spec.get("after") or 0)
        self.delete = _count(spec, "delete") if self.kind == "mutate_listing" else 0
        self.insert = _count(spec, "insert") if self.kind == "mutate_listing" else 0
        self.variant = malformed.check(spec) if self.kind == "malformed" else None
        self.mutations = []
        self.seen = 0
        self.fired = 0

    def fires(self, target, rng, listing=False):
        """Whether this rule applies to the request 'METHOD /path?query' (updates the counters)."""
        if self.kind == "mutate_listing" and not listing:
            return False
        if not self.pattern.search(target):
            return False
        self.seen += 1
        if self.seen <= self.after:
            return False
        if self.times is not None and self.fired >= int(self.times):
            return False
        if self.probability is not None and rng.random() >= float(self.probability):
            return False
        self.fired += 1
        return True


class Faults:
    """The active rule list; the first rule that fires wins."""

    def __init__(self, seed):
        self.seed = seed
        self.lock = threading.Lock()
        self.rules = []
        self.rng = random.Random("faults-%s" % seed)
        self.refused = ()  # kinds the front end cannot inject (serve.py --keep-alive: the drop kinds)

    def replace(self, specs):
        """Validate and install a new rule list (counters and RNG restart)."""
        rules = [Rule(spec) for spec in specs or []]
        refused = sorted({rule.kind for rule in rules} & set(self.refused))
        if refused:
            raise ValueError("fault kind %s needs the default werkzeug front end: the keep-alive (waitress) one cannot "
                             "drop a socket" % ", ".join(refused))
        with self.lock:
            self.rules = rules
            self.rng = random.Random("faults-%s" % self.seed)

    def describe(self):
        """The rules as given, with their counters."""
        with self.lock:
            return [dict(rule.spec, seen=rule.seen, fired=rule.fired,
                         **({"mutations": [dict(m) for m in rule.mutations]} if rule.kind == "mutate_listing" else {}))
                    for rule in self.rules]

    def wants_listing(self):
        """Whether a mutate_listing rule is installed (only then are requests checked for being listings)."""
        with self.lock:
            return any(rule.kind == "mutate_listing" for rule in self.rules)

    def pick(self, method, path, query, listing=False):
        """The rule that fires for this request, or None; listing: the request is one mutate_listing acts on."""
        target = "%s %s%s" % (method, path, "?" + query if query else "")
        with self.lock:
            for rule in self.rules:
                if rule.fires(target, self.rng, listing):
                    return rule
        return None

    def record(self, rule, mutation):
        """Remember what a mutate_listing firing did (shown by describe())."""
        with self.lock:
            rule.mutations.append(mutation)
