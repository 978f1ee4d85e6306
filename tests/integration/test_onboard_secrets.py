"""cyberwatch_onboard: the secret of each remote access is an explicit choice, and failures say what failed.

Plain ansible-playbook on every core (the AWX paths through ansible-runner are in test_runner_roles.py). The
connection is given as AWX gives it: `-u` and a password on the command line (--connection-password-file is -k
without a terminal), never `ansible_password` in the inventory.
"""

import json

SCAN_PASSWORD = 'scan-Secret-82'
PROMPTED = 'prompted-Secret-84'
KEY = '-----BEGIN OPENSSH PRIVATE KEY-----\nonboard-key-material-0123456789\n-----END OPENSSH PRIVATE KEY-----'
RA_LISTING = '/api/v3/assets/remote_accesses'

# One host per choice of secret, and one with none (a prompted password it did not opt in to use).
HOSTS = {
    'by-credential': {'ansible_host': '198.51.100.81', 'cyberwatch_onboard_credential': 'linux-scan-password'},
    'by-scan-password': {'ansible_host': '198.51.100.82', 'cyberwatch_onboard_login': 'cyberwatch',
                         'cyberwatch_onboard_password': SCAN_PASSWORD},
    'by-scan-key-file': {'ansible_host': '198.51.100.83', 'cyberwatch_onboard_key_file': 'KEY_FILE'},
    'by-connection': {'ansible_host': '198.51.100.84', 'cyberwatch_onboard_use_connection_secret': True},
    'by-connection-winrm': {'ansible_host': '198.51.100.86', 'ansible_connection': 'winrm',
                            'cyberwatch_onboard_use_connection_secret': True},
    'without-secret': {'ansible_host': '198.51.100.85'},
    'missing-key-file': {'ansible_host': '198.51.100.87', 'cyberwatch_onboard_key_file': '~/no-such-key'},
}
FAILING = ('without-secret', 'missing-key-file')


def onboard(ansible, hosts, name, check=True):
    """Run the role on hosts as `-u scan -k`; a second play writes the declared remote accesses to a file (no_log),
    when a host is left."""
    inventory = ansible.workdir / ('%s-hosts.json' % name)
    inventory.write_text(json.dumps({'fleet': {'hosts': hosts}}))
    password_file = ansible.workdir / ('%s-password' % name)
    password_file.write_text(PROMPTED + '\n')
    declared = ansible.workdir / ('%s-declared.json' % name)
    playbook = ansible.workdir / ('%s.json' % name)
    playbook.write_text(json.dumps([
        {'name': 'Onboard', 'hosts': 'fleet', 'gather_facts': False,
         'roles': [{'role': 'secops.vulnmgmt.cyberwatch_onboard'}]},
        {'name': 'What the role declared', 'hosts': 'localhost', 'gather_facts': False, 'connection': 'local',
         'tasks': [{'ansible.builtin.copy': {'dest': str(declared), 'mode': '0600', 'content': (
             "{ {% for host in groups.fleet %}{{ host | to_json }}: {{ hostvars[host].cyberwatch_onboard_item"
             " | default(none) | to_json }}{{ '' if loop.last else ', ' }}{% endfor %} }")}, 'no_log': True}]},
    ]))
    proc = ansible.run('ansible-playbook', ['-i', inventory, playbook, '-u', 'scan',
                                            '--connection-password-file', password_file], check=check)
    return proc, json.loads(declared.read_text()) if declared.exists() else None


def assert_no_secret(proc, ansible, *extra):
    for secret in (SCAN_PASSWORD, PROMPTED, 'onboard-key-material', ansible.env['CYBERWATCH_API_KEY'],
                   ansible.env['CYBERWATCH_SECRET_KEY']) + extra:
        assert secret not in proc.stdout and secret not in proc.stderr, secret


def test_each_choice_of_secret_and_a_host_without_one(sim, ansible, cyberwatch_api):
    key_file = ansible.workdir / 'onboard-scan-key'
    key_file.write_text(KEY + '\n')
    hosts = json.loads(json.dumps(HOSTS).replace('KEY_FILE', str(key_file)))
    proc, declared = onboard(ansible, hosts, 'onboard-secrets', check=False)
    output = ' '.join(proc.stdout.split())
    assert proc.returncode == 2, proc.stdout[-5000:]
    assert ('without-secret: no secret for the Cyberwatch remote access of 198.51.100.85 (type auto). Set one of: '
            'cyberwatch_onboard_credential (the name of a Cyberwatch stored credential); cyberwatch_onboard_password, '
            'cyberwatch_onboard_key or cyberwatch_onboard_key_file (a scan account); or '
            'cyberwatch_onboard_use_connection_secret: true') in output, output[-5000:]
    assert ('missing-key-file: the private key file ~/no-such-key (from cyberwatch_onboard_key_file) is not a file on '
            'the controller') in output
    for host in hosts:
        assert ('failed=%d' % (host in FAILING)) in output.rsplit(host + ' :', maxsplit=1)[-1], output[-3000:]
    assert declared == {
        'by-credential': {'address': '198.51.100.81', 'type': 'ssh_password', 'credential': 'linux-scan-password'},
        'by-scan-password': {'address': '198.51.100.82', 'type': 'ssh_password', 'login': 'cyberwatch',
                             'password': SCAN_PASSWORD},
        'by-scan-key-file': {'address': '198.51.100.83', 'type': 'ssh_key', 'login': 'scan', 'key': KEY},
        'by-connection': {'address': '198.51.100.84', 'type': 'ssh_password', 'login': 'scan', 'password': PROMPTED},
        'by-connection-winrm': {'address': '198.51.100.86', 'type': 'winrm_negotiate', 'login': 'scan',
                                'password': PROMPTED},
        'without-secret': None,
        'missing-key-file': None,
    }
    created = [w for w in sim.writes() if w['path'].endswith('remote_accesses')]
    assert [w['method'] for w in created] == ['POST'] * 5, created
    addresses = {ra['address'] for ra in cyberwatch_api.list('remote_access')}
    assert {'198.51.100.81', '198.51.100.82', '198.51.100.83', '198.51.100.84', '198.51.100.86'} <= addresses
    assert not {'198.51.100.85', '198.51.100.87'} & addresses
    assert_no_secret(proc, ansible)


def test_a_failed_declaration_says_what_failed_without_secrets(sim, ansible):
    """The declaring task is no_log: the role reports the module's message, status, method and path itself."""
    sim.set_faults([{'kind': 'status', 'status': 401, 'match': '^GET %s' % RA_LISTING}])
    hosts = {name: HOSTS[name] for name in ('by-connection', 'by-scan-password')}
    proc, dummy = onboard(ansible, hosts, 'onboard-401', check=False)
    output = ' '.join(proc.stdout.split())
    assert proc.returncode == 2, output[-5000:]
    report = ('Cyberwatch remote accesses not declared: GET %s failed with HTTP 401 UNAUTHORIZED (authentication '
              'failed: check the API credentials): Simulated fault (status: 401, method: GET, path: %s)') % (
                  RA_LISTING, RA_LISTING)
    for host in hosts:                                  # the declaration is run_once: every host fails with it
        assert 'fatal: [%s]: FAILED! => {"changed": false, "msg": "%s"}' % (host, report) in output, output[-5000:]
    assert not [w for w in sim.writes() if 'remote_accesses' in w['path']]
    assert_no_secret(proc, ansible)
