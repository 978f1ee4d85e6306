"""cyberwatch_server_action against the simulator: refresh (with wait, and its timeout), updates, reboot, check mode.

The simulator completes each action --test-deploy-delay seconds after the request; a server whose communication
failed is never analysed again (see tests/simulator/README.md).
"""

from cyberwatch import packages  # tests/simulator/cyberwatch/packages.py (conftest puts the simulator on the path)
import pytest
from playbook_steps import task_of, that

ACTION = 'secops.vulnmgmt.cyberwatch_server_action'
task = task_of(ACTION)


@pytest.fixture
def fleet(sim, cyberwatch_api):
    """(a vulnerable server with updates, none of whose packages the simulator's table knows, a server whose
    communication failed), both read before any test write."""
    del sim
    servers = cyberwatch_api.list('server')
    vulnerable = next(s for s in servers if s['status'] == 'server_vulnerable' and s['updates_count']
                      and s['cve_announcements_count'] > 1 and not any(
                          packages.entry(p['type'], p['product'])
                          for p in cyberwatch_api.request('GET', '/api/v3/assets/servers/%d' % s['id'])['packages']))
    comm_fail = next(s for s in servers if s['status'] == 'server_update_comm_fail')
    return vulnerable, comm_fail


def test_refresh_waits_for_the_new_analysis_then_updates_and_reboot(sim, ansible, fleet, cyberwatch_api):
    server, comm_fail = fleet
    sim.clear_requests()
    ansible.playbook([
        # check mode first: each action reports a change and sends nothing (the write log below proves it)
        task(ACTION, register='refresh_check', check=True, hostname=server['hostname'], action='refresh', wait=True),
        task(ACTION, register='updates_check', check=True, id=server['id'], action='install_updates'),
        task(ACTION, register='reboot_check', check=True, id=server['id'], action='reboot'),
        that('refresh_check is changed', 'updates_check is changed', 'reboot_check is changed',
             'refresh_check.server.id == %d' % server['id'],
             'updates_check.update_ids | length == %d' % server['updates_count']),
        task(ACTION, register='refresh', id=server['id'], action='refresh', wait=True, timeout=30),
        that('refresh is changed', "refresh.server.analyzed_at != '%s'" % server['analyzed_at'],
             'refresh.counts_before.cve_announcements_count == %d' % server['cve_announcements_count'],
             # the simulator's re-analysis derives CVEs from the packages its table knows, none of this server's
             # (tests/contract/test_cyberwatch_packages.py has the analyses that change something)
             'refresh.counts.cve_announcements_count == %d' % server['cve_announcements_count']),
        # an empty list (a plan that selected nothing) installs nothing; not set, every update
        task(ACTION, register='no_updates', id=server['id'], action='install_updates', update_ids=[]),
        task(ACTION, register='updates', id=server['id'], action='install_updates'),
        task(ACTION, register='reboot', hostname=server['hostname'], action='reboot'),
        that('no_updates is not changed', 'no_updates.update_ids == []',
             'updates is changed', 'updates.update_ids | length == %d' % server['updates_count'],
             "reboot.server.status == 'server_update_reboot'"),
        dict(task(ACTION, register='late', id=comm_fail['id'], action='refresh', wait=True, timeout=1), ignore_errors=True),
        that('late is failed', 'late.server_id == %d' % comm_fail['id'],
             "'server %d' in late.msg" % comm_fail['id'], "'not analysed again within 1 seconds' in late.msg"),
    ])
    base = '/api/v3/vulnerabilities/servers/'
    assert [(w['method'], w['path']) for w in sim.writes()] == [
        ('PUT', base + '%d/refresh' % server['id']), ('POST', base + '%d/updates' % server['id']),
        ('PATCH', base + '%d/reboot' % server['id']), ('PUT', base + '%d/refresh' % comm_fail['id'])]
    assert cyberwatch_api.get('server', server['id'])['updates_count'] == 0  # installed after the delay


def test_legacy_routes(sim, ansible, fleet):
    server, dummy = fleet
    sim.clear_requests()
    ansible.playbook([task(ACTION, register='refresh', id=server['id'], action='refresh'),
                      task(ACTION, register='reboot', hostname=server['hostname'], action='reboot'),
                      that('refresh is changed', 'reboot is changed')], env={'CYBERWATCH_API_ROUTES': 'legacy'})
    assert [(w['method'], w['path']) for w in sim.writes()] == [
        ('PUT', '/api/v3/servers/%d/refresh' % server['id']), ('PATCH', '/api/v3/servers/%d/reboot' % server['id'])]


def test_bad_input_fails_before_any_request_and_an_unknown_server_clearly(sim, ansible):
    ansible.playbook([
        dict(task(ACTION, register='a', id=1, action='reboot', update_ids=[3]), ignore_errors=True),
        dict(task(ACTION, register='b', id=1, action='reboot', wait=True), ignore_errors=True),
        dict(task(ACTION, register='c', id=1, action='restart'), ignore_errors=True),
        dict(task(ACTION, register='d', id=1, action='refresh', wait=True, timeout=-1), ignore_errors=True),
        dict(task(ACTION, register='e', hostname='nope.example.com', action='refresh'), ignore_errors=True),
        that("'update_ids is only accepted with action=install_updates' in a.msg",
             "'wait is only accepted with action=refresh' in b.msg",
             "'value of action must be one of: refresh, install_updates, reboot' in c.msg",
             "'timeout must be an integer of 0 or more, got -1' in d.msg", "e.msg == \"no server with hostname 'nope.example.com' exists\""),
    ])
    # Only the last task reached the API: the lookup of the hostname.
    assert {(r['method'], r['path']) for r in sim.requests()} == {('GET', '/api/v3/vulnerabilities/servers')}
