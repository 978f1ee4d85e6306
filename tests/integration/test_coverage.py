"""The vulnmgmt_coverage role against a simulator fleet where every category is present, on every core (EVERY_CORE).

A static inventory of ten hosts faces a group `coverage-lab` shaped through /_sim/: a covered host, a stale one, one
whose communication failed, one whose server was never analysed, one that an address of two servers makes ambiguous,
two with a remote access (one invalid, one that has not produced a server yet), one unknown, one whose server is in
another group (unknown: the scope is the group), and three orphans, one named with a Jinja payload. CyStack: a target
of a host and forgotten ones.

Three runs: `--check --diff` with remove_orphans (the request log holds no DELETE), the real removal (a DELETE for
each orphan server, exactly), and a second run that finds no orphan and sends no write.
"""

import json
import re
import time

import pytest
from harness import CORE

jsonschema = pytest.importorskip('jsonschema')

LAB = 'coverage-lab'
MARKER = 'coverage-jinja-ran'
JINJA = "{{ lookup('pipe', 'touch %s') }}" % MARKER
DAY = 86400
HOSTS = {
    'app-01.lab.example.com': {},                                   # covered
    'app-02.lab.example.com': {},                                   # stale
    'app-03.lab.example.com': {},                                   # comm_failed
    'app-04.lab.example.com': {},                                   # never_scanned: a server never analysed
    'app-05': {'ansible_host': '10.90.0.50'},                       # ambiguous: two servers have the address
    'app-06': {'ansible_host': '10.0.2.14'},                        # never_scanned: the seeded invalid remote access
    'app-07': {'ansible_host': '10.90.0.7'},                        # never_scanned: a remote access, no server yet
    'app-08.lab.example.com': {},                                   # unknown
    'app-09': {'ansible_host': '10.90.0.9', 'vulnmgmt_coverage_names': ['app-09.lab.example.com']},  # covered by name
}
CATEGORIES = {
    'covered': ['app-01.lab.example.com', 'app-09'], 'stale': ['app-02.lab.example.com'],
    'comm_failed': ['app-03.lab.example.com'], 'never_scanned': ['app-04.lab.example.com', 'app-06', 'app-07'],
    'ambiguous': ['app-05'], 'unknown': ['app-08.lab.example.com'],
}


def server(sim, hostname, group, age=3600, **fields):
    body = dict({'hostname': hostname, 'groups': [group], 'status': 'server_vulnerable',
                 'analyzed_at': None if age is None else time.time() - age}, **fields)
    return sim.control('POST', 'cyberwatch/servers', body)


@pytest.fixture(scope='module')
def fleet(simulator, collection_on_path):
    """The lab fleet, added to the seeded simulator state (each test resets to it)."""
    del collection_on_path
    from ansible_collections.secops.vulnmgmt.plugins.module_utils.cyberwatch import CyberwatchClient
    sim = simulator
    sim.reset()
    api = CyberwatchClient(sim.cyberwatch['api_url'], sim.cyberwatch['api_key'], sim.cyberwatch['secret_key'])
    lab = api.create('group', {'name': LAB, 'description': 'coverage test'})['id']
    outside = api.list('server')[0]        # a seeded server, in other groups
    servers = {
        'covered': server(sim, 'app-01.lab.example.com', lab, addresses=['10.90.0.1']),
        'stale': server(sim, 'app-02.lab.example.com', lab, age=30 * DAY),
        'comm_failed': server(sim, 'app-03.lab.example.com', lab, status='server_update_comm_fail'),
        'never_analysed': server(sim, 'app-04.lab.example.com', lab, age=None, status='server_awaiting_analysis'),
        'shared_a': server(sim, 'dup-a.lab.example.com', lab, addresses=['10.90.0.50']),
        'shared_b': server(sim, 'dup-b.lab.example.com', lab, addresses=['10.90.0.50']),
        'by_name': server(sim, 'APP-09.lab.example.com', lab),
        'orphan_1': server(sim, 'retired-01.lab.example.com', lab, age=90 * DAY),
        'orphan_2': server(sim, 'retired-02.lab.example.com', lab),
        'orphan_hostile': server(sim, JINJA, lab, addresses=['10.90.0.66']),
    }
    api.create('remote_access', {'type': 'CbwRam::RemoteAccess::Ssh::WithPassword', 'address': '10.90.0.7',
                                 'port': 22, 'login': 'scan', 'password': 'x', 'node_id': 1})
    sim.control('POST', 'cystack/targets', {'address': 'https://app-01.lab.example.com/shop', 'verification': 0})
    sim.control('POST', 'cystack/targets', {'address': 'forgotten.example.com:8443', 'verification': 0})
    sim.control('POST', 'snapshot')
    hosts = dict(HOSTS, **{outside['hostname']: {}})
    return {'servers': servers, 'outside': outside, 'hosts': hosts, 'lab': lab}


def run(ansible, tmp_path, name, extra_args=(), env=None, **role_vars):
    inventory = tmp_path / 'hosts.yml'
    inventory.write_text(json.dumps({'all': {'children': {'fleet': {'hosts': {
        host: dict({'ansible_connection': 'local'}, **hostvars) for host, hostvars in role_vars.pop('hosts').items()}}},
        'hosts': {'localhost': {'ansible_connection': 'local'}}}}))
    play = [{'name': 'Coverage', 'hosts': 'fleet', 'gather_facts': False, 'roles': [{
        'role': 'secops.vulnmgmt.vulnmgmt_coverage', 'vars': dict({
            'vulnmgmt_coverage_groups': [LAB], 'vulnmgmt_coverage_max_age': '7d', 'vulnmgmt_coverage_cystack': True,
            'vulnmgmt_coverage_report_dir': str(tmp_path / name)}, **role_vars)}]}]
    path = tmp_path / ('%s.yml' % name)
    path.write_text(json.dumps(play))
    return ansible.run('ansible-playbook', ['-i', inventory, path] + list(extra_args), env=env, check=False)


def task_output(output, name):
    """What a task of the role printed."""
    return re.search(r'TASK \[secops.vulnmgmt.vulnmgmt_coverage : %s\][^\n]*\n(.*?)(?=^TASK \[)' % re.escape(name),
                     output, re.M | re.S).group(1)


def writes(sim):
    return [(r['method'], r['path']) for r in sim.requests() if r['method'] not in ('GET', 'HEAD')]


def test_every_category_then_orphans_removed_in_check_mode_then_for_real(simulator, ansible, fleet, tmp_path):
    sim = simulator
    sim.control('POST', 'reset', {'to': 'snapshot'})
    servers = fleet['servers']
    orphans = sorted(servers[key]['id'] for key in ('orphan_1', 'orphan_2', 'orphan_hostile'))

    # 1. Check mode with --diff, with a read-only key: every category, the orphans "removed", no DELETE sent.
    sim.clear_requests()
    proc = run(ansible, tmp_path, 'check', ['--check', '--diff'], env=sim.env(readonly=True), hosts=fleet['hosts'],
               vulnmgmt_coverage_remove_orphans=True)
    output = proc.stdout
    assert proc.returncode == 2, output[-6000:]                     # the failing hosts fail
    assert writes(sim) == [] and {r['auth'] for r in sim.requests()} == {'hmac-readonly', 'bearer-readonly'}
    assert not (tmp_path / MARKER).exists() and JINJA in output
    for server_id in orphans:
        assert re.search(r'changed: \[[^\]]+\] => \(item=cyberwatch server %d ' % server_id, output), output[-6000:]
    # --diff: each server as it was, and nothing after.
    removal = task_output(output, 'Remove the orphan Cyberwatch servers')
    assert removal.count('--- before\n+++ after\n') == removal.count('\n+{}\n') == len(orphans), removal

    # 2. For real: a DELETE for each orphan server, exactly; the summary and the reports say what was found.
    sim.clear_requests()
    proc = run(ansible, tmp_path, 'real', hosts=fleet['hosts'], vulnmgmt_coverage_remove_orphans=True)
    assert proc.returncode == 2, proc.stdout[-6000:]
    deleted = sorted(int(path.rsplit('/', 1)[1]) for method, path in writes(sim) if method == 'DELETE')
    assert deleted == orphans and all(method == 'DELETE' for method, dummy in writes(sim))
    summary = json.loads((tmp_path / 'real' / 'vulnmgmt_coverage.json').read_text())
    coverage = summary['coverage']
    outside = fleet['outside']['hostname']
    expected = dict(CATEGORIES, unknown=sorted(CATEGORIES['unknown'] + [outside]))
    assert {k: sorted(v) for k, v in coverage['categories'].items() if k != 'orphans'} == expected
    assert 'not in the groups %s' % LAB in coverage['hosts'][outside]['reason'] or \
        'no Cyberwatch server of the groups %s' % LAB in coverage['hosts'][outside]['reason']
    shared = sorted([servers['shared_a']['id'], servers['shared_b']['id']])
    assert coverage['hosts']['app-05']['reason'] == 'ambiguous: 2 Cyberwatch servers have the address 10.90.0.50 ' \
        '(ids %s)' % ', '.join(str(i) for i in shared)
    assert coverage['hosts']['app-06']['reason'] == 'remote access 1 (10.0.2.14) is invalid: Net::SSH::ConnectionTimeout'
    assert 'has not produced a server yet' in coverage['hosts']['app-07']['reason']
    cystack = sorted(o['name'] for o in coverage['orphans'] if o['platform'] == 'cystack')
    assert 'forgotten.example.com:8443' in cystack and 'https://app-01.lab.example.com/shop' not in cystack
    assert sorted(o['id'] for o in coverage['orphans'] if o['platform'] == 'cyberwatch') == orphans
    assert coverage['hosts']['app-01.lab.example.com']['cystack_targets']
    # The gates' summary: the failing hosts, per default fail_on (orphans are reported, not failed).
    failing = sorted(sum((CATEGORIES[c] for c in ('stale', 'comm_failed', 'never_scanned', 'ambiguous', 'unknown')),
                         [outside]))
    assert summary['failed_subjects'] == failing and not summary['passed']
    for host in failing:
        record = coverage['hosts'][host]
        assert '%s is %s: %s' % (host, record['category'], record['reason']) in proc.stdout
    hostile = [s for s in summary['subjects'] if JINJA in s]
    assert hostile == ['cyberwatch server %d (%s)' % (servers['orphan_hostile']['id'], JINJA)]
    assert summary['subjects'][hostile[0]]['passed'] and summary['counts']['orphans'] == len(coverage['orphans'])
    check_reports(tmp_path / 'real', summary)
    assert not (tmp_path / MARKER).exists()

    # 3. Again: no orphan server left, no write, nothing changed but the reports (which no longer list them).
    sim.clear_requests()
    proc = run(ansible, tmp_path, 'real', hosts=fleet['hosts'], vulnmgmt_coverage_remove_orphans=True)
    assert proc.returncode == 2 and writes(sim) == [], proc.stdout[-4000:]
    again = json.loads((tmp_path / 'real' / 'vulnmgmt_coverage.json').read_text())['coverage']
    assert [o for o in again['orphans'] if o['platform'] == 'cyberwatch'] == []
    assert again['hosts'] == coverage['hosts']
    changed = [task for task, printed in re.findall(r'^TASK \[([^\]]+)\][^\n]*\n(.*?)(?=^TASK \[|^PLAY RECAP)',
                                                    proc.stdout, re.M | re.S) if re.search('^changed:', printed, re.M)]
    assert changed == ['secops.vulnmgmt.gate_report : Write the summary files'], changed


def check_reports(report_dir, summary):
    """SARIF validates, one JUnit testcase per subject (failed where the summary failed), the Markdown has every host."""
    from pathlib import Path
    from xml.etree import ElementTree
    schema_path = Path(__file__).resolve().parents[1] / 'unit' / 'plugins' / 'filter' / 'sarif' / 'sarif-2.1.0.json'
    schema = json.loads(schema_path.read_text())
    log = json.loads((report_dir / 'vulnmgmt_coverage.sarif').read_text())
    jsonschema.validators.validator_for(schema)(schema).validate(log)
    results = log['runs'][0]['results']
    assert sorted((r['ruleId'], r['locations'][0]['logicalLocations'][0]['name']) for r in results) == sorted(
        (f['id'], f['subject']) for f in summary['findings'])
    cases = {case.get('name'): case for case in
             ElementTree.parse(str(report_dir / 'vulnmgmt_coverage.junit.xml')).iter('testcase')}
    assert sorted(cases) == sorted(summary['subjects'])
    assert sorted(name for name, case in cases.items() if case.find('failure') is not None) == summary['failed_subjects']
    markdown = (report_dir / 'vulnmgmt_coverage.md').read_text()
    assert markdown.startswith('# Coverage reconciliation: FAILED')
    assert all('| %s |' % host.replace('_', '\\_') in markdown for host in summary['coverage']['hosts'])


@pytest.mark.skipif(CORE < (2, 21), reason='option errors: the filter and the assert, the same on every core')
def test_bad_options_fail_before_any_request(simulator, ansible, fleet, tmp_path):
    simulator.clear_requests()
    proc = run(ansible, tmp_path, 'bad-age', hosts={'app-01.lab.example.com': {}}, vulnmgmt_coverage_max_age='a week')
    assert proc.returncode == 2 and "max_age must be a positive duration" in proc.stdout, proc.stdout[-3000:]
    proc = run(ansible, tmp_path, 'limit', ['--limit', 'app-01.lab.example.com'], hosts={'app-01.lab.example.com': {}},
               vulnmgmt_coverage_remove_orphans=True)
    assert proc.returncode == 2 and 'cannot run with --limit' in proc.stdout, proc.stdout[-3000:]
    proc = run(ansible, tmp_path, 'no-group', hosts={'app-01.lab.example.com': {}}, vulnmgmt_coverage_groups=[])
    assert proc.returncode == 2 and 'must name at least one Cyberwatch group' in proc.stdout, proc.stdout[-3000:]
    assert simulator.requests() == []
