#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: secops.vulnmgmt contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: cyberwatch_node
short_description: Delete Cyberwatch nodes (scanners), moving their data to another node
version_added: 0.1.0
description:
  - Deletes a Cyberwatch node, found by O(name) or O(id), and moves its remote accesses, hosts and agents to the
    node O(transfer_to).
  - Nodes are created by installing a scanner, not through the API. O(state=present) only checks that the node
    exists and returns it. A missing node is no change with O(state=absent).
notes:
  - Needs an API key with write access to nodes (delete, moving their assets). Check mode needs read access only and
    sends no write; with a read-only key a real change fails with HTTP 403, naming the missing write access. See
    R(Permissions,ansible_collections.secops.vulnmgmt.docsite.permissions).
author:
  - secops.vulnmgmt maintainers (@secops)
extends_documentation_fragment:
  - secops.vulnmgmt.cyberwatch
  - secops.vulnmgmt.attributes.STATE
options:
  name:
    description:
      - Name of the node. One of O(name) and O(id) is required.
    type: str
  id:
    description:
      - Id of the node.
    type: int
  transfer_to:
    description:
      - Node (id or name) that receives the data of the deleted node. Required with O(state=absent).
    type: str
  state:
    description:
      - V(present) checks that the node exists (it fails otherwise); V(absent) deletes it.
    type: str
    choices: [present, absent]
    default: present
attributes:
  diff_mode:
    support: full
    description: Shows the deleted node.
'''

EXAMPLES = r'''
- name: Retire a scanner
  module_defaults:
    group/secops.vulnmgmt.cyberwatch:
      api_url: https://cyberwatch.example.com
      api_key: "{{ vault_cyberwatch_api_key }}"
      secret_key: "{{ vault_cyberwatch_secret_key }}"
  block:
    - name: Delete scanner-eu and move its targets to master
      secops.vulnmgmt.cyberwatch_node:
        name: scanner-eu
        transfer_to: master
        state: absent
      delegate_to: localhost
'''

RETURN = r'''
node:
  description: The node; V(null) after a delete.
  returned: always
  type: dict
  contains:
    id:
      description: Node id.
      type: int
      sample: 3
    name:
      description: Node name.
      type: str
      sample: scanner-eu
    created_at:
      description: Creation time.
      type: str
      sample: "2024-01-02T10:00:00.000+01:00"
    updated_at:
      description: Last update time.
      type: str
      sample: "2025-01-02T10:00:00.000+01:00"
transfer_to:
  description: Id of the node that received the data of the deleted node.
  returned: when a node was (or would be) deleted
  type: int
  sample: 1
diff:
  description: The deleted node before, nothing after.
  returned: always
  type: dict
  sample: {"before": {"id": 3, "name": "scanner-eu"}, "after": {}}
'''

from ansible_collections.secops.vulnmgmt.plugins.module_utils.cyberwatch_module import CyberwatchModule
from ansible_collections.secops.vulnmgmt.plugins.module_utils.cyberwatch import CyberwatchBackend
from ansible_collections.secops.vulnmgmt.plugins.module_utils.options import Option
from ansible_collections.secops.vulnmgmt.plugins.module_utils.resource import Reconciler, ResourceSpec

SPEC = ResourceSpec('node', fields=(), options=(
    Option('name'),
    Option('id', type='int'),
    Option('transfer_to'),
), required_one_of=[('name', 'id')], mutually_exclusive=[('name', 'id')],
    required_if=[('state', 'absent', ('transfer_to',))])


def main():
    module = CyberwatchModule(SPEC)
    params = module.params

    def run():
        target = {}
        backend = CyberwatchBackend(module.client, 'node', params['name'], params['id'], can_create=False,
                                    delete_body=lambda current: {'new_id': str(target['id'])})
        reconciler = Reconciler(SPEC, backend, check_mode=module.check_mode)
        current = backend.find()
        if params['state'] == 'present':
            return reconciler.present({}, current, found=True)
        if current is not None:
            target.update(backend.names.one('node', params['transfer_to']))
            if target['id'] == current['id']:
                raise ValueError('transfer_to must be another node than %s (id %s)' % (current['name'], current['id']))
        return dict(reconciler.absent(current, found=True), **({'transfer_to': target['id']} if target else {}))

    module.run(run)


if __name__ == '__main__':
    main()
