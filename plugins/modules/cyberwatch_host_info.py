#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: secops.vulnmgmt contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: cyberwatch_host_info
short_description: List Cyberwatch hosts (network targets)
version_added: 0.1.0
description:
  - Returns Cyberwatch hosts (network targets) by O(id), by O(target), or all of them (every page is fetched).
  - Never changes anything.
notes:
  - Needs read access to hosts only; it never writes, so a read-only API key works. See
    R(Permissions,ansible_collections.secops.vulnmgmt.docsite.permissions).
author:
  - secops.vulnmgmt maintainers (@secops)
extends_documentation_fragment:
  - secops.vulnmgmt.cyberwatch
  - secops.vulnmgmt.attributes.INFO
options:
  id:
    description:
      - Id of one host. An unknown id returns an empty list.
    type: int
  target:
    description:
      - Target of the host, compared without case.
    type: str
'''

EXAMPLES = r'''
- name: Read Cyberwatch hosts (network targets)
  module_defaults:
    group/secops.vulnmgmt.cyberwatch:
      api_url: https://cyberwatch.example.com
      api_key: "{{ vault_cyberwatch_api_key }}"
      secret_key: "{{ vault_cyberwatch_secret_key }}"
  block:
    - name: All of them
      secops.vulnmgmt.cyberwatch_host_info:
      register: all_hosts
      delegate_to: localhost

    - name: One by target
      secops.vulnmgmt.cyberwatch_host_info:
        target: 192.0.2.1
      register: one_host
      delegate_to: localhost
'''

RETURN = r'''
hosts:
  description: The matching hosts (network targets), as the API returns them.
  returned: always
  type: list
  elements: dict
  sample: [{"id": 7, "target": "192.0.2.1", "category": "other", "hostname": "router-dmz", "node_id": 2,
            "server_id": null}]
'''

from ansible_collections.secops.vulnmgmt.plugins.module_utils.cyberwatch_module import id_or_key_spec, run_info_module

SPEC = id_or_key_spec('target')


def main():
    run_info_module(SPEC, 'host', 'hosts', 'target')


if __name__ == '__main__':
    main()
