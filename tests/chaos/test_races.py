"""Four ansible-playbook processes declare the same groups and remote accesses at the same moment.

A latency rule holds every create for a moment, so all four look up, find nothing and create: the server takes the
first create of each object and refuses the others with 422 "has already been taken". The losers must find the
winner and converge, not fail, and exactly one object per declaration must exist.
"""

import subprocess

import yaml

from scenarios import SECRET_PASSWORD

PROCESSES = 4
GROUPS = ['chaos-race-%d' % i for i in (1, 2)]
ADDRESSES = ['chaos-race-%d.example.com' % i for i in (1, 2)]


def declaration(description):
    tasks = [{'name': 'Group %s' % name, 'secops.vulnmgmt.cyberwatch_group': {'name': name, 'description': description}}
             for name in GROUPS]
    tasks.append({'name': 'Remote accesses', 'secops.vulnmgmt.cyberwatch_remote_accesses': {'remote_accesses': [
        {'address': address, 'type': 'ssh_password', 'login': 'race', 'password': SECRET_PASSWORD,
         'node': 'scanner-dmz'} for address in ADDRESSES]}})
    return [{'name': 'race', 'hosts': 'localhost', 'gather_facts': False, 'connection': 'local', 'tasks': tasks}]


def test_concurrent_runs_create_each_object_once_and_all_succeed(sim, ansible, clients, tmp_path):
    sim.reset()
    play = tmp_path / 'race.yml'
    play.write_text(yaml.safe_dump(declaration('declared in git')))
    sim.set_faults([{'kind': 'latency', 'seconds': 1.0, 'match': r'^POST /api/v3/assets/(groups|remote_accesses)$'}])
    env = dict(ansible.env)
    processes = [subprocess.Popen([str(ansible.bin / 'ansible-playbook'), '-vvvv', '-i', 'localhost,', str(play)],
                                  cwd=str(ansible.workdir), env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                  text=True) for dummy in range(PROCESSES)]
    outputs = [p.communicate(timeout=300)[0] for p in processes]
    sim.clear_faults()

    secrets = (SECRET_PASSWORD, sim.cyberwatch['api_key'], sim.cyberwatch['secret_key'])
    for process, output in zip(processes, outputs):
        assert process.returncode == 0, output[-4000:]
        assert not [secret for secret in secrets if secret in output], 'a secret shown at -vvvv'
    lost_races = [r for r in sim.requests() if r['method'] == 'POST' and r['status'] == 422]
    assert lost_races, 'no create lost a race: the test proved nothing'
    assert any('already taken' in output for output in outputs), 'a loser says how it converged'
    cw, dummy = clients()
    groups = [g['name'] for g in cw.list('group')]
    addresses = [a['address'] for a in cw.list('remote_access')]
    assert [groups.count(name) for name in GROUPS] == [1] * len(GROUPS), groups
    assert [addresses.count(address) for address in ADDRESSES] == [1] * len(ADDRESSES), addresses

    mark = len(sim.requests())
    again = ansible.run('ansible-playbook', ['-i', 'localhost,', play], warnings=None)
    assert 'changed=0' in again.stdout
    assert [r for r in sim.requests(mark) if r['method'] != 'GET'] == []
    print('race: %d processes, %d creates lost a race (422), %d groups and %d remote accesses, each once' % (
        PROCESSES, len(lost_races), len(GROUPS), len(ADDRESSES)))
