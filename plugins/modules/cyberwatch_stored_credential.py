#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: secops.vulnmgmt contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: cyberwatch_stored_credential
short_description: Manage Cyberwatch stored credentials
version_added: 0.2.0
description:
  - Create, update or delete a Cyberwatch stored credential (C(/api/v3/assets/credentials)), found by its O(name).
    Secrets then live in one place, and remote accesses refer to the credential by name (O(secops.vulnmgmt.cyberwatch_remote_access#module:credential)).
  - Only the options you set are compared and sent; a run that changes nothing sends no write.
  - O(password), O(key), O(client_key), O(auth_password) and O(priv_password) are never returned by the API, so they
    cannot be compared; O(update_password) says when they are sent. They never appear in the diff, the result or the
    logs.
notes:
  - Needs an API key with write access to stored credentials. Check mode needs read access only and sends no write;
    with a read-only key a real change fails with HTTP 403, naming the missing write access. See
    R(Permissions,ansible_collections.secops.vulnmgmt.docsite.permissions).
author:
  - secops.vulnmgmt maintainers (@secops)
extends_documentation_fragment:
  - secops.vulnmgmt.cyberwatch
  - secops.vulnmgmt.attributes.STATE
options:
  name:
    description:
      - Name of the stored credential. It identifies the credential, so it must be unique on the server.
    type: str
    required: true
  type:
    description:
      - Type of the stored credential, as the server names it (the class name shown by the API, for example for SSH,
        WinRM, SNMP, Docker registries or Docker engines). Required to create a credential.
    type: str
  user:
    description:
      - User (login) of the credential.
    type: str
  endpoint:
    description:
      - Entry point (URL) of a Docker registry or Docker engine credential.
    type: str
  ca_cert:
    description:
      - Certificate of the certificate authority, for TLS credentials such as a Docker engine.
    type: str
  client_cert:
    description:
      - Client certificate, for TLS credentials such as a Docker engine.
    type: str
  password:
    description:
      - Password. Write-only, sent according to O(update_password).
    type: str
  key:
    description:
      - Private key (PEM text) of a key credential. Write-only, sent according to O(update_password).
    type: str
  client_key:
    description:
      - Client private key, for TLS credentials. Write-only, sent according to O(update_password).
    type: str
  auth_password:
    description:
      - SNMPv3 authentication password. Write-only, sent according to O(update_password).
    type: str
  priv_password:
    description:
      - SNMPv3 privacy (encryption) password. Write-only, sent according to O(update_password).
    type: str
  update_password:
    description:
      - V(on_create) sends the secrets only when the credential is created.
      - V(always) sends them on every run, so every run with one of them set reports a change.
    type: str
    choices: [on_create, always]
    default: on_create
  state:
    description:
      - V(present) creates or updates the credential, V(absent) deletes it.
    type: str
    choices: [present, absent]
    default: present
'''

EXAMPLES = r'''
- name: Keep scanning secrets in stored credentials
  module_defaults:
    group/secops.vulnmgmt.cyberwatch:
      api_url: https://cyberwatch.example.com
      api_key: "{{ vault_cyberwatch_api_key }}"
      secret_key: "{{ vault_cyberwatch_secret_key }}"
  block:
    - name: SSH key shared by the Linux fleet
      secops.vulnmgmt.cyberwatch_stored_credential:
        name: linux-scan-key
        type: CbwRam::StoredCredential::Ssh::WithKey
        user: cyberwatch
        key: "{{ vault_cyberwatch_ssh_key }}"
      delegate_to: localhost

    - name: Rotate the SNMP passwords on every run
      secops.vulnmgmt.cyberwatch_stored_credential:
        name: snmp-core-switches
        auth_password: "{{ vault_snmp_auth }}"
        priv_password: "{{ vault_snmp_priv }}"
        update_password: always
      delegate_to: localhost

    - name: Remote access that uses the stored credential
      secops.vulnmgmt.cyberwatch_remote_access:
        address: app02.example.com
        type: ssh_key
        credential: linux-scan-key
      delegate_to: localhost

    - name: Remove an old credential
      secops.vulnmgmt.cyberwatch_stored_credential:
        name: legacy-root-password
        state: absent
      delegate_to: localhost
'''

RETURN = r'''
stored_credential:
  description:
    - The stored credential after the run, without any secret; V(null) after a delete. In check mode, the predicted
      object.
  returned: always
  type: dict
  contains:
    id:
      description: Server id (V(null) for a credential predicted in check mode).
      type: int
      sample: 3
    name:
      description: Name.
      type: str
      sample: linux-scan-key
    type:
      description: Type, as the server names it.
      type: str
      sample: CbwRam::StoredCredential::Ssh::WithKey
    user:
      description: User.
      type: str
      sample: cyberwatch
    endpoint:
      description: Endpoint of a Docker credential.
      type: str
      sample: https://registry.example.com
diff:
  description: The fields that changed, before and after. Secrets show as V(VALUE_SPECIFIED_IN_NO_LOG_PARAMETER).
  returned: always
  type: dict
  sample: {"before": {"user": "scan"}, "after": {"user": "cyberwatch"}}
'''

from ansible_collections.secops.vulnmgmt.plugins.module_utils.cyberwatch_module import run_state_module
from ansible_collections.secops.vulnmgmt.plugins.module_utils.cyberwatch import RESOURCES, CyberwatchBackend
from ansible_collections.secops.vulnmgmt.plugins.module_utils.resource import Field, ResourceSpec

SPEC = ResourceSpec('stored_credential', fields=(
    Field('name', required=True, nonempty=True),
    Field('type', required_on_create=True),
    Field('user'),
    Field('endpoint'),
    Field('ca_cert'),
    Field('client_cert'),
) + tuple(Field(name, write_only=True) for name in RESOURCES['stored_credential'].write_only))


def main():
    run_state_module(SPEC, lambda client, params: CyberwatchBackend(client, 'stored_credential', key_value=params['name']))


if __name__ == '__main__':
    main()
