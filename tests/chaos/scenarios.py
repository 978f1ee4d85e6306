"""What the chaos suite declares, where it injects faults, and how it counts duplicated and lost objects.

A batch is one playbook of independent tasks, each the only writer of its own objects. Every write path (a task and
the method + route it writes with) gets its own fault rule, so one faulted run exercises every path of the batch.
After the run, `check` reads the simulator back with the collection's own clients and counts, per path, the
declared objects found more than once (duplicates) or not at all (lost).
"""

import re

TIMEOUT = 2.0  # request_timeout of every run; the timeout fault answers later than this
FAULTS = {
    'after-commit 502': {'kind': 'status_after_commit', 'status': 502},
    'dropped after commit': {'kind': 'drop_after_commit'},
    '503 before the write': {'kind': 'status', 'status': 503},
    '429 Retry-After': {'kind': 'retry_after', 'retry_after': 1},
    'timeout': {'kind': 'latency', 'seconds': TIMEOUT + 1.0},
}
SCANNER, OTHER_NODE = 'scanner-dmz', 'scanner-eu'
SECRET_PASSWORD = 'chaos-Secret-pw-0987'


class Path:
    """One write path: the task that writes, the request it writes with, and the objects it must leave."""

    def __init__(self, name, task, route, check, after=0):
        self.name, self.task, self.route, self.check, self.after = name, task, route, check, after

    def rule(self, fault):
        return dict(FAULTS[fault], match=self.route, times=1, after=self.after)

    def writes(self, requests):
        pattern = re.compile(self.route)
        return [r for r in requests if pattern.search('%s %s' % (r['method'], r['path']))]


def count(items, key, value):
    return sum(1 for item in items if str(item.get(key) or '').lower() == value.lower())


def declared(found):
    """(duplicates, lost) of one declared object found `found` times."""
    return max(0, found - 1), 1 if found == 0 else 0


def cyberwatch_paths():
    def group(name, **params):
        return {'secops.vulnmgmt.cyberwatch_group': dict(name=name, **params)}

    def remote_access(address, **params):
        return {'secops.vulnmgmt.cyberwatch_remote_access': dict(address=address, **params)}

    def check_group(name, color=None):
        def check(cw):
            groups = cw.list('group')
            dup, lost = declared(count(groups, 'name', name))
            ok = color is None or any(g['name'] == name and g.get('color', '').lower() == color.lower() for g in groups)
            return dup, lost, ok
        return check

    def check_absent_group(cw):
        return 0, 0, count(cw.list('group'), 'name', 'chaos-del') == 0

    def check_remote_access(address, port=None):
        def check(cw):
            accesses = cw.list('remote_access')
            dup, lost = declared(count(accesses, 'address', address))
            ok = port is None or any(a['address'] == address and a.get('port') == port for a in accesses)
            return dup, lost, ok
        return check

    def check_host(cw):
        return declared(count(cw.list('host'), 'target', 'chaos-host.example.com')) + (True,)

    def check_server(cw):
        server = cw.get('server', 1)
        return 0, 1 if server is None else 0, bool(server) and server.get('description') == 'chaos description'

    def check_node(cw):
        """The node is gone and none of its remote accesses was lost: they moved to master."""
        accesses = cw.list('remote_access')
        moved = count(accesses, 'address', 'chaos-on-eu.example.com')
        nodes = [n['name'] for n in cw.list('node')]
        return max(0, moved - 1), 1 if moved == 0 else 0, OTHER_NODE not in nodes

    ra = dict(type='ssh_password', login='chaos', password=SECRET_PASSWORD, node=SCANNER)
    return [
        Path('cyberwatch_group create', group('chaos-new', color='#22AA22'), r'^POST /api/v3/assets/groups$',
             check_group('chaos-new')),
        Path('cyberwatch_group update', group('chaos-upd', color='#333333'), r'^PUT /api/v3/assets/groups/\d+$',
             check_group('chaos-upd', '#333333')),
        Path('cyberwatch_group delete', group('chaos-del', state='absent'), r'^DELETE /api/v3/assets/groups/\d+$',
             check_absent_group),
        Path('cyberwatch_remote_access create', remote_access('chaos-new-ra.example.com', **ra),
             r'^POST /api/v3/assets/remote_accesses$', check_remote_access('chaos-new-ra.example.com')),
        Path('cyberwatch_remote_access update', remote_access('chaos-upd-ra.example.com', port=2222),
             r'^PATCH /api/v3/assets/remote_accesses/\d+$', check_remote_access('chaos-upd-ra.example.com', 2222)),
        Path('cyberwatch_host create', {'secops.vulnmgmt.cyberwatch_host': dict(
            target='chaos-host.example.com', node=SCANNER, category='linux')}, r'^POST /api/v3/hosts$', check_host),
        Path('cyberwatch_server update', {'secops.vulnmgmt.cyberwatch_server': dict(
            id=1, description='chaos description')}, r'^PATCH /api/v3/vulnerabilities/servers/1$', check_server),
        Path('cyberwatch_node delete', {'secops.vulnmgmt.cyberwatch_node': dict(
            name=OTHER_NODE, transfer_to='master', state='absent')}, r'^DELETE /api/v3/nodes/\d+$', check_node),
    ]


def cyberwatch_setup(cw):
    """Objects the update and delete paths start from."""
    cw.create('group', {'name': 'chaos-upd', 'color': '#111111'})
    cw.create('group', {'name': 'chaos-del'})
    nodes = dict((n['name'], n['id']) for n in cw.list('node'))
    for address, node in (('chaos-upd-ra.example.com', SCANNER), ('chaos-on-eu.example.com', OTHER_NODE)):
        cw.create('remote_access', {'address': address, 'type': 'CbwRam::RemoteAccess::Ssh::WithPassword',
                                    'port': 22, 'login': 'chaos', 'password': SECRET_PASSWORD,
                                    'node_id': nodes[node]})


BULK = ['chaos-bulk-%d.example.com' % i for i in (1, 2, 3)]
FLEET = ['chaos-web-%d' % i for i in (1, 2, 3)]


def bulk_paths():
    def check_bulk(cw):
        accesses = cw.list('remote_access')
        counts = [count(accesses, 'address', a) for a in BULK]
        return sum(max(0, c - 1) for c in counts), sum(1 for c in counts if c == 0), True

    def check_role(cw):
        accesses = cw.list('remote_access')
        counts = [count(accesses, 'address', '%s.chaos.example.com' % h) for h in FLEET]
        group_dup, group_lost = declared(count(cw.list('group'), 'name', 'chaos-onboarded'))
        return (sum(max(0, c - 1) for c in counts) + group_dup,
                sum(1 for c in counts if c == 0) + group_lost, True)

    bulk = {'secops.vulnmgmt.cyberwatch_remote_accesses': {'remote_accesses': [
        dict(address=a, type='ssh_password', login='chaos', password=SECRET_PASSWORD, node=SCANNER) for a in BULK]}}
    return [
        # The second item's create is the faulted one: the first is already written, the third still to come.
        Path('cyberwatch_remote_accesses (bulk) create', bulk, r'^POST /api/v3/assets/remote_accesses$',
             check_bulk, after=1),
        Path('cyberwatch_onboard role: group, then remote accesses', 'role', r'^POST /api/v3/assets/groups$',
             check_role),
    ]


def cystack_paths(cs, baseline):
    """baseline: what the seeded simulator holds before the runs (a target, a vulnerability, scan ids)."""
    target = baseline['target']

    def check_scan(client):
        scans = [s for s in client.scans(q=target['address'])
                 if (s.get('target') or {}).get('id') == target['id'] and s['id'] not in baseline['scan_ids']]
        return declared(len(scans)) + (True,)

    def check_vulnerability(client):
        vuln = client.vulnerability(baseline['vulnerability'])
        return 0, 1 if vuln is None else 0, bool(vuln) and vuln.get('false_positive') is True

    def check_monitoring(client):
        settings = client.monitoring(target['id']) or {}
        return 0, 0, settings.get('interval') == 47

    del cs
    return [
        Path('cystack_scan launch and wait', {'secops.vulnmgmt.cystack_scan': dict(
            target=target['address'], profile=1, wait=True, max_age='1h', wait_timeout=60, poll_interval=1)},
            r'^POST /v1/scans/?$', check_scan),
        Path('cystack_vulnerability false positive', {'secops.vulnmgmt.cystack_vulnerability': dict(
            id=baseline['vulnerability'], false_positive=True)}, r'^PUT /v1/vulnerabilities/', check_vulnerability),
        Path('cystack_monitoring update', {'secops.vulnmgmt.cystack_monitoring': dict(
            target=target['id'], interval=47)}, r'^PUT /v1/targets/[^/]+/monitoring', check_monitoring),
    ]


def cystack_baseline(client):
    target = client.targets()[0]
    vulns = [v for v in client.vulnerabilities() if not v.get('false_positive')]
    return {'target': target, 'vulnerability': vulns[0]['id'],
            'scan_ids': set(s['id'] for s in client.scans())}


def all_path_names():
    placeholder = {'target': {'id': 't', 'address': 'https://t'}, 'vulnerability': 'v', 'scan_ids': set()}
    return [p.name for p in cyberwatch_paths() + bulk_paths() + cystack_paths(None, placeholder)]
