"""cyberwatch_server against the simulator: update/CVE/delete life cycle, check mode, selection, bad input, errors."""

import functools

import pytest
from harness import IN_PROCESS_ONLY

MODULE = 'secops.vulnmgmt.cyberwatch_server'


def server_task(**params):
    return {MODULE: params, 'register': 'result'}


def assert_task(*that):
    return {'assert': {'that': list(that)}}


def test_life_cycle(sim, ansible, routes, auth):
    ansible.target('cyberwatch_server', env={'CYBERWATCH_API_ROUTES': routes, 'CYBERWATCH_AUTH_METHOD': auth})
    prefix = '/api/v3/vulnerabilities/servers' if routes == 'current' else '/api/v3/servers'
    writes = sim.writes()
    assert [w['method'] for w in writes] == ['PATCH', 'PATCH', 'PATCH', 'PUT', 'PUT', 'DELETE']
    assert all(w['path'].startswith(prefix) for w in writes)
    assert {r['auth'] for r in sim.requests()} == {auth}


@IN_PROCESS_ONLY
def test_check_mode_predicts_and_sends_no_write(sim, ansible):
    check = functools.partial(ansible.module_here, check_mode=True)
    result = check(server_task(id=1, description='x', groups=['web'], ignored_cves=['CVE-2022-28663']))
    assert result['changed'] and result['diff']['after']['groups'] == [2, 6, 8], result
    assert result['cve_announcements'] == {'CVE-2022-28663': {'ignored': True}}, result
    assert check(server_task(id=1, compliance_groups=[]))['changed']
    assert not check(server_task(id=1, compliance_groups=[2]))['changed']
    assert check(server_task(id=1, state='absent'))['changed']
    assert not check(server_task(id=1, groups=['linux'], category='hypervisor'))['changed']
    assert sim.writes() == []


def test_diff_output(sim, ansible):
    out = ansible.playbook([server_task(id=1, groups=['staging'], purge_groups=True)], ['--diff'])
    last = out.stdout.split('TASK [')[-1]
    assert '-        8' in last and 'description' not in last


def test_missing_server_fails_clearly(sim, ansible):
    out = ansible.playbook([server_task(hostname='nope.example.com', description='x')], check=False)
    assert out.returncode != 0
    assert "no server with hostname 'nope.example.com' exists, and this module cannot create one" in out.stdout
    ansible.playbook([server_task(hostname='nope.example.com', state='absent'), assert_task('result is not changed')])
    assert sim.writes() == []


def test_ambiguous_hostname_lists_the_candidates(sim, ansible):
    sim.control('POST', 'cyberwatch/servers', {'hostname': 'twin.example.com'})
    sim.control('POST', 'cyberwatch/servers', {'hostname': 'twin.example.com'})
    sim.clear_requests()
    out = ansible.playbook([server_task(hostname='twin.example.com', description='x')], check=False)
    assert out.returncode != 0
    assert '2 objects match server with hostname' in out.stdout
    assert 'id 31 hostname=twin.example.com, id 32 hostname=twin.example.com' in out.stdout
    assert sim.writes() == []


@pytest.mark.parametrize('params,message', [
    ({'description': 'x'}, 'one of the following is required: id, hostname'),
    ({'id': 1, 'hostname': 'a'}, 'parameters are mutually exclusive: id|hostname'),
    ({'id': 1, 'category': 'toaster'}, 'value of category must be one of: server, desktop'),
])
def test_bad_input_fails_before_any_request(sim, ansible, params, message):
    ansible.fails([server_task(**params)], message)
    assert sim.requests() == []


def test_unknown_group_fails_before_any_write(sim, ansible):
    out = ansible.playbook([server_task(id=1, groups=['nope'])], check=False)
    assert out.returncode != 0
    assert "group 'nope': not found; known: prod (id 1)" in out.stdout
    assert sim.writes() == []


def test_unknown_cve_is_a_readable_api_error(sim, ansible):
    out = ansible.playbook([server_task(id=1, cve_comments={'CVE-1999-0001': 'x'}),
                            server_task(id=1, ignored_cves=['CVE-1999-0001'])], check=False,
                           warnings=('CVE-1999-0001 is not shown on server 1',))
    assert 'CVE-1999-0001 is not shown on server 1' in out.stderr + out.stdout
    assert out.returncode == 0 and sim.writes() == []


def test_server_error_is_readable(sim, ansible):
    sim.set_faults([{'kind': 'status', 'status': 422, 'match': '^PATCH '}])
    out = ansible.playbook([server_task(id=1, description='x')], check=False)
    assert out.returncode != 0
    assert 'PATCH /api/v3/vulnerabilities/servers/1 failed with HTTP 422' in out.stdout
    assert 'Simulated fault' in out.stdout
