#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: secops.vulnmgmt contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: cyberwatch_host
short_description: Manage Cyberwatch hosts (network targets)
version_added: 0.1.0
description:
  - Create, update or delete a Cyberwatch host, found by its O(target) (compared without case) or by O(id).
  - The server cannot change the target of a host. When the host selected by O(id) has another target than
    O(target), the module deletes it and creates a new one (reported as C(replaced) and in the diff).
  - Only the options you set are compared and sent; a run that changes nothing sends no write.
notes:
  - Needs an API key with write access to hosts. Check mode needs read access only and sends no write; with a
    read-only key a real change fails with HTTP 403, naming the missing write access. See
    R(Permissions,ansible_collections.secops.vulnmgmt.docsite.permissions).
author:
  - secops.vulnmgmt maintainers (@secops)
extends_documentation_fragment:
  - secops.vulnmgmt.cyberwatch
  - secops.vulnmgmt.attributes.STATE
options:
  target:
    description:
      - IP address, network or DNS name to scan. It identifies the host unless O(id) is set.
      - Required to create a host.
    type: str
  id:
    description:
      - Id of an existing host to manage. A missing id fails with O(state=present).
    type: int
  node:
    description:
      - Cyberwatch node (scanner) that scans the host, by id or by name. Required to create a host.
    type: str
  hostname:
    description:
      - Hostname shown for the host.
    type: str
  category:
    description:
      - Category of the host, for example V(linux), V(windows), V(other) or V(unknown).
      - The server sets V(unknown) when a host is created without one.
    type: str
  state:
    description:
      - V(present) creates, updates or replaces the host, V(absent) deletes it.
    type: str
    choices: [present, absent]
    default: present
attributes:
  diff_mode:
    support: full
    description: Shows the changed fields before and after (the whole host when it is replaced).
'''

EXAMPLES = r'''
- name: Declare network targets
  module_defaults:
    group/secops.vulnmgmt.cyberwatch:
      api_url: https://cyberwatch.example.com
      api_key: "{{ vault_cyberwatch_api_key }}"
      secret_key: "{{ vault_cyberwatch_secret_key }}"
  block:
    - name: Scan the DMZ router from the DMZ scanner
      secops.vulnmgmt.cyberwatch_host:
        target: 192.0.2.1
        node: scanner-dmz
        hostname: router-dmz
        category: other
      register: router
      delegate_to: localhost

    - name: Move that host to a new address, by its id (delete and create)
      secops.vulnmgmt.cyberwatch_host:
        id: "{{ router.host.id }}"
        target: 192.0.2.77
        node: scanner-dmz
      delegate_to: localhost

    - name: Stop scanning a target
      secops.vulnmgmt.cyberwatch_host:
        target: 192.0.2.1
        state: absent
      delegate_to: localhost
'''

RETURN = r'''
host:
  description: The host after the run; V(null) after a delete. In check mode, the predicted host.
  returned: always
  type: dict
  contains:
    id:
      description: Server id (V(null) for a host predicted in check mode).
      type: int
      sample: 7
    target:
      description: Target.
      type: str
      sample: 192.0.2.1
    hostname:
      description: Hostname.
      type: str
      sample: router-dmz
    category:
      description: Category.
      type: str
      sample: other
    node_id:
      description: Id of the node that scans the host.
      type: int
      sample: 2
    server_id:
      description: Id of the server (asset) created by the scans of this host.
      type: int
      sample: 12
replaced:
  description: Whether the host was deleted and created again because its target changed.
  returned: when the host was replaced
  type: bool
  sample: true
diff:
  description: The fields that changed, before and after.
  returned: always
  type: dict
  sample: {"before": {"category": "unknown"}, "after": {"category": "other"}}
'''

from ansible_collections.secops.vulnmgmt.plugins.module_utils.cyberwatch_module import run_state_module
from ansible_collections.secops.vulnmgmt.plugins.module_utils.cyberwatch import CyberwatchBackend
from ansible_collections.secops.vulnmgmt.plugins.module_utils.options import Option
from ansible_collections.secops.vulnmgmt.plugins.module_utils.resource import Field, ResourceSpec, equal_casefold

SPEC = ResourceSpec('host', fields=(
    Field('target', compare=equal_casefold, replace=True, required_on_create=True),
    Field('node', api_name='node_id', lookup='node', required_on_create=True),
    Field('hostname'),
    Field('category'),
), options=(Option('id', type='int'),), required_one_of=[('target', 'id')])


def main():
    run_state_module(SPEC, lambda client, params: CyberwatchBackend(
        client, 'host', params['target'], params['id'], can_create=params['id'] is None))


if __name__ == '__main__':
    main()
