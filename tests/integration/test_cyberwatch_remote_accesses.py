"""cyberwatch_remote_accesses: a whole set in one task, with one listing instead of one per item."""

import math

import pytest

MODULE = 'secops.vulnmgmt.cyberwatch_remote_accesses'
PASSWORD = 'bulk-Passw0rd-never-printed'


def declared(count, **extra):
    return [dict({'address': 'bulk-%03d.example.com' % n, 'type': 'ssh_password', 'login': 'scan',
                  'password': PASSWORD}, **extra) for n in range(count)]


def task(items, **params):
    return {MODULE: dict(params, remote_accesses=items), 'register': 'result'}


@pytest.mark.fleet
def test_100_in_one_task_then_a_no_op_in_two_requests(sim, ansible):
    items = declared(100)
    ansible.playbook([task(items), {'assert': {'that': [
        'result is changed', 'result.results | selectattr("action", "eq", "created") | list | length == 100']}}])
    assert [w['method'] for w in sim.writes()] == ['POST'] * 100
    total = sim.control('GET', 'state')['remote_accesses']
    sim.clear_requests()
    ansible.playbook([task(items), {'assert': {'that': ['result is not changed',
                                                        'result.remote_accesses | length == 100']}}])
    made = sim.requests()
    assert sim.writes() == []
    assert len(made) == math.ceil(total / 100.0), made  # one listing for the whole set, per_page 100
    assert all('per_page=100' in r['query'] for r in made)


def test_check_mode_then_update_one_field_with_diff(sim, ansible):
    items = declared(3)
    ansible.playbook([task(items), {'assert': {'that': ['result is changed']}}], ['--check'])
    assert sim.writes() == []
    ansible.playbook([task(items)])
    sim.clear_requests()
    items[1]['port'] = 2222
    out = ansible.playbook([task(items), {'assert': {'that': [
        'result is changed',
        "result.diff.after == {'bulk-001.example.com': {'port': 2222}}",
        "result.diff.before == {'bulk-001.example.com': {'port': 22}}",
        "result.results | map(attribute='action') | list == ['none', 'updated', 'none']"]}}], ['--diff'])
    assert [(w['method'], w['path'].rsplit('/', 1)[0]) for w in sim.writes()] == [
        ('PATCH', '/api/v3/assets/remote_accesses')]
    assert PASSWORD not in out.stdout


def test_purge_deletes_what_is_not_declared(sim, ansible):
    seeded = sim.control('GET', 'state')['remote_accesses']
    ansible.playbook([task(declared(2), purge=True), {'assert': {'that': [
        'result is changed',
        "result.results | selectattr('action', 'eq', 'deleted') | list | length == %d" % seeded,
        'result.remote_accesses | length == 2']}}])
    assert sim.control('GET', 'state')['remote_accesses'] == 2
    ansible.playbook([task(declared(2), purge=True), {'assert': {'that': ['result is not changed']}}])


@pytest.mark.parametrize('items,message', [
    ([{'address': 'a.example.com', 'type': 'snmp'}, {'address': 'A.example.com', 'type': 'snmp'}],
     'remote_accesses[1].address A.example.com is declared twice'),
    ([{'address': 'a.example.com', 'type': 'snmp', 'port': 70000}], 'remote_accesses[0].port must be an integer between 1 and 65535, got 70000'),
    ([{'address': 'a.example.com', 'type': 'telnet'}], 'value of type must be one of'),
])
def test_bad_input_fails_before_any_request(sim, ansible, items, message):
    ansible.fails([task(items)], message)
    assert sim.requests() == []


@pytest.mark.parametrize('items,message', [
    ([{'address': 'new.example.com'}], 'type is required to create new.example.com'),
    ([{'address': 'new.example.com', 'type': 'snmp', 'node': 'no-such-node'}], "node 'no-such-node': not found"),
])
def test_a_doomed_item_fails_before_any_write(sim, ansible, items, message):
    ansible.fails([task(declared(2) + items)], message)
    assert sim.writes() == []


def test_deployment_tests_report_unreachable_hosts(sim, ansible):
    items = [{'address': '203.0.113.7', 'type': 'ssh_password', 'login': 'scan', 'password': PASSWORD},
             {'address': '198.51.100.7', 'type': 'ssh_password', 'login': 'scan', 'password': PASSWORD}]
    out = ansible.playbook([task(items, test_deploy=True), {'assert': {'that': [
        "result.invalid == [{'address': '203.0.113.7', 'last_error': 'Net::SSH::ConnectionTimeout'}]",
        'result.remote_accesses[1].is_valid']}}], ['-vvvv'])
    for secret in (PASSWORD, sim.cyberwatch['api_key'], sim.cyberwatch['secret_key']):
        assert secret not in out.stdout + out.stderr
