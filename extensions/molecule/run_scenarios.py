"""Run the molecule scenarios against the bundled API simulator: `python extensions/molecule/run_scenarios.py [NAME...]`.

Starts tests/simulator/serve.py once, exports its credentials the way AWX injects them (CYBERWATCH_*, CYSTACK_*, plus
VULNMGMT_SIM_URL for the scenarios' /_sim/ calls), then for each scenario (default: all) resets the simulator and runs
`molecule test -s <scenario>` from the collection root. The simulator is stopped at the end, whatever happened.
"""

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
SCENARIOS = sorted(p.parent.name for p in (REPO / 'extensions' / 'molecule').glob('*/molecule.yml'))
BIN = Path(sys.executable).parent
sys.path.insert(0, str(REPO / 'tests' / 'simulator'))

from launcher import Simulator, collections_root  # noqa: E402  pylint: disable=wrong-import-position


def main(names):
    names = names or SCENARIOS
    unknown = sorted(set(names) - set(SCENARIOS))
    if unknown:
        print('unknown scenario(s) %s; known: %s' % (', '.join(unknown), ', '.join(SCENARIOS)))
        return 2
    failed = []
    with tempfile.TemporaryDirectory(prefix='vulnmgmt-molecule-') as tmp, \
            Simulator(seed=5, servers=40, targets=8, scan_seconds=1) as sim:
        env = {k: v for k, v in os.environ.items() if not k.startswith(('CYBERWATCH_', 'CBW_', 'CYSTACK_'))}
        env.update(sim.env())
        env.update({'VULNMGMT_SIM_URL': sim.url, 'ANSIBLE_COLLECTIONS_PATH': collections_root(tmp),
                    'ANSIBLE_PYTHON_INTERPRETER': sys.executable, 'PATH': '%s:%s' % (BIN, env.get('PATH', '')),
                    'ANSIBLE_LOCALHOST_WARNING': '0', 'ANSIBLE_NOCOLOR': '1', 'PY_COLORS': '0',
                    'MOLECULE_REPORT_DIR': str(Path(tmp) / 'reports'), 'HOME': env.get('HOME', tmp)})
        Path(env['MOLECULE_REPORT_DIR']).mkdir()
        for name in names:
            sim.reset()
            started = time.time()
            print('=== molecule test -s %s (simulator %s)' % (name, sim.url), flush=True)
            code = subprocess.call([str(BIN / 'molecule'), 'test', '-s', name], cwd=str(REPO), env=env)
            print('=== %s: %s (%.0f s)' % (name, 'ok' if code == 0 else 'FAILED rc=%d' % code, time.time() - started),
                  flush=True)
            if code:
                failed.append(name)
    listing = (': ' + ' '.join(failed)) if failed else ''
    print('molecule: %d scenario(s) passed, %d failed%s' % (len(names) - len(failed), len(failed), listing))
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
