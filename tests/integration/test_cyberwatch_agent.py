"""cyberwatch_agent(_info) against the simulator, on the current and legacy routes: one run lists, removes the silent
agents (check mode first, then twice), one by id and those of a server (each twice); the request log proves which
tasks wrote. The seeded agents last communicated in 2024, so the silence threshold is computed from their dates."""

import time
from datetime import datetime

import pytest

from playbook_steps import fails_with, task_of, that

MODULE = 'secops.vulnmgmt.cyberwatch_agent'
INFO = 'secops.vulnmgmt.cyberwatch_agent_info'
PREFIX = {'current': '/api/v3/assets/agents', 'legacy': '/api/v3/agents'}


task = task_of(MODULE)


def silence_threshold(agents):
    """(stale_after in combined units such as 52h7m3s, ids of the agents older than it): a cut in the widest gap among
    the oldest agents."""
    dated = sorted((datetime.fromisoformat(a['last_communication']).timestamp(), a['id']) for a in agents)
    gap, cut = max((dated[i + 1][0] - dated[i][0], i) for i in range(1, min(8, len(dated) - 1)))
    assert gap > 600, dated
    middle = (dated[cut][0] + dated[cut + 1][0]) / 2
    seconds = int(time.time() - middle)
    stale_after = '%dh%dm%ds' % (seconds // 3600, seconds % 3600 // 60, seconds % 60)
    return stale_after, sorted(agent_id for dummy, agent_id in dated[:cut + 1])


@pytest.mark.parametrize('routes', ['current', 'legacy'])
def test_life_cycle(sim, ansible, cyberwatch_api, routes):
    agents = cyberwatch_api.list('agent')
    stale_after, stale_ids = silence_threshold(agents)
    kept = [a for a in agents if a['id'] not in stale_ids]
    by_id, by_server = kept[0], kept[1]
    hostname = cyberwatch_api.get('server', by_server['server_id'])['hostname']
    sim.clear_requests()
    tasks = [
        task(module=INFO, register='listed'), that('listed.agents | length == %d' % len(agents)),
        task(module=INFO, register='silent', stale_after=stale_after),
        that("silent.agents | map(attribute='id') | sort == %r" % stale_ids),
        task(check=True, stale_after=stale_after),
        that('result is changed', "result.agents | map(attribute='id') | sort == %r" % stale_ids),
        task(stale_after=stale_after),
        that('result is changed', "result.agents | map(attribute='id') | sort == %r" % stale_ids,
             "result.diff.before.agents | length == %d" % len(stale_ids)),
        task(stale_after=stale_after), that('result is not changed', 'result.agents == []'),
        task(check=True, id=by_id['id']), that('result is changed'),
        task(id=by_id['id']), that('result is changed', 'result.agents[0].id == %d' % by_id['id']),
        task(id=by_id['id']), that('result is not changed'),
        task(module=INFO, register='of_server', server=hostname.upper()),
        that("of_server.agents | map(attribute='id') | list == [%d]" % by_server['id']),
        task(server=hostname), that('result is changed', 'result.agents[0].id == %d' % by_server['id']),
        task(server=hostname), that('result is not changed'),
        task(server='no-such-host.example.com'), that('result is not changed'),
        task(module=INFO, register='left'),
        that('left.agents | length == %d' % (len(agents) - len(stale_ids) - 2)),
    ]
    out = ansible.playbook(tasks, ['-vvvv', '--diff'], env={'CYBERWATCH_API_ROUTES': routes},
                           warnings=['no server has the hostname no-such-host.example.com: it has no agent'])
    prefix = PREFIX[routes]
    deleted = [int(w['path'].rsplit('/', 1)[1]) for w in sim.writes()]
    assert {w['method'] for w in sim.writes()} == {'DELETE'}
    assert all(w['path'].startswith(prefix + '/') for w in sim.writes())
    assert sorted(deleted) == sorted(stale_ids + [by_id['id'], by_server['id']])
    for secret in (sim.cyberwatch['api_key'], sim.cyberwatch['secret_key']):
        assert secret not in out.stdout + out.stderr


BAD_INPUT = [
    ({'stale_after': '30 days'}, 'stale_after must be a positive duration: numbers followed by a unit s, m, h, d or w'),
    ({'stale_after': '0d'}, 'stale_after must be a positive duration'),
    ({'id': 1, 'server': 'x'}, 'parameters are mutually exclusive: id|server'),
    ({}, 'one of the following is required: id, server, stale_after'),
]


def test_bad_input_fails_before_any_request(sim, ansible):
    tasks = [step for params, message in BAD_INPUT for step in fails_with(task(**params), message)]
    ansible.playbook(tasks + fails_with(task(module=INFO, stale_after='soon'), 'stale_after must be'))
    assert sim.requests() == []
