"""cyberwatch_host against the simulator: life cycle with replacement, check mode, diff, bad input, errors."""

import functools

import pytest
from harness import IN_PROCESS_ONLY

MODULE = 'secops.vulnmgmt.cyberwatch_host'
HOST = {'target': 'check-host.example.com', 'node': 'master', 'category': 'linux'}


def host_task(**params):
    return {MODULE: params, 'register': 'result'}


def test_life_cycle(sim, ansible, routes, auth):
    ansible.target('cyberwatch_host', env={'CYBERWATCH_API_ROUTES': routes, 'CYBERWATCH_AUTH_METHOD': auth})
    writes = sim.writes()
    assert [w['method'] for w in writes] == ['POST', 'PUT', 'DELETE', 'POST', 'DELETE']
    assert all(w['path'].startswith('/api/v3/hosts') for w in writes)
    assert {r['auth'] for r in sim.requests()} == {auth}


@IN_PROCESS_ONLY
def test_check_mode_predicts_and_sends_no_write(sim, ansible):
    check = functools.partial(ansible.module_here, check_mode=True)
    assert check(host_task(**HOST))['changed']
    assert sim.writes() == []
    ansible.module_here(host_task(**HOST))
    sim.clear_requests()
    result = check(host_task(target=HOST['target'], category='other'))
    assert result['changed'] and result['diff']['after'] == {'category': 'other'}, result
    result = check(host_task(id=5, target='moved.example.com'))
    assert result['changed'] and result['replaced'], result
    assert check(host_task(target=HOST['target'], state='absent'))['changed']
    assert sim.writes() == []


def test_diff_output(sim, ansible):
    out = ansible.playbook([host_task(target='5.5.5.5', category='linux')], ['--diff'])
    last = out.stdout.split('TASK [')[-1]
    assert '-    "category": "unknown"' in last and '+    "category": "linux"' in last


@pytest.mark.parametrize('params,message', [
    ({'category': 'linux'}, 'one of the following is required: target, id'),
    ({'target': 'x', 'state': 'gone'}, 'value of state must be one of: present, absent'),
])
def test_bad_input_fails_before_any_request(sim, ansible, params, message):
    ansible.fails([host_task(**params)], message)
    assert sim.requests() == []


def test_node_is_required_to_create(sim, ansible):
    out = ansible.playbook([host_task(target='nonode.example.com')], check=False)
    assert out.returncode != 0
    assert 'node is required to create a host' in out.stdout
    assert sim.writes() == []


def test_missing_id_fails(sim, ansible):
    out = ansible.playbook([host_task(id=999, target='x.example.com', node='master')], check=False)
    assert out.returncode != 0
    assert 'no host with id 999 exists' in out.stdout
    assert sim.writes() == []


def test_server_error_is_readable(sim, ansible):
    out = ansible.playbook([host_task(target='bad.example.com', node='master', category='toaster')], check=False)
    assert out.returncode != 0
    assert 'POST /api/v3/hosts failed with HTTP 400' in out.stdout
    assert "'toaster' is not a valid category" in out.stdout
