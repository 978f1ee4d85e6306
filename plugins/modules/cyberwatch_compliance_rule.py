#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: secops.vulnmgmt contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: cyberwatch_compliance_rule
short_description: Manage Cyberwatch compliance rules (custom rules kept in git)
version_added: 0.2.0
description:
  - Create, update or delete a Cyberwatch compliance rule (C(/api/v3/compliance/rules)), found by its O(code).
  - Only the options you set are compared and sent; a run that changes nothing sends no write.
  - A change of O(checks), O(equation) or O(os) makes Cyberwatch check the rule again on its servers.
  - The API cannot filter rules by code, so each run lists the rules (about 47 pages of 100 on a stock server).
notes:
  - Needs an API key with write access to compliance rules. Check mode needs read access only and sends no write; with
    a read-only key a real change fails with HTTP 403, naming the missing write access. See
    R(Permissions,ansible_collections.secops.vulnmgmt.docsite.permissions).
author:
  - secops.vulnmgmt maintainers (@secops)
extends_documentation_fragment:
  - secops.vulnmgmt.cyberwatch
  - secops.vulnmgmt.attributes.STATE
options:
  code:
    description:
      - Code of the rule, for example V(SBP-Custom-001). It identifies the rule, so it must be unique on the server.
    type: str
    required: true
  name:
    description:
      - Title of the rule. Required to create one.
    type: str
  description:
    description:
      - What the rule verifies.
    type: str
  audit:
    description:
      - How to audit the rule by hand.
    type: str
  rationale:
    description:
      - Why the rule matters.
    type: str
  remediation:
    description:
      - How to fix a server that fails the rule.
    type: str
  level:
    description:
      - Hardening level of the rule. The server picks V(minimal) when a rule is created without one.
    type: str
    choices: [minimal, medium, reinforced, high]
  require_sudo:
    description:
      - Whether the checks need root privileges.
    type: bool
  reference:
    description:
      - Reference of the rule in its benchmark, for example V(1.1.1).
    type: str
  equation:
    description:
      - How the results of the checks combine, with check orders as operands, for example V((1 && 2)).
    type: str
  checks:
    description:
      - The checks of the rule. The list replaces the current checks; their order is compared, the API's C(type) is not.
    type: list
    elements: dict
    suboptions:
      order:
        description:
          - Operand number of the check in O(equation). Defaults to its position in the list (from 1).
        type: int
      content:
        description:
          - The command the check runs on the server.
        type: str
        required: true
      success:
        description:
          - Regular expression on the output that means success.
        type: str
      failure:
        description:
          - Regular expression on the output that means failure.
        type: str
  os:
    description:
      - Keys of the operating systems the rule applies to, for example V(ubuntu_2004_64). Compared as a set.
      - The keys are those of the server's operating systems list (C(GET /api/v3/os)).
    type: list
    elements: str
  state:
    description:
      - V(present) creates or updates the rule, V(absent) deletes it.
    type: str
    choices: [present, absent]
    default: present
'''

EXAMPLES = r'''
- name: Keep custom compliance rules in git
  module_defaults:
    group/secops.vulnmgmt.cyberwatch:
      api_url: https://cyberwatch.example.com
      api_key: "{{ vault_cyberwatch_api_key }}"
      secret_key: "{{ vault_cyberwatch_secret_key }}"
  block:
    - name: No world-writable cron directory
      secops.vulnmgmt.cyberwatch_compliance_rule:
        code: SBP-Custom-001
        name: Cron directories are not world-writable
        description: /etc/cron.d must not be writable by others.
        level: medium
        equation: "(1 && 2)"
        checks:
          - content: stat -c '%A' /etc/cron.d
            success: "^d.......-.$"
          - content: stat -c '%U' /etc/cron.d
            success: "^root$"
        os: [ubuntu_2004_64, ubuntu_2204_64, debian_12_64]
      delegate_to: localhost

    - name: Remove a retired rule
      secops.vulnmgmt.cyberwatch_compliance_rule:
        code: SBP-Custom-000
        state: absent
      delegate_to: localhost
'''

RETURN = r'''
compliance_rule:
  description: The rule after the run; V(null) after a delete. In check mode, the predicted rule.
  returned: always
  type: dict
  sample: {"id": 6894, "code": "SBP-Custom-001", "name": "rule name", "level": "minimal", "equation": "(1 && 2)",
           "os": [{"key": "ubuntu_2004_64"}], "rule_groups": [], "type": "CbwCompliance::Rules::Custom",
           "checks": [{"type": "CbwCompliance::Checks::WithScript", "order": 1, "content": "check content",
                       "success": "regex success", "failure": "regex failure"}]}
diff:
  description: The fields that changed, before and after (O(checks) and O(os) in the form of the options).
  returned: always
  type: dict
  sample: {"before": {"level": "minimal"}, "after": {"level": "medium"}}
'''

from ansible_collections.secops.vulnmgmt.plugins.module_utils.cyberwatch_module import run_state_module
from ansible_collections.secops.vulnmgmt.plugins.module_utils.cyberwatch import CyberwatchBackend
from ansible_collections.secops.vulnmgmt.plugins.module_utils.resource import Field, ResourceSpec

CHECK_KEYS = ('order', 'content', 'success', 'failure')


def checks_to_api(checks, params=None):
    """The checks as sent: each with its order (its position in the list unless given)."""
    del params
    return [dict(((key, check.get(key)) for key in CHECK_KEYS), order=check.get('order') or position)
            for position, check in enumerate(checks, start=1)]


def checks_from_api(checks):
    """The server's checks in the option's form (the API's type left out)."""
    return [dict((key, check.get(key)) for key in CHECK_KEYS) for check in checks]


def unique_orders(checks):
    orders = [check['order'] for check in checks if check['order'] is not None]
    if len(orders) != len(set(orders)):
        return 'checks: each order must be unique, got %s' % ', '.join(str(o) for o in orders)
    return None


def os_keys(values):
    return [value.get('key') if isinstance(value, dict) else value for value in values]


SPEC = ResourceSpec('compliance_rule', fields=(
    Field('code', required=True, nonempty=True),
    Field('name', required_on_create=True),
    Field('description'),
    Field('audit'),
    Field('rationale'),
    Field('remediation'),
    Field('level', choices=['minimal', 'medium', 'reinforced', 'high']),
    Field('require_sudo', type='bool'),
    Field('reference'),
    Field('equation'),
    Field('checks', type='list', elements='dict', options=dict(
        order=dict(type='int'),
        content=dict(type='str', required=True),
        success=dict(type='str'),
        failure=dict(type='str'),
    ), check=unique_orders, to_api=checks_to_api, from_api=checks_from_api),
    Field('os', type='list', elements='str', from_api=os_keys),
))


def main():
    run_state_module(SPEC, lambda client, params: CyberwatchBackend(client, 'compliance_rule', key_value=params['code']))


if __name__ == '__main__':
    main()
