#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: secops.vulnmgmt contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: cystack_monitoring_info
short_description: Read the monitoring settings and recent up/down checks of CyStack targets
version_added: 0.1.0
description:
  - For one target (O(target)) or every target of the account, returns the monitoring settings
    (C(GET /targets/{id}/monitoring)) and the recent checks (C(GET /targets/{id}/monitor_result), about the last 30),
    with the uptime ratio and the mean response time computed from them.
notes:
  - Needs read access to targets and their monitoring only; it never writes, so a read-only API key works. See
    R(Permissions,ansible_collections.secops.vulnmgmt.docsite.permissions).
author:
  - secops.vulnmgmt maintainers (@secops)
extends_documentation_fragment:
  - secops.vulnmgmt.cystack
  - secops.vulnmgmt.attributes.INFO
options:
  target:
    description:
      - The target, by id or by address (compared without case or trailing slash). An unknown target fails.
      - Without it, every target of the account is read.
    type: str
  checks:
    description:
      - Also return the checks themselves (RV(monitoring[].results)). The statistics are computed either way.
    type: bool
    default: true
  max_workers:
    description:
      - How many targets are read in parallel without O(target), between 1 and 32.
    type: int
    default: 4
'''

EXAMPLES = r'''
- name: Uptime of the shop
  secops.vulnmgmt.cystack_monitoring_info:
    target: https://shop.example.com
  register: shop_uptime
  delegate_to: localhost

- name: Targets below 99 % uptime (credentials from module_defaults)
  module_defaults:
    group/secops.vulnmgmt.cystack:
      api_key: "{{ vault_cystack_api_key }}"
  block:
    - name: Read every target
      secops.vulnmgmt.cystack_monitoring_info:
        checks: false
      register: uptime
      delegate_to: localhost

    - name: Show them
      ansible.builtin.debug:
        msg: "{{ uptime.monitoring | selectattr('statistics.uptime_ratio', 'lt', 0.99) | map(attribute='address') }}"
'''

RETURN = r'''
monitoring:
  description: One item per target.
  returned: always
  type: list
  elements: dict
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
    statistics:
      description: Computed from the returned checks.
      type: dict
      contains:
        checks:
          description: Number of checks.
          type: int
          sample: 30
        up_checks:
          description: Checks that found the target up.
          type: int
          sample: 29
        down_checks:
          description: Checks that found it down.
          type: int
          sample: 1
        uptime_ratio:
          description: RV(monitoring[].statistics.up_checks) / RV(monitoring[].statistics.checks), V(null) without checks.
          type: float
          sample: 0.9667
        mean_response_time:
          description: Mean response time in seconds of the checks that found the target up, V(null) if none.
          type: float
          sample: 0.593
        last_check_epoch:
          description: Time of the newest check, seconds since the epoch.
          type: int
          sample: 1514969894
        last_is_up:
          description: Result of the newest check.
          type: bool
          sample: true
    results:
      description: The checks (C(url), C(status_code), C(start_time), C(is_up), C(timeout), C(id),
        C(response_time), C(notify)), with O(checks=true).
      type: list
      elements: dict
'''

from ansible_collections.secops.vulnmgmt.plugins.module_utils.cystack_module import CyStackModule
from ansible_collections.secops.vulnmgmt.plugins.module_utils.transport import concurrent_map
from ansible_collections.secops.vulnmgmt.plugins.module_utils.cystack_common import (
    monitoring_report, resolve_target,
)
from ansible_collections.secops.vulnmgmt.plugins.module_utils.options import Option, OptionSpec, max_workers

SPEC = OptionSpec((Option('target'), Option('checks', type='bool', default=True), max_workers(4)))


def main():
    module = CyStackModule(SPEC)
    params = module.params

    def action():
        client = module.client
        targets = [resolve_target(client, params['target'])] if params['target'] else client.targets()
        items = concurrent_map(lambda t: monitoring_report(client, t, params['checks']), targets, params['max_workers'])
        return dict(changed=False, monitoring=items)

    module.run(action)


if __name__ == '__main__':
    main()
