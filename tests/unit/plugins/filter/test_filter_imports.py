# -*- coding: utf-8 -*-
# Copyright: secops.vulnmgmt contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Ansible loads every filter file of the collection in each worker process that calls one of its filters (a per-host
task: once per host). Loading them must not import the HTTP client (requests) or univers, which cost each worker
about 100 ms: on a play of 1,000 hosts, the per-host match of the CVE gate took 81 s instead of 12 s."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os
import subprocess
import sys
from pathlib import Path

FILTERS = sorted(path.stem for path in (Path(__file__).resolve().parents[4] / 'plugins' / 'filter').glob('*.py')
                 if path.stem != '__init__')
HEAVY = ('requests', 'urllib3', 'univers', 'attr')


def test_loading_every_filter_file_imports_neither_requests_nor_univers():
    assert {'coverage', 'gate', 'remediation'} <= set(FILTERS)
    code = ('import sys\n' + ''.join('import ansible_collections.secops.vulnmgmt.plugins.filter.%s\n' % name for name in FILTERS)
            + 'print(" ".join(sorted(name for name in %r if name in sys.modules)))\n' % (HEAVY,))
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(path for path in sys.path if path))
    proc = subprocess.run([sys.executable, '-c', code], env=env, capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.split() == []
