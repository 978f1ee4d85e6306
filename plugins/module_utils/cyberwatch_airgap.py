# -*- coding: utf-8 -*-
# Copyright: secops.vulnmgmt contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Cyberwatch air-gapped scanning: the script routes, OS keys, output checks and the upload.

Routes as cbw-api-toolbox (fetch_airgapped_scripts / fetch_airgapped_script / upload_airgapped_results and the
compliance pair) and cyberwatch-cli ``airgap`` use them: the same paths in both route sets.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os
import re

from ansible_collections.secops.vulnmgmt.plugins.module_utils.cyberwatch import same_key
from ansible_collections.secops.vulnmgmt.plugins.module_utils.cyberwatch_actions import parse_time
from ansible_collections.secops.vulnmgmt.plugins.module_utils.transport import ApiError

SCRIPT_ROUTES = {
    'vulnerability': '/api/v2/cbw_scans/scripts',
    'compliance': '/api/v2/compliances/scripts',
}
KINDS = tuple(SCRIPT_ROUTES)
# OS key (alone, or followed by Cyberwatch's version suffix such as ubuntu_2204_64) -> script family of the
# script type "Scripts::<Family>::<Name>"; the family decides how the role runs the scripts.
OS_FAMILIES = {
    'debian': 'Linux', 'ubuntu': 'Linux', 'rhel': 'Linux', 'centos': 'Linux', 'rocky': 'Linux',
    'almalinux': 'Linux', 'oraclelinux': 'Linux', 'fedora': 'Linux', 'amazon': 'Linux', 'windows': 'Windows',
}
_SUFFIX = re.compile(r'^[a-z0-9]+(_[a-z0-9]+)*$')
_IDENTIFIER = re.compile(r'(IDENTIFIER_[A-Z_]+):([^"\'\s\\)]+)')
_LINE = re.compile(r'^\s*([A-Z][A-Z0-9_]*):(.*)$')


def os_family(os_key):
    """The script family of an accepted OS key; ValueError naming the accepted keys otherwise."""
    key = str(os_key or '').strip().lower()
    for name in sorted(OS_FAMILIES, key=len, reverse=True):
        if key == name or (key.startswith(name + '_') and _SUFFIX.match(key[len(name) + 1:])):
            return OS_FAMILIES[name]
    raise ValueError('os_key %r is not accepted; accepted: %s, alone or followed by the Cyberwatch version suffix '
                     '(for example ubuntu_2204_64, windows_2019_64)' % (os_key, ', '.join(sorted(OS_FAMILIES))))


def script_parts(script_type):
    """("Linux", "DpkgPackages") from "Scripts::Linux::DpkgPackages"; (None, None) when the type is not of that shape."""
    parts = str(script_type or '').split('::')
    if len(parts) != 3:
        return None, None
    return parts[1], parts[2]


def identifiers(text):
    """IDENTIFIER_* names -> first value found in a script's contents or output."""
    found = {}
    for name, value in _IDENTIFIER.findall(text or ''):
        found.setdefault(name, value)
    return found


def describe_script(detail, family=None, filename=None):
    """A fetched script as the modules return it, with the identifiers its contents carry.

    The family and file name come from the type "Scripts::<Family>::<Name>" unless given (the compliance script).
    """
    typed_family, name = script_parts(detail.get('type'))
    family = family or typed_family
    contents = detail.get('contents') or ''
    found = identifiers(contents)
    return {
        'id': detail.get('id'), 'type': detail.get('type'), 'family': family, 'name': filename or name,
        'shell': 'powershell' if family == 'Windows' else 'sh',
        'filename': filename or (name or 'script_%s' % detail.get('id')) + ('.ps1' if family == 'Windows' else '.sh'),
        'contents': contents, 'version': detail.get('version'),
        'attachment': detail.get('attachment', detail.get('attachement')),
        'identifier_script': found.get('IDENTIFIER_SCRIPT'),
        'identifier_script_version': found.get('IDENTIFIER_SCRIPT_VERSION'),
    }


def fetch_scripts(client, os_key, script_id=None):
    """The vulnerability scripts of the OS key's family: the list, then each script (contents and version)."""
    family = os_family(os_key)
    route = SCRIPT_ROUTES['vulnerability']
    query = {'os': os_key}
    if script_id is not None:
        listed = [{'id': script_id}]
    else:
        listed = client.request('GET', route, params=query)
        if not isinstance(listed, list):
            raise ApiError('GET %s: expected a JSON list of scripts, got %s' % (route, type(listed).__name__),
                           method='GET', path=route)
        # A listed type of another family is skipped; an untyped one is fetched and checked below.
        listed = [s for s in listed if script_parts(s.get('type'))[0] in (None, family)]
    scripts = []
    for item in listed:
        detail = client.request('GET', '%s/%s' % (route, item['id']), params=query)
        script = describe_script(detail or {})
        if script['family'] == family:
            scripts.append(script)
        elif script_id is not None:
            raise ValueError('script %s is a %s script (%s), not one for os_key %s (%s)' % (
                script_id, script['family'], script['type'], os_key, family))
    return scripts


def fetch_compliance_script(client, os_key, repositories):
    """The compliance script of an OS key for the given rule repositories, in a list like fetch_scripts'."""
    family = os_family(os_key)
    route = SCRIPT_ROUTES['compliance']
    body = client.request('GET', route, params={'os': os_key, 'repositories[]': list(repositories)})
    if not isinstance(body, dict) or 'script_content' not in body:
        raise ApiError('GET %s: expected an object with filename and script_content' % route, method='GET', path=route)
    return [describe_script({'contents': body.get('script_content')}, family, body.get('filename'))]


def save_scripts(scripts, dest):
    """Write each script into the directory dest (created 0700), as cyberwatch-cli airgap download-scripts does;
    sets each script's path. Returns whether a file was written or changed."""
    if not os.path.isdir(dest):
        os.makedirs(dest, 0o700)
    changed = False
    for script in scripts:
        name = os.path.basename(str(script['filename'] or '')).lstrip('.')
        if not name:
            raise ValueError('script %s has no usable file name (%r)' % (script['id'], script['filename']))
        path = script['path'] = os.path.join(dest, name)
        current = None
        if os.path.exists(path):
            with open(path, encoding='utf-8', newline='') as handle:
                current = handle.read()
        if current != script['contents']:
            with open(path, 'w', encoding='utf-8', newline='') as handle:
                handle.write(script['contents'])
            changed = True
        os.chmod(path, 0o700)
    return changed


def output_facts(output):
    """KEY -> first value of the KEY:VALUE lines of a collected output (IDENTIFIER_* included)."""
    facts = {}
    for line in (output or '').splitlines():
        match = _LINE.match(line)
        if match:
            facts.setdefault(match.group(1), match.group(2).strip())
    return facts


def check_output(kind, output):
    """The hostname a vulnerability output identifies; ValueError naming what is missing, before any request."""
    if not (output or '').strip():
        raise ValueError('output is empty: run the scripts of cyberwatch_airgap_script_info on the host and pass '
                         'their standard output')
    if kind == 'compliance':
        return None
    facts = output_facts(output)
    missing = [name for name in ('IDENTIFIER_SCRIPT', 'IDENTIFIER_HOSTNAME') if not facts.get(name)]
    if missing:
        raise ValueError('output has no %s line: it is not the output of Cyberwatch air-gap scripts (first line: %r)'
                         % (' and no '.join(missing), (output.strip().splitlines() or [''])[0][:120]))
    return facts['IDENTIFIER_HOSTNAME']


def servers_named(client, hostname):
    """The servers whose hostname is hostname (case-insensitive), as listed."""
    return [s for s in client.list('server', {'hostname': hostname}) if same_key(s.get('hostname'), hostname, True)]


def upload(client, kind, output, groups=None):
    """POST the output; (server id or None for compliance (204), the server-clock time of the answer)."""
    body = {'output': output}
    if groups:
        body['groups'] = list(groups)
    route = SCRIPT_ROUTES[kind]
    dummy, answer, headers, dummy_response = client.http.request('POST', route, json_body=body)
    requested_at = parse_time(headers.get('Date'))
    if kind == 'compliance':
        return None, requested_at
    server_id = answer.get('server_id') if isinstance(answer, dict) else None
    if server_id is None:
        raise ApiError('POST %s: the answer has no server_id: %s' % (route, str(answer)[:200]), method='POST',
                       path=route)
    return int(server_id), requested_at


def server_summary(server):
    """The fields of a server a scan report shows."""
    keys = ('id', 'hostname', 'status', 'analyzed_at', 'os', 'cve_announcements_count',
            'prioritized_cve_announcements_count', 'updates_count')
    return dict((key, (server or {}).get(key)) for key in keys)
