#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: secops.vulnmgmt contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: cyberwatch_cve_info
short_description: Read Cyberwatch CVE announcements
version_added: 0.1.0
description:
  - Returns one CVE announcement by O(cve_code), with the servers it affects, or the CVE announcements that match
    O(level), O(exploitable), O(active) and O(technology_product). Filters are applied by the server and checked
    again here (O(active) by the server only). Every page is fetched.
  - Never changes anything.
notes:
  - Needs read access to CVE announcements only; it never writes, so a read-only API key works. See
    R(Permissions,ansible_collections.secops.vulnmgmt.docsite.permissions).
author:
  - secops.vulnmgmt maintainers (@secops)
extends_documentation_fragment:
  - secops.vulnmgmt.cyberwatch
  - secops.vulnmgmt.attributes.INFO
options:
  cve_code:
    description:
      - CVE code, for example V(CVE-2021-44228). An unknown code returns an empty list.
    type: str
  level:
    description:
      - Only these levels. A single level is filtered on the server; several are filtered here.
      - The API's names V(level_critical), V(level_high), V(level_medium) and V(level_low) are accepted as aliases
        of V(critical), V(high), V(medium) and V(low).
    type: list
    elements: str
    choices: [critical, high, medium, low, level_critical, level_high, level_medium, level_low]
  exploitable:
    description:
      - Only the CVEs with (V(true)) or without (V(false)) a known exploit.
    type: bool
  active:
    description:
      - Only the CVEs that affect at least one server (V(true)), or the others (V(false)).
    type: bool
  technology_product:
    description:
      - Only the CVEs of this product, for example V(openssl).
    type: str
'''

EXAMPLES = r'''
- name: Read CVEs
  module_defaults:
    group/secops.vulnmgmt.cyberwatch:
      api_url: https://cyberwatch.example.com
      api_key: "{{ vault_cyberwatch_api_key }}"
      secret_key: "{{ vault_cyberwatch_secret_key }}"
  block:
    - name: Which servers have Log4Shell
      secops.vulnmgmt.cyberwatch_cve_info:
        cve_code: CVE-2021-44228
      register: log4shell
      delegate_to: localhost

    - name: Exploitable critical CVEs present on the fleet
      secops.vulnmgmt.cyberwatch_cve_info:
        level: [critical]
        exploitable: true
        active: true
      register: urgent
      delegate_to: localhost
'''

RETURN = r'''
cve_announcements:
  description: The matching CVE announcements, as the API returns them (with C(servers) when read by O(cve_code)).
  returned: always
  type: list
  elements: dict
  sample: [{"cve_code": "CVE-2021-44228", "level": "level_critical", "score": 10.0, "exploitable": true,
            "technologies": [{"vendor": "apache", "product": "log4j"}],
            "servers": [{"id": 12, "hostname": "web-01.prod.example.com"}]}]
'''

from ansible_collections.secops.vulnmgmt.plugins.module_utils.cyberwatch_module import CyberwatchModule
from ansible_collections.secops.vulnmgmt.plugins.module_utils.options import Option, OptionSpec

LEVELS = ['critical', 'high', 'medium', 'low']


def api_level(level):
    """'critical' or its API alias 'level_critical' -> 'level_critical', the name the API filters and answers with."""
    return level if level.startswith('level_') else 'level_' + level


SPEC = OptionSpec((
    Option('cve_code'),
    Option('level', type='list', elements='str', choices=LEVELS + [api_level(level) for level in LEVELS]),
    Option('exploitable', type='bool'),
    Option('active', type='bool'),
    Option('technology_product'),
), mutually_exclusive=[('cve_code', 'level'), ('cve_code', 'exploitable'), ('cve_code', 'active'),
                       ('cve_code', 'technology_product')])


def main():
    module = CyberwatchModule(SPEC)
    params = module.params
    levels = sorted(set(api_level(level) for level in params['level'] or ()))
    product = params['technology_product']

    def check(cve):
        return ((not levels or cve.get('level') in levels)
                and params['exploitable'] in (None, cve.get('exploitable'))
                and (product is None or any(t.get('product') == product for t in cve.get('technologies') or ())))

    def run():
        filters = dict(level=levels[0] if levels and len(levels) == 1 else None, exploitable=params['exploitable'],
                       active=params['active'], technology_product=product)
        return dict(changed=False, cve_announcements=module.client.query('cve_announcement', params['cve_code'],
                                                                         filters=filters, check=check))

    module.run(run)


if __name__ == '__main__':
    main()
