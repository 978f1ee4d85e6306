"""Every example of the docs runs (tests/examples/runner.py: what runs how, and the substitution rule).

The role README examples run on every ansible-core whose virtualenv is there (2.21, 2.19, 2.16); the rest on the
core that runs pytest.
"""

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import runner  # noqa: E402  pylint: disable=wrong-import-position


def test_every_example_runs(capsys):
    cores = [core for core, venv in runner.CORES.items() if (runner.REPO / venv / 'bin' / 'ansible-playbook').exists()]
    code = runner.main(['--cores', ','.join(cores)])
    output = capsys.readouterr().out
    assert code == 0, output
    assert 'examples: ' in output and ' 0 failed' in output, output
