#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: secops.vulnmgmt contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: cystack_scan
short_description: Launch, wait for, stop or delete CyStack web vulnerability scans
version_added: 0.1.0
description:
  - V(present) launches a scan of a target (C(POST /scans)) and, with O(wait=true), waits until it has finished and
    returns its vulnerabilities. This is the "scan this target and wait" step of a pipeline.
  - With O(max_age), a finished or running scan of the target that is younger than O(max_age) is reused and nothing is launched
    (C(changed=false)), so "scan before deploy" is idempotent.
  - V(stopped) stops a scan (C(GET /scans/{id}/stop)) when it is C(Queued) or C(Running); a scan already
    C(Stopping) or C(Stopped) is left alone (C(changed=false)).
  - V(absent) deletes a scan (C(DELETE /scans/{id})); a scan that does not exist is already absent.
  - A launch is a C(POST) and is retried only on HTTP 429 (refused unprocessed), so a network error cannot start two
    scans. When its answer is lost (5xx, dropped connection, timeout), the scan it started is looked up and followed.
author:
  - secops.vulnmgmt maintainers (@secops)
extends_documentation_fragment:
  - secops.vulnmgmt.cystack
options:
  state:
    description:
      - V(present) launches a scan (or reuses a recent one, see O(max_age)).
      - V(stopped) stops the scan O(id); V(absent) deletes the scan O(id).
    type: str
    choices: [present, stopped, absent]
    default: present
  target:
    description:
      - The target to scan, by id or by address (for example V(https://shop.example.com); compared without case
        or trailing slash). It must be one of the targets of the account (see M(secops.vulnmgmt.cystack_target_info));
        an unknown target fails before anything is launched.
      - Required with O(state=present).
    type: str
  id:
    description:
      - Id of the scan to stop or delete. Required with O(state=stopped) and O(state=absent).
    type: str
  profile:
    description:
      - Id of the scan profile (for example V(5), shown by CyStack as C(Full Audit)). Required with O(state=present).
    type: int
  notifications:
    description:
      - Ids of the CyStack notification recipients to alert when the scan ends (sent as C(notification)).
    type: list
    elements: int
  description:
    description:
      - Free-text description of the scan.
    type: str
  advances:
    description:
      - Advanced scan options.
    type: dict
    suboptions:
      headers:
        description:
          - Extra HTTP headers the scanner sends to the target. They are module arguments, not secrets; put
            credentials in O(advances.authentication).
        type: dict
      authentication:
        description:
          - How the scanner logs in to the target for an authenticated scan. Unset fields are sent empty.
        type: dict
        suboptions:
          authentication_method:
            description: Login method.
            type: str
            choices: [form, cookie, basic]
          username:
            description: User name.
            type: str
          password:
            description: Password. Never logged nor returned.
            type: str
          cookie:
            description: Session cookie value, for V(cookie). Never logged nor returned.
            type: str
          log_out_url:
            description: URL the scanner must not crawl (the logout link).
            type: str
          auth_url:
            description: URL of the login form or endpoint.
            type: str
          username_field:
            description: Name of the user-name field of the login form (V(form)).
            type: str
          password_field:
            description: Name of the password field of the login form (V(form)).
            type: str
          check_url:
            description: A URL only reachable once logged in; it must contain O(advances.authentication.check_string).
            type: str
          check_string:
            description: Text looked for on O(advances.authentication.check_url) to confirm the login worked.
            type: str
  wait:
    description:
      - Wait until the scan has finished (status C(Stopped)) and return its vulnerabilities.
      - If O(wait_timeout) elapses first, the task fails; the scan keeps running and its id is returned.
    type: bool
    default: false
  wait_timeout:
    description:
      - Seconds to wait for the scan to finish with O(wait=true).
    type: int
    default: 3600
  poll_interval:
    description:
      - Seconds between two status checks with O(wait=true).
    type: int
    default: 15
  max_age:
    description:
      - Reuse a finished or still running scan of O(target) that started less than this duration ago instead
        of launching one; with O(wait=true) a running one is waited for. A re-run while the scan it launched is still
        going therefore never launches a second.
      - A duration is a number of seconds (V(90)) or numbers followed by a unit C(s), C(m), C(h), C(d) or C(w),
        combinable (V(30m), V(12h), V(30d), V(1h30m)); case and blanks are ignored.
      - The newest such scan is returned with C(changed=false). Scans stopped by a user also count as finished,
        since the API does not tell them apart.
    type: raw
  max_workers:
    description:
      - How many vulnerability details are fetched in parallel with O(wait=true), between 1 and 32.
    type: int
    default: 4
attributes:
  check_mode:
    support: full
    description: Resolves the target and looks for a reusable scan, then predicts the launch, stop or delete
      without sending it.
  diff_mode:
    support: full
    description: Shows the launched scan's parameters, the status change of a stop, or the deleted scan.
notes:
  - The scan id is taken from the C(Location) header of the launch, because CyStack scans carry no id field.
  - Needs an API key with write access to scans (launch, stop, delete); reusing a scan younger than O(max_age) only
    reads. Check mode needs read access only and sends no write; with a read-only key a real change fails with HTTP
    403, naming the missing write access. See R(Permissions,ansible_collections.secops.vulnmgmt.docsite.permissions).
'''

EXAMPLES = r'''
- name: Scan before deploy
  module_defaults:
    group/secops.vulnmgmt.cystack:
      api_key: "{{ vault_cystack_api_key }}"
  block:
    - name: Scan the shop unless it was scanned in the last 12 hours, and wait for the result
      secops.vulnmgmt.cystack_scan:
        target: https://shop.example.com
        profile: 5
        notifications: [34]
        description: "pre-deploy {{ release }}"
        max_age: 12h
        wait: true
        wait_timeout: 7200
        poll_interval: 30
      register: shop_scan
      delegate_to: localhost

    - name: Fail the pipeline on high findings that are not false positives
      ansible.builtin.assert:
        that: shop_scan.counts_excluding_false_positives.High == 0
        fail_msg: "{{ shop_scan.counts_excluding_false_positives.High }} high vulnerabilities in scan {{ shop_scan.scan.id }}"

- name: Authenticated scan with a session cookie (credentials come from CYSTACK_API_KEY)
  secops.vulnmgmt.cystack_scan:
    target: https://shop.example.com
    profile: 5
    advances:
      headers:
        X-Scanner: cystack
      authentication:
        authentication_method: cookie
        cookie: "{{ vault_shop_session_cookie }}"
        check_url: https://shop.example.com/account
        check_string: Logout
  delegate_to: localhost

- name: Stop the scan started above, if it still runs
  secops.vulnmgmt.cystack_scan:
    id: "{{ shop_scan.scan.id }}"
    state: stopped
  delegate_to: localhost

- name: Delete it
  secops.vulnmgmt.cystack_scan:
    id: "{{ shop_scan.scan.id }}"
    state: absent
  delegate_to: localhost
'''

RETURN = r'''
scan:
  description:
    - The scan detail after the run. V(null) after a delete.
    - In check mode, the predicted scan (C(id) V(null) for a launch).
    - When O(wait=true) times out, the task fails and this is the last state seen.
  returned: always
  type: dict
  contains:
    id:
      description: Scan id (parsed from the C(Location) header or the C(href)).
      type: str
      sample: 65fa9150-fbca-49ce-bac6-586e58cd36f5
    status:
      description: C(Queued), C(Running), C(Stopping) or C(Stopped) (finished or stopped by a user).
      type: str
      sample: Stopped
    profile:
      description: Name of the scan profile.
      type: str
      sample: Full Audit
    description:
      description: Description (V(null) when none; the API prints C("None")).
      type: str
    start_time:
      description: Start, ISO 8601 UTC.
      type: str
      sample: "2017-11-29T12:13:57Z"
    start_time_epoch:
      description: Start, seconds since the epoch.
      type: int
      sample: 1511957637
    stop_time:
      description: End, ISO 8601 UTC; V(null) while the scan runs.
      type: str
      sample: "2017-11-29T12:30:37Z"
    stop_time_epoch:
      description: End, seconds since the epoch.
      type: int
      sample: 1511958637
    target:
      description: The scanned target.
      type: dict
      sample: {"id": "395a2f59-ad32-4e1c-b9b0-4063a55cf4e2", "address": "https://cystack.net", "ip": "42.112.22.134",
               "os": "Unknown"}
    vuln_href:
      description: API paths of the vulnerabilities found.
      type: list
      elements: str
    vulnerability_ids:
      description: Ids of the vulnerabilities found.
      type: list
      elements: str
    vulnerabilities:
      description: Number of vulnerabilities found.
      type: int
      sample: 2
    noti_href:
      description: API paths of the notified recipients.
      type: list
      elements: str
    notification_ids:
      description: Ids of the notified recipients.
      type: list
      elements: str
scan_id:
  description: Id of the scan; also returned when O(wait=true) times out.
  returned: when a scan was launched, reused, stopped or deleted
  type: str
  sample: 65fa9150-fbca-49ce-bac6-586e58cd36f5
reused:
  description: Whether a recent finished scan was returned instead of launching one (O(max_age)).
  returned: with O(state=present)
  type: bool
vulnerabilities:
  description: Detail of every vulnerability of the finished scan (see M(secops.vulnmgmt.cystack_vulnerability_info)).
  returned: with O(wait=true), once the scan has finished
  type: list
  elements: dict
counts:
  description: Number of vulnerabilities per severity, and C(total).
  returned: with O(wait=true), once the scan has finished
  type: dict
  sample: {"High": 1, "Medium": 2, "Low": 0, "Information": 1, "total": 4}
counts_excluding_false_positives:
  description: Like RV(counts), without the vulnerabilities marked as false positives. Use it for gates.
  returned: with O(wait=true), once the scan has finished
  type: dict
  sample: {"High": 0, "Medium": 2, "Low": 0, "Information": 1, "total": 3}
diff:
  description: Parameters of a launch, status before and after a stop, or the deleted scan.
  returned: always
  type: dict
  sample: {"before": {"status": "Running"}, "after": {"status": "Stopped"}}
'''

from ansible_collections.secops.vulnmgmt.plugins.module_utils.cystack_module import CyStackModule
from ansible_collections.secops.vulnmgmt.plugins.module_utils.cystack_common import scan_action
from ansible_collections.secops.vulnmgmt.plugins.module_utils.options import Option, OptionSpec, max_workers, problem_of
from ansible_collections.secops.vulnmgmt.plugins.module_utils.times import duration

AUTHENTICATION = dict(
    authentication_method=dict(type='str', choices=['form', 'cookie', 'basic']),
    username=dict(type='str'),
    password=dict(type='str', no_log=True),
    cookie=dict(type='str', no_log=True),
    log_out_url=dict(type='str'),
    auth_url=dict(type='str'),
    username_field=dict(type='str'),
    password_field=dict(type='str', no_log=False),
    check_url=dict(type='str'),
    check_string=dict(type='str'),
)

SPEC = OptionSpec((
    Option('target'),
    Option('id'),
    Option('profile', type='int'),
    Option('notifications', type='list', elements='int'),
    Option('description'),
    Option('advances', type='dict', options=dict(
        headers=dict(type='dict'),
        authentication=dict(type='dict', options=AUTHENTICATION),
    )),
    Option('wait', type='bool', default=False),
    Option('wait_timeout', type='int', default=3600, minimum=0),
    Option('poll_interval', type='int', default=15, minimum=1),
    Option('max_age', type='raw', check=problem_of(lambda value: duration(value, 'max_age', minimum=0))),
    max_workers(4),
), states=('present', 'stopped', 'absent'), required_if=[
    ('state', 'present', ('target', 'profile')), ('state', 'stopped', ('id',)), ('state', 'absent', ('id',))],
    mutually_exclusive=[('id', 'target')])


def main():
    module = CyStackModule(SPEC)
    module.run(scan_action(module))


if __name__ == '__main__':
    main()
