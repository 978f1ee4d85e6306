"""The shared CyStack logic behind the modules (module_utils/cystack_common.py), with a fake client."""

import pytest

from ansible_collections.secops.vulnmgmt.plugins.module_utils.cystack_common import (
    ScanTimeout, launched_scan, monitoring_statistics, recent_scan, resolve_target, scan_body,
    severity_counts, vulnerability_report, wait_for_scan,
)
from ansible_collections.secops.vulnmgmt.plugins.module_utils.transport import ApiError

BLIP = ApiError('GET /scans/s1 failed with HTTP 503', status=503, method='GET', path='/scans/s1')


class FakeClient:
    """Scans by id with a scripted status sequence; records the calls."""

    def __init__(self, scans=None, listed=None, statuses=None, targets=None):
        self.details = scans or {}
        self.listed = listed or []
        self.statuses = list(statuses or [])
        self.target_list = targets or []
        self.calls = []

    def scan(self, scan_id, missing_ok=True):
        self.calls.append(('scan', scan_id))
        if self.statuses:
            status = self.statuses.pop(0)
            if isinstance(status, Exception):
                raise status
            return {'id': scan_id, 'status': status}
        return self.details.get(scan_id)

    def scans(self, q=None, ordering=None, status=None):
        self.calls.append(('scans', q, status))
        return self.listed

    def find_target(self, ref):
        return next((t for t in self.target_list if ref in (t['id'], t['address'])), None)


def test_resolve_target_names_the_unknown_reference():
    client = FakeClient(targets=[{'id': 't1', 'address': 'https://a'}])
    assert resolve_target(client, 'https://a')['id'] == 't1'
    with pytest.raises(ValueError, match="'https://b' is neither"):
        resolve_target(client, 'https://b')


def test_scan_body_renames_notifications_and_fills_every_auth_field():
    params = {'profile': 5, 'notifications': [34], 'description': None,
              'advances': {'headers': {'ping': '123'}, 'authentication': {'authentication_method': 'cookie',
                                                                          'cookie': 'c', 'password': None}}}
    body = scan_body('t1', params)
    assert body['target'] == 't1' and body['notification'] == [34] and body['description'] == ''
    auth = body['advances']['authentication']
    assert auth['cookie'] == 'c' and auth['password'] == '' and len(auth) == 10
    assert scan_body('t1', {'profile': 1, 'advances': None}) == {
        'target': 't1', 'profile': 1, 'notification': [], 'description': ''}


def test_wait_returns_the_finished_scan():
    client = FakeClient(statuses=['Queued', 'Running', 'Stopped'])
    now = [0.0]
    scan = wait_for_scan(client, 's1', 100, 5, clock=lambda: now[0], sleep=lambda s: now.__setitem__(0, now[0] + s))
    assert scan['status'] == 'Stopped' and now[0] == 10.0


def test_wait_polls_through_transient_failures():
    dropped = ApiError('GET /scans/s1: timed out after 30s', method='GET', path='/scans/s1')
    client = FakeClient(statuses=['Queued', BLIP, dropped, BLIP, 'Running', 'Stopped'])
    now = [0.0]
    scan = wait_for_scan(client, 's1', 100, 5, clock=lambda: now[0], sleep=lambda s: now.__setitem__(0, now[0] + s))
    assert scan['status'] == 'Stopped' and len(client.calls) == 6


def test_wait_fails_at_once_on_a_lasting_error():
    gone = ApiError('GET /scans/s1 failed with HTTP 404', status=404, method='GET', path='/scans/s1')
    client = FakeClient(statuses=['Queued', gone, 'Stopped'])
    with pytest.raises(ApiError) as info:
        wait_for_scan(client, 's1', 100, 5, clock=lambda: 0.0, sleep=lambda s: None)
    assert info.value is gone


def test_wait_that_never_read_a_scan_raises_the_last_failure():
    client = FakeClient(statuses=[BLIP] * 5)
    now = [0.0]
    with pytest.raises(ApiError) as info:
        wait_for_scan(client, 's1', 12, 5, clock=lambda: now[0], sleep=lambda s: now.__setitem__(0, now[0] + s))
    assert info.value is BLIP


def test_launched_scan_adopts_the_one_scan_started_since_the_launch():
    target = {'id': 't1', 'address': 'https://a'}
    listed = [{'id': 'new', 'target': {'id': 't1'}}, {'id': 'other', 'target': {'id': 't2'}},
              {'id': 'old', 'target': {'id': 't1'}}]
    details = {'new': {'id': 'new', 'start_time_epoch': 1000}, 'old': {'id': 'old', 'start_time_epoch': 500}}
    assert launched_scan(FakeClient(scans=details, listed=listed), target, since=900)['id'] == 'new'
    assert launched_scan(FakeClient(scans=details, listed=listed), target, since=1001) is None
    assert launched_scan(FakeClient(scans=details, listed=listed), target, since=400) is None, 'two: ambiguous'


def test_wait_timeout_carries_the_last_scan():
    client = FakeClient(statuses=['Queued'] + ['Running'] * 10)
    now = [0.0]
    with pytest.raises(ScanTimeout) as info:
        wait_for_scan(client, 's1', 12, 5, clock=lambda: now[0], sleep=lambda s: now.__setitem__(0, now[0] + s))
    assert info.value.scan == {'id': 's1', 'status': 'Running'}
    assert 'scan s1 did not finish within 12s (last status: Running)' in str(info.value)
    assert now[0] == 12.0  # the last sleep is cut to the deadline


def test_recent_scan_takes_the_newest_finished_scan_of_the_target_only():
    target = {'id': 't1', 'address': 'https://a'}
    listed = [{'id': 'old', 'status': 'Stopped', 'start_time_epoch': 100, 'target': {'id': 't1'}},
              {'id': 'new', 'status': 'Stopped', 'start_time_epoch': 900, 'target': {'id': 't1'}},
              {'id': 'other', 'status': 'Stopped', 'start_time_epoch': 999, 'target': {'id': 't2'}}]
    details = {'new': {'id': 'new', 'status': 'Stopped', 'start_time_epoch': 900},
               'old': {'id': 'old', 'status': 'Stopped', 'start_time_epoch': 100}}
    client = FakeClient(scans=details, listed=listed)
    assert recent_scan(client, target, 200, now=1000)['id'] == 'new'
    assert client.calls == [('scans', 'https://a', None), ('scan', 'new')]
    client.calls = []
    assert recent_scan(client, target, 50, now=1000) is None
    assert client.calls == [('scans', 'https://a', None), ('scan', 'new')]  # stops at the first too old


def test_recent_scan_reuses_a_running_scan_but_not_a_stopping_one():
    target = {'id': 't1', 'address': 'https://a'}
    listed = [{'id': 'halting', 'status': 'Stopping', 'start_time_epoch': 950, 'target': {'id': 't1'}},
              {'id': 'running', 'status': 'Running', 'start_time_epoch': 900, 'target': {'id': 't1'}}]
    details = {'running': {'id': 'running', 'status': 'Running', 'start_time_epoch': 900}}
    assert recent_scan(FakeClient(scans=details, listed=listed), target, 200, now=1000)['id'] == 'running'


def test_severity_counts_with_and_without_false_positives():
    vulns = [{'severity': 'High', 'false_positive': True}, {'severity': 'High', 'false_positive': False},
             {'severity': 'Low', 'false_positive': False}]
    assert severity_counts(vulns) == {'High': 2, 'Medium': 0, 'Low': 1, 'Information': 0, 'total': 3}
    report = vulnerability_report(vulns)
    assert report['counts_excluding_false_positives'] == {'High': 1, 'Medium': 0, 'Low': 1, 'Information': 0,
                                                          'total': 2}
    assert report['vulnerabilities'] is vulns


def test_monitoring_statistics():
    checks = [{'is_up': True, 'response_time': 0.5, 'start_time': 300},
              {'is_up': True, 'response_time': 1.5, 'start_time': 600},
              {'is_up': False, 'response_time': 30.0, 'start_time': 900}]
    stats = monitoring_statistics(checks)
    assert stats == {'checks': 3, 'up_checks': 2, 'down_checks': 1, 'uptime_ratio': 0.6667,
                     'mean_response_time': 1.0, 'last_check_epoch': 900, 'last_is_up': False}
    assert monitoring_statistics([])['uptime_ratio'] is None
