"""Least privilege: what works with a read-only API key (the simulator's cyberwatch_readonly / cystack_readonly, whose
writes answer 403), and what a write then says.

Every info module, every state module in check mode and three state modules for real (their failures kept) run in
this process (harness.run_module_here: the client code, without an ansible-playbook run per module); one
ansible-playbook run holds both gate roles; both inventory plugins run once each; both event sources poll in Python.
The request log proves that every request used a read-only key and that the only writes sent, those of the real runs,
were refused. A last test calls the simulator directly (Basic auth, CyStack's stop). This exercises the collection's
client code, which no ansible-core changes: newest core only.
"""

import json
from pathlib import Path

import pytest
import requests
from core.auth import CYBERWATCH_FORBIDDEN, CYSTACK_FORBIDDEN
from harness import CORE, REPO, run_module_here
from test_cyberwatch_airgap import WINDOWS_OUTPUT
from test_cyberwatch_compliance import DEFINITION
from test_cyberwatch_cve_announcement import CUSTOM
from test_cyberwatch_security_issue import ISSUE
from test_cyberwatch_stored_credential import CRED
from test_hostile_fleet import first_poll, load_source

pytestmark = pytest.mark.skipif(CORE < (2, 21), reason='client behaviour with a read-only key: newest ansible-core only')

PREFIX = 'secops.vulnmgmt.'
SOURCES = ('cyberwatch_vulnerabilities', 'cystack_scans')
READONLY_AUTH = {'hmac-readonly', 'bearer-readonly'}
NO_API_MODULES = {'gate_report_files'}  # writes a summary's files on the controller: no key, no request
# State modules run for real (refused): one per write path (the resource engine, an action, CyStack); every write goes
# through the same transport, whose 403 message is unit-tested (test_transport.py).
REAL_RUNS = ('cyberwatch_group', 'cyberwatch_server_action', 'cystack_vulnerability')
NEW_GROUP = {'name': 'readonly-check', 'description': 'would be created'}

INFO_MODULES = {
    'cyberwatch_ping': {},
    'cyberwatch_agent_info': {},
    'cyberwatch_airgap_script_info': {'os_key': 'ubuntu'},
    'cyberwatch_applicative_scan_info': {},
    'cyberwatch_asset_info': {},
    'cyberwatch_compliance_rule_info': {},
    'cyberwatch_compliance_server_info': {},
    'cyberwatch_cve_info': {},
    'cyberwatch_discovery_info': {},
    'cyberwatch_docker_image_info': {},
    'cyberwatch_group_info': {},
    'cyberwatch_host_info': {},
    'cyberwatch_node_info': {},
    'cyberwatch_os_info': {},
    'cyberwatch_remote_access_info': {},
    'cyberwatch_security_issue_info': {},
    'cyberwatch_server_info': {},
    'cyberwatch_stored_credential_info': {},
    'cyberwatch_user_info': {},
    'cystack_monitoring_info': {'target': 'https://cystack.net'},
    'cystack_scan_info': {},
    'cystack_target_info': {},
    'cystack_vulnerability_info': {},
}


def state_modules(server, vulnerability):
    """Each state module with arguments that would write (check mode reports a change)."""
    remote_access = {'address': 'readonly.example.com', 'type': 'ssh_password', 'login': 'scan',
                     'password': 'readonly-Pa55word', 'node': 'master'}
    return {
        'cyberwatch_agent': {'id': 1},
        'cyberwatch_airgap_upload': {'output': WINDOWS_OUTPUT},
        'cyberwatch_applicative_scan': {'target': 'https://portal.example.com', 'node': 'master'},
        'cyberwatch_compliance_recheck': {'server': server['hostname']},
        'cyberwatch_compliance_rule': DEFINITION,
        'cyberwatch_cve_announcement': CUSTOM,
        'cyberwatch_discovery': {'name': 'office-lan'},
        'cyberwatch_docker_image': {'image_name': 'library/alpine', 'image_tag': 'latest', 'state': 'absent'},
        'cyberwatch_group': NEW_GROUP,
        'cyberwatch_host': {'target': '192.0.2.1', 'node': 'master'},
        'cyberwatch_node': {'name': 'scanner-dmz', 'transfer_to': 'master', 'state': 'absent'},
        'cyberwatch_remote_access': remote_access,
        'cyberwatch_remote_accesses': {'remote_accesses': [remote_access]},
        'cyberwatch_security_issue': ISSUE,
        'cyberwatch_server': {'id': server['id'], 'description': 'would be described'},
        'cyberwatch_server_action': {'id': server['id'], 'action': 'refresh'},
        'cyberwatch_stored_credential': CRED,
        'cystack_monitoring': {'target': 'https://cystack.net', 'interval': 7},
        'cystack_scan': {'target': 'https://cystack.net', 'profile': 1},
        'cystack_vulnerability': {'id': vulnerability['id'], 'false_positive': not vulnerability['false_positive']},
    }


def gate_targets(cystack_api):
    """Addresses whose newest scan is finished: a gate with a long max_age reuses it and launches nothing."""
    statuses = {}
    for scan in cystack_api.scans():
        statuses.setdefault(scan['target']['address'], set()).add(scan['status'])
    return sorted(address for address, seen in statuses.items() if seen == {'Stopped'})[:2]


def gate_playbook(report_dir, targets):
    """Both gate roles, with the reports in JSON."""
    return [
        {'name': 'CyStack gate', 'hosts': 'localhost', 'gather_facts': False, 'connection': 'local', 'tasks': [
            {'ansible.builtin.include_role': {'name': PREFIX + 'cystack_scan_gate'},
             'vars': {'cystack_scan_gate_targets': targets, 'cystack_scan_gate_max_age': '3650d',
                      'cystack_scan_gate_fail': False, 'cystack_scan_gate_report_dir': str(report_dir),
                      'cystack_scan_gate_report_formats': ['json']}}]},
        {'name': 'Cyberwatch gate', 'hosts': 'gated', 'gather_facts': False, 'tasks': [
            {'ansible.builtin.include_role': {'name': PREFIX + 'cyberwatch_cve_gate'},
             'vars': {'cyberwatch_cve_gate_fail': False, 'cyberwatch_cve_gate_report_dir': str(report_dir),
                      'cyberwatch_cve_gate_report_formats': ['json']}}]},
    ]


def module_results(modules, environ):
    """Every info module, every state module in check mode, then REAL_RUNS for real, in this process
    (harness.run_module_here), with the read-only keys in the environment: {'info_NAME': result, ...}."""
    runs = [('info', name, params, False) for name, params in INFO_MODULES.items()]
    runs += [('check', name, params, True) for name, params in modules.items()]
    runs += [('real', name, modules[name], False) for name in REAL_RUNS]
    return dict(('%s_%s' % (kind, name), run_module_here(name, params, environ, check_mode))
                for kind, name, params, check_mode in runs)


@pytest.fixture(scope='module')
def run(simulator, ansible, tmp_path_factory, collection_on_path, once_per_run):
    """The playbook run with the read-only keys: registered results by task, request log, report dir, gate targets,
    state modules run."""
    del collection_on_path
    return once_per_run('readonly-key-run', lambda: readonly_run(simulator, ansible, tmp_path_factory))


def readonly_run(simulator, ansible, tmp_path_factory):
    from ansible_collections.secops.vulnmgmt.plugins.module_utils.cyberwatch import CyberwatchClient
    from ansible_collections.secops.vulnmgmt.plugins.module_utils.cystack import CyStackClient
    simulator.reset()
    cyberwatch = CyberwatchClient(simulator.cyberwatch['api_url'], simulator.cyberwatch['api_key'],
                                  simulator.cyberwatch['secret_key'])
    cystack = CyStackClient(simulator.cystack['api_key'], api_url=simulator.cystack['api_url'])
    server = cyberwatch.list('server')[0]
    vulnerability = cystack.vulnerabilities()[0]
    targets = gate_targets(cystack)
    report_dir = tmp_path_factory.mktemp('readonly')
    path = report_dir / 'readonly.yml'
    modules = state_modules(server, vulnerability)
    path.write_text(json.dumps(gate_playbook(report_dir, targets)))
    inventory = report_dir / 'hosts.yml'
    inventory.write_text(json.dumps({'all': {'hosts': {'localhost': {'ansible_connection': 'local'}}, 'children': {
        'gated': {'hosts': {server['hostname']: {'ansible_connection': 'local'}}}}}}))
    simulator.clear_requests()
    results = module_results(modules, simulator.env(readonly=True))
    ansible.run('ansible-playbook', ['-i', inventory, path], env=simulator.env(readonly=True))
    return {'results': results, 'requests': simulator.requests(), 'report_dir': str(report_dir), 'targets': targets,
            'modules': modules}


def test_every_request_used_the_read_only_keys(run):
    requests = run['requests']
    assert requests and {r['auth'] for r in requests} == READONLY_AUTH


def test_every_info_module_works(run):
    results = run['results']
    for name in INFO_MODULES:
        assert not results['info_' + name].get('failed'), (name, results['info_' + name].get('msg'))


def test_check_mode_of_every_state_module_predicts_a_change_and_sends_no_write(run):
    results, requests = run['results'], run['requests']
    every_module = {path.stem for path in (REPO / 'plugins' / 'modules').glob('*.py')}
    assert set(INFO_MODULES) | set(run['modules']) | NO_API_MODULES == every_module
    for name in run['modules']:
        check = results['check_' + name]
        assert not check.get('failed') and check['changed'], (name, check.get('msg'))
    # The only writes are those of the real runs, each refused: nothing before them, and none passed.
    writes = [r for r in requests if r['method'] in ('POST', 'PUT', 'PATCH', 'DELETE') or r['path'].endswith('/stop')]
    assert writes and {r['status'] for r in writes} == {403}
    first_write = requests.index(writes[0])
    assert not [r for r in requests[:first_write] if r['status'] == 403]


def test_a_state_module_without_check_mode_fails_naming_the_missing_right(run):
    results = run['results']
    for name in REAL_RUNS:
        real = results['real_' + name]
        assert real.get('failed') and real.get('status') == 403, (name, real.get('msg'))
        assert 'HTTP 403' in real['msg'] and 'the API key is valid but lacks write access to ' in real['msg'], real['msg']
        # The server's message, read from each platform's 403 envelope.
        assert real['msg'].endswith(CYSTACK_FORBIDDEN if name.startswith('cystack') else CYBERWATCH_FORBIDDEN), real['msg']


def test_both_gates_work_and_the_cystack_gate_reuses_scans(run):
    report_dir, targets = Path(run['report_dir']), run['targets']
    assert targets
    cystack = json.loads((report_dir / 'cystack_scan_gate.json').read_text())
    assert sorted(cystack['subjects']) == targets, cystack
    cyberwatch = json.loads((report_dir / 'cyberwatch_cve_gate.json').read_text())
    assert len(cyberwatch['subjects']) == 1, cyberwatch
    assert not [r for r in run['requests'] if r['method'] == 'POST' and r['path'] == '/v1/scans' and r['status'] != 403]


@pytest.mark.parametrize('plugin', ['cyberwatch', 'cystack'])
def test_inventory_plugins_work(sim, ansible, plugin):
    proc = ansible.inventory('plugin: secops.vulnmgmt.%s\n' % plugin, 'readonly.%s.yml' % plugin,
                             env=sim.env(readonly=True))
    hosts = json.loads(proc.stdout)['_meta']['hostvars']
    assert len(hosts) >= 10
    assert {r['auth'] for r in sim.requests()} == {'bearer-readonly' if plugin == 'cystack' else 'hmac-readonly'}


@pytest.mark.parametrize('source', SOURCES)
def test_event_sources_poll(sim, source, tmp_path, collection_on_path):
    """emit_existing: the first poll emits what exists, which proves a full read with the read-only key."""
    del collection_on_path
    keys = sim.cyberwatch_readonly if source.startswith('cyberwatch') else sim.cystack_readonly
    assert first_poll(load_source(source), keys, tmp_path / 'state.json')
    requests = sim.requests()
    assert requests and {r['auth'] for r in requests} == {
        'hmac-readonly' if source.startswith('cyberwatch') else 'bearer-readonly'}


def test_the_simulator_refuses_only_the_writes_of_the_read_only_keys(sim):
    """Both Cyberwatch schemes and the CyStack token; the full keys keep writing (404 for an unknown id, not 403)."""
    full, readonly = sim.cyberwatch, sim.cyberwatch_readonly
    assert readonly['api_key'] != full['api_key'] and sim.cystack_readonly['api_key'] != sim.cystack['api_key']
    for keys, status in ((readonly, 403), (full, 404)):
        auth = (keys['api_key'], keys['secret_key'])
        assert requests.get(sim.url + '/api/v3/ping', auth=auth, timeout=10).status_code == 200
        answer = requests.delete(sim.url + '/api/v3/nodes/999', auth=auth, timeout=10)
        assert answer.status_code == status
    assert answer.json()['error']['code'] == 404
    refused = requests.delete(sim.url + '/api/v3/nodes/999', auth=(readonly['api_key'], readonly['secret_key']),
                              timeout=10)
    assert refused.json() == {'error': {'code': 403, 'status': 'Forbidden', 'message': CYBERWATCH_FORBIDDEN}}
    token = {'Authorization': 'Bearer ' + sim.cystack_readonly['api_key']}
    base = sim.cystack_readonly['api_url']
    assert requests.get(base + '/targets', headers=token, timeout=10).status_code == 200
    for method, path in (('POST', '/scans'), ('DELETE', '/scans/x'), ('GET', '/scans/x/stop')):
        answer = requests.request(method, base + path, headers=token, json={}, timeout=10)
        assert (answer.status_code, answer.json()) == (403, {'detail': CYSTACK_FORBIDDEN}), (method, path)
    assert [r['auth'] for r in sim.requests()] == ['basic-readonly', 'basic-readonly', 'basic', 'basic',
                                                   'basic-readonly', 'bearer-readonly'] + ['bearer-readonly'] * 3
