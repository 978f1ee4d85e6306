"""Every check CI runs, as named steps: `python .ci/checks.py [STEP ...]` (no step: all of them).

Run through the Makefile (`make test`, `make sanity`, ...), which first builds the virtualenvs. Each step runs even
if an earlier one failed, so one run reports everything; the last line is `checks: N passed, N failed`.
"""

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
VENV = REPO / '.venv' / 'bin'
VENV_OLDEST = REPO / '.venv-core216' / 'bin'
CACHE = REPO / '.cache' / 'ci'
ROOT = CACHE / 'root'                       # contains ansible_collections/secops/vulnmgmt (a copy)
COLLECTION = ROOT / 'ansible_collections' / 'secops' / 'vulnmgmt'
DIST = CACHE / 'dist'
COPY_IGNORE = shutil.ignore_patterns('.venv*', '.cache', '.pytest_cache', '__pycache__', 'tests/output', 'dist',
                                     '*.tar.gz', '.ansible')


def env(**extra):
    base = dict(os.environ)
    base.update({
        'PATH': '%s:%s' % (VENV, base.get('PATH', '')),
        'ANSIBLE_COLLECTIONS_PATH': str(ROOT),
        'ANSIBLE_PYTHON_INTERPRETER': str(VENV / 'python'),  # discovery may pick an inactive pyenv shim
        'ANSIBLE_NOCOLOR': '1', 'PY_COLORS': '0', 'NO_COLOR': '1',
        'PYTHONPATH': str(ROOT),
    })
    base.update(extra)
    return base


def run(cmd, cwd=REPO, **extra):
    print('$ %s' % ' '.join(str(c) for c in cmd), flush=True)
    return subprocess.call([str(c) for c in cmd], cwd=str(cwd), env=env(**extra))


def prepare_collection():
    """ansible-test needs the collection at .../ansible_collections/secops/vulnmgmt; a symlink is not enough."""
    if COLLECTION.exists():
        shutil.rmtree(COLLECTION)
    shutil.copytree(REPO, COLLECTION, ignore=COPY_IGNORE, symlinks=True)
    # ansible-test bootstraps pip from a script it downloads; this machine is offline, so seed its cache.
    source = (VENV.parent / 'lib').glob('python3*/site-packages/ansible_test/_internal/python_requirements.py')
    version = next(line for line in next(source).read_text().splitlines() if "pip='" in line)
    version = version.split("pip='")[1].split("'")[0]
    cache = Path.home() / '.ansible' / 'test' / 'cache'
    cache.mkdir(parents=True, exist_ok=True)
    shutil.copy(REPO / '.ci' / 'get_pip_standin.py', cache / ('get_pip_%s.py' % version.replace('.', '_')))
    return 0


def pytest(venv, *args, **extra):
    return run([venv / 'python', '-m', 'pytest', '-q', '-p', 'no:cacheprovider'] + list(args), **extra)


STEPS = {
    'collection': prepare_collection,
    'sanity': lambda: run(['ansible-test', 'sanity', '--local', '--python', '3.11', '--color', 'no'], cwd=COLLECTION),
    'units': lambda: run(['ansible-test', 'units', '--local', '--python', '3.11', '--color', 'no'], cwd=COLLECTION),
    'unit-core2.16': lambda: pytest(VENV_OLDEST, 'tests/unit', cwd=COLLECTION),
    'contract': lambda: pytest(VENV, '-n', '2', 'tests/contract'),
    'integration': lambda: pytest(VENV, '-n', '2', '--durations=15', 'tests/integration'),
    'integration-core2.16': lambda: pytest(VENV_OLDEST, '-n', '2', '--durations=15', '-m', 'not fleet', 'tests/integration',
                                           VULNMGMT_CONNECTION_MATRIX='default'),
    'lint': lambda: run(['ansible-lint', '--offline', '--nocolor'], cwd=COLLECTION),
    'docs': lambda: run(['antsibull-docs', 'lint-collection-docs', '--plugin-docs', '--validate-collection-refs=all',
                         '--disallow-unknown-collection-refs', '.'], cwd=COLLECTION),
    'changelog': lambda: run(['antsibull-changelog', 'lint'], cwd=COLLECTION),
    'build': lambda: run(['ansible-galaxy', 'collection', 'build', '--force', '--output-path', DIST], cwd=COLLECTION),
    'importer': lambda: run(['bash', '-c', 'python -m galaxy_importer.main secops-vulnmgmt-*.tar.gz'], cwd=DIST),
    # docs/build_site.py: antsibull-docs + sphinx-build -W (any warning fails); the browser test opens the result.
    'docs-site': lambda: run([VENV / 'python', 'docs/build_site.py'], cwd=COLLECTION),
    'browser': lambda: pytest(VENV, 'tests/docs', cwd=COLLECTION),
    # Stages meta/execution-environment.yml with a fresh tarball; `ansible-builder create` (+ build if an engine runs).
    'ee-create': lambda: run([VENV / 'python', REPO / '.ci' / 'ee_build.py', '--collection', COLLECTION,
                              '--stage', CACHE / 'ee']),
    # Every extensions/molecule scenario (converge, idempotence, verify) against one simulator.
    'molecule': lambda: run([VENV / 'python', 'extensions/molecule/run_scenarios.py'], cwd=COLLECTION),
}
ORDER = ['collection', 'sanity', 'units', 'unit-core2.16', 'contract', 'integration', 'integration-core2.16', 'lint',
         'docs', 'changelog', 'build', 'importer', 'docs-site', 'browser', 'ee-create', 'molecule']


def main(names):
    names = names or ORDER
    unknown = [n for n in names if n not in STEPS]
    if unknown:
        print('unknown step(s): %s; known: %s' % (', '.join(unknown), ', '.join(ORDER)))
        return 2
    if names[0] != 'collection':
        names = ['collection'] + names
    if 'importer' in names and 'build' not in names:
        names.insert(names.index('importer'), 'build')
    passed, failed = [], []
    for name in names:
        started = time.time()
        print('::group:: %s' % name, flush=True)
        code = STEPS[name]()
        took = time.time() - started
        (passed if code == 0 else failed).append(name)
        print('::: %s %s (%.0f s)' % (name, 'ok' if code == 0 else 'FAILED rc=%s' % code, took), flush=True)
    if failed:
        print('failed steps: %s' % ' '.join(failed))
    print('checks: %d passed, %d failed' % (len(passed), len(failed)))
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
