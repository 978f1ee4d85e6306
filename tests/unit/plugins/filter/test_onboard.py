"""Unit tests of cyberwatch_onboard_remote_access: the secret chosen in the order of precedence, of a kind the
connection type takes, the derived type, address, port and login, and the failure of a host without one."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible.errors import AnsibleFilterError
from ansible_collections.secops.vulnmgmt.plugins.filter.onboard import cyberwatch_onboard_remote_access as describe

KEY = '-----BEGIN OPENSSH PRIVATE KEY-----\nkey-material\n-----END OPENSSH PRIVATE KEY-----'
# What the role's vars/main.yml passes for a host that sets nothing: the role defaults, no connection variable.
DEFAULTS = {'host': 'web-1', 'address': None, 'type': 'auto', 'port': None, 'login': None, 'credential': None,
            'password': None, 'key': None, 'key_file': None, 'use_connection_secret': False, 'node': None,
            'groups': [], 'ansible_host': None, 'ansible_port': None, 'ansible_user': None, 'ansible_connection': None,
            'ansible_password': None, 'ansible_ssh_pass': None, 'ansible_ssh_private_key_file': None,
            'ansible_private_key_file': None}


def host(**values):
    return dict(DEFAULTS, **values)


@pytest.fixture
def key_file(tmp_path):
    path = tmp_path / 'id_scan'
    path.write_text(KEY + '\n')
    return str(path)


def test_a_stored_credential_wins_and_sends_no_login():
    described = describe(host(credential='linux-scan', password='pw', ansible_user='deploy', ansible_host='10.0.0.1'))
    assert described == {'source': 'cyberwatch_onboard_credential', 'failure': None, 'item': {
        'address': '10.0.0.1', 'type': 'ssh_password', 'credential': 'linux-scan'}}


def test_the_scan_account_key_then_key_file_then_password(key_file):
    both = host(key='PEM', key_file=key_file, password='pw', login='scan')
    assert describe(both)['item'] == {'address': 'web-1', 'type': 'ssh_key', 'login': 'scan', 'key': 'PEM'}
    from_file = describe(host(key_file=key_file, password='pw', login='scan'))
    assert from_file['source'] == 'cyberwatch_onboard_key_file' and from_file['item']['key'] == KEY
    assert describe(host(password='pw', login='scan'))['item'] == {
        'address': 'web-1', 'type': 'ssh_password', 'login': 'scan', 'password': 'pw'}


def test_the_connection_secret_only_when_opted_in(key_file):
    connection = host(ansible_password='conn-pw', ansible_user='deploy', ansible_ssh_private_key_file=key_file)
    assert describe(connection)['source'] == ''
    opted_in = describe(dict(connection, use_connection_secret=True))
    assert opted_in['source'] == 'ansible_ssh_private_key_file' and opted_in['item']['key'] == KEY
    password_only = describe(host(ansible_ssh_pass='conn-pw', ansible_user='deploy', use_connection_secret=True))
    assert password_only['source'] == 'ansible_ssh_pass' and password_only['item']['password'] == 'conn-pw'
    assert password_only['item']['login'] == 'deploy'


def test_winrm_takes_no_key_and_a_type_restricts_the_kinds(key_file):
    windows = host(ansible_connection='winrm', key='PEM', password='pw', login='Administrator')
    described = describe(windows)
    assert described['source'] == 'cyberwatch_onboard_password' and described['item']['type'] == 'winrm_negotiate'
    assert describe(host(type='ssh_key', key_file=key_file, password='pw', login='scan'))['source'] == \
        'cyberwatch_onboard_key_file'
    assert describe(host(type='ssh_password', key='PEM', password='pw', login='scan'))['source'] == \
        'cyberwatch_onboard_password'


def test_address_port_node_and_groups():
    described = describe(host(password='pw', login='scan', address='scan.example.com', ansible_host='10.0.0.1',
                              ansible_port=2222, node='scanner-dmz', groups=['linux']))
    assert described['item'] == {'address': 'scan.example.com', 'type': 'ssh_password', 'port': 2222, 'login': 'scan',
                                 'password': 'pw', 'node': 'scanner-dmz', 'groups': ['linux']}
    assert describe(host(password='pw', login='scan', port=22, ansible_port=2222))['item']['port'] == 22


@pytest.mark.parametrize('values, message', [
    ({}, "web-1: no secret for the Cyberwatch remote access of web-1 (type auto). Set one of: "
         "cyberwatch_onboard_credential (the name of a Cyberwatch stored credential); cyberwatch_onboard_password, "
         "cyberwatch_onboard_key or cyberwatch_onboard_key_file (a scan account); or "
         "cyberwatch_onboard_use_connection_secret: true to use the connection's own ansible_password or "
         "ansible_ssh_private_key_file (an ssh-agent key cannot be read)."),
    ({'ansible_connection': 'psrp', 'key': 'PEM'}, 'web-1: no secret for the Cyberwatch remote access of web-1 '
                                                   '(type auto, WinRM). Set one of: cyberwatch_onboard_credential'),
    ({'type': 'ssh_key', 'password': 'pw'}, '(type ssh_key). Set one of: cyberwatch_onboard_credential (the name of a '
                                            'Cyberwatch stored credential); cyberwatch_onboard_key or '
                                            'cyberwatch_onboard_key_file (a scan account)'),
    ({'key_file': '~/no-such-key', 'login': 'scan'},
     'web-1: the private key file ~/no-such-key (from cyberwatch_onboard_key_file) is not a file on the controller'),
    ({'password': 'pw', 'ansible_host': '10.0.0.1'},
     'web-1: no login for the remote access of 10.0.0.1: set cyberwatch_onboard_login (default: ansible_user, or -u)'),
])
def test_a_host_without_a_remote_access_says_why(values, message):
    described = describe(host(**values))
    assert described['item'] is None and message in described['failure'], described['failure']


def test_the_password_never_appears_in_a_failure():
    described = describe(host(password='Secret-Pa55', ansible_host='10.0.0.1'))
    assert 'Secret-Pa55' not in described['failure'] and described['source'] == 'cyberwatch_onboard_password'


def test_bad_input_is_a_clear_error():
    with pytest.raises(AnsibleFilterError, match='input must be a dictionary'):
        describe(['web-1'])
    with pytest.raises(AnsibleFilterError, match='type must be one of auto, ssh_key, ssh_password, winrm_negotiate'):
        describe(host(type='telnet'))


def test_a_key_file_that_is_not_text_fails_its_host(tmp_path):
    path = tmp_path / 'id_binary'
    path.write_bytes(b'\xff\xfe\x00binary')
    described = describe(host(key_file=str(path), login='scan'))
    assert described['item'] is None and described['failure'] == (
        'web-1: the private key file %s (from cyberwatch_onboard_key_file) cannot be read as text on the controller'
        % path)
