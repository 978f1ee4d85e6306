# -*- coding: utf-8 -*-
# Copyright: secops.vulnmgmt contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The one duration grammar of the options (stale_after, max_age) and the one reader of the timestamps the APIs answer
(ISO 8601, HTTP Date headers, epoch seconds)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime

UNITS = {'s': 1, 'm': 60, 'h': 3600, 'd': 86400, 'w': 604800}
SECONDS = re.compile(r'\d+')
GROUPS = re.compile(r'(?:\d+[smhdw])+')
WITH_UNITS = 'numbers followed by a unit s, m, h, d or w, combinable (30m, 12h, 30d, 1h30m)'


def duration(value, option, minimum=1, unit_required=False):
    """Seconds from an int or a string: a number of seconds ('90') or number+unit groups ('30d', '1h30m'), case and
    blanks ignored. ValueError naming the option and the accepted forms when value is another thing, below minimum
    (0 or 1) or, with unit_required, a bare number. None for None."""
    if value is None:
        return None
    text = '' if isinstance(value, bool) else re.sub(r'\s+', '', str(value)).lower()
    if SECONDS.fullmatch(text) and not unit_required:
        seconds = int(text)
    elif GROUPS.fullmatch(text):
        seconds = sum(int(n) * UNITS[u] for n, u in re.findall(r'(\d+)([smhdw])', text))
    else:
        seconds = None
    if seconds is None or seconds < minimum:
        forms = WITH_UNITS if unit_required else 'a number of seconds (90) or ' + WITH_UNITS
        raise ValueError('%s must be a %sduration: %s; got %r' % (option, 'positive ' if minimum > 0 else '', forms, value))
    return seconds


def timestamp(value, strict=True, local=None):
    """An aware UTC datetime from ISO 8601 ('2021-02-22T10:41:01.000+01:00', 'Z' or an offset; naive is UTC), an HTTP
    date ('Tue, 01 Dec 2026 15:44:37 GMT'), epoch seconds (a number or a string of digits) or, with local=(strptime
    format, tzinfo), a platform's local-time text. None for None and ''; an unreadable value is a ValueError, or None
    when strict is false."""
    if value is None or value == '':
        return None
    try:
        moment = _read(value, local)
    except (TypeError, ValueError, IndexError, OverflowError, OSError):
        moment = None
    if moment is None:
        if strict:
            raise ValueError('%r is not a timestamp (ISO 8601, HTTP date or epoch seconds)' % (value,))
        return None
    return (moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)).astimezone(timezone.utc)


def _read(value, local):
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return datetime.fromtimestamp(value, tz=timezone.utc)
    if not isinstance(value, str):
        return None
    text = value.strip()
    if text.isdigit():
        return datetime.fromtimestamp(int(text), tz=timezone.utc)
    if local:
        try:
            return datetime.strptime(text, local[0]).replace(tzinfo=local[1])
        except ValueError:
            pass
    try:
        return datetime.fromisoformat(text.replace('Z', '+00:00'))
    except ValueError:
        return parsedate_to_datetime(text)
