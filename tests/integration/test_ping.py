"""cyberwatch_ping as an ad-hoc command with credentials from environment variables only."""

import json

import pytest

from launcher import Simulator


JSON_OUTPUT = {'ANSIBLE_LOAD_CALLBACK_PLUGINS': '1', 'ANSIBLE_STDOUT_CALLBACK': 'ansible.builtin.minimal'}


def ping(ansible, env=None, args=(), unset=(), warnings=()):
    return ansible.run('ansible', ['localhost', '-m', 'secops.vulnmgmt.cyberwatch_ping'] + list(args),
                       env=dict(JSON_OUTPUT, **(env or {})), check=False, unset=unset, warnings=warnings)


def result(proc):
    """The module result of an ad-hoc run with the minimal callback: 'localhost | STATUS => {json}'."""
    return json.loads(proc.stdout.split(' => ', 1)[1])


@pytest.mark.parametrize('auth', ['hmac', 'basic'])
def test_ping_with_env_credentials_only(sim, ansible, auth):
    # The simulator is plain HTTP: the module says so (the harness tolerates this warning; here it is required).
    proc = ping(ansible, env={'CYBERWATCH_AUTH_METHOD': auth}, warnings=('uses plain HTTP',))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    answer = result(proc)
    assert answer['changed'] is False and len(answer['uuid']) == 36
    assert sim.requests() == [{'method': 'GET', 'path': '/api/v3/ping', 'query': '', 'status': 200,
                               'auth': auth}]


def test_ping_accepts_the_cbw_variable_names(sim, ansible):
    env = {'CBW_API_URL': sim.cyberwatch['api_url'], 'CBW_API_KEY': sim.cyberwatch['api_key'],
           'CBW_SECRET_KEY': sim.cyberwatch['secret_key']}
    proc = ping(ansible, env=env, unset=('CYBERWATCH_API_URL', 'CYBERWATCH_API_KEY', 'CYBERWATCH_SECRET_KEY'))
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_wrong_secret_fails_clearly_without_leaking_it(sim, ansible):
    proc = ping(ansible, env={'CYBERWATCH_SECRET_KEY': 'wrong-secret-for-test'}, args=['-vvvv'])
    assert proc.returncode != 0
    answer = result(proc)
    assert answer['status'] == 401
    assert answer['msg'].startswith('GET /api/v3/ping failed with HTTP 401')
    assert 'Authentication failed.' in answer['msg']
    output = proc.stdout + proc.stderr
    for secret in ('wrong-secret-for-test', sim.cyberwatch['api_key'], sim.cyberwatch['secret_key']):
        assert secret not in output


def test_unreachable_url_fails_clearly(sim, ansible):
    proc = ping(ansible, env={'CYBERWATCH_API_URL': 'http://127.0.0.1:9', 'CYBERWATCH_MAX_RETRIES': '0'})
    assert proc.returncode != 0
    assert 'cannot connect to http://127.0.0.1:9' in result(proc)['msg']
    assert sim.requests() == []


def test_missing_credentials_fail_before_any_request(sim, ansible):
    proc = ping(ansible, unset=('CYBERWATCH_SECRET_KEY',))
    assert proc.returncode != 0 and 'missing required arguments: secret_key' in result(proc)['msg']
    assert sim.requests() == []


def test_tls_with_ca_path_and_a_wrong_ca(ansible, tmp_path):
    trustme = pytest.importorskip('trustme')
    wrong_ca = tmp_path / 'other-ca.pem'
    trustme.CA().cert_pem.write_to_path(str(wrong_ca))
    with Simulator(tls=True, servers=2, targets=1) as tls_sim:
        env = tls_sim.env()
        ok = ping(ansible, env=env)
        assert ok.returncode == 0, ok.stdout + ok.stderr
        env.update({'CYBERWATCH_CA_PATH': str(wrong_ca), 'CYBERWATCH_MAX_RETRIES': '0'})
        bad = ping(ansible, env=env)
        assert bad.returncode != 0 and 'TLS verification failed' in result(bad)['msg']
