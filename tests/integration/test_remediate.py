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
from launcher import machine_packages

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
    assert 'set exactly one of cyberwatch_remediate_min_level' in proc.stdout and 'got min_level critical and 1 CVE code(s)' in proc.stdout
    assert sim.requests() == []


# --- method package, end to end on this machine ---------------------------------------------------------------------

newest_core_only = pytest.mark.skipif(CORE < (2, 21), reason='apt end to end: newest ansible-core only (the '
                                      'cyberwatch-method test covers the role on every core)')
POSTINST = """#!/bin/sh
# A test package: creates the reboot flag of its test when that test asks for it.
if [ -e '{root}/reboot-on-install' ]; then touch '{root}/reboot-required'; fi
exit 0
"""


class AptRepository:
    """vulnmgmt-demo 1.0, 1.1 and 1.2 in a local apt repository, with apt's state, cache and sources private to it."""

    def __init__(self, root):
        self.root = root
        self.repo, self.conf = root / 'repo', root / 'apt.conf'
        self.flag, self.trigger = root / 'reboot-required', root / 'reboot-on-install'
        self.env = dict(os.environ, APT_CONFIG=str(self.conf))

    def build(self):
        for sub in ('repo', 'etc', 'state/lists/partial', 'cache/archives/partial'):
            (self.root / sub).mkdir(parents=True)
        for version in ('1.0', '1.1', '1.2'):
            tree = self.root / 'build' / version
            (tree / 'DEBIAN').mkdir(parents=True)
            (tree / 'usr/share' / DEMO).mkdir(parents=True)
            (tree / 'usr/share' / DEMO / 'VERSION').write_text(version + '\n')
            (tree / 'DEBIAN/control').write_text(
                'Package: %s\nVersion: %s\nArchitecture: all\nMaintainer: secops.vulnmgmt tests <tests@example.com>\n'
                'Description: remediation end-to-end test package\n' % (DEMO, version))
            (tree / 'DEBIAN/postinst').write_text(POSTINST.format(root=self.root))
            (tree / 'DEBIAN/postinst').chmod(0o755)
            self.sh('dpkg-deb', '--root-owner-group', '--build', tree, self.deb(version))
        packages = self.sh('dpkg-scanpackages', '.', '/dev/null', cwd=self.repo).stdout
        (self.repo / 'Packages').write_text(packages)
        (self.root / 'etc/sources.list').write_text('deb [trusted=yes] file:%s ./\n' % self.repo)
        self.conf.write_text(''.join('%s "%s";\n' % item for item in (
            ('Dir::State', self.root / 'state'), ('Dir::State::status', '/var/lib/dpkg/status'),
            ('Dir::Cache', self.root / 'cache'), ('Dir::Etc::sourcelist', self.root / 'etc/sources.list'),
            ('Dir::Etc::sourceparts', '-'))))
        self.sh('apt-get', 'update')
        return self

    def deb(self, version):
        return self.repo / ('%s_%s_all.deb' % (DEMO, version))

    def sh(self, *argv, cwd=None):
        proc = subprocess.run([str(a) for a in argv], cwd=cwd, env=self.env, capture_output=True, text=True, check=False)
        assert proc.returncode == 0, '%s: %s%s' % (' '.join(map(str, argv)), proc.stdout, proc.stderr)
        return proc

    def installed(self):
        proc = subprocess.run(['dpkg-query', '-W', '-f', '${Version} ${db:Status-Abbrev}', DEMO], capture_output=True,
                              text=True, check=False)
        return proc.stdout.split()[0] if proc.returncode == 0 and proc.stdout.split()[1:2] == ['ii'] else None

    def clean(self):
        subprocess.run(['apt-mark', 'unhold', DEMO], env=self.env, capture_output=True, check=False)
        subprocess.run(['dpkg', '--purge', DEMO], capture_output=True, check=False)
        shutil.rmtree(self.root, ignore_errors=True)


@pytest.fixture
def apt_repo(tmp_path_factory):
    """Fails (never skips) where it cannot run: not root, or the Debian tools missing."""
    if os.geteuid() != 0:
        pytest.fail('the apt end-to-end test installs a package with dpkg and apt: run it as root (uid 0), '
                    'for example in the CI container')
    missing = [tool for tool in ('dpkg', 'dpkg-deb', 'dpkg-scanpackages', 'apt-get', 'apt-mark')
               if not shutil.which(tool)]
    if missing:
        pytest.fail('the apt end-to-end test needs %s (Debian packages dpkg-dev and apt)' % ', '.join(missing))
    if subprocess.run(['dpkg-query', '-W', DEMO], capture_output=True, check=False).returncode == 0:
        pytest.fail('%s is already installed on this machine: remove it first (dpkg --purge %s)' % (DEMO, DEMO))
    repo = AptRepository(tmp_path_factory.mktemp('remediate-apt'))
    with machine_packages(exclusive=True):
        try:
            yield repo.build()
        finally:
            repo.clean()
            assert repo.installed() is None and not repo.root.exists()


def machine_play(name, tasks=(), roles=(), apt_env=None, **play):
    return dict({'name': name, 'hosts': MACHINE, 'gather_facts': False, 'environment': apt_env or {},
                 'vars': {'cyberwatch_airgap_scan_poll_interval': 0.2}, 'tasks': list(tasks), 'roles': list(roles)}, **play)


def scan(apt_env):
    return machine_play('Scan this machine', apt_env=apt_env, roles=[
        {'role': 'secops.vulnmgmt.cyberwatch_airgap_scan', 'vars': {'cyberwatch_airgap_scan_wait': True}}])


def remediate(apt_env, report_dir, name, **role_vars):
    role_vars = dict({'cyberwatch_remediate_rescan': 'airgap', 'cyberwatch_remediate_report_dir': str(report_dir),
                      'cyberwatch_remediate_report_name': name}, **role_vars)
    if 'cyberwatch_remediate_cves' not in role_vars:
        role_vars['cyberwatch_remediate_min_level'] = 'critical'
    return machine_play('Remediate (%s)' % name, apt_env=apt_env, roles=[{'role': ROLE, 'vars': role_vars}])


def reinstall(apt_repo, *more):
    """Back to 1.0 (dpkg downgrades), then the case's own set-up."""
    return [{'name': 'Install %s 1.0' % DEMO, 'ansible.builtin.command': {'argv': ['dpkg', '-i', str(apt_repo.deb('1.0'))]}}] + list(more)


@newest_core_only
def test_apt_end_to_end(sim, ansible, cyberwatch_api, apt_repo, tmp_path):
    hosts = {MACHINE: {'ansible_connection': 'local'}}
    env = {'APT_CONFIG': str(apt_repo.conf)}
    apt_repo.sh('dpkg', '-i', apt_repo.deb('1.0'))
    assert apt_repo.installed() == '1.0'

    # The scan: the simulator finds the critical CVE fixed in 1.1 (and the high one fixed only in 1.3).
    run(ansible, [scan(env)], hosts)
    server = cyberwatch_api.get('server', [s for s in cyberwatch_api.list('server') if s['hostname'] == MACHINE][0]['id'])
    assert {CRITICAL, LATE} <= set(active(server))

    # Check mode: the plan is shown, no package changes, nothing is written to the API.
    sim.clear_requests()
    proc = run(ansible, [remediate(env, tmp_path, 'check')], hosts, '--check')
    assert sim.writes() == [] and apt_repo.installed() == '1.0'
    assert re.search(r'"name": "%s"' % DEMO, proc.stdout) and '"target": "1.1"' in proc.stdout
    assert not (tmp_path / 'check.json').exists()

    # The remediation: upgraded (latest: 1.2), re-scanned over the connection, the critical CVE closed.
    proc = run(ansible, [remediate(env, tmp_path, 'first')], hosts)
    assert apt_repo.installed() == '1.2'
    first = report(tmp_path, 'first')
    assert first['passed'] and first['subjects'][MACHINE]['closed'] == [CRITICAL]
    assert first['subjects'][MACHINE]['remaining'] == [] and first['remediation']['reboot_pending'] == []
    assert (tmp_path / 'first.sarif').exists() and (tmp_path / 'first.junit.xml').exists()

    # Again: nothing to select, nothing changes, no re-scan.
    sim.clear_requests()
    proc = run(ansible, [remediate(env, tmp_path, 'second')], hosts)
    assert sim.writes() == [] and changed_tasks(proc) == {'Write the summary files'}
    assert report(tmp_path, 'second')['subjects'][MACHINE]['targeted'] == []

    # The negative cases, each from 1.0 and a fresh scan; the host fails in the last play only.
    plays = [
        machine_play('Held at 1.0', apt_env=env, tasks=reinstall(apt_repo, {'ansible.builtin.command': {'argv': ['apt-mark', 'hold', DEMO]}})),
        scan(env), remediate(env, tmp_path, 'held', cyberwatch_remediate_fail=False),
        machine_play('A postinst that asks for a reboot', apt_env=env, tasks=reinstall(apt_repo, {
            'ansible.builtin.command': {'argv': ['apt-mark', 'unhold', DEMO]}}, {
            'ansible.builtin.file': {'path': str(apt_repo.trigger), 'state': 'touch', 'mode': '0644'}})),
        scan(env), remediate(env, tmp_path, 'reboot', cyberwatch_remediate_reboot='never',
                             cyberwatch_remediate_reboot_flag=str(apt_repo.flag)),
        machine_play('Back to 1.0', apt_env=env, tasks=reinstall(apt_repo)), scan(env),
        remediate(env, tmp_path, 'late', cyberwatch_remediate_cves=[LATE], cyberwatch_remediate_policy='target'),
    ]
    proc = run(ansible, plays, hosts, check=False)
    assert proc.returncode == 2 and recap(proc)[MACHINE]['failed'] == 1, proc.stdout[-5000:]

    held = report(tmp_path, 'held')['subjects'][MACHINE]
    assert held['remaining'] == [CRITICAL] and held['closed'] == []
    assert not held['passed']

    reboot = report(tmp_path, 'reboot')
    assert reboot['subjects'][MACHINE]['closed'] == [CRITICAL] and reboot['remediation']['reboot_pending'] == [MACHINE]
    assert apt_repo.flag.exists()

    late = report(tmp_path, 'late')
    assert late['subjects'][MACHINE]['remaining'] == [LATE] and late['failed_subjects'] == [MACHINE]
    assert any(note.startswith(MACHINE + ': the patch failed: Upgrade the planned Debian packages') for note in late['notes'])
    assert "%s: 0 closed, 1 remaining (%s: still active after %s 1.3)" % (MACHINE, LATE, DEMO) in proc.stdout
    assert apt_repo.installed() == '1.0'                    # the pin to 1.3 failed: nothing else was installed
