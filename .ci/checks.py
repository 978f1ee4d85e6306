"""Every check CI runs, as named steps: `python .ci/checks.py [STEP ...]` (no step: all of them).

Run through the Makefile (`make test`, `make sanity`, ...), which first builds the virtualenvs. Each step runs even
if an earlier one failed, so one run reports everything; the last line is `checks: N passed, N failed`.

Sanity and integration run on three ansible-cores (CORES), units on the newest and the oldest. The newest runs the
full route/auth matrix, the fleet budgets and the coverage measurement; the older two run, on the default connection,
the integration tests their core can change (Core.integration). Lint, docs, molecule and the build run once, on the
newest core. `make contract` and `make unit` run as a contributor runs them first, in a fresh copy of the tree
(fresh-clone).

The steps run in two lanes at once (VULNMGMT_CI_JOBS=1: one after another): the pytest suites that use both cores
(xdist workers) in one, ansible-test and the one-process tools in the other, each in ORDER. Sanity and units never overlap
(ansible-test's shared venvs), a step's output is printed whole when it ends, and `collection` runs first.

A process a step started that is still alive when every step has ended fails the run (`leftovers`), named and killed.
"""

import ctypes
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CACHE = Path(os.environ.get('VULNMGMT_CI_CACHE') or REPO / '.cache' / 'ci')  # another folder: parallel runs
ROOT = CACHE / 'root'                       # contains ansible_collections/secops/vulnmgmt (a copy)
COLLECTION = ROOT / 'ansible_collections' / 'secops' / 'vulnmgmt'
DIST = CACHE / 'dist'
COVERAGE_DATA = CACHE / 'coverage'
COPY_IGNORE = shutil.ignore_patterns('.venv*', '.cache', '.pytest_cache', '__pycache__', 'tests/output', 'dist',
                                     '*.tar.gz', '.ansible', 'build')


class Core:
    """One ansible-core leg of the matrix: its virtualenv (built by the Makefile), the Python it runs on and the
    integration tests it runs (a pytest marker expression; the newest runs them all)."""

    def __init__(self, name, venv, python, newest=False, integration=None):
        self.name, self.bin, self.python, self.newest = name, REPO / venv / 'bin', python, newest
        self.integration = integration


# The newest runs every integration test; the oldest, the one core without data tagging (trust.py takes its unsafe
# marking path), every behaviour that depends on ansible-core; 2.19, the first core with data tagging, takes the path
# of the newest, so it runs only the hostile-data tests, the templating it changed. Its roles run in `examples`.
CORES = [Core('2.21', '.venv', '3.12', newest=True), Core('2.19', '.venv-core219', '3.11', integration='hostile'),
         Core('2.16', '.venv-core216', '3.11', integration='every_core')]
NEWEST = CORES[0]


def env(core=NEWEST, **extra):
    base = dict(os.environ)
    base.update({
        'PATH': '%s:%s' % (core.bin, base.get('PATH', '')),
        'ANSIBLE_COLLECTIONS_PATH': str(ROOT),
        'ANSIBLE_PYTHON_INTERPRETER': str(core.bin / 'python'),  # discovery may pick an inactive pyenv shim
        'ANSIBLE_NOCOLOR': '1', 'PY_COLORS': '0', 'NO_COLOR': '1',
        'PYTHONPATH': str(ROOT),
    })
    base.update(extra)
    return base


OUTPUT = threading.local()  # the log file of the step this thread runs, when steps run in lanes


def run(cmd, cwd=REPO, core=NEWEST, environ=None, **extra):
    """Run cmd; its exit status. The CPU seconds of the command and the descendants it waited for add to the step's."""
    log = getattr(OUTPUT, 'file', None)
    print('$ %s' % ' '.join(str(c) for c in cmd), file=log or sys.stdout, flush=True)
    with subprocess.Popen([str(c) for c in cmd], cwd=str(cwd), env=environ or env(core, **extra), stdout=log,
                          stderr=subprocess.STDOUT if log else None) as proc:
        status, usage = os.wait4(proc.pid, 0)[1:]
        proc.returncode = os.waitstatus_to_exitcode(status)
    OUTPUT.cpu = getattr(OUTPUT, 'cpu', 0.0) + usage.ru_utime + usage.ru_stime
    return proc.returncode


def prepare_collection():
    """ansible-test needs the collection at .../ansible_collections/secops/vulnmgmt; a symlink is not enough."""
    if COLLECTION.exists():
        shutil.rmtree(COLLECTION)
    shutil.copytree(REPO, COLLECTION, ignore=COPY_IGNORE, symlinks=True)
    # ansible-test bootstraps pip in its venvs from a script it downloads; this machine is offline, so seed its
    # cache with a stand-in, under the name each core's ansible-test asks for.
    cache = Path.home() / '.ansible' / 'test' / 'cache'
    cache.mkdir(parents=True, exist_ok=True)
    for core in CORES:  # the venvs that are there: `make contract` builds only the newest
        source = next((core.bin.parent / 'lib').glob('python3*/site-packages/ansible_test/_internal/'
                                                     'python_requirements.py'), None)
        if source is None:
            continue
        line = next(line for line in source.read_text().splitlines() if "pip='" in line)
        version = line.split("pip='")[1].split("'")[0]
        shutil.copy(REPO / '.ci' / 'get_pip_standin.py', cache / ('get_pip_%s.py' % version.replace('.', '_')))
    return 0


# Sanity tests whose verdict does not depend on the core (its linters read the collection's files, whatever the core):
# the newest core's sanity runs them, the older cores' skip them (cold, each installs its own virtualenv: 36 s of
# the oldest core's 89 s). The changelog test is antsibull-changelog lint, which the changelog step runs: no core's
# sanity runs it (it installed a virtualenv for it: 12 CPU s).
CORE_INDEPENDENT_SANITY = ('pylint', 'pep8', 'yamllint')


def ansible_test(core, command):
    """ansible-test COMMAND on core; sanity skips the changelog test, and on the older cores CORE_INDEPENDENT_SANITY."""
    skipped = ('changelog',) + (() if core.newest else CORE_INDEPENDENT_SANITY)
    skip = [] if command != 'sanity' else [arg for test in skipped for arg in ('--skip-test', test)]
    return run([core.bin / 'ansible-test', command, '--local', '--python', core.python, '--color', 'no'] + skip,
               cwd=COLLECTION, core=core)


def pytest(core, *args, cwd=REPO, **extra):
    return run([core.bin / 'python', '-m', 'pytest', '-q', '-p', 'no:cacheprovider'] + list(args), cwd=cwd,
               core=core, **extra)


# Integration tests spend half their time waiting (the simulator's analysis delays, ansible's worker polling), so
# four workers (each with its own simulator) keep two cores busy.
INTEGRATION_WORKERS = os.environ.get('VULNMGMT_IT_WORKERS', '4')


def integration(core):
    """The newest core runs everything under coverage (modules and ansible-playbook are measured as subprocesses); the
    older ones run their marked tests (core.integration, tests/integration/conftest.py), on the default connection."""
    if core.newest:
        return measured(core, '-n', INTEGRATION_WORKERS, '--durations=15', 'tests/integration', label='integration')
    return pytest(core, '-n', INTEGRATION_WORKERS, '--durations=15', '-m', '%s and not fleet' % core.integration,
                  'tests/integration', VULNMGMT_CONNECTION_MATRIX='default')


def lint_docs():
    """antsibull-docs lints a copy of the collection it makes in a temporary folder. Were the collection importable from
    ROOT too (PYTHONPATH, ANSIBLE_COLLECTIONS_PATH), ansible-doc would read the copy while the metadata names ROOT, and
    the edit-on-GitHub URL it checks would hold the copy's random name, which docutils reads as a reference to an
    unknown target when it ends in '_' (about 1 run in 37)."""
    environ = env()
    for name in ('PYTHONPATH', 'ANSIBLE_COLLECTIONS_PATH'):
        environ.pop(name)
    return run(['antsibull-docs', 'lint-collection-docs', '--plugin-docs', '--validate-collection-refs=all',
                '--disallow-unknown-collection-refs', '.'], cwd=COLLECTION, environ=environ)


def measured(core, *args, label):
    """pytest under coverage (sys.monitoring: see .coveragerc); the data lands in COVERAGE_DATA for `coverage`."""
    COVERAGE_DATA.mkdir(parents=True, exist_ok=True)
    for stale in COVERAGE_DATA.glob('.coverage.%s*' % label):
        stale.unlink()
    return run([core.bin / 'python', '-m', 'coverage', 'run', '--rcfile', REPO / '.coveragerc', '-m', 'pytest', '-q',
                '-p', 'no:cacheprovider'] + list(args), core=core, COVERAGE_FILE=str(COVERAGE_DATA / ('.coverage.' + label)),
               COVERAGE_CORE='sysmon')


def coverage_report():
    """Combine unit + integration data, print the per-file table, fail under the floor in .coveragerc."""
    cov = [NEWEST.bin / 'python', '-m', 'coverage']
    rc = ['--rcfile', REPO / '.coveragerc']
    data = {'COVERAGE_FILE': str(COVERAGE_DATA / '.coverage')}
    if run(cov + ['combine', '--keep', '-q'] + rc + [COVERAGE_DATA], **data):
        return 1
    return run(cov + ['report'] + rc, **data)


# What this run adds to the environment of its steps, or make to its own: a nested run starts without them.
RUN_VARIABLES = {'PYTHONPATH', 'ANSIBLE_COLLECTIONS_PATH', 'ANSIBLE_PYTHON_INTERPRETER', 'VULNMGMT_CI_CACHE',
                 'MAKEFLAGS', 'MFLAGS', 'MAKELEVEL'}


def fresh_clone():
    """`make contract`, then `make unit`, in a copy of the files a clone of this tree has (tracked, and untracked but
    not ignored), so that what a contributor runs first needs nothing `make test` builds: contract runs with the
    newest core's virtualenv alone, unit with the three (linked in, as `make` would build them)."""
    listed = subprocess.run(['git', 'ls-files', '-z', '--cached', '--others', '--exclude-standard'], cwd=REPO,
                            capture_output=True, check=True).stdout.decode().split('\0')
    environ = {k: v for k, v in os.environ.items() if k not in RUN_VARIABLES}
    environ['VULNMGMT_CI_JOBS'] = '1'
    with tempfile.TemporaryDirectory(prefix='vulnmgmt-clone-') as clone:
        for name in listed:
            if name and os.path.lexists(REPO / name):  # a tracked file deleted in the work tree is not copied
                (Path(clone) / name).parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(REPO / name, Path(clone) / name, follow_symlinks=False)
        code = 0
        for target, cores in (('contract', [NEWEST]), ('unit', CORES)):
            for core in cores:
                if not os.path.lexists(Path(clone) / core.bin.parent.name):
                    os.symlink(core.bin.parent, Path(clone) / core.bin.parent.name)
            stamps = [arg for core in cores for arg in ('-o', '%s/.stamp' % core.bin.parent.name)]
            code = run(['make', target] + stamps, cwd=clone, environ=environ) or code
        return code


def build_tarball():
    """One tarball in DIST, of this version: an older one left there would be imported too."""
    for old in DIST.glob('*.tar.gz'):
        old.unlink()
    return run(['ansible-galaxy', 'collection', 'build', '--force', '--output-path', DIST], cwd=COLLECTION)


STEPS = {'collection': prepare_collection}
for _core in CORES:
    STEPS.update({
        'sanity-%s' % _core.name: (lambda core=_core: ansible_test(core, 'sanity')),
        'integration-%s' % _core.name: (lambda core=_core: integration(core)),
    })
# Units on the newest and the oldest core (the module_utils they test do not change with the core between them): on the
# newest with pytest under coverage (unit-coverage), on the oldest with ansible-test units, which forks every test (75
# CPU s for both cores, against 10 for pytest) and imports through that core's collection loader.
UNIT_CORES = [CORES[-1]]
for _core in UNIT_CORES:
    STEPS['units-%s' % _core.name] = lambda core=_core: ansible_test(core, 'units')
STEPS.update({
    'unit-coverage': lambda: measured(NEWEST, 'tests/unit', label='unit'),
    'contract': lambda: pytest(NEWEST, '-n', '2', 'tests/contract'),
    'fresh-clone': fresh_clone,
    # Faults after the write, concurrent runs, listing churn (tests/chaos/README.md); measured, it covers the recovery.
    'chaos': lambda: measured(NEWEST, '-n', '2', '--durations=5', 'tests/chaos', label='chaos'),
    'coverage': coverage_report,
    'lint': lambda: run(['ansible-lint', '--offline', '--nocolor'], cwd=COLLECTION),
    'docs': lint_docs,
    'changelog': lambda: run(['antsibull-changelog', 'lint'], cwd=COLLECTION),
    'build': build_tarball,
    # Its ansible-lint run only logs what it finds (the `lint` step gates ansible-lint, with the collection's config).
    'importer': lambda: run(['bash', '-c', 'python -m galaxy_importer.main secops-vulnmgmt-*.tar.gz'], cwd=DIST,
                            GALAXY_IMPORTER_RUN_ANSIBLE_LINT='false'),
    # docs/build_site.py: antsibull-docs + sphinx-build -W (any warning fails) into docs/build/html; the browser
    # test opens the result.
    'docs-site': lambda: run([NEWEST.bin / 'python', 'docs/build_site.py']),
    'browser': lambda: pytest(NEWEST, 'tests/docs'),
    # Every example of the docs against the simulator (tests/examples/runner.py); role README examples on every core.
    'examples': lambda: pytest(NEWEST, '-n', '3', 'tests/examples'),
    # Stages meta/execution-environment.yml with a fresh tarball; `ansible-builder create` (+ build if an engine runs).
    'ee-create': lambda: run([NEWEST.bin / 'python', REPO / '.ci' / 'ee_build.py', '--collection', COLLECTION,
                              '--stage', CACHE / 'ee']),
    # Every extensions/molecule scenario (converge, idempotence, verify) against one simulator.
    'molecule': lambda: run([NEWEST.bin / 'python', 'extensions/molecule/run_scenarios.py'], cwd=COLLECTION),
})
GROUPS = {name: ['%s-%s' % (name, core.name) for core in CORES] for name in ('sanity', 'integration')}
GROUPS['units'] = ['unit-coverage'] + ['units-%s' % core.name for core in UNIT_CORES]
# `make contract` and `make unit` run in a fresh copy (fresh-clone), not again here.
# Each lane's long steps first: the lane that ends first takes the other's short ones.
ORDER = (['collection'] + GROUPS['sanity'] + ['fresh-clone', 'unit-coverage'] + GROUPS['integration']
         + ['chaos', 'coverage', 'examples', 'molecule', 'lint', 'docs', 'docs-site', 'browser', 'build', 'importer',
            'changelog', 'ee-create'])


PRINT_LOCK = threading.Lock()
# Steps that keep both cores busy themselves: the second lane's.
BOTH_CORES = {'unit-coverage', 'contract', 'chaos', 'coverage'} | set(GROUPS['integration'])
# Steps of which one runs at a time: those that keep both cores busy, and the ansible-test runs (they share the
# collection copy's tests/output).
ONE_AT_A_TIME = [BOTH_CORES, {name for name in STEPS if name.startswith(('sanity-', 'units-'))}]
# What a step reads that other steps make: it starts once they have ended.
NEEDS = {'coverage': {'unit-coverage', 'integration-%s' % NEWEST.name, 'chaos'}, 'importer': {'build'},
         'browser': {'docs-site'}}


def run_step(name, results, log_dir=None):
    """Run one step (into its own log file when given), record (rc, seconds), then print the log whole."""
    started = time.time()
    OUTPUT.cpu = 0.0
    log_path = log_dir / (name + '.log') if log_dir else None
    if log_path:
        OUTPUT.file = open(log_path, 'w', encoding='utf-8')  # pylint: disable=consider-using-with
    else:
        print('::group:: %s' % name, flush=True)
    try:
        code = STEPS[name]()
    except Exception as exc:  # pylint: disable=broad-except
        print('step %s raised %r' % (name, exc), file=getattr(OUTPUT, 'file', None) or sys.stdout, flush=True)
        code = 1
    took, cpu = time.time() - started, OUTPUT.cpu
    results[name] = (code, took, cpu)
    with PRINT_LOCK:
        if log_path:
            OUTPUT.file.close()
            OUTPUT.file = None
            print('::group:: %s' % name)
            print(log_path.read_text(encoding='utf-8', errors='replace'), end='')
        print('::: %s %s (%.0f s, %.0f CPU s)' % (name, 'ok' if code == 0 else 'FAILED rc=%s' % code, took, cpu), flush=True)


def run_lanes(names, results):
    """Two threads, one per lane, each starting its lane's steps in order; a thread whose lane has nothing left to
    start takes the other lane's next step, so that both lanes end together (the short steps come last). A step starts
    once the steps it NEEDS have ended, and never beside another step of its ONE_AT_A_TIME group. Logs go to the
    cache and are printed as steps end."""
    log_dir = CACHE / 'logs'
    log_dir.mkdir(parents=True, exist_ok=True)
    queued, running = list(names), set()
    changed = threading.Condition()

    def startable(name):
        return not NEEDS.get(name, set()) & (set(queued) | running) and not any(
            name in group and running & group for group in ONE_AT_A_TIME)

    def take(second_lane):
        with changed:
            while queued:
                own = [name for name in queued if (name in BOTH_CORES) == second_lane]
                ready = [name for name in own or queued if startable(name)]
                if ready:
                    queued.remove(ready[0])
                    running.add(ready[0])
                    return ready[0]
                changed.wait()
            return None

    def work(second_lane):
        for name in iter(lambda: take(second_lane), None):
            try:
                run_step(name, results, log_dir)
            finally:
                with changed:
                    running.discard(name)
                    changed.notify_all()

    threads = [threading.Thread(target=work, args=(lane,)) for lane in (False, True)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def adopt_orphans():
    """Make this process the parent of the steps' orphaned descendants (Linux: PR_SET_CHILD_SUBREAPER), so that
    leftovers() finds a process a test started and never stopped."""
    if sys.platform.startswith('linux'):
        ctypes.CDLL(None, use_errno=True).prctl(36, 1, 0, 0, 0)


def leftovers(grace=15):
    """[(pid, command line)] of the processes still alive under this one once every step has ended (each step is
    waited for, so what is left is a descendant that outlived its test), after `grace` seconds to stop."""
    deadline = time.time() + grace
    while True:
        found = []
        for stat in Path('/proc').glob('[0-9]*/stat'):
            try:
                state, ppid = stat.read_text().rsplit(')', 1)[1].split()[:2]
                cmdline = (stat.parent / 'cmdline').read_bytes()
            except (OSError, IndexError):
                continue
            pid = int(stat.parent.name)
            if int(ppid) != os.getpid():
                continue
            if state == 'Z':
                os.waitpid(pid, os.WNOHANG)
            else:
                found.append((pid, cmdline.replace(b'\0', b' ').decode('utf-8', 'replace').strip()[:300]))
        if not found or time.time() > deadline:
            return found
        time.sleep(1)


def main(names):
    names = [step for name in (names or ORDER) for step in GROUPS.get(name, [name])]
    unknown = [n for n in names if n not in STEPS]
    if unknown:
        print('unknown step(s): %s; known: %s, or a group: %s' % (', '.join(unknown), ', '.join(ORDER),
                                                                  ', '.join(GROUPS)))
        return 2
    if names[0] != 'collection':
        names = ['collection'] + names
    if 'importer' in names and 'build' not in names:
        names.insert(names.index('importer'), 'build')
    started = time.time()
    adopt_orphans()
    results = {}
    run_step('collection', results)
    rest = [n for n in names if n != 'collection']
    if int(os.environ.get('VULNMGMT_CI_JOBS', '2')) > 1:
        run_lanes(rest, results)
    else:
        for name in rest:
            run_step(name, results)
    failed = [n for n in names if results[n][0] != 0]
    left = leftovers()
    for pid, cmdline in left:
        print('left running by the steps: pid %d: %s' % (pid, cmdline))
        os.kill(pid, signal.SIGKILL)
    if left:
        failed.append('leftovers')
    if failed:
        print('failed steps: %s' % ' '.join(failed))
    passed = len(names) + bool(left) - len(failed)
    took, cpu = time.time() - started, sum(result[2] for result in results.values())
    print('checks: %d passed, %d failed in %.0f s; %.0f CPU s, %.0f %% of %d cores' % (
        passed, len(failed), took, cpu, 100 * cpu / took / os.cpu_count(), os.cpu_count()))
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
