# -*- coding: utf-8 -*-
# Copyright: secops.vulnmgmt contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Logic shared by the CyStack modules: target resolution, scan launch/wait/reuse, vulnerability expansion,
severity counts and monitoring statistics. Modules only declare options and call these."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import time

from ansible_collections.secops.vulnmgmt.plugins.module_utils.cystack import id_from_href
from ansible_collections.secops.vulnmgmt.plugins.module_utils.cystack_severities import SEVERITIES
from ansible_collections.secops.vulnmgmt.plugins.module_utils.times import duration
from ansible_collections.secops.vulnmgmt.plugins.module_utils.transport import ApiError, concurrent_map, found_after, poll

ACTIVE_STATUSES = ('Queued', 'Running')
FINISHED_STATUS = 'Stopped'
AUTH_FIELDS = ('authentication_method', 'username', 'password', 'log_out_url', 'cookie', 'username_field',
               'password_field', 'auth_url', 'check_url', 'check_string')


class ScanTimeout(Exception):
    """wait_timeout elapsed before the scan finished; carries the last scan seen."""

    def __init__(self, scan, timeout):
        super(ScanTimeout, self).__init__(
            'scan %s did not finish within %ss (last status: %s); it is still running on CyStack' % (
                scan.get('id'), timeout, scan.get('status')))
        self.scan = scan


def resolve_target(client, ref):
    """The target whose id or address is ref; ValueError naming ref when the account has none."""
    target = client.find_target(ref)
    if target is None:
        raise ValueError('target %r is neither the id nor the address of a target of this CyStack account' % ref)
    return target


def scan_body(target_id, params):
    """POST /scans body from the module options (notifications -> notification; all auth fields sent)."""
    body = {'target': target_id, 'profile': params['profile'], 'notification': params.get('notifications') or [],
            'description': params.get('description') or ''}
    advances = params.get('advances')
    if advances:
        extra = {}
        if advances.get('headers'):
            extra['headers'] = advances['headers']
        auth = advances.get('authentication')
        if auth:
            extra['authentication'] = dict((k, auth.get(k) or '') for k in AUTH_FIELDS)
        if extra:
            body['advances'] = extra
    return body


def scan_vulnerabilities(client, scan, max_workers=4):
    """Detail of every vulnerability of a scan detail (from its vuln_href), fetched concurrently."""
    ids = scan.get('vulnerability_ids') or [id_from_href(h) for h in scan.get('vuln_href') or []]
    found = concurrent_map(lambda vid: client.vulnerability(vid, missing_ok=False), ids, max_workers)
    return [v for v in found if v is not None]


def expand_scans(client, scans, max_workers=4):
    """Each scan in detail, with the detail of its vulnerabilities and their counts (bounded concurrency)."""
    def detail(scan):
        return dict(scan, **client.scan(scan['id'], missing_ok=False))

    details = concurrent_map(detail, scans, max_workers)
    ids = [vid for scan in details for vid in scan.get('vulnerability_ids') or []]
    found = dict(zip(ids, concurrent_map(client.vulnerability, ids, max_workers)))
    for scan in details:
        report = vulnerability_report([found[v] for v in scan.get('vulnerability_ids') or [] if found.get(v)])
        scan.update(vulnerability_details=report.pop('vulnerabilities'), **report)
    return details


def severity_counts(vulnerabilities, exclude_false_positives=False):
    """{'High': n, 'Medium': n, 'Low': n, 'Information': n, 'total': n}."""
    counts = dict((sev, 0) for sev in SEVERITIES)
    for vuln in vulnerabilities:
        if exclude_false_positives and vuln.get('false_positive'):
            continue
        counts[vuln.get('severity')] = counts.get(vuln.get('severity'), 0) + 1
    counts['total'] = sum(counts.values())
    return counts


def vulnerability_report(vulnerabilities):
    """The return keys shared by every module that returns vulnerabilities."""
    return dict(vulnerabilities=vulnerabilities, counts=severity_counts(vulnerabilities),
                counts_excluding_false_positives=severity_counts(vulnerabilities, exclude_false_positives=True))


# The longest address sent as a server-side search (q): a scanned site's address can be anything, up to a URL no
# server accepts (HTTP 414); a longer one lists every scan, and the match is checked here in every case.
MAX_SEARCH = 255

# How far the CyStack clock may lag the controller's when a lost launch answer is matched to the scan it started.
LAUNCH_CLOCK_SKEW = 120


def scans_since(client, target, since, statuses=None):
    """Scans of target (with one of statuses) started at or after `since` (epoch), in detail, newest first.

    The list gives a local-time start string, so candidates are read newest first in detail (epoch times); the first
    one that is too old ends the search.
    """
    address = target.get('address')
    listed = [s for s in client.scans(q=address if isinstance(address, str) and len(address) <= MAX_SEARCH else None)
              if (s.get('target') or {}).get('id') == target['id'] and (statuses is None or s.get('status') in statuses)]
    listed.sort(key=lambda s: s.get('start_time_epoch') or 0, reverse=True)
    for item in listed:
        scan = client.scan(item['id'])
        if scan is None or scan.get('start_time_epoch') is None:
            continue
        if scan['start_time_epoch'] < since:
            return
        yield scan


def recent_scan(client, target, max_age, now=None):
    """The newest finished or still active scan of target started less than max_age seconds ago, or None.

    An active one is reused too: a re-run while the scan it launched is still going must not launch a second.
    """
    now = time.time() if now is None else now
    reusable = (FINISHED_STATUS,) + ACTIVE_STATUSES
    return next((s for s in scans_since(client, target, now - max_age, reusable) if s.get('status') in reusable), None)


def launched_scan(client, target, since):
    """After a launch whose answer was lost: the one scan of target started at or after `since` (epoch), or None.

    None too when several started since then: adopting one of them could take another run's scan.
    """
    found = list(scans_since(client, target, since))
    return found[0] if len(found) == 1 else None


def wait_for_scan(client, scan_id, timeout, poll_interval, clock=time.monotonic, sleep=time.sleep):
    """Poll the scan until it is Stopped, through transient API failures; ScanTimeout(last scan) after timeout."""
    scan, finished = poll(lambda: client.scan(scan_id, missing_ok=False),
                          lambda current: current.get('status') == FINISHED_STATUS, timeout, poll_interval, clock, sleep)
    if not finished:
        raise ScanTimeout(scan, timeout)
    return scan


def monitoring_statistics(checks):
    """Uptime ratio and mean response time (of the checks that were up) over the returned checks."""
    up = [c for c in checks if c.get('is_up')]
    times = [c['response_time'] for c in up if isinstance(c.get('response_time'), (int, float))]
    starts = [c['start_time'] for c in checks if isinstance(c.get('start_time'), (int, float))]
    return {
        'checks': len(checks),
        'up_checks': len(up),
        'down_checks': len(checks) - len(up),
        'uptime_ratio': round(float(len(up)) / len(checks), 4) if checks else None,
        'mean_response_time': round(sum(times) / len(times), 6) if times else None,
        'last_check_epoch': max(starts) if starts else None,
        'last_is_up': max(checks, key=lambda c: c.get('start_time') or 0).get('is_up') if checks else None,
    }


def scan_action(module):
    """The action that module.run() calls for the state of cystack_scan (its options are valid: SPEC)."""
    params = module.params
    max_age = duration(params.get('max_age'), 'max_age', minimum=0)
    if params['state'] == 'stopped':
        return lambda: _stop(module)
    if params['state'] == 'absent':
        return lambda: _delete(module)
    return lambda: _launch(module, max_age)


def _launch(module, max_age):
    client, params = module.client, module.params
    target = resolve_target(client, params['target'])
    scan = recent_scan(client, target, max_age) if max_age is not None else None
    result = dict(changed=scan is None, reused=scan is not None, diff=dict(before={}, after={}))
    if scan is None:
        body = scan_body(target['id'], params)
        result['diff']['after'] = dict((k, v) for k, v in body.items() if k != 'advances')
        if module.check_mode:
            result.update(scan=dict(id=None, status='Queued', description=params.get('description'),
                                    target=dict(id=target['id'], address=target.get('address'))), scan_id=None)
            return result
        scan = dict(id=_create_scan(module, target, body), status='Queued')
    result['scan_id'] = scan['id']
    if not params['wait']:
        result['scan'] = scan if result['reused'] else client.scan(scan['id'], missing_ok=False)
        return result
    if scan.get('status') != FINISHED_STATUS:
        try:
            scan = wait_for_scan(client, scan['id'], params['wait_timeout'], params['poll_interval'])
        except ScanTimeout as exc:
            module.fail_json(msg=str(exc), changed=result['changed'], scan=exc.scan, scan_id=scan['id'],
                             status=exc.scan.get('status'), diff=result['diff'])
    result.update(scan=scan, scan_id=scan['id'])
    result.update(vulnerability_report(scan_vulnerabilities(client, scan, params['max_workers'])))
    return result


def _create_scan(module, target, body):
    """Launch a scan; when the answer is lost, adopt the scan the launch started rather than launch a second one."""
    launched_at = time.time()
    try:
        return module.client.create_scan(body)
    except ApiError as exc:
        if not exc.unsure:
            raise
        scan = found_after(exc, lambda: launched_scan(module.client, target, launched_at - LAUNCH_CLOCK_SKEW))
        module.warn('%s, then scan %s of target %s was found started at the launch time: it is the one this task '
                    'follows' % (exc.summary(), scan['id'], target['id']))
        return scan['id']


def _stop(module):
    scan = module.client.scan(module.params['id'], missing_ok=False)
    if scan.get('status') not in ACTIVE_STATUSES:
        return dict(changed=False, scan=scan, scan_id=scan['id'], diff=dict(before={}, after={}))
    before = dict(status=scan['status'])
    if module.check_mode:
        scan = dict(scan, status=FINISHED_STATUS)
    else:
        scan = module.client.stop_scan(scan['id'])
    return dict(changed=True, scan=scan, scan_id=scan['id'], diff=dict(before=before, after=dict(status=scan['status'])))


def _delete(module):
    scan = module.client.scan(module.params['id'])
    changed = scan is not None
    if changed and not module.check_mode:
        changed = module.client.delete_scan(scan['id'])
    return dict(changed=changed, scan=None, scan_id=module.params['id'],
                diff=dict(before=scan if changed else {}, after={}))


def monitoring_report(client, target, with_checks=True):
    """Monitoring settings of a target, its recent checks and their statistics."""
    checks = client.monitor_results(target['id'])
    item = dict(client.monitoring(target['id']) or {}, target_id=target['id'], address=target.get('address'))
    item['statistics'] = monitoring_statistics(checks)
    if with_checks:
        item['results'] = checks
    return item
