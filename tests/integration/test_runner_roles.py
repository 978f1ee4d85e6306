"""The roles run through ansible-runner, AWX's job runner, with the credentials injected as environment variables
(env/envvars of the private data directory, exactly where AWX's credential injectors put them).

Two paths: the Python API (`ansible_runner.run`) and the AWX/receptor stream (`ansible-runner transmit | worker |
process`), whose pitfalls are in reference/toolchain.md (no `suppress_ansible_output` in env/settings).
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ansible_runner = pytest.importorskip('ansible_runner')   # in requirements-dev.txt; not in the ansible-core 2.16 leg

BIN = Path(sys.executable).parent
PASSTHROUGH = ('ANSIBLE_', 'CYBERWATCH_', 'CYSTACK_')

GATE_PLAY = [{
    'name': 'CyStack gate from an AWX job template', 'hosts': 'localhost', 'gather_facts': False,
    'tasks': [
        {'name': 'Targets', 'secops.vulnmgmt.cystack_target_info': {}, 'register': 'job_targets'},
        {'name': 'Gate', 'ansible.builtin.include_role': {'name': 'secops.vulnmgmt.cystack_scan_gate'},
         'vars': {'cystack_scan_gate_targets': "{{ (job_targets.targets | map(attribute='address') | list)[:2] }}",
                  'cystack_scan_gate_poll_interval': 1, 'cystack_scan_gate_thresholds': {'High': 99},
                  'cystack_scan_gate_report_dir': '{{ playbook_dir }}/../artifacts/reports'}},
    ]}]

ONBOARD_PLAY = [{
    'name': 'Onboard from an AWX job template', 'hosts': 'fleet', 'gather_facts': False,
    'roles': [{'role': 'secops.vulnmgmt.cyberwatch_onboard', 'vars': {'cyberwatch_onboard_groups': ['from-awx']}}],
}]
INVENTORY = {'fleet': {'hosts': {
    'runner-a': {'ansible_host': '198.51.100.61', 'ansible_user': 'scan', 'ansible_password': 'runner-secret-1'},
    'runner-b': {'ansible_host': '198.51.100.62', 'ansible_user': 'scan', 'ansible_password': 'runner-secret-2',
                 'ansible_connection': 'winrm'},
}}}


def private_data_dir(root, ansible, play):
    """An AWX-style private data directory: project/, inventory/, env/envvars with the injected credentials."""
    for sub in ('project', 'inventory', 'env'):
        (root / sub).mkdir(parents=True)
    (root / 'project' / 'site.yml').write_text(yaml.safe_dump(play))
    (root / 'inventory' / 'hosts.yml').write_text(yaml.safe_dump(INVENTORY))
    envvars = {k: v for k, v in ansible.env.items() if k.startswith(PASSTHROUGH)}
    envvars['ANSIBLE_PYTHON_INTERPRETER'] = sys.executable      # the pyenv shims would be discovered otherwise
    (root / 'env' / 'envvars').write_text(yaml.safe_dump(envvars))
    return root


def secrets(ansible):
    return [ansible.env['CYBERWATCH_SECRET_KEY'], ansible.env['CYBERWATCH_API_KEY'], ansible.env['CYSTACK_API_KEY']]


def test_gate_role_through_the_runner_api(sim, ansible, tmp_path, monkeypatch):
    pdd = private_data_dir(tmp_path / 'job', ansible, GATE_PLAY)
    monkeypatch.setenv('PATH', '%s:%s' % (BIN, os.environ.get('PATH', '')))   # the runner spawns ansible-playbook
    run = ansible_runner.run(private_data_dir=str(pdd), playbook='site.yml', quiet=True)
    stdout = run.stdout.read()
    assert run.status == 'successful' and run.rc == 0, stdout[-4000:]
    stats = [e for e in run.events if e['event'] == 'playbook_on_stats'][0]['event_data']
    assert stats['artifact_data']['cystack_scan_gate']['passed'] is True      # set_stats: what AWX shows
    summary = json.loads((pdd / 'artifacts' / 'reports' / 'cystack_scan_gate.json').read_text())
    assert len(summary['subjects']) == 2
    assert [r['auth'] for r in sim.requests()] and {r['auth'] for r in sim.requests()} == {'bearer'}
    for secret in secrets(ansible):
        assert secret not in stdout


def test_onboard_role_through_the_awx_stream(sim, ansible, tmp_path):
    pdd = private_data_dir(tmp_path / 'job', ansible, ONBOARD_PLAY)
    env = dict(os.environ, PATH='%s:%s' % (BIN, os.environ.get('PATH', '')))
    pipeline = ('"{bin}/ansible-runner" transmit "{pdd}" -p site.yml '
                '| "{bin}/ansible-runner" worker --private-data-dir "{work}" '
                '| "{bin}/ansible-runner" process "{out}"').format(
                    bin=BIN, pdd=pdd, work=tmp_path / 'worker', out=tmp_path / 'processed')
    proc = subprocess.run(['bash', '-o', 'pipefail', '-c', pipeline], env=env, capture_output=True, text=True,
                          timeout=300, check=False)
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-3000:]
    assert 'runner-a' in proc.stdout and 'failed=0' in proc.stdout
    writes = [(w['method'], w['path']) for w in sim.writes()]
    assert len([w for w in writes if w[0] == 'POST' and 'remote_accesses' in w[1]]) == 2
    for secret in secrets(ansible) + ['runner-secret-1', 'runner-secret-2']:
        assert secret not in proc.stdout and secret not in proc.stderr
