# -*- coding: utf-8 -*-
# Copyright: secops.vulnmgmt contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Cyberwatch servers: listings and details (reused while the analysis is unchanged), their groups and CVE
settings, a refresh and its new analysis, and their agents."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import time

from ansible_collections.secops.vulnmgmt.plugins.module_utils.cyberwatch import RESOURCES, Lookup, ids_of, same_key
from ansible_collections.secops.vulnmgmt.plugins.module_utils.times import duration, timestamp
from ansible_collections.secops.vulnmgmt.plugins.module_utils.listing import malformed
from ansible_collections.secops.vulnmgmt.plugins.module_utils.options import Option
from ansible_collections.secops.vulnmgmt.plugins.module_utils.transport import concurrent_map, cut


def server_listing(module, resource, filters, check=None, with_details=False):
    """Servers of a server listing (vulnerability or compliance view) selected by the id, hostname and group options of
    module.params and the other server-side filters (check(server) re-applies them); their detail with with_details."""
    params, client = module.params, module.client
    group_id = Lookup(client).one('group', params['group'])['id'] if params['group'] else None

    def selected(server):
        return (group_id is None or group_id in ids_of(server.get('groups'))) and (check is None or check(server))

    servers = client.query(resource, params['id'], params['hostname'], dict(filters, group_id=group_id), selected)
    if with_details and params['id'] is None:  # each detail, read with bounded concurrency, in the same order
        servers = concurrent_map(lambda server: client.get(resource, server['id']) or server, servers, params['max_workers'])
    return servers


def details_by_id(client, resource, ids, max_workers):
    """(the detail of each id the server knows, in the order of ids, each id read once; the ids it answered 404 for),
    read with bounded concurrency. A failed or malformed read fails the whole call (ApiError naming method and path),
    and so does a detail that is not the one asked for: it is never taken as the evidence of another object."""
    resource = RESOURCES[resource]
    ids = list(dict.fromkeys(ids))

    def read(object_id):
        detail = client.get(resource, object_id)
        if detail is not None and not same_key(detail.get(resource.id_field), object_id):
            raise malformed('GET', client.path(resource, object_id), 'the answer is the %s with %s %s, not %s' % (
                resource.name, resource.id_field, cut(str(detail.get(resource.id_field)), 40), object_id))
        return detail

    found = concurrent_map(read, ids, max_workers)
    return [d for d in found if d is not None], [i for i, d in zip(ids, found) if d is None]


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


def counts(server):
    """The CVE and update counts of a server."""
    return dict((key, (server or {}).get(key)) for key in COUNT_FIELDS)


def server_groups(lookup, current, names, purge):
    """The full id list a server PATCH must send: the wanted groups, plus the current ones unless purge."""
    if names is None:
        return None
    wanted = [lookup.id_of('group', name) for name in names]
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


def refresh_server(client, server):
    """PUT servers/{id}/refresh; returns (the server as answered, the request time by the server's clock or None).

    The server's Date header is the request time, so the controller's clock does not matter.
    """
    dummy, answer, headers, dummy_response = client.http.request('PUT', client.path('servers', server['id'], 'refresh'))
    return answer or server, timestamp(headers.get('Date'), strict=False)


def analysed_after(server, previous, requested_at):
    """Whether the server's analyzed_at moved past the previous analysis and the (server-clock) request time."""
    analysed = timestamp(server.get('analyzed_at'), strict=False)
    if analysed is None:
        return False
    return (previous is None or analysed > previous) and (requested_at is None or analysed >= requested_at)


# The options that select agents: cyberwatch_agent_info returns what they select, cyberwatch_agent removes it.
AGENT_OPTIONS = (Option('id', type='int'), Option('server'), Option('stale_after'))
AGENT_EXCLUSIONS = [('id', 'server'), ('id', 'stale_after')]


def select_agents(client, agent_id=None, server=None, stale_after=None, clock=time.time):
    """The agents by id, of the servers with hostname server, or silent for longer than stale_after (all three
    optional, combined with AND). Agents that never communicated are never stale. Returns (agents, notes).

    A wrong stale_after fails (ValueError) before any request."""
    notes = []
    # A unit is required: a bare '30' taken as seconds would select (and remove) nearly every agent.
    silence = duration(stale_after, 'stale_after', unit_required=True)
    if agent_id is not None:
        agent = client.get('agent', agent_id)
        agents = [agent] if agent else []
    else:
        agents = client.list('agent')
    if server is not None:
        ids = set(s['id'] for s in client.find('server', server))
        if not ids:
            notes.append('no server has the hostname %s: it has no agent' % server)
        agents = [a for a in agents if a.get('server_id') in ids]
    if silence is not None:
        cutoff = clock() - silence
        agents = [a for a in agents if a.get('last_communication') and timestamp(a['last_communication']).timestamp() < cutoff]
    return agents, notes
