#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: secops.vulnmgmt contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: cyberwatch_applicative_scan_info
short_description: List the web applications Cyberwatch scans
version_added: 0.2.0
description:
  - Returns Cyberwatch applicative scans by O(id), by O(target), or all of them (every page is fetched).
  - Never changes anything.
notes:
  - Needs read access to applicative scans only; it never writes, so a read-only API key works. See
    R(Permissions,ansible_collections.secops.vulnmgmt.docsite.permissions).
author:
  - secops.vulnmgmt maintainers (@secops)
extends_documentation_fragment:
  - secops.vulnmgmt.cyberwatch
  - secops.vulnmgmt.attributes.INFO
options:
  id:
    description:
      - Id of one applicative scan. An unknown id returns an empty list.
    type: int
  target:
    description:
      - Target of the applicative scan, compared exactly.
    type: str
'''

EXAMPLES = r'''
- name: Read applicative scans
  module_defaults:
    group/secops.vulnmgmt.cyberwatch:
      api_url: https://cyberwatch.example.com
      api_key: "{{ vault_cyberwatch_api_key }}"
      secret_key: "{{ vault_cyberwatch_secret_key }}"
  block:
    - name: All of them
      secops.vulnmgmt.cyberwatch_applicative_scan_info:
      register: web_scans
      delegate_to: localhost
'''

RETURN = r'''
applicative_scans:
  description: The matching applicative scans, as the API returns them.
  returned: always
  type: list
  elements: dict
  sample: [{"id": 1, "node_id": 1, "target": "www.example.com", "server_id": null}]
'''

from ansible_collections.secops.vulnmgmt.plugins.module_utils.cyberwatch_module import id_or_key_spec, run_info_module

SPEC = id_or_key_spec('target')


def main():
    run_info_module(SPEC, 'applicative_scan', 'applicative_scans', 'target')


if __name__ == '__main__':
    main()
