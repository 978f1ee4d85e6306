#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: secops.vulnmgmt contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: cyberwatch_security_issue
short_description: Manage Cyberwatch custom security issues
version_added: 0.2.0
description:
  - Create, update or delete a Cyberwatch custom security issue, found by its O(sid) (the listing is filtered by
    C(sid) on the server and checked here).
  - Only the options you set are compared and sent; a run that changes nothing sends no write.
  - The linked CVEs (O(cve_announcements)) and servers (O(servers)) are compared with the issue's detail, read with one
    more request.
notes:
  - Needs an API key with write access to security issues. Check mode needs read access only and sends no write; with
    a read-only key a real change fails with HTTP 403, naming the missing write access. See
    R(Permissions,ansible_collections.secops.vulnmgmt.docsite.permissions).
author:
  - secops.vulnmgmt maintainers (@secops)
extends_documentation_fragment:
  - secops.vulnmgmt.cyberwatch
  - secops.vulnmgmt.attributes.STATE
options:
  sid:
    description:
      - Identifier of the security issue (such as a scanner plugin id). It identifies the issue, so it must be unique
        on the server.
    type: str
    required: true
  title:
    description:
      - Title.
    type: str
  description:
    description:
      - Description. V("") clears it.
    type: str
  level:
    description:
      - Severity. V(critical) is sent as C(level_critical), and so on.
      - The server gives C(level_info) to an issue created without one.
    type: str
    choices: [info, low, medium, high, critical]
  score:
    description:
      - Score, between 0 and 10. The API never returns it, so it is only sent when the issue is created.
    type: float
  cve_announcements:
    description:
      - CVE codes linked to the issue (C(CVE-YYYY-NNNN)). The list replaces the linked CVEs; V([]) removes them all.
    type: list
    elements: str
  servers:
    description:
      - Ids of the servers affected by the issue. The list replaces the affected servers; V([]) removes them all.
    type: list
    elements: int
  state:
    description:
      - V(present) creates or updates the issue, V(absent) deletes it.
    type: str
    choices: [present, absent]
    default: present
'''

EXAMPLES = r'''
- name: Track findings that Cyberwatch does not know about
  module_defaults:
    group/secops.vulnmgmt.cyberwatch:
      api_url: https://cyberwatch.example.com
      api_key: "{{ vault_cyberwatch_api_key }}"
      secret_key: "{{ vault_cyberwatch_secret_key }}"
  block:
    - name: Weak TLS configuration found by the pentest
      secops.vulnmgmt.cyberwatch_security_issue:
        sid: pentest-2024-weak-tls
        title: Weak TLS ciphers accepted
        description: TLS 1.0 and RC4 ciphers are accepted on the public load balancers.
        level: high
        score: 7.4
        cve_announcements: [CVE-2013-2566, CVE-2015-2808]
        servers: [12, 13]
      delegate_to: localhost

    - name: Remove it once fixed
      secops.vulnmgmt.cyberwatch_security_issue:
        sid: pentest-2024-weak-tls
        state: absent
      delegate_to: localhost
'''

RETURN = r'''
security_issue:
  description: The security issue after the run (its detail); V(null) after a delete. In check mode, the predicted one.
  returned: always
  type: dict
  contains:
    id:
      description: Server id (V(null) for an issue predicted in check mode).
      type: int
      sample: 30
    sid:
      description: Identifier.
      type: str
      sample: pentest-2024-weak-tls
    type:
      description: Type; custom issues are C(SecurityIssues::Custom).
      type: str
      sample: SecurityIssues::Custom
    level:
      description: Severity, as the server names it.
      type: str
      sample: level_high
    title:
      description: Title.
      type: str
      sample: Weak TLS ciphers accepted
    description:
      description: Description.
      type: str
      sample: TLS 1.0 and RC4 ciphers are accepted on the public load balancers.
    cve_announcements:
      description: Linked CVE codes.
      type: list
      elements: str
      sample: [CVE-2013-2566]
    servers:
      description: Ids of the affected servers.
      type: list
      elements: int
      sample: [12]
diff:
  description: The fields that changed, before and after.
  returned: always
  type: dict
  sample: {"before": {"level": "level_medium"}, "after": {"level": "level_high"}}
'''

from ansible_collections.secops.vulnmgmt.plugins.module_utils.cyberwatch_module import run_state_module
from ansible_collections.secops.vulnmgmt.plugins.module_utils.cyberwatch import equal_ids, ids_of
from ansible_collections.secops.vulnmgmt.plugins.module_utils.cyberwatch_backends import (
    CVE_CODE, CVE_CODE_WORDS, codes_from_api, DetailBackend,
)
from ansible_collections.secops.vulnmgmt.plugins.module_utils.resource import Field, ResourceSpec

SPEC = ResourceSpec('security_issue', fields=(
    Field('sid', required=True, nonempty=True),
    Field('title'),
    Field('description'),
    Field('level', choices=['info', 'low', 'medium', 'high', 'critical'], to_api=lambda value, params: 'level_' + value),
    Field('score', type='float', create_only=True, minimum=0, maximum=10),
    Field('cve_announcements', type='list', elements='str', pattern=CVE_CODE, accepted=CVE_CODE_WORDS,
          to_api=lambda value, params: sorted(c.strip().upper() for c in value), from_api=codes_from_api),
    Field('servers', type='list', elements='int', compare=equal_ids, from_api=ids_of),
    Field('type', exposed=False, create_default=lambda params: 'SecurityIssues::Custom'),
))


def main():
    run_state_module(SPEC, lambda client, params: DetailBackend(client, 'security_issue', key_value=params['sid']))


if __name__ == '__main__':
    main()
