"""The CyStack info modules, cystack_vulnerability and cystack_monitoring against the simulator."""

import pytest
from harness import Ansible
from launcher import Simulator

CYSTACK_NET = '599fc347-3e46-4163-8a1d-444bd1928a85'
UNKNOWN = '00000000-0000-4000-8000-000000000000'


def task(module, **params):
    return {'secops.vulnmgmt.%s' % module: params, 'register': 'result'}


def assert_task(*that):
    return {'ansible.builtin.assert': {'that': list(that)}}


def second_pages(sim, path):
    return [r for r in sim.requests() if r['method'] == 'GET' and r['path'] == path and 'page=2' in r['query']]


@pytest.mark.parametrize('target', ['cystack_target_info', 'cystack_scan_info', 'cystack_vulnerability_info',
                                    'cystack_monitoring_info', 'cystack_vulnerability', 'cystack_monitoring'])
def test_target(sim, ansible, target):
    ansible.target(target)
    writes = [w['method'] for w in sim.writes()]
    assert writes == {'cystack_vulnerability': ['PUT', 'PUT'], 'cystack_monitoring': ['PUT', 'PUT']}.get(target, [])


@pytest.mark.parametrize('module,key,path', [
    ('cystack_target_info', 'targets', '/v1/targets'), ('cystack_scan_info', 'scans', '/v1/scans'),
    ('cystack_vulnerability_info', 'vulnerabilities', '/v1/vulnerabilities')])
def test_pagination_past_ten_items(sim, ansible, module, key, path):
    ansible.playbook([task(module), assert_task('result.%s | length > 10' % key)])
    assert len(second_pages(sim, path)) == 1


def test_drf_next_on_a_foreign_host_is_not_followed(workdir):
    """next links point at https://cystack.io (as in the docs): only their page number is used."""
    with Simulator(seed=1, servers=2, targets=15, extra_args=['--cystack-next-host', 'https://cystack.io']) as other:
        Ansible(other, workdir).playbook([task('cystack_target_info'), assert_task('result.targets | length == 15')])
        assert len(second_pages(other, '/v1/targets')) == 1


def test_false_positive_check_mode_sends_no_write(sim, ansible):
    ansible.playbook([
        task('cystack_vulnerability_info', severity='High'),
        {'set_fact': {'vuln_id': '{{ result.vulnerabilities[0].id }}'}},
        task('cystack_vulnerability', id='{{ vuln_id }}', false_positive=True),
        assert_task('result is changed', 'result.vulnerability.false_positive',
                    "result.diff.after == {'false_positive': True}"),
    ], ['--check'])
    assert sim.writes() == []


def test_monitoring_check_mode_and_diff(sim, ansible):
    out = ansible.playbook([task('cystack_monitoring', target='https://cystack.net', interval=30)],
                           ['--check', '--diff'])
    assert sim.writes() == []
    assert '-    "interval": 5' in out.stdout and '+    "interval": 30' in out.stdout
    assert 'is_activated' not in out.stdout.split('TASK [')[-1]
    ansible.playbook([task('cystack_monitoring', target='https://cystack.net', interval=30, enabled=True),
                      assert_task('result is changed', "result.diff.before == {'interval': 5}")], ['--diff'])
    ansible.playbook([task('cystack_monitoring', target=CYSTACK_NET, interval=30, enabled=True),
                      assert_task('result is not changed', "result.diff == {'before': {}, 'after': {}}")])
    assert [w['method'] for w in sim.writes()] == ['PUT']


@pytest.mark.parametrize('module,params,message', [
    ('cystack_monitoring', {'target': CYSTACK_NET, 'interval': -5}, 'interval must be an integer of 1 or more, got -5'),
    ('cystack_monitoring', {'target': CYSTACK_NET, 'interval': 'often'}, "argument 'interval' is of type"),
    ('cystack_vulnerability', {'id': UNKNOWN, 'false_positive': 'maybe'}, "argument 'false_positive' is of type"),
    ('cystack_scan_info', {'status': 'Done'}, 'value of status must be one of'),
    ('cystack_vulnerability_info', {'severity': 'Critical'}, 'value of severity must be one of'),
    ('cystack_vulnerability_info', {'id': UNKNOWN, 'scan_id': UNKNOWN}, 'mutually exclusive'),
])
def test_bad_input_fails_before_any_request(sim, ansible, module, params, message):
    ansible.fails([task(module, **params)], message)
    assert sim.requests() == []


def test_monitoring_unknown_target_fails_before_any_write(sim, ansible):
    out = ansible.playbook([task('cystack_monitoring', target='https://nope.example.org', interval=5)], check=False)
    assert out.returncode != 0 and "target 'https://nope.example.org'" in out.stdout
    assert {(r['method'], r['path']) for r in sim.requests()} == {('GET', '/v1/targets')}


@pytest.mark.parametrize('module,params,path', [
    ('cystack_vulnerability', {'id': UNKNOWN, 'false_positive': True}, '/vulnerabilities/' + UNKNOWN),
    ('cystack_vulnerability_info', {'id': UNKNOWN}, '/vulnerabilities/' + UNKNOWN),
    ('cystack_vulnerability_info', {'scan_id': UNKNOWN}, '/scans/' + UNKNOWN),
    ('cystack_scan_info', {'id': UNKNOWN}, '/scans/' + UNKNOWN),
])
def test_unknown_id_is_a_readable_404(sim, ansible, module, params, path):
    out = ansible.playbook([task(module, **params)], check=False)
    assert out.returncode != 0
    assert 'GET %s failed with HTTP 404' % path in out.stdout and 'Not found.' in out.stdout
    assert sim.writes() == []


@pytest.mark.parametrize('module,params', [('cystack_target_info', {}), ('cystack_monitoring', {
    'target': CYSTACK_NET, 'interval': 5})])
def test_wrong_api_key_is_a_readable_401(sim, ansible, module, params):
    out = ansible.playbook([task(module, **params)], env={'CYSTACK_API_KEY': 'wrong-cystack-key-123'}, check=False)
    assert out.returncode != 0
    assert 'GET /targets failed with HTTP 401' in out.stdout and 'Invalid token.' in out.stdout
    assert 'wrong-cystack-key-123' not in out.stdout + out.stderr
    assert {r['auth'] for r in sim.requests()} == {'failed'}


def test_api_key_never_printed_at_vvvv(sim, ansible):
    out = ansible.playbook([task('cystack_monitoring', target=CYSTACK_NET, interval=7),
                            task('cystack_vulnerability_info', severity='Low')], ['-vvvv', '--diff'])
    assert ansible.sim.cystack['api_key'] not in out.stdout + out.stderr


def test_list_and_detail_start_times_agree(sim, ansible):
    """The list prints local UTC+7 text, the detail epoch seconds: both normalise to the same instant."""
    ansible.playbook([
        task('cystack_scan_info', status='Stopped'),
        {'set_fact': {'listed': '{{ result.scans[-1] }}'}},
        task('cystack_scan_info', id='{{ listed.id }}'),
        assert_task('result.scans[0].start_time_epoch == listed.start_time_epoch'),
    ])
