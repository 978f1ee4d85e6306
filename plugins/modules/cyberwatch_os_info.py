#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: secops.vulnmgmt contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: cyberwatch_os_info
short_description: List the operating systems Cyberwatch knows
version_added: 0.2.0
description:
  - Returns the operating systems of C(GET /api/v3/os) (every page is fetched), or the one with key O(key). Their keys
    (such as C(ubuntu_2204_64)) are what compliance rules and server OS objects use.
  - Never changes anything.
notes:
  - Needs read access to the OS list only; it never writes, so a read-only API key works. See
    R(Permissions,ansible_collections.secops.vulnmgmt.docsite.permissions).
author:
  - secops.vulnmgmt maintainers (@secops)
extends_documentation_fragment:
  - secops.vulnmgmt.cyberwatch
  - secops.vulnmgmt.attributes.INFO
options:
  key:
    description:
      - Key of one operating system, such as V(windows_2019_64). An unknown key returns an empty list.
    type: str
'''

EXAMPLES = r'''
- name: Read the operating systems
  module_defaults:
    group/secops.vulnmgmt.cyberwatch:
      api_url: https://cyberwatch.example.com
      api_key: "{{ vault_cyberwatch_api_key }}"
      secret_key: "{{ vault_cyberwatch_secret_key }}"
  block:
    - name: Every operating system
      secops.vulnmgmt.cyberwatch_os_info:
      register: cyberwatch_os
      delegate_to: localhost

    - name: Keys of the Windows versions
      ansible.builtin.debug:
        msg: "{{ cyberwatch_os.operating_systems | selectattr('type', 'equalto', 'Os::Windows') | map(attribute='key') }}"
'''

RETURN = r'''
operating_systems:
  description: The operating systems, as the API returns them.
  returned: always
  type: list
  elements: dict
  sample: [{"key": "ubuntu_2204_64", "name": "Ubuntu 22.04 LTS", "short_name": "Ubuntu 22.04", "arch": "x86_64",
            "type": "Os::Ubuntu", "eol": "2027-04-01T02:00:00.000+02:00"}]
'''

from ansible_collections.secops.vulnmgmt.plugins.module_utils.cyberwatch_module import run_info_module
from ansible_collections.secops.vulnmgmt.plugins.module_utils.options import Option, OptionSpec

SPEC = OptionSpec((
    Option('key', no_log=False),
))


def main():
    run_info_module(SPEC, 'os', 'operating_systems', 'key')


if __name__ == '__main__':
    main()
