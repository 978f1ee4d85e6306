# -*- coding: utf-8 -*-
# Copyright: secops.vulnmgmt contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The rules the gate filters and the remediation filters share (controller only): the severity levels of each
scanner, the allow-list with expiry (entries {match, justification, expires, subjects}) and its dates.

One place, so a gate and a remediation run read the same allow-list file the same way."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import datetime

from ansible.errors import AnsibleFilterError
from ansible.module_utils.common.text.converters import to_text

from ansible_collections.secops.vulnmgmt.plugins.module_utils.cystack_severities import SEVERITIES as CYSTACK_SEVERITIES
from ansible_collections.secops.vulnmgmt.plugins.plugin_utils.coverage import CATEGORIES as COVERAGE_CATEGORIES

# Most severe first.
SEVERITIES = {
    'cystack': list(CYSTACK_SEVERITIES),
    'cyberwatch': ['critical', 'high', 'medium', 'low', 'unknown'],
    'generic': ['critical', 'high', 'medium', 'low', 'info', 'unknown'],
    'coverage': list(COVERAGE_CATEGORIES),      # a coverage finding's "severity" is its category
}


def canonical_severity(kind, value):
    """value as one of SEVERITIES[kind], compared without case, a `level_` prefix ignored; else unknown."""
    value = to_text(value or 'unknown')
    if value.startswith('level_'):
        value = value[len('level_'):]
    for name in SEVERITIES[kind]:
        if name.lower() == value.lower():
            return name
    return 'unknown' if 'unknown' in SEVERITIES[kind] else value


def parse_date(value, where):
    """A date from a date, a datetime or a YYYY-MM-DD string; where names the option in the error."""
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.datetime.strptime(to_text(value).strip(), '%Y-%m-%d').date()
    except ValueError:
        raise AnsibleFilterError('%s: %r is not a date in YYYY-MM-DD form' % (where, value))


def parse_allow_list(entries, today):
    """The allow-list entries, checked, each with `expired` (as of today) and a `matched` counter set to 0."""
    parsed = []
    for index, entry in enumerate(entries or []):
        where = 'allow-list entry %d' % (index + 1)
        if not isinstance(entry, dict):
            raise AnsibleFilterError('%s must be a dictionary with match, justification and expires' % where)
        missing = [key for key in ('match', 'justification', 'expires') if not entry.get(key)]
        unknown = sorted(set(entry) - {'match', 'justification', 'expires', 'subjects'})
        if missing or unknown:
            raise AnsibleFilterError('%s (%s): %s' % (where, entry.get('match', '?'), '; '.join(
                (['missing %s' % ', '.join(missing)] if missing else [])
                + (['unknown key(s) %s; accepted: match, justification, expires, subjects' % ', '.join(unknown)]
                   if unknown else []))))
        subjects = entry.get('subjects') or []
        if isinstance(subjects, str):
            subjects = [subjects]
        expires = parse_date(entry['expires'], where)
        parsed.append({'match': to_text(entry['match']), 'justification': to_text(entry['justification']),
                       'expires': expires.isoformat(), 'subjects': [to_text(s) for s in subjects],
                       'expired': expires < today, 'matched': 0})
    return parsed


def allowance_for(finding, allow_list):
    """The first entry of a parsed allow-list covering finding ({subject, keys: lower-case names}), or None. An
    expired entry is returned too: the caller decides (it no longer suppresses, and is reported)."""
    for entry in allow_list:
        if entry['match'].lower() in finding['keys'] and (
                not entry['subjects'] or finding['subject'].lower() in [s.lower() for s in entry['subjects']]):
            return entry
    return None
