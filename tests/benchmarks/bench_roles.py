"""The roles at fleet scale against Ansible's own floor, in one run: the no-op cyberwatch_onboard, the
cyberwatch_cve_gate, the cystack_scan_gate and the cyberwatch_remediate plan (check mode) on a play of 1,000 hosts,
over a 20 ms API latency.

    .venv/bin/python tests/benchmarks/bench_roles.py [--hosts 1000] [--forks 10] [--roles onboard,cve_gate,...]

The floor is what ansible-core itself costs for such a play: one per-host set_fact, one run_once task and one skipped
per-host task. The hosts are the simulator's servers (hostname and address), so the CVE gate matches each; the
onboarding declares one remote access per host (a first run without latency creates them, the timed run changes
nothing); the CyStack gate reuses the account's finished scans (max_age) of every target; the remediation plans the updates of the critical CVEs of
each host in check mode (nothing runs on the hosts). The floor is timed before and after the roles, and each role is
compared with their mean. Prints one JSON line. Targets (issue 23): the onboarding and the gates <= 2.0x the floor,
the remediation plan <= 3.0x.
"""

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

from benchlib import LATENCY, Simulator, emit, latency_fault, workdir

BIN = Path(sys.executable).parent
TARGET_RATIO = 2.0
PLAN_TARGET_RATIO = 3.0
ROLES = ('onboard', 'cve_gate', 'cystack_gate', 'remediation_plan')
FLOOR = {'hosts': 'fleet', 'gather_facts': False, 'tasks': [
    {'name': 'Per host', 'ansible.builtin.set_fact': {'floor_fact': '{{ inventory_hostname }}'}},
    {'name': 'Once', 'ansible.builtin.set_fact': {'floor_once': 1}, 'run_once': True},
    {'name': 'Skipped per host', 'ansible.builtin.debug': {'msg': 'never'}, 'when': 'floor_fact == "none"'}]}


def role_play(role, **role_vars):
    return [{'hosts': 'fleet', 'gather_facts': False, 'roles': [dict({'role': 'secops.vulnmgmt.' + role}, vars=role_vars)]}]


def fleet_inventory(sim):
    """{'fleet': {'hosts': ...}}: one host per simulator server, named by its hostname, ansible_host its address."""
    from ansible_collections.secops.vulnmgmt.plugins.module_utils.cyberwatch import CyberwatchClient  # noqa: E501 pylint: disable=import-outside-toplevel
    client = CyberwatchClient(sim.cyberwatch['api_url'], sim.cyberwatch['api_key'], sim.cyberwatch['secret_key'])
    hosts = {}
    for server in client.list('server'):
        host = {'ansible_user': 'scan', 'ansible_password': 'bench-password-%d' % server['id']}
        if server.get('addresses'):
            host['ansible_host'] = server['addresses'][0]
        hosts[server['hostname']] = host
    return {'fleet': {'hosts': hosts}}


def finished_targets(sim):
    """The addresses of the CyStack targets whose every scan is finished: the gate reuses them and launches nothing."""
    from ansible_collections.secops.vulnmgmt.plugins.module_utils.cystack import CyStackClient  # noqa: E501 pylint: disable=import-outside-toplevel
    statuses = {}
    for scan in CyStackClient(sim.cystack['api_key'], api_url=sim.cystack['api_url']).scans():
        statuses.setdefault(scan['target']['address'], set()).add(scan['status'])
    return sorted(address for address, seen in statuses.items() if seen == {'Stopped'})


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n', maxsplit=1)[0])
    parser.add_argument('--hosts', type=int, default=1000)
    parser.add_argument('--forks', type=int, default=10)
    parser.add_argument('--roles', default=','.join(ROLES), help='the roles to time (default: all): %s' % ', '.join(ROLES))
    args = parser.parse_args()
    roles = [name for name in ROLES if name in args.roles.split(',')]
    tmp, root, dummy = workdir('bench-roles-')
    reports = tmp / 'reports'
    plays = {
        'floor': [FLOOR],
        'onboard': role_play('cyberwatch_onboard', cyberwatch_onboard_groups=['bench'],
                             cyberwatch_onboard_use_connection_secret=True),
        'cve_gate': role_play('cyberwatch_cve_gate', cyberwatch_cve_gate_fail=False,
                              cyberwatch_cve_gate_report_dir=str(reports)),
        'cystack_gate': role_play('cystack_scan_gate', cystack_scan_gate_targets='{{ bench_targets }}',
                                  cystack_scan_gate_max_age='3650d', cystack_scan_gate_fail=False,
                                  cystack_scan_gate_report_dir=str(reports)),
        'remediation_plan': role_play('cyberwatch_remediate', cyberwatch_remediate_min_level='critical',
                                      cyberwatch_remediate_report_dir=str(reports)),
    }
    for name, play in plays.items():
        (tmp / ('%s.json' % name)).write_text(json.dumps(play))
    with Simulator(seed=1, servers=args.hosts, targets=12, scan_seconds=0) as sim:
        sys.path.insert(0, root)
        inventory = tmp / 'fleet.json'
        inventory.write_text(json.dumps(fleet_inventory(sim)))
        hosts = len(json.loads(inventory.read_text())['fleet']['hosts'])
        targets = finished_targets(sim)
        env = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=root, ANSIBLE_PYTHON_INTERPRETER=sys.executable,
                   ANSIBLE_INVENTORY_ENABLED='yaml', **sim.env())

        def playbook(name, *extra):
            argv = [str(BIN / 'ansible-playbook'), '-i', str(inventory), '-f', str(args.forks), str(tmp / ('%s.json' % name))]
            start = time.perf_counter()
            proc = subprocess.run(argv + list(extra), env=env, check=False, capture_output=True, text=True)
            if proc.returncode != 0:
                raise SystemExit('%s failed (rc %d):\n%s\n%s' % (name, proc.returncode, proc.stdout[-4000:], proc.stderr[-2000:]))
            return time.perf_counter() - start

        if 'onboard' in roles:
            playbook('onboard')      # creates the remote accesses and the group, without latency: not timed
        sim.set_faults(latency_fault())
        seconds = {'floor_before': playbook('floor')}
        for name in roles:
            sim.clear_requests()
            check = ['--check'] if name == 'remediation_plan' else []
            seconds[name] = playbook(name, '-e', json.dumps({'bench_targets': targets}), *check)
            seconds[name + '_requests'] = len(sim.requests())
        seconds['floor_after'] = playbook('floor')
    floor = (seconds['floor_before'] + seconds['floor_after']) / 2
    timed = dict((name + '_ratio', round(seconds[name] / floor, 2)) for name in roles)
    for name in roles:
        timed[('onboard_noop' if name == 'onboard' else name) + '_s'] = round(seconds[name], 2)
        timed[('onboard_noop' if name == 'onboard' else name) + '_requests'] = seconds[name + '_requests']
    emit('roles', hosts=hosts, forks=args.forks, latency_s=LATENCY, targets=len(targets), target_ratio=TARGET_RATIO,
         plan_target_ratio=PLAN_TARGET_RATIO,
         floor_s=round(floor, 2), floor_before_s=round(seconds['floor_before'], 2),
         floor_after_s=round(seconds['floor_after'], 2), **timed)


if __name__ == '__main__':
    main()
