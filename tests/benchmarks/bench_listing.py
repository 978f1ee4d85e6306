"""Listings over a 20 ms API latency: the inventory plugins in-process against the sequential bare-Session floor.

The plugin's listing (its fetch_payload: every page, through the collection's client) is compared with the floor;
the whole parse adds building the hosts and ansible-core's add_host/set_variable for each of them, which the floor
does not do, and is shown beside it.

    .venv/bin/python tests/benchmarks/bench_listing.py [--servers 10000] [--targets 2000] [--workers 8] [--repeat 3]

Prints one JSON line per platform (medians of --repeat runs) and one for the tracemalloc peak of a 10,000-server
parse (list only). Targets (issue 12): plugin <= 0.25x the floor on both platforms; peak within 10 % of 54 MiB.
"""

import argparse
import math
import os
import statistics
import tempfile

from benchlib import (LATENCY, Simulator, collection_root, cyberwatch_floor, cystack_floor, emit, latency_fault,
                      parse_in_process, write_source)


def measure(repeat, floor, parse):
    """(first floor, median floor seconds, median fetch seconds, median parse seconds, first parse)."""
    floors, parses = [], []
    for dummy in range(repeat):
        floors.append(floor())
        parses.append(parse())
    return (floors[0], statistics.median(f[0] for f in floors), statistics.median(p.fetch_seconds for p in parses),
            statistics.median(p.seconds for p in parses), parses[0])


def line(first, floor_s, fetch_s, parse_s, parsed, requests, per_page, workers):
    return dict(latency_s=LATENCY, workers=workers, page_size=per_page, floor_s=round(floor_s, 3),
                floor_requests=first[2], plugin_listing_s=round(fetch_s, 3), ratio=round(fetch_s / floor_s, 3),
                target_ratio=0.25, plugin_parse_s=round(parse_s, 3), parse_ratio=round(parse_s / floor_s, 3),
                hosts=parsed.hosts, plugin_requests=requests, expected_requests=math.ceil(first[1] / per_page))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n', maxsplit=1)[0])
    parser.add_argument('--servers', type=int, default=10000)
    parser.add_argument('--targets', type=int, default=2000)
    parser.add_argument('--workers', type=int, default=8)
    parser.add_argument('--repeat', type=int, default=3)
    args = parser.parse_args()
    tmp = tempfile.mkdtemp(prefix='bench-listing-')
    collection_root(tmp)
    with Simulator(seed=1, servers=args.servers, targets=args.targets, scan_seconds=0, faults=latency_fault()) as sim:
        os.environ.update(sim.env())
        cbw = write_source(tmp, 'list', page_size=100, max_workers=args.workers)
        cys = write_source(tmp, 'list', plugin='cystack', max_workers=args.workers)
        parse_in_process(cbw)  # warm-up: imports, the simulator's first renders
        sim.clear_requests()
        first, floor_s, fetch_s, parse_s, parsed = measure(args.repeat, lambda: cyberwatch_floor(sim),
                                                           lambda: parse_in_process(cbw))
        requests = len(sim.requests()) // args.repeat - first[2]
        emit('cyberwatch_listing', servers=first[1], **line(first, floor_s, fetch_s, parse_s, parsed, requests, 100,
                                                            args.workers))
        sim.clear_requests()
        first, floor_s, fetch_s, parse_s, parsed = measure(args.repeat, lambda: cystack_floor(sim),
                                                           lambda: parse_in_process(cys, plugin='cystack'))
        requests = len(sim.requests()) // args.repeat - first[2]
        emit('cystack_listing', targets=first[1], **line(first, floor_s, fetch_s, parse_s, parsed, requests, 10,
                                                         args.workers))
        traced = parse_in_process(cbw, trace=True)
        emit('inventory_memory', servers=args.servers, hosts=traced.hosts, workers=args.workers,
             tracemalloc_peak_mib=round(traced.peak / 2 ** 20, 1), before_mib=54, target_max_mib=round(54 * 1.1, 1))


if __name__ == '__main__':
    main()
