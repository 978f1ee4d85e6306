# -*- coding: utf-8 -*-
# Copyright: secops.vulnmgmt contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The remote-access declaration shared by cyberwatch_remote_access (one) and cyberwatch_remote_accesses (a set)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.secops.vulnmgmt.plugins.module_utils.cyberwatch import REMOTE_ACCESS_TYPES, CyberwatchBackend
from ansible_collections.secops.vulnmgmt.plugins.module_utils.cyberwatch_lookup import wait_test_deploy
from ansible_collections.secops.vulnmgmt.plugins.module_utils.resource import (
    Field, Reconciler, ResourceSpec, equal_casefold,
)

# Never returned by the API: sent on create, and on update only with update_password=always.
WRITE_ONLY = ('login', 'password', 'key', 'auth_password', 'priv_password', 'credential_id')

SPEC = ResourceSpec('remote_access', fields=(
    Field('address', compare=equal_casefold),
    Field('type', to_api=lambda value, params: REMOTE_ACCESS_TYPES[value][0], required_on_create=True),
    Field('port', create_default=lambda params: params['type'] and REMOTE_ACCESS_TYPES[params['type']][1]),
    Field('node', api_name='node_id'),
    Field('groups', api_name='server_groups', to_api=lambda value, params: ', '.join(value), create_only=True),
) + tuple(Field(name, write_only=True) for name in WRITE_ONLY))


def remote_access_options():
    """The options that describe one remote access (argument spec)."""
    return dict(
        address=dict(type='str', required=True),
        type=dict(type='str', choices=sorted(REMOTE_ACCESS_TYPES)),
        port=dict(type='int'),
        login=dict(type='str', no_log=False),
        password=dict(type='str', no_log=True),
        key=dict(type='str', no_log=True),
        auth_password=dict(type='str', no_log=True),
        priv_password=dict(type='str', no_log=True),
        credential_id=dict(type='int'),
        credential=dict(type='str'),
        node=dict(type='str'),
        groups=dict(type='list', elements='str'),
        state=dict(type='str', default='present', choices=['present', 'absent']),
    )


def check_remote_access(params, where=''):
    """Refuse values the server would reject, before any request; returns an error message or None."""
    port = params.get('port')
    if port is not None and not 1 <= port <= 65535:
        return '%sport must be between 1 and 65535, got %s' % (where, port)
    if params.get('credential') is not None and params.get('credential_id') is not None:
        return '%scredential and credential_id are mutually exclusive: give the stored credential once' % where
    return None


def apply(client, lookup, params, check_mode, update_password, current=None, found=False):
    """Reconcile one remote access; current/found skip the lookup when the caller already listed them."""
    present = params['state'] == 'present'
    params = dict(params, node=lookup.node_id(params['node']) if present else None)
    if present and params.get('credential') is not None:
        params['credential_id'] = lookup.credential_id(params['credential'])
    reconciler = Reconciler(SPEC, CyberwatchBackend(client, 'remote_access', params['address']),
                            check_mode=check_mode, update_password=update_password)
    if not present:
        return reconciler.absent(current, found)
    return reconciler.present(SPEC.desired(params), current, found, defaults=SPEC.create_defaults(params))


def deployment_test(client, result, timeout):
    """Run the deployment test of a created or changed remote access; adds is_valid and last_error to result."""
    obj = wait_test_deploy(client, result['remote_access']['id'], timeout)
    result.update(remote_access=SPEC.view(obj), is_valid=obj.get('is_valid'), last_error=obj.get('last_error'))
    return result
