# -*- coding: utf-8 -*-
# Copyright: secops.vulnmgmt contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
name: cyberwatch
short_description: Cyberwatch servers as an Ansible inventory
version_added: 0.1.0
description:
  - One host per Cyberwatch server (C(GET /api/v3/vulnerabilities/servers), every page), grouped by Cyberwatch
    group, optionally by OS, environment, category and status, and by vulnerability state.
  - The source file name must end with C(.cyberwatch.yml) or C(.cyberwatch.yaml).
  - The listing takes C(ceil(servers / page_size)) requests. Once the first page tells the total (C(X-Total) or
    C(Link rel="last")), the other pages are read O(max_workers) at a time, in page order; a server that announces
    no total is read page by page, following C(Link rel="next").
  - O(details=true) adds one request per server, made O(max_workers) at a time, plus one listing of the active CVE
    announcements.
  - B(Incremental refresh) with O(details=true) and the inventory cache (O(cache=true)). While the cached payload
    is younger than O(cache_timeout), it is used as it is, without any request. Once it is older, a refresh lists
    the servers again and fetches the detail only of the servers that are new or whose C(analyzed_at) (a new
    analysis; C(last_communication) for a server that does not list C(analyzed_at)), C(cve_announcements_count),
    C(prioritized_cve_announcements_count) or C(updates_count) changed since the cached listing; the other details
    are taken from the cache, and the servers that are gone are dropped. The hostvars are the same as after a full
    refresh. C(--flush-cache) forces a full refresh (every detail is fetched again).
  - The cache keeps the listing, the CVE levels and, of each detail, the codes of the active CVEs and the pending
    updates, as one compressed JSON text with its fetch time. The entry does not expire in the cache plugin itself
    (the plugin compares its fetch time with O(cache_timeout)), so that a refresh can reuse it.
  - B(Any API failure fails the whole source) (authentication, HTTP 5xx after the retries, an unreadable or
    truncated page, a failed detail request); no host is added, and the error names the method, the path and the
    server message. ansible-core then reports the source as unparsed; set E(ANSIBLE_INVENTORY_UNPARSED_FAILED=true)
    (AWX does) to make that fatal instead of a warning.
  - Option values that contain Jinja (for example V({{ lookup('env', 'MY_KEY'\) }})) are templated.
  - B(Scanner data is untrusted.) Every hostvar taken from the API is marked unsafe, so Ansible never templates it
    (ansible-core's unsafe marking before 2.19, data tagging from 2.19 on), so a hostname holding C({{ ... }}) is
    printed as it is, never run. A listing, a detail or a compliance listing whose records have the wrong types (a
    record that is not an object, a missing id, C(groups) or C(addresses) not a list, C(os) or C(environment) not an
    object, counts that are not numbers) fails the source with the request and the record; no record is dropped.
  - C(ansible_host) is set to the server's first address (C(addresses[0])) only when it is an IP address or a DNS
    name (not C(localhost), nor a loopback, unspecified or multicast address); otherwise it is not set, with a warning
    naming the server id and the value.
  - With O(cache=true), a cache directory (O(cache_connection)) that exists and is writable by group or others, or
    owned by another user, gets a warning (another user could plant a payload there). Keep it private, for example
    C(~/.cache/secops.vulnmgmt/inventory).
author:
  - secops.vulnmgmt maintainers (@secops)
extends_documentation_fragment:
  - constructed
  - inventory_cache
  - secops.vulnmgmt.cyberwatch.PLUGINS
  - secops.vulnmgmt.inventory
options:
  plugin:
    description: Marks the file as a source for this plugin.
    type: str
    required: true
    choices: [secops.vulnmgmt.cyberwatch]
  hostnames:
    description:
      - Ordered preference for the inventory hostname of a server; the first one that gives a non-empty value wins.
      - V(hostname) is the Cyberwatch hostname, V(address) the first address, V(id) the server id.
      - Any other entry is a Jinja expression evaluated with the server's hostvars
        (for example V(cyberwatch_hostname.split('.'\)[0])).
      - A value (of a field or of an expression) becomes the host name only if it is a plain host name (letters,
        digits, C(_), C(.) and C(-), at most 253 characters, not starting with C(-) or C(.)) that is neither
        C(localhost), a loopback address, C(all), C(ungrouped), nor the name of a group (a group of the inventory
        sources read before, a group this source makes or a group of O(groups); the names O(keyed_groups) makes are
        not known yet). A refused value gives a warning naming the server id, the value and the reason, and the next
        entry is tried.
      - When no entry gives a value, the server id is used, so every server gets a stable name. The name depends
        only on the server's data, this option and the inventory read before this source, never on the order of the
        answers.
    type: list
    elements: str
    default: [hostname, address, id]
  duplicate_hostnames:
    description:
      - What to do when several servers get the same hostname. Servers are considered in increasing id order and
        the lowest id always keeps the plain name.
      - V(suffix) names the others C(<name>_<id>) (for example C(web-01.example.com_4711)).
      - V(skip) leaves the others out, with one warning each.
      - V(error) fails the source, naming the ids.
    type: str
    choices: [suffix, skip, error]
    default: suffix
  page_size:
    description: Servers per page (C(per_page)). The server may cap it.
    type: int
    default: 100
  filters:
    description:
      - Server-side filters of the servers listing, checked again on each answer.
      - Accepted keys are V(hostname) (exact), V(group_id) (one Cyberwatch group id), V(reboot_required),
        V(communication_failed) and V(active) (booleans).
    type: dict
    default: {}
  include_groups:
    description: Keep only the servers in at least one of these Cyberwatch groups (names, compared exactly).
    type: list
    elements: str
    default: []
  exclude_groups:
    description: Leave out the servers in any of these Cyberwatch groups (names). Exclusion wins over inclusion.
    type: list
    elements: str
    default: []
  group_prefix:
    description:
      - Prefix of the group made for each Cyberwatch group. The Cyberwatch name is sanitised (lower case, any run
        of characters other than letters, digits and C(_) becomes one C(_)), so C(Web Servers) gives
        C(cyberwatch_group_web_servers).
      - Set it to an empty string to use the sanitised Cyberwatch names as they are.
    type: str
    default: cyberwatch_group_
  builtin_group_prefix:
    description:
      - Prefix of every other group this plugin makes.
      - Always made, C(<prefix>reboot_required) (the server needs a reboot) and C(<prefix>vulnerable)
        (C(prioritized_cve_announcements_count > 0)).
      - With O(details=true), C(<prefix>cve_critical), C(<prefix>cve_high), C(<prefix>cve_medium) and
        C(<prefix>cve_low) (at least one active CVE of that level).
      - With O(compliance=true), C(<prefix>compliance_failed) (at least one compliance rule failed).
      - With O(group_by), C(<prefix>os_<os key>), C(<prefix>os_type_<family>), C(<prefix>environment_<name>),
        C(<prefix>category_<category>) and C(<prefix>status_<status>), with sanitised values.
    type: str
    default: cyberwatch_
  group_by:
    description: Extra groups to make from server attributes (see O(builtin_group_prefix)).
    type: list
    elements: str
    choices: [os, os_type, environment, category, status]
    default: []
  details:
    description:
      - Fetch each server's detail to add C(cyberwatch_cve_counts) (active CVEs by level), C(cyberwatch_pending_updates)
        and C(cyberwatch_pending_updates_count), and the C(cve_*) groups.
      - The CVE levels come from one listing of the active CVE announcements. Ignored and fixed CVEs are not counted;
        a CVE missing from that listing is counted under C(unknown).
    type: bool
    default: false
  compliance:
    description:
      - Add the compliance results of each server, read from one more listing (every page) of
        C(/api/v3/compliance/servers), the hostvars C(cyberwatch_compliance_failed_count) and
        C(cyberwatch_compliance_rules_count) (V(null) for a server that listing does not show) and the group
        C(<builtin_group_prefix>compliance_failed).
      - V(false) makes no extra request.
    type: bool
    default: false
  max_workers:
    description:
      - How many requests run at the same time (1 to 32), through one pooled HTTP session, once the first page of a
        listing told the total, and for the server details with O(details=true).
      - V(1) reads everything one request after another.
    type: int
    default: 8
notes:
  - 'In AWX and Automation Controller, to disable the servers Cyberwatch cannot reach, compose a boolean in the source,
    C(compose: {cyberwatch_reachable: "cyberwatch_status != ''server_update_comm_fail''"}), and set the inventory
    source''s I(Enabled Variable) to C(cyberwatch_reachable) and I(Enabled Value) to C(true).
    C(cyberwatch_status) has one value per server state (C(server_update_comm_fail) when the communication failed),
    so it cannot be the enabled variable itself.'
'''

EXAMPLES = r'''
# The smallest source is a file inventory/prod.cyberwatch.yml holding one line,
#   plugin: secops.vulnmgmt.cyberwatch
# with the credentials in CYBERWATCH_API_URL, CYBERWATCH_API_KEY and CYBERWATCH_SECRET_KEY.

# A fuller source: only the active servers of group 3, short names, with CVE counts, groups per OS and environment,
# and the API answers cached for an hour (--flush-cache refetches; on ansible-core 2.16 only ansible-playbook has it)
plugin: secops.vulnmgmt.cyberwatch
api_url: https://cyberwatch.example.com
api_key: "{{ lookup('ansible.builtin.env', 'CBW_KEY_ID') }}"
secret_key: "{{ lookup('ansible.builtin.env', 'CBW_SECRET') }}"
filters:
  group_id: 3
  active: true
exclude_groups: [decommissioning]
hostnames:
  - cyberwatch_hostname.split('.')[0]
  - id
duplicate_hostnames: skip
details: true
max_workers: 8
group_by: [os_type, environment]
keyed_groups:
  - key: cyberwatch_category
    prefix: category
groups:
  patch_now: cyberwatch_reboot_required and cyberwatch_cve_counts.critical > 0
compose:
  ansible_user: "'Administrator' if cyberwatch_os.type == 'Os::Windows' else 'ansible'"
  # for AWX: Enabled Variable cyberwatch_reachable, Enabled Value true
  cyberwatch_reachable: "cyberwatch_status != 'server_update_comm_fail'"
cache: true
cache_plugin: ansible.builtin.jsonfile
cache_connection: ~/.cache/secops.vulnmgmt/inventory  # private: not /tmp or /var/tmp
cache_timeout: 3600
'''

from ansible_collections.secops.vulnmgmt.plugins.module_utils.cyberwatch_module import cyberwatch_client
from ansible_collections.secops.vulnmgmt.plugins.module_utils.cyberwatch import RESOURCES, ROUTES
from ansible_collections.secops.vulnmgmt.plugins.module_utils.cyberwatch_servers import (
    COUNT_FIELDS, analysis_key, changed_details,
)
from ansible_collections.secops.vulnmgmt.plugins.module_utils.listing import kind
from ansible_collections.secops.vulnmgmt.plugins.plugin_utils.inventory import (
    ApiInventory, MalformedAnswer, Record, listing, sanitize, shape, shorten,
)

SERVER_FILTERS = RESOURCES['server'].filters
# Client-side check of each server-side filter on a listed server.
FILTER_CHECKS = {
    'hostname': lambda server, value: str(server.get('hostname')) == str(value),
    'group_id': lambda server, value: any(str(g.get('id')) == str(value) for g in server.get('groups') or ()),
    'reboot_required': lambda server, value: bool(server.get('reboot_required')) == _bool(value),
    'communication_failed': lambda server, value: (server.get('status') == 'server_update_comm_fail') == _bool(value),
}
LEVELS = ('critical', 'high', 'medium', 'low')
# What build_hosts, the filter checks and analysis_key read of a listed server: the payload (hence the cache) keeps
# only these, of its environment only the name and of its groups only id and name. The rest of a listed server
# (compliance groups, environment requirements, group colours, dates) was about 40 % of a cached payload, encoded at
# every refresh and decoded at the next one.
SERVER_FIELDS = ('id', 'hostname', 'addresses', 'os', 'category', 'status', 'environment', 'groups', 'reboot_required',
                 'last_communication', 'analyzed_at') + COUNT_FIELDS

# The types of what build_hosts, the filter checks and the hostvars read of a listed server.
SERVER_SHAPE = shape(*([(field, 'a string') for field in ('hostname', 'category', 'status')]
                       + [(field, 'a number') for field in COUNT_FIELDS]
                       + [('addresses', 'a list', 'a string'), ('os', 'an object'), ('os.key', 'a string'),
                          ('os.type', 'a string'), ('environment', 'an object'), ('environment.name', 'a string'),
                          ('groups', 'a list', 'an object'), ('groups[].name', 'a string')]))


def server_summary(server):
    """A listed server with only SERVER_FIELDS (a field the server did not list stays absent)."""
    summary = {field: server[field] for field in SERVER_FIELDS if field in server}
    if isinstance(summary.get('environment'), dict):
        summary['environment'] = {'name': summary['environment'].get('name')}
    if isinstance(summary.get('groups'), list):
        summary['groups'] = [{key: group[key] for key in ('id', 'name') if key in group} if isinstance(group, dict)
                             else group for group in summary['groups']]
    return summary


def detail_summary(detail, request):
    """What the hostvars use from a server detail (what the cache keeps of it): the codes of its active CVEs (neither
    ignored nor fixed) and its pending updates (not ignored). request names the detail's GET in a MalformedAnswer."""
    record = Record(request, detail, 'the server detail')
    cves = record.get('cve_announcements', 'a list', 'an object') or ()
    for position, cve in enumerate(cves):
        record.check('cve_announcements[%d].cve_code' % position, cve.get('cve_code'), 'a string')
    updates = record.get('updates', 'a list', 'an object') or ()
    for position, update in enumerate(updates):
        for field in ('target', 'current'):
            record.check('updates[%d].%s' % (position, field), update.get(field), 'an object')
        record.check('updates[%d].cve_announcements' % position, update.get('cve_announcements'), 'a list', 'a string')
    return {
        'active_cves': [c.get('cve_code') for c in cves if not c.get('ignored') and not c.get('fixed_at')],
        'updates': [{'product': (u.get('target') or u.get('current') or {}).get('product'),
                     'current_version': (u.get('current') or {}).get('version'),
                     'target_version': (u.get('target') or {}).get('version'),
                     'patchable': u.get('patchable'),
                     'cve_announcements': list(u.get('cve_announcements') or ())}
                    for u in updates if not u.get('ignored')],
    }


def _bool(value):
    return value if isinstance(value, bool) else str(value).strip().lower() in ('1', 'true', 'yes', 'on')


class InventoryModule(ApiInventory):

    NAME = 'secops.vulnmgmt.cyberwatch'
    FILE_SUFFIXES = ('.cyberwatch.yml', '.cyberwatch.yaml')
    PREFIX = 'cyberwatch_'
    CONNECTION_OPTIONS = ('api_url', 'api_key', 'secret_key', 'auth_method', 'api_routes', 'validate_certs',
                          'ca_path', 'request_timeout', 'max_retries')
    PAYLOAD_OPTIONS = ('api_routes', 'filters', 'page_size', 'details', 'compliance')

    def check_options(self, options):
        super(InventoryModule, self).check_options(options)
        if not options.get('secret_key'):
            self.fail('%s: option secret_key is required (or its environment variable)' % self.NAME)
        unknown = sorted(set(self.get_option('filters') or {}) - set(SERVER_FILTERS))
        if unknown:
            self.fail('%s: unknown filters %s; accepted: %s' % (self.NAME, ', '.join(unknown), ', '.join(SERVER_FILTERS)))
        if self.get_option('page_size') < 1:
            self.fail('%s: page_size must be at least 1, got %s' % (self.NAME, self.get_option('page_size')))

    # -- fetch (API answers, of a server and of a detail their summary: this is what the cache stores) ----------
    def fetch_payload(self, options, previous=None):
        client = cyberwatch_client(options)
        per_page = self.get_option('page_size')
        workers = self.get_option('max_workers')
        servers = [server_summary(self.check_server(index, server)) for index, server in enumerate(
            client.list('server', self.get_option('filters'), per_page, max_workers=workers))]
        payload = {'servers': servers}
        if self.get_option('details'):
            # Detail lists carry CVE codes, not levels: one listing of the active CVEs maps them.
            cves = client.list('cve_announcement', {'active': True}, per_page, max_workers=workers)
            payload['cve_levels'] = {}
            for index, cve in enumerate(cves):
                record = Record(self.request('cve_announcements'), cve, 'record %d' % index)
                payload['cve_levels'][record.get('cve_code', 'a string')] = record.get('level', 'a string')
            payload['details'] = self.fetch_details(client, servers, previous, workers)
        if self.get_option('compliance'):
            # [id, failed count, rules count] per server: all the hostvars and the group need of that listing.
            payload['compliance'] = []
            for index, item in enumerate(client.list('compliance_server', None, per_page, max_workers=workers)):
                record = Record(self.request('compliance_servers'), item, 'record %d' % index)
                payload['compliance'].append([record.identify(item.get('id')),
                                              record.get('compliance_rules_failed_count', 'a number'),
                                              record.get('compliance_rules_count', 'a number')])
        return payload

    def request(self, collection, record_id=None):
        """'GET <path>' of a collection (or of one of its records) on the configured route set, for messages."""
        path = (ROUTES.get(self.get_option('api_routes')) or ROUTES['current'])[collection]
        return 'GET %s' % (path if record_id is None else '%s/%s' % (path, record_id))

    def fetch_details(self, client, servers, previous, workers):
        """The detail summary of each server, in listing order: taken from a stale cached payload
        for a server whose listed analysis and counts did not change since, fetched for the others."""
        known = {}
        if previous and previous.get('details') is not None and len(previous['details']) == len(previous['servers']):
            known = dict((server.get('id'), (analysis_key(server), detail))
                         for server, detail in zip(previous['servers'], previous['details']))
        details, fetched = changed_details(
            servers, known, lambda server: detail_summary(client.request('GET', client.path('servers', server['id'])),
                                                          self.request('servers', server['id'])),
            workers)
        self.display.vvv('%s: %d server details fetched, %d reused from the cache' % (
            self.NAME, fetched, len(servers) - fetched))
        return details

    # -- build (new objects only: the payload may be the cached one) -------------------------------------
    def build_hosts(self, payload):
        filters = self.get_option('filters') or {}
        include = set(self.get_option('include_groups') or ())
        exclude = set(self.get_option('exclude_groups') or ())
        servers = listing(payload, 'servers', self.request('servers'))
        details = payload.get('details')
        if details is not None and (not isinstance(details, list) or len(details) != len(servers)):
            raise MalformedAnswer(self.request('servers'), 'the server details do not match the listing')
        cve_levels = payload.get('cve_levels') or {}
        if not isinstance(cve_levels, dict):
            raise MalformedAnswer(self.request('cve_announcements'), 'the CVE levels are %s' % kind(cve_levels))
        compliance = self.compliance_counts(payload['compliance']) if 'compliance' in payload else None
        hosts = []
        for index, server in enumerate(servers):
            self.check_server(index, server)
            names = [g.get('name') for g in server.get('groups') or () if g.get('name')]
            if exclude.intersection(names) or (include and not include.intersection(names)):
                continue
            if not all(FILTER_CHECKS[key](server, value) for key, value in filters.items()
                       if key in FILTER_CHECKS and value is not None):
                continue
            hostvars = self.server_vars(server, names)
            groups = self.server_groups(server, names)
            if details is not None:
                self.add_details(hostvars, groups, self.check_detail(server['id'], details[index]), cve_levels)
            if compliance is not None:
                self.add_compliance(hostvars, groups, compliance.get(server['id']) or (None, None))
            addresses = server.get('addresses')
            fields = {'hostname': server.get('hostname'), 'address': addresses[0] if addresses else None,
                      'id': server['id']}
            hosts.append((server['id'], hostvars, groups, fields))
        return hosts

    def check_server(self, index, server):
        """server (the index-th of the listing), when the fields the hostvars, groups and filters read are of their
        documented types (SERVER_SHAPE); else MalformedAnswer."""
        record = Record(self.request('servers'), server, 'record %d' % index)
        record.identify(server.get('id'))
        return record.fields(SERVER_SHAPE)

    def check_detail(self, server_id, summary):
        """The detail summary of a server (detail_summary, as cached), when it has the shape add_details reads."""
        record = Record(self.request('servers', server_id), summary, 'the server detail')
        record.get('active_cves', 'a list', ('a string', 'null'))
        for position, update in enumerate(record.get('updates', 'a list', 'an object') or ()):
            record.check('updates[%d].cve_announcements' % position, update.get('cve_announcements'), 'a list')
        return summary

    def compliance_counts(self, rows):
        """{server id: (failed count, rules count)} from the cached [id, failed, rules] rows."""
        if not isinstance(rows, list):
            raise MalformedAnswer(self.request('compliance_servers'), 'the compliance rows are %s' % kind(rows))
        counts = {}
        for index, row in enumerate(rows):
            if not (isinstance(row, list) and len(row) == 3 and kind(row[0]) in ('a number', 'a string')
                    and all(kind(count) in ('a number', 'null') for count in row[1:])):
                raise MalformedAnswer(self.request('compliance_servers'), 'row %d is %s, expected [id, failed count, '
                                      'rules count]' % (index, shorten(row)))
            counts[row[0]] = row[1:]
        return counts

    def server_vars(self, server, group_names):
        env = server.get('environment') or {}
        hostvars = {
            'cyberwatch_id': server['id'],
            'cyberwatch_hostname': server.get('hostname'),
            'cyberwatch_addresses': list(server.get('addresses') or ()),
            'cyberwatch_os': dict(server['os']) if isinstance(server.get('os'), dict) else None,
            'cyberwatch_category': server.get('category'),
            'cyberwatch_status': server.get('status'),
            'cyberwatch_environment': env.get('name'),
            'cyberwatch_groups': group_names,
            'cyberwatch_cve_announcements_count': server.get('cve_announcements_count'),
            'cyberwatch_prioritized_cve_announcements_count': server.get('prioritized_cve_announcements_count'),
            'cyberwatch_updates_count': server.get('updates_count'),
            'cyberwatch_reboot_required': bool(server.get('reboot_required')),
            'cyberwatch_last_communication': server.get('last_communication'),
        }
        address = self.checked_address(server['id'], hostvars['cyberwatch_addresses'][0]
                                       if hostvars['cyberwatch_addresses'] else None)
        if address:
            hostvars['ansible_host'] = address
        return hostvars

    def server_groups(self, server, group_names):
        prefix = self.get_option('group_prefix')
        builtin = self.get_option('builtin_group_prefix')
        groups = [prefix + safe for safe in map(sanitize, group_names) if safe]
        if server.get('reboot_required'):
            groups.append(builtin + 'reboot_required')
        if (server.get('prioritized_cve_announcements_count') or 0) > 0:
            groups.append(builtin + 'vulnerable')
        os_info = server.get('os') or {}
        env = server.get('environment') or {}
        values = {
            'os': os_info.get('key'),
            'os_type': str(os_info.get('type') or '').replace('Os::', '') or None,
            'environment': env.get('name'),
            'category': server.get('category'),
            'status': server.get('status'),
        }
        for attribute in self.get_option('group_by') or ():
            value = sanitize(values[attribute] or '')
            if value:
                groups.append('%s%s_%s' % (builtin, attribute, value))
        return groups

    def add_compliance(self, hostvars, groups, counts):
        failed, rules = counts
        hostvars['cyberwatch_compliance_failed_count'] = failed
        hostvars['cyberwatch_compliance_rules_count'] = rules
        if failed:
            groups.append(self.get_option('builtin_group_prefix') + 'compliance_failed')

    def add_details(self, hostvars, groups, summary, cve_levels):
        counts = dict((level, 0) for level in LEVELS)
        for code in (summary or {}).get('active_cves') or ():
            level = str(cve_levels.get(code) or 'unknown').replace('level_', '')
            counts[level] = counts.get(level, 0) + 1
        updates = [dict(u, cve_announcements=list(u['cve_announcements'])) for u in (summary or {}).get('updates') or ()]
        hostvars['cyberwatch_cve_counts'] = counts
        hostvars['cyberwatch_pending_updates'] = updates
        hostvars['cyberwatch_pending_updates_count'] = len(updates)
        builtin = self.get_option('builtin_group_prefix')
        groups.extend('%scve_%s' % (builtin, level) for level in LEVELS if counts[level])
