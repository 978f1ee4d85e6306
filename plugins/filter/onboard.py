# -*- coding: utf-8 -*-
# Copyright: secops.vulnmgmt contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The remote access of one host for the role cyberwatch_onboard (cyberwatch_onboard_remote_access; docs in the .yml
file): the explicitly chosen secret, the connection type, address, port and login, or why the host has none. Reads
a private key file on the controller; no other I/O. Every result is marked untrusted (never templated)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os
from collections.abc import Mapping

from ansible.errors import AnsibleFilterError

from ansible_collections.secops.vulnmgmt.plugins.plugin_utils.trust import untrusted

WINDOWS_CONNECTIONS = ('winrm', 'psrp')
# The kinds of secret each connection type takes; auto: any, but WinRM takes no key.
KINDS = {'ssh_key': ('credential', 'key'), 'ssh_password': ('credential', 'password'),
         'winrm_negotiate': ('credential', 'password')}
SCAN_ACCOUNT = {'ssh_password': 'cyberwatch_onboard_password', 'winrm_negotiate': 'cyberwatch_onboard_password',
                'ssh_key': 'cyberwatch_onboard_key or cyberwatch_onboard_key_file',
                'auto': 'cyberwatch_onboard_password, cyberwatch_onboard_key or cyberwatch_onboard_key_file'}


def _first(host, *names):
    """(name, value) of the first of names that host sets (a variable set to null counts as unset)."""
    for name in names:
        if host.get(name) is not None:
            return name, host[name]
    return names[0], None


def _secrets(host):
    """The secrets host offers, in the order of precedence: (variable it comes from, kind, value, key file). A key
    file's value is read once it is chosen; an empty or null variable offers nothing."""
    offered = []
    if host.get('credential'):
        offered.append(('cyberwatch_onboard_credential', 'credential', host['credential'], None))
    if host.get('key'):
        offered.append(('cyberwatch_onboard_key', 'key', host['key'], None))
    if host.get('key_file'):
        offered.append(('cyberwatch_onboard_key_file', 'key', None, host['key_file']))
    if host.get('password'):
        offered.append(('cyberwatch_onboard_password', 'password', host['password'], None))
    if host.get('use_connection_secret'):
        name, key_file = _first(host, 'ansible_ssh_private_key_file', 'ansible_private_key_file')
        if key_file:
            offered.append((name, 'key', None, key_file))
        name, password = _first(host, 'ansible_password', 'ansible_ssh_pass')
        if password:
            offered.append((name, 'password', password, None))
    return offered


def cyberwatch_onboard_remote_access(host):
    """{'source': the variable the chosen secret comes from ('' for none), 'item': the remote access for
    cyberwatch_remote_accesses or None, 'failure': why there is none, or None}."""
    if not isinstance(host, Mapping):
        raise AnsibleFilterError('cyberwatch_onboard_remote_access: the input must be a dictionary of the host values, '
                                 'got %s' % type(host).__name__)
    conn_type = host.get('type') or 'auto'
    if conn_type != 'auto' and conn_type not in KINDS:
        raise AnsibleFilterError('cyberwatch_onboard_remote_access: type must be one of auto, %s; got %r'
                                 % (', '.join(sorted(KINDS)), conn_type))
    windows = (host.get('ansible_connection') or 'ssh') in WINDOWS_CONNECTIONS
    kinds = KINDS.get(conn_type, ('credential', 'password') if windows else ('credential', 'key', 'password'))
    source, kind, secret, key_file = next((s for s in _secrets(host) if s[1] in kinds), ('', None, None, None))
    address = host.get('address') or _first(host, 'ansible_host', 'host')[1]
    login = host.get('login') or host.get('ansible_user') or ''
    key_path = os.path.expanduser(key_file) if key_file else None
    key_is_file = bool(key_path) and os.path.isfile(key_path)
    if key_is_file:
        secret = _read(key_path)
    failure = None
    if not source:
        failure = ("no secret for the Cyberwatch remote access of %s (type %s%s). Set one of: "
                   "cyberwatch_onboard_credential (the name of a Cyberwatch stored credential); %s (a scan account); "
                   "or cyberwatch_onboard_use_connection_secret: true to use the connection's own ansible_password "
                   "or ansible_ssh_private_key_file (an ssh-agent key cannot be read)."
                   % (address, conn_type, ', WinRM' if windows else '',
                      SCAN_ACCOUNT['ssh_password' if conn_type == 'auto' and windows else conn_type]))
    elif key_path and not key_is_file:
        failure = 'the private key file %s (from %s) is not a file on the controller' % (key_file, source)
    elif key_path and secret is None:
        failure = 'the private key file %s (from %s) cannot be read as text on the controller' % (key_file, source)
    elif kind != 'credential' and not login:
        failure = ('no login for the remote access of %s: set cyberwatch_onboard_login (default: ansible_user, or -u)'
                   % address)
    if failure:
        return untrusted({'source': source, 'item': None, 'failure': '%s: %s' % (host.get('host'), failure)})
    if conn_type == 'auto':
        conn_type = 'winrm_negotiate' if windows else 'ssh_key' if kind == 'key' else 'ssh_password'
    item = {'address': address, 'type': conn_type, 'port': host.get('port') or host.get('ansible_port'),
            'credential': secret if kind == 'credential' else None,
            'login': None if kind == 'credential' else login,
            'password': secret if kind == 'password' else None, 'key': secret if kind == 'key' else None,
            'node': host.get('node') or None, 'groups': host.get('groups') or None}
    return untrusted({'source': source, 'item': dict((k, v) for k, v in item.items() if v is not None),
                      'failure': None})


def _read(key_path):
    """The text of a key file, as the file lookup gives it (without the trailing newline); None when it cannot be read
    as text."""
    try:
        with open(key_path, 'r') as key_file:
            return key_file.read().rstrip()
    except (IOError, OSError, UnicodeDecodeError):
        return None


class FilterModule(object):
    """The onboarding filter."""

    def filters(self):
        return {'cyberwatch_onboard_remote_access': cyberwatch_onboard_remote_access}
