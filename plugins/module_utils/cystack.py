# -*- coding: utf-8 -*-
# Copyright: secops.vulnmgmt contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""CyStack API client: bearer auth, DRF pagination, ids from href/Location, and normalised objects.
The backends of the CyStack state modules (monitoring, vulnerability) for the reconcile engine of resource.py."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import datetime
from urllib.parse import parse_qs, quote, urlparse

from ansible_collections.secops.vulnmgmt.plugins.module_utils.listing import (
    SCALAR, Page, checked_object, checked_records, kind, last_page, malformed, read_consistently, read_pages,
)
from ansible_collections.secops.vulnmgmt.plugins.module_utils.times import timestamp
from ansible_collections.secops.vulnmgmt.plugins.module_utils.transport import ApiError, HttpClient, unless_missing

try:
    from requests.auth import AuthBase
except ImportError:  # pragma: no cover - HttpClient reports the missing library
    AuthBase = object

DEFAULT_API_URL = 'https://api.cystack.io/v1'
SCAN_STATUSES = ('Queued', 'Running', 'Stopping', 'Stopped')
# The list endpoint prints start_time as '%H:%M:%S %d/%m/%Y' in the service's local time (Vietnam, UTC+7, no DST).
LIST_TIME_FORMAT = '%H:%M:%S %d/%m/%Y'
LIST_TIME_ZONE = datetime.timezone(datetime.timedelta(hours=7))
MAX_PAGES = 100000
# The field types the collection reads from each kind of record (listing.checked_records): checked on every page and
# detail before anything is used. Null is accepted; absent fields too.
SHAPES = {
    'targets': {'id': SCALAR, 'href': str, 'address': str},
    'scans': {'id': SCALAR, 'href': str, 'status': str, 'target': dict, 'vuln_href': list, 'noti_href': list},
    'vulnerabilities': {'id': SCALAR, 'href': str, 'severity': str},
    'monitor_result': {'start_time': (int, float), 'response_time': (int, float)},
}


class BearerAuth(AuthBase):
    """Authorization: Bearer <API key>, with a repr that hides the key."""

    def __init__(self, api_key):
        self._api_key = api_key

    def __repr__(self):
        return 'BearerAuth(<hidden>)'

    def __call__(self, request):
        request.headers['Authorization'] = 'Bearer %s' % self._api_key
        return request


def id_from_href(href):
    """Last path segment of an href or Location ('/v1/scans/<uuid>' -> '<uuid>'), or None."""
    if not href or not isinstance(href, str):
        return None
    segment = urlparse(href).path.rstrip('/').rsplit('/', 1)[-1]
    return segment or None


def none_strings(value):
    """The API prints Python None as the string "None": turn it back into null, recursively."""
    if value == 'None':
        return None
    if isinstance(value, list):
        return [none_strings(v) for v in value]
    if isinstance(value, dict):
        return dict((k, none_strings(v)) for k, v in value.items())
    return value


def scan_time(value):
    """start_time/stop_time as (ISO 8601 UTC, epoch seconds): epoch ints in details, local-time strings in lists;
    (None, None) when absent, (value, None) when unreadable."""
    moment = timestamp(value, strict=False, local=(LIST_TIME_FORMAT, LIST_TIME_ZONE))
    if moment is None:
        return (None if value == '' else value), None
    return moment.strftime('%Y-%m-%dT%H:%M:%SZ'), int(moment.timestamp())


def normalize_target(target):
    target = none_strings(dict(target))
    target.setdefault('id', id_from_href(target.get('href')))
    if 'verification' in target:
        target['verified'] = target['verification'] == 0  # documented: 0 = owner verified, 1 = not verified
    return target


def normalize_scan(scan, scan_id=None):
    """A scan with an id (scans carry none), times as ISO 8601 + epoch, and ids of its vulnerabilities."""
    scan = none_strings(dict(scan))
    scan['id'] = scan_id or scan.get('id') or id_from_href(scan.get('href'))
    for field in ('start_time', 'stop_time'):
        if field in scan:
            scan[field], scan[field + '_epoch'] = scan_time(scan[field])
    if 'vuln_href' in scan:
        scan['vulnerability_ids'] = [id_from_href(h) for h in scan['vuln_href'] or []]
        scan.setdefault('vulnerabilities', len(scan['vulnerability_ids']))
    if 'noti_href' in scan:
        scan['notification_ids'] = [id_from_href(h) for h in scan['noti_href'] or []]
    return scan


def normalize_vulnerability(vuln):
    vuln = none_strings(dict(vuln))
    vuln['id'] = vuln.get('id') or id_from_href(vuln.get('href'))
    return vuln


class CyStackClient:
    """The CyStack REST API of one account."""

    def __init__(self, api_key, api_url=DEFAULT_API_URL, validate_certs=True, ca_path=None, request_timeout=30.0,
                 max_retries=3, backoff_factor=0.5):
        self.http = HttpClient(api_url or DEFAULT_API_URL, auth=BearerAuth(api_key), validate_certs=validate_certs,
                               ca_path=ca_path, request_timeout=request_timeout, max_retries=max_retries,
                               secrets=(api_key,), backoff_factor=backoff_factor)

    def __repr__(self):
        return 'CyStackClient(api_url=%r)' % self.http.base_url

    def request(self, method, path, params=None, json_body=None):
        return self.http.request(method, path, params=params, json_body=json_body)

    def iter_pages(self, path, params=None, max_workers=1):
        """Yield (results, count) for each DRF page, in page order (listing.read_pages): the pages after the first
        concurrently once it tells the count, else following `next`. Only `page` is taken from `next`: its host is not
        trusted."""
        query = dict((k, v) for k, v in (params or {}).items() if v is not None)
        return read_pages(lambda number: self._page(path, query, number), max_workers)

    def _page(self, path, query, number):
        status, body = self.request('GET', path, params=dict(query, page=number) if number > 1 else query)[:2]
        if not isinstance(body, dict):
            raise malformed('GET', path, 'page %d is %s where an object with a list under "results" was expected' % (
                number, kind(body)), status)
        records = checked_records(body.get('results'), 'GET', path, SHAPES.get(path.strip('/')), id_field=None,
                                  where='"results" of page %d' % number, status=status)
        for index, record in enumerate(records):
            if record.get('id') in (None, '') and not id_from_href(record.get('href')):
                raise malformed('GET', path, 'item %d of page %d has neither an id nor an href' % (index, number), status)
        count = body.get('count') if isinstance(body.get('count'), int) else None
        next_url = body.get('next')
        if not next_url:
            return Page(body['results'], count)
        values = parse_qs(urlparse(next_url).query).get('page')
        if not values or not values[0].isdigit() or int(values[0]) <= number or number >= MAX_PAGES:
            raise ApiError('GET %s page %d: unusable "next" link %r' % (path, number, next_url),
                           method='GET', path=path)
        # A page that has a next one is full: its length is the page size (DRF's PAGE_SIZE, not a request option).
        return Page(body['results'], count, last_page(count, len(body['results'])), int(values[0]))

    def list(self, path, params=None, max_workers=1):
        """Every record of a DRF listing; max_workers: pages read at the same time once the first tells the count."""
        return read_consistently(lambda: self.iter_pages(path, params, max_workers), path)

    def get(self, path, missing_ok=True, shape=None):
        """One object (an object with the field types of shape), or None on 404 (missing_ok=False lets the 404
        ApiError through)."""
        answer = unless_missing(lambda: self.request('GET', path)) if missing_ok else self.request('GET', path)
        return None if answer is None else checked_object(answer[1], 'GET', path, shape, status=answer[0])

    # -- targets -----------------------------------------------------------------------------------------
    def targets(self, q=None, ordering=None):
        return [normalize_target(t) for t in self.list('/targets', dict(q=q, ordering=ordering))]

    def find_target(self, ref):
        """A target by id or by address (exact, without trailing slash or case); None when absent."""
        wanted = str(ref).strip().rstrip('/').lower()
        matches = [t for t in self.targets()
                   if str(t.get('id')).lower() == wanted or str(t.get('address', '')).rstrip('/').lower() == wanted]
        if len(matches) > 1:
            ids = ', '.join(t['id'] for t in matches)
            raise ApiError('target %r matches %d targets: %s' % (ref, len(matches), ids))
        return matches[0] if matches else None

    # -- scans -------------------------------------------------------------------------------------------
    def scans(self, q=None, ordering=None, status=None):
        return [normalize_scan(s) for s in self.list('/scans', dict(q=q, ordering=ordering, status=status))]

    def scan(self, scan_id, missing_ok=True):
        body = self.get('/scans/%s' % quote(str(scan_id), safe=''), missing_ok, SHAPES['scans'])
        return None if body is None else normalize_scan(body, scan_id)

    def create_scan(self, body):
        """Launch a scan; returns its id from the Location header (or a Location/href in the body)."""
        dummy, data, headers, response = self.request('POST', '/scans', json_body=body)
        location = headers.get('Location')
        if not location and isinstance(data, dict):
            location = data.get('Location') or data.get('href')
        scan_id = id_from_href(location)
        if not scan_id:
            raise ApiError('POST /scans answered HTTP %s without a Location' % response.status_code,
                           status=response.status_code, method='POST', path='/scans', body=data)
        return scan_id

    def stop_scan(self, scan_id):
        return normalize_scan(self.request('GET', '/scans/%s/stop' % quote(str(scan_id), safe=''))[1], scan_id)

    def delete_scan(self, scan_id):
        """True when deleted, False when it was already absent (404)."""
        return unless_missing(lambda: self.request('DELETE', '/scans/%s' % quote(str(scan_id), safe=''))) is not None

    # -- vulnerabilities ---------------------------------------------------------------------------------
    def vulnerabilities(self, q=None, ordering=None, severity=None):
        params = dict(q=q, ordering=ordering, sev=severity)
        return [normalize_vulnerability(v) for v in self.list('/vulnerabilities', params)]

    def vulnerability(self, vuln_id, missing_ok=True):
        body = self.get('/vulnerabilities/%s' % quote(str(vuln_id), safe=''), missing_ok, SHAPES['vulnerabilities'])
        return None if body is None else normalize_vulnerability(body)

    def set_false_positive(self, vuln_id, value):
        path = '/vulnerabilities/%s' % quote(str(vuln_id), safe='')
        return normalize_vulnerability(self.request('PUT', path, json_body={'false_positive': bool(value)})[1])

    # -- monitoring --------------------------------------------------------------------------------------
    def monitoring(self, target_id):
        return self.get('/targets/%s/monitoring' % quote(str(target_id), safe=''))

    def set_monitoring(self, target_id, settings):
        path = '/targets/%s/monitoring' % quote(str(target_id), safe='')
        return self.request('PUT', path, json_body=settings)[1]

    def monitor_results(self, target_id):
        path = '/targets/%s/monitor_result' % quote(str(target_id), safe='')
        status, body = self.request('GET', path)[:2]
        return checked_records(body, 'GET', path, SHAPES['monitor_result'], id_field=None, status=status)


class CyStackMonitoringBackend:
    """The monitoring settings of one CyStack target: they always exist, and a PUT sends all three fields."""

    can_create = False
    FIELDS = ('interval', 'is_activated', 'notifications')

    def __init__(self, client, target):
        self.client = client
        self.target = target

    def not_found_message(self):
        return 'target %s has no monitoring settings' % self.target['id']

    def _with_target(self, settings):
        return dict(settings, target_id=self.target['id'], address=self.target.get('address'))

    def find(self):
        settings = self.client.monitoring(self.target['id'])
        return None if settings is None else self._with_target(settings)

    def update(self, current, changes):
        body = dict((k, current.get(k)) for k in self.FIELDS)
        body.update(changes)
        return self._with_target(self.client.set_monitoring(self.target['id'], body) or body)


class CyStackVulnerabilityBackend:
    """One CyStack vulnerability by id; only false_positive is writable. A 404 fails with the API message."""

    can_create = False

    def __init__(self, client, vuln_id):
        self.client = client
        self.vuln_id = vuln_id

    def not_found_message(self):
        return 'no vulnerability with id %s' % self.vuln_id

    def find(self):
        return self.client.vulnerability(self.vuln_id, missing_ok=False)

    def update(self, current, changes):
        return self.client.set_false_positive(current['id'], changes['false_positive'])
