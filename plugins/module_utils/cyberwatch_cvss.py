# -*- coding: utf-8 -*-
# Copyright: secops.vulnmgmt contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The CVSS v3 base vector of a CVE customisation and the cvss_custom object of the Cyberwatch API."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type


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
