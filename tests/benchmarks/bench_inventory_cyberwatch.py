"""Benchmark of the secops.vulnmgmt.cyberwatch inventory plugin against the simulator (a script, not a test).

    .venv/bin/python tests/benchmarks/bench_inventory_cyberwatch.py [--servers 10000] [--repeat 3]

Prints one JSON document:
- floor: a plain requests.Session fetching the same server pages (same per_page, HMAC-signed with the collection's
  CyberwatchHmacAuth): the least any client can do;
- parse: InventoryModule.parse in this process (fetch + hosts + groups), its ratio to the floor, request count and
  tracemalloc peak;
- process: the whole `ansible-inventory --list` process (interpreter start, plugin loading, JSON output);
- core_floor: the same `ansible-inventory --list` on a static file holding the plugin's output (same hosts, vars and
  groups, no API): what ansible-core itself costs for that many hosts, so process - core_floor is the plugin's share;
- details: details=true on a 400-server simulator with 20 ms latency per detail request, 8 workers vs 1.
"""

import argparse
import json
import math
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

import requests

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / 'tests' / 'simulator'))
from launcher import Simulator, collections_root  # noqa: E402  pylint: disable=wrong-import-position

SERVERS = '/api/v3/vulnerabilities/servers'


def collection_root(tmp):
    """collections_root(tmp), with the collection loader installed in this process as the ansible CLIs do."""
    root = collections_root(tmp)
    from ansible.plugins.loader import init_plugin_loader  # pylint: disable=import-outside-toplevel
    init_plugin_loader([root])
    return root


def floor(sim, per_page):
    """Every page with a bare Session: (seconds, servers, requests)."""
    from ansible_collections.secops.vulnmgmt.plugins.module_utils.cyberwatch import CyberwatchHmacAuth  # noqa: E501 pylint: disable=import-outside-toplevel
    info = sim.cyberwatch
    session = requests.Session()
    session.auth = CyberwatchHmacAuth(info['api_key'], info['secret_key'])
    start = time.perf_counter()
    servers, page, count = [], 1, 0
    while True:
        response = session.get(info['api_url'] + SERVERS, params={'per_page': per_page, 'page': page})
        response.raise_for_status()
        count += 1
        items = response.json()
        servers.extend(items)
        if len(items) < per_page or 'next' not in response.links:
            break
        page += 1
    return time.perf_counter() - start, len(servers), count


def parse_in_process(source_path, trace=False):
    """(seconds, hosts, tracemalloc peak bytes or None) of one InventoryModule.parse."""
    from ansible.inventory.data import InventoryData  # pylint: disable=import-outside-toplevel
    from ansible.parsing.dataloader import DataLoader  # pylint: disable=import-outside-toplevel
    from ansible.plugins.loader import inventory_loader  # pylint: disable=import-outside-toplevel
    plugin = inventory_loader.get('secops.vulnmgmt.cyberwatch')
    inventory = InventoryData()
    if trace:
        tracemalloc.start()
    start = time.perf_counter()
    plugin.parse(inventory, DataLoader(), source_path, cache=False)
    elapsed = time.perf_counter() - start
    peak = None
    if trace:
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    return elapsed, len(inventory.hosts), peak


def write_source(tmp, name, **options):
    path = Path(tmp) / ('%s.cyberwatch.yml' % name)
    path.write_text(json.dumps(dict({'plugin': 'secops.vulnmgmt.cyberwatch'}, **options)))
    return str(path)


def run_process(source_path, env):
    """(seconds, hosts, parsed --list output) of one ansible-inventory process."""
    start = time.perf_counter()
    proc = subprocess.run([str(Path(sys.executable).parent / 'ansible-inventory'), '-i', source_path, '--list'],
                          env=env, capture_output=True, text=True, check=True)
    elapsed = time.perf_counter() - start
    listed = json.loads(proc.stdout)
    return elapsed, len(listed['_meta']['hostvars']), listed


def static_copy(tmp, listed):
    """A static YAML-plugin inventory (JSON is YAML) with the hosts, vars and groups of a --list output."""
    hostvars = listed['_meta']['hostvars']
    groups = dict((name, {'hosts': dict.fromkeys(entry.get('hosts', ()))}) for name, entry in listed.items()
                  if name not in ('_meta', 'all') and entry.get('hosts'))
    path = Path(tmp) / 'static.json'
    path.write_text(json.dumps({'all': {'hosts': hostvars, 'children': groups}}))
    return str(path)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n', maxsplit=1)[0])
    parser.add_argument('--servers', type=int, default=10000)
    parser.add_argument('--page-size', type=int, default=100)
    parser.add_argument('--repeat', type=int, default=3)
    parser.add_argument('--detail-servers', type=int, default=400)
    args = parser.parse_args()
    tmp = tempfile.mkdtemp(prefix='bench-inventory-')
    root = collection_root(tmp)
    result = {'servers': args.servers, 'page_size': args.page_size, 'repeat': args.repeat}

    with Simulator(seed=1, servers=args.servers, targets=12, scan_seconds=3) as sim:
        os.environ.update(sim.env())
        env = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=root, ANSIBLE_INVENTORY_UNPARSED_FAILED='True')
        source = write_source(tmp, 'bench', page_size=args.page_size)
        floors, parses, processes, core_floors = [], [], [], []
        parse_in_process(source)  # warm-up: imports and the simulator's first renders
        for dummy in range(args.repeat):
            sim.clear_requests()
            seconds, count, floor_requests = floor(sim, args.page_size)
            floors.append(seconds)
            sim.clear_requests()
            seconds, hosts, dummy_peak = parse_in_process(source)
            parses.append(seconds)
            parse_requests = len(sim.requests())
            sim.clear_requests()
            seconds, process_hosts, listed = run_process(source, env)
            processes.append(seconds)
            process_requests = len(sim.requests())
            core_floors.append(run_process(static_copy(tmp, listed), env)[0])
        dummy_seconds, dummy_hosts, peak = parse_in_process(source, trace=True)
        floor_s, parse_s, process_s, core_s = (statistics.median(v) for v in (floors, parses, processes, core_floors))
        result.update({
            'floor': {'seconds': round(floor_s, 3), 'servers': count, 'requests': floor_requests},
            'parse': {'seconds': round(parse_s, 3), 'hosts': hosts, 'requests': parse_requests,
                      'expected_requests': math.ceil(args.servers / args.page_size),
                      'ratio_to_floor': round(parse_s / floor_s, 2), 'tracemalloc_peak_mib': round(peak / 2 ** 20, 1)},
            'process': {'seconds': round(process_s, 3), 'hosts': process_hosts, 'requests': process_requests,
                        'ratio_to_floor': round(process_s / floor_s, 2),
                        'max_rss_mib': round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, 1)},
            'core_floor': {'seconds': round(core_s, 3), 'plugin_share_seconds': round(process_s - core_s, 3),
                           'process_ratio_to_core_floor': round(process_s / core_s, 2)},
            'bench_process_max_rss_mib': round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        })

    latency = {'kind': 'latency', 'seconds': 0.02, 'match': SERVERS + r'/\d+'}
    with Simulator(seed=1, servers=args.detail_servers, targets=1, scan_seconds=3, faults=[latency]) as sim:
        os.environ.update(sim.env())
        timings = {}
        for workers in (8, 1):
            source = write_source(tmp, 'details%d' % workers, details=True, max_workers=workers,
                                  page_size=args.page_size)
            sim.clear_requests()
            seconds, hosts, dummy_peak = parse_in_process(source)
            timings[workers] = {'seconds': round(seconds, 3), 'hosts': hosts, 'requests': len(sim.requests())}
        result['details'] = {'servers': args.detail_servers, 'latency_per_detail_s': 0.02, 'workers_8': timings[8],
                             'workers_1': timings[1],
                             'speedup': round(timings[1]['seconds'] / timings[8]['seconds'], 2)}
    print(json.dumps(result, indent=2))


if __name__ == '__main__':
    main()
