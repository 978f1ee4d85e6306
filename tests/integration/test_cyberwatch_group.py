"""cyberwatch_group against the simulator: the full life cycle, check mode, diff and bad input."""

import pytest

GROUP = {'name': 'it-check', 'description': 'check mode', 'color': '#112233'}


def group_task(**params):
    return {'secops.vulnmgmt.cyberwatch_group': params, 'register': 'result'}


def test_life_cycle(sim, ansible, routes, auth):
    ansible.target('cyberwatch_group', env={'CYBERWATCH_API_ROUTES': routes, 'CYBERWATCH_AUTH_METHOD': auth})
    prefix = '/api/v3/assets/groups' if routes == 'current' else '/api/v3/groups'
    writes = sim.writes()
    assert [w['method'] for w in writes] == ['POST', 'PUT', 'DELETE']
    assert all(w['path'].startswith(prefix) for w in writes)
    assert {r['auth'] for r in sim.requests()} == {auth}


def test_check_mode_predicts_and_sends_no_write(sim, ansible):
    check = ['--check']
    out = ansible.playbook([group_task(**GROUP), {'assert': {'that': ['result is changed']}}], check)
    assert sim.writes() == [], out.stdout
    ansible.playbook([group_task(**GROUP)])
    sim.clear_requests()
    ansible.playbook([group_task(name='it-check', color='#445566'),
                      {'assert': {'that': ['result is changed', "result.diff.after == {'color': '#445566'}"]}}],
                     check)
    ansible.playbook([group_task(name='it-check', state='absent'), {'assert': {'that': ['result is changed']}}],
                     check)
    assert sim.writes() == []


def test_diff_output_shows_only_the_changed_field(sim, ansible):
    ansible.playbook([group_task(**GROUP)])
    out = ansible.playbook([group_task(name='it-check', description='new text')], ['--diff'])
    assert '-    "description": "check mode"' in out.stdout
    assert '+    "description": "new text"' in out.stdout
    assert 'color' not in out.stdout.split('TASK [')[-1]


@pytest.mark.parametrize('params,message', [
    ({'name': 'x', 'color': 'red'}, 'color must be #RRGGBB'),
    ({'description': 'no name'}, 'missing required arguments: name'),
    ({'name': 'x', 'state': 'gone'}, 'value of state must be one of: present, absent'),
])
def test_bad_input_fails_before_any_request(sim, ansible, params, message):
    ansible.fails([group_task(**params)], message)
    assert sim.requests() == []


def test_wrong_secret_fails_readably(sim, ansible):
    out = ansible.playbook([group_task(name='x')], env={'CYBERWATCH_SECRET_KEY': 'wrong-secret-value'}, check=False)
    assert out.returncode != 0
    assert 'HTTP 401' in out.stdout and 'Authentication failed.' in out.stdout
    assert 'wrong-secret-value' not in out.stdout
