# -*- coding: utf-8 -*-
# Copyright: secops.vulnmgmt contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
name: cystack
short_description: CyStack targets as an Ansible inventory
version_added: 0.1.0
description:
  - One host per CyStack target (C(GET /v1/targets), every page), grouped by ownership verification and,
    optionally, by the severity of their open vulnerabilities.
  - The source file name must end with C(.cystack.yml) or C(.cystack.yaml).
  - O(last_scan=true) adds one pass over the scan list and O(vulnerability_counts=true) one pass over the
    vulnerability list, whatever the number of targets; there is never one request per target.
  - B(Any API failure fails the whole source) (authentication, HTTP 5xx after the retries, an unreadable page);
    no host is added, and the error names the method, the path and the server message. ansible-core then reports
    the source as unparsed; set E(ANSIBLE_INVENTORY_UNPARSED_FAILED=true) (AWX does) to make that fatal.
  - Option values that contain Jinja (for example V({{ lookup('env', 'MY_KEY'\) }})) are templated.
  - B(API data is untrusted.) Every hostvar taken from the API is marked unsafe, so Ansible never templates it
    (ansible-core's unsafe marking before 2.19, data tagging from 2.19 on). A listing whose records have the wrong
    types (a record that is not an object, a missing id, an address that is not a string, a scan C(target) that is not
    an object) fails the source with the request and the record; no record is dropped. A target address whose host
    part cannot be read leaves C(cystack_host) and C(ansible_host) unset, with a warning naming the target id.
  - C(ansible_host) is set to the host part of the target URL (C(cystack_host)) only when it is an IP address or a
    DNS name (not C(localhost), nor a loopback, unspecified or multicast address); otherwise it is not set, with a
    warning naming the target id and the value.
  - With O(cache=true), a cache directory (O(cache_connection)) that exists and is writable by group or others, or
    owned by another user, gets a warning (another user could plant a payload there). Keep it private, for example
    C(~/.cache/secops.vulnmgmt/inventory).
author:
  - secops.vulnmgmt maintainers (@secops)
extends_documentation_fragment:
  - constructed
  - inventory_cache
  - secops.vulnmgmt.cystack.PLUGINS
  - secops.vulnmgmt.inventory
options:
  plugin:
    description: Marks the file as a source for this plugin.
    type: str
    required: true
    choices: [secops.vulnmgmt.cystack]
  hostnames:
    description:
      - Ordered preference for the inventory hostname of a target; the first one that gives a non-empty value wins.
      - V(host) is the host part of the target URL (C(https://shop.example.com:8443/app) gives C(shop.example.com)),
        V(address) the whole URL, V(id) the target id.
      - Any other entry is a Jinja expression evaluated with the target's hostvars.
      - A value (of a field or of an expression) becomes the host name only if it is a plain host name (letters,
        digits, C(_), C(.) and C(-), at most 253 characters, not starting with C(-) or C(.); an IPv6 address is
        not one) that is neither C(localhost), a loopback address, C(all), C(ungrouped), nor the name of a group (a
        group of the inventory sources read before, a group this source makes or a group of O(groups); the names
        O(keyed_groups) makes are not known yet). A refused value gives a warning naming the target id, the value
        and the reason, and the next entry is tried.
      - When no entry gives a value, the target id is used. The name depends only on the target's data, this option
        and the inventory read before this source, never on the order of the answers.
    type: list
    elements: str
    default: [host, id]
  duplicate_hostnames:
    description:
      - What to do when several targets get the same hostname (for example V(http://x) and V(https://x)).
        Targets are considered in id order and the lowest id keeps the plain name.
      - V(suffix) names the others C(<name>_<id>); V(skip) leaves them out with one warning each; V(error) fails.
    type: str
    choices: [suffix, skip, error]
    default: suffix
  group_prefix:
    description:
      - Prefix of the groups this plugin makes, C(<prefix>verified) and C(<prefix>unverified) (target ownership),
        and with O(vulnerability_counts=true) C(<prefix>vuln_high), C(<prefix>vuln_medium), C(<prefix>vuln_low)
        and C(<prefix>vuln_information) (at least one open vulnerability of that severity).
    type: str
    default: cystack_
  last_scan:
    description:
      - Add C(cystack_last_scan), the target's most recent scan by start time (C(id), C(status), C(profile),
        C(start_time) in ISO 8601 UTC, C(vulnerabilities) found), or null when it was never scanned.
    type: bool
    default: false
  vulnerability_counts:
    description:
      - Add C(cystack_vulnerability_counts) (C(high), C(medium), C(low), C(information)) and
        C(cystack_vulnerabilities_count), and the C(vuln_*) groups.
      - Vulnerabilities marked as false positives are not counted. They are matched to targets by address.
    type: bool
    default: false
  max_workers:
    description:
      - How many pages of a listing are read at the same time (1 to 32), through one pooled HTTP session, once the
        first page told the total (DRF C(count)); the API serves 10 records a page, so 2,000 targets are 200 pages.
      - V(1) reads the pages one after another, following C(next).
    type: int
    default: 8
    version_added: 0.2.0
notes:
  - In AWX and Automation Controller, to disable the targets whose ownership is not verified, set the inventory
    source's I(Enabled Variable) to C(cystack_verified) and I(Enabled Value) to C(true). The plugin sets no
    reachability or uptime-monitoring variable.
'''

EXAMPLES = r'''
# The smallest source is a file inventory/web.cystack.yml holding one line,
#   plugin: secops.vulnmgmt.cystack
# with the API key in CYSTACK_API_KEY.

# A fuller source: scan state and open findings, with a group of the verified targets that have high findings
plugin: secops.vulnmgmt.cystack
api_key: "{{ lookup('ansible.builtin.env', 'MY_CYSTACK_TOKEN') }}"
last_scan: true
vulnerability_counts: true
groups:
  fix_first: cystack_verified and cystack_vulnerability_counts.high > 0
keyed_groups:
  - key: cystack_last_scan.status | default('never', true)
    prefix: scan
'''

from urllib.parse import urlparse

from ansible_collections.secops.vulnmgmt.plugins.module_utils.cystack_module import cystack_client
from ansible_collections.secops.vulnmgmt.plugins.module_utils.cystack import normalize_scan, normalize_target
from ansible_collections.secops.vulnmgmt.plugins.module_utils.cystack_severities import SEVERITIES
from ansible_collections.secops.vulnmgmt.plugins.plugin_utils.inventory import (
    ApiInventory, Record, listing, sanitize, shorten,
)

# The request each part of the payload comes from, for the messages (paths as the client names them).
TARGETS = 'GET /targets'
SCANS = 'GET /scans'
VULNERABILITIES = 'GET /vulnerabilities'


def address_key(address):
    """Addresses compare without case and trailing slash."""
    return str(address or '').strip().rstrip('/').lower()


def url_host(address):
    """Host part of a target URL; a bare name or IP is returned as it is. ValueError when it is no URL."""
    text = str(address or '').strip()
    parsed = urlparse(text if '://' in text else '//' + text)
    return parsed.hostname or None


class InventoryModule(ApiInventory):

    NAME = 'secops.vulnmgmt.cystack'
    FILE_SUFFIXES = ('.cystack.yml', '.cystack.yaml')
    PREFIX = 'cystack_'
    CONNECTION_OPTIONS = ('api_url', 'api_key', 'validate_certs', 'ca_path', 'request_timeout', 'max_retries')
    PAYLOAD_OPTIONS = ('last_scan', 'vulnerability_counts')

    # -- fetch (raw API answers only: this is what the cache stores) ---------------------------------------
    def fetch_payload(self, options, previous=None):
        del previous  # every listing is read whole: there are no per-target requests to spare
        client = cystack_client(options)
        workers = self.get_option('max_workers')
        payload = {'targets': client.list('/targets', max_workers=workers)}
        if self.get_option('last_scan'):
            payload['scans'] = client.list('/scans', max_workers=workers)
        if self.get_option('vulnerability_counts'):
            payload['vulnerabilities'] = client.list('/vulnerabilities', max_workers=workers)
        return payload

    # -- build (new objects only: the payload may be the cached one) -------------------------------------
    def build_hosts(self, payload):
        last_scans = last_scan_by_target(listing(payload, 'scans', SCANS)) if 'scans' in payload else None
        counts = severity_counts(listing(payload, 'vulnerabilities', VULNERABILITIES)) if 'vulnerabilities' in payload else None
        prefix = self.get_option('group_prefix')
        hosts = []
        for index, raw in enumerate(listing(payload, 'targets', TARGETS)):
            record = Record(TARGETS, raw, 'record %d' % index)
            target = normalize_target(raw)
            target_id = record.identify(target.get('id'))
            record.check('verification', target.get('verification'), 'a number')
            address = record.check('address', target.get('address'), 'a string')
            try:
                host = url_host(address)
            except ValueError:  # the scanned site chose its address: one that no URL parser reads is data, not a fault
                host = None
                self.display.warning('%s: record id %s: address %s has no readable host; cystack_host and ansible_host '
                                     'are not set' % (self.NAME, shorten(target_id), shorten(address)))
            hostvars = {
                'cystack_id': target_id,
                'cystack_address': target.get('address'),
                'cystack_host': host,
                'cystack_verified': bool(target.get('verified')),
                'cystack_verification': target.get('verification'),
            }
            if self.checked_address(target_id, host):
                hostvars['ansible_host'] = host
            groups = [prefix + ('verified' if hostvars['cystack_verified'] else 'unverified')]
            if last_scans is not None:
                hostvars['cystack_last_scan'] = last_scans.get(target_id)
            if counts is not None:
                found = dict(counts.get(address_key(target.get('address'))) or dict((sanitize(s), 0) for s in SEVERITIES))
                hostvars['cystack_vulnerability_counts'] = found
                hostvars['cystack_vulnerabilities_count'] = sum(found.values())
                groups.extend('%svuln_%s' % (prefix, severity) for severity, count in found.items() if count)
            fields = {'host': host, 'address': target.get('address'), 'id': target_id}
            hosts.append((target_id, hostvars, groups, fields))
        return hosts


def last_scan_by_target(scans):
    """{target id: summary of its latest scan by start time} from one pass over the scan list."""
    latest = {}
    for index, raw in enumerate(scans):
        record = Record(SCANS, raw, 'record %d' % index)
        for field in ('vuln_href', 'noti_href'):
            record.get(field, 'a list')
        target = record.get('target', 'an object') or {}
        record.check('target.id', target.get('id'), ('a string', 'a number'))
        scan = normalize_scan(raw)
        target_id = (scan.get('target') or {}).get('id')
        key = (scan.get('start_time_epoch') or 0, str(scan.get('id')))
        if target_id and (target_id not in latest or key > latest[target_id][0]):
            latest[target_id] = (key, {
                'id': scan.get('id'), 'status': scan.get('status'), 'profile': scan.get('profile'),
                'start_time': scan.get('start_time'), 'vulnerabilities': scan.get('vulnerabilities'),
            })
    return dict((target_id, summary) for target_id, (dummy, summary) in latest.items())


def severity_counts(vulnerabilities):
    """{address key: {high, medium, low, information}} from one pass, false positives left out."""
    counts = {}
    for index, vuln in enumerate(vulnerabilities):
        record = Record(VULNERABILITIES, vuln, 'record %d' % index)
        record.get('severity', 'a string')
        target = record.get('target', ('an object', 'a string'))
        if vuln.get('false_positive') in (True, 'true', 'True'):
            continue
        address = target.get('address') if isinstance(target, dict) else target
        per_target = counts.setdefault(address_key(address), dict((sanitize(s), 0) for s in SEVERITIES))
        severity = sanitize(vuln.get('severity') or 'unknown')
        per_target[severity] = per_target.get(severity, 0) + 1
    return counts
