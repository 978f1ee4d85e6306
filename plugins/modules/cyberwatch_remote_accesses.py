#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: secops.vulnmgmt contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: cyberwatch_remote_accesses
short_description: Declare a whole set of Cyberwatch remote accesses in one task
version_added: 0.1.0
description:
  - Reconciles many remote accesses at once, with one listing of the server's remote accesses for the whole set
    instead of one per item. Onboarding hundreds of hosts costs the listing plus one write per changed item,
    and a run that changes nothing sends no write at all.
  - Each item takes the options of M(secops.vulnmgmt.cyberwatch_remote_access) and is compared the same way, on
    the options set in the item only, with write-only secrets sent per O(update_password).
  - With O(purge=true), remote accesses on the server that are not in O(remote_accesses) are deleted.
notes:
  - Needs an API key with write access to remote accesses (and the deployment test with O(test_deploy)). Check mode
    needs read access only and sends no write; with a read-only key a real change fails with HTTP 403, naming the
    missing write access. See R(Permissions,ansible_collections.secops.vulnmgmt.docsite.permissions).
author:
  - secops.vulnmgmt maintainers (@secops)
extends_documentation_fragment:
  - secops.vulnmgmt.cyberwatch
options:
  remote_accesses:
    description:
      - The remote accesses, each identified by its O(remote_accesses[].address) (compared without case).
      - An address may appear only once.
    type: list
    elements: dict
    required: true
    suboptions:
      address:
        description:
          - IP address or DNS name of the machine to scan.
        type: str
        required: true
      type:
        description:
          - Connection type, required to create the remote access.
        type: str
        choices: [ssh_password, ssh_key, winrm_negotiate, snmp]
      port:
        description:
          - Port between 1 and 65535; a create without it uses the default port of the type.
        type: int
      login:
        description:
          - Login. Write-only, sent according to O(update_password).
        type: str
      password:
        description:
          - Password. Write-only, sent according to O(update_password).
        type: str
      key:
        description:
          - OpenSSH private key (PEM text). Write-only, sent according to O(update_password).
        type: str
      auth_password:
        description:
          - SNMPv3 authentication password. Write-only, sent according to O(update_password).
        type: str
      priv_password:
        description:
          - SNMPv3 privacy password. Write-only, sent according to O(update_password).
        type: str
      credential_id:
        description:
          - Id of a stored credential. Never returned by the API, so sent according to O(update_password).
          - Mutually exclusive with O(remote_accesses[].credential).
        type: int
      credential:
        description:
          - Name of a stored credential, resolved to O(remote_accesses[].credential_id) with one request for the whole
            set before any write. An unknown name fails the task before any write.
        type: str
      node:
        description:
          - Node (scanner) by id or name. Names are resolved with one request for the whole set.
        type: str
      groups:
        description:
          - Group names given to the discovered server; only sent on create.
        type: list
        elements: str
      state:
        description:
          - V(present) or V(absent) for this item.
        type: str
        choices: [present, absent]
        default: present
  update_password:
    description:
      - V(on_create) sends the write-only fields only when an item is created; V(always) on every run.
    type: str
    choices: [on_create, always]
    default: on_create
  purge:
    description:
      - Delete the remote accesses of the server that are not listed in O(remote_accesses).
    type: bool
    default: false
  test_deploy:
    description:
      - Run the deployment test of every created or changed item and wait for the results.
    type: bool
    default: false
  test_deploy_timeout:
    description:
      - Seconds to wait for each deployment test result; after that its C(is_valid) is V(null).
    type: float
    default: 30
attributes:
  check_mode:
    support: full
    description: Predicts every change and sends no write. The deployment tests are not run.
  diff_mode:
    support: full
    description: Shows, per address, the changed fields before and after; secrets are masked.
seealso:
  - module: secops.vulnmgmt.cyberwatch_remote_access
'''

EXAMPLES = r'''
- name: One remote access per host of the play
  ansible.builtin.set_fact:
    scan_accesses: >-
      {{ scan_accesses | default([]) + [{'address': hostvars[item].ansible_host | default(item), 'type': 'ssh_key',
         'login': 'cyberwatch', 'key': vault_cyberwatch_ssh_key}] }}
  loop: "{{ ansible_play_hosts }}"
  run_once: true
  no_log: true

- name: Make every host of the play scannable over SSH, with one listing for the whole play
  secops.vulnmgmt.cyberwatch_remote_accesses:
    remote_accesses: "{{ scan_accesses }}"
  run_once: true
  delegate_to: localhost

- name: Declare the remote accesses kept in git
  secops.vulnmgmt.cyberwatch_remote_accesses:
    remote_accesses:
      - address: web-01.example.com
        type: ssh_key
        login: cyberwatch
        key: "{{ vault_cyberwatch_ssh_key }}"
        node: scanner-dmz
        groups: [prod]
      - address: 10.0.0.30
        type: winrm_negotiate
        login: CORP\cyberwatch
        password: "{{ vault_winrm_password }}"
      - address: db-02.example.com
        type: ssh_key
        credential: linux-scan-key
      - address: old-01.example.com
        state: absent
    test_deploy: true
  register: onboarding
  delegate_to: localhost

- name: Report the hosts Cyberwatch cannot reach
  ansible.builtin.debug:
    msg: "{{ onboarding.invalid }}"
  when: onboarding.invalid | length > 0
'''

RETURN = r'''
remote_accesses:
  description: The declared remote accesses after the run (V(null) for deleted ones), in the order given.
  returned: always
  type: list
  elements: dict
  sample: [{"id": 12, "address": "web-01.example.com", "type": "CbwRam::RemoteAccess::Ssh::WithKey", "port": 22,
            "is_valid": true, "last_error": null, "node_id": 2, "server_id": null}]
results:
  description: One entry per declared item and per purged remote access, saying what was done.
  returned: always
  type: list
  elements: dict
  sample: [{"address": "web-01.example.com", "action": "created", "changed": true},
           {"address": "10.0.0.30", "action": "none", "changed": false}]
invalid:
  description: Addresses whose deployment test reported C(is_valid=false), with the server's error.
  returned: always
  type: list
  elements: dict
  sample: [{"address": "10.0.0.30", "last_error": "Net::SSH::ConnectionTimeout"}]
diff:
  description: Per address, the changed fields before and after.
  returned: always
  type: dict
  sample: {"before": {"web-01.example.com": {"port": 22}}, "after": {"web-01.example.com": {"port": 2222}}}
'''

from ansible_collections.secops.vulnmgmt.plugins.module_utils.cyberwatch_module import CyberwatchModule
from ansible_collections.secops.vulnmgmt.plugins.module_utils.cyberwatch import Lookup
from ansible_collections.secops.vulnmgmt.plugins.module_utils.options import Option, OptionSpec
from ansible_collections.secops.vulnmgmt.plugins.module_utils.remote_access import (
    SPEC, apply, deployment_test, item_options,
)
from ansible_collections.secops.vulnmgmt.plugins.module_utils.resource import UPDATE_PASSWORD

MODULE_SPEC = OptionSpec((
    Option('remote_accesses', type='list', elements='dict', required=True, options=item_options(),
           mutually_exclusive=SPEC.rules['mutually_exclusive']),
    UPDATE_PASSWORD,
    Option('purge', type='bool', default=False),
    Option('test_deploy', type='bool', default=False),
    Option('test_deploy_timeout', type='float', default=30.0),
))


def action_of(result, state):
    if not result['changed']:
        return 'none'
    if state == 'absent':
        return 'deleted'
    return 'updated' if result['diff']['before'] else 'created'


def check_before_writing(lookup, todo):
    """Fail on what would stop the run half-way (unknown node or stored credential, missing type for a create) before
    any write."""
    for item, current, dummy in todo:
        if (item.get('state') or 'present') != 'present':
            continue
        lookup.id_of('node', item.get('node'))  # ValueError naming the known nodes
        lookup.id_of('stored_credential', item.get('credential'))  # ValueError naming the known stored credentials
        if current is None and not item.get('type'):
            raise ValueError('remote_accesses: type is required to create %s' % item['address'])


def main():
    module = CyberwatchModule(MODULE_SPEC)
    items, seen = module.params['remote_accesses'], set()
    for index, item in enumerate(items):
        problems = ['remote_accesses[%d].%s' % (index, problem) for problem in SPEC.problems(item)]
        address = item['address'].strip().lower()
        if address in seen:
            problems.append('remote_accesses[%d].address %s is declared twice' % (index, item['address']))
        seen.add(address)
        if problems:
            module.fail_json(msg='; '.join(problems))

    def run():
        client, lookup = module.client, Lookup(module.client)
        existing = dict((ra['address'].strip().lower(), ra) for ra in lookup.all('remote_access'))
        todo = [(item, existing.get(item['address'].strip().lower()), True) for item in items]
        if module.params['purge']:
            todo += [(dict(address=ra['address'], state='absent'), ra, False) for key, ra in sorted(existing.items())
                     if key not in seen]
        check_before_writing(lookup, todo)
        out = dict(changed=False, remote_accesses=[], results=[], invalid=[], diff=dict(before={}, after={}))
        for item, current, declared in todo:
            params = dict((name, item.get(name)) for name in item_options())
            params['state'] = item.get('state') or 'present'
            result = apply(client, lookup, params, module.check_mode, module.params['update_password'],
                           current=current, found=True)
            if deployment_test(module, result, params['state']) and result['is_valid'] is False:
                out['invalid'].append(dict(address=params['address'], last_error=result['last_error']))
            out['changed'] |= result['changed']
            if result.get('recovered'):
                out.setdefault('recovered', []).append(result['recovered'])
            if declared:
                out['remote_accesses'].append(result['remote_access'])
            out['results'].append(dict(address=params['address'], changed=result['changed'],
                                       action=action_of(result, params['state'])))
            if result['changed']:
                out['diff']['before'][params['address']] = result['diff']['before']
                out['diff']['after'][params['address']] = result['diff']['after']
        return out

    module.run(run)


if __name__ == '__main__':
    main()
