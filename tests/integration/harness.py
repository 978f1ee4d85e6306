"""The integration harness: real ansible-playbook / ansible-inventory runs against a simulator, with its credentials
in the environment exactly as AWX injects them, and module runs in this process (run_module_here) for tests of the
client code, which no ansible-core changes: on 2.19 and later, Ansible.fails runs a lone module task that way. Shared
by tests/integration and tests/chaos.

Every run fails on a `[WARNING]` or `[DEPRECATION WARNING]` in its output that the test did not declare with
`warnings=(...)`, and on a declared warning that did not appear: the collection's runs must be warning-free unless a
test provokes one on purpose. `warnings=None` leaves the warnings to the test (the chaos suite, whose recoveries
warn by design).
"""

import contextlib
import functools
import importlib
import io
import json
import os
import re
import subprocess
import sys
from pathlib import Path
from unittest import mock

import pytest
from ansible.release import __version__ as ansible_core_version

REPO = Path(__file__).resolve().parents[2]
TARGETS = REPO / 'tests' / 'integration' / 'targets'
sys.path.insert(0, str(REPO / 'tests' / 'simulator'))

from launcher import collections_root  # noqa: E402  pylint: disable=wrong-import-position

# (major, minor) of the ansible-core under test (the one in this Python's environment runs the subprocesses), for
# warnings that only some versions emit.
CORE = tuple(int(part) for part in ansible_core_version.split('.')[:2])
# A warning starts a line. ansible-core < 2.19 wraps it at the terminal width over the following lines; 2.19 and
# later print it on one line (details, if any, follow in a separate block).
WARNING_START = re.compile(r'^\[(?:DEPRECATION )?WARNING\]')
OTHER_START = re.compile(r'^(\[[A-Z ]+\]|ERROR!|PLAY|TASK|RUNNING HANDLER|ok:|changed:|fatal:|skipping:|failed:|'
                         r'included:|[{}]|\S+ \| [A-Z]+|Parsed |Using |redirecting )')
WRAPPED = CORE < (2, 19)
# The one warning the harness itself causes: every simulator serves plain HTTP on the loopback interface, so every
# module and inventory run against one warns that its api_url is not encrypted (plugins/module_utils/api_module.py,
# plugins/plugin_utils/inventory.py). Tolerated on every run, never required; a test that is about this warning declares it.
HARNESS_WARNINGS = [re.compile(r'api_url http://127\.0\.0\.1:\d+(/v1)? uses plain HTTP: API traffic is not encrypted')]


def warnings_in(text):
    """The warnings in ansible's output, each as one line (a wrapped warning is joined with single spaces)."""
    found, current = [], None
    for line in text.splitlines():
        if WARNING_START.match(line):
            current = [line]
            found.append(current)
        elif WRAPPED and current is not None and line.strip() and not OTHER_START.match(line):
            current.append(line)
        else:
            current = None
    return [' '.join(' '.join(lines).split()) for lines in found]


def check_warnings(output, expected):
    """Problems with the warnings of a run: undeclared ones, and declared ones that did not appear (None: unchecked)."""
    if expected is None:
        return []
    found = warnings_in(output)
    expected = [' '.join(e.split()) for e in expected]
    unexpected = [w for w in found if not any(e in w for e in expected)
                  and not any(h.search(w) for h in HARNESS_WARNINGS)]
    missing = [e for e in expected if not any(e in w for w in found)]
    return (['unexpected warning: %s' % w for w in unexpected]
            + ['expected warning did not appear: %s' % e for e in missing])


class Ansible:
    """Runs ansible-playbook and ansible-inventory with the simulator's credentials in the environment."""

    def __init__(self, sim, workdir):
        self.sim = sim
        self.workdir = workdir
        self.env = dict(os.environ)
        for name in list(self.env):
            if name.startswith(('CYBERWATCH_', 'CBW_', 'CYSTACK_')):
                del self.env[name]
        self.env.update(sim.env())
        self.env.update({
            'ANSIBLE_COLLECTIONS_PATH': collections_root(workdir),
            'ANSIBLE_PYTHON_INTERPRETER': sys.executable,
            'ANSIBLE_ROLES_PATH': str(TARGETS),
            'ANSIBLE_NOCOLOR': '1',
            'ANSIBLE_FORCE_COLOR': '0',
            'ANSIBLE_RETRY_FILES_ENABLED': '0',
            'ANSIBLE_LOCALHOST_WARNING': '0',
            'ANSIBLE_INVENTORY_UNPARSED_WARNING': '0',
            'ANSIBLE_HOST_KEY_CHECKING': '0',
            # ansible-core 2.21 leaves module arguments out of results by default; the -vvvv secret checks need them.
            'ANSIBLE_INJECT_INVOCATION': '1',
            'ANSIBLE_CACHE_PLUGIN_CONNECTION': str(workdir / 'inventory-cache'),
        })
        self.bin = Path(sys.executable).parent

    def run(self, tool, args, env=None, check=True, unset=(), warnings=()):
        """Run an ansible CLI. check: fail unless rc is 0. warnings: substrings of the warnings the run must emit,
        each matched against a warning's text (whitespace-normalised); any other warning fails the run."""
        full_env = dict(self.env)
        full_env.update(env or {})
        for name in unset:
            full_env.pop(name, None)
        proc = subprocess.run([str(self.bin / tool)] + [str(a) for a in args], cwd=str(self.workdir), env=full_env,
                              capture_output=True, text=True, timeout=600, check=False)
        if check and proc.returncode != 0:
            raise AssertionError('%s %s failed (rc=%d)\n--- stdout\n%s\n--- stderr\n%s' % (
                tool, ' '.join(map(str, args)), proc.returncode, proc.stdout[-20000:], proc.stderr[-5000:]))
        problems = check_warnings(proc.stdout + '\n' + proc.stderr, warnings)
        if problems:
            raise AssertionError('%s %s: %s\n--- stdout\n%s\n--- stderr\n%s' % (
                tool, ' '.join(map(str, args)), '; '.join(problems), proc.stdout[-5000:], proc.stderr[-5000:]))
        return proc

    def playbook(self, tasks, extra_args=(), extra_vars=None, env=None, check=True, name='play', warnings=()):
        """Run a list of tasks (Python structures) on localhost; returns the CompletedProcess."""
        play = [{'name': name, 'hosts': 'localhost', 'gather_facts': False, 'connection': 'local',
                 'vars': dict({'sim_url': self.sim.url}, **(extra_vars or {})), 'tasks': tasks}]
        path = self.workdir / ('%s.yml' % name)
        path.write_text(json.dumps(play))
        return self.run('ansible-playbook', ['-i', 'localhost,', path] + list(extra_args), env=env, check=check,
                        warnings=warnings)

    def fails(self, tasks, message, extra_args=(), env=None, warnings=()):
        """Run tasks that must fail with message in the output. A lone task of a collection module with literal
        arguments is the module's own checks, which no ansible-core changes: on a core with run_module_here it runs in
        this process (about 10 ms against 1.7 CPU s), its failure message and warnings checked the same way."""
        if IN_PROCESS and not extra_args and lone_module_task(tasks):
            result = self.module_here(tasks[0], env=env, warnings=warnings)
            assert result.get('failed') and message in result.get('msg', ''), result
            return
        proc = self.playbook(tasks, extra_args, env=env, check=False, warnings=warnings)
        assert proc.returncode != 0, proc.stdout[-3000:]
        assert message in proc.stdout, proc.stdout[-3000:]

    def module_here(self, task, check_mode=False, env=None, warnings=()):
        """The result of a lone module task with literal arguments (lone_module_task), run in this process
        (run_module_here, ansible-core 2.19 and later) with the simulator's credentials and env in the environment; its
        warnings are checked as a run's (check_warnings)."""
        name, params = lone_module_task([task])
        if collections_root(self.workdir) not in sys.path:
            sys.path.insert(0, collections_root(self.workdir))
        result = run_module_here(name, params, dict(self.sim.env(), **(env or {})), check_mode)
        problems = check_warnings('\n'.join('[WARNING]: %s' % w for w in result.get('warnings', [])), warnings)
        assert not problems, (problems, result)
        return result

    def target(self, role, extra_args=(), extra_vars=None, env=None, check=True, warnings=()):
        """Apply tests/integration/targets/<role> as a role."""
        tasks = [{'name': 'Run target %s' % role, 'ansible.builtin.include_role': {'name': role}}]
        return self.playbook(tasks, extra_args, extra_vars, env, check, name='target-%s' % role, warnings=warnings)

    def inventory(self, source_text, filename, args=('--list',), env=None, check=True, warnings=()):
        """Write an inventory source file and run ansible-inventory on it; returns the CompletedProcess.

        Only the `auto` inventory plugin is enabled, as AWX does for its plugin-based sources: a source that fails
        then warns once, not once more for each of yaml, ini, toml... that cannot read a plugin configuration."""
        env = dict({'ANSIBLE_INVENTORY_ENABLED': 'auto'}, **(env or {}))
        path = self.workdir / filename
        path.write_text(source_text)
        args = list(args)
        if '--flush-cache' in args and not self.inventory_can_flush:
            # ansible-core < 2.17: only ansible-playbook has --flush-cache; an empty play on the source refreshes it.
            args.remove('--flush-cache')
            self.run('ansible-playbook', ['-i', path, '--flush-cache', self._empty_play()], env=env)
        return self.run('ansible-inventory', ['-i', path] + args, env=env, check=check, warnings=warnings)

    @functools.cached_property
    def inventory_can_flush(self):
        return '--flush-cache' in self.run('ansible-inventory', ['--help']).stdout

    def _empty_play(self):
        path = self.workdir / 'empty-play.yml'
        path.write_text(json.dumps([{'hosts': 'all', 'gather_facts': False, 'tasks': []}]))
        return path


IN_PROCESS = CORE >= (2, 19)  # run_module_here needs ansible.module_utils.testing.patch_module_args
IN_PROCESS_ONLY = pytest.mark.skipif(not IN_PROCESS, reason='runs the module in this process: ansible-core 2.19+')
COLLECTION_PREFIX = 'secops.vulnmgmt.'


def lone_module_task(tasks):
    """(module name, arguments) when tasks is one task of a collection module with literal arguments and no keyword
    but `register`, else None."""
    if len(tasks) != 1:
        return None
    keywords = [key for key in tasks[0] if key != 'register']
    if len(keywords) != 1 or not keywords[0].startswith(COLLECTION_PREFIX):
        return None
    params = tasks[0][keywords[0]]
    if not isinstance(params, dict) or '{{' in json.dumps(params):
        return None
    return keywords[0][len(COLLECTION_PREFIX):], params


def run_module_here(name, params, environ=None, check_mode=False):
    """Run a collection module's main() in this process and return its result; a crash raises here. For many runs of
    the client code, which no ansible-core changes (newest core only: ansible-core's own test helper, 2.19+, gives the
    arguments): about 10 ms a run, against about a second through ansible-playbook. environ: variables the module
    reads (its env-var credentials); the collection must be importable (fixture collection_on_path)."""
    from ansible.module_utils.common import warnings
    from ansible.module_utils.testing import patch_module_args
    main = importlib.import_module('ansible_collections.secops.vulnmgmt.plugins.modules.' + name).main
    out = io.StringIO()
    args = dict(params, _ansible_check_mode=check_mode)
    # A module process starts with no warning; in one process, AnsibleModule's registries would carry them over.
    with mock.patch.dict(warnings._global_warnings, clear=True), \
            mock.patch.dict(warnings._global_deprecations, clear=True), \
            mock.patch.dict(os.environ, environ or {}), patch_module_args(args), contextlib.redirect_stdout(out):
        try:
            main()
        except SystemExit:
            pass
    return json.loads(out.getvalue())
