"""Fault injection rules: status, retry_after, latency, truncate, non_json, drop (deterministic by seed)."""

import random
import re
import threading

KINDS = ("status", "retry_after", "latency", "truncate", "non_json", "drop")
HTML_502 = (b"<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>"
            b"\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n")


class Rule:
    """One validated fault rule with its own counters."""

    def __init__(self, spec):
        if not isinstance(spec, dict) or spec.get("kind") not in KINDS:
            raise ValueError("each rule needs a kind in %s" % (KINDS,))
        self.spec = dict(spec)
        self.kind = spec["kind"]
        self.status = int(spec.get("status") or {"status": 503, "retry_after": 429, "non_json": 200}.get(self.kind, 0))
        self.retry_after = spec.get("retry_after", 1)
        self.seconds = float(spec.get("seconds", 0.2))
        self.pattern = re.compile(spec.get("match") or "")
        self.times = spec.get("times")
        self.probability = spec.get("probability")
        self.after = int(spec.get("after") or 0)
        self.seen = 0
        self.fired = 0

    def fires(self, target, rng):
        """Whether this rule applies to the request 'METHOD /path?query' (updates the counters)."""
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

    def replace(self, specs):
        """Validate and install a new rule list (counters and RNG restart)."""
        rules = [Rule(spec) for spec in specs or []]
        with self.lock:
            self.rules = rules
            self.rng = random.Random("faults-%s" % self.seed)

    def describe(self):
        """The rules as given, with their counters."""
        with self.lock:
            return [dict(rule.spec, seen=rule.seen, fired=rule.fired) for rule in self.rules]

    def pick(self, method, path, query):
        """The rule that fires for this request, or None."""
        target = "%s %s%s" % (method, path, "?" + query if query else "")
        with self.lock:
            for rule in self.rules:
                if rule.fires(target, self.rng):
                    return rule
        return None
