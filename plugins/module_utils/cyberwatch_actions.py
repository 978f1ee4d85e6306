# -*- coding: utf-8 -*-
# Copyright: secops.vulnmgmt contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Cyberwatch action modules (server refresh/updates/reboot, compliance rechecks, discovery relaunch) and the
backends of the objects that are not found by one natural key (docker images)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import time

from ansible_collections.secops.vulnmgmt.plugins.module_utils.cyberwatch import RESOURCES, CyberwatchBackend, same_key
from ansible_collections.secops.vulnmgmt.plugins.module_utils.cyberwatch_lookup import COUNT_FIELDS
from ansible_collections.secops.vulnmgmt.plugins.module_utils.times import timestamp
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
    return {'changed': True, 'action': name, RESOURCES[resource].name: answer or current}


def analysed_after(server, previous, requested_at):
    """Whether the server's analyzed_at moved past the previous analysis and the (server-clock) request time."""
    analysed = timestamp(server.get('analyzed_at'), strict=False)
    if analysed is None:
        return False
    return (previous is None or analysed > previous) and (requested_at is None or analysed >= requested_at)


def refresh_server(client, server):
    """PUT servers/{id}/refresh; returns (the server as answered, the request time by the server's clock or None).

    The server's Date header is the request time, so the controller's clock does not matter.
    """
    dummy, answer, headers, dummy_response = client.http.request('PUT', client.path('servers', server['id'], 'refresh'))
    return answer or server, timestamp(headers.get('Date'), strict=False)


def recheck_settled(obj):
    """No result of a compliance server (its rules) or of a rule (its servers) is still being analysed."""
    rows = obj.get('rules') if 'rules' in obj else obj.get('servers')
    return obj.get('status') != PENDING and all(row.get('status') != PENDING for row in rows or ())


def wait_for(module, resource, obj, done, failure, interval=1.0, clock=time.monotonic, sleep=time.sleep):
    """Read the object every interval seconds until done(it) or module.params['timeout'] seconds passed.

    Returns the last read; when the timeout passes, fails with failure(last read) and the object id (<name>_id).
    """
    name = RESOURCES[resource].name
    latest, finished = poll(lambda: module.client.get(resource, obj['id']) or obj, done, module.params['timeout'],
                            interval, clock, sleep)
    if not finished:
        module.fail_json(msg=failure(latest), changed=True, **{name: latest, name + '_id': obj['id']})
    return latest


def counts(server):
    """The CVE and update counts of a server."""
    return dict((key, (server or {}).get(key)) for key in COUNT_FIELDS)


class DockerImageBackend(CyberwatchBackend):
    """A docker image found by id, or by (image_name, image_tag): the API has no single natural key for it."""

    def __init__(self, client, image_name=None, image_tag=None, object_id=None):
        super(DockerImageBackend, self).__init__(client, 'docker_image', image_name, object_id)
        self.image_tag = image_tag

    def describe(self):
        if self.object_id is not None:
            return super(DockerImageBackend, self).describe()
        return 'docker_image %s:%s' % (self.key_value, self.image_tag)

    def find(self):
        if self.object_id is not None:
            return super(DockerImageBackend, self).find()
        return self.one_of([image for image in self.client.list(self.resource) if same_key(
            image.get('image_name'), self.key_value) and same_key(image.get('image_tag'), self.image_tag)])
