# -*- coding: utf-8 -*-
# Copyright: secops.vulnmgmt contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The polling engine of the Event-Driven Ansible event sources (extensions/eda/plugins/event_source/).

A source is a Poller: poll() reads the API (blocking, through the collection's clients) and returns the new events
and the state after them; run() calls it in a thread every `interval` seconds, puts the events on the queue, then
saves the state (a JSON file when state_file is set), so that a restart emits nothing twice and misses nothing.
Transient API failures (no answer, timeouts, 429, 5xx) are waited out with a bounded exponential backoff; any other
failure (401, 403, a wrong path, a bad option, an unreadable state file) stops the source with a readable SourceError.
Options are validated with the modules' own argument specs, so the connection options read the same environment
variables. No secret is ever logged: the transport redacts its messages, and options are never printed.

Scanner data is hostile. A record field a source reads with the wrong type stops the source with a SourceError naming
the method and the path (check_record), never a traceback. A host name becomes the `limit` field of an event only
when it is a plain host name (Poller.limit, by plugin_utils.trust.host_name_problem). No marking survives the way to
a playbook (ansible-rulebook carries events as JSON, and run_playbook writes them into the extra vars of
ansible-runner as YAML), so before an event is queued (withhold) every string that ansible-core's own
Templar.is_possibly_template calls a template, key or value, is replaced by null (a key: left out with its value) and
its path is listed in the event's `withheld` field.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import asyncio
import json
import logging
import os

from ansible.module_utils.common.arg_spec import ArgumentSpecValidator

from ansible_collections.secops.vulnmgmt.plugins.module_utils.api_module import check_transport_options
from ansible_collections.secops.vulnmgmt.plugins.module_utils.files import replace_file
from ansible_collections.secops.vulnmgmt.plugins.module_utils.listing import expected, kind
from ansible_collections.secops.vulnmgmt.plugins.module_utils.transport import ApiError, connection_warnings, transient
from ansible_collections.secops.vulnmgmt.plugins.plugin_utils import trust

STATE_VERSION = 1
FATAL_STATUSES = {401: 'check the API credentials', 403: 'the API key lacks the rights to read this'}

# Options every polling source has, besides the connection options of its platform.
POLLING_SPEC = dict(
    interval=dict(type='float', default=300.0),
    emit_existing=dict(type='bool', default=False),
    state_file=dict(type='path'),
    max_backoff=dict(type='float', default=900.0),
)


def withheld_copy(value, path, is_template, withheld):
    """value with every string that is_template calls a template replaced by None (a dict entry whose key is one: left
    out), appending the dotted path of each (a key: the path of its object then `*`) to withheld."""
    if isinstance(value, str):
        if is_template(value):
            withheld.append(path)
            return None
        return value
    if isinstance(value, dict):
        clean = {}
        for key, item in value.items():
            if isinstance(key, str) and is_template(key):
                withheld.append('%s.*' % path if path else '*')
                continue
            clean[key] = withheld_copy(item, '%s.%s' % (path, key) if path else str(key), is_template, withheld)
        return clean
    if isinstance(value, (list, tuple)):
        return [withheld_copy(item, '%s.%d' % (path, index) if path else str(index), is_template, withheld)
                for index, item in enumerate(value)]
    return value


def field(payload, path):
    """The value at a dotted path of an event payload, or None."""
    for key in path.split('.'):
        payload = payload.get(key) if isinstance(payload, dict) else None
    return payload


class SourceError(Exception):
    """A failure that stops the source: its message says what to fix and holds no secret."""


NULL = type(None)
TEXT = (str,)
OPTIONAL_TEXT = (str, NULL)
ID = (int, str)
NUMBER = (int, float, NULL)
OPTIONAL_LIST = (list, NULL)


def check_record(source, method, path, record, fields, what='a record'):
    """record, when it is an object whose fields have the expected types ({field: tuple of types}; a field that may be
    missing or null has type(None) among them); else the SourceError that stops the source, naming the method, the
    path and the field."""
    def malformed(problem):
        return SourceError('%s: malformed answer to %s %s: %s' % (source, method, path, problem))

    if not isinstance(record, dict):
        raise malformed('%s is %s, not an object' % (what, kind(record)))
    for field, types in fields.items():
        value = record.get(field)
        if not isinstance(value, types) or (isinstance(value, bool) and bool not in types):
            raise malformed('%s: %s is %s, expected %s' % (
                what, field, 'missing' if field not in record else kind(value), expected(types)))
        if types is ID and value in ('', None):
            raise malformed('%s has an empty %s' % (what, field))
    return record


def validate_options(name, args, spec):
    """The validated options (environment fallbacks and defaults applied); SourceError naming what is wrong."""
    full = dict(spec, **POLLING_SPEC)
    result = ArgumentSpecValidator(full).validate(dict(args or {}))
    problems = list(result.error_messages)
    options = result.validated_parameters
    if not problems:
        check_transport_options(options, problems.append)
        if options['interval'] <= 0:
            problems.append('interval must be a number of seconds greater than 0, got %s' % options['interval'])
        if options['max_backoff'] < options['interval']:
            problems.append('max_backoff (%s) must not be shorter than interval (%s)' % (
                options['max_backoff'], options['interval']))
    if problems:
        raise SourceError('%s: %s' % (name, '; '.join(problems)))
    return options


class StateFile:
    """The JSON state of one source, replaced atomically (write a temporary file, then rename), mode 0600."""

    def __init__(self, path, source):
        self.path = path
        self.source = source

    def load(self):
        """The saved state, or None when the file does not exist yet."""
        try:
            with open(self.path) as handle:
                data = json.load(handle)
        except FileNotFoundError:
            return None
        except (OSError, ValueError) as exc:
            raise SourceError('%s: cannot read state_file %s: %s' % (self.source, self.path, exc))
        if not isinstance(data, dict) or data.get('source') != self.source or data.get('version') != STATE_VERSION:
            raise SourceError('%s: state_file %s is not a version %d state of this source; point state_file to a '
                              'new file' % (self.source, self.path, STATE_VERSION))
        return data.get('state')

    def save(self, state):
        folder = os.path.dirname(os.path.abspath(self.path))
        try:
            os.makedirs(folder, exist_ok=True)
            replace_file(self.path, json.dumps(
                {'source': self.source, 'version': STATE_VERSION, 'state': state}, sort_keys=True).encode('utf-8'), 0o600)
        except OSError as exc:
            raise SourceError('%s: cannot write state_file %s: %s' % (self.source, self.path, exc))


class Poller:
    """Base of a source: options, state (from state_file or None: not polled yet) and the poll loop's hooks."""

    name = 'event source'
    spec = {}
    # Why a string cannot be a job limit, or None.
    host_name_problem = staticmethod(trust.host_name_problem)
    # Whether Ansible could template a string (ansible-core's Templar.is_possibly_template).
    is_template = staticmethod(trust.possibly_template)
    # Dotted paths, in an event payload, of the ids of its records, which the warning of withhold names.
    record_ids = ()

    def __init__(self, args):
        self.options = validate_options(self.name, args, self.spec)
        self.state_file = StateFile(self.options['state_file'], self.name) if self.options['state_file'] else None
        self.state = self.state_file.load() if self.state_file else None
        self.pending = None

    @property
    def baseline(self):
        """True on the first poll without a saved state: it records what exists and emits nothing."""
        return self.state is None and not self.options['emit_existing']

    def poll(self):
        """Read the API; returns the new events and sets self.pending to the state after them."""
        raise NotImplementedError

    def limit(self, record, record_id, name):
        """name when it can be a job `limit` (a plain host name: never `all`, a pattern, `localhost`, a leading `-`);
        else None, with a warning naming the record (the event then has no limit field)."""
        problem = self.host_name_problem(name)
        if problem is None:
            return name
        if isinstance(name, str) and self.is_template(name):
            shown = 'a possible template (withheld)'
        else:
            shown = repr(name if not isinstance(name, str) or len(name) <= 100 else name[:100] + '...')
        logging.getLogger(self.name).warning('%s: %s %s: its events have no limit field: %s cannot be a job limit: %s',
                                             self.name, record, record_id, shown, problem)
        return None

    def withhold(self, event):
        """event ({namespace: payload}) as it may be queued: every string that may be a template (ansible-core's
        Templar.is_possibly_template), key or value, at any depth, is withheld (None; a key: left out with its value)
        and its dotted path listed in payload['withheld'], with one warning naming the records and the paths, never
        the values. No marking survives the way to a playbook (JSON in ansible-rulebook, YAML in the extra vars of
        run_playbook), so a value that could run as Jinja never leaves the source."""
        (namespace, payload), = event.items()
        withheld = []
        clean = withheld_copy(payload, '', self.is_template, withheld)
        if not withheld:
            return event
        clean['withheld'] = withheld
        logging.getLogger(self.name).warning(
            '%s: %s: withheld %s (null in the event): they may be templates, which a playbook would run', self.name,
            ', '.join('%s %r' % (path, field(clean, path)) for path in self.record_ids), ', '.join(withheld))
        return {namespace: clean}

    def commit(self):
        """The events of the last poll are on the queue: their state becomes the state (saved to state_file)."""
        self.state = self.pending
        if self.state_file:
            self.state_file.save(self.state)


def retryable(exc):
    """Transient failures, and a 2xx answer that could not be read (a proxy's error page): worth polling again."""
    return transient(exc) or (exc.status is not None and exc.status < 400) or exc.status == 408


def backoff(interval, failures, max_backoff):
    """Seconds to wait after the n-th failure in a row: interval, doubled each time, at most max_backoff."""
    return min(interval * 2 ** min(failures - 1, 16), max_backoff)


async def run(queue, poller, logger=None):
    """Poll forever: queue the events of each poll, then commit its state; stop only with a SourceError."""
    logger = logger or logging.getLogger(poller.name)
    for warning in connection_warnings(poller.options):
        logger.warning('%s: %s', poller.name, warning)
    interval, max_backoff = poller.options['interval'], poller.options['max_backoff']
    failures = 0
    while True:
        try:
            events = await asyncio.to_thread(poller.poll)
        except ApiError as exc:
            if not retryable(exc):
                hint = FATAL_STATUSES.get(exc.status)
                raise SourceError('%s: %s%s' % (poller.name, exc, ' (%s)' % hint if hint else '')) from None
            failures += 1
            delay = backoff(interval, failures, max_backoff)
            logger.warning('%s: %s; polling again in %.1f s (%d failure(s) in a row)', poller.name, exc, delay,
                           failures)
            await asyncio.sleep(delay)
            continue
        if failures:
            logger.info('%s: the API answers again after %d failure(s)', poller.name, failures)
        failures = 0
        for event in events:
            await queue.put(poller.withhold(event))
        await asyncio.to_thread(poller.commit)
        await asyncio.sleep(interval)
