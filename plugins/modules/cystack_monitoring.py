#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: secops.vulnmgmt contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: cystack_monitoring
short_description: Configure the up/down monitoring of a CyStack target
version_added: 0.1.0
description:
  - Reads the monitoring settings of a target (C(GET /targets/{id}/monitoring)), compares the options you set, and
    when something differs sends all three settings (C(PUT)), the unchanged ones with their current value.
  - A second run with the same options sends nothing.
notes:
  - Needs an API key with write access to target monitoring settings. Check mode needs read access only and sends no
    write; with a read-only key a real change fails with HTTP 403, naming the missing write access. See
    R(Permissions,ansible_collections.secops.vulnmgmt.docsite.permissions).
author:
  - secops.vulnmgmt maintainers (@secops)
extends_documentation_fragment:
  - secops.vulnmgmt.cystack
options:
  target:
    description:
      - The target, by id or by address (compared without case or trailing slash). An unknown target fails before
        any write.
    type: str
    required: true
  enabled:
    description:
      - Whether the target is checked (C(is_activated)).
    type: bool
  interval:
    description:
      - Minutes between two checks. A positive integer.
    type: int
  notifications:
    description:
      - Ids of the notification recipients alerted when the target goes down. Order does not matter; V([]) removes
        them all.
    type: list
    elements: int
attributes:
  check_mode:
    support: full
    description: Reads the settings and predicts the change without sending it.
  diff_mode:
    support: full
    description: Shows the changed settings before and after.
'''

EXAMPLES = r'''
- name: Monitor the shop every 5 minutes
  secops.vulnmgmt.cystack_monitoring:
    target: https://shop.example.com
    enabled: true
    interval: 5
    notifications: [20, 34]
  delegate_to: localhost

- name: Pause the monitoring during maintenance (credentials from module_defaults)
  module_defaults:
    group/secops.vulnmgmt.cystack:
      api_key: "{{ vault_cystack_api_key }}"
  secops.vulnmgmt.cystack_monitoring:
    target: 599fc347-3e46-4163-8a1d-444bd1928a85
    enabled: false
  delegate_to: localhost
'''

RETURN = r'''
monitoring:
  description: The monitoring settings after the run (in check mode, the predicted ones).
  returned: always
  type: dict
  contains:
    target_id:
      description: Id of the target.
      type: str
      sample: 599fc347-3e46-4163-8a1d-444bd1928a85
    address:
      description: Address of the target.
      type: str
      sample: https://cystack.net
    is_activated:
      description: Whether monitoring is enabled.
      type: bool
      sample: true
    interval:
      description: Minutes between two checks.
      type: int
      sample: 5
    notifications:
      description: Ids of the alerted recipients.
      type: list
      elements: int
      sample: [20]
diff:
  description: The settings that changed, before and after (API names).
  returned: always
  type: dict
  sample: {"before": {"interval": 5}, "after": {"interval": 10}}
'''

from ansible_collections.secops.vulnmgmt.plugins.module_utils.cystack_module import CyStackModule
from ansible_collections.secops.vulnmgmt.plugins.module_utils.cystack_common import resolve_target
from ansible_collections.secops.vulnmgmt.plugins.module_utils.cystack import CyStackMonitoringBackend
from ansible_collections.secops.vulnmgmt.plugins.module_utils.options import Option
from ansible_collections.secops.vulnmgmt.plugins.module_utils.resource import Field, ResourceSpec, reconcile

SPEC = ResourceSpec('monitoring', fields=(
    Field('enabled', type='bool', api_name='is_activated'),
    Field('interval', type='int', minimum=1),
    Field('notifications', type='list', elements='int'),
), options=(Option('target', required=True),), states=None)


def main():
    module = CyStackModule(SPEC)
    module.run(lambda: reconcile(module, SPEC, CyStackMonitoringBackend(
        module.client, resolve_target(module.client, module.params['target']))))


if __name__ == '__main__':
    main()
