"""The role cyberwatch_remediate against the simulator.

- Method cyberwatch (every core, cheap): a server made with the demo package at 1.0, Cyberwatch installs exactly the
  planned update, the refresh and the reboot go through the API, the CVE is reported closed; check mode and a second
  run send no write; a host Cyberwatch does not know fails with the reason.
- Method package, end to end on this machine (newest core, as root): a local apt repository (dpkg-deb,
  dpkg-scanpackages) holds vulnmgmt-demo 1.0, 1.1 and 1.2; apt runs with private state, cache and sources through
  APT_CONFIG, so the machine's own apt configuration is never read or changed. The package is installed at 1.0 with
  dpkg, the air-gap scan uploads this machine, and the role upgrades, re-scans (airgap) and reports; then the
  negative cases (a fix the repository lacks, a held package, a reboot flag left by a postinst) and check mode.
"""

import json
import os
import re
import shutil
import subprocess
import time
from pathlib import Path

import pytest
from harness import CORE

ROLE = 'secops.vulnmgmt.cyberwatch_remediate'
DEMO = 'vulnmgmt-demo'
CRITICAL, LATE = 'CVE-2099-1001', 'CVE-2099-1003'
MACHINE = os.uname().nodename  # the host name the air-gap scripts upload this machine as


def run(ansible, plays, hosts, *args, check=True, name='remediate', env=None):
    inventory = ansible.workdir / ('%s-hosts.json' % name)
    inventory.write_text(json.dumps({'all': {'hosts': hosts}}))
    path = ansible.workdir / ('%s.json' % name)
    path.write_text(json.dumps(plays))
    return ansible.run('ansible-playbook', ['-i', inventory, path] + list(args), check=check, env=env)


def remediate_play(hosts, **role_vars):
    return {'name': 'Remediate %s' % hosts, 'hosts': hosts, 'gather_facts': False,
            'roles': [{'role': ROLE, 'vars': role_vars}]}


def recap(proc):
    """{host: {ok, changed, failed, ...}} of the PLAY RECAP."""
    found = {}
    for line in proc.stdout.split('PLAY RECAP')[-1].splitlines():
        match = re.match(r'(\S+)\s+:\s+(.*)', line.strip())
        if match:
            found[match.group(1)] = dict((k, int(v)) for k, v in re.findall(r'(\w+)=(\d+)', match.group(2)))
    return found


def changed_tasks(proc):
    """The names of the tasks that reported a change."""
    names = set()
    for block in proc.stdout.split('\nTASK [')[1:]:
        if re.search(r'^changed: ', block, re.M):
            names.add(block.split(']', 1)[0].split(' : ')[-1])
    return names


def report(report_dir, name='cyberwatch_remediate'):
    return json.loads((Path(report_dir) / ('%s.json' % name)).read_text())


def wait_analysed(cyberwatch_api, server_id, timeout=30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        detail = cyberwatch_api.get('server', server_id)
        if detail.get('analyzed_at') and detail.get('status') != 'server_awaiting_analysis' and detail['updates']:
            return detail
        time.sleep(0.2)
    raise AssertionError('server %s was not analysed in %s s' % (server_id, timeout))


def active(detail):
    return sorted(c['cve_code'] for c in detail['cve_announcements'] if not c.get('fixed_at') and not c.get('ignored'))


# --- method cyberwatch ---------------------------------------------------------------------------------------------

def test_method_cyberwatch_installs_exactly_the_planned_updates(sim, ansible, cyberwatch_api, tmp_path):
    """cves [CVE-2099-1001] plans the update to 1.1 only: had every update been sent, the package would be at 1.3 and
    CVE-2099-1003 fixed too. A host Cyberwatch does not know fails with the reason; the other goes on."""
    hostname = 'patch-cbw.example.com'
    server = sim.control('POST', '/_sim/cyberwatch/servers', {
        'hostname': hostname, 'addresses': ['192.0.2.71'],
        'os': {'key': 'debian_12_64', 'type': 'Os::Debian', 'name': 'Debian 12', 'arch': 'x86_64'},
        'packages': [{'vendor': None, 'product': DEMO, 'type': 'Packages::Deb', 'version': '1.0'}]})
    cyberwatch_api.request('PUT', cyberwatch_api.path('servers', server['id'], 'refresh'))
    before = wait_analysed(cyberwatch_api, server['id'])
    planned = [u['id'] for u in before['updates'] if CRITICAL in u['cve_announcements']]
    assert len(planned) == 1 and len(before['updates']) == 2 and active(before) == [CRITICAL, LATE]
    hosts = {hostname: {'ansible_connection': 'local'}, 'never-scanned.example.com': {'ansible_host': '192.0.2.99'}}
    play = remediate_play('all', cyberwatch_remediate_method='cyberwatch', cyberwatch_remediate_cves=[CRITICAL],
                          cyberwatch_remediate_reboot='if_required', cyberwatch_remediate_report_dir=str(tmp_path))
    unknown = 'never-scanned.example.com: no Cyberwatch server matches never-scanned.example.com or 192.0.2.99'

    sim.clear_requests()
    proc = run(ansible, [play], hosts, '--check', check=False)
    assert proc.returncode == 0, proc.stdout[-4000:]        # check mode shows the plans and fails nobody
    assert sim.writes() == []
    assert re.search(r'"update_ids": \[\s*%d\s*\]' % planned[0], proc.stdout) and unknown.split(': ', 1)[1] in proc.stdout

    sim.clear_requests()
    proc = run(ansible, [play], hosts, check=False)
    assert proc.returncode == 2, proc.stdout[-4000:]
    assert recap(proc)[hostname]['failed'] == 0 and recap(proc)['never-scanned.example.com']['failed'] == 1
    assert unknown in proc.stdout
    path = '/api/v3/vulnerabilities/servers/%d' % server['id']
    assert [(w['method'], w['path']) for w in sim.writes()] == [
        ('POST', path + '/updates'), ('PUT', path + '/refresh'), ('PATCH', path + '/reboot')]
    after = cyberwatch_api.get('server', server['id'])
    assert [u['cve_announcements'] for u in after['updates']] == [[LATE]]          # the update to 1.3 was not sent
    assert active(after) == [LATE]
    summary = report(tmp_path)
    assert summary['failed_subjects'] == ['never-scanned.example.com']
    assert summary['subjects'][hostname]['closed'] == [CRITICAL] and summary['subjects'][hostname]['remaining'] == []
    assert summary['remediation']['reboot_pending'] == []                         # rebooted through Cyberwatch
    for secret in (ansible.env['CYBERWATCH_API_KEY'], ansible.env['CYBERWATCH_SECRET_KEY']):
        assert secret not in proc.stdout

    sim.clear_requests()
    proc = run(ansible, [remediate_play(hostname, cyberwatch_remediate_method='cyberwatch', cyberwatch_remediate_cves=[CRITICAL],
                                        cyberwatch_remediate_report_dir=str(tmp_path))], hosts)
    assert sim.writes() == [] and changed_tasks(proc) == {'Write the summary files'}     # the new report only
    assert report(tmp_path)['subjects'][hostname]['targeted'] == []               # fixed: nothing left to select


def test_bad_selection_fails_before_any_request(sim, ansible):
    proc = run(ansible, [remediate_play('all', cyberwatch_remediate_min_level='critical', cyberwatch_remediate_cves=[CRITICAL])],
               {'some-host': {'ansible_connection': 'local'}}, check=False)
    assert proc.returncode == 2
    assert 'set exactly one of cyberwatch_remediate_min_level' in proc.stdout and 'got min_level "critical" and 1 CVE' in proc.stdout
    assert sim.requests() == []
