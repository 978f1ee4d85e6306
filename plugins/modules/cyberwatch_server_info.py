#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: secops.vulnmgmt contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: cyberwatch_server_info
short_description: List Cyberwatch servers (assets) with their vulnerabilities
version_added: 0.1.0
description:
  - Returns Cyberwatch servers by O(id), by O(ids), or filtered by O(hostname), O(group), O(reboot_required),
    O(communication_failed) and O(active). Filters are applied by the server and checked again here
    (O(active) by the server only, as servers do not return it). Every page is fetched.
  - With O(ids), the details of a list of servers are read in one run, O(max_workers) at a time (one request per
    server, no listing); a play reads the servers of all its hosts this way in one C(run_once) task.
  - With O(details=true), the detail of each server (CVEs, updates, security issues) is fetched too,
    O(max_workers) at a time.
  - Never changes anything.
notes:
  - Needs read access to servers only; it never writes, so a read-only API key works. See
    R(Permissions,ansible_collections.secops.vulnmgmt.docsite.permissions).
author:
  - secops.vulnmgmt maintainers (@secops)
extends_documentation_fragment:
  - secops.vulnmgmt.cyberwatch
  - secops.vulnmgmt.attributes.INFO
options:
  id:
    description:
      - Id of one server, returned with its detail. An unknown id returns an empty list.
    type: int
  ids:
    description:
      - Ids of servers (positive integers), each returned with its detail, in the order given; an id given twice
        is read once. RV(missing_ids) lists the ids the server does not know (HTTP 404).
      - A detail that cannot be read, or is malformed, fails the task, naming the method and the path; no partial
        list is returned.
      - Mutually exclusive with O(id) and the filters. Every server returned is a detail, whatever O(details).
    type: list
    elements: int
    version_added: 0.3.0
  hostname:
    description:
      - Hostname of the server, compared without case.
    type: str
  group:
    description:
      - Only the servers of this group, by name or id.
    type: str
  reboot_required:
    description:
      - Only the servers that need (V(true)) or do not need (V(false)) a reboot.
    type: bool
  communication_failed:
    description:
      - Only the servers whose communication failed (V(true)), or the others (V(false)).
    type: bool
  active:
    description:
      - Only the active (V(true)) or inactive (V(false)) servers.
    type: bool
  details:
    description:
      - Fetch the detail of each server (one request per server).
      - The servers of O(id) and O(ids) are always details.
    type: bool
    default: false
  max_workers:
    description:
      - How many details are fetched at the same time (with O(details) or O(ids)), between 1 and 32.
    type: int
    default: 8
'''

EXAMPLES = r'''
- name: Report on servers
  module_defaults:
    group/secops.vulnmgmt.cyberwatch:
      api_url: https://cyberwatch.example.com
      api_key: "{{ vault_cyberwatch_api_key }}"
      secret_key: "{{ vault_cyberwatch_secret_key }}"
  block:
    - name: Prod servers waiting for a reboot, with their CVEs
      secops.vulnmgmt.cyberwatch_server_info:
        group: prod
        reboot_required: true
        details: true
      register: reboot_needed
      delegate_to: localhost

    - name: One server by hostname
      secops.vulnmgmt.cyberwatch_server_info:
        hostname: web-01.prod.example.com
      register: web01
      delegate_to: localhost

    - name: The details of several servers, 16 at a time, in one task
      secops.vulnmgmt.cyberwatch_server_info:
        ids: [12, 14, 31]
        max_workers: 16
      register: some_details
      delegate_to: localhost
'''

RETURN = r'''
servers:
  description: The matching servers (their detail with O(details=true), O(id) or O(ids)), as the API returns them.
  returned: always
  type: list
  elements: dict
  sample: [{"id": 12, "hostname": "web-01.prod.example.com", "status": "server_vulnerable", "category": "server",
            "reboot_required": true, "cve_announcements_count": 14,
            "groups": [{"id": 1, "name": "production", "description": "", "color": "#12afcb"}]}]
missing_ids:
  description: The ids of O(ids) the server does not know (HTTP 404), in the order given.
  returned: with O(ids)
  type: list
  elements: int
  sample: [31]
  version_added: 0.3.0
'''

from ansible_collections.secops.vulnmgmt.plugins.module_utils.cyberwatch_module import CyberwatchModule
from ansible_collections.secops.vulnmgmt.plugins.module_utils.cyberwatch_servers import details_by_id, server_listing
from ansible_collections.secops.vulnmgmt.plugins.module_utils.options import Option, OptionSpec, max_workers

COMM_FAILED = 'server_update_comm_fail'
FILTERS = ('hostname', 'group', 'reboot_required', 'communication_failed', 'active')

SPEC = OptionSpec((
    Option('id', type='int'),
    Option('ids', type='list', elements='int', minimum=1),
    Option('hostname'),
    Option('group'),
    Option('reboot_required', type='bool'),
    Option('communication_failed', type='bool'),
    Option('active', type='bool'),
    Option('details', type='bool', default=False),
    max_workers(8),
), mutually_exclusive=[('id', 'hostname')] + [('ids', other) for other in ('id',) + FILTERS])


def main():
    module = CyberwatchModule(SPEC)
    params = module.params

    def run():
        if params['ids'] is not None:
            servers, missing = details_by_id(module.client, 'server', params['ids'], params['max_workers'])
            return dict(changed=False, servers=servers, missing_ids=missing)
        filters = dict(reboot_required=params['reboot_required'], communication_failed=params['communication_failed'],
                       active=params['active'])

        def check(server):
            return (params['reboot_required'] in (None, bool(server.get('reboot_required')))
                    and params['communication_failed'] in (None, server.get('status') == COMM_FAILED))

        return dict(changed=False, servers=server_listing(module, 'server', filters, check, params['details']))

    module.run(run)


if __name__ == '__main__':
    main()
