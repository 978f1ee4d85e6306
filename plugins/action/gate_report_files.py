# -*- coding: utf-8 -*-
# Copyright: secops.vulnmgmt contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""gate_report_files: render a gate summary in each selected format and write the files on the controller, in the
task's worker (no module run). Its options are those documented in plugins/modules/gate_report_files.py."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os
import stat

import yaml
from ansible import constants as C
from ansible.errors import AnsibleActionFail
from ansible.plugins.action import ActionBase
from ansible.plugins.filter.core import to_nice_json

from ansible_collections.secops.vulnmgmt.plugins.filter.gate import gate_junit, gate_report, gate_sarif
from ansible_collections.secops.vulnmgmt.plugins.module_utils.files import replace_file
from ansible_collections.secops.vulnmgmt.plugins.modules.gate_report_files import DOCUMENTATION

FILE_MODE = 0o644
DIR_MODE = 0o755
# format: (file extension, rendering of a summary)
FORMATS = {
    'json': ('json', lambda summary: to_nice_json(summary, sort_keys=True) + '\n'),
    'markdown': ('md', gate_report),
    'sarif': ('sarif', lambda summary: to_nice_json(gate_sarif(summary)) + '\n'),
    'junit': ('junit.xml', gate_junit),
}
SPEC_KEYS = ('type', 'elements', 'choices', 'default', 'required')
ARGUMENT_SPEC = {name: {key: value for key, value in option.items() if key in SPEC_KEYS}
                 for name, option in yaml.safe_load(DOCUMENTATION)['options'].items()}


def file_diff(path, before, after):
    """The diff of one file, or a note that it was skipped (ansible-core's limit, as ansible.builtin.copy)."""
    diff = {'before_header': path, 'after_header': path}
    if len(after) > C.MAX_FILE_SIZE_FOR_DIFF:
        diff['src_larger'] = C.MAX_FILE_SIZE_FOR_DIFF
    elif before is not None and len(before) > C.MAX_FILE_SIZE_FOR_DIFF:
        diff['dst_larger'] = C.MAX_FILE_SIZE_FOR_DIFF
    else:
        diff.update(before=(before or b'').decode('utf-8', 'replace'), after=after.decode('utf-8'))
    return diff


def current(path):
    """(content, mode) of the file at path, or (None, None) when there is none."""
    try:
        with open(path, 'rb') as handle:
            return handle.read(), stat.S_IMODE(os.fstat(handle.fileno()).st_mode)
    except FileNotFoundError:
        return None, None


def write_files(directory, files, check_mode, with_diff):
    """files: [(format, path, content bytes)]. Returns (the files' records, their diffs)."""
    records, diffs = [], []
    if not os.path.isdir(directory) and not check_mode:
        os.makedirs(directory, DIR_MODE)
    for fmt, path, content in files:
        before, mode = current(path)
        changed = before != content or mode != FILE_MODE
        if changed and not check_mode:
            if before == content:
                os.chmod(path, FILE_MODE)
            else:
                replace_file(path, content, FILE_MODE)
        if changed and with_diff and before != content:
            diffs.append(file_diff(path, before, content))
        records.append({'format': fmt, 'path': path, 'changed': changed})
    return records, diffs


class ActionModule(ActionBase):
    """Runs on the controller only: it needs no connection to the task's host."""

    TRANSFERS_FILES = False
    _requires_connection = False

    def run(self, tmp=None, task_vars=None):
        result = super(ActionModule, self).run(tmp, task_vars)
        dummy, args = self.validate_argument_spec(argument_spec=ARGUMENT_SPEC)
        name = args['name']
        if not name or '/' in name or '\x00' in name or name in ('.', '..'):
            raise AnsibleActionFail('name must be a file name without a directory (no / nor NUL, not . or ..), got %r' % name)
        directory = args['dir']
        files = [(fmt, os.path.join(directory, '%s.%s' % (name, FORMATS[fmt][0])),
                  FORMATS[fmt][1](args['summary']).encode('utf-8')) for fmt in dict.fromkeys(args['formats'])]
        try:
            records, diffs = write_files(directory, files, self._task.check_mode, self._task.diff)
        except OSError as error:
            raise AnsibleActionFail('cannot write the reports in %s: %s (%s)' % (
                directory, error.strerror or error, error.filename or directory))
        result.update(changed=any(record['changed'] for record in records), files=records)
        if diffs:
            result['diff'] = diffs
        return result
