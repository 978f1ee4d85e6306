"""Every example of the docs runs (tests/examples/runner.py: what runs how, and the substitution rule).

Everything runs on the newest ansible-core; the role README examples also run on each older core whose virtualenv is
there (2.19, 2.16), each core in its own test, with its own simulator, so that xdist runs the cores side by side.
"""

import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import runner  # noqa: E402  pylint: disable=wrong-import-position

NEWEST = '2.21'
OLDER = [core for core, venv in runner.CORES.items()
         if core != NEWEST and (runner.REPO / venv / 'bin' / 'ansible-playbook').exists()]


def run_examples(capsys, *args):
    code = runner.main(list(args))
    output = capsys.readouterr().out
    assert code == 0, output
    assert 'examples: ' in output and ' 0 failed' in output, output
    return output


def test_every_example_runs(capsys):
    run_examples(capsys, '--cores', NEWEST)


@pytest.mark.parametrize('core', OLDER)
def test_role_readme_examples_run_on_an_older_core(capsys, core):
    output = run_examples(capsys, '--cores', core, '--role-readmes-only')
    assert ' 0 run' not in output, output
