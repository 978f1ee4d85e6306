# -*- coding: utf-8 -*-
# Copyright: secops.vulnmgmt contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Cyberwatch actions (server refresh, updates and reboot, compliance rechecks, discovery relaunch): the object an
action aims at, the request, and the wait for its result."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import time

from ansible_collections.secops.vulnmgmt.plugins.module_utils.cyberwatch import RESOURCES, CyberwatchBackend
from ansible_collections.secops.vulnmgmt.plugins.module_utils.transport import poll


PENDING = 'gen_analyzing'  # a compliance result while its check runs


def find_target(client, resource, object_id=None, key_value=None):
    """The one object an action is aimed at, by id or by natural key; ValueError naming it when it does not exist."""
    backend = CyberwatchBackend(client, resource, key_value, object_id, can_create=False)
    current = backend.find()
    if current is None:
        raise ValueError('no %s exists' % backend.describe())
    return current


def run_action(module, resource, name, method, suffix, current, body=None):
    """Send one action request (none in check mode); the result dict with the object the server answered."""
    client = module.client
    answer = None
    if not module.check_mode:
        answer = client.request(method, client.path(RESOURCES[resource], current['id'], suffix), json_body=body)
    return {'changed': True, 'action': name, resource: answer or current}


def recheck_settled(obj):
    """No result of a compliance server (its rules) or of a rule (its servers) is still being analysed."""
    rows = obj.get('rules') if 'rules' in obj else obj.get('servers')
    return obj.get('status') != PENDING and all(row.get('status') != PENDING for row in rows or ())


def wait_for(module, resource, obj, done, failure, interval=1.0, clock=time.monotonic, sleep=time.sleep):
    """Read the object every interval seconds until done(it) or module.params['timeout'] seconds passed.

    Returns the last read; when the timeout passes, fails with failure(last read) and the object id (<resource>_id).
    """
    latest, finished = poll(lambda: module.client.get(resource, obj['id']) or obj, done, module.params['timeout'],
                            interval, clock, sleep)
    if not finished:
        module.fail_json(msg=failure(latest), changed=True, **{resource: latest, resource + '_id': obj['id']})
    return latest
