"""secops.vulnmgmt.cystack inventory plugin: real ansible-inventory runs against the simulator."""

import collections
from urllib.parse import urlparse

import pytest

from test_inventory_support import AWX_ENV, FAIL_ENV, Inventory, assert_failed_cleanly, run_list, source_failed


def inventory(ansible, name='cys', **kwargs):
    return Inventory(run_list(ansible, 'cystack', name=name, **kwargs))


@pytest.fixture
def api(sim, cystack_api):
    client = cystack_api
    for scan in client.scans():  # finish the seeded running scan now: its findings must not appear mid-test
        if scan['status'] != 'Stopped':
            sim.control('POST', '/_sim/cystack/scans/%s/advance' % scan['id'], {'to': 'Stopped'})
    data = {'targets': client.targets(), 'scans': client.scans(), 'vulns': client.vulnerabilities(), 'client': client}
    sim.clear_requests()
    return data


def test_one_host_per_target(sim, ansible, api):
    inv = inventory(ansible)
    targets = api['targets']
    assert len(inv.hosts) == len(targets) == 15
    paths = [r['path'] for r in sim.requests()]
    assert set(paths) == {'/v1/targets'} and len(paths) == 2  # DRF pages of 10
    for target in targets:
        host = urlparse(target['address']).hostname
        hostvars = inv.hostvars[host]
        assert hostvars['ansible_host'] == host == hostvars['cystack_host']
        assert hostvars['cystack_id'] == target['id']
        assert hostvars['cystack_address'] == target['address']
        assert hostvars['cystack_verification'] == target['verification']
        assert hostvars['cystack_verified'] is (target['verification'] == 0)
    verified = {urlparse(t['address']).hostname for t in targets if t['verification'] == 0}
    assert inv.group('cystack_verified') == verified
    assert inv.group('cystack_unverified') == inv.hosts - verified
    assert not [h for h in inv.hostvars.values() if 'cystack_last_scan' in h or 'cystack_vulnerability_counts' in h]


def test_last_scan_and_vulnerability_counts_in_one_pass_each(sim, ansible, api):
    false_positive = api['vulns'][0]
    api['client'].set_false_positive(false_positive['id'], True)
    sim.clear_requests()
    inv = inventory(ansible, last_scan=True, vulnerability_counts=True)
    assert {r['path'] for r in sim.requests()} == {'/v1/targets', '/v1/scans', '/v1/vulnerabilities'}
    assert len(sim.requests()) == 2 + 2 + len([1 for dummy in range(0, len(api['vulns']), 10)])
    by_target = collections.defaultdict(list)
    for scan in api['scans']:
        by_target[scan['target']['id']].append(scan)
    counts = collections.defaultdict(collections.Counter)
    for vuln in api['vulns']:
        if vuln['id'] != false_positive['id']:
            counts[vuln['target'].rstrip('/').lower()][vuln['severity'].lower()] += 1
    for target in api['targets']:
        hostvars = inv.hostvars[urlparse(target['address']).hostname]
        scans = sorted(by_target[target['id']], key=lambda s: s['start_time_epoch'])
        if scans:
            assert hostvars['cystack_last_scan']['id'] == scans[-1]['id']
            assert hostvars['cystack_last_scan']['status'] in ('Queued', 'Running', 'Stopping', 'Stopped')
        else:
            assert hostvars['cystack_last_scan'] is None
        expected = counts[target['address'].rstrip('/').lower()]
        assert hostvars['cystack_vulnerability_counts'] == dict(
            (s, expected.get(s, 0)) for s in ('high', 'medium', 'low', 'information'))
        assert hostvars['cystack_vulnerabilities_count'] == sum(expected.values())
    high = {n for n, h in inv.hostvars.items() if h['cystack_vulnerability_counts']['high']}
    assert high and inv.group('cystack_vuln_high') == high


def test_hostnames_duplicates_and_keyed_groups(sim, ansible, api):
    first = min(api['targets'], key=lambda t: t['id'])
    host = urlparse(first['address']).hostname
    added = sim.control('POST', '/_sim/cystack/targets', {'address': 'http://%s:8080/' % host, 'verification': 1})
    inv = inventory(ansible, keyed_groups=[{'key': "'yes' if cystack_verified else 'no'", 'prefix': 'owner_verified'}])
    ids = sorted([first['id'], added['id']])
    assert inv.hostvars[host]['cystack_id'] == ids[0]
    assert inv.hostvars['%s_%s' % (host, ids[1])]['cystack_id'] == ids[1]
    assert inv.group('owner_verified_yes') == inv.group('cystack_verified')

    # a URL is no plain host name (':', '/'): each target falls back to its id, with one warning
    refused = 'refused (it is not a plain host name'
    inv = inventory(ansible, hostnames=['address'], duplicate_hostnames='error', warnings=(refused,))
    assert inv.hosts == {t['id'] for t in api['targets']} | {added['id']}
    assert ' '.join(inv.proc.stderr.split()).count(refused) == len(inv.hosts)
    inv = inventory(ansible, hostnames=['id'])
    assert inv.hosts == {t['id'] for t in api['targets']} | {added['id']}
    shared = 'hostname %r is shared by the records with ids %s, %s' % (host, ids[0], ids[1])
    proc = run_list(ansible, 'cystack', duplicate_hostnames='error', env=FAIL_ENV, check=False,
                    warnings=source_failed(shared))
    assert_failed_cleanly(proc, shared)


def test_cache_hit_makes_no_request_and_flush_refetches(sim, ansible, tmp_path):
    options = dict(cache=True, cache_plugin='ansible.builtin.jsonfile', cache_connection=str(tmp_path),
                   last_scan=True, vulnerability_counts=True)
    first = inventory(ansible, name='cached', **options)
    sim.clear_requests()
    assert inventory(ansible, name='cached', **options).data == first.data
    assert sim.requests() == []
    sim.control('POST', '/_sim/cystack/targets', {'address': 'https://late.example.com'})
    assert 'late.example.com' not in inventory(ansible, name='cached', **options).hosts
    assert 'late.example.com' in inventory(ansible, name='cached', args=('--list', '--flush-cache'), **options).hosts
    assert sim.requests()


@pytest.mark.parametrize('fault,fragment', [
    ({'kind': 'status', 'status': 503, 'match': 'targets.*page=2', 'times': 20}, 'GET /targets failed with HTTP 503'),
    ({'kind': 'status', 'status': 500, 'match': '/v1/vulnerabilities', 'times': 20},
     'GET /vulnerabilities failed with HTTP 500'),
    ({'kind': 'non_json', 'match': '/v1/scans', 'times': 20}, 'GET /scans: HTTP 200 but a body that is not valid JSON'),
])
def test_any_api_failure_fails_the_source(sim, ansible, fault, fragment):
    sim.set_faults([fault])
    proc = run_list(ansible, 'cystack', last_scan=True, vulnerability_counts=True,
                    env=dict(FAIL_ENV, CYSTACK_MAX_RETRIES='1'), check=False, warnings=source_failed(fragment))
    assert_failed_cleanly(proc, 'secops.vulnmgmt.cystack: the inventory source failed, no host was added', fragment)


def test_wrong_key_fails_clearly_and_is_never_printed(sim, ansible):
    proc = run_list(ansible, 'cystack', args=('--list', '-vvvv'),
                    env=dict(FAIL_ENV, CYSTACK_API_KEY='wrong-cystack-token-789'), check=False,
                    warnings=source_failed('HTTP 401'))
    assert_failed_cleanly(proc, 'HTTP 401', 'authentication failed')
    assert 'wrong-cystack-token-789' not in proc.stdout + proc.stderr


def test_awx_style_export_with_templated_key(sim, ansible, api):
    env = dict(AWX_ENV, MY_TOKEN=sim.cystack['api_key'], CYSTACK_API_KEY='not-this-one')
    proc = run_list(ansible, 'cystack', args=('--list', '--export', '-vvvv'), env=env,
                    api_key="{{ lookup('ansible.builtin.env', 'MY_TOKEN') }}", vulnerability_counts=True)
    inv = Inventory(proc)
    assert len(inv.hosts) == len(api['targets'])
    assert sim.cystack['api_key'] not in proc.stdout + proc.stderr
