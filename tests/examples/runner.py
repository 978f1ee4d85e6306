"""Run every example of the docs (tests/examples/extract.py finds them) against the bundled simulator.

    python tests/examples/runner.py [--cores]      # prints "examples: N run, N syntax-checked, N marked not-run"

What happens to a block, by what it is:
- a task list (module EXAMPLES): `ansible-playbook --syntax-check`, then run for real on the newest core, each
  module's examples after a reset of the simulator (every task must succeed: a docs bug otherwise). The tasks of
  one module's EXAMPLES share their registered variables, as in a play.
- a play: syntax-checked, then run on the newest core after a reset, for real or in check mode by this rule
  (runs_for_real): a play whose hosts are only localhost does API work only and runs for real, as a play that uses
  nothing but read-only roles (READ_ONLY_ROLES: the gates, which read the APIs and write their reports on the
  controller, and cyberwatch_airgap_scan, whose scripts only list the system and its packages); any other play acts
  on managed hosts (patching, onboarding) and runs in check mode. The runner's inventory puts each group the docs
  name on this machine, over a local connection. Role README examples are syntax-checked on every core given with
  --cores and run on each of them.
- an inventory source (a mapping with `plugin:`): `ansible-inventory --list` against the simulator.
- a rulebook (a list of rulesets with `sources:` and `rules:`): validated with ansible-rulebook's own JSON schema, and
  its sources must be the collection's (ansible-rulebook itself needs a JVM: tests/integration/test_eda_rulebook.py).
- a CI recipe (GitHub Actions `jobs:`, GitLab CI `script:`): its shell commands are syntax-checked (`bash -n`).
- a shell snippet: `bash -n`; then run with bash -e in the docs' working directory, unless marked.
- other YAML (role variables, requirements.yml, ...): parsed.
A marked block (`# example: not-run: REASON`) is syntax-checked only, and counted as marked.

How an example reaches the simulator (the substitution rule): connection options (api_url, api_key, secret_key,
auth_method, api_routes, validate_certs, ca_path) are removed from `module_defaults` of the collection's action
groups, from the collection's task arguments and from inventory sources, and the simulator's credentials are in the
environment (CYBERWATCH_*, CYSTACK_*), as AWX injects them. Nothing else of an example is changed: the variables it
expects from a vault or the user (`vault_*`, ...) are given as extra vars (EXAMPLE_VARS), the `dest` of a module and an inventory
source's `cache_connection` move into a private temporary directory, the objects the examples name and a real
account would have (a server web-01.prod.example.com with its updates, stored credentials, a custom compliance rule, CyStack
targets and their last scans: DOCS_WORLD) are added to the seeded simulator once, through its control endpoints or
its Cyberwatch API as the modules call it, and each reset goes back to that state (/_sim/snapshot). A YAML block
whose first line is a comment naming a file (`# inventories/prod.cyberwatch.yml`) is also written there, for the shell
snippets that use it.
"""

import argparse
import base64
import copy
import json
import os
import re
import resource
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(REPO / 'tests' / 'simulator'))

from extract import all_examples  # noqa: E402  pylint: disable=wrong-import-position
from launcher import Simulator, collections_root, machine_packages  # noqa: E402  pylint: disable=wrong-import-position

CONNECTION_OPTIONS = {'api_url', 'api_key', 'secret_key', 'auth_method', 'api_routes', 'validate_certs', 'ca_path'}
COLLECTION = 'secops.vulnmgmt.'
ACTION_GROUPS = {'group/secops.vulnmgmt.cyberwatch', 'group/secops.vulnmgmt.cystack'}
# What the examples expect from a vault, the user or an earlier task.
EXAMPLE_VARS = {
    'vault_cyberwatch_api_key': 'from-the-environment', 'vault_cyberwatch_secret_key': 'from-the-environment',
    'vault_cystack_api_key': 'from-the-environment', 'vault_shop_session_cookie': 'session=example',
    'release': '1.0.0', 'vault_cyberwatch_ssh_key': 'example-key', 'my_findings': [], 'my_allow_list': [],
    'vault_winrm_password': 'example-password', 'vault_snmp_auth': 'example-auth', 'vault_snmp_priv': 'example-priv',
    'vault_cyberwatch_scan_password': 'example-password',
}


def deb_update(update_id, product, current, target, patchable=True):
    """An update of a Cyberwatch server's detail (a Debian package, fixing no CVE of the server)."""
    return {'id': update_id, 'ignored': False, 'patchable': patchable, 'cve_announcements': [],
            'current': {'vendor': None, 'product': product, 'type': 'Packages::Deb', 'version': current},
            'target': {'vendor': None, 'product': product, 'type': 'Packages::Deb', 'version': target}}


# The objects the examples name, which a real account would already have, added to the simulator's seeded state after
# each reset: (path, body) POSTed to a /_sim/ control endpoint, or to the Cyberwatch API as the collection's modules
# send it (Basic authentication with the simulator's key pair, which /_sim/ ignores).
DOCS_WORLD = [
    ('/_sim/cyberwatch/servers', {
        'hostname': 'web-01.prod.example.com', 'addresses': ['10.0.0.21'], 'status': 'server_vulnerable',
        'updates': [deb_update(91482, 'openssl', '3.0.11', '3.0.13'), deb_update(94515, 'nginx', '1.22.1', '1.22.2'),
                    deb_update(94516, 'linux-image-amd64', '6.1.85', '6.1.90', patchable=False)]}),
    ('/api/v3/assets/credentials', {'name': 'linux-scan-key', 'type': 'CbwRam::StoredCredential::Ssh::WithKey',
                                    'user': 'cyberwatch', 'key': 'example-key'}),
    ('/api/v3/assets/credentials', {'name': 'docker-hub', 'type': 'CbwRam::StoredCredential::DockerRegistry',
                                    'endpoint': 'https://registry-1.docker.io'}),
    ('/api/v3/assets/credentials', {'name': 'docker-engine-prod', 'type': 'CbwRam::StoredCredential::DockerEngine',
                                    'endpoint': 'tcp://10.0.0.5:2376'}),
    # The rule the cyberwatch_compliance_rule example keeps in git.
    ('/api/v3/compliance/rules', {
        'code': 'SBP-Custom-001', 'name': 'Cron directories are not world-writable', 'level': 'medium',
        'description': '/etc/cron.d must not be writable by others.', 'equation': '(1 && 2)',
        'checks': [{'content': "stat -c '%A' /etc/cron.d", 'success': '^d.......-.$'},
                   {'content': "stat -c '%U' /etc/cron.d", 'success': '^root$'}],
        'os': ['ubuntu_2004_64', 'ubuntu_2204_64', 'debian_12_64']}),
    ('/_sim/cystack/targets', {'address': 'https://shop.example.com', 'verification': 0}),
    ('/_sim/cystack/targets', {'address': 'https://api.example.com', 'verification': 0}),
    # Each target's last scan, two hours ago (younger than the examples' max_age: 12h), with a few low findings.
    ('/_sim/cystack/scans', {'target': 'https://shop.example.com', 'profile': 5, 'age': 7200,
                             'findings': ['Server header', 'Missing HSTS header', 'Cookie without HttpOnly']}),
    ('/_sim/cystack/scans', {'target': 'https://api.example.com', 'profile': 5, 'age': 7200,
                             'findings': ['Strange HTTP response code', 'Allowed HTTP methods']}),
]
# Examples that do not pass yet, with the reason (a docs bug to fix, or a limit of the simulator); each must still fail,
# so the list cannot rot.
PENDING = {}
NOT_INSTALLED = ('awx.awx.', 'ansible.eda.')
# Roles whose work on a managed host only reads: the gates read the APIs and write their reports on the controller;
# cyberwatch_airgap_scan runs Cyberwatch's air-gap scripts, which list the system and its packages, and uploads their
# output from the controller. A play that only uses these runs for real (see runs_for_real).
READ_ONLY_ROLES = {COLLECTION + name for name in ('cyberwatch_airgap_scan', 'cyberwatch_cve_gate', 'cystack_scan_gate')}
INCLUDE_ROLE = ('ansible.builtin.include_role', 'ansible.builtin.import_role', 'include_role', 'import_role')
CORES = {'2.21': '.venv', '2.19': '.venv-core219', '2.16': '.venv-core216'}


class Failure(Exception):
    pass


def kind_of(example, data):
    if example.marker and data is None:
        return 'other'
    if example.origin == 'rulebook' or (isinstance(data, list) and data and all(
            isinstance(d, dict) and 'sources' in d and 'rules' in d for d in data)):
        return 'rulebook'
    if isinstance(data, list) and data and all(isinstance(d, dict) for d in data):
        if all('hosts' in d or 'ansible.builtin.import_playbook' in d for d in data):
            return 'play'
        return 'tasks'
    if isinstance(data, dict) and 'plugin' in data:
        return 'inventory'
    if isinstance(data, dict) and 'jobs' in data:
        return 'github'
    if isinstance(data, dict) and data and all(isinstance(v, dict) and 'script' in v for v in data.values()):
        return 'gitlab'
    return 'other'


def without_connection(value):
    """value with the connection options of the collection's modules and action groups removed (see the docstring)."""
    if isinstance(value, list):
        return [without_connection(v) for v in value]
    if not isinstance(value, dict):
        return value
    result = {}
    for key, item in value.items():
        if key == 'module_defaults' and isinstance(item, dict):
            item = {group: {k: v for k, v in (args or {}).items() if k not in CONNECTION_OPTIONS}
                    if group in ACTION_GROUPS or group.startswith(COLLECTION) else args
                    for group, args in item.items()}
        elif isinstance(key, str) and key.startswith(COLLECTION) and isinstance(item, dict):
            item = {k: v for k, v in item.items() if k not in CONNECTION_OPTIONS}
            if 'dest' in item:
                item['dest'] = '{{ example_dest }}'
        result[key] = without_connection(item)
    return result


def as_plays(example, data, kind):
    """The example as a playbook (a task list becomes the tasks of a play on localhost)."""
    data = without_connection(copy.deepcopy(data))
    if kind == 'tasks':
        return [{'name': 'Example %s' % example.name, 'hosts': 'localhost', 'gather_facts': False,
                 'connection': 'local', 'tasks': data}]
    return data


def only_localhost(play):
    """Whether a play targets the controller only (its work is API calls)."""
    hosts = play.get('hosts')
    names = hosts if isinstance(hosts, list) else str(hosts).split(',')
    return all(str(name).strip() in ('localhost', '127.0.0.1') for name in names)


def used_roles(play):
    """The roles a play uses (roles:, and tasks that include or import a role by name), or None when it has tasks
    of its own."""
    names = [role if isinstance(role, str) else role.get('role', role.get('name')) for role in play.get('roles') or []]
    for section in ('pre_tasks', 'tasks', 'post_tasks', 'handlers'):
        for task in play.get(section) or []:
            action = [key for key in task if key in INCLUDE_ROLE]
            if not action or not isinstance(task[action[0]], dict):
                return None
            names.append(task[action[0]].get('name'))
    return names


def runs_for_real(plays):
    """A playbook runs for real when each of its plays targets localhost only (API work, as the module examples) or
    only uses READ_ONLY_ROLES; otherwise (patching, onboarding: plays that change managed hosts) in check mode."""
    return all('hosts' in play and (only_localhost(play) or set(used_roles(play) or [None]) <= READ_ONLY_ROLES)
               for play in plays)


def ci_commands(data, kind):
    if kind == 'github':
        return [step['run'] for job in data['jobs'].values() for step in job.get('steps', []) if 'run' in step]
    return [line for job in data.values() for line in job.get('script', [])]


CREDENTIAL_ASSIGNMENT = re.compile(r'\b(?:CYBERWATCH|CBW|CYSTACK)_[A-Z_]+=\S*\s*')


def without_credentials(text):
    """A shell text without its assignments of the connection variables (the simulator's are in the environment)."""
    lines = [CREDENTIAL_ASSIGNMENT.sub('', line) for line in text.splitlines()]
    return '\n'.join(line for line in lines if line.strip() not in ('export', '\\')) + '\n'


def shell_text(example):
    """A console block without its `$ ` prompts (continuation lines kept), a bash block as it is."""
    lines = example.text.splitlines()
    if not any(line.startswith('$ ') for line in lines):
        return example.text
    kept, going_on = [], False
    for line in lines:
        if line.startswith('$ '):
            kept.append(line[2:])
        elif going_on:
            kept.append(line)
        going_on = (line.startswith('$ ') or going_on) and line.rstrip().endswith('\\')
    return '\n'.join(kept) + '\n'


def children_cpu():
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


class Runner:
    def __init__(self, workdir, cores=('2.21',), verbose=False, role_readmes_only=False):
        self.workdir = Path(workdir)
        self.role_readmes_only = role_readmes_only
        self.docs_dir = self.workdir / 'docs'
        self.docs_dir.mkdir(parents=True, exist_ok=True)
        self.cores = cores
        self.verbose = verbose
        self.counts = {'run': 0, 'syntax-checked': 0, 'marked not-run': 0}
        self.failures = []
        self.sim = None
        self.plays = []
        self.pending = []

    # -- environment ------------------------------------------------------------------------------------------
    def env(self, core='2.21', **extra):
        env = {k: v for k, v in os.environ.items() if not k.startswith(('CYBERWATCH_', 'CBW_', 'CYSTACK_'))}
        venv = REPO / CORES[core]
        env.update(self.sim.env() if self.sim else {})
        env.update({
            'PATH': '%s:%s' % (venv / 'bin', env.get('PATH', '')),
            'ANSIBLE_COLLECTIONS_PATH': collections_root(self.workdir),
            'ANSIBLE_PYTHON_INTERPRETER': str(venv / 'bin' / 'python'),
            'ANSIBLE_NOCOLOR': '1', 'ANSIBLE_RETRY_FILES_ENABLED': '0', 'ANSIBLE_LOCALHOST_WARNING': '0',
            'ANSIBLE_INVENTORY_UNPARSED_WARNING': '0', 'ANSIBLE_HOST_KEY_CHECKING': '0',
            'ANSIBLE_CACHE_PLUGIN_CONNECTION': str(self.workdir / 'inventory-cache'),
        })
        env.update(extra)
        return env

    def call(self, cmd, core='2.21', cwd=None, env=None, timeout=300):
        started, cpu = time.time(), children_cpu()
        proc = subprocess.run([str(c) for c in cmd], cwd=str(cwd or self.workdir), env=env or self.env(core),
                              capture_output=True, text=True, timeout=timeout, check=False)
        if self.verbose:
            command = ' '.join(map(str, cmd))[:150]
            print('  %.1f s, %.1f CPU s, rc=%d %s' % (time.time() - started, children_cpu() - cpu, proc.returncode, command))
        return proc

    def fail(self, example, what, proc=None):
        detail = '' if proc is None else '\n%s\n%s' % (proc.stdout[-3000:], proc.stderr[-2000:])
        self.failures.append('%s: %s%s' % (example.name, what, detail))

    # -- the examples -----------------------------------------------------------------------------------------
    def write(self, name, data):
        path = self.workdir / name
        path.write_text(json.dumps(data) if not isinstance(data, str) else data)
        return path

    def save_named_file(self, example):
        """A YAML block opening with `# some/path.yml` is also that file of the docs' working directory."""
        first = example.text.lstrip().splitlines()[0] if example.text.strip() else ''
        named = re.match(r'#\s*([\w./-]+\.ya?ml)\b', first)
        if named and not named.group(1).startswith(('/', '..')):
            path = self.docs_dir / named.group(1)
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(self.adapted_yaml_text(example.text))

    def adapted_yaml_text(self, text):
        data = yaml.safe_load(text)
        if isinstance(data, dict) and 'plugin' in data:
            return yaml.safe_dump(self.adapted_source(data))
        return text

    def adapted_source(self, data):
        source = {k: v for k, v in data.items() if k not in CONNECTION_OPTIONS}
        if 'cache_connection' in source:
            source['cache_connection'] = str(self.workdir / 'inventory-cache')
        return source

    def run(self):
        examples = [e for e in all_examples() if e.origin == 'role-readme' or not self.role_readmes_only]
        parsed = []
        for example in examples:
            if example.language == 'shell':
                parsed.append((example, None, 'shell'))
                continue
            try:
                data = yaml.safe_load(example.text)
            except yaml.YAMLError as exc:
                self.fail(example, 'YAML does not parse: %s' % exc)
                continue
            kind = kind_of(example, data)
            if kind == 'play' or not self.role_readmes_only:
                parsed.append((example, data, kind))
                self.save_named_file(example)
        with Simulator(seed=1, servers=30, targets=15, scan_seconds=1) as self.sim:
            self.build_world()
            for index, (example, data, kind) in enumerate(parsed):
                before = len(self.failures)
                ran = getattr(self, 'check_' + kind.replace('-', '_'))(example, data, index)
                if len(self.failures) == before:
                    key = 'marked not-run' if example.marker else 'run' if ran else 'syntax-checked'
                    self.counts[key] += 1
            self.run_plays()
        return self.failures

    def check_other(self, example, data, index):
        del example, data, index
        return False

    def check_rulebook(self, example, data, index):
        del index
        import jsonschema  # pylint: disable=import-outside-toplevel
        import ansible_rulebook  # pylint: disable=import-outside-toplevel
        schema = json.loads((Path(ansible_rulebook.__file__).parent / 'schema' / 'ruleset_schema.json').read_text())
        try:
            jsonschema.validate(data, schema)
        except jsonschema.ValidationError as exc:
            self.fail(example, 'not a valid rulebook: %s' % exc.message)
        sources = REPO / 'extensions' / 'eda' / 'plugins' / 'event_source'
        for ruleset in data:
            for source in ruleset['sources']:
                name = next(k for k in source if k not in ('name', 'filters'))
                if name.startswith(COLLECTION) and not (sources / (name[len(COLLECTION):] + '.py')).exists():
                    self.fail(example, 'no such event source: %s' % name)
        return False

    def check_shell(self, example, data, index, commands=None):
        del data
        text = commands if commands is not None else shell_text(example)
        script = self.write('example-%d.sh' % index, text)
        proc = self.call(['bash', '-n', script])
        if proc.returncode:
            self.fail(example, 'bash -n failed', proc)
            return False
        if example.marker or commands is not None:
            return False
        script.write_text(without_credentials(text))
        env = self.env()
        with machine_packages():
            proc = self.call(['bash', '-e', script], cwd=self.docs_dir, env=env)
        if proc.returncode:
            self.fail(example, 'the snippet failed (rc=%d)' % proc.returncode, proc)
        return True

    def check_github(self, example, data, index):
        return self.check_recipe(example, data, index, 'github')

    def check_gitlab(self, example, data, index):
        return self.check_recipe(example, data, index, 'gitlab')

    def check_recipe(self, example, data, index, kind):
        """bash -n, then the proof that the recipe cannot pass with no host evaluated: its commands (the installs
        left out) with an empty inventory and a gate play that matches no host must fail."""
        commands = [c for c in ci_commands(data, kind) if not c.lstrip().startswith(('pip ', 'ansible-galaxy '))]
        self.check_shell(example, None, index, '\n'.join(ci_commands(data, kind)) + '\n')
        gates = set(re.findall(r'reports/(\w+?)\.(?:json|sarif|junit\.xml)', example.text))
        recipe_dir = self.workdir / ('recipe-%d' % index)
        (recipe_dir / 'inventory').mkdir(parents=True)
        (recipe_dir / 'inventory' / 'hosts.yml').write_text('all: {}\n')
        (recipe_dir / 'gate.yml').write_text(json.dumps([
            {'name': 'Gate', 'hosts': 'webservers', 'gather_facts': False, 'roles': ['secops.vulnmgmt.' + g]}
            for g in sorted(gates)]))
        script = recipe_dir / 'recipe.sh'
        script.write_text('set -e\n' + '\n'.join(commands) + '\n')
        variables = dict(data.get('variables', {})) if kind == 'gitlab' else {
            k: v for job in data['jobs'].values() for step in job['steps'] for k, v in step.get('env', {}).items()
            if not str(v).startswith('${{')}
        proc = self.call(['bash', script], cwd=recipe_dir, env=self.env(
            PWD=str(recipe_dir), CI_PROJECT_DIR=str(recipe_dir), **{k: str(v) for k, v in variables.items()}))
        # The play itself succeeds ("no hosts matched", exit 0): the recipe's own check must fail the job.
        if not gates or proc.returncode == 0 or 'no hosts matched' not in proc.stdout:
            self.fail(example, 'with an empty inventory the recipe must fail on its report check (rc=%d)'
                      % proc.returncode, proc)
        return True

    def check_inventory(self, example, data, index):
        if example.marker:
            return False
        name = 'example-%d.%s.yml' % (index, data['plugin'].rsplit('.', 1)[-1])
        path = self.write(name, yaml.safe_dump(self.adapted_source(data)))
        proc = self.call(['ansible-inventory', '-i', path, '--list'],
                         env=self.env(ANSIBLE_INVENTORY_ENABLED='auto', ANSIBLE_INVENTORY_UNPARSED_FAILED='1'))
        if proc.returncode:
            self.fail(example, 'ansible-inventory failed', proc)
            return False
        hosts = json.loads(proc.stdout).get('_meta', {}).get('hostvars', {})
        if not hosts:
            self.fail(example, 'the inventory source gave no host', proc)
        return True

    def check_tasks(self, example, data, index):
        return self.check_play(example, data, index, kind='tasks')

    def check_play(self, example, data, index, kind='play'):
        """Collected here; syntax-checked and run by run_plays, all in a few ansible-playbook calls."""
        del index
        self.plays.append((example, kind, as_plays(example, data, kind)))
        return not example.marker

    def run_plays(self):
        """One --syntax-check per core for every play, then one run of all module examples (each in a block whose
        rescue records its failure, after a reset of the simulator), and one run of each other play after a reset, for
        real or in check mode (runs_for_real)."""
        given = dict(EXAMPLE_VARS, sim_url=self.sim.url, example_dest=str(self.private_dir('dest')))
        extra_vars = '@' + str(self.write('example-vars.json', given))
        for core in self.cores:
            # The controllers' collections are not installed here: an example using one is marked, and parsed only.
            plays = [p for e, k, p in self.plays if (core == '2.21' or e.origin == 'role-readme')
                     and not any(name in e.text for name in NOT_INSTALLED)]
            books = [self.write('syntax-%d.yml' % i, p) for i, p in enumerate(plays)]
            proc = self.call(['ansible-playbook', '--syntax-check', '-i', self.inventory()] + books, core=core)
            if proc.returncode:
                self.fail_all('syntax check failed on ansible-core %s' % core, proc)
                return
        runnable = [(e, k, p) for e, k, p in self.plays if not e.marker]
        tasks = []
        for example, kind, plays in runnable:
            if kind == 'tasks':
                tasks += [{'name': 'Reset the simulator to the docs world before %s' % example.name,
                           'ansible.builtin.uri': {'url': '{{ sim_url }}/_sim/reset', 'method': 'POST',
                                                   'body_format': 'json', 'body': {'to': 'snapshot'}},
                           'check_mode': False},
                          {'name': 'EXAMPLE %s' % example.name, 'block': plays[0]['tasks'],
                           'rescue': [{'name': 'Record the failure of %s' % example.name, 'ansible.builtin.set_fact': {
                               'example_failures': "{{ example_failures | default({}) | combine({'%s': "
                                                   "ansible_failed_task.name ~ ': ' ~ (ansible_failed_result.msg "
                                                   "| default('')) }) }}" % example.name}}]}]
        if not tasks or self.run_module_examples(tasks, runnable, extra_vars):
            self.run_other_plays(runnable, extra_vars)

    def run_module_examples(self, tasks, runnable, extra_vars):
        """The module examples' tasks in one play; whether it ran to its end."""
        failed_file = self.workdir / 'module-example-failures.json'
        tasks.append({'name': 'Save the failures', 'check_mode': False, 'ansible.builtin.copy': {
            'content': '{{ example_failures | default({}) | to_json }}', 'dest': str(failed_file)}})
        module_play = {'name': 'Module examples', 'hosts': 'localhost', 'gather_facts': False,
                       'connection': 'local', 'tasks': tasks}
        proc = self.call(['ansible-playbook', '-i', self.inventory(), self.write('modules.yml', [module_play]),
                          '-e', extra_vars], timeout=900)
        if proc.returncode or not failed_file.exists():
            self.fail_all('the module examples play failed', proc)
            return False
        failed = json.loads(failed_file.read_text())
        for example, kind, dummy in runnable:
            if kind == 'tasks':
                self.outcome(example, failed.get(example.name))
        return True

    def run_other_plays(self, runnable, extra_vars):
        """Each play after a reset: the role README plays on every core, the others on the newest."""
        for core in self.cores:
            for example, kind, play in runnable:
                if kind == 'play' and (core == '2.21' or example.origin == 'role-readme'):
                    self.reset()
                    real = runs_for_real(play)
                    with machine_packages():  # an air-gap scan of this machine judges its packages
                        proc = self.call(['ansible-playbook', '-i', self.inventory()] + ([] if real else ['--check']) + [
                            self.write('play.yml', play), '-e', extra_vars], core=core)
                    self.outcome(example, proc.returncode and '%s failed on ansible-core %s:\n%s' % (
                        'the run' if real else 'the check-mode run', core, self.failed_lines(proc)))

    def outcome(self, example, failure):
        """Record a run's failure; a PENDING example must still fail (then it is counted, not failed)."""
        if example.key in PENDING:
            if failure:
                lines = failure.splitlines()  # the first line, and the last (the fatal one of a play)
                self.pending.append('%s: %s (%s)' % (example.name, PENDING[example.key], ' '.join(
                    line.strip()[:300] for line in lines[:1] + lines[1:][-1:])))
            else:
                self.failures.append('%s: passes now: remove %r from PENDING' % (example.name, example.key))
        elif failure:
            self.failures.append('%s: %s' % (example.name, failure))

    def private_dir(self, name):
        path = self.workdir / name
        path.mkdir(mode=0o700, exist_ok=True)
        return path

    def reset(self):
        """The seeded state, and the objects the examples name (the snapshot build_world took)."""
        self.sim.control('POST', 'reset', {'to': 'snapshot'})

    def build_world(self):
        """The seeded state plus DOCS_WORLD, remembered by the simulator (/_sim/snapshot) for every reset."""
        self.sim.reset()
        credentials = base64.b64encode(('%(api_key)s:%(secret_key)s' % self.sim.cyberwatch).encode()).decode()
        for path, body in DOCS_WORLD:
            request = urllib.request.Request(self.sim.url + path, data=json.dumps(body).encode(), method='POST', headers={
                'Content-Type': 'application/json', 'Authorization': 'Basic ' + credentials})
            with urllib.request.urlopen(request, timeout=30) as answer:
                answer.read()
        self.sim.control('POST', 'snapshot')

    @staticmethod
    def failed_lines(proc):
        return '\n'.join(line for line in proc.stdout.splitlines() if 'fatal' in line or 'EXAMPLE' in line
                         or 'FAILED' in line or 'msg' in line)[-8000:]

    def fail_all(self, what, proc):
        self.failures.append('%s\n%s\n%s' % (what, proc.stdout[-4000:], proc.stderr[-3000:]))

    def inventory(self):
        """localhost, and the groups the plays of the docs name, each with one host the simulator knows."""
        path = self.workdir / 'hosts.yml'
        if not path.exists():
            host = {'ansible_connection': 'local', 'ansible_python_interpreter': sys.executable}
            groups = {name: {'hosts': {'web-01.prod.example.com': dict(host, ansible_host='10.0.0.21')}}
                      for name in ('webservers', 'web', 'linux', 'isolated')}
            path.write_text(json.dumps({'all': {'hosts': {'localhost': host}, 'children': groups}}))
        return path


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n', 1)[0])
    parser.add_argument('--cores', default='2.21', help='comma-separated cores for the role README examples')
    parser.add_argument('--role-readmes-only', action='store_true',
                        help='only the plays of the role READMEs (the older cores run these, beside the newest)')
    parser.add_argument('-v', '--verbose', action='store_true')
    args = parser.parse_args(argv)
    started = time.time()
    with tempfile.TemporaryDirectory(prefix='vulnmgmt-examples-') as workdir:
        runner = Runner(workdir, cores=args.cores.split(','), verbose=args.verbose,
                        role_readmes_only=args.role_readmes_only)
        failures = runner.run()
    for failure in failures:
        print('FAILED %s\n' % failure)
    for pending in runner.pending:
        print('PENDING %s' % pending)
    print('examples: %d run, %d syntax-checked, %d marked not-run, %d pending (known: PENDING), %d failed in %.0f s' % (
        runner.counts['run'] - len(runner.pending), runner.counts['syntax-checked'], runner.counts['marked not-run'],
        len(runner.pending), len(failures), time.time() - started))
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main())
