# -*- coding: utf-8 -*-
# Copyright: secops.vulnmgmt contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Cyberwatch API client: auth (HMAC or Basic), the two route tables, pagination, resource descriptions, the
comparison of keys and ids and CyberwatchBackend (one object of a resource, for the reconcile engine of resource.py)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import base64
import hashlib
import hmac
from email.utils import formatdate
from urllib.parse import parse_qs, quote, urlparse

from ansible_collections.secops.vulnmgmt.plugins.module_utils.listing import (
    SCALAR, Page, checked_object, checked_records, last_page, read_consistently, read_pages,
)
from ansible_collections.secops.vulnmgmt.plugins.module_utils.resource import ResourceNotUnique
from ansible_collections.secops.vulnmgmt.plugins.module_utils.transport import HttpClient, unless_missing

try:
    from requests.auth import AuthBase, HTTPBasicAuth
except ImportError:  # pragma: no cover - HttpClient reports the missing library
    AuthBase = object
    HTTPBasicAuth = None

HMAC_PREFIX = 'CyberWatch APIAuth-HMAC-SHA256'
DEFAULT_PER_PAGE = 100
AUTH_METHODS = ('hmac', 'basic')
ROUTE_SETS = ('current', 'legacy')

# Route table: resource collection -> path. The prefixed routes of current servers; the seed's old v3 routes are
# the same but for the collections that moved under a prefix (later collections never had a legacy form).
CURRENT_ROUTES = {
    'ping': '/api/v3/ping',
    'servers': '/api/v3/vulnerabilities/servers',
    'remote_accesses': '/api/v3/assets/remote_accesses',
    'groups': '/api/v3/assets/groups',
    'hosts': '/api/v3/hosts',
    'nodes': '/api/v3/nodes',
    'users': '/api/v3/users',
    'cve_announcements': '/api/v3/vulnerabilities/cve_announcements',
    'security_issues': '/api/v3/vulnerabilities/security_issues',
    'agents': '/api/v3/assets/agents',
    'assets': '/api/v3/assets/servers',
    'compliance_rules': '/api/v3/compliance/rules',
    'compliance_servers': '/api/v3/compliance/servers',
    'docker_images': '/api/v3/assets/docker_images',
    'applicative_scans': '/api/v3/assets/applicative_scans',
    'discoveries': '/api/v3/assets/discoveries',
    'stored_credentials': '/api/v3/assets/credentials',
    'os': '/api/v3/os',
}
ROUTES = {
    'current': CURRENT_ROUTES,
    'legacy': dict(CURRENT_ROUTES, servers='/api/v3/servers', remote_accesses='/api/v3/remote_accesses',
                   groups='/api/v3/groups', cve_announcements='/api/v3/cve_announcements',
                   security_issues='/api/v3/security_issues', agents='/api/v3/agents'),
}


class Resource:
    """What the API offers for one kind of object: where it lives and how it is identified and written."""

    def __init__(self, name, collection, key, update_method='PATCH', write_only=(), filters=(),
                 key_casefold=False, read_by_id=True, id_field='id'):
        self.name = name                    # singular, as modules return it: 'remote_access'
        self.collection = collection        # route table key: 'remote_accesses'
        self.key = key                      # natural key field: unique on the server
        self.update_method = update_method  # the verb the server accepts for updates
        self.write_only = tuple(write_only)  # accepted on write, never returned
        self.filters = tuple(filters)       # server-side list filters the API honours
        self.key_casefold = key_casefold    # DNS names and addresses compare case-insensitively
        self.read_by_id = read_by_id        # False: no GET by id, the object is read from the list
        self.id_field = id_field            # what identifies a listed object (CVEs have a code, no id)

    @property
    def shape(self):
        """The field types every listed or read object must have: its natural key is a scalar."""
        return {self.key: SCALAR}


RESOURCES = dict((r.name, r) for r in (
    Resource('remote_access', 'remote_accesses', key='address', key_casefold=True,
             write_only=('login', 'password', 'key', 'auth_password', 'priv_password')),
    Resource('group', 'groups', key='name', update_method='PUT'),
    Resource('host', 'hosts', key='target', update_method='PUT', key_casefold=True),
    Resource('server', 'servers', key='hostname', key_casefold=True,
             filters=('hostname', 'group_id', 'reboot_required', 'communication_failed', 'active')),
    Resource('node', 'nodes', key='name'),
    Resource('user', 'users', key='login', filters=('auth_provider',)),
    Resource('cve_announcement', 'cve_announcements', key='cve_code', update_method='PUT', id_field='cve_code',
             filters=('level', 'exploitable', 'active', 'technology_product')),
    Resource('security_issue', 'security_issues', key='sid', update_method='PUT', filters=('sid',)),
    Resource('agent', 'agents', key='id'),
    Resource('asset', 'assets', key='hostname', key_casefold=True, filters=('service_name', 'service_status')),
    Resource('stored_credential', 'stored_credentials', key='name',
             write_only=('password', 'key', 'client_key', 'auth_password', 'priv_password')),
    Resource('os', 'os', key='key', id_field='key'),
    Resource('compliance_rule', 'compliance_rules', key='code', update_method='PUT'),
    Resource('compliance_server', 'compliance_servers', key='hostname', key_casefold=True,
             filters=('hostname', 'group_id', 'environment_id')),
    Resource('docker_image', 'docker_images', key='image_name'),
    Resource('applicative_scan', 'applicative_scans', key='target'),
    Resource('discovery', 'discoveries', key='name', read_by_id=False),
))

# Friendly remote-access types and the server's class names, with their default ports.
REMOTE_ACCESS_TYPES = {
    'ssh_password': ('CbwRam::RemoteAccess::Ssh::WithPassword', 22),
    'ssh_key': ('CbwRam::RemoteAccess::Ssh::WithKey', 22),
    'winrm_negotiate': ('CbwRam::RemoteAccess::WinRm::WithNegotiate', 5985),
    'snmp': ('CbwRam::RemoteAccess::Snmp', 161),
}


def hmac_signature(secret_key, method, content_type, path_and_query, date):
    """Base64 HMAC-SHA256 of the canonical string METHOD,content-type,content-md5(empty),path?query,date."""
    message = ','.join([method.upper(), content_type or '', '', path_and_query, date])
    digest = hmac.new(secret_key.encode('utf-8'), message.encode('utf-8'), hashlib.sha256).digest()
    return base64.b64encode(digest).decode('ascii').strip()


class CyberwatchHmacAuth(AuthBase):
    """requests auth that signs each prepared request as the Cyberwatch API expects (api-auth canonical string)."""

    def __init__(self, api_key, secret_key, clock=None):
        self.api_key = api_key
        self._secret_key = secret_key
        self._clock = clock  # returns an RFC 7231 date; tests pin it

    def __repr__(self):
        return 'CyberwatchHmacAuth(api_key=<hidden>)'

    def __call__(self, request):
        date = self._clock() if self._clock else formatdate(usegmt=True)
        has_body = bool(request.body)
        content_type = 'application/json' if has_body else ''
        if has_body:
            request.headers['Content-Type'] = content_type  # signed: must be exactly this value
        else:
            request.headers.pop('Content-Type', None)
        request.headers['Date'] = date
        signature = hmac_signature(self._secret_key, request.method, content_type, request.path_url, date)
        request.headers['Authorization'] = '%s %s:%s' % (HMAC_PREFIX, self.api_key, signature)
        return request


class CyberwatchClient:
    """One Cyberwatch server: every call goes through one pooled HttpClient."""

    def __init__(self, api_url, api_key, secret_key, auth_method='hmac', api_routes='current',
                 validate_certs=True, ca_path=None, request_timeout=30.0, max_retries=3, backoff_factor=0.5):
        if auth_method not in AUTH_METHODS:
            raise ValueError('auth_method must be one of %s, got %r' % (', '.join(AUTH_METHODS), auth_method))
        if api_routes not in ROUTE_SETS:
            raise ValueError('api_routes must be one of %s, got %r' % (', '.join(ROUTE_SETS), api_routes))
        if auth_method == 'hmac':
            auth = CyberwatchHmacAuth(api_key, secret_key)
        else:
            auth = HTTPBasicAuth(api_key, secret_key)
        self.routes = ROUTES[api_routes]
        self.http = HttpClient(api_url, auth=auth, validate_certs=validate_certs, ca_path=ca_path,
                               request_timeout=request_timeout, max_retries=max_retries,
                               secrets=(api_key, secret_key), backoff_factor=backoff_factor)

    def __repr__(self):
        return 'CyberwatchClient(api_url=%r)' % self.http.base_url

    # -- paths -------------------------------------------------------------------------------------------
    def path(self, resource, object_id=None, *suffix):
        """API path of a collection, of one object, or of an object's sub-route."""
        collection = resource.collection if isinstance(resource, Resource) else resource
        parts = [self.routes[collection]]
        if object_id is not None:
            parts.append(quote(str(object_id), safe=''))
        parts.extend(quote(str(s), safe='') for s in suffix)
        return '/'.join(parts)

    # -- generic calls -----------------------------------------------------------------------------------
    def request(self, method, path, params=None, json_body=None):
        return self.http.request(method, path, params=params, json_body=json_body)[1]

    def ping(self):
        """The ping answer: an object with the uuid of the request."""
        path = self.routes['ping']
        status, body = self.http.request('GET', path)[:2]
        return checked_object(body, 'GET', path, {'uuid': str}, id_field='uuid', status=status)

    def iter_pages(self, path, params=None, per_page=DEFAULT_PER_PAGE, max_workers=1, resource=None):
        """Yield (page, X-Total or None) for each page of a list, in page order (listing.read_pages): the pages after
        the first concurrently when it tells the total (X-Total, or Link rel="last"), else following Link rel="next"
        (page taken, host not trusted) and stopping on a short page. Each page is a list of objects with an id and
        the field types of the resource (listing.checked_records)."""
        query = dict(params or {})
        query['per_page'] = per_page
        return read_pages(lambda number: self._page(path, dict(query, page=number), per_page, resource), max_workers)

    def _page(self, path, query, per_page, resource=None):
        number = query['page']
        dummy, body, headers, response = self.http.request('GET', path, params=query)
        checked_records(body, 'GET', path, resource.shape if resource else None, resource.id_field if resource else 'id',
                        where='page %d' % number, status=response.status_code)
        total = _int(headers.get('X-Total'), None)
        page_size = _int(headers.get('X-Per-Page'), per_page)
        last = _link_page(response, 'last', None) or last_page(total, page_size)
        next_page = _next_page(response, number)
        if next_page is None and last is not None and number < last:
            next_page = number + 1  # a total without a Link header still tells that there is more
        if not body or len(body) < page_size:
            next_page = None
        return Page(body, total, last, next_page)

    def list(self, resource, filters=None, per_page=DEFAULT_PER_PAGE, max_workers=1):
        """Every object of a collection; filters go to the server only where the API honours them; max_workers:
        pages read at the same time once the first page tells the total."""
        resource = RESOURCES[resource] if isinstance(resource, str) else resource
        params = {}
        for name, value in (filters or {}).items():
            if value is None:
                continue
            if name not in resource.filters:
                raise ValueError('%s cannot be filtered by %r on the server; accepted: %s' % (
                    resource.collection, name, ', '.join(resource.filters) or 'none'))
            params[name] = ('true' if value else 'false') if isinstance(value, bool) else value
        path = self.path(resource)
        return read_consistently(lambda: self.iter_pages(path, params, per_page, max_workers, resource), path)

    def find(self, resource, value, filters=None, per_page=DEFAULT_PER_PAGE):
        """Objects whose natural key equals value (among those the other filters select): the key filtered on the
        server where possible, always checked here."""
        resource = RESOURCES[resource] if isinstance(resource, str) else resource
        filters = filters or {}
        keyed = dict(filters, **{resource.key: value}) if resource.key in resource.filters else filters
        matches = [item for item in self.list(resource, keyed, per_page)
                   if same_key(item.get(resource.key), value, resource.key_casefold)]
        if not matches and keyed is not filters and resource.key_casefold:
            # The server filter may be case-sensitive: confirm "absent" on the list without it.
            matches = [item for item in self.list(resource, filters, per_page)
                       if same_key(item.get(resource.key), value, True)]
        return matches

    def query(self, resource, object_id=None, key_value=None, filters=None, check=None):
        """Objects by id (404 -> []), by natural key, or all of them, filtered on the server where possible.

        check(item) re-applies the server-side filters client-side.
        """
        if object_id is not None:
            obj = self.get(resource, object_id)
            return [obj] if obj else []
        filters = dict((k, v) for k, v in (filters or {}).items() if v is not None)
        items = self.list(resource, filters) if key_value is None else self.find(resource, key_value, filters)
        return [i for i in items if check(i)] if check else items

    def get(self, resource, object_id):
        """One object by id, or None when the server says 404 (or its list lacks it, where the API has no GET by id)."""
        resource = RESOURCES[resource] if isinstance(resource, str) else resource
        if not resource.read_by_id:
            return next((item for item in self.list(resource) if same_key(item.get('id'), object_id)), None)
        path = self.path(resource, object_id)
        answer = unless_missing(lambda: self.http.request('GET', path))
        return None if answer is None else checked_object(answer[1], 'GET', path, resource.shape, resource.id_field,
                                                          answer[0])

    def create(self, resource, body):
        resource = RESOURCES[resource] if isinstance(resource, str) else resource
        return self.request('POST', self.path(resource), json_body=body)

    def update(self, resource, object_id, body):
        resource = RESOURCES[resource] if isinstance(resource, str) else resource
        return self.request(resource.update_method, self.path(resource, object_id), json_body=body)

    def delete(self, resource, object_id, body=None):
        """Delete; returns the deleted object, or None when it was already absent (404)."""
        resource = RESOURCES[resource] if isinstance(resource, str) else resource
        return unless_missing(lambda: self.request('DELETE', self.path(resource, object_id), json_body=body))

    # -- resource-specific routes ------------------------------------------------------------------------
    def test_deploy(self, remote_access_id):
        return self.request('PUT', self.path('remote_accesses', remote_access_id, 'test_deploy'))

    def set_server_cve(self, server_id, cve_code, ignored=None, comment=None):
        body = {}
        if ignored is not None:
            body['ignored'] = 'true' if ignored else 'false'
        if comment is not None:
            body['comment'] = comment
        return self.request('PUT', self.path('servers', server_id, 'cve_announcements', cve_code), json_body=body)

    def delete_node(self, node_id, transfer_to_id):
        return self.delete('node', node_id, body={'new_id': str(transfer_to_id)})


def _next_page(response, page):
    next_page = _link_page(response, 'next', page + 1)
    return next_page if next_page is not None and next_page > page else None


def _link_page(response, rel, default):
    """The page number of a Link header entry (only the page is taken from it), default without a page, or None
    without such a link."""
    link = response.links.get(rel) if response is not None else None
    if not link or not link.get('url'):
        return None
    values = parse_qs(urlparse(link['url']).query).get('page')
    return _int(values[0] if values else None, default)


def _int(value, default):
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


def same_key(actual, wanted, casefold=False):
    """Natural-key equality: ids compare as text, DNS names and addresses without case."""
    actual, wanted = str(actual).strip(), str(wanted).strip()
    if casefold:
        return actual.lower() == wanted.lower()
    return actual == wanted


def is_id(value):
    return isinstance(value, int) or (isinstance(value, str) and value.strip().isdigit())


def ids_of(objects):
    """Ids of a list of objects (or ids) as ints: server groups are returned as {id, name, ...}."""
    return sorted(int(o['id'] if isinstance(o, dict) else o) for o in objects or () if o not in (None, ''))


def equal_ids(current, desired):
    return ids_of(current) == ids_of(desired)


class Lookup:
    """Resolves names to ids with one cached list request per collection."""

    def __init__(self, client):
        self.client = client
        self._lists = {}

    def all(self, collection):
        if collection not in self._lists:
            self._lists[collection] = self.client.list(collection)
        return self._lists[collection]

    def one(self, collection, value, key='name'):
        """The object whose id or name is value; ValueError naming the choices otherwise."""
        items = self.all(collection)
        matches = [i for i in items if is_id(value) and str(i.get('id')) == str(value).strip()]
        matches = matches or [i for i in items if same_key(i.get(key), value)]
        if len(matches) != 1:
            raise ValueError('%s %r: %s; known: %s' % (
                RESOURCES[collection].name, value, 'ambiguous' if matches else 'not found',
                ', '.join('%s (id %s)' % (i.get(key), i.get('id')) for i in items) or 'none'))
        return matches[0]

    def id_of(self, collection, value):
        """The id of the object of collection that value names (its id or name); None for None. A node id is taken
        as given (the server checks it on write), any other is looked up."""
        if value is None:
            return None
        if collection == 'node' and is_id(value):
            return int(value)
        return self.one(collection, value)['id']


class CyberwatchBackend:
    """find/create/update/delete of one Cyberwatch object, found by id or by its natural key."""

    def __init__(self, client, resource, key_value=None, object_id=None, can_create=True, delete_body=None,
                 names=None):
        self.client = client
        self.resource = RESOURCES[resource] if isinstance(resource, str) else resource
        self.key_value = key_value
        self.object_id = object_id
        self.can_create = can_create
        self.delete_body = delete_body  # callable(current) -> JSON body of the DELETE (node transfer)
        self.names = names or Lookup(client)  # shared by the backends of one run: one list request per collection

    def lookup(self, collection, value):
        """The id of the object of collection (node, stored_credential, group) that the name or id value names."""
        return self.names.id_of(collection, value)

    def describe(self):
        if self.object_id is not None:
            return '%s with id %s' % (self.resource.name, self.object_id)
        return '%s with %s %r' % (self.resource.name, self.resource.key, self.key_value)

    def not_found_message(self):
        return 'no %s exists, and this module cannot create one' % self.describe()

    def find(self):
        if self.object_id is not None:
            return self.client.get(self.resource, self.object_id)
        return self.one_of(self.client.find(self.resource, self.key_value))

    def one_of(self, matches):
        """The one object found, None for none; ResourceNotUnique naming the candidates when there are several."""
        if len(matches) > 1:
            raise ResourceNotUnique('%d objects match %s (candidates: %s); select one by id' % (
                len(matches), self.describe(), ', '.join('id %s %s=%s' % (
                    m.get('id'), self.resource.key, m.get(self.resource.key)) for m in matches)))
        return matches[0] if matches else None

    def create(self, body):
        return self.client.create(self.resource, body)

    def is_conflict(self, error):
        """A create refused because the natural key is now taken (Rails: 'Name has already been taken')."""
        return error.status in (409, 422) and 'already been taken' in str(error).lower()

    def update(self, current, changes):
        return self.client.update(self.resource, current['id'], changes)

    def delete(self, current):
        body = self.delete_body(current) if self.delete_body else None
        return self.client.delete(self.resource, current['id'], body=body)
