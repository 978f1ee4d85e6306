#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: secops.vulnmgmt contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: cyberwatch_applicative_scan
short_description: Manage the web applications Cyberwatch scans
version_added: 0.2.0
description:
  - Create, update or delete a Cyberwatch applicative scan (C(/api/v3/assets/applicative_scans)), found by its
    O(target), or by O(id).
  - Cyberwatch accepts an IP address, an C(http://) or C(https://) URL, or a domain name it can resolve. A target it
    refuses fails with its message and the target, before anything else is written.
  - Only the options you set are compared and sent; a run that changes nothing sends no write.
notes:
  - Needs an API key with write access to applicative scans. Check mode needs read access only and sends no write;
    with a read-only key a real change fails with HTTP 403, naming the missing write access. See
    R(Permissions,ansible_collections.secops.vulnmgmt.docsite.permissions).
author:
  - secops.vulnmgmt maintainers (@secops)
extends_documentation_fragment:
  - secops.vulnmgmt.cyberwatch
  - secops.vulnmgmt.attributes.STATE
options:
  id:
    description:
      - Id of the applicative scan. With O(id), O(target) is a value to set (the target moves), not a lookup key.
    type: int
  target:
    description:
      - What is scanned, for example V(https://shop.example.com). Compared exactly. One of O(target) and O(id) is required.
    type: str
  node:
    description:
      - The Cyberwatch node (scanner) that runs the scan, by name or id. The server picks the master node when a scan
        is created without one.
    type: str
  state:
    description:
      - V(present) creates or updates the applicative scan, V(absent) deletes it.
    type: str
    choices: [present, absent]
    default: present
'''

EXAMPLES = r'''
- name: Declare the web applications to scan
  module_defaults:
    group/secops.vulnmgmt.cyberwatch:
      api_url: https://cyberwatch.example.com
      api_key: "{{ vault_cyberwatch_api_key }}"
      secret_key: "{{ vault_cyberwatch_secret_key }}"
  block:
    - name: The shop, scanned from the DMZ scanner
      secops.vulnmgmt.cyberwatch_applicative_scan:
        target: https://shop.example.com
        node: scanner-dmz
      delegate_to: localhost

    - name: Stop scanning the old site
      secops.vulnmgmt.cyberwatch_applicative_scan:
        target: https://old.example.com
        state: absent
      delegate_to: localhost
'''

RETURN = r'''
applicative_scan:
  description: The applicative scan after the run; V(null) after a delete. In check mode, the predicted one.
  returned: always
  type: dict
  sample: {"id": 3, "node_id": 2, "target": "https://shop.example.com", "server_id": null}
diff:
  description: The fields that changed, before and after (the node as an id).
  returned: always
  type: dict
  sample: {"before": {"node_id": 1}, "after": {"node_id": 2}}
'''

from ansible_collections.secops.vulnmgmt.plugins.module_utils.cyberwatch_module import CyberwatchModule
from ansible_collections.secops.vulnmgmt.plugins.module_utils.cyberwatch import CyberwatchBackend
from ansible_collections.secops.vulnmgmt.plugins.module_utils.options import Option
from ansible_collections.secops.vulnmgmt.plugins.module_utils.resource import Field, ResourceSpec, reconcile
from ansible_collections.secops.vulnmgmt.plugins.module_utils.transport import ApiError, server_message

TARGETS = 'an IP address, an http:// or https:// URL, or a domain name its node can resolve'
SPEC = ResourceSpec('applicative_scan', fields=(
    Field('target', required_on_create=True, nonempty=True, accepted=TARGETS),
    Field('node', api_name='node_id', lookup='node'),
), options=(Option('id', type='int'),), required_one_of=[('id', 'target')])


def main():
    module = CyberwatchModule(SPEC)
    params = module.params

    def run():
        backend = CyberwatchBackend(module.client, 'applicative_scan', None if params['id'] else params['target'],
                                    params['id'])
        try:
            return reconcile(module, SPEC, backend)
        except ApiError as exc:
            if exc.status != 422 or 'target' not in str(exc).lower():
                raise
            raise ApiError('Cyberwatch refused the target %r (%s %s, HTTP 422): %s. Cyberwatch accepts %s' % (
                params['target'], exc.method, exc.path, server_message(exc.body), TARGETS),
                status=exc.status, method=exc.method, path=exc.path, body=exc.body, request_id=exc.request_id)

    module.run(run)


if __name__ == '__main__':
    main()
