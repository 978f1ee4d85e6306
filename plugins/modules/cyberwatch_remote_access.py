#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: secops.vulnmgmt contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: cyberwatch_remote_access
short_description: Manage Cyberwatch remote accesses (agentless connections)
version_added: 0.1.0
description:
  - Create, update or delete a Cyberwatch remote access, found by its O(address) (unique on the server,
    compared without case).
  - Only the options you set are compared and sent. A run that changes nothing sends no write, which matters
    because every update resets the server's C(is_valid) test result.
  - O(login), O(password), O(key), O(auth_password) and O(priv_password) are never returned by the API, so they
    cannot be compared; O(update_password) says when they are sent.
  - Optionally runs the deployment test after a create or a change and waits for its result.
notes:
  - Needs an API key with write access to remote accesses (and the deployment test with O(test_deploy)). Check mode
    needs read access only and sends no write; with a read-only key a real change fails with HTTP 403, naming the
    missing write access. See R(Permissions,ansible_collections.secops.vulnmgmt.docsite.permissions).
author:
  - secops.vulnmgmt maintainers (@secops)
extends_documentation_fragment:
  - secops.vulnmgmt.cyberwatch
options:
  address:
    description:
      - IP address or DNS name of the machine to scan. It identifies the remote access.
    type: str
    required: true
  type:
    description:
      - Connection type. Required to create a remote access.
      - V(ssh_password) is C(CbwRam::RemoteAccess::Ssh::WithPassword), V(ssh_key) is
        C(CbwRam::RemoteAccess::Ssh::WithKey), V(winrm_negotiate) is C(CbwRam::RemoteAccess::WinRm::WithNegotiate)
        and V(snmp) is C(CbwRam::RemoteAccess::Snmp).
    type: str
    choices: [ssh_password, ssh_key, winrm_negotiate, snmp]
  port:
    description:
      - TCP or UDP port, between 1 and 65535.
      - When not set, a create uses the default port of O(type) (22 for SSH, 5985 for WinRM, 161 for SNMP) and an
        update leaves the port alone.
    type: int
  login:
    description:
      - Login used to connect. Write-only, sent according to O(update_password).
    type: str
  password:
    description:
      - Password of O(login). Write-only, sent according to O(update_password).
    type: str
  key:
    description:
      - OpenSSH private key (PEM text) for O(type=ssh_key). Write-only, sent according to O(update_password).
    type: str
  auth_password:
    description:
      - SNMPv3 authentication password. Write-only, sent according to O(update_password).
    type: str
  priv_password:
    description:
      - SNMPv3 privacy password. Write-only, sent according to O(update_password).
    type: str
  credential_id:
    description:
      - Id of a stored credential to use instead of O(login), O(password) and O(key).
      - The API never returns it, so it is sent according to O(update_password) and masked in the diff.
      - Mutually exclusive with O(credential).
    type: int
  credential:
    description:
      - Name of a stored credential (see M(secops.vulnmgmt.cyberwatch_stored_credential)) to use instead of O(login),
        O(password) and O(key). It is resolved to O(credential_id) with one request before any write; an unknown name
        fails and lists the stored credentials that exist.
      - Sent as O(credential_id), so according to O(update_password).
    type: str
  node:
    description:
      - Cyberwatch node (scanner) that connects, by id or by name. A name is resolved with one request.
      - The server uses its main node when a remote access is created without one.
    type: str
  groups:
    description:
      - Names of the groups given to the server this remote access discovers.
      - Only sent on create, as the API never returns them; missing groups are created by the server.
    type: list
    elements: str
  update_password:
    description:
      - V(on_create) sends O(login), O(password), O(key), O(auth_password), O(priv_password) and O(credential_id)
        only when the remote access is created.
      - V(always) sends them on every run, so every run with one of them set reports a change.
    type: str
    choices: [on_create, always]
    default: on_create
  test_deploy:
    description:
      - After a create or a change, run the deployment test and wait for its result (up to O(test_deploy_timeout)).
    type: bool
    default: false
  test_deploy_timeout:
    description:
      - Seconds to wait for the deployment test result. After that, C(is_valid) is returned as V(null).
    type: float
    default: 30
  fail_on_invalid:
    description:
      - Fail when the deployment test run by O(test_deploy) reports the remote access as not valid.
    type: bool
    default: false
  state:
    description:
      - V(present) creates or updates the remote access, V(absent) deletes it.
    type: str
    choices: [present, absent]
    default: present
attributes:
  check_mode:
    support: full
    description: Predicts the change and sends no write. The deployment test is not run.
  diff_mode:
    support: full
    description: Shows the changed fields before and after; secrets are masked.
'''

EXAMPLES = r'''
- name: Declare agentless connections
  module_defaults:
    group/secops.vulnmgmt.cyberwatch:
      api_url: https://cyberwatch.example.com
      api_key: "{{ vault_cyberwatch_api_key }}"
      secret_key: "{{ vault_cyberwatch_secret_key }}"
  block:
    - name: Linux server over SSH with a key, tested after the change
      secops.vulnmgmt.cyberwatch_remote_access:
        address: db01.example.com
        type: ssh_key
        login: cyberwatch
        key: "{{ vault_cyberwatch_ssh_key }}"
        node: scanner-dmz
        groups: [prod, databases]
        test_deploy: true
        fail_on_invalid: true
      delegate_to: localhost

    - name: Windows server over WinRM, password rotated on every run
      secops.vulnmgmt.cyberwatch_remote_access:
        address: 10.0.0.30
        type: winrm_negotiate
        login: CORP\cyberwatch
        password: "{{ vault_winrm_password }}"
        update_password: always
      delegate_to: localhost

    - name: Linux server whose SSH key lives in a stored credential
      secops.vulnmgmt.cyberwatch_remote_access:
        address: app02.example.com
        type: ssh_key
        credential: linux-scan-key
      delegate_to: localhost

    - name: Remove a decommissioned machine
      secops.vulnmgmt.cyberwatch_remote_access:
        address: old01.example.com
        state: absent
      delegate_to: localhost
'''

RETURN = r'''
remote_access:
  description: The remote access after the run; V(null) after a delete. In check mode, the predicted object.
  returned: always
  type: dict
  contains:
    id:
      description: Server id (V(null) for a remote access predicted in check mode).
      type: int
      sample: 42
    type:
      description: Connection type, as the server names it.
      type: str
      sample: CbwRam::RemoteAccess::Ssh::WithKey
    address:
      description: Address.
      type: str
      sample: db01.example.com
    port:
      description: Port.
      type: int
      sample: 22
    is_valid:
      description: Result of the last deployment test; V(null) until tested and after every update.
      type: bool
      sample: true
    last_error:
      description: Error of the last deployment test.
      type: str
      sample: Net::SSH::ConnectionTimeout
    server_id:
      description: Id of the server (asset) discovered through this remote access, once scanned.
      type: int
      sample: 7
    node_id:
      description: Id of the node that connects.
      type: int
      sample: 2
is_valid:
  description: Result of the deployment test run by O(test_deploy); V(null) when it did not finish in time.
  returned: when the deployment test ran
  type: bool
  sample: false
last_error:
  description: Error reported by the deployment test run by O(test_deploy).
  returned: when the deployment test ran
  type: str
  sample: Net::SSH::ConnectionTimeout
diff:
  description: The fields that changed, before and after. Secrets show as V(VALUE_SPECIFIED_IN_NO_LOG_PARAMETER).
  returned: always
  type: dict
  sample: {"before": {"port": 22}, "after": {"port": 2222}}
'''

from ansible_collections.secops.vulnmgmt.plugins.module_utils.cyberwatch_module import CyberwatchModule
from ansible_collections.secops.vulnmgmt.plugins.module_utils.cyberwatch import Lookup
from ansible_collections.secops.vulnmgmt.plugins.module_utils.options import Option
from ansible_collections.secops.vulnmgmt.plugins.module_utils.remote_access import SPEC, apply, deployment_test

MODULE_SPEC = SPEC.with_options(
    Option('test_deploy', type='bool', default=False),
    Option('test_deploy_timeout', type='float', default=30.0),
    Option('fail_on_invalid', type='bool', default=False),
)


def main():
    module = CyberwatchModule(MODULE_SPEC)

    def run():
        params = module.params
        result = apply(module.client, Lookup(module.client), params, module.check_mode, params['update_password'])
        if deployment_test(module, result, params['state']) and params['fail_on_invalid'] and result['is_valid'] is False:
            module.fail_json(msg='the deployment test of %s failed: %s' % (params['address'], result['last_error']),
                             **result)
        return result

    module.run(run)


if __name__ == '__main__':
    main()
