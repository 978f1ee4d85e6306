#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: secops.vulnmgmt contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: cyberwatch_compliance_server_info
short_description: List Cyberwatch servers with their compliance results
version_added: 0.2.0
description:
  - Returns the compliance view of Cyberwatch servers (C(/api/v3/compliance/servers)) by O(id), by O(hostname),
    or all of them (every page is fetched), with the count of rules checked, failed and succeeded.
  - With O(id), O(hostname) or O(details=true), each server comes with its rule results (C(rules)).
  - Never changes anything.
notes:
  - Needs read access to compliance servers only; it never writes, so a read-only API key works. See
    R(Permissions,ansible_collections.secops.vulnmgmt.docsite.permissions).
author:
  - secops.vulnmgmt maintainers (@secops)
extends_documentation_fragment:
  - secops.vulnmgmt.cyberwatch
  - secops.vulnmgmt.attributes.INFO
options:
  id:
    description:
      - Id of one server. An unknown id returns an empty list.
    type: int
  hostname:
    description:
      - Hostname of the server, compared without case.
    type: str
  group:
    description:
      - Only the servers of this asset group, by name or id.
    type: str
  environment_id:
    description:
      - Only the servers of this environment.
    type: int
  details:
    description:
      - Fetch the detail of each server, with its rule results (one request per server). Implied by O(id) and
        O(hostname).
    type: bool
    default: false
  max_workers:
    description:
      - How many details are fetched at the same time, between 1 and 32.
    type: int
    default: 8
'''

EXAMPLES = r'''
- name: Report on compliance
  module_defaults:
    group/secops.vulnmgmt.cyberwatch:
      api_url: https://cyberwatch.example.com
      api_key: "{{ vault_cyberwatch_api_key }}"
      secret_key: "{{ vault_cyberwatch_secret_key }}"
  block:
    - name: Compliance counts of the prod servers
      secops.vulnmgmt.cyberwatch_compliance_server_info:
        group: prod
      register: production
      delegate_to: localhost

    - name: The rules one server fails
      secops.vulnmgmt.cyberwatch_compliance_server_info:
        hostname: web-01.prod.example.com
      register: web01
      delegate_to: localhost

    - name: Show them
      ansible.builtin.debug:
        msg: "{{ web01.compliance_servers[0].rules | selectattr('status', 'equalto', 'failed') | map(attribute='code') }}"
'''

RETURN = r'''
compliance_servers:
  description: The matching servers, as the API returns them; with C(rules) for a detail.
  returned: always
  type: list
  elements: dict
  sample: [{"id": 12, "hostname": "web-01.prod.example.com", "compliance_rules_count": 120,
            "compliance_rules_failed_count": 31, "compliance_rules_succeed_count": 89,
            "status": "cbw_compliance_server_not_compliant",
            "rules": [{"id": 6885, "code": "SBP-LIN-01-001-cron", "name": "Cron permissions", "level": "minimal",
                       "status": "failed", "last_verification": "2026-12-01T16:44:37.000+00:00"}]}]
'''

from ansible_collections.secops.vulnmgmt.plugins.module_utils.cyberwatch_module import CyberwatchModule
from ansible_collections.secops.vulnmgmt.plugins.module_utils.cyberwatch_servers import server_listing
from ansible_collections.secops.vulnmgmt.plugins.module_utils.options import Option, OptionSpec, max_workers

SPEC = OptionSpec((
    Option('id', type='int'),
    Option('hostname'),
    Option('group'),
    Option('environment_id', type='int'),
    Option('details', type='bool', default=False),
    max_workers(8),
), mutually_exclusive=[('id', 'hostname')])


def main():
    module = CyberwatchModule(SPEC)
    params = module.params

    def run():
        servers = server_listing(
            module, 'compliance_server', dict(environment_id=params['environment_id']),
            lambda server: params['environment_id'] in (None, (server.get('environment') or {}).get('id')),
            params['details'] or params['hostname'] is not None)
        return dict(changed=False, compliance_servers=servers)

    module.run(run)


if __name__ == '__main__':
    main()
