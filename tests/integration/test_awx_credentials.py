"""The AWX credential types of meta/awx_credential_types/, injected as AWX injects them, over TLS with a private CA.

AWX renders a credential type's injectors with a sandboxed Jinja environment over the credential's inputs: strings
only when not empty, booleans always (an unset boolean field is false). Every `template.<name>` file injector is
written to a private file, even from an empty field, and `tower.filename.<name>` is that file's path for the env
injectors (awx/main/models/credential: CredentialType.inject_credential). render() does the same.
"""

import os
import stat
import tempfile
from pathlib import Path
from types import SimpleNamespace

import pytest
import yaml
from jinja2.sandbox import ImmutableSandboxedEnvironment

from launcher import Simulator
from test_inventory_support import AWX_ENV, Inventory, run_list
from test_ping import ping, result

TYPES = Path(__file__).resolve().parents[2] / 'meta' / 'awx_credential_types'
NOT_VERIFIED = 'validate_certs is false, so the server certificate is not verified'


def credential_type(name):
    return yaml.safe_load((TYPES / name).read_text())


def render(cred_type, inputs, private_dir, namespace='tower'):
    """The environment a job gets from a credential of cred_type with these inputs (AWX's algorithm)."""
    values = dict((k, v) for k, v in inputs.items() if isinstance(v, bool) or v)
    for field in cred_type['inputs']['fields']:
        if field.get('type') == 'boolean' and field['id'] not in inputs:
            values[field['id']] = False
    sandbox = ImmutableSandboxedEnvironment()
    filenames = SimpleNamespace()
    for label, template in cred_type['injectors'].get('file', {}).items():
        handle, path = tempfile.mkstemp(dir=str(private_dir))
        with os.fdopen(handle, 'w') as out:
            out.write(sandbox.from_string(template).render(**values))
        os.chmod(path, stat.S_IRUSR | stat.S_IWUSR)
        setattr(filenames, label.split('.', 1)[1], path)
    values[namespace] = SimpleNamespace(filename=filenames)
    return dict((name, sandbox.from_string(template).render(**values))
                for name, template in cred_type['injectors']['env'].items())


@pytest.fixture(scope='module')
def tls_sim():
    with Simulator(tls=True, servers=3, targets=2) as running:
        yield running


@pytest.fixture
def cyberwatch_inputs(tls_sim):
    return {'api_url': tls_sim.cyberwatch['api_url'], 'api_key': tls_sim.cyberwatch['api_key'],
            'secret_key': tls_sim.cyberwatch['secret_key']}


def test_ca_bundle_feeds_ca_path_of_a_module_and_the_inventory(ansible, tls_sim, cyberwatch_inputs, tmp_path):
    pem = Path(tls_sim.ca_cert).read_text()
    env = render(credential_type('cyberwatch.yml'), dict(cyberwatch_inputs, ca_bundle=pem, api_routes='legacy'),
                 tmp_path)
    ca_path = Path(env['CYBERWATCH_CA_PATH'])
    assert ca_path.read_text() == pem and stat.S_IMODE(ca_path.stat().st_mode) == 0o600
    assert (env['CYBERWATCH_VALIDATE_CERTS'], env['CYBERWATCH_AUTH_METHOD'], env['CYBERWATCH_API_ROUTES']) == (
        'true', 'hmac', 'legacy')

    proc = ping(ansible, env=env)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert result(proc)['api_url'] == tls_sim.cyberwatch['api_url']

    tls_sim.clear_requests()
    inv = Inventory(run_list(ansible, 'cyberwatch', name='awx-ca', env=dict(AWX_ENV, **env)))
    assert len(inv.hosts) == 3
    assert {r['path'] for r in tls_sim.requests()} == {'/api/v3/servers'}  # api_routes legacy reached the plugin


def test_without_the_ca_bundle_tls_verification_fails_clearly(ansible, tls_sim, cyberwatch_inputs, tmp_path):
    env = render(credential_type('cyberwatch.yml'), cyberwatch_inputs, tmp_path)
    # AWX wrote the (empty) file anyway; the variable stays empty, which means the system trust store.
    assert env['CYBERWATCH_CA_PATH'] == '' and [p.read_text() for p in tmp_path.iterdir()] == ['']
    proc = ping(ansible, env=dict(env, CYBERWATCH_MAX_RETRIES='0'))
    assert proc.returncode != 0
    msg = result(proc)['msg']
    assert msg.startswith('GET /api/v3/ping: TLS verification failed') and 'set ca_path to the CA bundle' in msg
    for secret in (tls_sim.cyberwatch['api_key'], tls_sim.cyberwatch['secret_key']):
        assert secret not in proc.stdout + proc.stderr


def test_without_the_ca_bundle_the_inventory_keeps_the_default_trust(ansible, tls_sim, cyberwatch_inputs, tmp_path):
    # The empty CYBERWATCH_CA_PATH is no CA path (ansible-core would make an empty `path` option the current
    # directory): requests' default trust applies, here REQUESTS_CA_BUNDLE standing in for a system store that
    # trusts the server.
    env = render(credential_type('cyberwatch.yml'), cyberwatch_inputs, tmp_path)
    env.update(AWX_ENV, REQUESTS_CA_BUNDLE=tls_sim.ca_cert)
    assert len(Inventory(run_list(ansible, 'cyberwatch', name='awx-no-ca', env=env)).hosts) == 3


def test_skip_tls_verify_sets_validate_certs_false_with_a_warning(ansible, tls_sim, tmp_path):
    env = render(credential_type('cystack.yml'), {'api_url': tls_sim.cystack['api_url'],
                                                  'api_key': tls_sim.cystack['api_key'], 'skip_tls_verify': True},
                 tmp_path)
    assert (env['CYSTACK_VALIDATE_CERTS'], env['CYSTACK_CA_PATH']) == ('false', '')
    inv = Inventory(run_list(ansible, 'cystack', name='awx-insecure', env=dict(AWX_ENV, **env),
                             warnings=(NOT_VERIFIED,)))
    assert len(inv.hosts) == 2


@pytest.mark.parametrize('name', ['cyberwatch', 'cystack'])
def test_unset_skip_tls_verify_keeps_certificates_verified(name, tmp_path):
    cred_type = credential_type(name + '.yml')
    required = dict((field, 'x') for field in cred_type['inputs']['required'])
    env = render(cred_type, required, tmp_path)
    assert env['%s_VALIDATE_CERTS' % name.upper()] == 'true'


@pytest.mark.parametrize('name', ['cyberwatch', 'cystack'])
def test_the_eda_type_injects_what_the_awx_type_injects(name, tmp_path):
    awx, eda = credential_type(name + '.yml'), credential_type(name + '_eda.yml')
    assert eda['inputs'] == awx['inputs'] and 'kind' not in eda
    assert eda['injectors']['file'] == awx['injectors']['file']
    inputs = {'api_url': 'https://vm.example.com', 'api_key': 'k', 'secret_key': 's', 'ca_bundle': 'PEM'}
    awx_env, eda_env = render(awx, inputs, tmp_path), render(eda, inputs, tmp_path, namespace='eda')
    ca_variable = '%s_CA_PATH' % name.upper()
    assert Path(eda_env.pop(ca_variable)).read_text() == Path(awx_env.pop(ca_variable)).read_text() == 'PEM'
    assert eda_env == awx_env
