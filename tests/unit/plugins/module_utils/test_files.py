"""replace_file: the one writer of the report files, the event sources' state and the air-gap scripts."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os
import stat

import pytest

from ansible_collections.secops.vulnmgmt.plugins.module_utils.files import replace_file


def test_a_planted_link_is_replaced_and_its_target_left_alone(tmp_path):
    target = tmp_path / 'elsewhere'
    target.write_text('keep')
    (tmp_path / 'report.md').symlink_to(target)
    replace_file(str(tmp_path / 'report.md'), b'new', 0o644)
    assert not (tmp_path / 'report.md').is_symlink() and (tmp_path / 'report.md').read_bytes() == b'new'
    assert target.read_text() == 'keep' and stat.S_IMODE(os.stat(tmp_path / 'report.md').st_mode) == 0o644
    assert sorted(os.listdir(tmp_path)) == ['elsewhere', 'report.md']


def test_a_failed_rename_leaves_no_temporary_file(tmp_path):
    (tmp_path / 'taken').mkdir()          # a directory cannot be replaced by a file
    with pytest.raises(OSError):
        replace_file(str(tmp_path / 'taken'), b'x', 0o600)
    assert os.listdir(tmp_path) == ['taken'] and os.listdir(tmp_path / 'taken') == []
