#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: secops.vulnmgmt contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: cyberwatch_group
short_description: Manage Cyberwatch asset groups
version_added: 0.1.0
description:
  - Create, update or delete a Cyberwatch group, found by its O(name).
  - Only the options you set are compared and sent; a run that changes nothing sends no write.
notes:
  - Needs an API key with write access to groups. Check mode needs read access only and sends no write; with a
    read-only key a real change fails with HTTP 403, naming the missing write access. See
    R(Permissions,ansible_collections.secops.vulnmgmt.docsite.permissions).
author:
  - secops.vulnmgmt maintainers (@secops)
extends_documentation_fragment:
  - secops.vulnmgmt.cyberwatch
  - secops.vulnmgmt.attributes.STATE
options:
  name:
    description:
      - Name of the group. It identifies the group, so it must be unique on the server.
    type: str
    required: true
  description:
    description:
      - Free-text description. V("") clears it.
    type: str
  color:
    description:
      - Color of the group in the web interface, as C(#RRGGBB). Compared without case.
      - The server picks C(#12AFCB) when a group is created without one.
    type: str
  state:
    description:
      - V(present) creates or updates the group, V(absent) deletes it.
    type: str
    choices: [present, absent]
    default: present
'''

EXAMPLES = r'''
- name: Declare the groups of the fleet
  module_defaults:
    group/secops.vulnmgmt.cyberwatch:
      api_url: https://cyberwatch.example.com
      api_key: "{{ vault_cyberwatch_api_key }}"
      secret_key: "{{ vault_cyberwatch_secret_key }}"
  block:
    - name: Production servers
      secops.vulnmgmt.cyberwatch_group:
        name: production
        description: Servers in the production environment
        color: "#D9534F"
      delegate_to: localhost

    - name: Remove an old group
      secops.vulnmgmt.cyberwatch_group:
        name: legacy-dc
        state: absent
      delegate_to: localhost
'''

RETURN = r'''
group:
  description: The group after the run; V(null) after a delete. In check mode, the predicted group.
  returned: always
  type: dict
  contains:
    id:
      description: Server id of the group (V(null) for a group predicted in check mode).
      type: int
      sample: 12
    name:
      description: Name.
      type: str
      sample: production
    description:
      description: Description.
      type: str
      sample: Servers in the production environment
    color:
      description: Color as C(#RRGGBB).
      type: str
      sample: "#D9534F"
diff:
  description: The fields that changed, before and after.
  returned: always
  type: dict
  sample: {"before": {"color": "#12afcb"}, "after": {"color": "#D9534F"}}
'''

import re

from ansible_collections.secops.vulnmgmt.plugins.module_utils.cyberwatch_module import run_state_module
from ansible_collections.secops.vulnmgmt.plugins.module_utils.cyberwatch import CyberwatchBackend
from ansible_collections.secops.vulnmgmt.plugins.module_utils.resource import Field, ResourceSpec, equal_casefold

SPEC = ResourceSpec('group', fields=(
    Field('name', required=True, nonempty=True),
    Field('description'),
    Field('color', compare=equal_casefold, pattern=re.compile(r'^#[0-9A-Fa-f]{6}$'), accepted='#RRGGBB (six hex digits)'),
))


def main():
    run_state_module(SPEC, lambda client, params: CyberwatchBackend(client, 'group', key_value=params['name']))


if __name__ == '__main__':
    main()
