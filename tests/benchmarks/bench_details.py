"""Server details over a 20 ms API latency: cold with 8 and 16 workers against the bare concurrent floor (the same
requests, as many threads with a keep-alive Session each: benchlib.concurrent_floor) and the limit, and a warm refresh
from the inventory cache after 1 % of the servers were re-analysed, against the list-only time.

    .venv/bin/python tests/benchmarks/bench_details.py [--servers 10000] [--changed 0.01]

Prints one JSON line per measure, with the CPU seconds of this process (the client) and of the simulator. Targets:
cold with 8 and 16 workers, the plugin's fetch <= 1.10x the concurrent floor (issue 23); warm with 1 % changed <= 1.5x
the list-only time (issue 12). The ratio to the limit (N x 20 ms / workers) is reported, no longer a target.
"""

import argparse
import math
import os
import re
import tempfile
import time
from functools import partial

from benchlib import (LATENCY, TARGET_TO_CONCURRENT_FLOOR, Simulator, collection_root, concurrent_floor, cyberwatch_details, emit,
                      floor_then_plugin, latency_fault, logged_requests, parse_in_process, requests_to, write_source)

DETAIL = re.compile(r'/servers/\d+$')


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n', maxsplit=1)[0])
    parser.add_argument('--servers', type=int, default=10000)
    parser.add_argument('--changed', type=float, default=0.01)
    args = parser.parse_args()
    tmp = tempfile.mkdtemp(prefix='bench-details-')
    collection_root(tmp)
    from ansible_collections.secops.vulnmgmt.plugins.module_utils.cyberwatch import CyberwatchClient  # noqa: E501 pylint: disable=import-outside-toplevel
    from ansible_collections.secops.vulnmgmt.plugins.module_utils.transport import concurrent_map  # noqa: E501 pylint: disable=import-outside-toplevel
    cache = dict(cache=True, cache_plugin='ansible.builtin.jsonfile', cache_connection=os.path.join(tmp, 'cache'),
                 cache_timeout=1)
    with Simulator(seed=1, servers=args.servers, targets=12, scan_seconds=0, faults=latency_fault(),
                   extra_args=('--test-deploy-delay', '0.2')) as sim:
        os.environ.update(sim.env())
        listed = write_source(tmp, 'listonly', page_size=100, max_workers=16)
        parse_in_process(listed)  # warm-up: imports, the simulator's first renders
        for workers in (8, 16):
            source = write_source(tmp, 'cold%d' % workers, details=True, page_size=100, max_workers=workers,
                                  **(cache if workers == 16 else {}))
            floor_run = partial(concurrent_floor, sim, 'cyberwatch', workers, cyberwatch_details)
            (floor, dummy, floor_requests), cold, logged = floor_then_plugin(sim, floor_run, partial(parse_in_process, source, sim=sim))
            limit = args.servers * LATENCY / workers
            emit('details_cold', servers=args.servers, latency_s=LATENCY, workers=workers, seconds=round(cold.seconds, 3),
                 fetch_seconds=round(cold.fetch_seconds, 3), detail_requests=requests_to(logged, DETAIL),
                 requests=requests_to(logged), concurrent_floor_s=round(floor.seconds, 3), concurrent_floor_requests=floor_requests,
                 ratio_to_concurrent_floor=round(cold.fetch_seconds / floor.seconds, 3),
                 parse_ratio_to_concurrent_floor=round(cold.seconds / floor.seconds, 3),
                 target_ratio_to_concurrent_floor=TARGET_TO_CONCURRENT_FLOOR, limit_s=round(limit, 3),
                 ratio_to_limit=round(cold.seconds / limit, 3),
                 cpu_s={'concurrent_floor': floor.cpu(), 'plugin_fetch': cold.fetch.cpu(), 'plugin_parse': cold.whole.cpu()})

        # 1 % of the servers re-analysed (the simulator's refresh completes after its delay), then the cache is stale.
        client = CyberwatchClient(sim.cyberwatch['api_url'], sim.cyberwatch['api_key'], sim.cyberwatch['secret_key'])
        servers = [s for s in client.list('server', per_page=500, max_workers=16)
                   if s['status'] != 'server_update_comm_fail' and s['analyzed_at']]
        chosen = servers[::max(len(servers) // max(int(args.servers * args.changed), 1), 1)][:int(args.servers * args.changed)]
        concurrent_map(lambda s: client.request('PUT', client.path('servers', s['id'], 'refresh')), chosen, 16)
        time.sleep(1.2)  # the re-analyses complete, and the cached payload is older than cache_timeout (1 s)
        sim.clear_requests()
        list_only = parse_in_process(listed, sim=sim)
        list_requests = requests_to(logged_requests(sim))
        sim.clear_requests()
        warm = parse_in_process(write_source(tmp, 'cold16', details=True, page_size=100, max_workers=16, **cache), sim=sim)
        logged = logged_requests(sim)
        never_analysed = args.servers - len(servers)
        emit('details_warm', servers=args.servers, latency_s=LATENCY, workers=16, changed=len(chosen),
             never_analysed_or_unreachable=never_analysed, seconds=round(warm.seconds, 3),
             fetch_seconds=round(warm.fetch_seconds, 3), detail_requests=requests_to(logged, DETAIL),
             requests=requests_to(logged), list_only_s=round(list_only.seconds, 3), list_only_requests=list_requests,
             ratio_to_list_only=round(warm.seconds / list_only.seconds, 3), target_ratio=1.5,
             expected_listing_requests=math.ceil(args.servers / 100),
             cpu_s={'warm_fetch': warm.fetch.cpu(), 'warm_parse': warm.whole.cpu(), 'list_only_parse': list_only.whole.cpu()})


if __name__ == '__main__':
    main()
