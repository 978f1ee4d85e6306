#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: secops.vulnmgmt contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: cyberwatch_agent
short_description: Remove Cyberwatch agents, one by one or every silent one
version_added: 0.2.0
description:
  - Deletes Cyberwatch agents (agents register themselves, so there is nothing to create) - one by O(id), those of the
    server with hostname O(server), or every agent that has not communicated for longer than O(stale_after).
    O(server) and O(stale_after) combine (the silent agents of that server).
  - Returns the agents it removed. In check mode it returns the agents it would remove and sends no write.
  - An agent already gone is not an error (V(changed=false)), so a second run changes nothing.
  - Agents that never communicated (no C(last_communication)) are never taken as silent.
notes:
  - Needs an API key with write access to agents (delete). Check mode needs read access only and sends no write; with
    a read-only key a real change fails with HTTP 403, naming the missing write access. See
    R(Permissions,ansible_collections.secops.vulnmgmt.docsite.permissions).
author:
  - secops.vulnmgmt maintainers (@secops)
extends_documentation_fragment:
  - secops.vulnmgmt.cyberwatch
  - secops.vulnmgmt.attributes.STATE
options:
  id:
    description:
      - Id of the agent.
    type: int
  server:
    description:
      - Hostname of the server whose agents are removed (compared without case).
    type: str
  stale_after:
    description:
      - Remove the agents whose last communication is older than this duration, such as V(30d) or V(12h). Measured
        against the controller's clock.
      - A duration is a number of seconds (V(90)) or numbers followed by a unit C(s), C(m), C(h), C(d) or C(w),
        combinable (V(30m), V(12h), V(30d), V(1h30m)); case and blanks are ignored.
      - Here the duration must be positive and have a unit; a bare number is refused.
    type: str
  state:
    description:
      - Only V(absent), as agents are created by installing them on the servers.
    type: str
    choices: [absent]
    default: absent
'''

EXAMPLES = r'''
- name: Agent hygiene
  module_defaults:
    group/secops.vulnmgmt.cyberwatch:
      api_url: https://cyberwatch.example.com
      api_key: "{{ vault_cyberwatch_api_key }}"
      secret_key: "{{ vault_cyberwatch_secret_key }}"
  block:
    - name: List the agents silent for a month, without removing them
      secops.vulnmgmt.cyberwatch_agent:
        stale_after: 30d
      check_mode: true
      register: silent
      delegate_to: localhost

    - name: Remove them
      secops.vulnmgmt.cyberwatch_agent:
        stale_after: 30d
      register: removed
      delegate_to: localhost

    - name: Remove the agent of a reinstalled server
      secops.vulnmgmt.cyberwatch_agent:
        server: web-01.example.com
      delegate_to: localhost
'''

RETURN = r'''
agents:
  description: The agents removed (in check mode, the agents that would be removed), as the API returned them.
  returned: always
  type: list
  elements: dict
  sample: [{"id": 2, "server_id": 15, "node_id": 1, "version": "4.2", "remote_ip": "10.10.1.103",
            "last_communication": "2021-02-22T10:41:01.000+01:00"}]
diff:
  description: The removed agents by id (before), and nothing after.
  returned: always
  type: dict
  sample: {"before": {"agents": [{"id": 2, "server_id": 15}]}, "after": {"agents": []}}
'''

from ansible_collections.secops.vulnmgmt.plugins.module_utils.cyberwatch_module import CyberwatchModule
from ansible_collections.secops.vulnmgmt.plugins.module_utils.cyberwatch_servers import (
    AGENT_EXCLUSIONS, AGENT_OPTIONS, select_agents,
)
from ansible_collections.secops.vulnmgmt.plugins.module_utils.cyberwatch import CyberwatchBackend
from ansible_collections.secops.vulnmgmt.plugins.module_utils.resource import Reconciler, ResourceSpec

SPEC = ResourceSpec('agent', fields=(), options=AGENT_OPTIONS, states=('absent',), mutually_exclusive=AGENT_EXCLUSIONS,
                    required_one_of=[('id', 'server', 'stale_after')])


def main():
    module = CyberwatchModule(SPEC)
    params = module.params

    def run():
        agents, notes = select_agents(module.client, params['id'], params['server'], params['stale_after'])
        for note in notes:
            module.warn(note)
        removed = []
        for agent in agents:
            backend = CyberwatchBackend(module.client, 'agent', object_id=agent['id'])
            result = Reconciler(SPEC, backend, check_mode=module.check_mode).absent(agent, found=True)
            removed.append(result['diff']['before'])
        return dict(changed=bool(removed), agents=removed, diff=dict(before=dict(agents=removed), after=dict(agents=[])))

    module.run(run)


if __name__ == '__main__':
    main()
