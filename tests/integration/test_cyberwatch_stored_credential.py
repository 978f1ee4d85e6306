"""cyberwatch_stored_credential(_info) against the simulator, and the credential option of cyberwatch_remote_access(es):
life cycle with check mode and no-op steps in one run (the request log proves which tasks wrote), secrets at -vvvv,
unknown names failing before any write."""

from playbook_steps import fails_with, task_of, that

MODULE = 'secops.vulnmgmt.cyberwatch_stored_credential'
INFO = 'secops.vulnmgmt.cyberwatch_stored_credential_info'
ROUTE = '/api/v3/assets/credentials'
PASSWORD = 'it-Cred-Pa55word'
KEY = '-----BEGIN OPENSSH PRIVATE KEY-----\nit-cred-key-material-0123456789\n-----END OPENSSH PRIVATE KEY-----\n'
SNMP = 'it-snmp-priv-secret'
CRED = {'name': 'it-linux', 'type': 'CbwRam::StoredCredential::Ssh::WithKey', 'user': 'scan', 'key': KEY}


task = task_of(MODULE)


def test_life_cycle_check_mode_no_op_and_secrets(sim, ansible):
    tasks = [
        task(check=True, **CRED), that('result is changed', 'result.stored_credential.id is none'),
        task(**CRED), that('result is changed', 'result.stored_credential.user == "scan"',
                           "result.diff.after.key == 'VALUE_SPECIFIED_IN_NO_LOG_PARAMETER'",
                           "'key' not in result.stored_credential"),
        task(**CRED), that('result is not changed'),
        task(check=True, name='it-linux', user='cyberwatch'),
        that('result is changed', "result.diff == {'before': {'user': 'scan'}, 'after': {'user': 'cyberwatch'}}"),
        task(name='it-linux', user='cyberwatch'), that('result is changed', 'result.stored_credential.user == "cyberwatch"'),
        task(name='it-linux', password=PASSWORD, client_key=KEY, update_password='always'),
        that('result is changed', "result.diff.after.password == 'VALUE_SPECIFIED_IN_NO_LOG_PARAMETER'"),
        task(name='it-snmp', type='CbwRam::StoredCredential::Snmp', auth_password=SNMP + '-auth', priv_password=SNMP),
        task(module=INFO, register='listed'),
        that("listed.stored_credentials | map(attribute='name') | list == "
             "['linux-scan-password', 'snmp-core-switches', 'it-linux', 'it-snmp']"),
        task(module=INFO, register='one', name='it-linux'),
        that('one.stored_credentials | length == 1', "one.stored_credentials[0].user == 'cyberwatch'"),
        task(check=True, name='it-linux', state='absent'), that('result is changed'),
        task(name='it-linux', state='absent'), that('result is changed', 'result.stored_credential is none'),
        task(name='it-linux', state='absent'), that('result is not changed'),
        task(module=INFO, register='gone', name='it-linux'), that('gone.stored_credentials == []'),
    ]
    out = ansible.playbook(tasks, ['-vvvv', '--diff'])
    writes = [(w['method'], w['path']) for w in sim.writes()]
    assert writes == [('POST', ROUTE), ('PATCH', ROUTE + '/3'), ('PATCH', ROUTE + '/3'), ('POST', ROUTE),
                      ('DELETE', ROUTE + '/3')]
    text = out.stdout + out.stderr
    assert 'it-snmp' in text
    for secret in (PASSWORD, 'it-cred-key-material', SNMP, sim.cyberwatch['api_key'], sim.cyberwatch['secret_key']):
        assert secret not in text


def test_remote_access_takes_a_stored_credential_by_name(sim, ansible):
    ra = {'address': 'cred.example.com', 'type': 'ssh_password', 'credential': 'linux-scan-password'}
    ansible.playbook([task(module='secops.vulnmgmt.cyberwatch_remote_access', **ra), that('result is changed'),
                      task(module='secops.vulnmgmt.cyberwatch_remote_accesses', remote_accesses=[
                          ra, dict(ra, address='cred2.example.com', credential='snmp-core-switches')]),
                      that('result is changed', "result.results | map(attribute='action') | list == "
                                                "['none', 'created']")])
    requests = [(r['method'], r['path']) for r in sim.requests()]
    # the name is resolved (one listing of the stored credentials) before the remote access is written
    first_post = requests.index(('POST', '/api/v3/assets/remote_accesses'))
    assert ('GET', ROUTE) in requests[:first_post]
    assert [w['method'] for w in sim.writes()] == ['POST', 'POST']


BAD_INPUT = [
    ('secops.vulnmgmt.cyberwatch_remote_access', {'address': 'x.example.com', 'type': 'ssh_key', 'credential': 'nope'},
     "stored_credential 'nope': not found; known: linux-scan-password (id 1), snmp-core-switches (id 2)"),
    ('secops.vulnmgmt.cyberwatch_remote_accesses', {'remote_accesses': [
        {'address': 'a.example.com', 'type': 'ssh_key'}, {'address': 'b.example.com', 'type': 'ssh_key',
                                                          'credential': 'nope'}]},
     "stored_credential 'nope': not found"),
    (MODULE, {'name': 'no-type', 'password': PASSWORD}, 'type is required to create a stored_credential'),
    (MODULE, {'type': 'x'}, 'missing required arguments: name'),
    (MODULE, {'name': 'x', 'update_password': 'sometimes'}, 'value of update_password must be one of: on_create, always'),
    (MODULE, {'name': ' '}, "name must be a non-empty string, got ' '"),
    ('secops.vulnmgmt.cyberwatch_remote_access', {'address': 'x.example.com', 'credential': 'a', 'credential_id': 1},
     'parameters are mutually exclusive: credential|credential_id'),
]


def test_bad_input_and_unknown_names_fail_before_any_write(sim, ansible):
    """One run: each task fails (ignore_errors) with its message; unknown names cost a listing, never a write."""
    ansible.playbook([step for module, params, message in BAD_INPUT
                      for step in fails_with(task(module=module, **params), message)])
    assert sim.writes() == []
    assert {r['path'] for r in sim.requests()} == {ROUTE, '/api/v3/assets/remote_accesses'}
