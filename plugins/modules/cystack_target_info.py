#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: secops.vulnmgmt contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: cystack_target_info
short_description: List CyStack targets
version_added: 0.1.0
description:
  - Lists the targets (websites) of the CyStack account, every page of them, or returns one by id or address.
  - Targets cannot be created through the CyStack API; they are added in the CyStack web interface.
notes:
  - Needs read access to targets only; it never writes, so a read-only API key works. See
    R(Permissions,ansible_collections.secops.vulnmgmt.docsite.permissions).
author:
  - secops.vulnmgmt maintainers (@secops)
extends_documentation_fragment:
  - secops.vulnmgmt.cystack
  - secops.vulnmgmt.attributes.INFO
options:
  target:
    description:
      - Return only this target, by id or by address (compared without case or trailing slash).
      - An unknown target gives an empty list.
    type: str
    aliases: [id, address]
  q:
    description:
      - Keyword the server filters the targets with (their address).
    type: str
  ordering:
    description:
      - Sort order on the server, for example V(target), V(-target) or V(verification,target).
    type: str
'''

EXAMPLES = r'''
- name: Read the CyStack targets
  module_defaults:
    group/secops.vulnmgmt.cystack:
      api_key: "{{ vault_cystack_api_key }}"
  block:
    - name: All targets, by address
      secops.vulnmgmt.cystack_target_info:
        ordering: target
      register: cystack_targets
      delegate_to: localhost

    - name: The targets whose owner is not verified yet
      ansible.builtin.debug:
        msg: "{{ cystack_targets.targets | rejectattr('verified') | map(attribute='address') | list }}"

    - name: One target by address
      secops.vulnmgmt.cystack_target_info:
        target: https://shop.example.com
      delegate_to: localhost
'''

RETURN = r'''
targets:
  description: The targets.
  returned: always
  type: list
  elements: dict
  contains:
    id:
      description: Target id.
      type: str
      sample: 599fc347-3e46-4163-8a1d-444bd1928a85
    address:
      description: URL of the target.
      type: str
      sample: https://cystack.net
    href:
      description: API path of the target.
      type: str
      sample: /v1/targets/599fc347-3e46-4163-8a1d-444bd1928a85
    verification:
      description:
        - Raw owner-verification flag of the API. As documented by CyStack, V(0) means the owner B(is) verified
          and V(1) means it is not (the inverse of the usual boolean).
      type: int
      sample: 0
    verified:
      description: Whether the owner of the target is verified, derived from RV(targets[].verification) (V(0) is V(true)).
      type: bool
      sample: true
'''

from ansible_collections.secops.vulnmgmt.plugins.module_utils.cystack_module import CyStackModule
from ansible_collections.secops.vulnmgmt.plugins.module_utils.options import Option, OptionSpec

SPEC = OptionSpec((
    Option('target', aliases=['id', 'address']),
    Option('q'),
    Option('ordering'),
))


def main():
    module = CyStackModule(SPEC)
    params = module.params

    def action():
        if params['target']:
            found = module.client.find_target(params['target'])
            return dict(changed=False, targets=[found] if found else [])
        return dict(changed=False, targets=module.client.targets(q=params['q'], ordering=params['ordering']))

    module.run(action)


if __name__ == '__main__':
    main()
