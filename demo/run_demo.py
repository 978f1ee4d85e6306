"""`make demo`: start the bundled simulator with a seeded fleet, run the collection against it, print, stop."""

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DEMO = REPO / 'demo'
BIN = Path(sys.executable).parent
sys.path.insert(0, str(REPO / 'tests' / 'simulator'))

from launcher import Simulator, collections_root  # noqa: E402  pylint: disable=wrong-import-position

# (title, command, whether a failure is the expected outcome)
STEPS = [
    ('Check the Cyberwatch credentials (ad hoc, env-var credentials)',
     ['ansible', 'localhost', '-m', 'secops.vulnmgmt.cyberwatch_ping'], False),
    ('Declare groups: first run creates them', ['ansible-playbook', DEMO / 'playbooks' / 'groups.yml'], False),
    ('Declare groups again: nothing changes', ['ansible-playbook', DEMO / 'playbooks' / 'groups.yml'], False),
    ('Onboard a static fleet (SSH key, SSH password, WinRM) with the cyberwatch_onboard role; one host is unreachable',
     ['ansible-playbook', '-i', DEMO / 'inventory' / 'fleet.yml', DEMO / 'playbooks' / 'onboard.yml'], False),
    ('Onboard again: nothing changes, no write',
     ['ansible-playbook', '-i', DEMO / 'inventory' / 'fleet.yml', DEMO / 'playbooks' / 'onboard.yml'], False),
    ('Build the inventory from Cyberwatch: vulnerability groups (reboot required, vulnerable, patch_now)',
     ['ansible-inventory', '-i', DEMO / 'inventory' / 'demo.cyberwatch.yml', '--graph', 'patch_now'], False),
    ('Air-gapped scan of this machine with the cyberwatch_airgap_scan role (local connection): scripts fetched once, '
     'run on the host, output uploaded, analysis awaited', ['ansible-playbook', DEMO / 'playbooks' / 'airgap_scan.yml'], False),
    ('The scanned machine is now a server of the Cyberwatch inventory',
     ['ansible-inventory', '-i', DEMO / 'inventory' / 'demo.cyberwatch.yml', '--host', os.uname().nodename], False),
    ('Scan patch-demo-01: Cyberwatch analyses it and lists its CVEs and the updates that fix them',
     ['ansible-playbook', DEMO / 'playbooks' / 'scan_server.yml'], False),
    ('Remediation in check mode: the plan per host (the update that fixes the critical CVE), no write',
     ['ansible-playbook', '--check', '-i', DEMO / 'inventory' / 'patch.yml', DEMO / 'playbooks' / 'remediate.yml'], False),
    ('Remediate with the cyberwatch_remediate role: Cyberwatch installs exactly the planned update, analyses the '
     'server again, and CVE-2099-1001 is reported closed',
     ['ansible-playbook', '-i', DEMO / 'inventory' / 'patch.yml', DEMO / 'playbooks' / 'remediate.yml'], False),
    ('CyStack scan gate: scan three targets, fail on purpose with a readable summary',
     ['ansible-playbook', DEMO / 'playbooks' / 'scan_gate.yml'], True),
]

# A server whose package the simulator's package table knows (tests/simulator/cyberwatch/packages.py).
PATCH_DEMO = {'hostname': 'patch-demo-01.example.com', 'addresses': ['192.0.2.41'],
              'os': {'key': 'debian_12_64', 'type': 'Os::Debian', 'name': 'Debian 12', 'arch': 'x86_64'},
              'packages': [{'vendor': None, 'product': 'vulnmgmt-demo', 'type': 'Packages::Deb', 'version': '1.0'}]}


def main():
    started = time.time()
    with tempfile.TemporaryDirectory(prefix='vulnmgmt-demo-') as tmp, \
            Simulator(seed=7, servers=200, targets=15, scan_seconds=2, tls=True) as sim:
        env = dict(os.environ, **sim.env())
        env.update({'ANSIBLE_COLLECTIONS_PATH': collections_root(tmp), 'ANSIBLE_PYTHON_INTERPRETER': sys.executable,
                    'ANSIBLE_LOCALHOST_WARNING': '0', 'ANSIBLE_INVENTORY_UNPARSED_WARNING': '0',
                    'ANSIBLE_NOCOLOR': '1', 'ANSIBLE_CACHE_PLUGIN_CONNECTION': str(Path(tmp) / 'cache'),
                    'DEMO_SIM_URL': sim.url, 'DEMO_REPORT_DIR': str(Path(tmp) / 'reports')})
        print('Simulator up at %s (TLS, private CA): 200 Cyberwatch servers, 15 CyStack targets (seed 7)' % sim.url)
        sim.control('POST', '/_sim/cyberwatch/servers', PATCH_DEMO)
        print('Plus patch-demo-01.example.com with vulnmgmt-demo 1.0: CVE-2099-1001 (critical) is fixed in 1.1, '
              'CVE-2099-1003 (high) only in 1.3\n')
        failures = 0
        for number, (title, cmd, expect_failure) in enumerate(STEPS, 1):
            print('=' * 100)
            print('%d. %s\n$ %s' % (number, title, ' '.join(str(c) for c in cmd)))
            print('=' * 100, flush=True)
            before = len(sim.requests())
            code = subprocess.call([str(BIN / cmd[0])] + [str(c) for c in cmd[1:]], cwd=str(DEMO), env=env)
            requests_made = sim.requests(since=before)
            writes = [r for r in requests_made if r['method'] in ('POST', 'PUT', 'PATCH', 'DELETE')]
            verdict = 'failed as intended' if expect_failure and code else ('ok' if code == 0 else 'FAILED')
            if (code != 0) != expect_failure:
                failures += 1
            print('--> %s: %d API requests, %d writes\n' % (verdict, len(requests_made), len(writes)), flush=True)
    took = time.time() - started
    print('Demo finished in %.0f s with %d unexpected result(s); simulator stopped.' % (took, failures))
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main())
