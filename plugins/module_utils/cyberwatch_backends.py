# -*- coding: utf-8 -*-
# Copyright: secops.vulnmgmt contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The Cyberwatch backends of the objects that are not plain CRUD by one natural key: CVE customisations (a PUT
and a DELETE on a CVE that always exists), security issues (their links are only in the detail) and docker images
(found by name and tag)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re

from ansible_collections.secops.vulnmgmt.plugins.module_utils.cyberwatch import CyberwatchBackend, same_key
from ansible_collections.secops.vulnmgmt.plugins.module_utils.cyberwatch_cvss import cvss_request


CVE_CODE = re.compile(r'^CVE-\d{4}-\d{4,}$', re.I)
CVE_CODE_WORDS = 'a CVE code such as CVE-2021-44228'

# The customisation of a CVE announcement: what DELETE resets.
CVE_CUSTOM_FIELDS = ('score_custom', 'cvss_custom', 'note_custom')


class CveCustomisationBackend(CyberwatchBackend):
    """The customisation of one CVE announcement: the CVE always exists (this module cannot create one); updates
    are PUTs of the changed fields; state=absent deletes the customisation, and finds nothing to delete when the CVE
    has none."""

    def __init__(self, client, code, present=True):
        super(CveCustomisationBackend, self).__init__(client, 'cve_announcement', object_id=code.upper(),
                                                      can_create=False)
        self.present = present

    def not_found_message(self):
        return 'no CVE announcement %s exists on the server (a customisation needs the CVE)' % self.object_id

    def find(self):
        cve = self.client.get(self.resource, self.object_id)
        if cve is None or self.present or any(cve.get(field) is not None for field in CVE_CUSTOM_FIELDS):
            return cve
        return None

    def update(self, current, changes):
        body = dict((k, v) for k, v in changes.items() if k != 'cvss_custom')
        if 'cvss_custom' in changes:
            body.update(cvss_request(changes['cvss_custom']))
        return self.client.update(self.resource, current['cve_code'], body)

    def delete(self, current):
        return self.client.delete(self.resource, current['cve_code'])


class DetailBackend(CyberwatchBackend):
    """Found by its natural key in the list, then read by id: the list item lacks fields the module compares."""

    def find(self):
        item = super(DetailBackend, self).find()
        if item is None or self.object_id is not None:
            return item
        return self.client.get(self.resource, item['id']) or item


def codes_from_api(value):
    """CVE codes of a security issue, whether the API lists codes or CVE objects."""
    return sorted(str(c.get('cve_code') if isinstance(c, dict) else c).upper() for c in value or ())


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
