#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: secops.vulnmgmt contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: cyberwatch_discovery
short_description: Relaunch or delete Cyberwatch asset discoveries
version_added: 0.2.0
description:
  - Relaunches (C(PUT /api/v3/assets/discoveries/{id}/relaunch)) or deletes a Cyberwatch discovery, found by O(id)
    or O(name).
  - Discoveries are created in the Cyberwatch interface, not through the API.
  - O(state=relaunched) is an action, it always reports a change; a discovery that does not exist fails.
    O(state=absent) deletes the discovery, and a missing one is no change.
  - In check mode the module finds the discovery, reports what it would do and sends nothing.
notes:
  - Needs an API key with write access to discoveries (relaunch, delete). Check mode needs read access only and sends
    no write; with a read-only key a real change fails with HTTP 403, naming the missing write access. See
    R(Permissions,ansible_collections.secops.vulnmgmt.docsite.permissions).
author:
  - secops.vulnmgmt maintainers (@secops)
extends_documentation_fragment:
  - secops.vulnmgmt.cyberwatch
options:
  id:
    description:
      - Id of the discovery. One of O(id) and O(name) is required.
    type: int
  name:
    description:
      - Name of the discovery. It must match exactly one discovery, else the module fails and lists the candidates.
    type: str
  state:
    description:
      - V(relaunched) runs the discovery again; V(absent) deletes it.
    type: str
    choices: [relaunched, absent]
    default: relaunched
attributes:
  check_mode:
    support: full
    description: Finds the discovery, predicts the change and sends no write.
  diff_mode:
    support: full
    description: Shows the deleted discovery; a relaunch has no field-level change.
'''

EXAMPLES = r'''
- name: Discover assets again
  module_defaults:
    group/secops.vulnmgmt.cyberwatch:
      api_url: https://cyberwatch.example.com
      api_key: "{{ vault_cyberwatch_api_key }}"
      secret_key: "{{ vault_cyberwatch_secret_key }}"
  block:
    - name: After adding a subnet, relaunch the office network discovery
      secops.vulnmgmt.cyberwatch_discovery:
        name: office-lan
      delegate_to: localhost

    - name: Remove a discovery of a retired domain
      secops.vulnmgmt.cyberwatch_discovery:
        name: old-ad
        state: absent
      delegate_to: localhost
'''

RETURN = r'''
discovery:
  description:
    - The discovery as the API answered the relaunch; V(null) after a delete. In check mode, the discovery as found.
  returned: always
  type: dict
  sample: {"id": 1, "type": "CbwAssets::Discoveries::NetworkScan", "name": "office-lan", "node_id": 1,
           "status": "running", "last_launched_at": "2026-12-01T16:44:38.000+00:00"}
diff:
  description: The deleted discovery before, nothing after; empty for a relaunch.
  returned: always
  type: dict
  sample: {"before": {"id": 2, "name": "old-ad"}, "after": {}}
'''

from ansible_collections.secops.vulnmgmt.plugins.module_utils.cyberwatch_module import CyberwatchModule
from ansible_collections.secops.vulnmgmt.plugins.module_utils.cyberwatch_actions import find_target, run_action
from ansible_collections.secops.vulnmgmt.plugins.module_utils.cyberwatch import CyberwatchBackend
from ansible_collections.secops.vulnmgmt.plugins.module_utils.options import Option
from ansible_collections.secops.vulnmgmt.plugins.module_utils.resource import Reconciler, ResourceSpec

SPEC = ResourceSpec('discovery', fields=(), options=(Option('id', type='int'), Option('name')),
                    states=('relaunched', 'absent'), required_one_of=[('id', 'name')],
                    mutually_exclusive=[('id', 'name')])


def main():
    module = CyberwatchModule(SPEC)
    params = module.params

    def run():
        if params['state'] == 'absent':
            backend = CyberwatchBackend(module.client, 'discovery', params['name'], params['id'], can_create=False)
            return Reconciler(SPEC, backend, check_mode=module.check_mode).absent()
        current = find_target(module.client, 'discovery', params['id'], params['name'])
        return dict(run_action(module, 'discovery', 'relaunch', 'PUT', 'relaunch', current),
                    diff={'before': {}, 'after': {}})

    module.run(run)


if __name__ == '__main__':
    main()
