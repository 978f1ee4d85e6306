#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: secops.vulnmgmt contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: cyberwatch_compliance_recheck
short_description: Check the compliance rules of a Cyberwatch server again, or a rule on all its servers
version_added: 0.2.0
description:
  - With O(server), checks every compliance rule of that server again (C(PUT compliance/servers/{id}/recheck_rules)).
  - With O(rule), checks that rule again on every server it applies to (C(PUT compliance/rules/{id}/recheck_servers)).
  - A recheck always reports a change. In check mode the module finds the server or rule, reports a change and sends
    nothing.
  - The results read C(gen_analyzing) until the recheck completes; with O(wait=true) the module waits for that and
    returns the new results (see also M(secops.vulnmgmt.cyberwatch_compliance_server_info)).
notes:
  - Needs an API key with write access to compliance servers or rules (the recheck action). Check mode needs read
    access only and sends no write; with a read-only key a real change fails with HTTP 403, naming the missing write
    access. See R(Permissions,ansible_collections.secops.vulnmgmt.docsite.permissions).
author:
  - secops.vulnmgmt maintainers (@secops)
extends_documentation_fragment:
  - secops.vulnmgmt.cyberwatch
options:
  server:
    description:
      - The server whose rules are checked again, by id or by hostname (compared without case).
      - Exactly one of O(server) and O(rule) is required.
    type: str
  rule:
    description:
      - The rule checked again on its servers, by id or by code.
    type: str
  wait:
    description:
      - Wait until no result of the server (or of the rule) reads C(gen_analyzing) any more, then return them.
    type: bool
    default: false
  timeout:
    description:
      - Seconds to wait with O(wait=true). When they pass, the module fails and names the server or rule id.
    type: int
    default: 600
attributes:
  check_mode:
    support: full
    description: Finds the server or rule, reports a change and sends no request that triggers anything.
  diff_mode:
    support: none
    description: An action has no before and after state to compare.
'''

EXAMPLES = r'''
- name: Recheck compliance
  module_defaults:
    group/secops.vulnmgmt.cyberwatch:
      api_url: https://cyberwatch.example.com
      api_key: "{{ vault_cyberwatch_api_key }}"
      secret_key: "{{ vault_cyberwatch_secret_key }}"
  block:
    - name: After hardening a server, check its rules again and wait for the results
      secops.vulnmgmt.cyberwatch_compliance_recheck:
        server: web-01.prod.example.com
        wait: true
      register: recheck
      delegate_to: localhost

    - name: Fail if a rule still fails
      ansible.builtin.assert:
        that: recheck.compliance_server.compliance_rules_failed_count == 0

    - name: After changing a rule, check it again everywhere
      secops.vulnmgmt.cyberwatch_compliance_recheck:
        rule: SBP-Custom-001
      delegate_to: localhost
'''

RETURN = r'''
compliance_server:
  description:
    - The server as the API answered the recheck, with its rule results (in check mode, as found).
    - After O(wait=true), as read once the recheck completed.
  returned: with O(server)
  type: dict
  sample: {"id": 12, "hostname": "web-01.prod.example.com", "status": "gen_analyzing", "rules": []}
compliance_rule:
  description:
    - The rule as the API answered the recheck, with its servers' results (in check mode, as found).
    - After O(wait=true), as read once the recheck completed.
  returned: with O(rule)
  type: dict
  sample: {"id": 6894, "code": "SBP-Custom-001", "servers": [{"id": 12, "status": "gen_analyzing"}]}
action:
  description: The recheck that was (or in check mode would be) sent.
  returned: always
  type: str
  sample: recheck_rules
'''

from ansible_collections.secops.vulnmgmt.plugins.module_utils.cyberwatch_module import CyberwatchModule
from ansible_collections.secops.vulnmgmt.plugins.module_utils.cyberwatch_actions import (
    find_target, recheck_settled, run_action, wait_for,
)
from ansible_collections.secops.vulnmgmt.plugins.module_utils.cyberwatch import is_id
from ansible_collections.secops.vulnmgmt.plugins.module_utils.options import Option, OptionSpec

SPEC = OptionSpec((
    Option('server', nonempty=True, accepted='an id or a hostname'),
    Option('rule', nonempty=True, accepted='an id or a code'),
    Option('wait', type='bool', default=False),
    Option('timeout', type='int', default=600, minimum=0),
), required_one_of=[('server', 'rule')], mutually_exclusive=[('server', 'rule')])


def main():
    module = CyberwatchModule(SPEC)
    params = module.params
    on_server = params['server'] is not None
    resource, value, action = (('compliance_server', params['server'], 'recheck_rules') if on_server
                               else ('compliance_rule', params['rule'], 'recheck_servers'))

    def run():
        by_id = is_id(value)
        current = find_target(module.client, resource, int(value) if by_id else None, None if by_id else value)
        result = run_action(module, resource, action, 'PUT', action, current)
        if params['wait'] and not module.check_mode:
            result[resource] = wait_for(module, resource, current, recheck_settled, lambda latest: (
                '%s %s: the recheck did not complete within %d seconds (results still gen_analyzing)' % (
                    resource.replace('_', ' '), current['id'], params['timeout'])))
        return result

    module.run(run)


if __name__ == '__main__':
    main()
