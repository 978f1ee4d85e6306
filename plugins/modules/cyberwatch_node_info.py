#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: secops.vulnmgmt contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: cyberwatch_node_info
short_description: List Cyberwatch nodes (scanners)
version_added: 0.1.0
description:
  - Returns Cyberwatch nodes (scanners) by O(id), by O(name), or all of them (every page is fetched).
  - Never changes anything.
notes:
  - Needs read access to nodes only; it never writes, so a read-only API key works. See
    R(Permissions,ansible_collections.secops.vulnmgmt.docsite.permissions).
author:
  - secops.vulnmgmt maintainers (@secops)
extends_documentation_fragment:
  - secops.vulnmgmt.cyberwatch
  - secops.vulnmgmt.attributes.INFO
options:
  id:
    description:
      - Id of one node. An unknown id returns an empty list.
    type: int
  name:
    description:
      - Name of the node.
    type: str
'''

EXAMPLES = r'''
- name: Read Cyberwatch nodes (scanners)
  module_defaults:
    group/secops.vulnmgmt.cyberwatch:
      api_url: https://cyberwatch.example.com
      api_key: "{{ vault_cyberwatch_api_key }}"
      secret_key: "{{ vault_cyberwatch_secret_key }}"
  block:
    - name: All of them
      secops.vulnmgmt.cyberwatch_node_info:
      register: all_nodes
      delegate_to: localhost

    - name: One by name
      secops.vulnmgmt.cyberwatch_node_info:
        name: master
      register: one_node
      delegate_to: localhost
'''

RETURN = r'''
nodes:
  description: The matching nodes (scanners), as the API returns them.
  returned: always
  type: list
  elements: dict
  sample: [{"id": 1, "name": "master", "created_at": "2024-01-02T10:00:00.000+01:00",
            "updated_at": "2025-01-02T10:00:00.000+01:00"}]
'''

from ansible_collections.secops.vulnmgmt.plugins.module_utils.cyberwatch_module import id_or_key_spec, run_info_module

SPEC = id_or_key_spec('name')


def main():
    run_info_module(SPEC, 'node', 'nodes', 'name')


if __name__ == '__main__':
    main()
