#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: secops.vulnmgmt contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: cystack_scan_info
short_description: List CyStack scans, optionally with their vulnerabilities
version_added: 0.1.0
description:
  - Lists the scans of the CyStack account (every page), or returns one scan by O(id).
  - CyStack scans carry no id field; the id is parsed from their C(href).
  - C(start_time) and C(stop_time) are returned as ISO 8601 UTC, with C(_epoch) twins. The list endpoint prints
    C(start_time) as local text (C(%H:%M:%S %d/%m/%Y), read as UTC+7, the service's time zone); the detail gives
    epoch seconds.
notes:
  - Needs read access to scans only; it never writes, so a read-only API key works. See
    R(Permissions,ansible_collections.secops.vulnmgmt.docsite.permissions).
author:
  - secops.vulnmgmt maintainers (@secops)
extends_documentation_fragment:
  - secops.vulnmgmt.cystack
  - secops.vulnmgmt.attributes.INFO
options:
  id:
    description:
      - Return only this scan, in detail. An unknown id fails with the API's C(404) message.
    type: str
  q:
    description:
      - Keyword the server filters the scans with (the target address).
    type: str
  ordering:
    description:
      - Sort order on the server, for example V(-start_time), V(target) or V(vulnerabilities).
    type: str
  status:
    description:
      - Only the scans with this status.
    type: str
    choices: [Queued, Running, Stopping, Stopped]
  vulnerabilities:
    description:
      - Add to each scan its detail fields and the detail of each of its vulnerabilities (C(vulnerability_details)),
        with RV(scans[].counts) and RV(scans[].counts_excluding_false_positives).
      - This costs one request per scan and one per vulnerability; they run O(max_workers) at a time.
    type: bool
    default: false
  max_workers:
    description:
      - How many requests run in parallel with O(vulnerabilities=true), between 1 and 32.
    type: int
    default: 4
'''

EXAMPLES = r'''
- name: Running scans
  secops.vulnmgmt.cystack_scan_info:
    status: Running
  register: running_scans
  delegate_to: localhost

- name: Finished scans of the shop with every finding, newest first
  module_defaults:
    group/secops.vulnmgmt.cystack:
      api_key: "{{ vault_cystack_api_key }}"
  secops.vulnmgmt.cystack_scan_info:
    q: shop.example.com
    status: Stopped
    ordering: -start_time
    vulnerabilities: true
    max_workers: 8
  register: shop_scans
  delegate_to: localhost
'''

RETURN = r'''
scans:
  description: The scans. List items have C(vulnerabilities) as a count; details (O(id) or O(vulnerabilities=true))
    add C(description), C(stop_time), C(vuln_href) and C(noti_href).
  returned: always
  type: list
  elements: dict
  contains:
    id:
      description: Scan id, parsed from C(href).
      type: str
      sample: 07c13583-a14d-43b7-814d-a8f6db64253d
    status:
      description: C(Queued), C(Running), C(Stopping) or C(Stopped).
      type: str
      sample: Stopped
    profile:
      description: Name of the scan profile.
      type: str
      sample: Full Audit
    start_time:
      description: Start, ISO 8601 UTC.
      type: str
      sample: "2017-11-20T06:58:01Z"
    start_time_epoch:
      description: Start, seconds since the epoch.
      type: int
      sample: 1511161081
    stop_time:
      description: End, ISO 8601 UTC (details only; V(null) while running).
      type: str
    stop_time_epoch:
      description: End, seconds since the epoch (details only).
      type: int
    target:
      description: The scanned target (C(id), C(address), C(ip), C(os)).
      type: dict
    vulnerabilities:
      description: Number of vulnerabilities found.
      type: int
      sample: 2
    vulnerability_ids:
      description: Ids of the vulnerabilities found (details only).
      type: list
      elements: str
    vulnerability_details:
      description: Detail of each vulnerability (with O(vulnerabilities=true)).
      type: list
      elements: dict
    counts:
      description: Vulnerabilities per severity and C(total) (with O(vulnerabilities=true)).
      type: dict
      sample: {"High": 1, "Medium": 1, "Low": 0, "Information": 0, "total": 2}
    counts_excluding_false_positives:
      description: Like RV(scans[].counts), without false positives (with O(vulnerabilities=true)).
      type: dict
'''

from ansible_collections.secops.vulnmgmt.plugins.module_utils.cystack_module import CyStackModule
from ansible_collections.secops.vulnmgmt.plugins.module_utils.cystack import SCAN_STATUSES
from ansible_collections.secops.vulnmgmt.plugins.module_utils.cystack_common import expand_scans
from ansible_collections.secops.vulnmgmt.plugins.module_utils.options import Option, OptionSpec, max_workers

SPEC = OptionSpec((
    Option('id'),
    Option('q'),
    Option('ordering'),
    Option('status', choices=list(SCAN_STATUSES)),
    Option('vulnerabilities', type='bool', default=False),
    max_workers(4),
), mutually_exclusive=[('id', 'q'), ('id', 'ordering'), ('id', 'status')])


def main():
    module = CyStackModule(SPEC)
    params = module.params

    def action():
        client = module.client
        if params['id']:
            scans = [client.scan(params['id'], missing_ok=False)]
        else:
            scans = client.scans(q=params['q'], ordering=params['ordering'], status=params['status'])
        if params['vulnerabilities']:
            scans = expand_scans(client, scans, params['max_workers'])
        return dict(changed=False, scans=scans)

    module.run(action)


if __name__ == '__main__':
    main()
