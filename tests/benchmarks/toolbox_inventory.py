"""What a user does today without the inventory plugin: a cbw-api-toolbox script that lists every Cyberwatch server
and writes a static inventory file (JSON, read by ansible-core's yaml plugin) with the same hosts, hostvars and
groups as secops.vulnmgmt.cyberwatch with its defaults. Used by bench_playbook.py.

    CBW_API_URL=... CBW_API_KEY=... CBW_SECRET_KEY=... python toolbox_inventory.py OUTPUT.json
"""

import json
import re
import sys

from cbw_api_toolbox.cbw_api import CBWApi


def plain(value):
    """The toolbox answers namedtuples: back to dicts and lists."""
    if hasattr(value, '_asdict'):
        return dict((k, plain(v)) for k, v in value._asdict().items())
    if isinstance(value, list):
        return [plain(v) for v in value]
    return value


def sanitize(name):
    return re.sub(r'[^A-Za-z0-9_]+', '_', str(name)).strip('_').lower()


def main():
    servers = [plain(s) for s in CBWApi().servers() or []]
    hosts, children, owners = {}, {}, {}
    for server in sorted(servers, key=lambda s: s['id']):
        name = server['hostname'] or (server['addresses'] or [None])[0] or str(server['id'])
        name = name if name not in owners else '%s_%s' % (name, server['id'])
        owners[name] = server['id']
        env = server.get('environment') or {}
        groups = [g['name'] for g in server.get('groups') or () if g.get('name')]
        hostvars = {
            'cyberwatch_id': server['id'], 'cyberwatch_hostname': server['hostname'],
            'cyberwatch_addresses': server.get('addresses') or [], 'cyberwatch_os': server.get('os'),
            'cyberwatch_category': server.get('category'), 'cyberwatch_status': server.get('status'),
            'cyberwatch_environment': env.get('name') if isinstance(env, dict) else env, 'cyberwatch_groups': groups,
            'cyberwatch_cve_announcements_count': server.get('cve_announcements_count'),
            'cyberwatch_prioritized_cve_announcements_count': server.get('prioritized_cve_announcements_count'),
            'cyberwatch_updates_count': server.get('updates_count'),
            'cyberwatch_reboot_required': bool(server.get('reboot_required')),
            'cyberwatch_last_communication': server.get('last_communication'),
        }
        if server.get('addresses'):
            hostvars['ansible_host'] = server['addresses'][0]
        hosts[name] = hostvars
        memberships = ['cyberwatch_group_' + sanitize(g) for g in groups if sanitize(g)]
        if server.get('reboot_required'):
            memberships.append('cyberwatch_reboot_required')
        if (server.get('prioritized_cve_announcements_count') or 0) > 0:
            memberships.append('cyberwatch_vulnerable')
        for group in memberships:
            children.setdefault(group, {'hosts': {}})['hosts'][name] = None
    with open(sys.argv[1], 'w', encoding='utf-8') as out:
        json.dump({'all': {'hosts': hosts, 'children': children}}, out)
    print(len(hosts))


if __name__ == '__main__':
    main()
