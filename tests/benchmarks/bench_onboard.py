"""The no-op re-run of the cyberwatch_onboard role on 1,000 hosts over a 20 ms API latency: its requests and time.

    .venv/bin/python tests/benchmarks/bench_onboard.py [--hosts 1000] [--forks 10]

A first run (no latency) creates the 1,000 remote accesses; the second run, with a 20 ms latency on every API
request, must change nothing. Prints one JSON line. Target (issue 12): <= ceil(1000 / 100) + 5 requests, 0 writes.
"""

import argparse
import json
import math
import os
import subprocess
import sys
import time
from pathlib import Path

from benchlib import LATENCY, Simulator, emit, latency_fault, workdir

BIN = Path(sys.executable).parent
PLAY = [{'hosts': 'fleet', 'gather_facts': False,
         'roles': [{'role': 'secops.vulnmgmt.cyberwatch_onboard', 'vars': {
             'cyberwatch_onboard_groups': ['bench'], 'cyberwatch_onboard_use_connection_secret': True}}]}]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n', maxsplit=1)[0])
    parser.add_argument('--hosts', type=int, default=1000)
    parser.add_argument('--forks', type=int, default=10)
    args = parser.parse_args()
    tmp, root, play = workdir('bench-onboard-', PLAY)
    inventory = tmp / 'fleet.json'
    inventory.write_text(json.dumps({'fleet': {'hosts': dict(
        ('host-%04d' % n, {'ansible_host': '10.60.%d.%d' % (n // 250, n % 250 + 1), 'ansible_user': 'scan',
                           'ansible_password': 'bench-password-%d' % n}) for n in range(args.hosts))}}))
    with Simulator(seed=1, servers=30, targets=12, scan_seconds=0) as sim:
        env = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=root, ANSIBLE_PYTHON_INTERPRETER=sys.executable, **sim.env())
        argv = [str(BIN / 'ansible-playbook'), '-i', str(inventory), '-f', str(args.forks), str(play)]
        subprocess.run(argv, env=env, check=True, capture_output=True, text=True)
        existing = sim.control('GET', 'state')['remote_accesses']
        sim.set_faults(latency_fault())
        sim.clear_requests()
        start = time.perf_counter()
        proc = subprocess.run(argv, env=env, check=True, capture_output=True, text=True)
        seconds = time.perf_counter() - start
        logged = sim.requests()
        writes = [r for r in logged if r['method'] not in ('GET', 'HEAD')]
    changed = [line for line in proc.stdout.splitlines() if line.startswith('changed:')]
    emit('onboard_noop', hosts=args.hosts, remote_accesses=existing, forks=args.forks, latency_s=LATENCY,
         seconds=round(seconds, 3), requests=len(logged), writes=len(writes), changed_tasks=len(changed),
         target_requests=math.ceil(args.hosts / 100) + 5,
         request_paths=sorted(set(r['path'] for r in logged)))


if __name__ == '__main__':
    main()
