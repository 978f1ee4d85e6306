"""Unit tests of the gate filters (threshold evaluation, allow-list expiry, normalisation, Markdown)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import datetime
import json

import pytest

from ansible.errors import AnsibleFilterError
from ansible_collections.secops.vulnmgmt.plugins.filter.gate import (
    FilterModule, cyberwatch_server_index, cyberwatch_server_match, cyberwatch_server_matches, gate_evaluate, gate_report,
)

TODAY = '2030-06-15'


def vuln(vid, severity, name=None, false_positive=False):
    return {'id': vid, 'severity': severity, 'name': name or 'vuln %s' % vid, 'false_positive': false_positive}


def scan_result(address, vulns, reused=False):
    return {'scan': {'id': 'scan-' + address, 'status': 'Stopped', 'target': {'id': 't', 'address': address}},
            'reused': reused, 'vulnerabilities': vulns, 'item': address}


SHOP = scan_result('https://shop.example.com', [
    vuln('a', 'High', 'SQL injection'), vuln('b', 'Medium'), vuln('c', 'Medium', false_positive=True), vuln('d', 'Low')])
BLOG = scan_result('https://blog.example.com', [vuln('e', 'Medium', 'Click-Jacking vulnerability')], reused=True)


def allow(match, expires='2030-12-31', **extra):
    return dict({'match': match, 'justification': 'accepted by the CISO', 'expires': expires}, **extra)


def test_filters_are_registered():
    assert set(FilterModule().filters()) == {
        'gate_evaluate', 'gate_report', 'gate_sarif', 'gate_junit', 'cyberwatch_server_match', 'cyberwatch_server_matches',
        'cyberwatch_server_index'}


def test_cystack_counts_exclude_false_positives_and_pass_within_thresholds():
    summary = gate_evaluate([SHOP, BLOG], {'High': 1, 'Medium': 1}, kind='cystack', today=TODAY)
    assert summary['passed'] is True
    assert summary['counts'] == {'High': 1, 'Medium': 2, 'Low': 1, 'Information': 0, 'exploitable': 0, 'total': 4}
    assert summary['false_positives'] == 1
    assert summary['subjects']['https://shop.example.com']['counts']['Medium'] == 1
    assert summary['notes'][1] == 'https://blog.example.com: scan scan-https://blog.example.com (Stopped)'


def test_threshold_exceeded_per_subject_names_the_subject_and_the_count():
    summary = gate_evaluate([SHOP, BLOG], {'high': 0}, kind='cystack', today=TODAY)
    assert summary['passed'] is False
    assert summary['failed_subjects'] == ['https://shop.example.com']
    assert summary['subjects']['https://shop.example.com']['violations'] == ['1 High (at most 0 allowed)']
    assert summary['message'].startswith('CyStack scan gate FAILED: https://shop.example.com: 1 High')


def test_total_scope_sums_subjects():
    assert gate_evaluate([SHOP, BLOG], {'Medium': 1}, kind='cystack', scope='subject', today=TODAY)['passed']
    summary = gate_evaluate([SHOP, BLOG], {'Medium': 1}, kind='cystack', scope='total', today=TODAY)
    assert not summary['passed'] and summary['violations'] == ['2 Medium (at most 1 allowed)']
    assert summary['failed_subjects'] == []


def test_null_threshold_means_no_limit():
    assert gate_evaluate([SHOP], {'High': None}, kind='cystack', today=TODAY)['passed']


def test_allow_list_suppresses_by_title_or_id_case_insensitively_and_reports_justification():
    summary = gate_evaluate([SHOP, BLOG], {'High': 0, 'Medium': 0}, [allow('sql INJECTION'), allow('B'),
                                                                     allow('click-jacking vulnerability')],
                            kind='cystack', today=TODAY)
    assert summary['passed'] is True
    assert sorted(f['id'] for f in summary['suppressed']) == ['a', 'b', 'e']
    assert summary['suppressed'][0]['allowed_by'] == {'match': 'sql INJECTION', 'justification': 'accepted by the CISO',
                                                      'expires': '2030-12-31'}


def test_expired_entry_stops_suppressing_and_is_reported():
    entries = [allow('SQL injection', expires='2030-06-14'), allow('b', expires=datetime.date(2030, 6, 15))]
    summary = gate_evaluate([SHOP], {'High': 0}, entries, kind='cystack', today=TODAY)
    assert summary['passed'] is False                     # the High finding is open again
    assert [f['id'] for f in summary['suppressed']] == ['b']   # valid through its expiry day
    assert summary['expired_allowances'] == [{'match': 'SQL injection', 'justification': 'accepted by the CISO',
                                              'expires': '2030-06-14', 'subjects': [], 'matched': 1}]
    assert 'expired allow-list entry no longer suppresses: SQL injection' in summary['message']


def test_subject_scoped_entry_only_applies_to_its_subjects():
    entries = [allow('vuln b', subjects=['https://blog.example.com']), allow('e', subjects='https://blog.example.com')]
    summary = gate_evaluate([SHOP, BLOG], {}, entries, kind='cystack', today=TODAY)
    assert [f['id'] for f in summary['suppressed']] == ['e']
    assert summary['unused_allowances'][0]['match'] == 'vuln b'


@pytest.mark.parametrize('entry, message', [
    ({'match': 'x', 'expires': '2030-01-01'}, 'missing justification'),
    ({'match': 'x', 'justification': 'y'}, 'missing expires'),
    ({'match': 'x', 'justification': 'y', 'expires': '31/12/2030'}, 'not a date in YYYY-MM-DD form'),
    ({'match': 'x', 'justification': 'y', 'expires': '2030-01-01', 'until': 1}, 'unknown key(s) until'),
    ('CVE-2021-44228', 'must be a dictionary'),
])
def test_malformed_allow_list_entries_fail_clearly(entry, message):
    with pytest.raises(AnsibleFilterError, match='allow-list entry 1') as err:
        gate_evaluate([SHOP], {}, [entry], kind='cystack', today=TODAY)
    assert message in str(err.value)


@pytest.mark.parametrize('thresholds, message', [
    ({'Critical': 0}, "unknown threshold 'Critical'"),
    ({'High': 'many'}, 'must be a number of findings or null'),
    ({'High': -1}, 'must not be negative'),
])
def test_bad_thresholds_fail(thresholds, message):
    with pytest.raises(AnsibleFilterError, match=message):
        gate_evaluate([SHOP], thresholds, kind='cystack', today=TODAY)


def test_scan_without_wait_is_refused():
    with pytest.raises(AnsibleFilterError, match='run it with wait=true'):
        gate_evaluate({'scan': {'target': {'address': 'x'}}, 'changed': True}, kind='cystack')


def test_bad_kind_and_scope_fail():
    with pytest.raises(AnsibleFilterError, match='kind must be one of'):
        gate_evaluate([], kind='nessus')
    with pytest.raises(AnsibleFilterError, match='scope must be'):
        gate_evaluate([], scope='everything')


CATALOGUE = [{'cve_code': 'CVE-2021-44228', 'level': 'level_critical', 'exploitable': True},
             {'cve_code': 'CVE-2020-0001', 'level': 'level_high', 'exploitable': False},
             {'cve_code': 'CVE-2019-0002', 'level': 'level_low', 'exploitable': True}]


def server(hostname, codes, reboot=False):
    return {'id': 1, 'hostname': hostname, 'reboot_required': reboot,
            'cve_announcements': [{'cve_code': c, 'ignored': False, 'fixed_at': None} for c in codes]
            + [{'cve_code': 'CVE-2018-9999', 'ignored': True, 'fixed_at': None}]}


def test_cyberwatch_levels_exploitability_and_reboot():
    hosts = [{'subject': 'web-01', 'server': server('web-01.prod', ['CVE-2021-44228', 'CVE-2020-0001'])},
             {'subject': 'db-01', 'server': server('db-01.prod', ['CVE-2019-0002', 'cve-2000-0404'], reboot=True)},
             {'subject': 'new-01', 'server': None}]
    summary = gate_evaluate(hosts, {'critical': 0, 'exploitable': 1, 'reboot_required': False}, kind='cyberwatch',
                            catalogue=CATALOGUE, today=TODAY, fail_unknown=False)
    web, db = summary['subjects']['web-01'], summary['subjects']['db-01']
    assert web['counts']['critical'] == 1 and web['counts']['high'] == 1 and web['counts']['exploitable'] == 1
    assert web['violations'] == ['1 critical (at most 0 allowed)']
    assert db['counts']['unknown'] == 1 and db['counts']['low'] == 1        # a CVE missing from the catalogue
    assert db['violations'] == ['a reboot is pending']
    assert summary['failed_subjects'] == ['db-01', 'web-01']
    assert summary['subjects']['new-01']['passed'] is True
    assert summary['notes'] == ['new-01: no Cyberwatch server matches new-01 (not failed: fail_unknown is false)']
    assert summary['reboot_required'] == ['db-01']


def test_cyberwatch_thresholds_accept_the_api_level_names_as_aliases():
    hosts = [{'subject': 'web-01', 'server': server('web-01.prod', ['CVE-2021-44228', 'CVE-2020-0001'])}]
    by_name = gate_evaluate(hosts, {'critical': 0, 'high': 5}, kind='cyberwatch', catalogue=CATALOGUE, today=TODAY)
    by_alias = gate_evaluate(hosts, {'level_critical': 0, 'level_high': 5}, kind='cyberwatch', catalogue=CATALOGUE,
                             today=TODAY)
    assert by_alias['thresholds'] == by_name['thresholds'] == {'critical': 0, 'high': 5}
    assert by_alias['failed_subjects'] == by_name['failed_subjects'] == ['web-01']


def test_cyberwatch_allow_list_by_cve_and_host():
    hosts = [{'subject': 'web-01', 'server': server('web-01', ['CVE-2021-44228'])},
             {'subject': 'web-02', 'server': server('web-02', ['CVE-2021-44228'])}]
    summary = gate_evaluate(hosts, {'critical': 0}, [allow('cve-2021-44228', subjects=['WEB-01'])],
                            kind='cyberwatch', catalogue=CATALOGUE, today=TODAY)
    assert summary['failed_subjects'] == ['web-02']


def test_bare_server_detail_uses_its_hostname():
    summary = gate_evaluate(server('solo', ['CVE-2020-0001']), {'high': 0}, kind='cyberwatch', catalogue=CATALOGUE,
                            today=TODAY)
    assert summary['failed_subjects'] == ['solo']


def test_generic_findings():
    summary = gate_evaluate([{'subject': 'app', 'id': 'X-1', 'severity': 'HIGH', 'exploitable': True}],
                            {'high': 0}, today=TODAY)
    assert not summary['passed'] and summary['findings'][0]['title'] == 'X-1'


def test_summary_is_json_serialisable_and_stable():
    first = gate_evaluate([SHOP, BLOG], {'High': 0}, [allow('b'), allow('zzz')], kind='cystack', today=TODAY)
    second = gate_evaluate([SHOP, BLOG], {'High': 0}, [allow('b'), allow('zzz')], kind='cystack', today=TODAY)
    assert json.dumps(first, sort_keys=True) == json.dumps(second, sort_keys=True)


def test_report_is_readable_markdown():
    summary = gate_evaluate([SHOP, BLOG], {'High': 0, 'Medium': 5},
                            [allow('b'), allow('SQL injection', expires='2030-01-01'), allow('unused')],
                            kind='cystack', today=TODAY)
    text = gate_report(summary)
    assert text.startswith('# CyStack scan gate: FAILED\n')
    assert 'Thresholds (open findings): High <= 0, Medium <= 5' in text
    assert '| https://shop.example.com | 1 | 0 | 1 | 0 | 0 | FAIL: 1 High (at most 0 allowed) |' in text
    assert '| High | https://shop.example.com | SQL injection | a |  |' in text
    assert '## Suppressed by the allow-list (1)' in text
    assert '## Expired allow-list entries (1)' in text
    assert '- unused (expires 2030-12-31): accepted by the CISO' in text


def test_report_for_cyberwatch_has_reboot_column_and_truncates():
    hosts = [{'subject': 'web-01', 'server': server('web-01', ['CVE-2021-44228', 'CVE-2020-0001'], reboot=True)}]
    text = gate_report(gate_evaluate(hosts, {'reboot_required': False}, kind='cyberwatch', catalogue=CATALOGUE,
                                     today=TODAY), max_findings=1)
    assert '| Host | critical | high | medium | low | exploitable | reboot | result |' in text
    assert 'no pending reboot' in text and '... and 1 more in the JSON summary.' in text


def test_report_rejects_other_input():
    with pytest.raises(AnsibleFilterError):
        gate_report({'passed': True})


def test_cyberwatch_server_match_by_hostname_then_address():
    servers = [{'id': 9, 'hostname': 'WEB-09.prod.example.com', 'addresses': ['10.0.0.9']},
               {'id': 3, 'hostname': 'web-01.prod.example.com', 'addresses': ['10.0.0.3']},
               {'id': 4, 'hostname': 'db-01', 'addresses': ['10.0.0.4', '192.168.1.4']}]
    assert cyberwatch_server_match(servers, ['web-01.prod.example.com', 'WEB-01.prod.example.com'])['server']['id'] == 3
    assert cyberwatch_server_match(servers, ['unknown', '192.168.1.4'])['server']['id'] == 4
    assert cyberwatch_server_match(servers, '10.0.0.9') == {'server': servers[0], 'server_ids': ['9'], 'problem': None}
    assert cyberwatch_server_match(servers, ['nope', None]) == {'server': None, 'server_ids': [], 'problem': None}


SHARED = [{'id': 7, 'hostname': 'old-web.example.com', 'addresses': ['10.0.0.5']},
          {'id': 12, 'hostname': 'web.example.com', 'addresses': ['10.0.0.5']},
          {'id': 2, 'hostname': 'web.example.com', 'addresses': ['10.0.0.6']}]


def test_an_address_shared_by_several_servers_is_ambiguous_and_names_the_ids():
    match = cyberwatch_server_match(SHARED, ['app-1', '10.0.0.5'])
    assert match['server'] is None and match['server_ids'] == ['12', '7']
    assert match['problem'] == 'ambiguous: 2 Cyberwatch servers have the address 10.0.0.5 (ids 12, 7)'


def test_an_exact_hostname_decides_over_a_shared_address_and_never_the_lowest_id():
    assert cyberwatch_server_match(SHARED, ['old-web.example.com', '10.0.0.5'])['server']['id'] == 7
    # The hostname given second (ansible_host) still wins over an address matched by the first name.
    assert cyberwatch_server_match(SHARED, ['10.0.0.5', 'old-web.example.com'])['server']['id'] == 7
    duplicate = cyberwatch_server_match(SHARED, ['web.example.com'])
    assert duplicate['server'] is None and 'hostname web.example.com (ids 12, 2)' in duplicate['problem']


def test_a_match_against_the_index_is_the_match_against_the_listing():
    servers = SHARED + [{'id': 4, 'hostname': 'DB-01', 'addresses': ['10.0.0.4', '192.168.1.4', '10.0.0.4']},
                        {'id': 5, 'hostname': None, 'addresses': None}, 'not a server', {'id': 6, 'addresses': ['db-01']}]
    index = cyberwatch_server_index(servers)
    assert index['addresses']['10.0.0.4'] == [servers[3]]            # one entry per server, however often it lists it
    for names in (['old-web.example.com', '10.0.0.5'], ['10.0.0.5', 'old-web.example.com'], ['app-1', '10.0.0.5'],
                  ['web.example.com'], ['db-01'], ['x', '192.168.1.4'], '10.0.0.6', ['nope', None], []):
        assert cyberwatch_server_match(index, names) == cyberwatch_server_match(servers, names), names


def test_the_matches_of_a_play_are_each_host_s_match_with_its_subject_and_names_in_order():
    names = {'web-b': ['web.example.com'], 'app-1': ['app-1', '10.0.0.5'], 'old': ['10.0.0.5', 'old-web.example.com'],
             'nowhere': []}
    for servers in (SHARED, cyberwatch_server_index(SHARED)):
        matches = cyberwatch_server_matches(servers, names)
        assert [m['subject'] for m in matches] == list(names)
        for match in matches:
            assert match == dict(cyberwatch_server_match(SHARED, names[match['subject']]), subject=match['subject'],
                                 names=names[match['subject']])
    assert cyberwatch_server_matches(SHARED, {}) == []
    with pytest.raises(AnsibleFilterError, match='expected a mapping of subject to names, got list'):
        cyberwatch_server_matches(SHARED, [['web.example.com']])


def test_details_read_apart_replace_the_listed_servers_and_a_missing_one_has_no_cve_data():
    listed = [{'subject': 'web-01', 'server': {'id': 1, 'hostname': 'web-01'}, 'problem': None},
              {'subject': 'gone-1', 'server': {'id': 2, 'hostname': 'gone-1'}, 'problem': None, 'names': ['gone-1']},
              {'subject': 'new-1', 'server': None, 'problem': None, 'names': ['new-1']}]
    detail = server('web-01', ['CVE-2030-0001'])
    summary = gate_evaluate(listed, {'critical': None}, kind='cyberwatch', today=TODAY, details=[detail])
    expected = gate_evaluate([dict(listed[0], server=detail), dict(listed[1], server={'id': 2}), listed[2]],
                             {'critical': None}, kind='cyberwatch', today=TODAY)
    assert summary == expected
    assert summary['subjects']['gone-1']['violations'] == [
        'server 2 has no CVE data (its detail has no cve_announcements list)']
    assert [f['id'] for f in summary['findings']] == ['CVE-2030-0001']
    # Without details the listed servers are taken as they are (here: no CVE data at all).
    assert gate_evaluate(listed, {'critical': None}, kind='cyberwatch', today=TODAY)['findings'] == []


def test_gate_fails_ambiguous_unknown_and_no_cve_data_hosts_naming_the_reason():
    hosts = [{'subject': 'app-1', 'server': None, 'problem': cyberwatch_server_match(SHARED, ['10.0.0.5'])['problem']},
             {'subject': 'new-1', 'server': None, 'names': ['new-1', '10.9.9.9']},
             {'subject': 'bare-1', 'server': {'id': 41, 'hostname': 'bare-1'}},
             {'subject': 'odd-1', 'server': {'id': 42, 'hostname': 'odd-1', 'cve_announcements': {'CVE-1': {}}}},
             {'subject': 'junk-1', 'server': {'id': 43, 'hostname': 'junk-1', 'cve_announcements': ['CVE-1']}},
             {'subject': 'web-01', 'server': server('web-01', [])}]
    for scope in ('subject', 'total'):
        summary = gate_evaluate(hosts, {'critical': None}, kind='cyberwatch', scope=scope, today=TODAY)
        assert summary['passed'] is False
        assert summary['failed_subjects'] == ['app-1', 'bare-1', 'junk-1', 'new-1', 'odd-1']
        subjects = summary['subjects']
        assert subjects['app-1']['violations'] == ['ambiguous: 2 Cyberwatch servers have the address 10.0.0.5 (ids 12, 7)']
        assert subjects['new-1']['violations'] == ['no Cyberwatch server matches new-1 or 10.9.9.9']
        assert subjects['bare-1']['problems'] == ['server 41 has no CVE data (its detail has no cve_announcements list)']
        assert subjects['odd-1']['problems'] == ['server 42 has no CVE data (its detail has a malformed '
                                                 'cve_announcements list)']
        assert 'server 43 has malformed CVE data' in subjects['junk-1']['problems'][0]
        assert subjects['web-01']['passed'] is True
    # fail_unknown=false reports an unknown host without failing it; no evidence still fails.
    summary = gate_evaluate(hosts, {}, kind='cyberwatch', today=TODAY, fail_unknown=False)
    assert summary['failed_subjects'] == ['app-1', 'bare-1', 'junk-1', 'odd-1']
    assert summary['notes'] == ['new-1: no Cyberwatch server matches new-1 or 10.9.9.9 (not failed: fail_unknown is '
                                'false)']


def test_cystack_skipped_target_is_unknown_and_fails_by_default():
    skipped = {'skipped': True, 'item': 'https://gone.example.com', 'changed': False}
    summary = gate_evaluate([SHOP, skipped], {'High': None}, kind='cystack', today=TODAY)
    assert summary['failed_subjects'] == ['https://gone.example.com']
    assert summary['subjects']['https://gone.example.com']['violations'] == [
        'no CyStack target matches https://gone.example.com']
    assert gate_evaluate([SHOP, skipped], {'High': None}, kind='cystack', today=TODAY, fail_unknown=False)['passed']


@pytest.mark.parametrize('kind, data, message', [
    ('cyberwatch', ['web-01'], 'expects server details'),
    ('cyberwatch', [{'subject': 'a', 'server': 'None'}], 'the server of a is not a server detail'),
    ('cystack', [{'scan': {'target': 'x'}, 'vulnerabilities': []}], 'is not a scan record'),
    ('cystack', [{'scan': {}, 'item': 'x', 'vulnerabilities': {'a': 1}}], 'the vulnerabilities of x are not a list'),
    ('generic', ['x'], 'expects a list of findings'),
])
def test_malformed_input_fails_clearly(kind, data, message):
    with pytest.raises(AnsibleFilterError, match=message):
        gate_evaluate(data, {}, kind=kind, today=TODAY)
