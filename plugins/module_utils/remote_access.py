# -*- coding: utf-8 -*-
# Copyright: secops.vulnmgmt contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The remote-access declaration shared by cyberwatch_remote_access (one) and cyberwatch_remote_accesses (a set)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import time

from ansible_collections.secops.vulnmgmt.plugins.module_utils.cyberwatch import REMOTE_ACCESS_TYPES, CyberwatchBackend
from ansible_collections.secops.vulnmgmt.plugins.module_utils.transport import poll
from ansible_collections.secops.vulnmgmt.plugins.module_utils.resource import (
    Field, Reconciler, ResourceSpec, equal_casefold,
)

SPEC = ResourceSpec('remote_access', fields=(
    Field('address', required=True, compare=equal_casefold),
    Field('type', choices=sorted(REMOTE_ACCESS_TYPES), to_api=lambda value, params: REMOTE_ACCESS_TYPES[value][0],
          required_on_create=True),
    Field('port', type='int', minimum=1, maximum=65535,
          create_default=lambda params: params['type'] and REMOTE_ACCESS_TYPES[params['type']][1]),
    Field('node', api_name='node_id', lookup='node'),
    Field('groups', type='list', elements='str', api_name='server_groups', to_api=lambda value, params: ', '.join(value),
          create_only=True),
    # Never returned by the API: sent on create, and on update only with update_password=always.
    Field('login', write_only=True, no_log=False),
    Field('password', write_only=True),
    Field('key', write_only=True),
    Field('auth_password', write_only=True),
    Field('priv_password', write_only=True),
    Field('credential_id', type='int', write_only=True, no_log=None),
    Field('credential', api_name='credential_id', lookup='stored_credential', write_only=True, no_log=None),
), mutually_exclusive=[('credential', 'credential_id')])


def item_options():
    """The options of one remote access in a list (cyberwatch_remote_accesses): update_password is the list's."""
    return dict((name, option) for name, option in SPEC.argument_spec().items() if name != 'update_password')


def wait_test_deploy(client, remote_access_id, timeout, interval=0.5, clock=time.monotonic, sleep=time.sleep):
    """Run test_deploy and poll the remote access until is_valid is not null or timeout seconds passed."""
    started = client.test_deploy(remote_access_id)
    if started.get('is_valid') is not None:
        return started
    obj, dummy = poll(lambda: client.get('remote_access', remote_access_id) or started,
                      lambda current: current.get('is_valid') is not None, timeout, interval, clock, sleep)
    return obj


def apply(client, lookup, params, check_mode, update_password, current=None, found=False):
    """Reconcile one remote access; current/found skip the lookup when the caller already listed them; lookup (a
    cyberwatch.Lookup) is shared by the remote accesses of one run."""
    backend = CyberwatchBackend(client, 'remote_access', params['address'], names=lookup)
    reconciler = Reconciler(SPEC, backend, check_mode=check_mode, update_password=update_password)
    if params['state'] != 'present':
        return reconciler.absent(current, found)
    params = SPEC.resolved(params, backend)
    return reconciler.present(SPEC.desired(params), current, found, defaults=SPEC.create_defaults(params))


def deployment_test(module, result, state):
    """Run the deployment test of a remote access the task created or changed, when module.params['test_deploy'] asks
    for it (never in check mode); adds is_valid and last_error to result. Returns whether the test ran."""
    if not (result['changed'] and state == 'present' and module.params['test_deploy'] and not module.check_mode):
        return False
    obj = wait_test_deploy(module.client, result['remote_access']['id'], module.params['test_deploy_timeout'])
    result.update(remote_access=SPEC.view(obj), is_valid=obj.get('is_valid'), last_error=obj.get('last_error'))
    return True
