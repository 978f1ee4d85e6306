"""The CyStack part of the seeded fleet: targets, then scans and their findings, from one RNG (the order is part of
the fleet), and the order of their hostile fields (after Cyberwatch's, core/hostile.py)."""

import random

from cystack import scans, targets, vulnerabilities


def seed(store, seed_value, target_count):
    """Every CyStack table of a fresh store."""
    rng = random.Random("cystack-%s" % seed_value)
    targets.seed(store, rng, target_count)
    scans.seed(store, rng, seed_value, target_count)


def make_hostile(store, payloads):
    """Every free-text string of the CyStack tables becomes a payload."""
    targets.make_hostile(store, payloads)
    scans.make_hostile(store, payloads)
    vulnerabilities.make_hostile(store, payloads)
