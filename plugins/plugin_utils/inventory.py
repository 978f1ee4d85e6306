# -*- coding: utf-8 -*-
# Copyright: secops.vulnmgmt contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Logic shared by the secops.vulnmgmt inventory plugins (controller side only).

Hostname preference and duplicate handling, group-name sanitising, templated options, the cache of the raw API
payload (kept past cache_timeout, so that a refresh can reuse what did not change), bounded-concurrency fetching,
type checks of the API records (Record) and the population of the inventory. Both plugins are ApiInventory
subclasses (a BaseInventoryPlugin, Constructable and Cacheable).

API values are hostile (plugin_utils/trust.py): every hostvar is marked untrusted, a host name is used only if it is a
plain one that names no group, and a host another inventory source defined is never overwritten unless
existing_hosts=merge.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import base64
import hashlib
import json
import os
import re
import stat
import time
import zlib

from ansible.errors import AnsibleParserError
from ansible.plugins.inventory import BaseInventoryPlugin, Cacheable, Constructable

from ansible_collections.secops.vulnmgmt.plugins.module_utils.listing import KIND_OF_TYPE, kind
from ansible_collections.secops.vulnmgmt.plugins.module_utils.transport import ApiError, connection_warnings, mask_url
from ansible_collections.secops.vulnmgmt.plugins.plugin_utils import trust

DUPLICATE_POLICIES = ('suffix', 'skip', 'error')
EXISTING_HOST_POLICIES = ('rename', 'skip', 'merge')
FETCHED_AT = 'fetched_at'  # cache entry: when the payload was fetched (epoch seconds)
PAYLOAD = 'payload'  # cache entry: the payload, as compressed JSON (pack)
_UNSAFE = re.compile(r'[^A-Za-z0-9_]+')


def sanitize(name):
    """A valid, stable group-name fragment: lower case, runs of other characters than [a-z0-9_] become one '_'."""
    return _UNSAFE.sub('_', str(name)).strip('_').lower()


def shorten(value, limit=80):
    """repr of an API value for a message: control characters escaped, cut to about limit characters."""
    text = repr(str(value) if isinstance(value, str) else value)
    return text if len(text) <= limit else text[:limit - 3] + '...'


class MalformedAnswer(ValueError):
    """An API answer (or its cached copy) that does not have the documented shape: names the request and the fault."""

    def __init__(self, request, problem):
        super(MalformedAnswer, self).__init__('malformed answer to %s: %s' % (request, problem))


def listing(payload, key, request):
    """payload[key], the records of one listing, when it is a list; else MalformedAnswer naming request."""
    records = payload.get(key)
    if not isinstance(records, list):
        raise MalformedAnswer(request, 'the %s are %s, expected a list' % (key, kind(records)))
    return records


def shape(*fields):
    """The shape of an API record, for Record.fields: each field is (name, kinds[, kinds of its items]), kinds being
    listing.kind names. A name reads a field ('os'), a field of an object field ('os.key') or a field of each object
    of a list field ('groups[].name'); the outer field comes first, declared an object or a list of objects."""
    table, declared = [], {}
    for field in fields:
        name, kinds, items = (tuple(field) + (None,))[:3]
        outer, dummy, inner = name.partition('.')
        each = outer.endswith('[]')
        outer = outer[:-2] if each else outer
        kinds, items = _kinds(kinds), _kinds(items)
        if inner and declared.get(outer) != ((('a list',), ('an object',)) if each else (('an object',), ())):
            raise ValueError('shape: %s needs %s declared before it as %s' % (
                name, outer, 'a list of objects' if each else 'an object'))
        if not inner:
            declared[outer] = (kinds, items)
        table.append((name, outer, inner or None, each, kinds, items, _types(kinds + ('null',)), _types(items)))
    return tuple(table)


def _kinds(kinds):
    return (kinds,) if isinstance(kinds, str) else tuple(kinds or ())


def _types(kinds):
    """The exact Python types of decoded JSON values of kinds (a subclass is left to Record.check)."""
    return frozenset(one for one, name in KIND_OF_TYPE.items() if name in kinds)


def _exact(value, types, item_types):
    """value is of one of types (exact types: shape()) and, when item_types, a list of items of those."""
    return type(value) in types and (not item_types or value is None or all(type(item) in item_types for item in value))


class Record:
    """One record of an API answer, read with type checks: a wrong type is a MalformedAnswer naming the request, the
    record (where: its position, then its id) and the field. Null is accepted wherever a field is read. Messages are
    made only on failure: an inventory reads every field of thousands of records this way."""

    __slots__ = ('request', 'record', 'where', 'record_id')

    def __init__(self, request, record, where):
        self.request = request
        self.where = where
        self.record_id = None
        if not isinstance(record, dict):
            raise self.error('it is %s, expected an object' % kind(record))
        self.record = record

    def error(self, problem):
        where = self.where if self.record_id is None else '%s (id %s)' % (self.where, shorten(self.record_id))
        return MalformedAnswer(self.request, '%s: %s' % (where, problem))

    def identify(self, record_id, field='id'):
        """record_id (the value read from the record), when it is an integer or a non-empty string."""
        if isinstance(record_id, bool) or not isinstance(record_id, (int, str)) or record_id == '':
            raise self.error('%s is %s, expected a number or a non-empty string' % (
                field, 'missing' if field not in self.record else kind(record_id)))
        self.record_id = record_id
        return record_id

    def fields(self, record_shape):
        """The record, when each field of record_shape (shape()) is null or of its kinds. Most records are well formed:
        a field of an exact JSON type is accepted here, any other goes through check(), which accepts or fails it."""
        record = self.record
        for name, outer, inner, each, kinds, items, types, item_types in record_shape:
            value = record.get(outer)
            if inner is None:  # the common case, inline: _exact(value, types, item_types)
                if type(value) not in types or (item_types and value is not None
                                                and not all(type(item) in item_types for item in value)):
                    self.check(name, value, kinds, items)
            elif each:
                for position, item in enumerate(value or ()):
                    if not _exact(item.get(inner), types, item_types):
                        self.check('%s[%d].%s' % (outer, position, inner), item.get(inner), kinds, items)
            elif value is not None and not _exact(value.get(inner), types, item_types):
                self.check(name, value.get(inner), kinds, items)
        return record

    def get(self, field, kinds, items=None):
        """record[field] when it is null or of kinds (listing.kind names); items: the kinds of each element of a list."""
        return self.check(field, self.record.get(field), kinds, items)

    def check(self, name, value, kinds, items=None):
        if value is None:
            return None
        kinds = (kinds,) if isinstance(kinds, str) else kinds
        if kind(value) not in kinds:
            raise self.error('%s is %s, expected %s or null' % (name, kind(value), ' or '.join(kinds)))
        if items:
            items = (items,) if isinstance(items, str) else items
            for position, item in enumerate(value):
                if kind(item) not in items:
                    raise self.error('%s[%d] is %s, expected %s' % (name, position, kind(item), ' or '.join(items)))
        return value


def has_template(value):
    return isinstance(value, str) and ('{{' in value or '{%' in value)


def resolve_duplicates(candidates, policy, warn):
    """Unique inventory names for [(name, record_id, item)] in a deterministic order (by id).

    suffix: the lowest id keeps the name, the others become <name>_<id>; skip: the others are left out with a
    warning; error: ValueError naming the ids. Returns [(name, item)].
    """
    if policy not in DUPLICATE_POLICIES:
        raise ValueError('duplicate_hostnames must be one of %s, got %r' % (', '.join(DUPLICATE_POLICIES), policy))
    ordered = sorted(candidates, key=lambda c: (_id_key(c[1])))
    owners = {}
    for name, record_id, dummy in ordered:
        owners.setdefault(name, []).append(record_id)
    taken = set(owners)
    result = []
    for name, record_id, item in ordered:
        ids = owners[name]
        if len(ids) == 1 or ids[0] == record_id:
            result.append((name, item))
            continue
        if policy == 'error':
            raise ValueError('hostname %r is shared by the records with ids %s (duplicate_hostnames=error)' % (
                name, ', '.join(str(i) for i in ids)))
        if policy == 'skip':
            warn('hostname %r is already used by id %s: record id %s skipped (duplicate_hostnames=skip)' % (
                name, ids[0], record_id))
            continue
        unique = '%s_%s' % (name, record_id)
        if unique in taken:
            raise ValueError('cannot give a unique name to id %s: %r is taken too' % (record_id, unique))
        taken.add(unique)
        result.append((unique, item))
    return result


def _id_key(record_id):
    """Integers in numeric order before anything else in text order."""
    if isinstance(record_id, int) and not isinstance(record_id, bool):
        return (0, record_id, '')
    return (1, 0, str(record_id))


class ApiInventory(BaseInventoryPlugin, Constructable, Cacheable):
    """Base of the collection's inventory plugins.

    A plugin defines NAME, FILE_SUFFIXES, PREFIX (hostvars), CONNECTION_OPTIONS, PAYLOAD_OPTIONS (options that
    change what is fetched, hence the cache key), fetch_payload and build_hosts.
    """

    NAME = None
    FILE_SUFFIXES = ()
    PREFIX = ''
    CONNECTION_OPTIONS = ()
    PAYLOAD_OPTIONS = ()
    error_class = AnsibleParserError

    def fetch_payload(self, options, previous=None):
        """JSON-able raw API answers; previous is the cached payload of an earlier run when it is stale (a refresh may
        reuse what did not change since), None on a cold or forced refresh."""
        raise NotImplementedError

    def build_hosts(self, payload):
        """[(record_id, hostvars, groups, hostname_fields)], as new objects (the payload is cached)."""
        raise NotImplementedError

    def verify_file(self, path):
        if not super(ApiInventory, self).verify_file(path):
            return False
        if not str(path).endswith(self.FILE_SUFFIXES):
            self.display.vvv('%s: skipping %s, its name must end with %s' % (
                self.NAME, path, ' or '.join(self.FILE_SUFFIXES)))
            return False
        return True

    def option(self, name):
        """get_option, templated through self.templar when the value holds Jinja (lookups, vault vars)."""
        value = self.get_option(name)
        if has_template(value):
            value = self.templar.template(value)
        return value

    def fail(self, msg):
        raise self.error_class(msg)

    def parse(self, inventory, loader, path, cache=True):
        """Read the source, fetch (or read the cache), then add hosts and groups."""
        super(ApiInventory, self).parse(inventory, loader, path, cache)
        self._read_config_data(path)
        options = dict((name, self.option(name)) for name in self.CONNECTION_OPTIONS)
        # ca_path is a str option: ansible-core turns an empty `path` into the current directory, and an empty
        # CYBERWATCH_CA_PATH / CYSTACK_CA_PATH (an AWX credential without a CA bundle) means the system trust store.
        options['ca_path'] = os.path.expanduser(options['ca_path']) if options.get('ca_path') else None
        self.check_options(options)
        try:
            payload = self.load_payload(path, cache, options)
            hosts = self.build_hosts(payload)
        except (ApiError, MalformedAnswer) as exc:
            self.fail(api_error_message(self.NAME, exc))
        except ValueError as exc:  # a bad option value found while building the client or the query
            self.fail('%s: %s' % (self.NAME, exc))
        try:
            self.add_hosts(hosts)
        except ValueError as exc:
            self.fail('%s: %s' % (self.NAME, exc))

    def check_options(self, options):
        """Connection options that cannot work fail here, before any request."""
        for name in ('api_url', 'api_key'):
            if not options.get(name):
                self.fail('%s: option %s is required (or its environment variable)' % (self.NAME, name))
        if options.get('request_timeout') is not None and float(options['request_timeout']) <= 0:
            self.fail('%s: request_timeout must be greater than 0, got %s' % (self.NAME, options['request_timeout']))
        if options.get('max_retries') is not None and not 0 <= int(options['max_retries']) <= 10:
            self.fail('%s: max_retries must be between 0 and 10, got %s' % (self.NAME, options['max_retries']))
        if not 1 <= self.get_option('max_workers') <= 32:
            self.fail('%s: max_workers must be between 1 and 32, got %s' % (
                self.NAME, self.get_option('max_workers')))
        if not str(options['api_url']).lower().startswith(('http://', 'https://')):
            self.fail('%s: api_url must be an http:// or https:// URL, got %r' % (self.NAME, mask_url(str(options['api_url']))))
        for warning in connection_warnings(options):
            self.display.warning('%s: %s' % (self.NAME, warning))

    # -- cache ---------------------------------------------------------------------------------------------
    def cache_key(self, path, options):
        """Per source file and per fetch-relevant options (URL, filters, ...), never per secret."""
        relevant = dict((name, self.get_option(name)) for name in self.PAYLOAD_OPTIONS)
        relevant['api_url'] = options.get('api_url')
        digest = hashlib.sha256(json.dumps(relevant, sort_keys=True, default=str).encode('utf-8')).hexdigest()[:12]
        return '%s_%s' % (self.get_cache_key(path), digest)

    def open_cache(self):
        """The configured cache plugin without an expiry of its own: the payload carries its fetch time, compared with
        cache_timeout here, so that a stale payload is still there for a refresh to reuse what did not change."""
        options = dict((key, self.get_option(name)) for key, name in (
            ('_uri', 'cache_connection'), ('_prefix', 'cache_prefix')) if self.get_option(name) is not None)
        self._cache = type(self._cache)(self.get_option('cache_plugin'), _timeout=0, **options)  # pylint: disable=access-member-before-definition

    def check_cache_directory(self):
        """Warn when the cache directory (cache_connection, of a cache plugin that stores files) exists and another
        user could write in it: a payload planted there would be read as this source's API answer."""
        directory = self.get_option('cache_connection')
        if not directory:
            return
        directory = os.path.expanduser(os.path.expandvars(str(directory)))
        try:
            info = os.stat(directory)
        except OSError:  # not there (yet: the cache plugin creates it under the user's umask), or not a path
            return
        if not stat.S_ISDIR(info.st_mode):
            return
        reasons = []
        if info.st_mode & 0o022:
            reasons.append('writable by group or others (mode %04o)' % stat.S_IMODE(info.st_mode))
        if info.st_uid != os.geteuid():
            reasons.append('owned by another user (uid %d)' % info.st_uid)
        if reasons:
            self.display.warning(
                '%s: the inventory cache directory %s is %s: another user could plant a payload that this source '
                'would read as the API answer. Use a private directory (for example '
                '~/.cache/secops.vulnmgmt/inventory).' % (self.NAME, directory, ' and '.join(reasons)))

    def fresh(self, entry):
        """Whether a cache entry is younger than cache_timeout (0: never stale)."""
        timeout = float(self.get_option('cache_timeout') or 0)
        fetched_at = entry.get(FETCHED_AT) if isinstance(entry, dict) else None
        if not isinstance(fetched_at, (int, float)):
            return False
        return timeout <= 0 or 0 <= time.time() - fetched_at <= timeout

    def load_payload(self, path, cache, options):
        """The raw API payload: the cached one while it is fresh (cache: true, no --flush-cache), else from the API
        (then cached), reusing what a stale cached payload holds where fetch_payload can tell it did not change."""
        use_cache = bool(self.get_option('cache'))
        previous = None
        if use_cache:
            self.check_cache_directory()
            self.open_cache()
            key = self.cache_key(path, options)
            if cache:
                entry = self._cache.get(key)
                previous = unpack(entry)
                if previous is not None and self.fresh(entry):
                    return previous
        payload = self.fetch_payload(options, previous)
        if use_cache:
            self._cache[key] = pack(payload)
        return payload

    # -- hosts ---------------------------------------------------------------------------------------------
    def add_hosts(self, hosts):
        """Name the hosts build_hosts made (hostnames, then duplicate_hostnames, then existing_hosts) and add them,
        with their hostvars marked untrusted."""
        inventory = self.inventory
        existing = set(inventory.hosts)
        groups_taken = set(inventory.groups).union(self.get_option('groups') or (),
                                                   (group for host in hosts for group in host[2]))
        candidates = []
        for record_id, hostvars, groups, fields in hosts:
            hostvars = trust.untrusted(hostvars)
            candidates.append((self.hostname(record_id, fields, hostvars, groups_taken), record_id,
                               (record_id, hostvars, groups)))
        named = resolve_duplicates(candidates, self.get_option('duplicate_hostnames'),
                                   self.display.warning)
        self.populate(self.place_existing(named, existing, groups_taken))

    def hostname(self, record_id, fields, hostvars, groups_taken):
        """The first `hostnames` preference (a field name of fields, else a Jinja expression) that gives a plain host
        name naming no group, else the record id; each refused value is a warning."""
        for preference in self.get_option('hostnames') or ():
            if preference in fields:
                value = fields[preference]
            else:
                value = self.expression(preference, hostvars)
            if value in (None, '') or not str(value).strip():
                continue
            name = str(value).strip()
            problem = trust.host_name_problem(name, groups_taken)
            if problem is None:
                return name
            self.display.warning('%s: record id %s: host name %s refused (%s); trying the next hostnames preference' % (
                self.NAME, shorten(record_id), shorten(name), problem))
        name = str(record_id)
        problem = trust.host_name_problem(name, groups_taken)
        if problem is not None:
            raise ValueError('record id %s cannot be a host name either (%s)' % (shorten(record_id), problem))
        return name

    def expression(self, template, hostvars):
        try:
            return self._compose(template, hostvars)
        except Exception as exc:  # pylint: disable=broad-except
            if self.get_option('strict'):
                raise ValueError('hostnames expression %r failed: %s' % (template, exc))
            return None

    def place_existing(self, named, existing, groups_taken):
        """[(name, item)] where no name is a host another inventory source defined (existing), by existing_hosts:
        rename to <name>_<id>, skip (both with a warning) or merge (set the variables on that host)."""
        policy = self.get_option('existing_hosts')
        if policy not in EXISTING_HOST_POLICIES:
            raise ValueError('existing_hosts must be one of %s, got %r' % (', '.join(EXISTING_HOST_POLICIES), policy))
        if policy == 'merge' or not existing.intersection(name for name, dummy in named):
            return named
        names = set(name for name, dummy in named)
        placed = []
        for name, item in named:
            if name not in existing:
                placed.append((name, item))
                continue
            record_id = item[0]
            if policy == 'skip':
                self.display.warning('%s: record id %s: host %r is defined by another inventory source: left out '
                                     '(existing_hosts=skip)' % (self.NAME, shorten(record_id), name))
                continue
            unique = '%s_%s' % (name, record_id)
            problem = trust.host_name_problem(unique, groups_taken) or (
                'it is taken too' if unique in existing or unique in names else None)
            if problem:
                raise ValueError('record id %s: host %r is defined by another inventory source and cannot be renamed to '
                                 '%r: %s (existing_hosts=rename)' % (shorten(record_id), name, unique, problem))
            self.display.warning('%s: record id %s: host %r is defined by another inventory source: added as %r '
                                 '(existing_hosts=rename)' % (self.NAME, shorten(record_id), name, unique))
            names.add(unique)
            placed.append((unique, item))
        return placed

    def populate(self, named):
        """Add every host with its hostvars and built-in groups, then compose, groups and keyed_groups."""
        inventory = self.inventory
        strict = self.get_option('strict')
        compose = self.get_option('compose')
        conditionals = self.get_option('groups')
        keyed = self.get_option('keyed_groups')
        known_groups = set()
        for name, (dummy, hostvars, groups) in named:
            inventory.add_host(name)
            for key, value in hostvars.items():
                inventory.set_variable(name, key, value)
            for group in groups:
                if group not in known_groups:
                    inventory.add_group(group)
                    known_groups.add(group)
                inventory.add_child(group, name)
            if compose:
                self._set_composite_vars(compose, hostvars, name, strict=strict)
            if conditionals:
                self._add_host_to_composed_groups(conditionals, hostvars, name, strict=strict)
            if keyed:
                self._add_host_to_keyed_groups(keyed, hostvars, name, strict=strict)

    def checked_address(self, record_id, address):
        """address, when it can be an ansible_host; else None, with a warning naming the record and the value."""
        if address in (None, ''):
            return None
        problem = trust.address_problem(address)
        if problem is None:
            return address
        self.display.warning('%s: record id %s: ansible_host %s refused (%s); the host has no ansible_host' % (
            self.NAME, shorten(record_id), shorten(address), problem))
        return None


def pack(payload):
    """The cache entry of a payload: its fetch time, and the payload as one text (JSON, zlib, base64). ansible-core
    deep-copies every cached value after writing it, and its JSON cache plugins escape and decode object by object:
    one short string costs neither (at 10,000 servers with details, the nested payload took most of a refresh)."""
    text = json.dumps(payload, separators=(',', ':')).encode('utf-8')
    return {FETCHED_AT: time.time(), PAYLOAD: base64.b64encode(zlib.compress(text, 1)).decode('ascii')}


def unpack(entry):
    """The payload of a cache entry, or None (no entry, or one in another format: then it is fetched again)."""
    text = entry.get(PAYLOAD) if isinstance(entry, dict) else None
    if not isinstance(text, str):
        return None
    try:
        payload = json.loads(zlib.decompress(base64.b64decode(text.encode('ascii'), validate=True)))
    except (ValueError, zlib.error, UnicodeError):
        return None
    return payload if isinstance(payload, dict) else None


def api_error_message(name, exc):
    """The message a failed source shows: plugin name, then the ApiError (method, path, server message)."""
    return '%s: the inventory source failed, no host was added: %s' % (name, exc)
