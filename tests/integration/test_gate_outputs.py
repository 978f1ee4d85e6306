"""SARIF 2.1.0 and JUnit XML written by both gate roles (gate_report_formats), against the simulator.

One ansible-playbook run applies each gate role twice (the CyStack gate reuses its scans the second time, as a CI
re-run within max_age does; the Cyberwatch gate reads the same servers): the SARIF of every run validates against
the official 2.1.0 schema, results, levels and suppressions match the JSON summary, the fingerprints are equal
across the two runs, and the JUnit has one testcase per target or host, failed exactly where the gate failed.

On every core (2.16 is where the unknown host crashed the role and where Jinja in API values ran): hosts without
evidence (unknown, an address two servers share) fail with the reason in the play and the reports, and a Jinja
payload in a server hostname and a CVE text, printed by debug, runs nothing.
"""

import json
import math
import shutil
from pathlib import Path
from xml.etree import ElementTree

import pytest
from harness import CORE, REPO

# The renderings are pure Python (plugins/filter/gate.py, unit-tested on every core); this end-to-end run of both roles
# costs about 30 s of CPU, so it runs on the newest ansible-core only, like the fleet budgets.
newest_core_only = pytest.mark.skipif(CORE < (2, 21), reason='end-to-end gate outputs: newest ansible-core only')
jsonschema = pytest.importorskip('jsonschema')
junitparser = pytest.importorskip('junitparser')

SCHEMA = Path(__file__).resolve().parents[1] / 'unit' / 'plugins' / 'filter' / 'sarif' / 'sarif-2.1.0.json'
LEVELS = {'critical': 'error', 'high': 'error', 'medium': 'warning', 'low': 'note', 'information': 'note',
          'unknown': 'warning'}


def playbook(report_dir):
    cystack = {'cystack_scan_gate_targets': "{{ (gate_targets.targets | map(attribute='address') | list)[:3] }}",
               'cystack_scan_gate_poll_interval': 1, 'cystack_scan_gate_wait_timeout': 60,
               'cystack_scan_gate_thresholds': {'High': 0, 'Medium': 50}, 'cystack_scan_gate_fail': False,
               'cystack_scan_gate_report_dir': str(report_dir),
               'cystack_scan_gate_allow_list': [{'match': 'Allowed HTTP methods',
                                                 'justification': 'OPTIONS is needed by the CORS preflight',
                                                 'expires': '2099-12-31'}]}
    cyberwatch = {'cyberwatch_cve_gate_thresholds': {'critical': 0, 'high': 0, 'medium': 0, 'low': 0},
                  'cyberwatch_cve_gate_fail': False, 'cyberwatch_cve_gate_report_dir': str(report_dir),
                  'cyberwatch_cve_gate_allow_list': [{'match': "{{ hostvars.localhost.gate_allowed_cve }}",
                                                      'justification': 'compensating control in JIRA-7',
                                                      'expires': '2099-12-31'}]}
    return [
        {'name': 'CyStack gate twice, and the hosts of the Cyberwatch gate', 'hosts': 'localhost',
         'gather_facts': False, 'connection': 'local', 'tasks': [
             {'name': 'Targets', 'secops.vulnmgmt.cystack_target_info': {}, 'register': 'gate_targets'},
             {'name': 'Servers', 'secops.vulnmgmt.cyberwatch_server_info': {}, 'register': 'gate_servers'},
             {'name': 'Detail of the first server', 'register': 'gate_first',
              'secops.vulnmgmt.cyberwatch_server_info': {'id': '{{ gate_servers.servers[0].id }}'}},
             {'name': 'Allow-list its first CVE', 'ansible.builtin.set_fact': {
                 'gate_allowed_cve': '{{ gate_first.servers[0].cve_announcements[0].cve_code }}'}},
             {'name': 'Hosts', 'ansible.builtin.add_host': {'name': '{{ item }}', 'groups': ['gated'],
                                                            'ansible_connection': 'local'},
              'loop': "{{ (gate_servers.servers | map(attribute='hostname') | list)[:2] + ['never-scanned.example.com'] }}"},
             {'name': 'CyStack gate, first run', 'ansible.builtin.include_role': {'name': 'secops.vulnmgmt.cystack_scan_gate'},
              'vars': dict(cystack, cystack_scan_gate_report_name='cystack_1',
                           cystack_scan_gate_report_formats=['json', 'sarif', 'junit'])},
             {'name': 'CyStack gate, second run', 'ansible.builtin.include_role': {'name': 'secops.vulnmgmt.cystack_scan_gate'},
              'vars': dict(cystack, cystack_scan_gate_report_name='cystack_2', cystack_scan_gate_report_formats=['sarif'])},
         ]},
        {'name': 'Cyberwatch gate twice', 'hosts': 'gated', 'gather_facts': False, 'tasks': [
            {'name': 'Cyberwatch gate, first run', 'ansible.builtin.include_role': {'name': 'secops.vulnmgmt.cyberwatch_cve_gate'},
             'vars': dict(cyberwatch, cyberwatch_cve_gate_report_name='cyberwatch_1')},
            {'name': 'Cyberwatch gate, second run', 'ansible.builtin.include_role': {'name': 'secops.vulnmgmt.cyberwatch_cve_gate'},
             'vars': dict(cyberwatch, cyberwatch_cve_gate_report_name='cyberwatch_2',
                          cyberwatch_cve_gate_report_formats=['sarif'])},
        ]},
    ]


@pytest.fixture(scope='module')
def reports(simulator, ansible, tmp_path_factory, once_per_run):
    return Path(once_per_run('gate-reports', lambda: gate_reports(simulator, ansible, tmp_path_factory)))


def gate_reports(simulator, ansible, tmp_path_factory):
    simulator.reset()
    report_dir = tmp_path_factory.mktemp('gate-reports')
    path = report_dir / 'gates.yml'
    path.write_text(json.dumps(playbook(report_dir)))
    inventory = report_dir / 'hosts.yml'
    inventory.write_text(json.dumps({'all': {'hosts': {'localhost': {'ansible_connection': 'local'}}}}))
    ansible.run('ansible-playbook', ['-i', inventory, path])
    return str(report_dir)


def sarif(path):
    log = json.loads(path.read_text())
    schema = json.loads(SCHEMA.read_text())
    jsonschema.validators.validator_for(schema)(schema).validate(log)
    return log


@newest_core_only
@pytest.mark.parametrize('gate', ['cystack', 'cyberwatch'])
def test_sarif_validates_and_matches_the_summary(reports, gate):
    summary = json.loads((reports / ('%s_1.json' % gate)).read_text())
    first, second = sarif(reports / ('%s_1.sarif' % gate)), sarif(reports / ('%s_2.sarif' % gate))
    run = first['runs'][0]
    assert len(first['runs']) == 1 and run['tool']['driver']['name'] == 'secops.vulnmgmt'
    assert run['tool']['driver']['properties']['gate'] == summary['name']
    assert summary['findings'] and summary['suppressed'], 'the scenario must have open and allow-listed findings'
    # One result per open finding and per allow-listed one, with its level and its target or host.
    expected = sorted((f['subject'], f['id'], LEVELS[f['severity'].lower()], f.get('allowed_by', {}).get('justification'))
                      for f in summary['findings'] + summary['suppressed'])
    got = sorted((r['locations'][0]['logicalLocations'][0]['name'], r['properties']['findingId'], r['level'],
                  r['suppressions'][0]['justification'] if 'suppressions' in r else None) for r in run['results'])
    assert got == expected
    assert {r['ruleId'] for r in run['results']} == {rule['id'] for rule in run['tool']['driver']['rules']}
    assert all(rule['help']['text'] for rule in run['tool']['driver']['rules'])
    if gate == 'cystack':
        assert all(r['locations'][0]['physicalLocation']['artifactLocation']['uri'].startswith('http')
                   for r in run['results'])
    # Stable across runs.
    prints = [(r['ruleId'], r['partialFingerprints']) for r in run['results']]
    assert prints == [(r['ruleId'], r['partialFingerprints']) for r in second['runs'][0]['results']]


@newest_core_only
@pytest.mark.parametrize('gate', ['cystack', 'cyberwatch'])
def test_junit_has_a_testcase_per_subject_and_fails_where_the_gate_failed(reports, gate):
    summary = json.loads((reports / ('%s_1.json' % gate)).read_text())
    suites = list(junitparser.JUnitXml.fromfile(str(reports / ('%s_1.junit.xml' % gate))))
    assert [s.name for s in suites] == [summary['name']]
    cases = {case.name: case for case in suites[0]}
    assert sorted(cases) == sorted(summary['subjects'])
    assert summary['failed_subjects'], 'the scenario must fail some %s' % gate
    assert sorted(name for name, case in cases.items() if not case.is_passed) == summary['failed_subjects']
    for name in summary['failed_subjects']:
        message = cases[name].result[0].message
        assert all(violation in message for violation in summary['subjects'][name]['violations'])


@newest_core_only
def test_report_formats_choose_the_files(reports):
    assert sorted(p.name for p in reports.glob('cystack_*')) == [
        'cystack_1.json', 'cystack_1.junit.xml', 'cystack_1.sarif', 'cystack_2.sarif']
    assert sorted(p.name for p in reports.glob('cyberwatch_1.*')) == [
        'cyberwatch_1.json', 'cyberwatch_1.junit.xml', 'cyberwatch_1.md', 'cyberwatch_1.sarif']


MARKER = 'jinja-ran'
JINJA = "{{ lookup('pipe', 'touch %s') }}" % MARKER


def evidence_playbook(report_dir, known):
    hosts = [{'name': known}, {'name': 'never-scanned.example.com'},
             {'name': 'ambiguous-host', 'ansible_host': '10.77.0.5'}, {'name': 'hostile-host', 'ansible_host': '10.77.0.9'}]
    return [
        {'name': 'Hosts', 'hosts': 'localhost', 'gather_facts': False, 'tasks': [
            {'name': 'Add', 'ansible.builtin.add_host': {
                'name': '{{ item.name }}', 'groups': ['gated'], 'ansible_connection': 'local',
                'ansible_host': '{{ item.ansible_host | default(item.name) }}'}, 'loop': hosts},
            {'name': 'CyStack gate of a target the account does not know', 'block': [
                {'ansible.builtin.include_role': {'name': 'secops.vulnmgmt.cystack_scan_gate'},
                 'vars': {'cystack_scan_gate_targets': ['https://never-scanned.example.com'],
                          'cystack_scan_gate_report_dir': str(report_dir), 'cystack_scan_gate_report_formats': ['json']}},
            ], 'rescue': [{'ansible.builtin.set_fact': {'cystack_failure': '{{ ansible_failed_result.msg }}'}}]},
        ]},
        {'name': 'Cyberwatch gate, failing on no evidence', 'hosts': 'gated', 'gather_facts': False, 'tasks': [
            {'ansible.builtin.include_role': {'name': 'secops.vulnmgmt.cyberwatch_cve_gate'},
             'vars': {'cyberwatch_cve_gate_thresholds': {'critical': None}, 'cyberwatch_cve_gate_report_dir': str(report_dir)}},
        ]},
        {'name': 'Print what came from the API', 'hosts': 'localhost', 'gather_facts': False, 'tasks': [
            {'ansible.builtin.debug': {'var': "hostvars[%r].cyberwatch_cve_gate_summary" % known}},
            {'ansible.builtin.debug': {'msg': "{{ hostvars[%r].cyberwatch_cve_gate_summary.findings | map(attribute='help') "
                                              "| list }}" % known}},
            {'ansible.builtin.debug': {'msg': "{{ (hostvars['hostile-host'].cyberwatch_cve_gate_matches "
                                              "| selectattr('subject', 'equalto', 'hostile-host') | first).server.hostname }}"}},
        ]},
    ]


def test_hosts_without_evidence_fail_with_the_reason_and_api_jinja_never_runs(sim, ansible, cyberwatch_api, tmp_path):
    known = cyberwatch_api.list('server')[0]['hostname']
    shared = [sim.control('POST', 'cyberwatch/servers', {'hostname': 'shared-%s.example.com' % n, 'addresses': ['10.77.0.5']})
              for n in 'ab']
    hostile = sim.control('POST', 'cyberwatch/servers', {'hostname': JINJA, 'addresses': ['10.77.0.9']})
    sim.control('POST', 'cyberwatch/servers/%s/cves' % hostile['id'], {'cve_code': 'CVE-2031-0909', 'content': JINJA})
    path = tmp_path / 'evidence.yml'
    path.write_text(json.dumps(evidence_playbook(tmp_path, known)))
    inventory = tmp_path / 'hosts.yml'
    inventory.write_text(json.dumps({'all': {'hosts': {'localhost': {'ansible_connection': 'local'}}}}))
    proc = ansible.run('ansible-playbook', ['-i', inventory, path], check=False)
    output = proc.stdout
    assert proc.returncode == 2, output[-5000:]
    assert not (tmp_path / MARKER).exists() and JINJA in output     # printed as text, never run
    ids = ', '.join(sorted(str(server['id']) for server in shared))
    ambiguous = 'ambiguous: 2 Cyberwatch servers have the address 10.77.0.5 (ids %s)' % ids
    unknown = 'no Cyberwatch server matches never-scanned.example.com or never-scanned.example.com'
    assert 'ambiguous-host: %s' % ambiguous in output and 'never-scanned.example.com: %s' % unknown in output
    summary = json.loads((tmp_path / 'cyberwatch_cve_gate.json').read_text())
    assert summary['failed_subjects'] == ['ambiguous-host', 'never-scanned.example.com']
    assert summary['subjects']['ambiguous-host']['violations'] == [ambiguous]
    assert summary['subjects']['hostile-host']['counts']['total'] == 1 and summary['subjects'][known]['passed']
    cases = {case.get('name'): case for case in ElementTree.parse(str(tmp_path / 'cyberwatch_cve_gate.junit.xml')).iter('testcase')}
    assert cases['ambiguous-host'].find('failure').get('message') == 'ambiguous-host: %s' % ambiguous
    assert cases[known].find('failure') is None
    assert '| never-scanned.example.com |' in (tmp_path / 'cyberwatch_cve_gate.md').read_text()
    notes = sarif(tmp_path / 'cyberwatch_cve_gate.sarif')['runs'][0]['invocations'][0]['toolExecutionNotifications']
    assert [n['message']['text'] for n in notes] == ['ambiguous-host: %s' % ambiguous, 'never-scanned.example.com: %s' % unknown]
    cystack = json.loads((tmp_path / 'cystack_scan_gate.json').read_text())
    assert cystack['failed_subjects'] == ['https://never-scanned.example.com']
    assert cystack['subjects']['https://never-scanned.example.com']['violations'] == [
        'no CyStack target matches https://never-scanned.example.com']


def test_report_files_in_check_mode_then_written_then_unchanged(ansible, tmp_path):
    """gate_report_files through ansible-playbook: --check --diff shows each file and writes nothing, a run writes them
    (the JSON indented, as on every core), and a second run changes nothing."""
    reports = tmp_path / 'reports'
    evaluate = "{{ [{'subject': 'shop', 'id': 'CVE-1', 'severity': 'high'}] | secops.vulnmgmt.gate_evaluate({'high': 0}) }}"
    tasks = [
        {'name': 'Summary', 'ansible.builtin.set_fact': {'shop_gate': evaluate}},
        {'name': 'Reports', 'secops.vulnmgmt.gate_report_files': {
            'summary': '{{ shop_gate }}', 'dir': str(reports), 'name': 'shop', 'formats': ['json', 'markdown']}},
    ]
    checked = ansible.playbook(tasks, extra_args=['--check', '--diff'], name='report-files-check').stdout
    assert 'changed: [localhost]' in checked and '+++ after: %s/shop.md' % reports in checked, checked[-3000:]
    assert not reports.exists()
    written = ansible.playbook(tasks, name='report-files').stdout
    assert 'changed: [localhost]' in written and sorted(p.name for p in reports.iterdir()) == ['shop.json', 'shop.md']
    assert (reports / 'shop.json').read_text().startswith('{\n    "counts": {\n')
    again = ansible.playbook(tasks, name='report-files').stdout
    assert 'changed: [localhost]' not in again and 'ok: [localhost]' in again, again[-3000:]


BEFORE = Path(__file__).resolve().parent / 'before' / 'cyberwatch_cve_gate' / 'tasks' / 'main.yml'
SERVERS = '/api/v3/vulnerabilities/servers'
CVES = '/api/v3/vulnerabilities/cve_announcements'
PER_PAGE = 100


def role_before(tmp_path):
    """The role as it was before its details were read once per play: today's defaults and argument specs, except the
    names' default, which the old tasks read as it was (today's tasks resolve a null), and the old tasks (one
    cyberwatch_server_info run per host)."""
    role = tmp_path / 'before' / 'cyberwatch_cve_gate'
    shutil.copytree(REPO / 'roles' / 'cyberwatch_cve_gate', role)
    shutil.copy(BEFORE, role / 'tasks' / 'main.yml')
    defaults = role / 'defaults' / 'main.yml'
    text = defaults.read_text()
    assert '\ncyberwatch_cve_gate_names: null\n' in text
    defaults.write_text(text.replace('\ncyberwatch_cve_gate_names: null\n', '\ncyberwatch_cve_gate_names: '
                                     '"{{ [inventory_hostname, ansible_host | default(inventory_hostname)] }}"\n'))
    return role


# A request budget and a comparison of two role versions on one core: the newest core's leg proves it (fleet).
@pytest.mark.fleet
def test_the_gate_reads_the_details_once_per_play_and_reports_as_before(sim, ansible, cyberwatch_api, tmp_path):
    """The gate of today and the gate before (per-host detail reads) on the same fleet write the same reports, byte for
    byte (the evaluation date aside). The fleet has each case a detail read decides: a host matched by hostname, by
    address, two hosts of the same server, a server whose detail answers 404, an unknown and an ambiguous host. Today's
    gate reads the servers' pages, the active CVEs' pages and one detail per matched server, in one task."""
    shared = [sim.control('POST', 'cyberwatch/servers', {'hostname': 'shared-%s.example.com' % n, 'addresses': ['10.77.0.5']})
              for n in 'ab']
    servers = cyberwatch_api.list('server')
    addresses = [a for s in servers for a in s.get('addresses') or ()]
    alone = [s for s in servers if s.get('addresses') and addresses.count(s['addresses'][0]) == 1 and s['cve_announcements_count']]
    by_name, by_address, gone = alone[:3]
    hosts = {by_name['hostname']: {}, 'by-address': {'ansible_host': by_address['addresses'][0]},
             'same-server': {'ansible_host': by_name['addresses'][0]}, gone['hostname']: {},
             'never-scanned.example.com': {}, 'ambiguous-host': {'ansible_host': '10.77.0.5'}}
    inventory = tmp_path / 'hosts.yml'
    gated = dict((name, dict(host, ansible_connection='local')) for name, host in hosts.items())
    inventory.write_text(json.dumps({'gated': {'hosts': gated}}))
    allowed = cyberwatch_api.get('server', by_name['id'])['cve_announcements'][0]['cve_code']
    gate_vars = {'cyberwatch_cve_gate_thresholds': {'critical': 0, 'high': 1, 'exploitable': 0},
                 'cyberwatch_cve_gate_fail': False, 'cyberwatch_cve_gate_report_name': 'gate',
                 'cyberwatch_cve_gate_allow_list': [{'match': allowed, 'justification': 'compensating control',
                                                     'expires': '2099-12-31'}]}
    sim.set_faults([{'kind': 'status', 'status': 404, 'match': '^GET %s/%d$' % (SERVERS, gone['id'])}])
    reports = {}
    for name, role in (('before', str(role_before(tmp_path))), ('after', 'secops.vulnmgmt.cyberwatch_cve_gate')):
        reports[name] = tmp_path / name / 'reports'
        path = tmp_path / ('%s.yml' % name)
        path.write_text(json.dumps([{'hosts': 'gated', 'gather_facts': False, 'roles': [
            {'role': role, 'vars': dict(gate_vars, cyberwatch_cve_gate_report_dir=str(reports[name]))}]}]))
        sim.clear_requests()
        ansible.run('ansible-playbook', ['-i', inventory, path])
    names = sorted(p.name for p in reports['before'].iterdir())
    assert names == ['gate.json', 'gate.junit.xml', 'gate.md', 'gate.sarif']
    assert sorted(p.name for p in reports['after'].iterdir()) == names
    for report in names:
        before, after = [undated(reports[name] / report) for name in ('before', 'after')]
        assert after == before, report
    summary = json.loads((reports['after'] / 'gate.json').read_text())
    assert summary['subjects'][gone['hostname']]['violations'] == [
        'server %s has no CVE data (its detail has no cve_announcements list)' % gone['id']]
    assert summary['subjects']['same-server']['counts'] == summary['subjects'][by_name['hostname']]['counts']
    assert summary['suppressed'] and summary['findings'] and summary['failed_subjects']
    # The requests of today's gate: ceil(N / page) server pages, the CVE pages, one detail per matched server.
    made = sim.requests()
    details = sorted(int(r['path'].rsplit('/', 1)[1]) for r in made if r['path'].startswith(SERVERS + '/'))
    assert details == sorted([by_name['id'], by_address['id'], gone['id']])
    assert len([r for r in made if r['path'] == SERVERS]) == math.ceil(len(servers) / PER_PAGE)
    active_cves = len(cyberwatch_api.list('cve_announcement', {'active': True}))
    assert len([r for r in made if r['path'] == CVES]) == math.ceil(active_cves / PER_PAGE)
    assert len(made) == math.ceil(len(servers) / PER_PAGE) + math.ceil(active_cves / PER_PAGE) + len(details), made
    assert {r['method'] for r in made} == {'GET'} and shared


def undated(path):
    """A report's text with the evaluation date of its run replaced (the one value that may differ between runs)."""
    text = path.read_text()
    evaluated_on = json.loads((path.parent / 'gate.json').read_text())['evaluated_on']
    return text.replace(evaluated_on, '<evaluated_on>')
