"""cyberwatch_node against the simulator: delete with transfer, check mode, bad input, errors."""

import pytest
from harness import IN_PROCESS_ONLY

MODULE = 'secops.vulnmgmt.cyberwatch_node'


def node_task(**params):
    return {MODULE: params, 'register': 'result'}


def assert_task(*that):
    return {'assert': {'that': list(that)}}


def test_life_cycle(sim, ansible, routes, auth):
    ansible.target('cyberwatch_node', env={'CYBERWATCH_API_ROUTES': routes, 'CYBERWATCH_AUTH_METHOD': auth})
    writes = sim.writes()
    assert [(w['method'], w['path']) for w in writes][1:] == [('DELETE', '/api/v3/nodes/3')]
    assert {r['auth'] for r in sim.requests()} == {auth}


@IN_PROCESS_ONLY
def test_check_mode_predicts_and_sends_no_write(sim, ansible):
    result = ansible.module_here(node_task(name='scanner-eu', transfer_to='master', state='absent'), check_mode=True)
    assert result['changed'] and result['transfer_to'] == 1, result
    assert sim.writes() == []


@pytest.mark.parametrize('params,message', [
    ({'name': 'scanner-eu', 'state': 'absent'}, 'state is absent but all of the following are missing: transfer_to'),
    ({'transfer_to': 'master'}, 'one of the following is required: name, id'),
    ({'name': 'a', 'id': 1}, 'parameters are mutually exclusive: name|id'),
])
def test_bad_input_fails_before_any_request(sim, ansible, params, message):
    ansible.fails([node_task(**params)], message)
    assert sim.requests() == []


@pytest.mark.parametrize('transfer_to,message', [
    ('scanner-eu', 'transfer_to must be another node than scanner-eu (id 3)'),
    ('nowhere', "node 'nowhere': not found; known: master (id 1), scanner-dmz (id 2), scanner-eu (id 3)"),
])
def test_bad_transfer_target_fails_before_any_write(sim, ansible, transfer_to, message):
    ansible.fails([node_task(name='scanner-eu', transfer_to=transfer_to, state='absent')], message)
    assert sim.writes() == []


def test_missing_node(sim, ansible):
    out = ansible.playbook([node_task(name='ghost')], check=False)
    assert "no node with name 'ghost' exists" in out.stdout and out.returncode != 0
    ansible.playbook([node_task(name='ghost', transfer_to='nowhere', state='absent'),
                      assert_task('result is not changed')])
    assert sim.writes() == []


def test_server_error_is_readable(sim, ansible):
    sim.set_faults([{'kind': 'status', 'status': 409, 'match': '^DELETE /api/v3/nodes'}])
    out = ansible.playbook([node_task(id=2, transfer_to='1', state='absent')], check=False)
    assert out.returncode != 0
    assert 'DELETE /api/v3/nodes/2 failed with HTTP 409' in out.stdout and 'Simulated fault' in out.stdout
