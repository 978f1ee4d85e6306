#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: secops.vulnmgmt contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: cyberwatch_compliance_rule_info
short_description: List Cyberwatch compliance rules
version_added: 0.2.0
description:
  - Returns Cyberwatch compliance rules by O(id) (with the servers the rule is checked on and their results),
    by O(code), or all of them (every page is fetched, about 4,600 rules on a stock server).
  - Never changes anything.
notes:
  - Needs read access to compliance rules only; it never writes, so a read-only API key works. See
    R(Permissions,ansible_collections.secops.vulnmgmt.docsite.permissions).
author:
  - secops.vulnmgmt maintainers (@secops)
extends_documentation_fragment:
  - secops.vulnmgmt.cyberwatch
  - secops.vulnmgmt.attributes.INFO
options:
  id:
    description:
      - Id of one rule, returned with its detail (C(servers)). An unknown id returns an empty list.
    type: int
  code:
    description:
      - Code of the rule.
    type: str
  custom:
    description:
      - Only the custom rules (V(true), type C(CbwCompliance::Rules::Custom)) or only the others (V(false)).
    type: bool
'''

EXAMPLES = r'''
- name: Read compliance rules
  module_defaults:
    group/secops.vulnmgmt.cyberwatch:
      api_url: https://cyberwatch.example.com
      api_key: "{{ vault_cyberwatch_api_key }}"
      secret_key: "{{ vault_cyberwatch_secret_key }}"
  block:
    - name: Every custom rule, to compare with the ones in git
      secops.vulnmgmt.cyberwatch_compliance_rule_info:
        custom: true
      register: custom_rules
      delegate_to: localhost

    - name: One rule by code
      secops.vulnmgmt.cyberwatch_compliance_rule_info:
        code: SBP-Custom-001
      register: one_rule
      delegate_to: localhost
'''

RETURN = r'''
compliance_rules:
  description: The matching rules, as the API returns them (with C(servers) for a rule read by O(id)).
  returned: always
  type: list
  elements: dict
  sample: [{"id": 6894, "code": "SBP-Custom-001", "name": "rule name", "level": "minimal", "equation": "(1 && 2)",
            "os": [{"key": "ubuntu_2004_64"}], "rule_groups": [], "type": "CbwCompliance::Rules::Custom",
            "checks": [{"type": "CbwCompliance::Checks::WithScript", "order": 1, "content": "check content",
                        "success": "regex success", "failure": "regex failure"}]}]
'''

from ansible_collections.secops.vulnmgmt.plugins.module_utils.cyberwatch_module import id_or_key_spec, run_info_module
from ansible_collections.secops.vulnmgmt.plugins.module_utils.options import Option

CUSTOM = 'CbwCompliance::Rules::Custom'

SPEC = id_or_key_spec('code', Option('custom', type='bool'))


def main():
    run_info_module(SPEC, 'compliance_rule', 'compliance_rules', 'code',
                    check=lambda rule, params: params['custom'] in (None, rule.get('type') == CUSTOM))


if __name__ == '__main__':
    main()
