# -*- coding: utf-8 -*-
# Copyright: secops.vulnmgmt contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Module options declared once: each Option gives its argument-spec entry and the rules its value must meet.

AnsibleModule checks type, choices and required; the rules here (non-empty, range, pattern, a check of one's own,
"only with") are checked next, before any request, and every failure has one wording:
"<option> must be <what is accepted>, got <value>".
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import copy


class Option:
    """One module option.

    type, required, default, choices, aliases, elements, options (suboptions), mutually_exclusive (between
    suboptions), no_log and fallback are AnsibleModule's. The rules: nonempty rejects a blank string; minimum and
    maximum bound a number, above bounds it strictly; pattern (a compiled regex, with accepted: what it accepts, in
    words) must match the value, or each element of a list; check(value) returns a problem in words, or None;
    only_with=(option, values) accepts the option only when that other option has one of values (a flag: only when
    it is true).
    """

    def __init__(self, name, type='str', required=False, default=None, choices=None, aliases=None, elements=None,
                 options=None, mutually_exclusive=None, no_log=None, fallback=None, nonempty=False, minimum=None,
                 maximum=None, above=None, pattern=None, accepted=None, check=None, only_with=None):
        self.name = name
        self.argument = dict((key, value) for key, value in (
            ('type', type), ('required', required or None), ('default', default), ('choices', choices),
            ('aliases', aliases), ('elements', elements), ('options', options),
            ('mutually_exclusive', mutually_exclusive), ('no_log', no_log), ('fallback', fallback)) if value is not None)
        self.type = type
        self.nonempty = nonempty
        self.minimum = minimum
        self.maximum = maximum
        self.above = above
        self.pattern = pattern
        self.accepted = accepted
        self.check = check
        self.only_with = only_with

    def problem(self, params):
        """Why params[name] breaks a rule of this option, in words, or None (an unset option breaks none)."""
        value = params.get(self.name)
        if value is None:
            return None
        if self.only_with is not None and value is not False:
            other, allowed = self.only_with
            if params.get(other) not in allowed:
                return '%s is only accepted with %s=%s, not %s=%s' % (
                    self.name, other, '|'.join(str(a) for a in allowed), other, params.get(other))
        values = value if isinstance(value, list) else [value]
        if self.nonempty and any(isinstance(v, str) and not v.strip() for v in values):
            return self._must(self.accepted or 'a non-empty string', value)
        out_of_range = [v for v in values if not self._in_range(v)]
        if out_of_range:
            return self._must(self._range_words(), out_of_range if isinstance(value, list) else value)
        if self.pattern is not None:
            wrong = [v for v in values if not self.pattern.match(str(v).strip())]
            if wrong:
                return self._must(self.accepted, wrong if isinstance(value, list) else value)
        return self.check(value) if self.check else None

    def _must(self, accepted, got):
        if isinstance(got, list):
            return '%s must be %s, got %s' % (self.name, accepted, ', '.join(repr(g) for g in got))
        return '%s must be %s, got %r' % (self.name, accepted, got)

    def _in_range(self, value):
        if not isinstance(value, (int, float)) or isinstance(value, bool):
            return True
        return ((self.minimum is None or value >= self.minimum) and (self.maximum is None or value <= self.maximum)
                and (self.above is None or value > self.above))

    def _range_words(self):
        kind = 'an integer' if self.argument.get('elements', self.type) == 'int' else 'a number'
        if self.above is not None:
            return '%s greater than %s' % (kind, self.above)
        if self.maximum is None:
            return '%s of %s or more' % (kind, self.minimum)
        if self.minimum is None:
            return '%s of %s or less' % (kind, self.maximum)
        return '%s between %s and %s' % (kind, self.minimum, self.maximum)


def problem_of(convert):
    """An Option check from a function that reads a value or raises ValueError saying why it cannot."""
    def check(value):
        try:
            convert(value)
        except ValueError as exc:
            return str(exc)
        return None
    return check


def max_workers(default):
    """The max_workers option of a module that fetches concurrently: 1 to 32 everywhere (the inventory plugins too)."""
    return Option('max_workers', type='int', default=default, minimum=1, maximum=32)


class OptionSpec:
    """The options of a module and AnsibleModule's rules between them (mutually_exclusive, required_one_of, ...).

    states, when given, adds the state option: its choices, the first being the default.
    """

    def __init__(self, options=(), states=None, **rules):
        self.options = tuple(options)
        self.states = tuple(states or ())
        self.rules = rules

    def all_options(self):
        return self.options

    def with_options(self, *options):
        """A copy with more options: a module adding its own to a shared declaration."""
        extended = copy.copy(self)
        extended.options = self.options + options
        return extended

    def argument_spec(self):
        spec = dict((option.name, dict(option.argument)) for option in self.all_options())
        if self.states:
            spec['state'] = dict(type='str', default=self.states[0], choices=list(self.states))
        return spec

    def problems(self, params):
        """Every rule params break, in words, in the order of the options."""
        return [p for p in (option.problem(params) for option in self.all_options()) if p]
