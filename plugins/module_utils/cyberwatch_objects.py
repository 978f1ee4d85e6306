# -*- coding: utf-8 -*-
# Copyright: secops.vulnmgmt contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Cyberwatch objects that are not plain CRUD, for the reconcile engine: CVE customisations (a PUT and a DELETE on a
CVE that always exists), security issues (their links are only in the detail) and agents (selected by server or by
silence). Also the CVSS v3 vector parser their modules validate input with."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re
import time

from ansible_collections.secops.vulnmgmt.plugins.module_utils.cyberwatch import CyberwatchBackend
from ansible_collections.secops.vulnmgmt.plugins.module_utils.times import duration, timestamp

# CVSS v3 base metrics: vector abbreviation -> (API field, {letter: API value suffix}).
CVSS_METRICS = (
    ('AV', 'access_vector', {'N': 'network', 'A': 'adjacent_network', 'L': 'local', 'P': 'physical'}),
    ('AC', 'access_complexity', {'L': 'low', 'H': 'high'}),
    ('PR', 'privileges_required', {'N': 'none', 'L': 'low', 'H': 'high'}),
    ('UI', 'user_interaction', {'N': 'none', 'R': 'required'}),
    ('S', 'scope', {'U': 'unchanged', 'C': 'changed'}),
    ('C', 'confidentiality_impact', {'N': 'none', 'L': 'low', 'H': 'high'}),
    ('I', 'integrity_impact', {'N': 'none', 'L': 'low', 'H': 'high'}),
    ('A', 'availability_impact', {'N': 'none', 'L': 'low', 'H': 'high'}),
)
CVE_CODE = re.compile(r'^CVE-\d{4}-\d{4,}$', re.I)
CVE_CODE_WORDS = 'a CVE code such as CVE-2021-44228'
# The customisation of a CVE announcement: what DELETE resets.
CVE_CUSTOM_FIELDS = ('score_custom', 'cvss_custom', 'note_custom')


def cvss_custom(vector):
    """The API's cvss_custom object for a CVSS v3 base vector ('CVSS:3.1/AV:N/AC:L/...', the prefix optional).

    ValueError naming the metric and the accepted letters when the vector is incomplete or wrong."""
    parts = [p for p in str(vector).strip().split('/') if p and not p.upper().startswith('CVSS:')]
    given = {}
    for part in parts:
        name, dummy, letter = part.partition(':')
        given[name.strip().upper()] = letter.strip().upper()
    known = [abbr for abbr, dummy, dummy2 in CVSS_METRICS]
    unknown = sorted(set(given) - set(known))
    if unknown:
        raise ValueError('cvss_vector %r: unknown metric %s; a CVSS v3 base vector has %s' % (
            vector, ', '.join(unknown), '/'.join(known)))
    custom = {}
    for abbr, field, letters in CVSS_METRICS:
        letter = given.get(abbr)
        if letter not in letters:
            raise ValueError('cvss_vector %r: %s must be one of %s, got %s' % (
                vector, abbr, ', '.join(sorted(letters)), letter if letter else 'nothing'))
        custom[field] = '%s_%s' % (field, letters[letter])
    return custom


def cvss_problem(vector):
    """Why vector is not a CVSS v3 base vector, in words, or None."""
    try:
        cvss_custom(vector)
    except ValueError as exc:
        return str(exc)
    return None


def cvss_from_api(value):
    """cvss_custom as the API returns it, in the current spelling (2019 servers said privilege_required)."""
    if not isinstance(value, dict):
        return value
    fields = dict((k.replace('privilege_required', 'privileges_required'),
                   v.replace('privilege_required_', 'privileges_required_') if isinstance(v, str) else v)
                  for k, v in value.items())
    return dict((field, fields.get(field)) for dummy, field, dummy2 in CVSS_METRICS)


def cvss_request(custom):
    """The PUT fields of a cvss_custom object: flat, with privilege_required in the singular as the API takes it."""
    body = {}
    for dummy, field, dummy2 in CVSS_METRICS:
        value = custom[field]
        if field == 'privileges_required':
            field, value = 'privilege_required', value.replace('privileges_required_', 'privilege_required_')
        body[field] = value
    return body


def customised(cve):
    return any(cve.get(field) is not None for field in CVE_CUSTOM_FIELDS)


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
        if cve is None or self.present or customised(cve):
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


def select_agents(client, agent_id=None, server=None, stale_after=None, clock=time.time):
    """The agents by id, of the servers with hostname server, or silent for longer than stale_after (all three
    optional, combined with AND). Agents that never communicated are never stale. Returns (agents, notes).

    A wrong stale_after fails (ValueError) before any request."""
    notes = []
    # A unit is required: a bare '30' taken as seconds would select (and remove) nearly every agent.
    silence = duration(stale_after, 'stale_after', unit_required=True)
    if agent_id is not None:
        agent = client.get('agent', agent_id)
        agents = [agent] if agent else []
    else:
        agents = client.list('agent')
    if server is not None:
        ids = set(s['id'] for s in client.find('server', server))
        if not ids:
            notes.append('no server has the hostname %s: it has no agent' % server)
        agents = [a for a in agents if a.get('server_id') in ids]
    if silence is not None:
        cutoff = clock() - silence
        agents = [a for a in agents if a.get('last_communication') and timestamp(a['last_communication']).timestamp() < cutoff]
    return agents, notes
