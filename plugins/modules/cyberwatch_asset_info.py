#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: secops.vulnmgmt contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: cyberwatch_asset_info
short_description: List Cyberwatch assets (the asset view of servers)
version_added: 0.2.0
description:
  - Returns Cyberwatch assets from C(/api/v3/assets/servers) by O(id) (the detail, with packages and applications), by
    O(hostname), by the services they run, or all of them (every page is fetched).
  - The asset view is the inventory side of a server (OS, category, environment, groups, packages); the vulnerability
    side is M(secops.vulnmgmt.cyberwatch_server_info). Deleting an asset is M(secops.vulnmgmt.cyberwatch_server)'s job.
  - Never changes anything.
notes:
  - Needs read access to assets only; it never writes, so a read-only API key works. See
    R(Permissions,ansible_collections.secops.vulnmgmt.docsite.permissions).
author:
  - secops.vulnmgmt maintainers (@secops)
extends_documentation_fragment:
  - secops.vulnmgmt.cyberwatch
  - secops.vulnmgmt.attributes.INFO
options:
  id:
    description:
      - Id of one asset, returned with its detail. An unknown id returns an empty list.
    type: int
  hostname:
    description:
      - Hostname of the asset, compared without case.
    type: str
  service_name:
    description:
      - Only the assets that run a service of this name (such as V(spooler)). Filtered by the server only, as the listed
        assets do not show their services.
    type: str
  service_status:
    description:
      - Only the assets whose service (O(service_name)) has this status (such as V(disabled) or V(running)).
        Filtered by the server only.
    type: str
'''

EXAMPLES = r'''
- name: Read Cyberwatch assets
  module_defaults:
    group/secops.vulnmgmt.cyberwatch:
      api_url: https://cyberwatch.example.com
      api_key: "{{ vault_cyberwatch_api_key }}"
      secret_key: "{{ vault_cyberwatch_secret_key }}"
  block:
    - name: Windows assets whose print spooler is disabled
      secops.vulnmgmt.cyberwatch_asset_info:
        service_name: spooler
        service_status: disabled
      register: spooler_off
      delegate_to: localhost

    - name: One asset with its packages
      secops.vulnmgmt.cyberwatch_asset_info:
        id: 12
      register: asset
      delegate_to: localhost
'''

RETURN = r'''
assets:
  description: The matching assets, as the API returns them (by O(id), the detail with C(packages) and C(applications)).
  returned: always
  type: list
  elements: dict
  sample: [{"id": 12, "hostname": "web-01.prod.example.com", "category": "server", "os": {"key": "debian_12_64"},
            "environment": {"id": 2, "name": "Medium"}, "groups": [{"id": 1, "name": "prod"}]}]
'''

from ansible_collections.secops.vulnmgmt.plugins.module_utils.cyberwatch_module import run_info_module
from ansible_collections.secops.vulnmgmt.plugins.module_utils.options import Option, OptionSpec

SPEC = OptionSpec((
    Option('id', type='int'),
    Option('hostname'),
    Option('service_name'),
    Option('service_status'),
), mutually_exclusive=[('id', 'hostname'), ('id', 'service_name'), ('id', 'service_status')])


def main():
    run_info_module(SPEC, 'asset', 'assets', 'hostname', filters=('service_name', 'service_status'))


if __name__ == '__main__':
    main()
