"""The Cyberwatch info modules against the simulator: results, no writes, check mode, filters on the server."""

import pytest


def task(module, **params):
    return {'secops.vulnmgmt.cyberwatch_%s' % module: params, 'register': 'result'}


def test_every_info_module(sim, ansible, routes, auth):
    ansible.target('cyberwatch_info', env={'CYBERWATCH_API_ROUTES': routes, 'CYBERWATCH_AUTH_METHOD': auth})
    assert sim.writes() == []
    assert {r['auth'] for r in sim.requests()} == {auth}


def test_check_mode_is_supported(sim, ansible):
    ansible.target('cyberwatch_info', extra_args=['--check'])
    assert sim.writes() == []


def test_filters_go_to_the_server(sim, ansible):
    ansible.playbook([task('server_info', group='windows', reboot_required=True, active=True),
                      {'assert': {'that': ['result.servers | map(attribute="reboot_required") | unique in [[true], []]']}}])
    requests = sim.requests()
    servers = [r for r in requests if r['path'] == '/api/v3/vulnerabilities/servers']
    assert len(servers) == 1
    assert 'group_id=7' in servers[0]['query'] and 'reboot_required=true' in servers[0]['query']
    assert 'active=true' in servers[0]['query'] and 'per_page=100' in servers[0]['query']


def test_details_are_fetched_for_each_server(sim, ansible):
    ansible.playbook([task('server_info', details=True, max_workers=8),
                      {'assert': {'that': ['result.servers | length == 30',
                                           "result.servers | selectattr('updates', 'defined') | list | length == 30"]}}])
    details = [r for r in sim.requests() if r['path'].startswith('/api/v3/vulnerabilities/servers/')]
    assert len(details) == 30


def test_detail_errors_propagate(sim, ansible):
    sim.set_faults([{'kind': 'status', 'status': 500, 'match': '^GET /api/v3/vulnerabilities/servers/7$'}])
    out = ansible.playbook([task('server_info', details=True)], check=False)
    assert out.returncode != 0
    assert 'GET /api/v3/vulnerabilities/servers/7 failed with HTTP 500' in out.stdout


def test_ids_reads_the_details_of_a_list_of_servers_in_one_run(sim, ansible):
    ansible.playbook([task('server_info', ids=[3, 999, '1', 3], max_workers=4), {'assert': {'that': [
        "result.servers | map(attribute='id') | list == [3, 1]", 'result.missing_ids == [999]',
        "result.servers | selectattr('cve_announcements', 'defined') | list | length == 2"]}}])
    assert sorted(r['path'] for r in sim.requests()) == ['/api/v3/vulnerabilities/servers/%d' % i for i in (1, 3, 999)]


def test_ids_fails_on_a_detail_that_fails(sim, ansible):
    sim.set_faults([{'kind': 'status', 'status': 500, 'match': '^GET /api/v3/vulnerabilities/servers/7$'}])
    out = ansible.playbook([task('server_info', ids=[1, 7, 9])], check=False)
    assert out.returncode != 0
    assert 'GET /api/v3/vulnerabilities/servers/7 failed with HTTP 500' in out.stdout


@pytest.mark.parametrize('module,params,message', [
    ('server_info', {'max_workers': 0}, 'max_workers must be an integer between 1 and 32, got 0'),
    ('server_info', {'ids': [4, 0, -2]}, 'ids must be an integer of 1 or more, got 0, -2'),
    ('server_info', {'ids': [4], 'hostname': 'web'}, 'parameters are mutually exclusive: ids|hostname'),
    ('server_info', {'ids': [4], 'id': 4}, 'parameters are mutually exclusive: ids|id'),
    ('server_info', {'ids': ['web-01']}, "Elements value for option 'ids' is of type "),
    ('cve_info', {'level': ['level_severe']}, 'value of level must be one or more of'),
    ('user_info', {'id': 1, 'login': 'x'}, 'parameters are mutually exclusive: id|login'),
])
def test_bad_input_fails_before_any_request(sim, ansible, module, params, message):
    ansible.fails([task(module, **params)], message)
    assert sim.requests() == []


def test_unknown_group_filter_fails_readably(sim, ansible):
    out = ansible.playbook([task('server_info', group='nope')], check=False)
    assert out.returncode != 0
    assert "group 'nope': not found" in out.stdout


def test_unknown_cve_is_empty(sim, ansible):
    ansible.playbook([task('cve_info', cve_code='CVE-1999-0001'),
                      {'assert': {'that': ['result.cve_announcements == []']}}])
