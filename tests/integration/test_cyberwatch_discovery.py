"""cyberwatch_discovery(_info) against the simulator: relaunch (an action), delete twice, check mode, by id or name."""

from playbook_steps import check, task

DISCOVERY = 'secops.vulnmgmt.cyberwatch_discovery'
INFO = 'secops.vulnmgmt.cyberwatch_discovery_info'


def test_relaunch_and_delete(sim, ansible):
    ansible.playbook([
        task(INFO, 'every'),
        task(INFO, 'by_id', id=2),
        check("every.discoveries | map(attribute='name') | list == ['office-lan', 'corp-ad']",
              "by_id.discoveries | map(attribute='name') | list == ['corp-ad']"),
        task(DISCOVERY, 'relaunch_check', check_mode=True, name='office-lan'),
        task(DISCOVERY, 'delete_check', check_mode=True, id=2, state='absent'),
        check('relaunch_check is changed', "relaunch_check.discovery.status == 'finished'", 'delete_check is changed',
              "delete_check.diff.before.name == 'corp-ad'"),
        task(DISCOVERY, 'relaunched', name='office-lan'),
        check('relaunched is changed', "relaunched.discovery.status == 'running'"),
        task(DISCOVERY, 'deleted', id=2, state='absent'),
        task(DISCOVERY, 'deleted_again', id=2, state='absent'),
        task(DISCOVERY, 'gone', ignore_errors=True, name='corp-ad'),
        task(INFO, 'left', name='corp-ad'),
        check('deleted is changed', 'deleted_again is not changed', 'deleted.discovery is none', 'gone is failed',
              "'no discovery with name' in gone.msg", 'left.discoveries == []'),
    ])
    assert [(w['method'], w['path']) for w in sim.writes()] == [
        ('PUT', '/api/v3/assets/discoveries/1/relaunch'), ('DELETE', '/api/v3/assets/discoveries/2')]
