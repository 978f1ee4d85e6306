#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: secops.vulnmgmt contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: cyberwatch_remote_access_info
short_description: List Cyberwatch remote accesses
version_added: 0.1.0
description:
  - Returns Cyberwatch remote accesses by O(id), by O(address), or all of them (every page is fetched).
  - Never changes anything.
notes:
  - Needs read access to remote accesses only; it never writes, so a read-only API key works. See
    R(Permissions,ansible_collections.secops.vulnmgmt.docsite.permissions).
author:
  - secops.vulnmgmt maintainers (@secops)
extends_documentation_fragment:
  - secops.vulnmgmt.cyberwatch
  - secops.vulnmgmt.attributes.INFO
options:
  id:
    description:
      - Id of one remote access. An unknown id returns an empty list.
    type: int
  address:
    description:
      - Address of the remote access, compared without case.
    type: str
'''

EXAMPLES = r'''
- name: Read Cyberwatch remote accesses
  module_defaults:
    group/secops.vulnmgmt.cyberwatch:
      api_url: https://cyberwatch.example.com
      api_key: "{{ vault_cyberwatch_api_key }}"
      secret_key: "{{ vault_cyberwatch_secret_key }}"
  block:
    - name: All of them
      secops.vulnmgmt.cyberwatch_remote_access_info:
      register: all_remote_accesses
      delegate_to: localhost

    - name: One by address
      secops.vulnmgmt.cyberwatch_remote_access_info:
        address: db01.example.com
      register: one_remote_access
      delegate_to: localhost
'''

RETURN = r'''
remote_accesses:
  description: The matching remote accesses, as the API returns them.
  returned: always
  type: list
  elements: dict
  sample: [{"id": 42, "type": "CbwRam::RemoteAccess::Ssh::WithKey", "address": "db01.example.com", "port": 22,
            "is_valid": true, "last_error": null, "server_id": 7, "node_id": 1}]
'''

from ansible_collections.secops.vulnmgmt.plugins.module_utils.cyberwatch_module import id_or_key_spec, run_info_module

SPEC = id_or_key_spec('address')


def main():
    run_info_module(SPEC, 'remote_access', 'remote_accesses', 'address')


if __name__ == '__main__':
    main()
