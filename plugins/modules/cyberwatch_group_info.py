#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: secops.vulnmgmt contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: cyberwatch_group_info
short_description: List Cyberwatch groups
version_added: 0.1.0
description:
  - Returns Cyberwatch groups by O(id), by O(name), or all of them (every page is fetched).
  - Never changes anything.
notes:
  - Needs read access to groups only; it never writes, so a read-only API key works. See
    R(Permissions,ansible_collections.secops.vulnmgmt.docsite.permissions).
author:
  - secops.vulnmgmt maintainers (@secops)
extends_documentation_fragment:
  - secops.vulnmgmt.cyberwatch
  - secops.vulnmgmt.attributes.INFO
options:
  id:
    description:
      - Id of one group. An unknown id returns an empty list.
    type: int
  name:
    description:
      - Name of the group.
    type: str
'''

EXAMPLES = r'''
- name: Read Cyberwatch groups
  module_defaults:
    group/secops.vulnmgmt.cyberwatch:
      api_url: https://cyberwatch.example.com
      api_key: "{{ vault_cyberwatch_api_key }}"
      secret_key: "{{ vault_cyberwatch_secret_key }}"
  block:
    - name: All of them
      secops.vulnmgmt.cyberwatch_group_info:
      register: all_groups
      delegate_to: localhost

    - name: One by name
      secops.vulnmgmt.cyberwatch_group_info:
        name: production
      register: one_group
      delegate_to: localhost
'''

RETURN = r'''
groups:
  description: The matching groups, as the API returns them.
  returned: always
  type: list
  elements: dict
  sample: [{"id": 1, "name": "production", "description": "Production servers", "color": "#12afcb"}]
'''

from ansible_collections.secops.vulnmgmt.plugins.module_utils.cyberwatch_module import id_or_key_spec, run_info_module

SPEC = id_or_key_spec('name')


def main():
    run_info_module(SPEC, 'group', 'groups', 'name')


if __name__ == '__main__':
    main()
