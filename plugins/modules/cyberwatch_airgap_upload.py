#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: secops.vulnmgmt contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: cyberwatch_airgap_upload
short_description: Upload the output of Cyberwatch air-gapped scanning scripts for one host
version_added: 0.2.0
description:
  - Posts what the air-gapped scanning scripts (see M(secops.vulnmgmt.cyberwatch_airgap_script_info)) printed on one
    host. Cyberwatch creates the server, or updates the one with the same hostname, and analyses it.
  - With O(kind=vulnerability), C(POST /api/v2/cbw_scans/scripts) with C({"output", "groups"}) answers 201 and the
    C(server_id), as cbw-api-toolbox C(upload_airgapped_results) and C(cyberwatch-cli airgap upload) use it. With
    O(kind=compliance), C(POST /api/v2/compliances/scripts) answers 204 (C(upload_compliance_airgapped_results)).
  - A vulnerability output must carry the C(IDENTIFIER_SCRIPT) and C(IDENTIFIER_HOSTNAME) lines the scripts print;
    otherwise the module fails before any request. The servers named like C(IDENTIFIER_HOSTNAME) are listed first,
    so the result says whether the upload created a new server.
  - Cyberwatch files the output under the host name the output claims, and the output is written by the scanned host
    itself. With O(expected_hostname), the upload is bound to the host that ran the scripts - when a host name the
    output claims (its C(IDENTIFIER_HOSTNAME) and C(HOSTNAME) lines) does not match one of those names, the module
    fails before any request, naming both, unless O(allow_hostname_mismatch=true).
  - This is an action, not a state - every accepted upload reports C(changed=true). In check mode nothing is posted.
  - With O(wait=true), waits until Cyberwatch has analysed the server (its C(analyzed_at) moves past the previous
    analysis and the upload, as the server's clock gives it) and returns its
    CVE counts, so M(secops.vulnmgmt.cyberwatch_server_info) or the R(secops.vulnmgmt.cyberwatch_cve_gate,
    ansible_collections.secops.vulnmgmt.cyberwatch_cve_gate_role) role can follow in the same play.
notes:
  - Needs an API key with write access to air-gapped scans (the upload of the results). Check mode needs read access
    only and sends no write; with a read-only key a real change fails with HTTP 403, naming the missing write access.
    See R(Permissions,ansible_collections.secops.vulnmgmt.docsite.permissions).
author:
  - secops.vulnmgmt maintainers (@secops)
extends_documentation_fragment:
  - secops.vulnmgmt.cyberwatch
attributes:
  check_mode:
    support: full
    description: Checks the output and looks the server up; posts nothing.
  diff_mode:
    support: none
    description: An upload is an action; there is no state to diff.
options:
  output:
    description:
      - Standard output of the scripts run on the host, concatenated (several scripts' outputs in one upload).
    type: str
    required: true
  kind:
    description:
      - V(vulnerability) for the output of the vulnerability scripts, V(compliance) for the compliance script's.
    type: str
    choices: [vulnerability, compliance]
    default: vulnerability
  groups:
    description:
      - Names of Cyberwatch groups to give the server, sent with the output (O(kind=vulnerability)).
    type: list
    elements: str
  expected_hostname:
    description:
      - The name, or names, of the host that ran the scripts (for example its C(ansible_facts.hostname) and
        C(ansible_facts.fqdn)). Every host name the output claims must match one of them; otherwise the module fails
        before any request, naming both.
      - Names match when they are equal ignoring case and a final dot, or when one is a short name (no dot) equal to
        the first label of the other - V(web-01) matches V(WEB-01.example.com), V(web-01.a.example) does not match
        V(web-01.b.example).
      - Unset, the output is uploaded under whatever host name it claims (the behaviour before 0.3.0); the
        R(secops.vulnmgmt.cyberwatch_airgap_scan,ansible_collections.secops.vulnmgmt.cyberwatch_airgap_scan_role)
        role always sets it.
    type: list
    elements: str
    version_added: 0.3.0
  allow_hostname_mismatch:
    description:
      - Upload an output that claims another host name than O(expected_hostname), with a warning naming both.
    type: bool
    default: false
    version_added: 0.3.0
  wait:
    description:
      - Wait until the server is analysed and return its CVE counts (O(kind=vulnerability)).
    type: bool
    default: false
  timeout:
    description:
      - Seconds to wait with O(wait=true); the module fails with the server id (RV(server_id)) and the server as last
        read when they pass.
    type: float
    default: 300
  poll_interval:
    description:
      - Seconds between two reads of the server with O(wait=true).
    type: float
    default: 2
'''

EXAMPLES = r'''
# example: not-run: needs the output of the air-gap scripts run on a host (the cyberwatch_airgap_scan role collects it)
- name: Upload air-gap results
  module_defaults:
    group/secops.vulnmgmt.cyberwatch:
      api_url: https://cyberwatch.example.com
      api_key: "{{ vault_cyberwatch_api_key }}"
      secret_key: "{{ vault_cyberwatch_secret_key }}"
  block:
    - name: Upload the output collected on a host, bound to that host, and wait for the analysis
      secops.vulnmgmt.cyberwatch_airgap_upload:
        output: "{{ collected.stdout }}"
        expected_hostname: ["{{ ansible_facts.hostname }}", "{{ ansible_facts.fqdn }}"]
        groups: [airgap, production]
        wait: true
        timeout: 600
      register: uploaded
      delegate_to: localhost

    - name: Report
      ansible.builtin.debug:
        msg: "server {{ uploaded.server_id }} (new: {{ uploaded.created }}), {{ uploaded.server.cve_announcements_count }} CVEs"

    - name: Upload a compliance output
      secops.vulnmgmt.cyberwatch_airgap_upload:
        kind: compliance
        output: "{{ lookup('ansible.builtin.file', 'results/web-01-compliance.txt') }}"
      delegate_to: localhost
'''

RETURN = r'''
server_id:
  description: Id of the server the upload created or updated (O(kind=vulnerability)). In check mode, the id of the
    existing server, or null when the upload would create one.
  returned: always
  type: int
  sample: 42
created:
  description: Whether the upload created a new server (no server had the output's hostname before);
    null for O(kind=compliance).
  returned: always
  type: bool
  sample: true
hostname:
  description: The C(IDENTIFIER_HOSTNAME) of the output (null for O(kind=compliance)).
  returned: always
  type: str
  sample: web-01
analysed:
  description: Whether the server was seen analysed (O(wait=true)).
  returned: always
  type: bool
  sample: true
server:
  description: The server after the upload (after the analysis with O(wait=true)); null for O(kind=compliance) and
    in check mode for a server that does not exist yet.
  returned: always
  type: dict
  contains:
    id:
      description: Server id.
      type: int
    hostname:
      description: Hostname.
      type: str
    status:
      description: Status.
      type: str
    analyzed_at:
      description: When the server was last analysed.
      type: str
    os:
      description: Operating system, as the API returns it.
      type: dict
    cve_announcements_count:
      description: Number of CVEs of the server.
      type: int
    prioritized_cve_announcements_count:
      description: Number of prioritized CVEs.
      type: int
    updates_count:
      description: Number of available updates.
      type: int
  sample: {"id": 42, "hostname": "web-01", "status": "server_vulnerable", "analyzed_at": "2026-12-01T10:00:00.000+00:00",
           "os": {"key": "debian_12_64"}, "cve_announcements_count": 3, "prioritized_cve_announcements_count": 1,
           "updates_count": 0}
'''

from ansible_collections.secops.vulnmgmt.plugins.module_utils.cyberwatch_module import CyberwatchModule
from ansible_collections.secops.vulnmgmt.plugins.module_utils.cyberwatch_actions import wait_for
from ansible_collections.secops.vulnmgmt.plugins.module_utils.cyberwatch_servers import analysed_after
from ansible_collections.secops.vulnmgmt.plugins.module_utils.cyberwatch_airgap import (
    KINDS, check_output, hostname_mismatch, server_summary, servers_named, upload,
)
from ansible_collections.secops.vulnmgmt.plugins.module_utils.options import Option, OptionSpec
from ansible_collections.secops.vulnmgmt.plugins.module_utils.times import timestamp

SPEC = OptionSpec((
    Option('output', required=True),
    Option('kind', default='vulnerability', choices=list(KINDS)),
    Option('groups', type='list', elements='str', only_with=('kind', ['vulnerability'])),
    Option('expected_hostname', type='list', elements='str'),
    Option('allow_hostname_mismatch', type='bool', default=False),
    Option('wait', type='bool', default=False, only_with=('kind', ['vulnerability'])),
    Option('timeout', type='float', default=300.0, above=0),
    Option('poll_interval', type='float', default=2.0, above=0),
))


def main():
    module = CyberwatchModule(SPEC)
    params = module.params
    kind = params['kind']

    def run():
        hostname = check_output(kind, params['output'])
        if params['expected_hostname'] is not None:
            mismatch = hostname_mismatch(params['output'], params['expected_hostname'])
            if mismatch and not params['allow_hostname_mismatch']:
                raise ValueError('%s: refused before uploading (set allow_hostname_mismatch=true to upload it anyway)'
                                 % mismatch)
            if mismatch:
                module.warn('%s: uploaded anyway (allow_hostname_mismatch=true)' % mismatch)
        result = dict(changed=True, server_id=None, created=None, hostname=hostname, analysed=False, server=None)
        if kind == 'compliance':
            if not module.check_mode:
                upload(module.client, kind, params['output'])  # 204, nothing to return
            return result
        existing = servers_named(module.client, hostname)
        before = existing[0] if len(existing) == 1 else None
        result.update(created=not existing, server_id=before['id'] if before else None,
                      server=server_summary(before) if before else None)
        if module.check_mode:
            return result
        server_id, requested_at = upload(module.client, kind, params['output'], params['groups'])
        result.update(server_id=server_id, created=server_id not in [s.get('id') for s in existing])
        if params['wait']:
            previous = timestamp(before.get('analyzed_at'), strict=False) if before and before['id'] == server_id else None
            server = wait_for(
                module, 'server', {'id': server_id}, lambda latest: analysed_after(latest, previous, requested_at),
                lambda latest: 'server %s was not analysed within %s seconds after the upload' % (
                    server_id, params['timeout']), params['poll_interval'])
            result.update(analysed=True, server=server_summary(server))
        else:
            result['server'] = server_summary(module.client.get('server', server_id))
        return result

    module.run(run)


if __name__ == '__main__':
    main()
