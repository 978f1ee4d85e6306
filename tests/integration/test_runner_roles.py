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

PROMPTED = 'awx-Prompted-pw1'
SCAN_PASSWORD = 'awx-Scan-pw2'
ONBOARD_PLAY = [{
    'name': 'Onboard from an AWX job template', 'hosts': 'fleet', 'gather_facts': False,
    'roles': [{'role': 'secops.vulnmgmt.cyberwatch_onboard', 'vars': {'cyberwatch_onboard_groups': ['from-awx']}}],
}]
# As AWX gives a Machine credential: `-u`, a prompted password, an ssh-agent key; never ansible_password. One host
# per choice of secret, and one that offers only the prompted password and the agent's key without opting in.
AWX_INVENTORY = {'fleet': {'hosts': {
    'awx-credential': {'ansible_host': '198.51.100.61', 'cyberwatch_onboard_credential': 'linux-scan-password'},
    'awx-scan-account': {'ansible_host': '198.51.100.62', 'cyberwatch_onboard_login': 'cyberwatch',
                         'cyberwatch_onboard_password': SCAN_PASSWORD},
    'awx-machine-credential': {'ansible_host': '198.51.100.63', 'cyberwatch_onboard_use_connection_secret': True},
    'awx-no-secret': {'ansible_host': '198.51.100.64'},
}}}


def private_data_dir(root, ansible, play, inventory=None):
    """An AWX-style private data directory: project/, inventory/, env/envvars with the injected credentials."""
    for sub in ('project', 'inventory', 'env'):
        (root / sub).mkdir(parents=True)
    (root / 'project' / 'site.yml').write_text(yaml.safe_dump(play))
    (root / 'inventory' / 'hosts.yml').write_text(yaml.safe_dump(inventory or {'all': {'hosts': {}}}))
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


def test_onboard_role_through_the_awx_stream_with_a_machine_credential(sim, ansible, tmp_path, cyberwatch_api):
    """transmit | worker | process, with the Machine credential in env/cmdline (-u, --ask-pass), env/passwords (the
    answer to the prompt) and env/ssh_key (loaded into ssh-agent), as AWX writes them."""
    declared = tmp_path / 'declared.json'
    dump = {'name': 'What the role declared', 'hosts': 'localhost', 'gather_facts': False, 'connection': 'local',
            'tasks': [{'ansible.builtin.copy': {'dest': str(declared), 'mode': '0600', 'content': (
                "{ {% for host in groups.fleet %}{{ host | to_json }}: {{ hostvars[host].cyberwatch_onboard_item"
                " | default(none) | to_json }}{{ '' if loop.last else ', ' }}{% endfor %} }")}, 'no_log': True}]}
    pdd = private_data_dir(tmp_path / 'job', ansible, ONBOARD_PLAY + [dump], AWX_INVENTORY)
    subprocess.run(['ssh-keygen', '-q', '-t', 'ed25519', '-N', '', '-f', str(tmp_path / 'agent_key')], check=True)
    agent_key = (tmp_path / 'agent_key').read_text()
    (pdd / 'env' / 'ssh_key').write_text(agent_key)
    (pdd / 'env' / 'cmdline').write_text('-u scan --ask-pass')
    (pdd / 'env' / 'passwords').write_text(yaml.safe_dump({r'SSH password:\s*?$': PROMPTED}))
    env = dict(os.environ, PATH='%s:%s' % (BIN, os.environ.get('PATH', '')))
    pipeline = ('"{bin}/ansible-runner" transmit "{pdd}" -p site.yml '
                '| "{bin}/ansible-runner" worker --private-data-dir "{work}" '
                '| "{bin}/ansible-runner" process "{out}"').format(
                    bin=BIN, pdd=pdd, work=tmp_path / 'worker', out=tmp_path / 'processed')
    proc = subprocess.run(['bash', '-o', 'pipefail', '-c', pipeline], env=env, capture_output=True, text=True,
                          timeout=300, check=False)
    output = ' '.join(proc.stdout.split())
    assert proc.returncode == 2, proc.stdout[-4000:] + proc.stderr[-3000:]
    assert 'awx-no-secret: no secret for the Cyberwatch remote access of 198.51.100.64' in output, output[-4000:]
    for host in AWX_INVENTORY['fleet']['hosts']:
        assert ('failed=%d' % (host == 'awx-no-secret')) in output.rsplit(host + ' :', maxsplit=1)[-1], output[-2000:]
    assert json.loads(declared.read_text()) == {
        'awx-credential': {'address': '198.51.100.61', 'type': 'ssh_password', 'credential': 'linux-scan-password',
                           'groups': ['from-awx']},
        'awx-scan-account': {'address': '198.51.100.62', 'type': 'ssh_password', 'login': 'cyberwatch',
                             'password': SCAN_PASSWORD, 'groups': ['from-awx']},
        'awx-machine-credential': {'address': '198.51.100.63', 'type': 'ssh_password', 'login': 'scan',
                                   'password': PROMPTED, 'groups': ['from-awx']},
        'awx-no-secret': None,
    }
    writes = [(w['method'], w['path']) for w in sim.writes() if 'remote_accesses' in w['path']]
    assert [w[0] for w in writes] == ['POST'] * 3, writes
    assert '198.51.100.64' not in {ra['address'] for ra in cyberwatch_api.list('remote_access')}
    for secret in secrets(ansible) + [PROMPTED, SCAN_PASSWORD, agent_key.splitlines()[1]]:
        assert secret not in proc.stdout and secret not in proc.stderr
