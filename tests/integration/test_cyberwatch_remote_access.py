"""cyberwatch_remote_access against the simulator: life cycle, check mode, diff, secrets, errors, request budget."""

import functools

import pytest
from harness import IN_PROCESS_ONLY

PASSWORD = 'it-Secret-Pa55word'
KEY = '-----BEGIN OPENSSH PRIVATE KEY-----\nit-private-key-material-0123456789\n-----END OPENSSH PRIVATE KEY-----\n'
RA = {'address': 'check.example.com', 'type': 'ssh_password', 'login': 'scan', 'password': PASSWORD}
MODULE = 'secops.vulnmgmt.cyberwatch_remote_access'


def ra_task(**params):
    return {MODULE: params, 'register': 'result'}


def assert_task(*that):
    return {'assert': {'that': list(that)}}


def test_life_cycle(sim, ansible, routes, auth):
    ansible.target('cyberwatch_remote_access', env={'CYBERWATCH_API_ROUTES': routes, 'CYBERWATCH_AUTH_METHOD': auth})
    prefix = '/api/v3/assets/remote_accesses' if routes == 'current' else '/api/v3/remote_accesses'
    writes = sim.writes()
    assert [w['method'] for w in writes] == ['POST', 'PATCH', 'PUT', 'PATCH', 'DELETE']
    assert writes[2]['path'].endswith('/test_deploy')
    assert all(w['path'].startswith(prefix) for w in writes)
    assert {r['auth'] for r in sim.requests()} == {auth}


@IN_PROCESS_ONLY
def test_check_mode_predicts_and_sends_no_write(sim, ansible):
    check = functools.partial(ansible.module_here, check_mode=True)
    result = check(ra_task(**RA))
    assert result['changed'] and result['remote_access']['port'] == 22, result
    assert sim.writes() == []
    ansible.module_here(ra_task(**RA))
    sim.clear_requests()
    result = check(ra_task(address='check.example.com', port=2200, test_deploy=True))
    assert result['changed'] and result['diff']['after'] == {'port': 2200}, result
    assert check(ra_task(address='check.example.com', state='absent'))['changed']
    assert not check(ra_task(**RA))['changed']
    assert sim.writes() == []


def test_diff_masks_secrets_and_shows_only_the_changed_field(sim, ansible):
    out = ansible.playbook([ra_task(address='diff.example.com', type='ssh_key', login='scan', key=KEY)], ['--diff'])
    assert 'VALUE_SPECIFIED_IN_NO_LOG_PARAMETER' in out.stdout
    assert 'it-private-key-material' not in out.stdout + out.stderr
    out = ansible.playbook([ra_task(address='diff.example.com', port=2022, key=KEY)], ['--diff'])
    last = out.stdout.split('TASK [')[-1]
    assert '-    "port": 22' in last and '+    "port": 2022' in last
    assert 'key' not in last


def test_no_patch_when_nothing_changed(sim, ansible):
    ansible.playbook([ra_task(credential_id=5, **RA)])
    sim.clear_requests()
    ansible.playbook([ra_task(node='master', port=22, test_deploy=True, credential_id=5, **RA),
                      assert_task('result is not changed')])
    assert sim.writes() == []


@pytest.mark.parametrize('params,message', [
    (dict(RA, type='telnet'), 'value of type must be one of: snmp, ssh_key, ssh_password, winrm_negotiate'),
    (dict(RA, port=70000), 'port must be an integer between 1 and 65535, got 70000'),
    (dict(RA, port=0), 'port must be an integer between 1 and 65535, got 0'),
    ({'type': 'snmp'}, 'missing required arguments: address'),
    (dict(RA, update_password='sometimes'), 'value of update_password must be one of: on_create, always'),
])
def test_bad_input_fails_before_any_request(sim, ansible, params, message):
    ansible.fails([ra_task(**params)], message)
    assert sim.requests() == []


def test_type_is_required_to_create(sim, ansible):
    out = ansible.playbook([ra_task(address='notype.example.com')], check=False)
    assert out.returncode != 0
    assert 'type is required to create a remote_access' in out.stdout
    assert sim.writes() == []


def test_server_validation_error_is_readable(sim, ansible):
    sim.set_faults([{'kind': 'status', 'status': 422, 'match': '^POST /api/v3/assets/remote_accesses'}])
    out = ansible.playbook([ra_task(**RA)], check=False)
    assert out.returncode != 0
    assert 'POST /api/v3/assets/remote_accesses failed with HTTP 422' in out.stdout
    assert 'Simulated fault' in out.stdout
    assert PASSWORD not in out.stdout + out.stderr


def test_unknown_node_name_fails_listing_the_nodes(sim, ansible):
    out = ansible.playbook([ra_task(node='nowhere', **RA)], check=False)
    assert out.returncode != 0
    assert "node 'nowhere': not found; known: master (id 1)" in out.stdout
    assert sim.writes() == []


def test_failed_deployment_test(sim, ansible):
    out = ansible.playbook([ra_task(address='203.0.113.9', type='ssh_password', test_deploy=True,
                                    test_deploy_timeout=10, fail_on_invalid=True)], check=False)
    assert out.returncode != 0
    assert 'the deployment test of 203.0.113.9 failed: Net::SSH::ConnectionTimeout' in out.stdout
    ansible.playbook([ra_task(address='203.0.113.10', type='ssh_password', test_deploy=True, test_deploy_timeout=10),
                      assert_task('result.is_valid is false', "result.last_error == 'Net::SSH::ConnectionTimeout'")])


def test_secrets_never_printed_at_vvvv(sim, ansible):
    tasks = [ra_task(address='v1.example.com', type='ssh_password', login='scan', password=PASSWORD),
             ra_task(address='v2.example.com', type='ssh_key', login='scan', key=KEY, update_password='always'),
             ra_task(address='v3.example.com', type='snmp', auth_password=PASSWORD + '-auth',
                     priv_password=PASSWORD + '-priv'),
             ra_task(address='v2.example.com', type='ssh_key', key=KEY, update_password='always')]
    out = ansible.playbook(tasks, ['-vvvv', '--diff'])
    text = out.stdout + out.stderr
    assert 'v3.example.com' in text
    for secret in (PASSWORD, 'it-private-key-material', sim.cyberwatch['api_key'], sim.cyberwatch['secret_key']):
        assert secret not in text


FLEET = 10  # remote accesses in the loop: the budget is per item, so 10 prove it as well as 100 (each is a module run)


@pytest.mark.fleet
def test_no_op_loop_of_remote_accesses_request_budget(sim, ansible):
    """A no-op loop over remote accesses only lists (per_page 100): at most 2 GETs per remote access."""
    item = {'address': 'bulk-{{ item }}.example.com', 'type': 'ssh_password', 'port': 22, 'login': 'scan',
            'password': PASSWORD, 'node': 1}
    task = {MODULE: item, 'loop': '{{ range(%d) | list }}' % FLEET}
    # Create them in one task (cyberwatch_remote_accesses), then measure the per-item module's no-op loop.
    ansible.playbook([{'secops.vulnmgmt.cyberwatch_remote_accesses': {'remote_accesses': [
        dict(item, address='bulk-%d.example.com' % n) for n in range(FLEET)]}}])
    sim.clear_requests()
    out = ansible.playbook([task])
    assert 'changed=0' in out.stdout
    requests = sim.requests()
    print('no-op of %d remote accesses: %d requests' % (FLEET, len(requests)))
    assert {r['method'] for r in requests} == {'GET'}
    assert all('per_page=100' in r['query'] for r in requests)
    assert len(requests) <= 2 * FLEET
