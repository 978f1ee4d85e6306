"""Unit tests of coverage_reconcile (plugins/plugin_utils/coverage.py) and of its summary, gate_evaluate(kind='coverage'):
every category, ambiguity in both directions, scope, CyStack targets, bad input, and hostile API strings."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import os
from xml.etree import ElementTree

import pytest

from ansible.errors import AnsibleFilterError
from ansible.utils.unsafe_proxy import AnsibleUnsafe
from ansible_collections.secops.vulnmgmt.plugins.filter.coverage import FilterModule, coverage_reconcile
from ansible_collections.secops.vulnmgmt.plugins.filter.gate import gate_evaluate, gate_junit, gate_report, gate_sarif
from ansible_collections.secops.vulnmgmt.plugins.plugin_utils.coverage import CATEGORIES, HOST_CATEGORIES
from ansible_collections.secops.vulnmgmt.plugins.plugin_utils.trust import DATA_TAGGING, host_name_problem

jsonschema = pytest.importorskip('jsonschema')

NOW = '2030-06-15T12:00:00+00:00'
FRESH = '2030-06-15T06:00:00.000+02:00'          # 8 hours before NOW
OLD = '2030-06-01T12:00:00.000+00:00'            # 14 days before NOW
SCHEMA = os.path.join(os.path.dirname(__file__), 'sarif', 'sarif-2.1.0.json')


def host(name, **hostvars):
    return dict(hostvars, inventory_hostname=name)


def server(sid, hostname, addresses=(), analyzed_at=FRESH, status='server_vulnerable', **fields):
    return dict({'id': sid, 'hostname': hostname, 'addresses': list(addresses), 'analyzed_at': analyzed_at,
                 'status': status}, **fields)


def access(rid, address, server_id=None, is_valid=True, last_error=None):
    return {'id': rid, 'type': 'CbwRam::RemoteAccess::Ssh::WithKey', 'address': address, 'port': 22,
            'is_valid': is_valid, 'last_error': last_error, 'server_id': server_id, 'node_id': 1}


def reconcile(hosts, servers, accesses=None, targets=None, **options):
    return coverage_reconcile(hosts, servers, accesses, targets, **dict({'max_age': '7d', 'now': NOW,
                                                                        'groups': ['prod']}, **options))


FLEET = [server(1, 'web-01.prod.example.com', ['10.0.0.1']), server(2, 'db-01.prod.example.com', analyzed_at=OLD),
         server(3, 'mail-01', status='server_update_comm_fail'), server(4, 'new-01', analyzed_at=None),
         server(5, 'dup-a', ['10.0.0.5']), server(6, 'dup-b', ['10.0.0.5']), server(7, 'retired-01', ['10.0.0.7']),
         server(8, 'agentless', [])]
ACCESSES = [access(10, '10.0.2.15', is_valid=False, last_error='Net::SSH::ConnectionTimeout'),
            access(11, '10.0.0.11', is_valid=None), access(12, '10.0.0.12', server_id=8),
            access(13, '10.0.0.13', server_id=99)]
HOSTS = [host('web-01', ansible_facts={'fqdn': 'web-01.prod.example.com', 'hostname': 'web-01'}),
         host('db-01.prod.example.com'), host('mail-01'), host('new-01'), host('app-05', ansible_host='10.0.0.5'),
         host('ssh-10', ansible_host='10.0.2.15'), host('ssh-11', ansible_host='10.0.0.11'),
         host('ssh-12', ansible_host='10.0.0.12'), host('ssh-13', ansible_host='10.0.0.13'), host('nowhere')]


def test_filter_is_registered():
    assert FilterModule().filters() == {'coverage_reconcile': coverage_reconcile}


def test_every_category_with_its_reason():
    result = reconcile(HOSTS, FLEET, ACCESSES)
    hosts = result['hosts']
    assert {name: record['category'] for name, record in hosts.items()} == {
        'web-01': 'covered', 'db-01.prod.example.com': 'stale', 'mail-01': 'comm_failed', 'new-01': 'never_scanned',
        'app-05': 'ambiguous', 'ssh-10': 'never_scanned', 'ssh-11': 'never_scanned', 'ssh-12': 'covered',
        'ssh-13': 'unknown', 'nowhere': 'unknown'}
    assert hosts['web-01']['reason'] == 'server 1, analysed at 2030-06-15T04:00:00+00:00'
    assert hosts['db-01.prod.example.com']['reason'] == \
        'server 2 was last analysed at 2030-06-01T12:00:00+00:00, more than 7d ago'
    assert hosts['mail-01']['reason'] == 'server 3: Cyberwatch lost the communication (status server_update_comm_fail)'
    assert hosts['new-01']['reason'] == 'server 4 has never been analysed (no analysis date)'
    assert hosts['app-05']['reason'] == 'ambiguous: 2 Cyberwatch servers have the address 10.0.0.5 (ids 5, 6)'
    assert hosts['app-05']['server_ids'] == [5, 6] and hosts['app-05']['server_id'] is None
    assert hosts['ssh-10']['reason'] == 'remote access 10 (10.0.2.15) is invalid: Net::SSH::ConnectionTimeout'
    assert hosts['ssh-11']['reason'] == 'remote access 11 (10.0.0.11) has not produced a server yet (is_valid: none)'
    # A server with no address of its own, found through the remote access that produced it.
    assert hosts['ssh-12']['server_id'] == 8 and hosts['ssh-12']['remote_access_id'] == 12
    assert hosts['ssh-12']['reason'].endswith(', found through remote access 12')
    # The remote access produced a server outside the groups in scope: not known in scope, and said so.
    assert hosts['ssh-13']['reason'] == 'remote access 13 (10.0.0.13) produced server 99, which is not in the groups prod'
    assert hosts['nowhere']['reason'] == 'no Cyberwatch server of the groups prod and no remote access matches nowhere'
    # Platform side: the candidates of the ambiguous host and the server of a remote access are claimed.
    assert [(o['platform'], o['id'], o['subject']) for o in result['orphans']] == [
        ('cyberwatch', 7, 'cyberwatch server 7 (retired-01)')]
    assert {category: sorted(names) for category, names in result['categories'].items()} == {
        'covered': ['ssh-12', 'web-01'], 'stale': ['db-01.prod.example.com'], 'comm_failed': ['mail-01'],
        'never_scanned': ['new-01', 'ssh-10', 'ssh-11'], 'ambiguous': ['app-05'], 'unknown': ['nowhere', 'ssh-13'],
        'orphans': ['cyberwatch server 7 (retired-01)']}
    assert result['subjects'] == [h['inventory_hostname'] for h in HOSTS] + ['cyberwatch server 7 (retired-01)']
    assert sorted(f['subject'] for f in result['findings']) == sorted(
        s for s in result['subjects'] if s not in ('web-01', 'ssh-12'))


def test_an_exact_hostname_wins_over_a_shared_address_and_the_first_name_decides():
    servers = [server(5, 'dup-a', ['10.0.0.5']), server(6, 'dup-b', ['10.0.0.5'])]
    result = reconcile([host('dup-b', ansible_host='10.0.0.5')], servers)
    assert result['hosts']['dup-b']['category'] == 'covered' and result['hosts']['dup-b']['server_id'] == 6
    # dup-a is no host's: an orphan (the hostname match decided, the address did not make it a candidate).
    assert [o['id'] for o in result['orphans']] == [5]
    # Two servers with the same hostname: ambiguous, whatever the case.
    twins = [server(1, 'Web-01'), server(2, 'web-01')]
    result = reconcile([host('web-01')], twins)
    assert result['hosts']['web-01']['reason'] == 'ambiguous: 2 Cyberwatch servers have the hostname web-01 (ids 1, 2)'
    assert result['orphans'] == []


def test_names_facts_override_and_a_server_of_several_hosts():
    servers = [server(1, 'web-01.prod.example.com'), server(2, 'db-01', ['10.0.0.2'])]
    hosts = [host('web', ansible_facts={'fqdn': 'WEB-01.prod.example.com'}),
             host('alias', vulnmgmt_coverage_names=['web-01.prod.example.com']),
             host('db', ansible_host='10.9.9.9', vulnmgmt_coverage_names=['10.0.0.2'])]
    result = reconcile(hosts, servers)
    assert [result['hosts'][h]['server_id'] for h in ('web', 'alias', 'db')] == [1, 1, 2]
    assert result['hosts']['db']['names'] == ['db', '10.0.0.2']     # the override replaces ansible_host
    assert result['notes'] == ['server 1 matches several hosts: alias, web']


def test_a_server_listed_by_two_groups_counts_once_and_the_limit_is_noted():
    listing = [server(7, 'retired-01'), server(7, 'retired-01'), server(8, 'retired-02')]
    result = reconcile([], listing, groups=['prod', 'web'], limit='web*')
    assert [o['id'] for o in result['orphans']] == [7, 8]
    assert result['notes'] == ['the play ran with --limit web*: the servers and targets of the hosts left out look '
                               'orphaned']


@pytest.mark.parametrize('analyzed,category', [
    ('2030-06-08T12:00:01+00:00', 'covered'),         # just inside 7 days
    ('2030-06-08T11:59:59+00:00', 'stale'),
    ('not a date', 'stale'),                          # unreadable: never taken as fresh
    ('', 'never_scanned'),
])
def test_max_age_boundary_and_unreadable_dates(analyzed, category):
    result = reconcile([host('web-01')], [server(1, 'web-01', analyzed_at=analyzed)])
    assert result['hosts']['web-01']['category'] == category


def test_the_2020_shape_without_analyzed_at_uses_last_communication():
    legacy = {'id': 1, 'hostname': 'web-01', 'status': 'server_vulnerable', 'last_communication': OLD}
    assert reconcile([host('web-01')], [legacy])['hosts']['web-01']['category'] == 'stale'
    assert reconcile([host('web-01')], [legacy], max_age='30d')['hosts']['web-01']['category'] == 'covered'


def test_cystack_targets_match_a_host_name_or_are_orphans():
    targets = [{'id': 'a-1', 'address': 'https://web-01.prod.example.com/shop'},
               {'id': 'a-2', 'address': 'WEB-01:8443'}, {'id': 'a-3', 'address': '10.0.0.7'},
               {'id': 'a-4', 'address': 'https://forgotten.example.com'}]
    hosts = [host('web-01', ansible_facts={'fqdn': 'web-01.prod.example.com'}), host('mail', ansible_host='10.0.0.7')]
    result = reconcile(hosts, [server(1, 'web-01'), server(2, 'mail', ['10.0.0.7'])], targets=targets)
    assert result['hosts']['web-01']['cystack_targets'] == ['a-1', 'a-2']
    assert result['hosts']['mail']['cystack_targets'] == ['a-3']
    assert [(o['platform'], o['id'], o['subject'], o['reason']) for o in result['orphans']] == [
        ('cystack', 'a-4', 'cystack target https://forgotten.example.com',
         'no host of the play has the name or address forgotten.example.com')]


@pytest.mark.parametrize('call,message', [
    (lambda: reconcile([], [], max_age='a week'), "coverage_reconcile: max_age must be a positive duration"),
    (lambda: reconcile([], [], max_age=0), 'coverage_reconcile: max_age must be a positive duration'),
    (lambda: reconcile([], [], now='soon'), "coverage_reconcile: now must be a timestamp (ISO 8601), got 'soon'"),
    (lambda: reconcile({'web': {}}, []), 'coverage_reconcile: the input must be the list of hosts'),
    (lambda: reconcile([{'ansible_host': '10.0.0.1'}], []), 'coverage_reconcile: each host must be its hostvars'),
    (lambda: reconcile([host('web', vulnmgmt_coverage_names='web-01')], []),
     'coverage_reconcile: vulnmgmt_coverage_names of web must be a list of names'),
    (lambda: reconcile([], {'servers': []}), 'coverage_reconcile: servers must be a list of records'),
    (lambda: reconcile([], [{'hostname': 'no-id'}]), 'coverage_reconcile: servers: a record has no valid id'),
    (lambda: reconcile([], [{'id': True}]), 'coverage_reconcile: servers: a record has no valid id'),
    (lambda: reconcile([], [], [{'id': '1', 'address': 'x'}]), 'coverage_reconcile: remote_accesses: a record has no valid id'),
    (lambda: reconcile([], [], [], [{'id': 1, 'address': 'x'}]), 'coverage_reconcile: targets: a record has no valid id'),
])
def test_bad_input_is_an_error_naming_what_is_accepted(call, message):
    with pytest.raises(AnsibleFilterError) as error:
        call()
    assert str(error.value).startswith(message), str(error.value)


def summary_of(result, fail_on=('unknown', 'never_scanned', 'stale', 'comm_failed', 'ambiguous'), allow_list=None):
    return gate_evaluate(result, dict((category, 0) for category in fail_on), allow_list, kind='coverage',
                         today='2030-06-15')


def test_the_summary_is_the_gates_shape_with_categories_as_severities():
    result = reconcile(HOSTS, FLEET, ACCESSES)
    summary = summary_of(result)
    assert summary['kind'] == 'coverage' and summary['name'] == 'Coverage reconciliation' and not summary['passed']
    assert summary['failed_subjects'] == sorted(
        h for h, r in result['hosts'].items() if r['category'] != 'covered')
    assert summary['counts'] == {'unknown': 2, 'never_scanned': 3, 'stale': 1, 'comm_failed': 1, 'ambiguous': 1,
                                 'orphans': 1, 'exploitable': 0, 'total': 9}
    assert summary['subjects']['cyberwatch server 7 (retired-01)']['passed']       # orphans: reported only
    assert summary['subjects']['web-01'] == {'counts': dict((c, 0) for c in CATEGORIES + ('exploitable', 'total')),
                                             'reboot_required': False, 'violations': [], 'problems': [], 'passed': True}
    assert summary['subjects']['mail-01']['violations'] == ['1 comm_failed (at most 0 allowed)']
    with_orphans = summary_of(result, CATEGORIES)
    assert 'cyberwatch server 7 (retired-01)' in with_orphans['failed_subjects']
    # Allow-list: a category for some hosts, or an orphan by its hostname, until the entry expires.
    allowed = summary_of(result, CATEGORIES, [
        {'match': 'stale', 'subjects': ['db-01.prod.example.com'], 'justification': 'decommissioned in June',
         'expires': '2030-06-30'},
        {'match': 'retired-01', 'justification': 'kept for the audit', 'expires': '2030-12-31'}])
    assert 'db-01.prod.example.com' not in allowed['failed_subjects']
    assert 'cyberwatch server 7 (retired-01)' not in allowed['failed_subjects']
    suppressed = sorted(f['subject'] for f in allowed['suppressed'])
    assert suppressed == ['cyberwatch server 7 (retired-01)', 'db-01.prod.example.com']


def test_the_gate_renderings_carry_the_coverage_summary():
    summary = summary_of(reconcile(HOSTS, FLEET, ACCESSES))
    markdown = gate_report(summary)
    assert markdown.startswith('# Coverage reconciliation: FAILED')
    assert '| Subject | unknown | never_scanned | stale | comm_failed | ambiguous | orphans | exploitable | result |' \
        in markdown
    assert '| mail-01 | 0 | 0 | 0 | 1 | 0 | 0 | 0 | FAIL: 1 comm\\_failed (at most 0 allowed) |' in markdown
    log = json.loads(json.dumps(gate_sarif(summary)))
    with open(SCHEMA) as handle:
        schema = json.load(handle)
    jsonschema.validators.validator_for(schema)(schema).validate(log)
    rules = {rule['id']: rule for rule in log['runs'][0]['tool']['driver']['rules']}
    assert sorted(rules) == sorted(CATEGORIES)
    assert rules['stale']['help']['text'].startswith('The last analysis of the host')
    cases = ElementTree.fromstring(gate_junit(summary).encode('utf-8')).findall('./testsuite/testcase')
    assert sorted(case.get('name') for case in cases) == sorted(summary['subjects'])
    assert sorted(c.get('name') for c in cases if c.find('failure') is not None) == summary['failed_subjects']


def test_gate_evaluate_coverage_needs_a_reconciliation():
    with pytest.raises(AnsibleFilterError, match='gate_evaluate.kind=coverage. expects the result of coverage_reconcile'):
        gate_evaluate([{'subject': 'web'}], {}, kind='coverage')


HOSTILE = ["{{ lookup('pipe', 'touch /tmp/pwned') }}", 'localhost', 'all', 'web*,db', '-oProxyCommand=x',
           'a\x1b[31mred\r\n\u202eexe', '<b>x</b> | `y`', 'x' * 5000]


def test_hostile_api_strings_stay_data():
    servers = [server(i + 1, name, [name]) for i, name in enumerate(HOSTILE)]
    accesses = [access(50, '10.0.0.50', is_valid=False, last_error="{{ lookup('pipe', 'id') }}\x00")]
    targets = [{'id': 't-%d' % i, 'address': name} for i, name in enumerate(HOSTILE)]
    result = reconcile([host('web-01'), host('ssh', ansible_host='10.0.0.50')], servers, accesses, targets)
    # An API hostname never becomes a host: the hosts are the inventory's, every API record is an orphan subject
    # that no inventory could name (a prefix and a space), unique by id.
    assert sorted(result['hosts']) == ['ssh', 'web-01']
    orphan_subjects = [o['subject'] for o in result['orphans']]
    assert len(set(orphan_subjects)) == len(HOSTILE) * 2
    assert all(host_name_problem(subject) for subject in orphan_subjects)
    assert result['hosts']['ssh']['reason'].startswith("remote access 50 (10.0.0.50) is invalid: {{ lookup('pipe'")
    summary = summary_of(result, CATEGORIES)
    rendered = [gate_report(summary), gate_junit(summary), json.dumps(gate_sarif(summary))]
    ElementTree.fromstring(rendered[1].encode('utf-8'))
    assert '\x1b' not in ''.join(rendered) and '\u202e' not in ''.join(rendered)
    if not DATA_TAGGING:
        # Before data tagging, ansible-core's unsafe marking keeps the strings from being templated.
        assert isinstance(result['hosts']['ssh']['reason'], AnsibleUnsafe)
        assert all(isinstance(subject, AnsibleUnsafe) for subject in orphan_subjects)


def test_categories_are_the_documented_ones():
    assert CATEGORIES == ('unknown', 'never_scanned', 'stale', 'comm_failed', 'ambiguous', 'orphans')
    assert HOST_CATEGORIES == CATEGORIES[:-1] + ('covered',)
