"""The gate_report_files action: its option spec (read from the module's docs), what it writes, when it changes
nothing, check mode, diffs and its errors. Through ansible-playbook on every core: tests/integration/test_gate_outputs.py
(test_report_files_in_check_mode_then_written_then_unchanged); the gate roles' reports with hostile data:
tests/integration/test_hostile_fleet.py."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import os
import stat
from types import SimpleNamespace
from unittest.mock import MagicMock

import pytest

from ansible import constants as C
from ansible.errors import AnsibleActionFail
from ansible_collections.secops.vulnmgmt.plugins.action.gate_report_files import ARGUMENT_SPEC, ActionModule, write_files
from ansible_collections.secops.vulnmgmt.plugins.filter.gate import gate_evaluate, gate_junit, gate_report

SUMMARY = gate_evaluate([{'subject': 'shop.example.com', 'id': 'CVE-2024-3094', 'severity': 'critical'}],
                        {'critical': 0}, today='2030-06-15', name='shop')


def mode(path):
    return stat.S_IMODE(os.stat(path).st_mode)


def run(args, check_mode=False, diff=False):
    task = SimpleNamespace(args=args, check_mode=check_mode, diff=diff, async_val=0)
    action = ActionModule(task, MagicMock(), MagicMock(), None, None, None)
    return action.run(task_vars={})


def test_the_options_are_those_documented():
    assert ARGUMENT_SPEC == {
        'summary': {'type': 'dict', 'required': True},
        'dir': {'type': 'path', 'required': True},
        'name': {'type': 'str', 'default': 'gate'},
        'formats': {'type': 'list', 'elements': 'str', 'choices': ['json', 'markdown', 'sarif', 'junit'],
                    'default': ['json', 'markdown', 'sarif', 'junit']},
    }


def test_writes_each_format_then_changes_nothing(tmp_path):
    directory = tmp_path / 'reports' / 'gate'
    result = run({'summary': SUMMARY, 'dir': str(directory), 'name': 'shop'})
    names = ['shop.json', 'shop.md', 'shop.sarif', 'shop.junit.xml']
    assert result['changed'] and [f['path'] for f in result['files']] == [str(directory / n) for n in names]
    assert sorted(os.listdir(directory)) == sorted(names) and mode(directory) == 0o755 & ~current_umask()
    assert all(mode(directory / n) == 0o644 for n in names)
    assert json.loads((directory / 'shop.json').read_text()) == SUMMARY
    assert (directory / 'shop.json').read_text().endswith('}\n')
    assert (directory / 'shop.md').read_text() == gate_report(SUMMARY)
    assert (directory / 'shop.junit.xml').read_text() == gate_junit(SUMMARY)
    assert json.loads((directory / 'shop.sarif').read_text())['version'] == '2.1.0'

    again = run({'summary': SUMMARY, 'dir': str(directory), 'name': 'shop'}, diff=True)
    assert not again['changed'] and 'diff' not in again and not any(f['changed'] for f in again['files'])


def test_a_wrong_mode_alone_is_a_change(tmp_path):
    run({'summary': SUMMARY, 'dir': str(tmp_path), 'formats': ['markdown']})
    os.chmod(tmp_path / 'gate.md', 0o600)
    result = run({'summary': SUMMARY, 'dir': str(tmp_path), 'formats': ['markdown']}, diff=True)
    assert result['changed'] and 'diff' not in result and mode(tmp_path / 'gate.md') == 0o644


def test_check_mode_writes_nothing_and_diffs(tmp_path):
    directory = tmp_path / 'new'
    result = run({'summary': SUMMARY, 'dir': str(directory), 'formats': ['junit', 'json']}, check_mode=True, diff=True)
    assert result['changed'] and not directory.exists()
    assert [f['format'] for f in result['files']] == ['junit', 'json']
    junit = result['diff'][0]
    assert junit['before'] == '' and junit['after'] == gate_junit(SUMMARY) and junit['after_header'].endswith('.junit.xml')


def test_a_large_file_says_its_diff_was_skipped():
    records, diffs = write_files('/nonexistent-dir', [('json', '/nonexistent-dir/x.json', b'x' * (C.MAX_FILE_SIZE_FOR_DIFF + 1))],
                                 check_mode=True, with_diff=True)
    assert records[0]['changed'] and diffs == [{'before_header': '/nonexistent-dir/x.json',
                                                'after_header': '/nonexistent-dir/x.json',
                                                'src_larger': C.MAX_FILE_SIZE_FOR_DIFF}]


@pytest.mark.parametrize('name', ['../gate', 'a/b', '.', '..', '', 'a\x00b'])
def test_a_name_with_a_directory_is_refused_before_anything_is_written(tmp_path, name):
    with pytest.raises(AnsibleActionFail, match=r'name must be a file name without a directory .*got'):
        run({'summary': SUMMARY, 'dir': str(tmp_path / 'out'), 'name': name})
    assert not (tmp_path / 'out').exists()


def test_bad_options_name_the_option():
    with pytest.raises(AnsibleActionFail, match='formats'):
        run({'summary': SUMMARY, 'dir': '/tmp', 'formats': ['pdf']})
    with pytest.raises(AnsibleActionFail, match='summary'):
        run({'dir': '/tmp'})


def test_a_directory_that_cannot_be_made_is_a_clear_error(tmp_path):
    (tmp_path / 'file').write_text('')
    with pytest.raises(AnsibleActionFail, match=r'cannot write the reports in .*/file/out: .*file/out'):
        run({'summary': SUMMARY, 'dir': str(tmp_path / 'file' / 'out')})


def current_umask():
    umask = os.umask(0)
    os.umask(umask)
    return umask
