#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: secops.vulnmgmt contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: cyberwatch_security_issue_info
short_description: List Cyberwatch security issues
version_added: 0.2.0
description:
  - Returns Cyberwatch security issues by O(id) (with their linked CVEs and servers), by O(sid), by O(level), or all
    of them (every page is fetched).
  - Never changes anything.
notes:
  - Needs read access to security issues only; it never writes, so a read-only API key works. See
    R(Permissions,ansible_collections.secops.vulnmgmt.docsite.permissions).
author:
  - secops.vulnmgmt maintainers (@secops)
extends_documentation_fragment:
  - secops.vulnmgmt.cyberwatch
  - secops.vulnmgmt.attributes.INFO
options:
  id:
    description:
      - Id of one security issue, returned with its detail. An unknown id returns an empty list.
    type: int
  sid:
    description:
      - Identifier of the security issue (filtered on the server, checked here).
    type: str
  level:
    description:
      - Only the issues of this severity.
    type: str
    choices: [info, low, medium, high, critical]
'''

EXAMPLES = r'''
- name: Read Cyberwatch security issues
  module_defaults:
    group/secops.vulnmgmt.cyberwatch:
      api_url: https://cyberwatch.example.com
      api_key: "{{ vault_cyberwatch_api_key }}"
      secret_key: "{{ vault_cyberwatch_secret_key }}"
  block:
    - name: The critical ones
      secops.vulnmgmt.cyberwatch_security_issue_info:
        level: critical
      register: critical_issues
      delegate_to: localhost

    - name: One by its identifier
      secops.vulnmgmt.cyberwatch_security_issue_info:
        sid: pentest-2024-weak-tls
      register: weak_tls
      delegate_to: localhost
'''

RETURN = r'''
security_issues:
  description: The matching security issues, as the API lists them (by O(id), the detail).
  returned: always
  type: list
  elements: dict
  sample: [{"id": 30, "type": "SecurityIssues::Custom", "sid": "pentest-2024-weak-tls", "level": "level_high",
            "title": "Weak TLS ciphers accepted", "description": "TLS 1.0 and RC4 ciphers are accepted."}]
'''

from ansible_collections.secops.vulnmgmt.plugins.module_utils.cyberwatch_module import id_or_key_spec, run_info_module
from ansible_collections.secops.vulnmgmt.plugins.module_utils.options import Option

SPEC = id_or_key_spec('sid', Option('level', choices=['info', 'low', 'medium', 'high', 'critical']))


def main():
    run_info_module(SPEC, 'security_issue', 'security_issues', 'sid',
                    check=lambda issue, params: params['level'] is None or issue.get('level') == 'level_' + params['level'])


if __name__ == '__main__':
    main()
