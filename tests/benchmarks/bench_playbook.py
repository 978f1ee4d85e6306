"""A whole ansible-playbook run at 10,000 hosts over a 20 ms API latency: a one-task play on localhost that reads
`groups`, with the inventory from the plugin, from a static JSON file of the same hosts and hostvars, and from a
cbw-api-toolbox script that writes that file first (toolbox_inventory.py: what a user does today).

    .venv/bin/python tests/benchmarks/bench_playbook.py [--servers 10000] [--repeat 1]

Prints one JSON line (medians). Targets (issue 12): the plugin faster than the static file, and at least 3x faster
than the toolbox script plus the static file.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

from benchlib import LATENCY, Simulator, emit, latency_fault, workdir, write_source

BIN = Path(sys.executable).parent
PLAY = [{'hosts': 'localhost', 'gather_facts': False, 'tasks': [
    {'ansible.builtin.assert': {'that': ["groups['all'] | length == expected | int"], 'quiet': True}}]}]


def timed(argv, env):
    start = time.perf_counter()
    subprocess.run(argv, env=env, check=True, capture_output=True, text=True)
    return time.perf_counter() - start


def static_copy(path, listed):
    """A static yaml-plugin inventory (JSON is YAML) with the hosts, vars and groups of an --list output."""
    hostvars = listed['_meta']['hostvars']
    groups = dict((name, {'hosts': dict.fromkeys(entry.get('hosts', ()))}) for name, entry in listed.items()
                  if name not in ('_meta', 'all') and entry.get('hosts'))
    path.write_text(json.dumps({'all': {'hosts': hostvars, 'children': groups}}))
    return path


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n', maxsplit=1)[0])
    parser.add_argument('--servers', type=int, default=10000)
    parser.add_argument('--repeat', type=int, default=1)
    args = parser.parse_args()
    tmp, root, play = workdir('bench-playbook-', PLAY)
    with Simulator(seed=1, servers=args.servers, targets=12, scan_seconds=0, faults=latency_fault()) as sim:
        env = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=root, ANSIBLE_INVENTORY_UNPARSED_FAILED='True',
                   ANSIBLE_LOCALHOST_WARNING='False', CBW_API_URL=sim.cyberwatch['api_url'],
                   CBW_API_KEY=sim.cyberwatch['api_key'], CBW_SECRET_KEY=sim.cyberwatch['secret_key'], **sim.env())
        source = write_source(tmp, 'fleet', page_size=100, max_workers=8)
        listed = json.loads(subprocess.run([str(BIN / 'ansible-inventory'), '-i', source, '--list'], env=env,
                                           check=True, capture_output=True, text=True).stdout)
        hosts = len(listed['_meta']['hostvars'])
        static = static_copy(tmp / 'static.json', listed)
        written = tmp / 'toolbox.json'
        playbook = [str(BIN / 'ansible-playbook'), str(play), '-e', 'expected=%d' % hosts, '-i']
        toolbox = [sys.executable, str(Path(__file__).parent / 'toolbox_inventory.py'), str(written)]
        runs = {'plugin': [], 'static': [], 'toolbox_script': [], 'toolbox_total': []}
        for dummy in range(args.repeat):
            runs['plugin'].append(timed(playbook + [source], env))
            runs['static'].append(timed(playbook + [str(static)], env))
            script = timed(toolbox, env)
            runs['toolbox_script'].append(script)
            runs['toolbox_total'].append(script + timed(playbook + [str(written)], env))
        toolbox_hosts = len(json.loads(written.read_text())['all']['hosts'])
    median = dict((name, round(statistics.median(values), 3)) for name, values in runs.items())
    emit('playbook_10k', servers=args.servers, hosts=hosts, toolbox_hosts=toolbox_hosts, latency_s=LATENCY, workers=8,
         repeat=args.repeat, plugin_s=median['plugin'], static_file_s=median['static'],
         toolbox_script_s=median['toolbox_script'], toolbox_plus_static_s=median['toolbox_total'],
         plugin_vs_static=round(median['plugin'] / median['static'], 3),
         toolbox_total_vs_plugin=round(median['toolbox_total'] / median['plugin'], 2), target_toolbox_vs_plugin=3.0)


if __name__ == '__main__':
    main()
