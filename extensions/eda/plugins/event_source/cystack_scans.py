# -*- coding: utf-8 -*-
# Copyright: secops.vulnmgmt contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Event-Driven Ansible source: one event per CyStack scan that reached its final status."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
---
short_description: Emit an event when a CyStack scan finishes, with its severity counts
description:
  - Polls the CyStack scans every O(interval) seconds and emits one event per scan that reached its final status
    (C(Stopped)) since the previous poll, with the target and the number of findings per severity.
  - The first poll records the finished scans and emits nothing (O(emit_existing=false)), unless O(state_file) holds
    the state of an earlier run, in which case the scans that finished meanwhile are emitted. The state is saved after
    each poll's events are queued, so a restart with the same O(state_file) emits nothing twice and misses nothing.
  - "Each poll costs one scan listing; each finished scan then costs one scan detail and one read per finding."
  - Transient API failures (no answer, timeouts, HTTP 429 and 5xx) are retried by the transport, then waited out
    with a backoff that starts at O(interval) and doubles up to O(max_backoff). HTTP 401 and 403 stop the source
    with a message that says which call failed. Secrets are never logged.
  - 'The event is C({"cystack": {"scan": {"id", "status", "profile", "description", "start_time", "stop_time"},
    "target": {"id", "address"}, "counts", "counts_excluding_false_positives", "highest_severity", "withheld"}}). The counts
    have C(High), C(Medium), C(Low), C(Information) and C(total); C(highest_severity) is the most severe of the
    findings that are not false positives, or V(null).'
  - C(target.limit) (new in 0.3.0) is the host name of the target address (V(shop.example.com) for
    V(https://shop.example.com/)) when it is a plain inventory host name (letters, digits, C(_), C(.), C(-); not
    C(localhost), a loopback address, C(all) or C(ungrouped); no pattern character such as C(,) C(:) C(*) C(!) C(&)
    C(~) C([) or whitespace; not starting with C(-)). Otherwise it is absent and the source logs a warning naming
    the target id. Use C(target.limit), never C(target.address), as a job C(limit), under a condition that it is
    defined (C(event.cystack.target.limit is defined)).
  - Every string of the event comes from the account or the scanner, and no marking survives the way to a playbook
    (ansible-rulebook carries events as JSON; with C(run_playbook) or C(run_module) it writes them into the extra
    vars of ansible-runner, which ansible-playbook templates on every core). So before an event is emitted, every
    string in it (keys included, at any depth) that ansible-core's own test (C(Templar.is_possibly_template)) calls a
    possible template (it holds C({{), C({%) or C({#)) is withheld. A value becomes V(null); a key is left out with
    its value. Strings are never escaped or altered.
  - 'C(withheld) (new in 0.3.0) lists the dotted paths of what was withheld, for example
    C(["scan.description", "target.address"]) (a key: the path of its object followed by C(.*)); it is absent when
    nothing was. The source then logs one warning naming C(scan.id), C(target.id) and the paths, never the values.
    The event is still emitted, so rules can fire on the ids and the counts; a rule that needs a withheld field can
    test C(event.cystack.withheld is defined).'
  - With C(run_job_template) (AWX, AAP), the controller also marks the extra vars of the launch unsafe, as long as
    its setting "Allow Jinja in extra vars" stays at V(template) (its default; never V(always)).
  - A record with a field of the wrong type (a scan without an id, a target that is not an object, counts that are
    not numbers, ...) stops the source with an error naming the method and the path.
options:
  api_url:
    description: Base URL of the CyStack API. Environment variable E(CYSTACK_API_URL).
    type: str
    default: https://api.cystack.io/v1
  api_key:
    description: CyStack API key. Environment variable E(CYSTACK_API_KEY).
    type: str
    required: true
  validate_certs:
    description: Verify the server TLS certificate. Environment variable E(CYSTACK_VALIDATE_CERTS).
    type: bool
    default: true
  ca_path:
    description: PEM file of the CA of the server certificate. Environment variable E(CYSTACK_CA_PATH).
    type: path
  request_timeout:
    description: Seconds to wait for each request. Environment variable E(CYSTACK_REQUEST_TIMEOUT).
    type: float
    default: 30
  max_retries:
    description: Retries of a request after HTTP 429, 502, 503, 504 or a dropped connection.
      Environment variable E(CYSTACK_MAX_RETRIES).
    type: int
    default: 3
  interval:
    description: Seconds between two polls.
    type: float
    default: 300
  targets:
    description: Only the scans of these targets (ids or addresses); all targets if empty.
    type: list
    elements: str
    default: []
  emit_existing:
    description: Emit the scans already finished at the first poll too, instead of taking them as the baseline.
    type: bool
    default: false
  state_file:
    description:
      - JSON file where the finished scans already emitted are kept between runs (created if missing, mode 0600).
      - Without it, the state lives in memory and every start takes a new baseline.
    type: path
  max_backoff:
    description: Longest wait, in seconds, between two polls while the API keeps failing transiently.
    type: float
    default: 900
'''

EXAMPLES = r'''
- name: Scans that found High findings
  hosts: all
  sources:
    - secops.vulnmgmt.cystack_scans:
        interval: 300
        targets: [https://shop.example.com]
        state_file: /var/lib/eda/cystack-scans.json
  rules:
    - name: Open a ticket
      condition: event.cystack.counts_excluding_false_positives.High > 0
      action:
        run_job_template:
          name: Open a security ticket
          organization: Default
'''

import os
import sys
from urllib.parse import urlsplit  # noqa: E402

try:
    from ansible_collections.secops.vulnmgmt.plugins.plugin_utils import event_source
except ImportError:  # pragma: no cover - ansible-rulebook runs this file by path, outside the collection loader
    sys.path.insert(0, os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), *['..'] * 7)))
    from ansible_collections.secops.vulnmgmt.plugins.plugin_utils import event_source

from ansible_collections.secops.vulnmgmt.plugins.module_utils.cystack_module import (  # noqa: E402
    cystack_argument_spec, cystack_client,
)
from ansible_collections.secops.vulnmgmt.plugins.module_utils.cystack_severities import SEVERITIES  # noqa: E402
from ansible_collections.secops.vulnmgmt.plugins.module_utils.cystack_common import (  # noqa: E402
    FINISHED_STATUS, expand_scans,
)

NAME = 'secops.vulnmgmt.cystack_scans'
SCAN_FIELDS = ('id', 'status', 'profile', 'description', 'start_time', 'stop_time')
SCAN_TYPES = {'id': event_source.ID, 'status': event_source.OPTIONAL_TEXT, 'target': (dict, type(None))}
TARGET_TYPES = {'id': (int, str, type(None)), 'address': event_source.OPTIONAL_TEXT}
COUNTS_TYPES = dict((severity, (int,)) for severity in SEVERITIES + ('total',))


def _address(value):
    return str(value or '').strip().rstrip('/').lower()


def host_of(address):
    """The host name of a target address (a URL, or a bare host name), or None."""
    if not address:
        return None
    try:
        parts = urlsplit(address if '://' in address else '//' + address)
        parts.port                  # noqa: B018  pylint: disable=pointless-statement  # ValueError: not a URL
    except ValueError:
        return None
    return parts.hostname


class CyStackScans(event_source.Poller):
    """State: the ids of the finished scans (of the selected targets) already taken into account."""

    name = NAME
    record_ids = ('scan.id', 'target.id')
    spec = dict(cystack_argument_spec(), targets=dict(type='list', elements='str', default=[]))

    def __init__(self, args):
        super(CyStackScans, self).__init__(args)
        self.client = cystack_client(self.options)
        self.targets = set(_address(t) for t in self.options['targets'])

    def selected(self, scan):
        target = scan.get('target') or {}
        return not self.targets or bool({_address(target.get('id')), _address(target.get('address'))} & self.targets)

    def listed(self):
        """The finished scans, each an object with an id, a status and a target of the expected types."""
        scans = self.client.scans(status=FINISHED_STATUS)
        for scan in scans:
            event_source.check_record(NAME, 'GET', '/scans', scan, SCAN_TYPES, 'a scan')
            event_source.check_record(NAME, 'GET', '/scans', scan.get('target') or {}, TARGET_TYPES,
                                      'the target of scan %s' % scan['id'])
        return scans

    def poll(self):
        finished = [s for s in self.listed() if s.get('status') == FINISHED_STATUS and self.selected(s)]
        known = set(self.state or [])
        new = [] if self.baseline else [s for s in finished if s['id'] not in known]
        events = []
        for scan in expand_scans(self.client, new) if new else []:
            path = '/scans/%s' % scan['id']
            for counts in ('counts', 'counts_excluding_false_positives'):
                event_source.check_record(NAME, 'GET', path, scan.get(counts), COUNTS_TYPES, 'the scan %s' % counts)
            target = scan.get('target') or {}
            event_source.check_record(NAME, 'GET', path, target, TARGET_TYPES, 'the target of the scan')
            clean = scan['counts_excluding_false_positives']
            limit = self.limit('target', target.get('id'), host_of(target.get('address')))
            events.append({'cystack': {
                'scan': dict((k, scan.get(k)) for k in SCAN_FIELDS),
                'target': dict({'id': target.get('id'), 'address': target.get('address')},
                               **({'limit': limit} if limit else {})),
                'counts': scan['counts'], 'counts_excluding_false_positives': clean,
                'highest_severity': next((sev for sev in SEVERITIES if clean.get(sev)), None)}})
        self.pending = sorted(s['id'] for s in finished)
        return events


async def main(queue, args):
    """Poll CyStack and put one event per newly finished scan on queue (see DOCUMENTATION)."""
    await event_source.run(queue, CyStackScans(args))
