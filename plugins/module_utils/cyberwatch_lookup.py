# -*- coding: utf-8 -*-
# Copyright: secops.vulnmgmt contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Cyberwatch helpers shared by the modules: name -> id resolution, test_deploy polling, info queries."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import time

from ansible_collections.secops.vulnmgmt.plugins.module_utils.cyberwatch import RESOURCES, Lookup
from ansible_collections.secops.vulnmgmt.plugins.module_utils.transport import concurrent_map, poll


def ids_of(objects):
    """Ids of a list of objects (or ids) as ints: server groups are returned as {id, name, ...}."""
    return sorted(int(o['id'] if isinstance(o, dict) else o) for o in objects or () if o not in (None, ''))


def equal_ids(current, desired):
    return ids_of(current) == ids_of(desired)


def server_groups(lookup, current, names, purge):
    """The full id list a server PATCH must send: the wanted groups, plus the current ones unless purge."""
    wanted = lookup.group_ids(names)
    if wanted is None:
        return None
    ids = sorted(set(wanted) | (set() if purge else set(ids_of(current.get('groups')))))
    return ids or [None]  # the recorded way to clear a server's groups


def server_cve_changes(detail, ignored_cves, cve_comments):
    """CVE code -> PUT body for the CVEs whose ignored flag or comment differ, and the codes that cannot be read.

    The server detail hides ignored CVEs, so a code it does not show is taken as already ignored.
    """
    visible = dict((c['cve_code'], c) for c in detail.get('cve_announcements') or ())
    ignored_cves, cve_comments = ignored_cves or [], cve_comments or {}
    changes, unknown = {}, []
    for code in sorted(set(ignored_cves) | set(cve_comments)):
        current = visible.get(code)
        if current is None:
            if code not in ignored_cves:
                unknown.append(code)
            continue
        body = {}
        if code in ignored_cves and not current.get('ignored'):
            body['ignored'] = True
        if code in cve_comments and (current.get('comment') or '') != (cve_comments[code] or ''):
            body['comment'] = cve_comments[code]
        if body:
            changes[code] = body
    return changes, unknown


def wait_test_deploy(client, remote_access_id, timeout, interval=0.5, clock=time.monotonic, sleep=time.sleep):
    """Run test_deploy and poll the remote access until is_valid is not null or timeout seconds passed."""
    started = client.test_deploy(remote_access_id)
    if started.get('is_valid') is not None:
        return started
    obj, dummy = poll(lambda: client.get('remote_access', remote_access_id) or started,
                      lambda current: current.get('is_valid') is not None, timeout, interval, clock, sleep)
    return obj


def query(client, resource, object_id=None, key_value=None, filters=None, check=None):
    """Objects by id (404 -> []), by natural key, or all of them, filtered on the server where possible.

    check(item) re-applies the server-side filters client-side.
    """
    resource = RESOURCES[resource]
    if object_id is not None:
        obj = client.get(resource, object_id)
        return [obj] if obj else []
    filters = dict((k, v) for k, v in (filters or {}).items() if v is not None)
    items = client.list(resource, filters) if key_value is None else client.find(resource, key_value, filters)
    return [i for i in items if check(i)] if check else items


def info_module(module, resource, plural, key_option=None, filters=None, check=None):
    """The result of an info module: the objects selected by id, key_option and filters under plural."""
    params = module.params
    return {'changed': False, plural: query(module.client, resource, params.get('id'),
                                            params.get(key_option) if key_option else None, filters, check)}


def server_listing(module, resource, filters, check=None, with_details=False):
    """Servers of a server listing (vulnerability or compliance view) selected by the id, hostname and group options of
    module.params and the other server-side filters (check(server) re-applies them); their detail with with_details."""
    params, client = module.params, module.client
    group_id = Lookup(client).one('group', params['group'])['id'] if params['group'] else None

    def selected(server):
        return (group_id is None or group_id in ids_of(server.get('groups'))) and (check is None or check(server))

    servers = query(client, resource, params['id'], params['hostname'], dict(filters, group_id=group_id), selected)
    if with_details and params['id'] is None:
        servers = details(client, resource, servers, params['max_workers'])
    return servers


def details(client, resource, items, max_workers):
    """The detail of each item, fetched with bounded concurrency, in the same order; errors propagate."""
    return concurrent_map(lambda item: client.get(resource, item['id']) or item, items, max_workers)


# A server's detail changes with a new analysis (analyzed_at; last_communication where the API does not list
# analyzed_at), installed updates and ignored CVEs (the counts): what was read of a detail is reused only while
# they are the same.
COUNT_FIELDS = ('cve_announcements_count', 'prioritized_cve_announcements_count', 'updates_count')


def analysis_key(server):
    """What must be unchanged in a listed server for what was read of its detail to be reused (None: never reused)."""
    analyzed = server.get('analyzed_at') if 'analyzed_at' in server else server.get('last_communication')
    if analyzed is None:
        return None
    return tuple([analyzed] + [server.get(field) for field in COUNT_FIELDS])


def changed_details(servers, known, fetch, max_workers):
    """For each listed server, in order: the value known for it (known: {server id: (analysis_key, value)} of an
    earlier read) while its analysis_key is unchanged, else fetch(server), with bounded concurrency; and how many
    were fetched."""
    values, wanted = [None] * len(servers), []
    for index, server in enumerate(servers):
        key, value = known.get(server['id'], (None, None))
        if key is not None and key == analysis_key(server):
            values[index] = value
        else:
            wanted.append(index)
    for index, value in zip(wanted, concurrent_map(lambda i: fetch(servers[i]), wanted, max_workers)):
        values[index] = value
    return values, len(wanted)


def apply_server_cves(module, server, result):
    """Send the ignored/comment changes of module.params to the per-server CVE route; merge them into result."""
    params, client = module.params, module.client
    result['cve_announcements'] = {}
    if not params['ignored_cves'] and not params['cve_comments']:
        return result
    detail = server if 'cve_announcements' in server else client.get('server', server['id'])
    changes, unknown = server_cve_changes(detail, params['ignored_cves'], params['cve_comments'])
    for code in unknown:
        module.warn('%s is not shown on server %s (ignored, or not affecting it): comment not compared' % (
            code, server['id']))
    if not changes:
        return result
    visible = dict((c['cve_code'], c) for c in detail['cve_announcements'])
    for code, body in sorted(changes.items()):
        if not module.check_mode:
            client.set_server_cve(server['id'], code, **body)
    result.update(changed=True, cve_announcements=changes)
    result['diff']['before']['cve_announcements'] = dict(
        (code, dict((k, visible[code].get(k)) for k in body)) for code, body in changes.items())
    result['diff']['after']['cve_announcements'] = changes
    return result
