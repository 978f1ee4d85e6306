"""Unit tests of remediation_verify (closed, remaining, not patchable, reboot pending, per host) and of
remediation_summary, rendered unchanged by gate_report (Markdown), gate_sarif (validated against the SARIF 2.1.0
schema) and gate_junit (read back with junitparser)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import copy
import json

import pytest

from ansible.errors import AnsibleFilterError
from ansible_collections.secops.vulnmgmt.plugins.filter.gate import gate_junit, gate_report, gate_sarif
from ansible_collections.secops.vulnmgmt.plugins.filter.remediation import (
    remediation_plan, remediation_summary, remediation_verify,
)
from ansible_collections.secops.vulnmgmt.tests.unit.plugins.filter.recorded_servers import server
from ansible_collections.secops.vulnmgmt.tests.unit.plugins.filter.test_gate_outputs import junit, validate_sarif
from ansible_collections.secops.vulnmgmt.tests.unit.plugins.filter.test_remediation_plan import (
    catalogue, detail, update,
)

TODAY = '2030-06-15'
DEB_OS = {'type': 'Os::Debian', 'key': 'debian_12_64', 'name': 'Debian 12'}
LEVELS = catalogue(CVE_2030_1000='critical', CVE_2030_1001='high', CVE_2030_1002='critical', CVE_2030_1003='high')


def web1():
    """web1: openssl fixes 1000 and 1001; the WinApp-like vendor agent (1002) is manual; nothing fixes 1003."""
    updates = [update(10, 'openssl', 'Packages::Deb', '3.0.11-1~deb12u1', '3.0.11-1~deb12u2',
                      ['CVE-2030-1000', 'CVE-2030-1001']),
               update(11, 'Vendor Agent 2.1', 'Packages::WinApp', '2.1', '2.2', ['CVE-2030-1002'], patchable=False)]
    return detail(updates, DEB_OS, cves=['CVE-2030-1000', 'CVE-2030-1001', 'CVE-2030-1002', 'CVE-2030-1003'],
                  hostname='web1.example.com')


def planned(before, subject='web1'):
    return remediation_plan(before, {'min_level': 'high', 'today': TODAY}, catalogue=LEVELS, subject=subject)


def after(before, fixed=(), gone=(), ignored=(), **changes):
    """The detail read after the re-scan: fixed CVEs get fixed_at, gone ones leave the list."""
    detail_after = copy.deepcopy(before)
    detail_after['cve_announcements'] = [e for e in detail_after['cve_announcements'] if e['cve_code'] not in gone]
    for entry in detail_after['cve_announcements']:
        if entry['cve_code'] in fixed:
            entry['fixed_at'] = '2030-06-15T10:00:00.000+02:00'
        if entry['cve_code'] in ignored:
            entry['ignored'] = True
    detail_after.update(changes)
    return detail_after


# --- remediation_verify -----------------------------------------------------------------------------------------------

def test_closed_by_fixed_at_or_by_leaving_the_list_remaining_and_not_patchable():
    before = web1()
    plan = planned(before)
    assert plan['selected'] == ['CVE-2030-1000', 'CVE-2030-1001', 'CVE-2030-1002', 'CVE-2030-1003']
    result = remediation_verify(plan, after(before, fixed=['CVE-2030-1000']))
    assert result['closed'] == ['CVE-2030-1000']
    assert result['remaining'] == ['CVE-2030-1001']
    assert result['not_patchable'] == ['CVE-2030-1002', 'CVE-2030-1003']
    assert result['reasons'] == {
        'CVE-2030-1001': 'still active after openssl 3.0.11-1~deb12u2',
        'CVE-2030-1002': 'Vendor Agent 2.1 2.1 (Packages::WinApp): Cyberwatch marks the update not patchable '
                         '(patchable: False)',
        'CVE-2030-1003': 'no update fixes it'}
    assert result['problem'] is None and result['unverified'] == [] and result['reboot_pending'] is False
    gone = remediation_verify(plan, after(before, gone=['CVE-2030-1000', 'CVE-2030-1001']))
    assert gone['closed'] == ['CVE-2030-1000', 'CVE-2030-1001'] and gone['remaining'] == []


def test_a_cve_ignored_meanwhile_is_neither_closed_nor_remaining():
    before = web1()
    result = remediation_verify(planned(before), after(before, fixed=['CVE-2030-1000'], ignored=['CVE-2030-1001']))
    assert result['ignored'] == ['CVE-2030-1001'] and result['remaining'] == []


@pytest.mark.parametrize('detail_reboot, signal, rebooted, pending', [
    (True, None, False, True),      # the server's flag, no reboot
    (True, None, True, False),      # rebooted
    (False, True, False, True),     # the host's own signal wins over a stale server flag
    (True, False, False, False),
    (None, None, False, False),
])
def test_reboot_pending(detail_reboot, signal, rebooted, pending):
    before = web1()
    result = remediation_verify(planned(before), after(before, reboot_required=detail_reboot), rebooted=rebooted,
                                reboot_required=signal)
    assert result['reboot_pending'] is pending


@pytest.mark.parametrize('detail_after, problem', [
    (None, 'no server detail after the remediation'),
    ({'id': 78, 'cve_announcements': []}, 'the detail after the remediation is of server 78, the plan is for server 77'),
    ({'id': True, 'cve_announcements': []}, 'the detail after the remediation is of server True'),
    ({'id': 77}, 'the server detail after the remediation has no cve_announcements list'),
    ({'id': 77, 'cve_announcements': 'none'}, 'has no cve_announcements list'),
])
def test_without_evidence_nothing_is_judged(detail_after, problem):
    plan = planned(web1())
    result = remediation_verify(plan, detail_after, reboot_required=True)
    assert problem in result['problem']
    assert result['unverified'] == plan['selected'] and result['closed'] == [] and result['remaining'] == []
    assert result['reboot_pending'] is True


def test_a_string_id_from_another_client_matches():
    before = web1()
    result = remediation_verify(planned(before), after(before, id='77', fixed=['CVE-2030-1000', 'CVE-2030-1001']))
    assert result['problem'] is None and result['closed'] == ['CVE-2030-1000', 'CVE-2030-1001']


@pytest.mark.parametrize('plan, detail_after, message', [
    ({'selected': []}, {'id': 1}, 'remediation_verify: expects the result of remediation_plan (missing subject'),
    (None, {'id': 1}, 'remediation_verify: expects the result of remediation_plan'),
    ('ok', ['not', 'a', 'detail'], 'the server detail after the remediation must be a dictionary, got list'),
    ('ok', {'id': 77, 'cve_announcements': [{'cve_code': 5}]}, 'cve_announcements[0].cve_code of server 77 is missing'),
])
def test_malformed_input_fails_naming_it(plan, detail_after, message):
    plan = planned(web1()) if plan == 'ok' else plan
    with pytest.raises(AnsibleFilterError) as caught:
        remediation_verify(plan, detail_after)
    assert message in str(caught.value)


def test_recorded_windows_host_all_not_patchable_until_gone():
    windows = server('windows')
    plan = remediation_plan(windows, {'min_level': 'unknown', 'today': TODAY}, subject='desktop-7')
    result = remediation_verify(plan, windows)
    assert result['not_patchable'] == plan['selected'] and len(plan['selected']) == 39
    assert result['reasons']['CVE-2019-18278'] == ('vlc_media_player 3.0.8 (Packages::WinApp): Cyberwatch marks the '
                                                   'update not patchable (patchable: False)')


# --- remediation_summary and the gate renderings -----------------------------------------------------------------------

def fleet():
    """web1: one remaining, two not patchable, one closed; db1: everything closed, reboot pending; lost1: its server
    vanished; ghost: no server at all."""
    before = web1()
    web = remediation_verify(planned(before), after(before, fixed=['CVE-2030-1000']))
    db_before = copy.deepcopy(before)
    db_before.update(id=78, hostname='db1')
    db_before['updates'] = db_before['updates'][:1]
    db_before['cve_announcements'] = db_before['cve_announcements'][:2]
    db_plan = planned(db_before, subject='db1')
    db = remediation_verify(db_plan, after(db_before, gone=['CVE-2030-1000', 'CVE-2030-1001'], reboot_required=True))
    lost = remediation_verify(planned(before, subject='lost1'), None)
    return [web, db, lost, {'subject': 'ghost', 'problem': 'no Cyberwatch server matches ghost or 10.0.0.9'}]


def test_summary_has_the_gate_shape_and_fails_the_hosts_with_open_targeted_cves():
    summary = remediation_summary(fleet(), today=TODAY)
    for key in ('name', 'kind', 'scope', 'passed', 'message', 'evaluated_on', 'thresholds', 'counts', 'violations',
                'subjects', 'failed_subjects', 'findings', 'suppressed', 'false_positives', 'expired_allowances',
                'unused_allowances', 'reboot_required', 'notes'):
        assert key in summary
    assert summary['name'] == 'Cyberwatch remediation' and summary['kind'] == 'cyberwatch'
    assert summary['passed'] is False and summary['failed_subjects'] == ['ghost', 'lost1', 'web1']
    assert sorted((f['subject'], f['id'], f['severity']) for f in summary['findings']) == [
        ('web1', 'CVE-2030-1001', 'high'), ('web1', 'CVE-2030-1002', 'critical'), ('web1', 'CVE-2030-1003', 'high')]
    assert summary['subjects']['db1']['passed'] is True and summary['subjects']['db1']['reboot_pending'] is True
    assert summary['subjects']['db1']['closed'] == ['CVE-2030-1000', 'CVE-2030-1001']
    assert summary['reboot_required'] == ['db1']
    assert summary['subjects']['lost1']['problems'] == [
        'no server detail after the remediation (re-scan, then read the server by id)']
    assert summary['subjects']['ghost']['violations'] == ['no Cyberwatch server matches ghost or 10.0.0.9']
    assert summary['remediation'] == {'fail_not_patchable': True, 'reboot_pending': ['db1'], 'targeted': 10,
                                      'closed': 3, 'remaining': 1, 'not_patchable': 2, 'ignored': 0, 'unverified': 4}
    assert summary['notes'][0] == (
        'web1: 1 closed, 1 remaining (CVE-2030-1001: still active after openssl 3.0.11-1~deb12u2), 2 not patchable '
        '(CVE-2030-1002: Vendor Agent 2.1 2.1 (Packages::WinApp): Cyberwatch marks the update not patchable '
        '(patchable: False); CVE-2030-1003: no update fixes it) of 4 targeted CVE(s)')
    assert summary['notes'][1] == 'db1: 2 closed, a reboot is pending of 2 targeted CVE(s)'


def test_not_patchable_only_noted_when_asked():
    summary = remediation_summary(fleet()[:2], today=TODAY, fail_not_patchable=False)
    assert [f['id'] for f in summary['findings']] == ['CVE-2030-1001'] and summary['failed_subjects'] == ['web1']
    closed_only = fleet()[1]
    assert remediation_summary(closed_only, today=TODAY)['passed'] is True


def test_the_gate_renderings_work_unchanged(tmp_path):
    summary = remediation_summary(fleet(), today=TODAY, name='Patch Tuesday')
    markdown = gate_report(summary)
    assert markdown.startswith('# Patch Tuesday: FAILED')
    assert '| web1 | 1 | 2 | 0 | 0 | 0 | no | FAIL: 1 critical (at most 0 allowed), 2 high (at most 0 allowed) |' \
        in markdown
    assert '| db1 | 0 | 0 | 0 | 0 | 0 | yes | pass |' in markdown and 'a reboot is pending' in markdown
    log = validate_sarif(gate_sarif(summary))
    run = log['runs'][0]
    assert sorted(r['ruleId'] for r in run['results']) == ['CVE-2030-1001', 'CVE-2030-1002', 'CVE-2030-1003']
    assert run['invocations'][0]['properties']['failedSubjects'] == ['ghost', 'lost1', 'web1']
    assert len(run['invocations'][0]['toolExecutionNotifications']) == 2
    cases = dict((case.name, case) for case in next(iter(junit(gate_junit(summary), tmp_path))))
    assert sorted(cases) == ['db1', 'ghost', 'lost1', 'web1']
    assert not cases['db1'].result and cases['web1'].result and cases['ghost'].result
    json.dumps(summary)     # the json format of gate_report


@pytest.mark.parametrize('results, message', [
    ('web1', 'expects a list of remediation_verify results, got str'),
    ([None], 'item 0 must be a remediation_verify result or {subject, problem}, got None'),
    ([{'subject': 'web1'}], 'item 0 (web1) is neither a remediation_verify result nor a {subject, problem} record'),
    ([{'subject': 'a', 'problem': 'x'}, {'subject': 'a', 'problem': 'y'}], 'several results for a'),
])
def test_summary_bad_input_fails_clearly(results, message):
    with pytest.raises(AnsibleFilterError) as caught:
        remediation_summary(results)
    assert str(caught.value).startswith('remediation_summary: ') and message in str(caught.value)
