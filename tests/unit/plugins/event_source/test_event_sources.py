"""The Event-Driven Ansible sources (extensions/eda/plugins/event_source), run as ansible-rulebook runs them (the
file by path, `main(queue, args)` with an asyncio.Queue), against the simulator: baseline, new CVE or finished scan,
restart with the state file, transient faults, and the failures that stop a source."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import asyncio
import importlib.util
import json
import logging
import os
import sys
import time
from urllib.parse import urlsplit

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, '..', '..', '..', '..'))
SOURCES = os.path.join(ROOT, 'extensions', 'eda', 'plugins', 'event_source')
sys.path.insert(0, os.path.join(ROOT, 'tests', 'simulator'))

from launcher import Simulator  # noqa: E402  pylint: disable=wrong-import-position

from ansible_collections.secops.vulnmgmt.plugins.module_utils.cyberwatch import CyberwatchClient  # noqa: E402
from ansible_collections.secops.vulnmgmt.plugins.module_utils.cystack import CyStackClient  # noqa: E402
from ansible_collections.secops.vulnmgmt.plugins.plugin_utils.event_source import SourceError  # noqa: E402

POLL = 0.1


def load(name):
    """The source module's globals, loaded by path as ansible-rulebook does (it uses runpy.run_path, which the
    collection loader of ansible-test units intercepts; the real engine is in tests/integration/test_eda_rulebook.py)."""
    spec = importlib.util.spec_from_file_location('eda_source_' + name, os.path.join(SOURCES, name + '.py'))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return vars(module)


CYBERWATCH = load('cyberwatch_vulnerabilities')
CYSTACK = load('cystack_scans')


@pytest.fixture(scope='module')
def simulator():
    sim = Simulator(seed=3, servers=6, targets=3, scan_seconds=1).start()
    yield sim
    sim.stop()


@pytest.fixture
def sim(simulator, monkeypatch):
    for name in list(os.environ):
        if name.startswith(('CYBERWATCH_', 'CBW_', 'CYSTACK_')):
            monkeypatch.delenv(name)
    simulator.reset()
    return simulator


def cyberwatch_args(sim, **extra):
    args = dict(api_url=sim.cyberwatch['api_url'], api_key=sim.cyberwatch['api_key'],
                secret_key=sim.cyberwatch['secret_key'], interval=POLL, min_level='high')
    args.update(extra)
    return args


def cystack_args(sim, **extra):
    args = dict(api_url=sim.cystack['api_url'], api_key=sim.cystack['api_key'], interval=POLL)
    args.update(extra)
    return args


class Running:
    """A source's main() as a task of a private event loop, driven from the (synchronous) test."""

    def __init__(self, module, args):
        self.loop = asyncio.new_event_loop()
        self.queue = asyncio.Queue()
        self.task = self.loop.create_task(module['main'](self.queue, args))

    def until(self, check, timeout=15.0):
        deadline = time.monotonic() + timeout
        while not check():
            if self.task.done():
                self.task.result()          # raise what stopped the source
            assert time.monotonic() < deadline, 'timed out waiting for the source'
            self.loop.run_until_complete(asyncio.sleep(0.05))

    def events(self, count, timeout=15.0):
        self.until(lambda: self.queue.qsize() >= count, timeout)
        return [self.queue.get_nowait() for dummy in range(self.queue.qsize())]

    def failure(self, timeout=15.0):
        self.until(self.task.done, timeout)
        return self.task.exception()

    def stop(self):
        self.task.cancel()
        try:
            self.loop.run_until_complete(self.task)
        except (asyncio.CancelledError, Exception):  # pylint: disable=broad-except
            pass
        self.loop.close()


def commits(state_file):
    """Identity of the state file's current version: every poll replaces the file (a new inode)."""
    try:
        return os.stat(str(state_file)).st_ino
    except FileNotFoundError:
        return None


def wait_polls(source, state_file, count):
    """Let the source finish `count` more polls (each one replaces its state file once its events are queued)."""
    for dummy in range(count):
        before = commits(state_file)
        source.until(lambda: commits(state_file) not in (None, before))


def servers(sim):
    client = CyberwatchClient(sim.cyberwatch['api_url'], sim.cyberwatch['api_key'], sim.cyberwatch['secret_key'])
    return client.list('server')


def add_cve(sim, server_id, code, level='level_critical', **extra):
    return sim.control('POST', 'cyberwatch/servers/%s/cves' % server_id, dict(cve_code=code, level=level, **extra))


def state(path):
    with open(str(path)) as handle:
        return json.load(handle)


def test_cyberwatch_baseline_new_cve_and_restart_with_the_state_file(sim, tmp_path):
    state_file = tmp_path / 'state' / 'cyberwatch.json'
    first, second = servers(sim)[:2]
    source = Running(CYBERWATCH, cyberwatch_args(sim, state_file=str(state_file)))
    try:
        source.until(state_file.exists)                                        # the baseline poll
        assert source.queue.empty()
        assert oct(os.stat(str(state_file)).st_mode & 0o777) == '0o600'
        add_cve(sim, first['id'], 'CVE-2031-0001', score=9.9)
        add_cve(sim, second['id'], 'CVE-2031-0002', level='level_low', score=2.0, exploitable=False)
        events = source.events(1)
        wait_polls(source, state_file, 2)                                # nothing more on the next polls
        assert source.queue.empty()
    finally:
        source.stop()
    assert events == [{'cyberwatch': {
        'server': {'id': first['id'], 'hostname': first['hostname'], 'groups': [g['name'] for g in first['groups']],
                   'limit': first['hostname']},
        'cve': {'code': 'CVE-2031-0001', 'level': 'critical', 'score': 9.9, 'exploitable': True},
        'detected_at': events[0]['cyberwatch']['detected_at']}}]
    assert events[0]['cyberwatch']['detected_at'].startswith('20')
    saved = state(state_file)['state']
    assert 'CVE-2031-0001' in saved[str(first['id'])] and 'CVE-2031-0002' in saved[str(second['id'])]

    add_cve(sim, second['id'], 'CVE-2031-0003', level='level_high', score=8.1)  # while the source is stopped
    restarted = Running(CYBERWATCH, cyberwatch_args(sim, state_file=str(state_file)))
    try:
        events = restarted.events(1)
        wait_polls(restarted, state_file, 2)
        assert restarted.queue.empty()
    finally:
        restarted.stop()
    assert [(e['cyberwatch']['server']['id'], e['cyberwatch']['cve']['code'], e['cyberwatch']['cve']['level'])
            for e in events] == [(second['id'], 'CVE-2031-0003', 'high')]


def test_cyberwatch_reads_only_the_details_of_servers_analysed_since_the_last_poll(sim, tmp_path):
    state_file = tmp_path / 'cw.json'
    fleet = servers(sim)
    target = fleet[0]
    source = Running(CYBERWATCH, cyberwatch_args(sim, state_file=str(state_file)))
    try:
        wait_polls(source, state_file, 1)                                      # the baseline: every detail
        sim.clear_requests()
        wait_polls(source, state_file, 2)                                      # nothing changed
        quiet = [r['path'] for r in sim.requests()]
        add_cve(sim, target['id'], 'CVE-2031-0020', score=9.1)
        sim.clear_requests()
        events = source.events(1)
        wait_polls(source, state_file, 1)
        changed = [r['path'] for r in sim.requests()]
    finally:
        source.stop()
    assert len(quiet) == 2 and all(path.endswith('/servers') for path in quiet), quiet       # one listing per poll
    details = [path for path in changed if '/servers/' in path]
    assert details == ['/api/v3/vulnerabilities/servers/%s' % target['id']], changed
    assert [path for path in changed if 'cve_announcements' in path] == ['/api/v3/vulnerabilities/cve_announcements/'
                                                                         'CVE-2031-0020'], changed
    assert [e['cyberwatch']['cve']['code'] for e in events] == ['CVE-2031-0020']
    assert 'CVE-2031-0020' in state(state_file)['state'][str(target['id'])]
    assert len(state(state_file)['state']) == len(fleet)                    # the unread servers keep their codes


def test_cyberwatch_emit_existing_group_filter_and_min_level(sim, tmp_path):
    fleet = servers(sim)
    grouped = [s for s in fleet if s['groups']]
    assert grouped, 'the seeded fleet has servers in groups'
    group = grouped[0]['groups'][0]['name']
    members = [s['id'] for s in fleet if group in [g['name'] for g in s['groups']]]
    state_file = tmp_path / 'cw.json'
    source = Running(CYBERWATCH, cyberwatch_args(sim, emit_existing=True, group=[group.upper()], min_level='medium',
                                                 state_file=str(state_file)))
    try:
        wait_polls(source, state_file, 2)
        events = [source.queue.get_nowait() for dummy in range(source.queue.qsize())]
    finally:
        source.stop()
    assert events, 'emit_existing emits what the first poll finds'
    assert {e['cyberwatch']['server']['id'] for e in events} <= set(members)
    assert {e['cyberwatch']['cve']['level'] for e in events} <= {'medium', 'high', 'critical'}
    pairs = [(e['cyberwatch']['server']['id'], e['cyberwatch']['cve']['code']) for e in events]
    assert len(pairs) == len(set(pairs))


def test_basic_auth_and_legacy_routes(sim, tmp_path):
    state_file = tmp_path / 'cw.json'
    sim.clear_requests()
    source = Running(CYBERWATCH, cyberwatch_args(sim, auth_method='basic', api_routes='legacy', emit_existing=True,
                                                 min_level='low', state_file=str(state_file)))
    try:
        source.until(state_file.exists)
        events = [source.queue.get_nowait() for dummy in range(source.queue.qsize())]
    finally:
        source.stop()
    detail = {str(sid): codes for sid, codes in state(state_file)['state'].items()}
    assert len(events) == sum(len(codes) for codes in detail.values()) > 0      # min_level low: every active CVE
    assert {r['auth'] for r in sim.requests()} == {'basic'}
    assert {r['path'].split('/')[3] for r in sim.requests()} == {'servers', 'cve_announcements'}


def test_transient_faults_are_waited_out_and_nothing_is_missed(sim, caplog, tmp_path):
    target = servers(sim)[0]
    state_file = tmp_path / 'cw.json'
    args = cyberwatch_args(sim, max_retries=0, max_backoff=0.4, request_timeout=1.5, state_file=str(state_file))
    source = Running(CYBERWATCH, args)
    caplog.set_level(logging.WARNING)
    try:
        wait_polls(source, state_file, 1)
        sim.set_faults([{'kind': 'status', 'status': 503, 'match': '/servers', 'times': 2},
                        {'kind': 'retry_after', 'match': '/servers', 'times': 1, 'retry_after': 0},
                        {'kind': 'drop', 'match': '/servers', 'times': 1},
                        {'kind': 'latency', 'seconds': 2.5, 'match': '/servers', 'times': 1}])     # a timeout
        add_cve(sim, target['id'], 'CVE-2031-0010')
        events = source.events(1)
        faults = sim.control('GET', 'faults')['faults']
    finally:
        source.stop()
    assert [f['fired'] for f in faults] == [2, 1, 1, 1]
    assert [e['cyberwatch']['cve']['code'] for e in events] == ['CVE-2031-0010']
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert sum('polling again in' in w for w in warnings) >= 5, warnings     # more if the loaded machine is slow
    for failure in ('HTTP 503', 'HTTP 429', 'timed out after 1.5s'):
        assert any(failure in w for w in warnings), (failure, warnings)
    for secret in (sim.cyberwatch['api_key'], sim.cyberwatch['secret_key']):
        assert all(secret not in w for w in warnings)


@pytest.mark.parametrize('status', [401, 403])
def test_authentication_failures_stop_the_source_readably(sim, status):
    sim.set_faults([{'kind': 'status', 'status': status, 'match': '/servers'}])
    source = Running(CYBERWATCH, cyberwatch_args(sim))
    try:
        error = source.failure()
    finally:
        source.stop()
    assert isinstance(error, SourceError)
    message = str(error)
    assert 'GET /api/v3/vulnerabilities/servers' in message and 'HTTP %d' % status in message
    assert ('check the API credentials' if status == 401 else 'lacks the rights') in message
    assert sim.cyberwatch['secret_key'] not in message and sim.cyberwatch['api_key'] not in message


def test_wrong_credentials_fail_with_the_server_message(sim):
    source = Running(CYBERWATCH, cyberwatch_args(sim, secret_key='d3JvbmctY2Fub3B5'))
    try:
        error = source.failure()
    finally:
        source.stop()
    assert 'HTTP 401' in str(error) and 'd3JvbmctY2Fub3B5' not in str(error)


@pytest.mark.parametrize('extra, message', [
    ({'interval': 0}, 'interval must be a number of seconds greater than 0'),
    ({'min_level': 'severe'}, 'min_level must be one of: low, medium, high, critical'),
    ({'colour': 'red'}, 'colour'),
    ({'api_url': 'cyberwatch.example.com'}, 'api_url must be an http:// or https:// URL'),
])
def test_bad_options_fail_before_any_request(sim, extra, message):
    sim.clear_requests()
    with pytest.raises(SourceError, match=message) as error:
        asyncio.run(CYBERWATCH['main'](asyncio.Queue(), cyberwatch_args(sim, **extra)))
    assert sim.requests() == []
    assert sim.cyberwatch['secret_key'] not in str(error.value)


def test_connection_options_come_from_the_modules_environment_variables(sim, monkeypatch, tmp_path):
    for name, value in sim.env().items():
        monkeypatch.setenv(name, value)
    state_file = tmp_path / 'cw.json'
    source = Running(CYBERWATCH, {'interval': POLL, 'state_file': str(state_file)})
    try:
        source.until(state_file.exists)
    finally:
        source.stop()
    assert {r['auth'] for r in sim.requests()} == {'hmac'}


def test_unreadable_state_file_stops_the_source(sim, tmp_path):
    state_file = tmp_path / 'cw.json'
    state_file.write_text(json.dumps({'source': 'secops.vulnmgmt.cystack_scans', 'version': 1, 'state': []}))
    with pytest.raises(SourceError, match='is not a version 1 state of this source'):
        asyncio.run(CYBERWATCH['main'](asyncio.Queue(), cyberwatch_args(sim, state_file=str(state_file))))


def finish_scan(sim, address):
    client = CyStackClient(sim.cystack['api_key'], api_url=sim.cystack['api_url'])
    target = client.find_target(address)
    scan_id = client.create_scan({'target': target['id'], 'profile': 1, 'notification': [], 'description': 'eda'})
    sim.control('POST', 'cystack/scans/%s/advance' % scan_id, {'to': 'Stopped'})
    return target, client.scan(scan_id)


def test_cystack_scan_finished_after_the_baseline_and_restart(sim, tmp_path):
    state_file = tmp_path / 'cystack.json'
    client = CyStackClient(sim.cystack['api_key'], api_url=sim.cystack['api_url'])
    first, other = [t['address'] for t in client.targets()][:2]
    source = Running(CYSTACK, cystack_args(sim, state_file=str(state_file), targets=[first + '/']))
    try:
        source.until(state_file.exists)
        assert source.queue.empty()
        target, scan = finish_scan(sim, first)
        finish_scan(sim, other)                                   # not a selected target
        events = source.events(1)
        wait_polls(source, state_file, 2)
        assert source.queue.empty()
    finally:
        source.stop()
    event = events[0]['cystack']
    assert event['scan']['id'] == scan['id'] and event['scan']['status'] == 'Stopped'
    assert event['target'] == {'id': target['id'], 'address': first, 'limit': urlsplit(first).hostname}
    assert event['counts']['total'] == len(scan['vulnerability_ids'])
    assert set(event['counts']) == {'High', 'Medium', 'Low', 'Information', 'total'}
    severities = [s for s in ('High', 'Medium', 'Low', 'Information') if event['counts_excluding_false_positives'][s]]
    assert event['highest_severity'] == (severities[0] if severities else None)

    later = finish_scan(sim, first)[1]                             # while the source is stopped
    restarted = Running(CYSTACK, cystack_args(sim, state_file=str(state_file), targets=[target['id']]))
    try:
        events = restarted.events(1)
        wait_polls(restarted, state_file, 2)
        assert restarted.queue.empty()
    finally:
        restarted.stop()
    assert [e['cystack']['scan']['id'] for e in events] == [later['id']]


# --- hostile names and malformed records ---------------------------------------------------------------------------

HOSTILE_NAMES = ['localhost', 'LOCALHOST.localdomain.localhost', '127.0.0.1', '::1', 'all', 'ungrouped', 'a,b',
                 'web:&prod', 'web*', '!db', '-x', '--limit=all', 'web 01', "{{ lookup('pipe', 'id') }}", '', None, 42]


def offline(module, **extra):
    """A source object that sends nothing (its client is replaced by the tests that poll)."""
    if module is CYBERWATCH:
        args = dict(api_url='https://cbw.example.com', api_key='k', secret_key='s', **extra)
        return module['CyberwatchVulnerabilities'](args)
    return module['CyStackScans'](dict(api_url='https://cystack.example.com/v1', api_key='k', **extra))


@pytest.mark.parametrize('level', ['low', 'medium', 'high', 'critical'])
def test_min_level_accepts_the_api_level_name_as_an_alias(level):
    assert offline(CYBERWATCH, min_level='level_' + level).min_rank == offline(CYBERWATCH, min_level=level).min_rank \
        == ['low', 'medium', 'high', 'critical'].index(level)


@pytest.mark.parametrize('name', HOSTILE_NAMES)
def test_a_name_that_is_not_a_plain_host_name_is_never_a_limit(name, caplog):
    source = offline(CYBERWATCH)
    with caplog.at_level(logging.WARNING):
        assert source.limit('server', 7, name) is None
    assert 'server 7: its events have no limit field' in caplog.text
    assert offline(CYSTACK).limit('target', 'T-1', CYSTACK['host_of'](name) if isinstance(name, str) else name) is None


def test_plain_host_names_and_target_hosts_are_limits():
    assert offline(CYBERWATCH).limit('server', 7, 'web-01.prod.example.com') == 'web-01.prod.example.com'
    host_of = CYSTACK['host_of']
    assert [host_of(a) for a in ('https://Shop.example.com:8443/x', 'shop.example.com', 'http://[::1]/', '')] == [
        'shop.example.com', 'shop.example.com', '::1', None]


def test_hostile_hostnames_give_events_without_limit_and_a_warning(sim, caplog):
    names = ['all', 'a,b', 'localhost', '-x', "{{ lookup('pipe', 'id') }}", 'plain-01.example.com']
    added = [sim.control('POST', 'cyberwatch/servers', {'hostname': name}) for name in names]
    for server in added:
        add_cve(sim, server['id'], 'CVE-2031-0777')
    source = Running(CYBERWATCH, cyberwatch_args(sim, emit_existing=True, min_level='critical'))
    try:
        with caplog.at_level(logging.WARNING):
            events = [e for e in source.events(len(names)) if e['cyberwatch']['cve']['code'] == 'CVE-2031-0777']
    finally:
        source.stop()
    by_id = dict((e['cyberwatch']['server']['id'], e['cyberwatch']) for e in events)
    hostnames = [by_id[server['id']]['server']['hostname'] for server in added]
    assert hostnames == [None if name.startswith('{{') else name for name in names]     # a template is withheld
    assert [by_id[server['id']].get('withheld') for server in added] == [
        ['server.hostname'] if name.startswith('{{') else None for name in names]
    assert [by_id[server['id']]['server'].get('limit') for server in added] == [None] * 5 + ['plain-01.example.com']
    for server in added[:-1]:
        assert 'server %s: its events have no limit field' % server['id'] in caplog.text
    hostile = added[names.index("{{ lookup('pipe', 'id') }}")]
    assert "server.id %r, cve.code 'CVE-2031-0777': withheld server.hostname" % hostile['id'] in caplog.text
    assert 'server %s: its events have no limit field: a possible template (withheld)' % hostile['id'] in caplog.text
    assert 'lookup' not in caplog.text                                      # never the value


class FakeCyberwatch:
    """Answers of a Cyberwatch whose records are malformed, through the client's own paths."""

    def __init__(self, real, servers, detail=None, cve=None):
        self.path = real.path
        self.servers, self.detail, self.cve = servers, detail, cve

    def list(self, resource):
        assert resource == 'server'
        return self.servers

    def get(self, resource, object_id):
        return self.detail if resource == 'server' else self.cve


SERVER = {'id': 5, 'hostname': 'web-05', 'groups': [{'name': 'prod'}], 'analyzed_at': None}


@pytest.mark.parametrize('servers, detail, cve, message', [
    (['web-05'], None, None, 'GET /api/v3/vulnerabilities/servers: a server is a string, not an object'),
    ([dict(SERVER, id=None)], None, None, 'GET /api/v3/vulnerabilities/servers: a server: id is null'),
    ([dict(SERVER, id=True)], None, None, 'a server: id is a boolean, expected a number or a string'),
    ([dict(SERVER, hostname=['a'])], None, None, 'a server: hostname is a list, expected a string or null'),
    ([dict(SERVER, groups={'name': 'prod'})], None, None, 'a server: groups is an object'),
    ([dict(SERVER, groups=['prod'])], None, None, 'a group of server 5 is a string, not an object'),
    ([SERVER], {'hostname': 'web-05'}, None, 'GET /api/v3/vulnerabilities/servers/5: the server detail: '
                                             'cve_announcements is missing'),
    ([SERVER], {'cve_announcements': {'CVE-1': {}}}, None, 'the server detail: cve_announcements is an object'),
    ([SERVER], {'cve_announcements': ['CVE-1']}, None, 'an entry of cve_announcements is a string, not an object'),
    ([SERVER], {'cve_announcements': [{'cve_code': 7}]}, None, 'an entry of cve_announcements: cve_code is a number'),
    ([SERVER], {'cve_announcements': [{'cve_code': 'CVE-1'}]}, ['x'],
     'GET /api/v3/vulnerabilities/cve_announcements/CVE-1: the CVE announcement is a list, not an object'),
    ([SERVER], {'cve_announcements': [{'cve_code': 'CVE-1'}]}, {'level': 'level_high', 'score': 'high'},
     'the CVE announcement: score is a string, expected a number or null'),
])
def test_malformed_cyberwatch_records_stop_the_source_naming_the_method_and_path(servers, detail, cve, message):
    source = offline(CYBERWATCH, emit_existing=True, min_level='low')
    source.client = FakeCyberwatch(source.client, servers, detail, cve)
    with pytest.raises(SourceError) as caught:
        source.poll()
    assert str(caught.value).startswith('secops.vulnmgmt.cyberwatch_vulnerabilities: malformed answer to GET ')
    assert message in str(caught.value)


class FakeCyStack:
    def __init__(self, scans):
        self.listed = scans

    def scans(self, status=None):
        return self.listed


SCAN = {'id': 'S-1', 'status': 'Stopped', 'target': {'id': 'T-1', 'address': 'https://shop.example.com'}}


@pytest.mark.parametrize('scans, message', [
    ([None], 'a scan is null, not an object'),
    ([dict(SCAN, id=None)], 'a scan: id is null'),
    ([dict(SCAN, id='')], 'a scan has an empty id'),
    ([dict(SCAN, status=3)], 'a scan: status is a number'),
    ([dict(SCAN, target='https://shop.example.com')], 'a scan: target is a string, expected an object or null'),
    ([dict(SCAN, target={'id': 'T-1', 'address': ['x']})], 'the target of scan S-1: address is a list'),
])
def test_malformed_cystack_records_stop_the_source_naming_the_method_and_path(scans, message):
    source = offline(CYSTACK, emit_existing=True)
    source.client = FakeCyStack(scans)
    with pytest.raises(SourceError) as caught:
        source.poll()
    assert str(caught.value).startswith('secops.vulnmgmt.cystack_scans: malformed answer to GET /scans: %s' % message)


# --- strings that may be templates are withheld ---------------------------------------------------------------------

TEMPLATES = ["{{ lookup('pipe', 'touch MARKER') }}", '{% if true %}x{% endif %}', '{# note #}', 'web-{{', 'a{%b',
             'end {#']


def cyberwatch_event(text, key='arch'):
    return {'cyberwatch': {
        'server': {'id': 7, 'hostname': text, 'groups': ['prod', text, {'nested': [text, 'ok']}], key: 'x86_64'},
        'cve': {'code': 'CVE-2031-0001', 'level': 'critical', 'score': 9.8, 'exploitable': True},
        'detected_at': '2031-01-01T00:00:00Z'}}


@pytest.mark.parametrize('text', TEMPLATES)
def test_strings_that_may_be_templates_are_withheld_with_their_paths_and_a_warning(text, caplog):
    source = offline(CYBERWATCH)
    with caplog.at_level(logging.WARNING):
        event = source.withhold(cyberwatch_event(text, key=text))
    assert event == {'cyberwatch': {
        'server': {'id': 7, 'hostname': None, 'groups': ['prod', None, {'nested': [None, 'ok']}]},
        'cve': {'code': 'CVE-2031-0001', 'level': 'critical', 'score': 9.8, 'exploitable': True},
        'detected_at': '2031-01-01T00:00:00Z',
        'withheld': ['server.hostname', 'server.groups.1', 'server.groups.2.nested.0', 'server.*']}}
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert warnings == ["secops.vulnmgmt.cyberwatch_vulnerabilities: server.id 7, cve.code 'CVE-2031-0001': withheld "
                        "server.hostname, server.groups.1, server.groups.2.nested.0, server.* (null in the event): "
                        "they may be templates, which a playbook would run"]
    assert all(text not in w for w in warnings)


@pytest.mark.parametrize('text', ['web-01', '{ a }', 'x }}', '100%', '#1', "{'a': 1}", '$(id)', '', 'é{'])
def test_other_strings_are_kept_unchanged_without_a_warning(text, caplog):
    original = cyberwatch_event(text)
    with caplog.at_level(logging.WARNING):
        assert offline(CYBERWATCH).withhold(cyberwatch_event(text)) == original
    assert caplog.records == []


def test_a_withheld_record_id_is_named_null_in_the_warning(caplog):
    event = {'cystack': {'scan': {'id': '{{ 7 }}', 'description': 'nightly'}, 'target': {'id': 'T-1', 'address': None},
                         'counts': {'High': 1, '{{ k }}': 2}}}
    with caplog.at_level(logging.WARNING):
        clean = offline(CYSTACK).withhold(event)['cystack']
    assert clean == {'scan': {'id': None, 'description': 'nightly'}, 'target': {'id': 'T-1', 'address': None},
                     'counts': {'High': 1}, 'withheld': ['scan.id', 'counts.*']}
    assert "secops.vulnmgmt.cystack_scans: scan.id None, target.id 'T-1': withheld scan.id, counts.*" in caplog.text
    assert '{{' not in caplog.text


def test_a_cystack_scan_with_a_template_description_is_emitted_without_it(sim, tmp_path, caplog):
    state_file = tmp_path / 'cystack.json'
    client = CyStackClient(sim.cystack['api_key'], api_url=sim.cystack['api_url'])
    address = client.targets()[0]['address']
    source = Running(CYSTACK, cystack_args(sim, state_file=str(state_file), targets=[address]))
    try:
        source.until(state_file.exists)
        target = client.find_target(address)
        scan_id = client.create_scan({'target': target['id'], 'profile': 1, 'notification': [],
                                      'description': "{{ lookup('pipe', 'id') }}"})
        sim.control('POST', 'cystack/scans/%s/advance' % scan_id, {'to': 'Stopped'})
        with caplog.at_level(logging.WARNING):
            events = source.events(1)
    finally:
        source.stop()
    event = events[0]['cystack']
    assert event['scan']['id'] == scan_id and event['scan']['description'] is None
    assert event['withheld'] == ['scan.description'] and event['target']['address'] == address
    assert "scan.id %r, target.id %r: withheld scan.description" % (scan_id, target['id']) in caplog.text
    assert 'lookup' not in caplog.text
