#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: secops.vulnmgmt contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: cyberwatch_server
short_description: Update or delete Cyberwatch servers (assets), and ignore or comment their CVEs
version_added: 0.1.0
description:
  - Update the description, category, groups and compliance groups of a Cyberwatch server, found by O(id) or
    O(hostname), ignore some of its CVEs or comment them, or delete it.
  - Servers are created by agents and scans, not by this module. A missing server fails with O(state=present).
  - Only the options you set are compared and sent; a run that changes nothing sends no write.
notes:
  - Needs an API key with write access to servers (fields, groups, ignored CVEs and CVE comments). Check mode needs
    read access only and sends no write; with a read-only key a real change fails with HTTP 403, naming the missing
    write access. See R(Permissions,ansible_collections.secops.vulnmgmt.docsite.permissions).
author:
  - secops.vulnmgmt maintainers (@secops)
extends_documentation_fragment:
  - secops.vulnmgmt.cyberwatch
  - secops.vulnmgmt.attributes.STATE
options:
  id:
    description:
      - Id of the server. One of O(id) and O(hostname) is required.
    type: int
  hostname:
    description:
      - Hostname of the server, compared without case. It must match exactly one server, else the module fails
        and lists the candidates; use O(id) then.
    type: str
  description:
    description:
      - Free-text description. V("") clears it.
    type: str
  category:
    description:
      - Category of the server.
    type: str
    choices: [server, desktop, hypervisor, network_device, docker_image, network_target_or_website]
  groups:
    description:
      - Names of the groups of the server. Each name must exist (see M(secops.vulnmgmt.cyberwatch_group)).
      - The full list of group ids is always sent, as the API replaces the whole set.
    type: list
    elements: str
  purge_groups:
    description:
      - V(false) adds the missing groups of O(groups) and keeps the others; V(true) makes the set exactly O(groups).
    type: bool
    default: false
  compliance_groups:
    description:
      - Ids of the compliance groups (rule groups) of the server. The set becomes exactly these; V([]) clears it.
      - The groups decide which compliance rules Cyberwatch checks on the server; a change starts a new check.
        M(secops.vulnmgmt.cyberwatch_compliance_server_info) shows each server's compliance groups with their names.
    type: list
    elements: int
    version_added: 0.2.0
  ignored_cves:
    description:
      - CVE codes to ignore on this server. Only CVEs that are not ignored yet are sent.
      - The server detail does not show ignored CVEs, so a code it does not show is taken as already ignored.
    type: list
    elements: str
  cve_comments:
    description:
      - CVE code to comment on this server. Only differing comments are sent.
      - A CVE the server does not show (ignored, or not affecting the server) is skipped with a warning.
    type: dict
  state:
    description:
      - V(present) updates the server, V(absent) deletes it.
    type: str
    choices: [present, absent]
    default: present
attributes:
  diff_mode:
    support: full
    description: Shows the changed fields and CVEs before and after.
'''

EXAMPLES = r'''
- name: Curate servers
  module_defaults:
    group/secops.vulnmgmt.cyberwatch:
      api_url: https://cyberwatch.example.com
      api_key: "{{ vault_cyberwatch_api_key }}"
      secret_key: "{{ vault_cyberwatch_secret_key }}"
  block:
    - name: Put a server in the prod group and document an accepted risk
      secops.vulnmgmt.cyberwatch_server:
        hostname: web-01.prod.example.com
        description: Front web server
        category: server
        groups: [prod]
        ignored_cves: [CVE-2021-44228]
        cve_comments:
          CVE-2019-0708: RDP is disabled by GPO
      delegate_to: localhost

    - name: Make the groups of server 12 exactly these, and check it against compliance group 4 only
      secops.vulnmgmt.cyberwatch_server:
        id: 12
        groups: [staging, linux]
        purge_groups: true
        compliance_groups: [4]
      delegate_to: localhost

    - name: Delete a decommissioned server
      secops.vulnmgmt.cyberwatch_server:
        hostname: old-01.example.com
        state: absent
      delegate_to: localhost
'''

RETURN = r'''
server:
  description: The server after the run; V(null) after a delete. In check mode, the predicted server.
  returned: always
  type: dict
  contains:
    id:
      description: Server id.
      type: int
      sample: 12
    hostname:
      description: Hostname.
      type: str
      sample: web-01.prod.example.com
    description:
      description: Description.
      type: str
      sample: Front web server
    category:
      description: Category.
      type: str
      sample: server
    groups:
      description: Groups of the server (after an update, as the server returns them, or the ids sent in check mode).
      type: list
      elements: raw
      sample: [{"id": 1, "name": "production", "description": "", "color": "#12afcb"}]
    compliance_groups:
      description: Compliance groups of the server, as the server returns them (the ids sent in check mode).
      type: list
      elements: raw
      sample: [{"id": 4, "name": "Security_Best_Practices", "description": null, "color": "#12afcb"}]
    status:
      description: Status of the server.
      type: str
      sample: server_vulnerable
cve_announcements:
  description: CVE code to the fields that were sent to the per-server CVE route.
  returned: always
  type: dict
  sample: {"CVE-2021-44228": {"ignored": true}}
diff:
  description: The fields that changed, before and after; CVE changes under C(cve_announcements).
  returned: always
  type: dict
  sample: {"before": {"groups": [1]}, "after": {"groups": [1, 3]}}
'''

from ansible_collections.secops.vulnmgmt.plugins.module_utils.cyberwatch_module import CyberwatchModule
from ansible_collections.secops.vulnmgmt.plugins.module_utils.cyberwatch_servers import apply_server_cves, server_groups
from ansible_collections.secops.vulnmgmt.plugins.module_utils.cyberwatch import CyberwatchBackend, equal_ids, ids_of
from ansible_collections.secops.vulnmgmt.plugins.module_utils.options import Option
from ansible_collections.secops.vulnmgmt.plugins.module_utils.resource import Field, Reconciler, ResourceSpec

CATEGORIES = ['server', 'desktop', 'hypervisor', 'network_device', 'docker_image', 'network_target_or_website']

SPEC = ResourceSpec('server', fields=(
    Field('description'),
    Field('category', choices=CATEGORIES),
    Field('groups', type='list', elements='str', compare=equal_ids, from_api=ids_of),
    Field('compliance_groups', type='list', elements='int', compare=equal_ids, from_api=ids_of),
), options=(
    Option('id', type='int'),
    Option('hostname'),
    Option('purge_groups', type='bool', default=False),
    Option('ignored_cves', type='list', elements='str'),
    Option('cve_comments', type='dict'),
), required_one_of=[('id', 'hostname')], mutually_exclusive=[('id', 'hostname')])


def main():
    module = CyberwatchModule(SPEC)
    params = module.params

    def run():
        backend = CyberwatchBackend(module.client, 'server', params['hostname'], params['id'], can_create=False)
        reconciler = Reconciler(SPEC, backend, check_mode=module.check_mode)
        if params['state'] == 'absent':
            return dict(reconciler.absent(), cve_announcements={})
        current = backend.find()
        if current is None:
            raise ValueError(backend.not_found_message())
        groups = server_groups(backend.names, current, params['groups'], params['purge_groups'])
        compliance = params['compliance_groups']
        compliance = None if compliance is None else sorted(set(compliance)) or [None]  # [null] clears, as recorded
        result = reconciler.present(SPEC.desired(dict(params, groups=groups, compliance_groups=compliance)), current,
                                    found=True)
        return apply_server_cves(module, current, result)

    module.run(run)


if __name__ == '__main__':
    main()
