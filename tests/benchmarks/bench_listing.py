"""Listings over a 20 ms API latency: the inventory plugins in-process against the sequential and the concurrent
bare-Session floors.

The plugin's listing (its fetch_payload: every page, through the collection's client) is compared with the bare
concurrent floor (the same requests, --workers threads with a keep-alive Session each: benchlib.concurrent_floor) and
with the sequential floor (one Session following the next links); the whole parse adds building the hosts and
ansible-core's add_host/set_variable for each of them, which the floors do not do, and is shown beside them. Each
measure has its wall seconds and the CPU seconds of this process (the client) and of the simulator.

    .venv/bin/python tests/benchmarks/bench_listing.py [--servers 10000] [--targets 2000] [--workers 8] [--repeat 3]

Prints one JSON line per platform (medians of --repeat runs) and one for the tracemalloc peak of a 10,000-server
parse (list only). Targets: plugin listing <= 1.10x the concurrent floor on both platforms (issue 23); peak within
10 % of 54 MiB (issue 12).
"""

import argparse
import math
import os
import statistics
import tempfile

from benchlib import (LATENCY, TARGET_TO_CONCURRENT_FLOOR, Measure, Simulator, collection_root, concurrent_floor, cyberwatch_floor,
                      cyberwatch_listing, cystack_floor, cystack_listing, emit, floor_then_plugin, latency_fault, parse_in_process,
                      write_source)


def median_measure(measures):
    """A Measure of the medians of each figure."""
    measures = list(measures)
    simulator = [m.simulator_cpu_s for m in measures]
    return Measure(seconds=statistics.median(m.seconds for m in measures),
                   client_cpu_s=statistics.median(m.client_cpu_s for m in measures),
                   simulator_cpu_s=None if None in simulator else statistics.median(simulator))


def repeated(repeat, sim, sequential, concurrent, parse):
    """[(sequential floor, concurrent floor, Parse, plugin requests)] of each repeat, the three runs interleaved."""
    runs = []
    for dummy in range(repeat):
        sequential_run = sequential()
        concurrent_run, parsed, requests = floor_then_plugin(sim, concurrent, parse)
        runs.append((sequential_run, concurrent_run, parsed, sum(requests.values())))
    return runs


def line(runs, per_page, workers):
    sequential, concurrent = median_measure(r[0][0] for r in runs), median_measure(r[1][0] for r in runs)
    fetch, parse = median_measure(r[2].fetch for r in runs), median_measure(r[2].whole for r in runs)
    first_sequential, first_concurrent, parsed, requests = runs[0]
    return dict(latency_s=LATENCY, workers=workers, page_size=per_page, floor_s=round(sequential.seconds, 3),
                floor_requests=first_sequential[2], concurrent_floor_s=round(concurrent.seconds, 3),
                concurrent_floor_requests=first_concurrent[2], plugin_listing_s=round(fetch.seconds, 3),
                ratio=round(fetch.seconds / sequential.seconds, 3),
                ratio_to_concurrent_floor=round(fetch.seconds / concurrent.seconds, 3),
                target_ratio_to_concurrent_floor=TARGET_TO_CONCURRENT_FLOOR, plugin_parse_s=round(parse.seconds, 3),
                parse_ratio=round(parse.seconds / sequential.seconds, 3),
                parse_ratio_to_concurrent_floor=round(parse.seconds / concurrent.seconds, 3), hosts=parsed.hosts,
                plugin_requests=requests, expected_requests=math.ceil(first_sequential[1] / per_page),
                cpu_s={'sequential_floor': sequential.cpu(), 'concurrent_floor': concurrent.cpu(),
                       'plugin_listing': fetch.cpu(), 'plugin_parse': parse.cpu()})


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
        runs = repeated(args.repeat, sim, lambda: cyberwatch_floor(sim),
                        lambda: concurrent_floor(sim, 'cyberwatch', args.workers, cyberwatch_listing),
                        lambda: parse_in_process(cbw, sim=sim))
        emit('cyberwatch_listing', servers=runs[0][0][1], **line(runs, 100, args.workers))
        runs = repeated(args.repeat, sim, lambda: cystack_floor(sim),
                        lambda: concurrent_floor(sim, 'cystack', args.workers, cystack_listing),
                        lambda: parse_in_process(cys, plugin='cystack', sim=sim))
        emit('cystack_listing', targets=runs[0][0][1], **line(runs, 10, args.workers))
        traced = parse_in_process(cbw, trace=True)
        emit('inventory_memory', servers=args.servers, hosts=traced.hosts, workers=args.workers,
             tracemalloc_peak_mib=round(traced.peak / 2 ** 20, 1), before_mib=54, target_max_mib=round(54 * 1.1, 1))


if __name__ == '__main__':
    main()
