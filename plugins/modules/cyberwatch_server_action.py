#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: secops.vulnmgmt contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: cyberwatch_server_action
short_description: Refresh the analysis of a Cyberwatch server, install its updates or reboot it
version_added: 0.2.0
description:
  - Triggers an action on a Cyberwatch server found by O(id) or O(hostname)
    (C(PUT servers/{id}/refresh), C(POST servers/{id}/updates) or C(PATCH servers/{id}/reboot)).
  - An action always reports a change. In check mode the module finds the server, reports a change and sends nothing.
  - With O(action=refresh) and O(wait=true), the module waits until the server is analysed again
    (its C(analyzed_at) moves past the time of the request, as the server's clock gives it) and returns the new counts.
notes:
  - Needs an API key with write access to servers (the refresh, reboot and update actions). Check mode needs read
    access only and sends no write; with a read-only key a real change fails with HTTP 403, naming the missing write
    access. See R(Permissions,ansible_collections.secops.vulnmgmt.docsite.permissions).
author:
  - secops.vulnmgmt maintainers (@secops)
extends_documentation_fragment:
  - secops.vulnmgmt.cyberwatch
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
  action:
    description:
      - V(refresh) relaunches the analysis of the server (after a patch, for example).
      - V(install_updates) schedules the installation of updates (O(update_ids), or all of the server's updates when
        O(update_ids) is not set).
      - V(reboot) reboots the server.
    type: str
    required: true
    choices: [refresh, install_updates, reboot]
  update_ids:
    description:
      - Ids of the updates to install (C(updates) of the server detail, see
        M(secops.vulnmgmt.cyberwatch_server_info) with O(secops.vulnmgmt.cyberwatch_server_info#module:details=true)).
      - If not set, every update the server lists is installed; a server without updates is then no change.
      - An empty list installs nothing and is no change (a plan that selected no update never installs them all).
      - Only with O(action=install_updates).
    type: list
    elements: int
  wait:
    description:
      - With O(action=refresh), wait until the server has been analysed again, then return its new counts.
    type: bool
    default: false
  timeout:
    description:
      - Seconds to wait with O(wait=true). When they pass, the module fails and names the server id.
    type: int
    default: 300
attributes:
  check_mode:
    support: full
    description: Finds the server, reports a change and sends no request that triggers anything.
  diff_mode:
    support: none
    description: An action has no before and after state to compare.
'''

EXAMPLES = r'''
- name: Act on Cyberwatch servers
  module_defaults:
    group/secops.vulnmgmt.cyberwatch:
      api_url: https://cyberwatch.example.com
      api_key: "{{ vault_cyberwatch_api_key }}"
      secret_key: "{{ vault_cyberwatch_secret_key }}"
  block:
    - name: After patching, analyse the server again and wait for the verdict
      secops.vulnmgmt.cyberwatch_server_action:
        hostname: web-01.prod.example.com
        action: refresh
        wait: true
        timeout: 600
      register: analysis
      delegate_to: localhost

    - name: Fail the play if critical CVEs remain
      ansible.builtin.assert:
        that: analysis.counts.prioritized_cve_announcements_count == 0

    - name: Read the updates Cyberwatch lists for the server
      secops.vulnmgmt.cyberwatch_server_info:
        id: "{{ analysis.server.id }}"
      register: web01
      delegate_to: localhost

    - name: Install the updates Cyberwatch can patch, if there are any
      secops.vulnmgmt.cyberwatch_server_action:
        id: "{{ analysis.server.id }}"
        action: install_updates
        update_ids: "{{ patchable_ids }}"
      vars:
        patchable_ids: "{{ web01.servers[0].updates | selectattr('patchable') | rejectattr('ignored') | map(attribute='id') | list }}"
      when: patchable_ids | length > 0
      register: patching
      delegate_to: localhost

    - name: Reboot the server once they are installed
      secops.vulnmgmt.cyberwatch_server_action:
        id: "{{ analysis.server.id }}"
        action: reboot
      when: patching is changed
      delegate_to: localhost
'''

RETURN = r'''
server:
  description:
    - The server as the API answered the action; after O(wait=true), as read once the new analysis is done.
    - In check mode, the server as it was found.
  returned: always
  type: dict
  sample: {"id": 12, "hostname": "web-01.prod.example.com", "analyzed_at": "2026-12-01T16:44:37.000+00:00",
           "cve_announcements_count": 4, "status": "server_vulnerable"}
action:
  description: The action that was (or in check mode would be) sent.
  returned: always
  type: str
  sample: refresh
update_ids:
  description: The ids of the updates that were (or would be) installed.
  returned: with O(action=install_updates)
  type: list
  elements: int
  sample: [91482, 94515]
counts:
  description: CVE and update counts of the server after the new analysis.
  returned: with O(action=refresh) and O(wait=true), outside check mode
  type: dict
  sample: {"cve_announcements_count": 4, "prioritized_cve_announcements_count": 1, "updates_count": 3}
counts_before:
  description: The same counts before the refresh.
  returned: with O(action=refresh) and O(wait=true), outside check mode
  type: dict
  sample: {"cve_announcements_count": 5, "prioritized_cve_announcements_count": 1, "updates_count": 3}
'''

from ansible_collections.secops.vulnmgmt.plugins.module_utils.cyberwatch_module import CyberwatchModule
from ansible_collections.secops.vulnmgmt.plugins.module_utils.cyberwatch_actions import (
    find_target, run_action, wait_for,
)
from ansible_collections.secops.vulnmgmt.plugins.module_utils.cyberwatch_servers import (
    analysed_after, counts, refresh_server,
)
from ansible_collections.secops.vulnmgmt.plugins.module_utils.options import Option, OptionSpec
from ansible_collections.secops.vulnmgmt.plugins.module_utils.times import timestamp

SPEC = OptionSpec((
    Option('id', type='int'),
    Option('hostname'),
    Option('action', required=True, choices=['refresh', 'install_updates', 'reboot']),
    Option('update_ids', type='list', elements='int', only_with=('action', ['install_updates'])),
    Option('wait', type='bool', default=False, only_with=('action', ['refresh'])),
    Option('timeout', type='int', default=300, minimum=0),
), required_one_of=[('id', 'hostname')], mutually_exclusive=[('id', 'hostname')])


def main():
    module = CyberwatchModule(SPEC)
    params = module.params

    def run():
        client = module.client
        server = find_target(client, 'server', params['id'], params['hostname'])
        if params['action'] == 'reboot':
            return run_action(module, 'server', 'reboot', 'PATCH', 'reboot', server)
        if params['action'] == 'install_updates':
            detail = client.get('server', server['id']) or server
            update_ids = params['update_ids']
            if update_ids is None:  # not set: all of them; an empty list: none
                update_ids = [update['id'] for update in detail.get('updates') or ()]
            if not update_ids:
                return {'changed': False, 'action': 'install_updates', 'server': server, 'update_ids': []}
            result = run_action(module, 'server', 'install_updates', 'POST', 'updates', server,
                                body={'update_ids': update_ids})
            return dict(result, update_ids=update_ids)
        if module.check_mode:
            return {'changed': True, 'action': 'refresh', 'server': server}
        answer, requested_at = refresh_server(client, server)
        if not params['wait']:
            return {'changed': True, 'action': 'refresh', 'server': answer}
        previous = timestamp(server.get('analyzed_at'), strict=False)
        latest = wait_for(module, 'server', server, lambda current: analysed_after(current, previous, requested_at),
                          lambda current: 'server %s (%s) was not analysed again within %d seconds: analyzed_at is '
                          'still %s' % (server['id'], server.get('hostname'), params['timeout'], current.get('analyzed_at')))
        return {'changed': True, 'action': 'refresh', 'server': latest, 'counts': counts(latest),
                'counts_before': counts(server)}

    module.run(run)


if __name__ == '__main__':
    main()
