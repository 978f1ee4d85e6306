"""secops.vulnmgmt.cyberwatch inventory plugin: real ansible-inventory runs against the simulator."""

import math
import re

import pytest

from test_inventory_support import (
    AWX_ENV, FAIL_ENV, Inventory, api_requests, assert_failed_cleanly, cyberwatch_servers, run_list, source_failed,
)

SERVERS = '/api/v3/vulnerabilities/servers'


def inventory(ansible, name='cbw', **kwargs):
    return Inventory(run_list(ansible, 'cyberwatch', name=name, **kwargs))


@pytest.fixture
def servers(sim, cyberwatch_api):
    return cyberwatch_servers(sim, cyberwatch_api)


def expected_name(server, servers):
    """The documented rule: the lowest id keeps the hostname, the others get _<id>."""
    same = sorted(s['id'] for s in servers.values() if s['hostname'] == server['hostname'])
    return server['hostname'] if same[0] == server['id'] else '%s_%s' % (server['hostname'], server['id'])


def test_one_host_per_server_with_hostvars_and_default_groups(sim, ansible, servers):
    # The simulator is plain HTTP: the plugin says so (tolerated by the harness, required here).
    inv = inventory(ansible, page_size=10, warnings=('secops.vulnmgmt.cyberwatch: api_url http://',))
    assert len(inv.hosts) == len(servers) == 30
    listing = api_requests(sim, '/api/v3/')
    assert len(listing) == math.ceil(len(servers) / 10)
    assert all(r['path'] == SERVERS and 'per_page=10' in r['query'] for r in listing)
    for server in servers.values():
        hostvars = inv.hostvars[expected_name(server, servers)]
        assert hostvars['cyberwatch_id'] == server['id']
        assert hostvars['cyberwatch_hostname'] == server['hostname']
        assert hostvars['cyberwatch_addresses'] == server['addresses']
        assert hostvars['ansible_host'] == server['addresses'][0]
        assert hostvars['cyberwatch_os'] == server['os']
        assert hostvars['cyberwatch_environment'] == server['environment']['name']
        assert hostvars['cyberwatch_groups'] == [g['name'] for g in server['groups']]
        for field in ('category', 'status', 'cve_announcements_count', 'prioritized_cve_announcements_count',
                      'updates_count', 'reboot_required', 'last_communication'):
            assert hostvars['cyberwatch_' + field] == server[field], field
    names = dict((s['id'], expected_name(s, servers)) for s in servers.values())
    for group in ('prod', 'staging', 'dev', 'dmz', 'windows', 'linux'):
        members = set(names[s['id']] for s in servers.values() if group in [g['name'] for g in s['groups']])
        assert inv.group('cyberwatch_group_' + group) == members, group
    assert inv.group('cyberwatch_reboot_required') == set(
        names[s['id']] for s in servers.values() if s['reboot_required'])
    assert inv.group('cyberwatch_vulnerable') == set(
        names[s['id']] for s in servers.values() if s['prioritized_cve_announcements_count'] > 0)
    assert not [g for g in inv.groups if 'cve_' in g]  # only with details


def test_graph_and_optional_groups(sim, ansible, servers):
    proc = run_list(ansible, 'cyberwatch', args=('--graph',), group_by=['os_type', 'environment', 'category', 'status'],
                    group_prefix='', builtin_group_prefix='cbw_')
    assert '@prod:' in proc.stdout and '@cbw_reboot_required:' in proc.stdout
    assert '@cbw_os_type_windows:' in proc.stdout and '@cbw_environment_medium:' in proc.stdout
    assert '@cbw_category_server:' in proc.stdout and '@cbw_status_server_vulnerable:' in proc.stdout
    assert '@cyberwatch_group_prod:' not in proc.stdout


def test_compose_keyed_groups_and_conditional_groups(sim, ansible, servers):
    inv = inventory(ansible, compose={'ansible_user': "'admin' if cyberwatch_os.type == 'Os::Windows' else 'ansible'",
                                      'short_name': "cyberwatch_hostname.split('.')[0]"},
                    keyed_groups=[{'key': 'cyberwatch_environment', 'prefix': 'env'},
                                  {'key': 'cyberwatch_groups', 'prefix': '', 'separator': ''}],
                    groups={'patch_now': 'cyberwatch_reboot_required and cyberwatch_vulnerable_flag | default(true)'},
                    leading_separator=False, strict=True)
    windows = [s for s in servers.values() if s['os']['type'] == 'Os::Windows']
    assert windows
    for server in servers.values():
        hostvars = inv.hostvars[expected_name(server, servers)]
        assert hostvars['ansible_user'] == ('admin' if server in windows else 'ansible')
        assert hostvars['short_name'] == server['hostname'].split('.')[0]
    assert inv.group('env_Medium') == set(expected_name(s, servers) for s in servers.values()
                                          if s['environment']['name'] == 'Medium')
    assert inv.group('prod') == inv.group('cyberwatch_group_prod')
    assert inv.group('patch_now') == inv.group('cyberwatch_reboot_required')


def test_server_side_filters_and_client_side_group_filters(sim, ansible, servers):
    inv = inventory(ansible, filters={'group_id': 1, 'reboot_required': True})
    wanted = [s for s in servers.values() if 1 in [g['id'] for g in s['groups']] and s['reboot_required']]
    assert {h['cyberwatch_id'] for h in inv.hostvars.values()} == {s['id'] for s in wanted}
    queries = [r['query'] for r in api_requests(sim, SERVERS)]
    assert queries and all('group_id=1' in q and 'reboot_required=true' in q for q in queries)

    inv = inventory(ansible, include_groups=['prod', 'dev'], exclude_groups=['windows'])
    kept = [s for s in servers.values()
            if {'prod', 'dev'} & {g['name'] for g in s['groups']} and 'windows' not in {g['name'] for g in s['groups']}]
    assert {h['cyberwatch_id'] for h in inv.hostvars.values()} == {s['id'] for s in kept}


def test_unknown_filter_fails_before_any_request(sim, ansible):
    proc = run_list(ansible, 'cyberwatch', filters={'os': 'linux'}, env=FAIL_ENV, check=False,
                    warnings=source_failed('unknown filters os'))
    assert_failed_cleanly(proc, 'unknown filters os', 'accepted: hostname, group_id')
    assert sim.requests() == []


def test_hostname_preferences(sim, ansible, servers):
    inv = inventory(ansible, hostnames=['address', 'id'])
    assert inv.hosts == {s['addresses'][0] for s in servers.values()}
    inv = inventory(ansible, hostnames=["cyberwatch_hostname.split('.')[0] ~ '-' ~ cyberwatch_id", 'id'])
    assert inv.hosts == {'%s-%s' % (s['hostname'].split('.')[0], s['id']) for s in servers.values()}
    inv = inventory(ansible, hostnames=['id'])
    assert inv.hosts == {str(s) for s in servers}


def test_duplicate_hostnames(sim, ansible, servers):
    first = servers[min(servers)]
    added = sim.control('POST', '/_sim/cyberwatch/servers', {'hostname': first['hostname'], 'addresses': ['10.9.9.9']})
    inv = inventory(ansible)
    assert inv.hostvars[first['hostname']]['cyberwatch_id'] == first['id']
    assert inv.hostvars['%s_%s' % (first['hostname'], added['id'])]['ansible_host'] == '10.9.9.9'
    assert len(inv.hosts) == len(servers) + 1
    again = inventory(ansible)
    assert again.hosts == inv.hosts  # deterministic

    inv = inventory(ansible, duplicate_hostnames='skip', warnings=('record id %s skipped' % added['id'],))
    assert inv.hostvars[first['hostname']]['cyberwatch_id'] == first['id']
    assert added['id'] not in {h['cyberwatch_id'] for h in inv.hostvars.values()}
    assert 'record id %s skipped' % added['id'] in re.sub(r'\s+', ' ', inv.proc.stderr)

    proc = run_list(ansible, 'cyberwatch', duplicate_hostnames='error', env=FAIL_ENV, check=False,
                    warnings=source_failed('is shared by the records with ids'))
    assert_failed_cleanly(proc, 'is shared by the records with ids', '(duplicate_hostnames=error)')


def test_details_with_bounded_concurrency(sim, ansible, servers):
    inv = inventory(ansible, details=True, max_workers=4, page_size=25)
    details = [r for r in sim.requests() if re.match(SERVERS + r'/\d+$', r['path'])]
    assert sorted(int(r['path'].rsplit('/', 1)[1]) for r in details) == sorted(servers)
    cve_pages = [r for r in sim.requests() if 'cve_announcements' in r['path']]
    assert cve_pages and all('active=true' in r['query'] for r in cve_pages)
    for hostvars in inv.hostvars.values():
        counts = hostvars['cyberwatch_cve_counts']
        assert set(counts) >= {'critical', 'high', 'medium', 'low'}
        assert sum(counts.values()) == hostvars['cyberwatch_cve_announcements_count']
        assert hostvars['cyberwatch_pending_updates_count'] == len(hostvars['cyberwatch_pending_updates'])
    critical = {name for name, h in inv.hostvars.items() if h['cyberwatch_cve_counts']['critical']}
    assert critical and inv.group('cyberwatch_cve_critical') == critical
    assert inv.group('cyberwatch_cve_high') == {n for n, h in inv.hostvars.items() if h['cyberwatch_cve_counts']['high']}


def test_a_failed_detail_fails_the_source(sim, ansible):
    sim.set_faults([{'kind': 'status', 'status': 500, 'match': SERVERS + '/7$', 'times': 100}])
    proc = run_list(ansible, 'cyberwatch', details=True, env=FAIL_ENV, check=False,
                    warnings=source_failed('GET %s/7 failed with HTTP 500' % SERVERS))
    assert_failed_cleanly(proc, 'no host was added', 'GET %s/7 failed with HTTP 500' % SERVERS, 'Simulated fault')


def test_cache_hit_makes_no_request_and_flush_refetches(sim, ansible, tmp_path):
    options = dict(cache=True, cache_plugin='ansible.builtin.jsonfile', cache_connection=str(tmp_path), details=True)
    first = inventory(ansible, name='cached', **options)
    assert len(sim.requests()) > 30
    sim.clear_requests()
    second = inventory(ansible, name='cached', **options)
    assert sim.requests() == []
    assert second.data == first.data
    sim.control('POST', '/_sim/cyberwatch/servers', {'hostname': 'new-one.example.com'})
    assert 'new-one.example.com' not in inventory(ansible, name='cached', **options).hosts
    assert sim.requests() == []
    flushed = inventory(ansible, name='cached', args=('--list', '--flush-cache'), **options)
    assert 'new-one.example.com' in flushed.hosts and len(sim.requests()) > 30
    sim.clear_requests()
    assert inventory(ansible, name='cached', **options).hosts == flushed.hosts
    assert sim.requests() == []
    # other fetch options, other cache entry
    inventory(ansible, name='cached', page_size=7, **options)
    assert sim.requests()


def test_cache_connection_from_the_environment(sim, ansible, tmp_path):
    env = {'ANSIBLE_CACHE_PLUGIN_CONNECTION': str(tmp_path / 'env-cache')}
    inventory(ansible, name='envcache', cache=True, cache_plugin='ansible.builtin.jsonfile', env=env)
    sim.clear_requests()
    inventory(ansible, name='envcache', cache=True, cache_plugin='ansible.builtin.jsonfile', env=env)
    assert sim.requests() == []
    assert list((tmp_path / 'env-cache').iterdir())


@pytest.mark.parametrize('fault,fragments', [
    ({'kind': 'status', 'status': 503, 'match': 'page=2', 'times': 20},
     ('GET %s failed with HTTP 503' % SERVERS, 'after 1 retries', 'Simulated fault')),
    ({'kind': 'status', 'status': 500, 'match': 'page=2', 'times': 20},
     ('GET %s failed with HTTP 500' % SERVERS, 'server error')),
    ({'kind': 'truncate', 'match': 'page=2', 'times': 20}, ('GET %s' % SERVERS,)),
])
def test_a_failed_page_mid_listing_fails_the_whole_source(sim, ansible, fault, fragments):
    sim.set_faults([fault])
    env = dict(FAIL_ENV, CYBERWATCH_MAX_RETRIES='1')
    proc = run_list(ansible, 'cyberwatch', page_size=10, env=env, check=False,
                    warnings=source_failed('the inventory source failed, no host was added'))
    assert_failed_cleanly(proc, 'secops.vulnmgmt.cyberwatch: the inventory source failed, no host was added',
                          *fragments)
    assert any('page=2' in r['query'] for r in sim.requests())


def test_without_unparsed_failed_ansible_still_prints_no_host(sim, ansible):
    """ansible-core's default turns a failed source into a warning; the plugin still adds no host."""
    sim.set_faults([{'kind': 'status', 'status': 500, 'match': 'page=2', 'times': 20}])
    proc = run_list(ansible, 'cyberwatch', page_size=10, check=False, warnings=source_failed('HTTP 500'))
    assert 'HTTP 500' in proc.stderr
    assert Inventory(proc).hosts == set()


def test_wrong_secret_fails_clearly(sim, ansible):
    proc = run_list(ansible, 'cyberwatch', env=dict(FAIL_ENV, CYBERWATCH_SECRET_KEY='wrong-secret-value-123'),
                    check=False, warnings=source_failed('HTTP 401'))
    assert_failed_cleanly(proc, 'HTTP 401', 'authentication failed: check the API credentials')
    assert 'wrong-secret-value-123' not in proc.stdout + proc.stderr


def test_awx_style_export_run_with_env_credentials(sim, ansible, servers):
    inv = inventory(ansible, args=('--list', '--export'), env=AWX_ENV)
    assert len(inv.hosts) == len(servers)
    assert 'cyberwatch_group_prod' in inv.groups
    assert inv.data['all']['children']


def test_awx_enabled_variable_recipe(sim, ansible, servers):
    """docs/guides/inventory_and_awx.md: a composed boolean for AWX's enabled variable (enabled value `true`) that
    disables exactly the servers Cyberwatch cannot reach."""
    inv = inventory(ansible, args=('--list', '--export'), env=AWX_ENV,
                    compose={'cyberwatch_reachable': "cyberwatch_status != 'server_update_comm_fail'"})
    unreachable = {expected_name(s, servers) for s in servers.values() if s['status'] == 'server_update_comm_fail'}
    assert unreachable and len(unreachable) < len(servers)
    for name, hostvars in inv.hostvars.items():
        # AWX enables a host when str(value).lower() == enabled value ('true')
        assert str(hostvars['cyberwatch_reachable']).lower() == ('false' if name in unreachable else 'true'), name


def test_templated_credentials(sim, ansible, servers):
    info = sim.cyberwatch
    env = {'MY_CBW_KEY': info['api_key'], 'MY_CBW_SECRET': info['secret_key'],
           'CYBERWATCH_API_KEY': 'not-this-one', 'CYBERWATCH_SECRET_KEY': 'nor-this-one'}
    inv = inventory(ansible, api_key="{{ lookup('ansible.builtin.env', 'MY_CBW_KEY') }}",
                    secret_key="{{ lookup('ansible.builtin.env', 'MY_CBW_SECRET') }}", env=env)
    assert len(inv.hosts) == len(servers)


@pytest.mark.parametrize('secret_env', [{}, {'CYBERWATCH_SECRET_KEY': 'wrong-secret-value-456'}])
def test_vvvv_never_prints_the_credentials(sim, ansible, secret_env):
    info = sim.cyberwatch
    proc = run_list(ansible, 'cyberwatch', args=('--list', '-vvvv'), details=True, env=secret_env, check=False,
                    warnings=source_failed('HTTP 401') if secret_env else ())
    output = proc.stdout + proc.stderr
    for secret in (info['api_key'], info['secret_key'], secret_env.get('CYBERWATCH_SECRET_KEY')):
        if secret:
            assert secret not in output


def test_legacy_routes_and_basic_auth(sim, ansible, servers):
    inv = inventory(ansible, api_routes='legacy', auth_method='basic')
    assert len(inv.hosts) == len(servers)
    assert {r['path'] for r in sim.requests()} == {'/api/v3/servers'}
    assert {r['auth'] for r in sim.requests()} == {'basic'}


def test_file_name_must_match(sim, ansible):
    unverified = "could not be verified by inventory plugin 'secops.vulnmgmt.cyberwatch'"
    proc = ansible.inventory('plugin: secops.vulnmgmt.cyberwatch\n', 'wrong-name.yml', check=False, env=FAIL_ENV,
                             warnings=source_failed(unverified))
    assert proc.returncode != 0
    assert sim.requests() == []


def test_sanitised_group_names(sim, ansible, cyberwatch_api):
    group = cyberwatch_api.create('group', {'name': 'Web Servers (EU)', 'description': ''})
    sim.control('POST', '/_sim/cyberwatch/servers', {'hostname': 'odd.example.com', 'groups': [group['id']]})
    inv = inventory(ansible)
    assert inv.group('cyberwatch_group_web_servers_eu') == {'odd.example.com'}
    assert inv.hostvars['odd.example.com']['cyberwatch_groups'] == ['Web Servers (EU)']
    assert 'ansible_host' not in inv.hostvars['odd.example.com']  # no address
