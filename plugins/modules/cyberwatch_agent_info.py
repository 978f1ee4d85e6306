#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: secops.vulnmgmt contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: cyberwatch_agent_info
short_description: List Cyberwatch agents
version_added: 0.2.0
description:
  - Returns Cyberwatch agents by O(id), those of the server with hostname O(server), those silent for longer than
    O(stale_after), or all of them (every page is fetched). O(server) and O(stale_after) combine.
  - Never changes anything. M(secops.vulnmgmt.cyberwatch_agent) removes agents with the same selection.
notes:
  - Needs read access to agents and servers only; it never writes, so a read-only API key works. See
    R(Permissions,ansible_collections.secops.vulnmgmt.docsite.permissions).
author:
  - secops.vulnmgmt maintainers (@secops)
extends_documentation_fragment:
  - secops.vulnmgmt.cyberwatch
  - secops.vulnmgmt.attributes.INFO
options:
  id:
    description:
      - Id of one agent. An unknown id returns an empty list.
    type: int
  server:
    description:
      - Hostname of the server whose agents are returned (compared without case).
    type: str
  stale_after:
    description:
      - Only the agents whose last communication is older than this duration, such as V(30d). Agents that never
        communicated are left out.
      - A duration is a number of seconds (V(90)) or numbers followed by a unit C(s), C(m), C(h), C(d) or C(w),
        combinable (V(30m), V(12h), V(30d), V(1h30m)); case and blanks are ignored.
      - Here the duration must be positive and have a unit; a bare number is refused.
    type: str
'''

EXAMPLES = r'''
- name: Read Cyberwatch agents
  module_defaults:
    group/secops.vulnmgmt.cyberwatch:
      api_url: https://cyberwatch.example.com
      api_key: "{{ vault_cyberwatch_api_key }}"
      secret_key: "{{ vault_cyberwatch_secret_key }}"
  block:
    - name: Every agent
      secops.vulnmgmt.cyberwatch_agent_info:
      register: all_agents
      delegate_to: localhost

    - name: Agents silent for a week
      secops.vulnmgmt.cyberwatch_agent_info:
        stale_after: 7d
      register: silent_agents
      delegate_to: localhost
'''

RETURN = r'''
agents:
  description: The matching agents, as the API returns them.
  returned: always
  type: list
  elements: dict
  sample: [{"id": 2, "server_id": 15, "node_id": 1, "version": "4.2", "remote_ip": "10.10.1.103",
            "last_communication": "2021-02-22T10:41:01.000+01:00"}]
'''

from ansible_collections.secops.vulnmgmt.plugins.module_utils.cyberwatch_module import CyberwatchModule
from ansible_collections.secops.vulnmgmt.plugins.module_utils.cyberwatch_servers import (
    AGENT_EXCLUSIONS, AGENT_OPTIONS, select_agents,
)
from ansible_collections.secops.vulnmgmt.plugins.module_utils.options import OptionSpec

SPEC = OptionSpec(AGENT_OPTIONS, mutually_exclusive=AGENT_EXCLUSIONS)


def main():
    module = CyberwatchModule(SPEC)
    params = module.params

    def run():
        agents, dummy = select_agents(module.client, params['id'], params['server'], params['stale_after'])
        return dict(changed=False, agents=agents)

    module.run(run)


if __name__ == '__main__':
    main()
