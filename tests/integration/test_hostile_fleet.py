"""The hostile fleet (issue 19): a simulator whose every free-text string is an injection payload (`serve.py
--hostile`, tests/simulator/core/hostile.py HOSTILE_KINDS: Jinja lookups, shell metacharacters, path traversal, reserved
host names, host patterns, leading dashes, control characters, markup, 100 KB strings), read by both inventory
plugins, every role, both event sources and the gate reports, on every supported ansible-core.

Every payload that runs creates a file in the marker directory; ssh is replaced by a stub that only records its
arguments there (so a module sent over SSH to an address from the API is caught, and nothing leaves this machine).
Each test asserts that the marker directory stays empty, that no output holds a Python traceback, that no
inventory host has a reserved or non-plain name or an `ansible_host` that is not an address, and that every report
is valid. One ansible run per tool, on one module-scoped simulator. Warnings are not checked (`warnings=None`):
which refusals warn, and how, is the inventory plugins' and the roles' business (their own tests).
"""

import asyncio
import importlib.util
import json
import os
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from core.hostile import hostile_string
from harness import Ansible
from launcher import Simulator, collections_root
from test_inventory_support import plain

REPO = Path(__file__).resolve().parents[2]
SARIF_SCHEMA = REPO / 'tests' / 'unit' / 'plugins' / 'filter' / 'sarif' / 'sarif-2.1.0.json'
SOURCES = REPO / 'extensions' / 'eda' / 'plugins' / 'event_source'
STATIC = {'ANSIBLE_INVENTORY_ENABLED': 'yaml'}     # the JSON inventories the tests write
FAKE_SSH = '#!/bin/sh\n# Stands for ssh: records that it was called, with its arguments, and connects nowhere.\n' \
           'printf "%%s\\n" "$@" > "%s/ssh-invoked.$$"\necho "ssh stub of test_hostile_fleet: no connection" >&2\nexit 255\n'
SERVERS = 20    # len(core/hostile.py HOSTILE_KINDS): each payload kind is the hostname of one server, the address of one target
TARGETS = 20
CYBERWATCH_SOURCE = {'plugin': 'secops.vulnmgmt.cyberwatch', 'details': True,
                     'group_by': ['os', 'os_type', 'environment', 'category', 'status'],
                     'compose': {'hostile_label': 'cyberwatch_hostname', 'hostile_os': 'cyberwatch_os.name'},
                     'keyed_groups': [{'key': 'cyberwatch_environment', 'prefix': 'env'}]}
CYSTACK_SOURCE = {'plugin': 'secops.vulnmgmt.cystack', 'vulnerability_counts': True, 'last_scan': True,
                  'compose': {'hostile_address': 'cystack_address'}}
PRINT_PLAY = [{'name': 'Print every hostvar of every host', 'hosts': 'all', 'gather_facts': False, 'tasks': [
    {'name': 'All the host vars', 'ansible.builtin.debug': {'var': 'hostvars[inventory_hostname]'}},
    {'name': 'Each variable from the API on its own', 'ansible.builtin.debug': {
        'msg': "{{ item }} = {{ lookup('ansible.builtin.vars', item) }}"},
     'loop': "{{ hostvars[inventory_hostname] | list | select('match', '^(cyberwatch_|cystack_|hostile_|ansible_host$)')"
             " | list }}"},
]}]


@pytest.fixture(scope='module')
def markers(tmp_path_factory):
    return tmp_path_factory.mktemp('hostile-markers')


@pytest.fixture(scope='module')
def hostile(markers):
    sim = Simulator(seed=19, servers=SERVERS, targets=TARGETS, scan_seconds=1, hostile=str(markers)).start()
    yield sim
    sim.stop()


@pytest.fixture(autouse=True)
def no_markers_yet(markers):
    """Each test starts with an empty marker directory (a marker left by an earlier test failed that one)."""
    for path in markers.iterdir():
        path.unlink()


@pytest.fixture(scope='module')
def runner(hostile, markers, tmp_path_factory):
    """The harness on the hostile simulator, with ssh replaced by the recording stub."""
    workdir = tmp_path_factory.mktemp('hostile-work')
    ssh = workdir / 'ssh-stub'
    ssh.write_text(FAKE_SSH % markers)
    ssh.chmod(0o755)
    ansible = Ansible(hostile, workdir)
    # Plugin sources only (a static inventory passes STATIC), and a source that fails fails the run.
    ansible.env.update({'ANSIBLE_SSH_EXECUTABLE': str(ssh), 'ANSIBLE_INVENTORY_ENABLED': 'auto',
                        'ANSIBLE_INVENTORY_ANY_UNPARSED_IS_FAILED': '1'})
    (workdir / 'cyberwatch.cyberwatch.yml').write_text(json.dumps(CYBERWATCH_SOURCE))
    (workdir / 'cystack.cystack.yml').write_text(json.dumps(CYSTACK_SOURCE))
    return ansible


def ran(markers):
    """Marker files: payloads that ran, and ssh stub calls."""
    return sorted(p.name for p in markers.iterdir())


def run(runner, tool, args, env=None):
    """One ansible run, its warnings left to the test; returns (rc, stdout + stderr, stdout)."""
    proc = runner.run(tool, args, env=env, check=False, warnings=None)
    return proc.returncode, proc.stdout + '\n' + proc.stderr, proc.stdout


def excerpt(output):
    """What tells why a run failed: its fatal and error lines, then its end (long payloads cut)."""
    lines = [line[:400] for line in output.splitlines()]
    reasons = [line for line in lines if line.lstrip().startswith(('fatal:', 'failed:', 'ERROR', '[ERROR]'))]
    return '\n'.join(reasons[:20] + ['--- end of the output'] + lines[-40:])


def assert_clean(rc, output, markers):
    """No payload ran, no ssh, no traceback, and the run succeeded."""
    assert not ran(markers), 'payloads ran or ssh was called: %s\n%s' % (ran(markers), excerpt(output))
    assert 'Traceback (most recent call last)' not in output, excerpt(output)
    assert rc == 0, excerpt(output)


def inventory_problems(listing):
    """What is wrong with the hosts of an `ansible-inventory --list` answer (trust.py's rules)."""
    from ansible_collections.secops.vulnmgmt.plugins.plugin_utils.trust import address_problem, host_name_problem
    groups = set(listing) - {'_meta'}
    problems = []
    for name, hostvars in listing['_meta']['hostvars'].items():
        problem = host_name_problem(name, taken=groups)
        if problem:
            problems.append('host %r: %s' % (name[:80], problem))
        address = hostvars.get('ansible_host')
        if address is not None and address_problem(address):
            problems.append('host %r: ansible_host %r: %s' % (name[:80], str(address)[:80], address_problem(address)))
    return problems


@pytest.fixture(scope='module')
def on_path(runner):
    root = collections_root(runner.workdir)
    if root not in sys.path:
        sys.path.insert(0, root)
    return root


@pytest.mark.parametrize('source', ['cyberwatch.cyberwatch.yml', 'cystack.cystack.yml'])
def test_inventory_list(runner, markers, on_path, source):
    del on_path
    rc, output, stdout = run(runner, 'ansible-inventory', ['-i', source, '--list'])
    assert_clean(rc, output, markers)
    listing = plain(json.loads(stdout))
    hosts = listing['_meta']['hostvars']
    assert len(hosts) == (SERVERS if source.startswith('cyberwatch') else TARGETS), sorted(hosts)
    assert inventory_problems(listing) == []


def test_playbook_prints_every_hostvar(runner, markers):
    path = runner.workdir / 'print-hostvars.json'
    path.write_text(json.dumps(PRINT_PLAY))
    rc, output, dummy = run(runner, 'ansible-playbook', ['-i', 'cyberwatch.cyberwatch.yml', '-i', 'cystack.cystack.yml', path])
    assert_clean(rc, output, markers)
    recap = output[output.index('PLAY RECAP'):].splitlines()[1:]
    assert len([line for line in recap if 'ok=2' in line and 'failed=0' in line]) == SERVERS + TARGETS, output[-4000:]


CYSTACK_GATE_PLAY = [{'name': 'CyStack gate over every hostile target', 'hosts': 'localhost', 'gather_facts': False,
                      'tasks': [
                          {'name': 'Targets', 'secops.vulnmgmt.cystack_target_info': {}, 'register': 'hostile_targets'},
                          {'name': 'Gate', 'ansible.builtin.include_role': {'name': 'secops.vulnmgmt.cystack_scan_gate'},
                           'vars': {'cystack_scan_gate_targets': "{{ hostile_targets.targets | map(attribute='address') | list }}",
                                    'cystack_scan_gate_poll_interval': 1, 'cystack_scan_gate_wait_timeout': 120,
                                    'cystack_scan_gate_max_age': '3650d',   # reuse the seeded (hostile) findings
                                    'cystack_scan_gate_fail': False,
                                    'cystack_scan_gate_report_dir': '{{ gate_report_dir }}',
                                    'cystack_scan_gate_report_name': 'cystack'}}]}]
CYBERWATCH_GATE_PLAY = [{'name': 'Cyberwatch gate over every hostile host', 'hosts': 'all:!localhost',
                         'gather_facts': False, 'roles': [{'role': 'secops.vulnmgmt.cyberwatch_cve_gate', 'vars': {
                             'cyberwatch_cve_gate_fail': False, 'cyberwatch_cve_gate_report_dir': '{{ gate_report_dir }}',
                             'cyberwatch_cve_gate_report_name': 'cyberwatch'}}]}]


@pytest.mark.parametrize('gate, source, play, subjects', [
    ('cystack', 'cystack.cystack.yml', CYSTACK_GATE_PLAY, TARGETS),
    ('cyberwatch', 'cyberwatch.cyberwatch.yml', CYBERWATCH_GATE_PLAY, SERVERS)])
def test_gate_role_and_its_reports(runner, markers, on_path, gate, source, play, subjects):
    """Each gate role over the hostile inventory (its reports through gate_report, every format). The CyStack gate
    runs on the implicit localhost with the targets from the API: its inventory source may fail without stopping it."""
    del on_path
    report_dir = runner.workdir / ('%s-reports' % gate)
    path = runner.workdir / ('%s-gate.json' % gate)
    path.write_text(json.dumps(play))
    rc, output, dummy = run(runner, 'ansible-playbook', ['-i', source, '-e', 'gate_report_dir=%s' % report_dir, path],
                            env={'ANSIBLE_INVENTORY_ANY_UNPARSED_IS_FAILED': '0'})
    assert_clean(rc, output, markers)
    summary = json.loads((report_dir / (gate + '.json')).read_text())
    assert_valid_sarif(report_dir / (gate + '.sarif'), summary)
    assert_valid_junit(report_dir / (gate + '.junit.xml'), summary)
    assert_valid_markdown(report_dir / (gate + '.md'), summary)
    assert len(summary['subjects']) == subjects and summary['passed'] is False, summary['message']


def assert_valid_sarif(path, summary):
    jsonschema = pytest.importorskip('jsonschema')
    log = json.loads(path.read_text())
    schema = json.loads(SARIF_SCHEMA.read_text())
    jsonschema.validators.validator_for(schema)(schema).validate(log)
    assert len(log['runs'][0]['results']) == len(summary['findings']) + len(summary['suppressed'])


def assert_valid_junit(path, summary):
    root = ET.fromstring(path.read_bytes())        # raises on invalid XML (control characters, broken markup)
    cases = root.findall('.//testcase')
    assert len(cases) == len(summary['subjects'])
    from ansible_collections.secops.vulnmgmt.plugins.filter.gate import _plain  # what XML can carry of a name
    assert sorted(c.get('name') for c in cases if c.find('failure') is not None) == sorted(
        _plain(name) for name in summary['failed_subjects'])


def assert_valid_markdown(path, summary):
    text = path.read_text()
    assert text.strip() and '\x1b' not in text and '\x00' not in text
    # Each table row has as many cells as the table's header: no value breaks out of its cell.
    for table in [block for block in text.split('\n\n') if block.lstrip().startswith('|')]:
        rows = [line for line in table.splitlines() if line.startswith('|')]
        widths = {len(line.replace('\\|', '').split('|')) for line in rows}
        assert len(widths) == 1, table[:3000]
    assert summary['name'] in text


def test_remediation_plan_role_over_the_hostile_hosts_in_check_mode(runner, markers):
    """cyberwatch_remediate's matching and plans over the hosts of the hostile inventory: each host's plan (its
    server's hostname, CVE codes and updates from the API) is shown, and check mode sends nothing anywhere."""
    path = runner.workdir / 'remediate.json'
    path.write_text(json.dumps([{'name': 'Plan', 'hosts': 'all:!localhost', 'gather_facts': False, 'roles': [
        {'role': 'secops.vulnmgmt.cyberwatch_remediate', 'vars': {'cyberwatch_remediate_min_level': 'critical'}}]}]))
    runner.sim.clear_requests()
    rc, output, dummy = run(runner, 'ansible-playbook', ['-i', 'cyberwatch.cyberwatch.yml', '--check', path])
    assert_clean(rc, output, markers)
    recap = output[output.index('PLAY RECAP'):].splitlines()[1:]
    assert len([line for line in recap if 'failed=0' in line and 'unreachable=0' in line]) == SERVERS, output[-4000:]
    shown = output.split('TASK [secops.vulnmgmt.cyberwatch_remediate : Show the plan of every host', 1)[1].split('TASK [', 1)[0]
    # One result, keyed by host: each host's plan (its server) or its problem.
    assert shown.count('ok: [') == 1 and '"server_id":' in shown, excerpt(output)
    assert shown.count('"server_id":') + shown.count('"problem":') == SERVERS, excerpt(output)
    assert runner.sim.writes() == []


def test_onboard_role_with_the_hostile_remote_accesses(runner, markers):
    """A static inventory (the role reads the play's hosts), the hostile remote accesses already in the API; one
    host without ansible_port (the role's 2.16 default)."""
    inventory = runner.workdir / 'onboard-hosts.json'
    inventory.write_text(json.dumps({'fleet': {'hosts': {
        'onboard-a': {'ansible_host': '198.51.100.71', 'ansible_user': 'scan', 'ansible_password': 'onboard-secret'},
        'onboard-b': {'ansible_host': '198.51.100.72', 'ansible_user': 'scan', 'ansible_password': 'onboard-secret',
                      'ansible_port': 2222}}}}))
    path = runner.workdir / 'onboard.json'
    path.write_text(json.dumps([{'name': 'Onboard', 'hosts': 'fleet', 'gather_facts': False,
                                 'roles': [{'role': 'secops.vulnmgmt.cyberwatch_onboard',
                                            'vars': {'cyberwatch_onboard_groups': ['hostile-onboarded'],
                                                     'cyberwatch_onboard_use_connection_secret': True}}]}]))
    rc, output, dummy = run(runner, 'ansible-playbook', ['-i', inventory, path], env=STATIC)
    assert_clean(rc, output, markers)
    assert 'onboard-secret' not in output
    created = [w for w in runner.sim.writes() if w['method'] == 'POST' and w['path'].endswith('remote_accesses')]
    assert len(created) == 2, created


def test_airgap_role_on_localhost(runner, markers):
    inventory = runner.workdir / 'airgap-hosts.json'
    inventory.write_text(json.dumps({'all': {'hosts': {'scan-here': {'ansible_connection': 'local'}}}}))
    path = runner.workdir / 'airgap.json'
    path.write_text(json.dumps([{'name': 'Air-gap scan', 'hosts': 'all', 'gather_facts': False,
                                 'roles': [{'role': 'secops.vulnmgmt.cyberwatch_airgap_scan',
                                            'vars': {'cyberwatch_airgap_scan_wait': True,
                                                     'cyberwatch_airgap_scan_poll_interval': 0.5,
                                                     'cyberwatch_airgap_scan_timeout': 60}}]}]))
    rc, output, dummy = run(runner, 'ansible-playbook', ['-i', inventory, path], env=STATIC)
    assert_clean(rc, output, markers)
    assert 'scan-here' in output and 'failed=0' in output


# -- event sources: run as ansible-rulebook runs them (main(queue, args)), as tests/unit/plugins/event_source does --

def load_source(name):
    spec = importlib.util.spec_from_file_location('hostile_eda_' + name, str(SOURCES / (name + '.py')))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.main


def first_poll(main, args, state_file, timeout=60):
    """The events of the source's first poll (emit_existing): it has polled once when its state file exists."""
    loop = asyncio.new_event_loop()
    queue = asyncio.Queue()
    task = loop.create_task(main(queue, dict(args, state_file=str(state_file), emit_existing=True, interval=30)))
    deadline = time.monotonic() + timeout
    try:
        while not state_file.exists():
            if task.done():
                task.result()                  # raises what stopped the source
            assert time.monotonic() < deadline, 'the source did not poll within %ss' % timeout
            loop.run_until_complete(asyncio.sleep(0.1))
        return [queue.get_nowait() for dummy in range(queue.qsize())]
    finally:
        task.cancel()
        try:
            loop.run_until_complete(task)
        except (asyncio.CancelledError, Exception):  # pylint: disable=broad-except
            pass
        loop.close()


def values(value):
    """The string values of an event (not its keys)."""
    if isinstance(value, dict):
        value = list(value.values())
    if isinstance(value, (list, tuple)):
        for item in value:
            yield from values(item)
    elif isinstance(value, str):
        yield value


def assert_untrusted(events, key):
    """No event carries a string ansible-core could template (no marking survives the way to a rulebook's job: the
    sources withhold them), and the hostile fleet's templates were seen and listed as withheld."""
    from ansible.parsing.dataloader import DataLoader
    from ansible.template import Templar
    templar = Templar(loader=DataLoader())
    templates = [s[:60] for event in events for s in values(event) if templar.is_possibly_template(s)]
    assert not templates, 'template-looking strings reach the events: %s' % templates[:10]
    assert any(event[key].get('withheld') for event in events), 'the hostile strings were withheld'


@pytest.fixture
def source_env(monkeypatch):
    for name in list(os.environ):
        if name.startswith(('CYBERWATCH_', 'CBW_', 'CYSTACK_')):
            monkeypatch.delenv(name)


def test_cyberwatch_event_source(hostile, markers, on_path, source_env, tmp_path):
    del on_path, source_env
    from ansible_collections.secops.vulnmgmt.plugins.module_utils.cyberwatch import CyberwatchClient
    client = CyberwatchClient(hostile.cyberwatch['api_url'], hostile.cyberwatch['api_key'],
                              hostile.cyberwatch['secret_key'])
    expected = set()
    for server in client.list('server'):
        detail = client.get('server', server['id'])
        expected.update((server['id'], cve['cve_code']) for cve in detail.get('cve_announcements') or ()
                        if not cve.get('ignored') and not cve.get('fixed_at'))
    events = first_poll(load_source('cyberwatch_vulnerabilities'), dict(
        api_url=hostile.cyberwatch['api_url'], api_key=hostile.cyberwatch['api_key'],
        secret_key=hostile.cyberwatch['secret_key'], min_level='low'), tmp_path / 'cyberwatch.json')
    assert not ran(markers)
    json.dumps(events)
    assert {(e['cyberwatch']['server']['id'], e['cyberwatch']['cve']['code']) for e in events} == expected
    assert_untrusted(events, 'cyberwatch')


def test_cystack_event_source(hostile, markers, on_path, source_env, tmp_path):
    del on_path, source_env
    args = dict(api_url=hostile.cystack['api_url'], api_key=hostile.cystack['api_key'])
    events = first_poll(load_source('cystack_scans'), args, tmp_path / 'cystack.json')
    assert not ran(markers)
    json.dumps(events)
    assert events, 'the hostile fleet has finished scans'
    assert_untrusted(events, 'cystack')


def test_markers_are_detected(tmp_path):
    """The detector works: a shell payload of the fleet, once run by a shell, leaves its marker."""
    payload = hostile_string('shell_subst', 'probe', str(tmp_path))
    subprocess.run(['sh', '-c', 'echo %s' % payload], check=True, capture_output=True)
    assert ran(tmp_path) == ['probe.shell_subst']
