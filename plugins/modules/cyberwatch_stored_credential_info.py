#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: secops.vulnmgmt contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: cyberwatch_stored_credential_info
short_description: List Cyberwatch stored credentials
version_added: 0.2.0
description:
  - Returns Cyberwatch stored credentials by O(id), by O(name), or all of them (every page is fetched).
  - The API never returns the secrets of a credential, so neither does this module.
  - Never changes anything.
notes:
  - Needs read access to stored credentials only; it never writes, so a read-only API key works. See
    R(Permissions,ansible_collections.secops.vulnmgmt.docsite.permissions).
author:
  - secops.vulnmgmt maintainers (@secops)
extends_documentation_fragment:
  - secops.vulnmgmt.cyberwatch
  - secops.vulnmgmt.attributes.INFO
options:
  id:
    description:
      - Id of one stored credential. An unknown id returns an empty list.
    type: int
  name:
    description:
      - Name of the stored credential.
    type: str
'''

EXAMPLES = r'''
- name: Read Cyberwatch stored credentials
  module_defaults:
    group/secops.vulnmgmt.cyberwatch:
      api_url: https://cyberwatch.example.com
      api_key: "{{ vault_cyberwatch_api_key }}"
      secret_key: "{{ vault_cyberwatch_secret_key }}"
  block:
    - name: All of them
      secops.vulnmgmt.cyberwatch_stored_credential_info:
      register: all_credentials
      delegate_to: localhost

    - name: One by name
      secops.vulnmgmt.cyberwatch_stored_credential_info:
        name: linux-scan-key
      register: one_credential
      delegate_to: localhost
'''

RETURN = r'''
stored_credentials:
  description: The matching stored credentials, as the API returns them (never with a secret).
  returned: always
  type: list
  elements: dict
  sample: [{"id": 1, "name": "linux-scan-key", "type": "CbwRam::StoredCredential::Ssh::WithKey", "user": "cyberwatch",
            "endpoint": null, "ca_cert": null, "client_cert": null}]
'''

from ansible_collections.secops.vulnmgmt.plugins.module_utils.cyberwatch_module import id_or_key_spec, run_info_module

SPEC = id_or_key_spec('name')


def main():
    run_info_module(SPEC, 'stored_credential', 'stored_credentials', 'name')


if __name__ == '__main__':
    main()
