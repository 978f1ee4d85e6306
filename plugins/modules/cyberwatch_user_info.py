#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: secops.vulnmgmt contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: cyberwatch_user_info
short_description: List Cyberwatch users
version_added: 0.1.0
description:
  - Returns Cyberwatch users by O(id), by O(login), by O(auth_provider), or all of them (every page is fetched).
  - Never changes anything.
notes:
  - Needs read access to users only; it never writes, so a read-only API key works. See
    R(Permissions,ansible_collections.secops.vulnmgmt.docsite.permissions).
author:
  - secops.vulnmgmt maintainers (@secops)
extends_documentation_fragment:
  - secops.vulnmgmt.cyberwatch
  - secops.vulnmgmt.attributes.INFO
options:
  id:
    description:
      - Id of one user. An unknown id returns an empty list.
    type: int
  login:
    description:
      - Login of the user.
    type: str
  auth_provider:
    description:
      - Only the users of this authentication provider, for example V(local_password) or V(ldap).
      - Filtered on the server and checked again here.
    type: str
'''

EXAMPLES = r'''
- name: Read Cyberwatch users
  module_defaults:
    group/secops.vulnmgmt.cyberwatch:
      api_url: https://cyberwatch.example.com
      api_key: "{{ vault_cyberwatch_api_key }}"
      secret_key: "{{ vault_cyberwatch_secret_key }}"
  block:
    - name: All of them
      secops.vulnmgmt.cyberwatch_user_info:
      register: all_users
      delegate_to: localhost

    - name: One by login
      secops.vulnmgmt.cyberwatch_user_info:
        login: admin@example.com
      register: one_user
      delegate_to: localhost

    - name: LDAP users
      secops.vulnmgmt.cyberwatch_user_info:
        auth_provider: ldap
      register: ldap_users
      delegate_to: localhost
'''

RETURN = r'''
users:
  description: The matching users, as the API returns them.
  returned: always
  type: list
  elements: dict
  sample: [{"id": 1, "login": "admin@example.com", "email": "admin@example.com", "name": "Admin",
            "firstname": "Alice", "locale": "en", "auth_provider": "local_password", "description": "",
            "server_groups": []}]
'''

from ansible_collections.secops.vulnmgmt.plugins.module_utils.cyberwatch_module import id_or_key_spec, run_info_module
from ansible_collections.secops.vulnmgmt.plugins.module_utils.options import Option

SPEC = id_or_key_spec('login', Option('auth_provider'))


def main():
    run_info_module(SPEC, 'user', 'users', 'login', filters=('auth_provider',),
                    check=lambda user, params: params['auth_provider'] in (None, user.get('auth_provider')))


if __name__ == '__main__':
    main()
