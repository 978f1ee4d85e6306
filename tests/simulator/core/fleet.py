"""The seeded fleet: a fresh store for a seed, deterministic. Each resource seeds its own table (cyberwatch/fleet.py
and cystack/fleet.py give the order); the hostile fleet (core/hostile.py) then replaces the free-text strings."""

import random

from core.hostile import SAFE_MARKERS, Payloads
from core.store import Store
from cyberwatch import fleet as cyberwatch_fleet
from cystack import fleet as cystack_fleet


def generate(seed=1, servers=20, targets=12, hostile=None):
    """Build a fresh Store. hostile: a marker directory (see core/hostile.py) for the hostile fleet, None for a
    plain one."""
    store = Store(seed)
    cyberwatch_fleet.seed(store, random.Random(seed), servers)
    cystack_fleet.seed(store, seed, targets)
    if hostile is not None:
        if not SAFE_MARKERS.match(hostile):
            raise ValueError("hostile marker directory %r: an absolute path of [A-Za-z0-9_./-] only" % hostile)
        payloads = Payloads(hostile)  # one for both platforms: a field's offset is given once
        cyberwatch_fleet.make_hostile(store, payloads)
        cystack_fleet.make_hostile(store, payloads)
    store.reindex()
    return store
