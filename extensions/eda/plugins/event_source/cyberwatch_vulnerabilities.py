# -*- coding: utf-8 -*-
# Copyright: secops.vulnmgmt contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Event-Driven Ansible source: one event per CVE newly detected on a Cyberwatch server."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
---
short_description: Emit an event for each CVE newly detected on a Cyberwatch server
description:
  - Polls the Cyberwatch servers every O(interval) seconds and emits one event per CVE that appeared on a server
    since the previous poll, when its level is at least O(min_level). A CVE that is ignored or fixed on the server
    does not count; if it comes back later, it is new again.
  - The first poll records what exists and emits nothing (O(emit_existing=false)), unless O(state_file) holds the
    state of an earlier run, in which case the CVEs that appeared meanwhile are emitted. The state is saved after
    each poll's events are queued, so a restart with the same O(state_file) emits nothing twice and misses nothing.
  - "Each poll costs one server listing, one server detail per selected server that is new or whose C(analyzed_at),
    C(cve_announcements_count), C(prioritized_cve_announcements_count) or C(updates_count) changed since the previous
    poll of this process (every selected server on the first poll), and one CVE read per CVE code not seen before by
    this process."
  - Transient API failures (no answer, timeouts, HTTP 429 and 5xx) are retried by the transport, then waited out
    with a backoff that starts at O(interval) and doubles up to O(max_backoff). HTTP 401 and 403 stop the source
    with a message that says which call failed. Secrets are never logged.
  - 'The event is C({"cyberwatch": {"server": {"id", "hostname", "groups", "limit"}, "cve": {"code", "level",
    "score", "exploitable"}, "detected_at", "withheld"}}), C(groups) being the names of the server groups and C(level) one of
    V(critical), V(high), V(medium), V(low) or V(unknown).'
  - C(server.limit) (new in 0.3.0) is the server hostname when it is a plain inventory host name (letters, digits,
    C(_), C(.), C(-); not C(localhost), a loopback address, C(all) or C(ungrouped); no pattern character such as
    C(,) C(:) C(*) C(!) C(&) C(~) C([) or whitespace; not starting with C(-)). Otherwise it is absent and the source
    logs a warning naming the server id. Use C(server.limit), never C(server.hostname), as a job C(limit), under a
    condition that it is defined (C(event.cyberwatch.server.limit is defined)), so that a hostname such as C(all)
    or C(a,b) never widens a job.
  - Every string of the event comes from the scanned hosts or the scanner, and no marking survives the way to a
    playbook (ansible-rulebook carries events as JSON; with C(run_playbook) or C(run_module) it writes them into the
    extra vars of ansible-runner, which ansible-playbook templates on every core). So before an event is emitted,
    every string in it (keys included, at any depth) that ansible-core's own test (C(Templar.is_possibly_template))
    calls a possible template (it holds C({{), C({%) or C({#)) is withheld. A value becomes V(null); a key is left
    out with its value. Strings are never escaped or altered.
  - 'C(withheld) (new in 0.3.0) lists the dotted paths of what was withheld, for example
    C(["server.hostname", "server.groups.1", "cve.code"]) (a key: the path of its object followed by C(.*)); it is
    absent when nothing was. The source then logs one warning naming C(server.id), C(cve.code) and the paths, never
    the values. The event is still emitted, so rules can fire on the ids, the level and the score; a rule that needs
    a withheld field can test C(event.cyberwatch.withheld is defined).'
  - With C(run_job_template) (AWX, AAP), the controller also marks the extra vars of the launch unsafe, as long as
    its setting "Allow Jinja in extra vars" stays at V(template) (its default; never V(always)).
  - A record with a field of the wrong type (a server without an id, C(cve_announcements) that is not a list of
    objects, ...) stops the source with an error naming the method and the path.
options:
  api_url:
    description: Base URL of the Cyberwatch server. Environment variables E(CYBERWATCH_API_URL), E(CBW_API_URL).
    type: str
    required: true
  api_key:
    description: Id of the Cyberwatch API key. Environment variables E(CYBERWATCH_API_KEY), E(CBW_API_KEY).
    type: str
    required: true
  secret_key:
    description: Secret of the Cyberwatch API key. Environment variables E(CYBERWATCH_SECRET_KEY), E(CBW_SECRET_KEY).
    type: str
    required: true
  auth_method:
    description: V(hmac) or V(basic), as for the modules. Environment variable E(CYBERWATCH_AUTH_METHOD).
    type: str
    choices: [hmac, basic]
    default: hmac
  api_routes:
    description: V(current) or V(legacy) API routes. Environment variable E(CYBERWATCH_API_ROUTES).
    type: str
    choices: [current, legacy]
    default: current
  validate_certs:
    description: Verify the server TLS certificate. Environment variable E(CYBERWATCH_VALIDATE_CERTS).
    type: bool
    default: true
  ca_path:
    description: PEM file of the CA of the server certificate. Environment variable E(CYBERWATCH_CA_PATH).
    type: path
  request_timeout:
    description: Seconds to wait for each request. Environment variable E(CYBERWATCH_REQUEST_TIMEOUT).
    type: float
    default: 30
  max_retries:
    description: Retries of a request after HTTP 429, 502, 503, 504 or a dropped connection.
      Environment variable E(CYBERWATCH_MAX_RETRIES).
    type: int
    default: 3
  interval:
    description: Seconds between two polls.
    type: float
    default: 300
  min_level:
    description:
      - Lowest CVE level that emits an event. CVEs of unknown level count as V(low).
      - The API's names V(level_low), V(level_medium), V(level_high) and V(level_critical) are accepted as aliases.
    type: str
    choices: [low, medium, high, critical, level_low, level_medium, level_high, level_critical]
    default: high
  group:
    description: Only the servers in at least one of these groups (names, case-insensitive); all servers if empty.
    type: list
    elements: str
    default: []
  emit_existing:
    description: Emit the CVEs present at the first poll too, instead of taking them as the baseline.
    type: bool
    default: false
  state_file:
    description:
      - JSON file where the CVEs already seen on each server are kept between runs (created if missing, mode 0600).
      - Without it, the state lives in memory and every start takes a new baseline.
    type: path
  max_backoff:
    description: Longest wait, in seconds, between two polls while the API keeps failing transiently.
    type: float
    default: 900
'''

EXAMPLES = r'''
- name: Critical CVEs on production servers
  hosts: all
  sources:
    - secops.vulnmgmt.cyberwatch_vulnerabilities:
        interval: 600
        min_level: critical
        group: [production]
        state_file: /var/lib/eda/cyberwatch-production.json
  rules:
    - name: Patch the server
      condition: event.cyberwatch.cve.level == "critical" and event.cyberwatch.server.limit is defined
      action:
        run_job_template:
          name: Patch a server
          organization: Default
          job_args:
            limit: "{{ event.cyberwatch.server.limit }}"
            extra_vars:
              cve: "{{ event.cyberwatch.cve.code }}"
    - name: A server whose hostname cannot be a job limit
      condition: event.cyberwatch.cve.level == "critical" and event.cyberwatch.server.limit is not defined
      action:
        debug:
          msg: "Cyberwatch server {{ event.cyberwatch.server.id }} needs a manual patch"
'''

import os
import sys

try:
    from ansible_collections.secops.vulnmgmt.plugins.plugin_utils import event_source
except ImportError:  # pragma: no cover - ansible-rulebook runs this file by path, outside the collection loader
    sys.path.insert(0, os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), *['..'] * 7)))
    from ansible_collections.secops.vulnmgmt.plugins.plugin_utils import event_source

from ansible_collections.secops.vulnmgmt.plugins.module_utils.cyberwatch_module import (  # noqa: E402
    cyberwatch_argument_spec, cyberwatch_client,
)
from ansible_collections.secops.vulnmgmt.plugins.module_utils.cyberwatch import RESOURCES  # noqa: E402
from ansible_collections.secops.vulnmgmt.plugins.module_utils.cyberwatch_servers import (  # noqa: E402
    analysis_key, changed_details,
)
from ansible_collections.secops.vulnmgmt.plugins.plugin_utils.event_source import (  # noqa: E402
    ID, NUMBER, OPTIONAL_LIST, OPTIONAL_TEXT, TEXT, check_record,
)

NAME = 'secops.vulnmgmt.cyberwatch_vulnerabilities'
LEVELS = ('low', 'medium', 'high', 'critical')
MAX_WORKERS = 4


def level_of(value):
    """'level_critical' -> 'critical'; anything unknown -> 'unknown'."""
    text = str(value or '').lower()
    text = text[len('level_'):] if text.startswith('level_') else text
    return text if text in LEVELS else 'unknown'


class CyberwatchVulnerabilities(event_source.Poller):
    """State: {server id: [active CVE codes]} of the selected servers. self.analyses: {server id: analysis_key} of the
    listing the state was read from (in memory only: after a restart, the first poll reads every detail)."""

    name = NAME
    record_ids = ('server.id', 'cve.code')
    spec = dict(cyberwatch_argument_spec(),
                min_level=dict(type='str', default='high', choices=list(LEVELS) + ['level_' + level for level in LEVELS]),
                group=dict(type='list', elements='str', default=[]))

    def __init__(self, args):
        super(CyberwatchVulnerabilities, self).__init__(args)
        self.client = cyberwatch_client(self.options)
        self.min_rank = LEVELS.index(level_of(self.options['min_level']))
        self.groups = set(g.lower() for g in self.options['group'])
        self.cves = {}
        self.analyses = {}
        self.pending_analyses = {}

    def selected(self, server):
        names = set(g['name'].lower() for g in server.get('groups') or [])
        return not self.groups or bool(names & self.groups)

    def cve(self, code):
        """Level, score and exploitability of a CVE (read once per process)."""
        if code not in self.cves:
            cve = self.client.get('cve_announcement', code)
            self.cves[code] = {} if cve is None else check_record(
                NAME, 'GET', self.client.path(RESOURCES['cve_announcement'], code), cve,
                {'level': OPTIONAL_TEXT, 'score': NUMBER}, 'the CVE announcement')
        return self.cves[code]

    def active(self, server):
        """{code: CVE of the server's detail} of its active CVEs (neither ignored nor fixed); None: server deleted."""
        detail = self.client.get('server', server['id'])
        if detail is None:
            return None
        path = self.client.path(RESOURCES['server'], server['id'])
        check_record(NAME, 'GET', path, detail, {'cve_announcements': (list,)}, 'the server detail')
        for entry in detail['cve_announcements']:
            check_record(NAME, 'GET', path, entry, {'cve_code': TEXT, 'detected_at': OPTIONAL_TEXT},
                         'an entry of cve_announcements')
        return dict((c['cve_code'], c) for c in detail['cve_announcements']
                    if c['cve_code'] and not c.get('ignored') and not c.get('fixed_at'))

    def listed(self):
        """The servers of the listing, each an object with an id, a hostname and groups of the expected types."""
        servers = self.client.list('server')
        path = self.client.path(RESOURCES['server'])
        for server in servers:
            check_record(NAME, 'GET', path, server, {'id': ID, 'hostname': OPTIONAL_TEXT, 'groups': OPTIONAL_LIST},
                         'a server')
            for group in server.get('groups') or []:
                check_record(NAME, 'GET', path, group, {'name': TEXT}, 'a group of server %s' % server['id'])
        return servers

    def poll(self):
        servers = [s for s in self.listed() if self.selected(s)]
        known = self.state or {}
        # A server whose listed analysis and counts did not change keeps its known codes (no new CVE, no detail read).
        reuse = dict((server_id, (key, dict.fromkeys(known[str(server_id)])))
                     for server_id, key in self.analyses.items() if str(server_id) in known)
        actives, dummy = changed_details(servers, reuse, self.active, MAX_WORKERS)
        current, analyses, events = {}, {}, []
        for server, active in zip(servers, actives):
            if active is None:      # deleted between the listing and its detail
                continue
            key = str(server['id'])
            current[key] = sorted(active)
            analyses[server['id']] = analysis_key(server)
            if self.baseline:
                continue
            for code in sorted(set(active) - set(known.get(key, []))):
                cve = self.cve(code)
                level = level_of(cve.get('level'))
                if LEVELS.index(level if level in LEVELS else 'low') < self.min_rank:
                    continue
                limit = self.limit('server', server['id'], server.get('hostname'))
                events.append({'cyberwatch': {
                    'server': dict({'id': server['id'], 'hostname': server.get('hostname'),
                                    'groups': [g['name'] for g in server.get('groups') or []]},
                                   **({'limit': limit} if limit else {})),
                    'cve': {'code': code, 'level': level, 'score': cve.get('score'),
                            'exploitable': bool(cve.get('exploitable'))},
                    'detected_at': active[code].get('detected_at')}})
        self.pending, self.pending_analyses = current, analyses
        return events

    def commit(self):
        super(CyberwatchVulnerabilities, self).commit()
        self.analyses = self.pending_analyses


async def main(queue, args):
    """Poll Cyberwatch and put one event per newly detected CVE on queue (see DOCUMENTATION)."""
    await event_source.run(queue, CyberwatchVulnerabilities(args))
