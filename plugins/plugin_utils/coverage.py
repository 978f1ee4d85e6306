# -*- coding: utf-8 -*-
# Copyright: secops.vulnmgmt contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Coverage reconciliation (controller only): the hosts of a play against the Cyberwatch servers of some groups, the
remote accesses and the CyStack targets. Pure Python, no I/O; the filter coverage_reconcile and gate_evaluate's
`coverage` kind use it.

Each host gets one category, the first that applies:
- ambiguous: several servers match its deciding name (matching.py's rules); none is picked;
- its server (matched by name, or the server its remote access produced):
  comm_failed (status server_update_comm_fail), never_scanned (no analysis date), stale (analysed longer than
  max_age ago, or an unreadable date), else covered;
- no server: never_scanned (a remote access that is invalid or has not produced a server yet), else unknown.
Platform side: orphans, the servers listed (in scope) that no host claims (a candidate of an ambiguous host is
claimed: it is never an orphan) and the CyStack targets whose host part is no host's name.

API strings only ever reach the result as data: subjects of platform records carry a prefix and a space, so they can
never be a plain inventory host name, and the filter marks the whole result untrusted."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from collections.abc import Mapping
from datetime import datetime, timedelta, timezone
from urllib.parse import urlsplit

from ansible.module_utils.common.text.converters import to_text

from ansible_collections.secops.vulnmgmt.plugins.module_utils.times import duration, timestamp
from ansible_collections.secops.vulnmgmt.plugins.plugin_utils.matching import (
    REMOTE_ACCESS_FIELDS, SERVER_FIELDS, ambiguity, index, match, wanted_names)

# The categories that are findings, in report order (covered hosts have none).
CATEGORIES = ('unknown', 'never_scanned', 'stale', 'comm_failed', 'ambiguous', 'orphans')
HOST_CATEGORIES = CATEGORIES[:-1] + ('covered',)
COMM_FAILED = 'server_update_comm_fail'
HELP = {
    'unknown': 'No Cyberwatch server of the groups in scope and no remote access matches the host: it is not scanned.',
    'never_scanned': 'The host is declared to Cyberwatch (a remote access, or a server) but has never been analysed: '
                     'the remote access is invalid or has not produced a server yet, or the server has no analysis.',
    'stale': 'The last analysis of the host\'s server is older than the maximum age.',
    'comm_failed': 'Cyberwatch lost the communication with the host\'s server (status server_update_comm_fail).',
    'ambiguous': 'Several Cyberwatch servers match the host: none is picked. Make the names unique.',
    'orphans': 'A Cyberwatch server of the groups in scope, or a CyStack target, that no host of the play matches.',
}


class CoverageError(ValueError):
    """Bad input of the reconciliation, in words."""


def _records(value, what):
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
        raise CoverageError('%s must be a list of records as the info module returns them, got %s'
                            % (what, type(value).__name__))
    for item in value:
        if not isinstance(item.get('id'), int if what != 'targets' else str) or isinstance(item.get('id'), bool):
            raise CoverageError('%s: a record has no valid id: %r' % (what, to_text(item)[:300]))
    return value


def host_names(host):
    """(inventory name, names to match) of a host's variables: vulnmgmt_coverage_names when the host has it, else
    the inventory hostname, the FQDN and short name from the facts, and ansible_host."""
    if not isinstance(host, Mapping) or not host.get('inventory_hostname'):
        raise CoverageError('each host must be its hostvars (with inventory_hostname), got %r' % (to_text(host)[:300],))
    name = to_text(host['inventory_hostname'])
    names = host.get('vulnmgmt_coverage_names')
    if names is None:
        facts = host.get('ansible_facts') or {}
        names = [name, facts.get('fqdn'), facts.get('hostname'), host.get('ansible_host')]
    elif not isinstance(names, list):
        raise CoverageError('vulnmgmt_coverage_names of %s must be a list of names, got %r' % (name, names))
    return name, wanted_names([name] + list(names))


def _analysed_at(server):
    """The server's last analysis, as the API gives it (analyzed_at; last_communication in the 2020 shape)."""
    return server.get('analyzed_at') if 'analyzed_at' in server else server.get('last_communication')


def _judge_server(server, now, max_age, max_age_text):
    """(category, reason) of a host whose server is known."""
    label = 'server %s' % server['id']
    if server.get('status') == COMM_FAILED:
        return 'comm_failed', '%s: Cyberwatch lost the communication (status %s)' % (label, COMM_FAILED)
    raw = _analysed_at(server)
    when = timestamp(raw, strict=False)
    if raw in (None, ''):
        return 'never_scanned', '%s has never been analysed (no analysis date)' % label
    if when is None:
        return 'stale', '%s has an unreadable analysis date %r' % (label, to_text(raw)[:100])
    if now - when > max_age:
        return 'stale', '%s was last analysed at %s, more than %s ago' % (label, when.isoformat(), max_age_text)
    return 'covered', '%s, analysed at %s' % (label, when.isoformat())


def _without_server(accesses, names, in_scope, groups):
    """(category, reason, remote access, server) of a host no server matches by name; accesses: their index."""
    found, label, name = match(accesses, names, REMOTE_ACCESS_FIELDS)
    if not found:
        return ('unknown', 'no Cyberwatch server of %s and no remote access matches %s'
                % (groups, ' or '.join(names)), None, None)
    if len(found) > 1:
        return 'ambiguous', ambiguity(found, label, name, 'remote accesses'), None, None
    access = found[0]
    label = 'remote access %s (%s)' % (access['id'], to_text(access.get('address')))
    server_id = access.get('server_id')
    if server_id in in_scope:
        return None, None, access, in_scope[server_id]
    if access.get('is_valid') is False:
        return ('never_scanned', '%s is invalid: %s' % (label, to_text(access.get('last_error') or 'no error given')),
                access, None)
    if server_id is None:
        return ('never_scanned', '%s has not produced a server yet (is_valid: %s)'
                % (label, to_text(access.get('is_valid')).lower()), access, None)
    return ('unknown', '%s produced server %s, which is not in %s' % (label, server_id, groups), access, None)


def _target_host(address):
    """The host part of a CyStack target address (a URL, or a host name or address with a port or path)."""
    text = to_text(address).strip()
    try:
        return urlsplit(text if '://' in text else '//' + text).hostname or text.lower()
    except ValueError:
        return text.lower()


def reconcile(hosts, servers, remote_accesses=None, targets=None, max_age='7d', now=None, groups=None, limit=None):
    """The coverage of hosts (hostvars mappings); see the module doc and coverage_reconcile.yml."""
    try:
        max_age_seconds = duration(max_age, 'max_age')
    except ValueError as exc:
        raise CoverageError(str(exc))
    if now is None:
        moment = datetime.now(timezone.utc)
    else:
        moment = timestamp(now, strict=False)
        if moment is None:
            raise CoverageError('now must be a timestamp (ISO 8601), got %r' % (now,))
    if not isinstance(hosts, list):
        raise CoverageError('the input must be the list of hosts (their hostvars), got %s' % type(hosts).__name__)
    in_scope = {}
    for server in _records(servers, 'servers'):     # one listing per group: a server may come more than once
        in_scope.setdefault(server['id'], server)
    servers_index = index(list(in_scope.values()), SERVER_FIELDS)
    accesses = index(_records(remote_accesses, 'remote_accesses'), REMOTE_ACCESS_FIELDS)
    scope = 'the groups %s' % ', '.join(to_text(g) for g in groups) if groups else 'the servers listed'

    records, claimed, all_names, notes = {}, {}, {}, []
    for host in hosts:
        name, names = host_names(host)
        all_names[name] = names
        found, label, deciding = match(servers_index, names, SERVER_FIELDS)
        access = server = None
        if len(found) > 1:
            category, reason = 'ambiguous', ambiguity(found, label, deciding)
        elif found:
            server = found[0]
        else:
            category, reason, access, server = _without_server(accesses, names, in_scope, scope)
        if server is not None:
            category, reason = _judge_server(server, moment, timedelta(seconds=max_age_seconds), to_text(max_age))
            if access is not None:
                reason += ', found through remote access %s' % access['id']
        for candidate in found or ([server] if server is not None else []):
            claimed.setdefault(candidate['id'], []).append(name)
        records[name] = {'category': category, 'reason': reason, 'names': names,
                         'server_id': server['id'] if server is not None else None,
                         'server_ids': sorted(s['id'] for s in found) if len(found) > 1 else [],
                         'remote_access_id': access['id'] if access is not None else None, 'cystack_targets': []}
    for server_id, names in sorted(claimed.items()):
        if len(names) > 1:
            notes.append('server %s matches several hosts: %s' % (server_id, ', '.join(sorted(names))))

    orphans = [{'platform': 'cyberwatch', 'id': server['id'], 'name': to_text(server.get('hostname')),
                'subject': 'cyberwatch server %s (%s)' % (server['id'], to_text(server.get('hostname'))),
                'reason': 'no host of the play matches its hostname or addresses'}
               for server_id, server in sorted(in_scope.items()) if server_id not in claimed]
    for target in _records(targets, 'targets'):
        wanted = _target_host(target.get('address'))
        owners = sorted(name for name, names in all_names.items() if wanted in names)
        for owner in owners:
            records[owner]['cystack_targets'].append(target['id'])
        if not owners:
            orphans.append({'platform': 'cystack', 'id': target['id'], 'name': to_text(target.get('address')),
                            'subject': 'cystack target %s' % to_text(target.get('address')),
                            'reason': 'no host of the play has the name or address %s' % wanted})
    if limit:
        notes.append('the play ran with --limit %s: the servers and targets of the hosts left out look orphaned'
                     % to_text(limit))
    return _result(records, orphans, notes, max_age, moment)


def _result(records, orphans, notes, max_age, moment):
    categories = dict((category, []) for category in HOST_CATEGORIES + ('orphans',))
    findings, subjects = [], []
    for name, record in records.items():
        categories[record['category']].append(name)
        subjects.append(name)
        if record['category'] != 'covered':
            findings.append(_finding(name, record['category'], record['reason'], record['names']))
    for orphan in orphans:
        categories['orphans'].append(orphan['subject'])
        subjects.append(orphan['subject'])
        findings.append(_finding(orphan['subject'], 'orphans', orphan['reason'], [orphan['name']]))
    return {'hosts': records, 'orphans': orphans, 'categories': categories, 'subjects': subjects,
            'findings': findings, 'notes': notes, 'max_age': to_text(max_age), 'evaluated_at': moment.isoformat()}


def _finding(subject, category, reason, keys):
    """A gate_evaluate generic finding: the category is its id, rule and severity; keys let an allow-list entry name
    a host's names or an orphan's hostname."""
    return {'subject': subject, 'id': category, 'severity': category, 'title': reason, 'rule': category,
            'help': HELP[category], 'keys': keys}
