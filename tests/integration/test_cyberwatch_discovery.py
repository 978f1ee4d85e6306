"""cyberwatch_discovery(_info) against the simulator: relaunch (an action), delete twice, check mode, by id or name."""

from playbook_steps import task_of, that

DISCOVERY = 'secops.vulnmgmt.cyberwatch_discovery'
INFO = 'secops.vulnmgmt.cyberwatch_discovery_info'
task = task_of(DISCOVERY)


def test_relaunch_and_delete(sim, ansible):
    ansible.playbook([
        task(INFO, register='every'),
        task(INFO, register='by_id', id=2),
        that("every.discoveries | map(attribute='name') | list == ['office-lan', 'corp-ad']",
             "by_id.discoveries | map(attribute='name') | list == ['corp-ad']"),
        task(DISCOVERY, register='relaunch_check', check=True, name='office-lan'),
        task(DISCOVERY, register='delete_check', check=True, id=2, state='absent'),
        that('relaunch_check is changed', "relaunch_check.discovery.status == 'finished'", 'delete_check is changed',
             "delete_check.diff.before.name == 'corp-ad'"),
        task(DISCOVERY, register='relaunched', name='office-lan'),
        that('relaunched is changed', "relaunched.discovery.status == 'running'"),
        task(DISCOVERY, register='deleted', id=2, state='absent'),
        task(DISCOVERY, register='deleted_again', id=2, state='absent'),
        dict(task(DISCOVERY, register='gone', name='corp-ad'), ignore_errors=True),
        task(INFO, register='left', name='corp-ad'),
        that('deleted is changed', 'deleted_again is not changed', 'deleted.discovery is none', 'gone is failed',
             "'no discovery with name' in gone.msg", 'left.discoveries == []'),
    ])
    assert [(w['method'], w['path']) for w in sim.writes()] == [
        ('PUT', '/api/v3/assets/discoveries/1/relaunch'), ('DELETE', '/api/v3/assets/discoveries/2')]
    # No GET by id in the API: an id is read from the list.
    reads = set(r['path'].split('?')[0] for r in sim.requests() if r['method'] == 'GET')
    assert reads == {'/api/v3/assets/discoveries'}
