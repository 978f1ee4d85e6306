"""cystack_scan against the simulator: launch + wait, max_age, stop, delete, timeout, check mode, secrets.

Stopping a running scan and timing out need scans that do not finish by themselves: those tests use a second
simulator started with scan_seconds=0 (scans only move through /_sim/ advance).
"""

import pytest
from harness import Ansible
from launcher import Simulator

CYSTACK_NET = '599fc347-3e46-4163-8a1d-444bd1928a85'
PASSWORD = 'Sc4n-Passw0rd-Never-Shown'
COOKIE = 'session=Never-Shown-Cookie-0123'


def scan_task(**params):
    return {'secops.vulnmgmt.cystack_scan': params, 'register': 'result'}


def assert_task(*that):
    return {'ansible.builtin.assert': {'that': list(that)}}


@pytest.fixture(scope='module')
def manual_simulator():
    sim = Simulator(seed=1, servers=2, targets=15, scan_seconds=0).start()
    yield sim
    sim.stop()


@pytest.fixture
def manual(manual_simulator, workdir):
    """(simulator whose scans never finish alone, Ansible bound to it), reset."""
    manual_simulator.reset()
    return manual_simulator, Ansible(manual_simulator, workdir)


def test_life_cycle(sim, ansible):
    ansible.target('cystack_scan')
    writes = [(w['method'], w['path'].rsplit('/', 1)[0]) for w in sim.writes()]
    assert writes == [('POST', '/v1'), ('DELETE', '/v1/scans')]


def test_launch_then_max_age_skips_the_second_launch(sim, ansible):
    ansible.playbook([scan_task(target='https://cystack.net', profile=1, max_age=3600, wait=True, poll_interval=1),
                      assert_task('result is changed', 'result.counts.total > 0')])
    # Seeded scans are weeks old: a too small max_age launches again, a large one reuses.
    ansible.playbook([scan_task(target='https://cystack.net', profile=1, max_age='1h', wait=True),
                      assert_task('result is not changed', 'result.reused', "result.scan.status == 'Stopped'",
                                  'result.vulnerabilities | length == result.counts.total')])
    ansible.playbook([scan_task(target='https://cystack.net', profile=1, max_age='3m'),
                      assert_task('result is not changed')])
    assert [w['method'] for w in sim.writes()] == ['POST']


def test_max_age_ignores_old_scans(sim, ansible):
    ansible.playbook([scan_task(target='https://cystack.net', profile=1, max_age='1d'),
                      assert_task('result is changed', 'not result.reused')])
    assert [w['method'] for w in sim.writes()] == ['POST']


def test_stop_and_delete_are_idempotent(manual):
    sim, ansible = manual
    ansible.playbook([
        scan_task(target=CYSTACK_NET, profile=5),
        {'set_fact': {'scan_id': '{{ result.scan_id }}'}},
        assert_task('result is changed', "result.scan.status == 'Queued'"),
        {'uri': {'url': '{{ sim_url }}/_sim/cystack/scans/{{ scan_id }}/advance', 'method': 'POST',
                 'body_format': 'json', 'body': {'to': 'Running'}}},
        scan_task(id='{{ scan_id }}', state='stopped'),
        assert_task('result is changed', "result.diff.before.status == 'Running'",
                    "result.scan.status == 'Stopped'"),
        scan_task(id='{{ scan_id }}', state='stopped'),
        assert_task('result is not changed'),
        scan_task(id='{{ scan_id }}', state='absent'),
        assert_task('result is changed', 'result.scan is none', 'result.diff.before.status == "Stopped"'),
        scan_task(id='{{ scan_id }}', state='absent'),
        assert_task('result is not changed'),
    ])
    calls = [(r['method'], r['path'].split('/')[-1]) for r in sim.requests()
             if r['method'] != 'GET' or r['path'].endswith('/stop')]
    assert [c[0] for c in calls] == ['POST', 'GET', 'DELETE']
    assert calls[1][1] == 'stop'


def test_wait_timeout_fails_and_returns_the_scan_id(manual):
    sim, ansible = manual
    out = ansible.playbook([
        dict(scan_task(target=CYSTACK_NET, profile=5, wait=True, wait_timeout=1, poll_interval=1),
             ignore_errors=True),
        assert_task('result is failed', 'result is changed', "result.scan_id is match('^[0-9a-f-]{36}$')",
                    "result.status == 'Queued'", "'did not finish within 1s' in result.msg",
                    'result.scan_id in result.msg'),
    ])
    assert 'last status: Queued' in out.stdout
    assert [w['method'] for w in sim.writes()] == ['POST']


def test_check_mode_sends_no_write(manual):
    sim, ansible = manual
    launched = ansible.playbook([scan_task(target=CYSTACK_NET, profile=5), {'debug': {'var': 'result.scan_id'}}])
    scan_id = launched.stdout.split('"result.scan_id": "')[1].split('"')[0]
    sim.clear_requests()
    ansible.playbook([
        scan_task(target='https://cystack.net', profile=5, wait=True),
        assert_task('result is changed', 'result.scan.id is none', "result.diff.after.profile == 5"),
        scan_task(id=scan_id, state='stopped'),
        assert_task('result is changed', "result.scan.status == 'Stopped'"),
        scan_task(id=scan_id, state='absent'),
        assert_task('result is changed'),
    ], ['--check'])
    assert sim.writes() == []
    assert not [r for r in sim.requests() if r['path'].endswith('/stop')]


def test_unknown_target_fails_after_reading_targets_only(sim, ansible):
    out = ansible.playbook([scan_task(target='https://nope.example.org', profile=5)], check=False)
    assert out.returncode != 0
    assert "target 'https://nope.example.org' is neither the id nor the address" in out.stdout
    assert {(r['method'], r['path']) for r in sim.requests()} == {('GET', '/v1/targets')}


@pytest.mark.parametrize('params,message', [
    ({'target': CYSTACK_NET, 'profile': 'full'}, "argument 'profile' is of type"),
    ({'target': CYSTACK_NET}, 'state is present but all of the following are missing: profile'),
    ({'state': 'absent'}, 'state is absent but all of the following are missing: id'),
    ({'target': CYSTACK_NET, 'profile': 5, 'max_age': '2 hours'}, 'max_age must be a duration: a number of seconds'),
    ({'target': CYSTACK_NET, 'profile': 5, 'poll_interval': 0}, 'poll_interval must be an integer of 1 or more, got 0'),
    ({'target': CYSTACK_NET, 'profile': 5, 'notifications': ['x']}, "notifications"),
])
def test_bad_input_fails_before_any_request(sim, ansible, params, message):
    ansible.fails([scan_task(**params)], message)
    assert sim.requests() == []


def test_unknown_scan_id_is_a_readable_404(sim, ansible):
    out = ansible.playbook([scan_task(id='00000000-0000-4000-8000-000000000000', state='stopped')], check=False)
    assert out.returncode != 0
    assert 'GET /scans/00000000-0000-4000-8000-000000000000 failed with HTTP 404' in out.stdout
    assert 'Not found.' in out.stdout


def test_secrets_never_printed_at_vvvv(sim, ansible):
    auth = {'authentication_method': 'cookie', 'password': PASSWORD, 'cookie': COOKIE, 'username': 'scanner'}
    advances = {'headers': {'X-Test': '1'}, 'authentication': auth}
    # The harness sets ANSIBLE_INJECT_INVOCATION, so ansible-core 2.21 prints the module arguments as older cores do.
    out = ansible.playbook([scan_task(target=CYSTACK_NET, profile=5, advances=advances)], ['-vvvv', '--diff'])
    text = out.stdout + out.stderr
    assert 'scanner' in text  # the arguments are printed, only the secrets are masked
    for secret in (PASSWORD, COOKIE, ansible.sim.cystack['api_key']):
        assert secret not in text
