#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: secops.vulnmgmt contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: cyberwatch_discovery_info
short_description: List Cyberwatch asset discoveries
version_added: 0.2.0
description:
  - Returns Cyberwatch discoveries (C(/api/v3/assets/discoveries)) by O(name), or all of them (every page is
    fetched). cbw-api-toolbox has no call for one discovery, so O(id) filters the listing.
  - Never changes anything.
notes:
  - Needs read access to discoveries only; it never writes, so a read-only API key works. See
    R(Permissions,ansible_collections.secops.vulnmgmt.docsite.permissions).
author:
  - secops.vulnmgmt maintainers (@secops)
extends_documentation_fragment:
  - secops.vulnmgmt.cyberwatch
  - secops.vulnmgmt.attributes.INFO
options:
  id:
    description:
      - Id of one discovery. An unknown id returns an empty list.
    type: int
  name:
    description:
      - Name of the discovery.
    type: str
'''

EXAMPLES = r'''
- name: Read discoveries
  module_defaults:
    group/secops.vulnmgmt.cyberwatch:
      api_url: https://cyberwatch.example.com
      api_key: "{{ vault_cyberwatch_api_key }}"
      secret_key: "{{ vault_cyberwatch_secret_key }}"
  block:
    - name: All of them
      secops.vulnmgmt.cyberwatch_discovery_info:
      register: discoveries
      delegate_to: localhost
'''

RETURN = r'''
discoveries:
  description: The matching discoveries, as the API returns them.
  returned: always
  type: list
  elements: dict
  sample: [{"id": 1, "type": "CbwAssets::Discoveries::NetworkScan", "name": "office-lan", "node_id": 1,
            "target": "10.0.0.0/24", "status": "finished", "last_launched_at": "2026-11-30T10:00:00.000+00:00"}]
'''

from ansible_collections.secops.vulnmgmt.plugins.module_utils.cyberwatch_module import id_or_key_spec, run_info_module

SPEC = id_or_key_spec('name')


def main():
    run_info_module(SPEC, 'discovery', 'discoveries', 'name')


if __name__ == '__main__':
    main()
