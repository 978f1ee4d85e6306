"""Faults on every write path: a faulted run, then fault-free runs until stable; no duplicate, nothing lost.

Each (batch, fault) runs the batch three times: run 1 with one fault rule per write path (each fires once, on that
path only), runs 2 and 3 without faults. The batch holding the onboarding role runs as an ansible-playbook process
(the role, and the -vvvv output of a real run); the module-only batches run each module's main() in this process
(harness.run_module_here: the recovery is client code, which no ansible-core changes). Then:
- every rule fired (a cell whose fault never happened proves nothing);
- a failed task names the method, the path and what to do; no output (-vvvv, or a result with its
  invocation) shows a secret;
- no declared object is duplicated or lost, and each path reached its declared state;
- run 3 reports changed=false and sends no write.
The cells are written to the results folder; conftest.py turns them into the table of tests/chaos/README.md.
"""

import json
import re
from collections import namedtuple

import pytest
import yaml
from harness import run_module_here

from scenarios import (
    FAULTS, FLEET, SECRET_PASSWORD, TIMEOUT, bulk_paths, cyberwatch_paths, cyberwatch_setup, cystack_baseline,
    cystack_paths,
)

WRITE_METHODS = ('POST', 'PUT', 'PATCH', 'DELETE')


def task_list(paths, results_file):
    tasks = []
    for index, path in enumerate(paths):
        if path.task == 'role':
            continue
        tasks.append(dict(path.task, name=path.name, register='chaos_%d' % index, ignore_errors=True))
    registered = ', '.join("'%d': chaos_%d" % (i, i) for i, p in enumerate(paths) if p.task != 'role')
    tasks.append({'name': 'Keep the results', 'ansible.builtin.copy': {
        'content': '{{ {%s} | to_json }}' % registered, 'dest': str(results_file), 'mode': '0600'},
        'changed_when': False})
    return tasks


def playbook(paths, results_file):
    plays = [{'name': 'chaos', 'hosts': 'localhost', 'gather_facts': False, 'connection': 'local',
              'tasks': task_list(paths, results_file)}]
    if any(p.task == 'role' for p in paths):
        plays.append({'name': 'onboard', 'hosts': 'fleet', 'gather_facts': False, 'vars': {
            'cyberwatch_onboard_node': 'scanner-dmz', 'cyberwatch_onboard_groups': ['chaos-onboarded'],
            'cyberwatch_onboard_use_connection_secret': True},
            'tasks': [{'name': 'Onboard', 'ansible.builtin.include_role': {'name': 'secops.vulnmgmt.cyberwatch_onboard'}}]})
    return plays


FLEET_INVENTORY = {'fleet': {'hosts': dict(
    # Documentation addresses: nothing connects to them, every task of the role runs on the controller.
    (name, {'ansible_host': '%s.chaos.example.com' % name, 'ansible_user': 'deploy', 'ansible_password': SECRET_PASSWORD})
    for name in FLEET)}}


def secrets_of(sim):
    return [sim.cyberwatch['api_key'], sim.cyberwatch['secret_key'], sim.cystack['api_key'], SECRET_PASSWORD]


Run = namedtuple('Run', 'output returncode results requests')


class Batch:
    """The three runs of one batch under one fault, against one freshly reset simulator."""

    def __init__(self, name, sim, ansible, clients, tmp_path):
        self.name, self.sim, self.ansible, self.tmp = name, sim, ansible, tmp_path
        sim.reset()
        cw, cs = clients()
        if name == 'cyberwatch':
            cyberwatch_setup(cw)
            self.paths, self.client = cyberwatch_paths(), cw
        elif name == 'bulk and role':
            self.paths, self.client = bulk_paths(), cw
        else:
            self.paths, self.client = cystack_paths(cs, cystack_baseline(cs)), cs
        # The role needs ansible-playbook; the modules run in this process (module docstring).
        self.in_process = all(path.task != 'role' for path in self.paths)
        self.timeouts = {'CYBERWATCH_REQUEST_TIMEOUT': str(TIMEOUT), 'CYSTACK_REQUEST_TIMEOUT': str(TIMEOUT)}
        self.environ = dict(sim.env(), **self.timeouts)
        self.results_file = tmp_path / 'results.json'
        self.play = tmp_path / 'chaos.yml'
        self.inventory = tmp_path / 'hosts.yml'
        if not self.in_process:
            self.play.write_text(yaml.safe_dump(playbook(self.paths, self.results_file)))
            self.inventory.write_text(yaml.safe_dump(dict(FLEET_INVENTORY, all={'hosts': {'localhost': {
                'ansible_connection': 'local'}}})))

    def run(self, verbose=False):
        """One run: its output, return code, per-path task results and the requests it sent."""
        mark = len(self.sim.requests())
        if self.in_process:
            results = {}
            for index, path in enumerate(self.paths):
                (module, params), = path.task.items()
                results[str(index)] = run_module_here(module.rsplit('.', 1)[-1], dict(
                    params, _ansible_inject_invocation=True), self.environ)
            return Run(json.dumps(results), 0, results, self.sim.requests(mark))
        if self.results_file.exists():
            self.results_file.unlink()
        args = ['-i', self.inventory, self.play] + (['-vvvv'] if verbose else [])
        proc = self.ansible.run('ansible-playbook', args, check=False, warnings=None, env=self.timeouts)
        results = json.loads(self.results_file.read_text()) if self.results_file.exists() else {}
        return Run(proc.stdout + proc.stderr, proc.returncode, results, self.sim.requests(mark))

    @staticmethod
    def role_changed(run):
        recap = run.output.split('PLAY RECAP')[-1]
        return any('changed=0 ' not in line for line in recap.splitlines() if line.startswith('chaos-web'))


@pytest.mark.parametrize('fault', list(FAULTS))
@pytest.mark.parametrize('batch', ['cyberwatch', 'bulk and role', 'cystack'])
def test_a_fault_on_every_write_path_leaves_no_duplicate_and_nothing_lost(batch, fault, sim, ansible, clients,
                                                                          tmp_path, record_cells):
    chaos = Batch(batch, sim, ansible, clients, tmp_path)
    sim.set_faults([path.rule(fault) for path in chaos.paths])
    faulted = chaos.run(verbose=True)
    fired = [rule['fired'] for rule in sim.control('GET', 'faults')['faults']]
    sim.clear_faults()
    second = chaos.run()
    third = chaos.run()

    leaked = [name for name, secret in zip(('cyberwatch api_key', 'secret_key', 'cystack api_key', 'password'),
                                           secrets_of(sim)) if secret in faulted.output]
    assert not leaked, "%s shown in the faulted run's output" % ', '.join(leaked)
    assert 'VALUE_SPECIFIED_IN_NO_LOG_PARAMETER' in faulted.output, 'the output must hold the censored arguments'
    assert fired == [1] * len(chaos.paths), 'every rule must fire once: %s' % fired
    assert second.returncode == 0, second.output[-4000:]
    assert third.returncode == 0, third.output[-4000:]
    writes3 = [r for r in third.requests if r['method'] in WRITE_METHODS]
    assert writes3 == [], 'run 3 must send no write: %s' % writes3

    cells = []
    for index, path in enumerate(chaos.paths):
        key = str(index)
        if path.task == 'role':
            failed, message = faulted.returncode != 0 and 'onboard' in faulted.output.split('PLAY RECAP')[0], ''
            changed2, changed3 = chaos.role_changed(second), chaos.role_changed(third)
        else:
            failed, message = faulted.results[key].get('failed', False), faulted.results[key].get('msg', '')
            changed2, changed3 = second.results[key]['changed'], third.results[key]['changed']
            assert not second.results[key].get('failed') and not third.results[key].get('failed'), (
                path.name, second.results[key])
        assert not changed3, '%s: run 3 changed' % path.name
        if failed and path.task != 'role':
            method, prefix = literal_request(path.route)
            assert method in message and prefix in message, (path.name, message)
            assert 'run the task again' in message, (path.name, message)
        duplicates, lost, reached = path.check(chaos.client)
        assert reached, '%s: declared state not reached' % path.name
        cells.append({'path': path.name, 'fault': fault, 'runs': 3, 'faulted_run': 'failed' if failed else 'ok',
                      'duplicates': duplicates, 'lost': lost, 'converge_runs': int(bool(changed2)),
                      'writes_faulted_run': len(path.writes(faulted.requests))})
    record_cells(cells)
    assert all(c['duplicates'] == 0 and c['lost'] == 0 for c in cells), cells


def literal_request(route):
    """('POST', '/api/v3/assets/groups') from the route pattern r'^POST /api/v3/assets/groups$'.

    CyStack paths are named relative to the API URL (/v1), as the client and its messages know them.
    """
    method, path = route.lstrip('^').split(' ', 1)
    method = method.strip('()').split('|')[0]
    path = re.split(r'[\\(\[?$]', path)[0].rstrip('/')
    return method, path[len('/v1'):] if path.startswith('/v1/') else path
