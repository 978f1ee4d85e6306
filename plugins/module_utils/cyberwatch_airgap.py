# -*- coding: utf-8 -*-
# Copyright: secops.vulnmgmt contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Cyberwatch air-gapped scanning: the script routes, OS keys, output checks and the upload.

Routes as cbw-api-toolbox (fetch_airgapped_scripts / fetch_airgapped_script / upload_airgapped_results and the
compliance pair) and cyberwatch-cli ``airgap`` use them: the same paths in both route sets.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import hashlib
import os
import re
import stat

from ansible_collections.secops.vulnmgmt.plugins.module_utils.cyberwatch import same_key
from ansible_collections.secops.vulnmgmt.plugins.module_utils.files import replace_file
from ansible_collections.secops.vulnmgmt.plugins.module_utils.times import timestamp
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
# A script name from the API becomes a file name on the controller and a word of the command that runs it on the host.
SCRIPT_NAME = re.compile(r'[A-Za-z0-9_.-]+\Z')
SCRIPT_NAME_RULE = 'letters, digits, "_", "." and "-" only, not "." or ".."'
# The output lines that name the host the output is filed under.
HOSTNAME_KEYS = ('IDENTIFIER_HOSTNAME', 'HOSTNAME')


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
    if not isinstance(contents, str):
        raise ValueError('script %s: its contents are a %s, not text' % (detail.get('id'), type(contents).__name__))
    found = identifiers(contents)
    return {
        'id': detail.get('id'), 'type': detail.get('type'), 'family': family, 'name': filename or name,
        'shell': 'powershell' if family == 'Windows' else 'sh',
        'filename': filename or (name or 'script_%s' % detail.get('id')) + ('.ps1' if family == 'Windows' else '.sh'),
        'contents': contents, 'sha256': hashlib.sha256(contents.encode('utf-8')).hexdigest(),
        'version': detail.get('version'),
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


def _script_label(script):
    return 'script %s' % script['id'] if script.get('id') is not None else 'the compliance script'


def check_scripts(scripts):
    """Refuse, before anything is written, returned or run, a script whose name is not a plain file name and two
    scripts with the same file name (compared case-insensitively: they would share one file on Windows)."""
    seen = {}
    for script in scripts:
        for name in (script['name'], script['filename']):
            if name is not None and (not isinstance(name, str) or not SCRIPT_NAME.match(name) or name in ('.', '..')):
                raise ValueError('%s has the name %r, which is refused: a script name has %s'
                                 % (_script_label(script), name, SCRIPT_NAME_RULE))
        twin = seen.setdefault(script['filename'].lower(), script)
        if twin is not script:
            raise ValueError('%s and %s have the same file name %r (compared case-insensitively): both are refused, '
                             'nothing is saved or run' % (_script_label(twin), _script_label(script), script['filename']))
    return scripts


def dest_problem(dest):
    """Why dest cannot hold the scripts, or None: it must be an existing directory (not a symbolic link) owned by
    the user the module runs as, with no access for the group or others."""
    try:
        info = os.lstat(dest)
    except OSError as exc:
        return 'it cannot be read (%s)' % (exc.strerror or exc)
    if not stat.S_ISDIR(info.st_mode):
        return 'it is not a directory' + (' (a symbolic link)' if stat.S_ISLNK(info.st_mode) else '')
    if info.st_uid != os.geteuid():
        return 'it is owned by uid %s, not by the user the module runs as (uid %s)' % (info.st_uid, os.geteuid())
    if info.st_mode & 0o077:
        return 'its mode %04o gives access to the group or others' % stat.S_IMODE(info.st_mode)
    return None


def check_dest(dest):
    """ValueError naming dest and what is accepted, unless dest_problem finds nothing."""
    problem = dest_problem(dest)
    if problem:
        raise ValueError('dest %r is refused: %s. Accepted: an existing directory (not a symbolic link) owned by the '
                         'user the module runs as, with no group or other access (for example mode 0700)'
                         % (dest, problem))


def _saved_text(path):
    """The text of path when it is a script as save_scripts leaves it (a regular file, mode 0700, one link), or None:
    missing, a symbolic or hard link, or anything else is rewritten."""
    try:
        handle = os.open(path, os.O_RDONLY | getattr(os, 'O_NOFOLLOW', 0) | getattr(os, 'O_NONBLOCK', 0))
    except OSError:
        return None
    with os.fdopen(handle, 'rb') as stream:
        info = os.fstat(stream.fileno())
        if not stat.S_ISREG(info.st_mode) or stat.S_IMODE(info.st_mode) != 0o700 or info.st_nlink != 1:
            return None
        return stream.read().decode('utf-8', 'replace')


def save_scripts(scripts, dest):
    """Write each script (checked by check_scripts) into dest (checked by check_dest), readable and executable by its
    owner only, as cyberwatch-cli airgap download-scripts does; sets each script's path. A file is written to a new
    private temporary file in dest, then renamed over its name: a link planted there is replaced, never followed.
    Returns whether a file was written or changed."""
    check_dest(dest)
    changed = False
    for script in scripts:
        path = script['path'] = os.path.join(dest, script['filename'])
        if _saved_text(path) == script['contents']:
            continue
        try:
            replace_file(path, script['contents'].encode('utf-8'), 0o700)
        except OSError as exc:
            raise ValueError('dest %r: cannot write %s: %s' % (dest, script['filename'], exc.strerror or exc))
        changed = True
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


def claimed_hostnames(output):
    """Every distinct host name the output claims (its IDENTIFIER_HOSTNAME and HOSTNAME lines), in order."""
    claimed = []
    for line in (output or '').splitlines():
        match = _LINE.match(line)
        if match and match.group(1) in HOSTNAME_KEYS and match.group(2).strip() not in claimed:
            claimed.append(match.group(2).strip())
    return claimed


def same_host(claimed, expected):
    """Whether two host names name the same host: equal ignoring case and a final dot, or one is a short name (no
    dot) equal to the first label of the other (web-01 and web-01.example.com; not web-01.a.com and web-01.b.com)."""
    claimed, expected = (str(name).strip().rstrip('.').lower() for name in (claimed, expected))
    if not claimed or not expected:
        return False
    if claimed == expected:
        return True
    if '.' in claimed and '.' in expected:
        return False
    return claimed.split('.')[0] == expected.split('.')[0]


def hostname_mismatch(output, expected):
    """The message refusing an output not bound to the expected host names, or None when every host name the output
    claims matches one of them (same_host)."""
    expected = [name.strip() for name in expected if name and name.strip()]
    if not expected:
        raise ValueError('expected_hostname has no name: give the name (or names) of the host that ran the scripts')
    claimed = claimed_hostnames(output)
    if not claimed:
        return 'the output claims no host name (no %s line), so it cannot be bound to %s' % (
            ' or '.join(HOSTNAME_KEYS), ' or '.join(repr(name) for name in expected))
    foreign = [name for name in claimed if not any(same_host(name, known) for known in expected)]
    if not foreign:
        return None
    return 'the output claims the host name %s, but the host that ran the scripts is %s' % (
        ' and '.join(repr(name) for name in foreign), ' or '.join(repr(name) for name in expected))


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
    requested_at = timestamp(headers.get('Date'), strict=False)
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
