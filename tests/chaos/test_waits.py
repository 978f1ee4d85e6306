"""Long waits survive blips: more consecutive failures than the transport retries, and the wait still ends well.

Each poll is a GET that the transport retries 3 times; a rule that fails 6 polls in a row (503, then timeouts) makes
whole polls fail. The wait must keep polling within its timeout, and the scan must be launched exactly once.
"""

import pytest

from scenarios import SECRET_PASSWORD, TIMEOUT

BLIPS = {
    '503': {'kind': 'status', 'status': 503},
    'timeout': {'kind': 'latency', 'seconds': TIMEOUT + 0.5},
}
ENV = {'CYBERWATCH_REQUEST_TIMEOUT': str(TIMEOUT), 'CYSTACK_REQUEST_TIMEOUT': str(TIMEOUT),
       'CYBERWATCH_MAX_RETRIES': '1', 'CYSTACK_MAX_RETRIES': '1'}


@pytest.mark.parametrize('blip', list(BLIPS))
def test_a_scan_wait_polls_through_blips_and_launches_once(sim, ansible, clients, blip):
    sim.reset()
    dummy, cs = clients()
    target = cs.targets()[0]
    sim.set_faults([dict(BLIPS[blip], match=r'^GET /v1/scans/[0-9a-f-]+$', times=6)])
    scan = dict(target=target['address'], profile=1, wait=True, wait_timeout=90, poll_interval=1)
    ansible.playbook([{'secops.vulnmgmt.cystack_scan': scan, 'register': 'scan'},
                      {'ansible.builtin.assert': {'that': ["scan.scan.status == 'Stopped'"]}}], env=ENV, warnings=None)
    fired = sim.control('GET', 'faults')['faults'][0]['fired']
    launches = [r for r in sim.requests() if r['method'] == 'POST']
    assert fired == 6, 'the blips happened'
    assert len(launches) == 1, launches


def test_a_deployment_test_polls_through_blips(sim, ansible):
    sim.reset()
    sim.set_faults([dict(BLIPS['503'], match=r'^GET /api/v3/assets/remote_accesses/\d+$', times=6)])
    ansible.playbook([{'secops.vulnmgmt.cyberwatch_remote_access': dict(
        address='chaos-wait.example.com', type='ssh_password', login='chaos', password=SECRET_PASSWORD,
        node='scanner-dmz', test_deploy=True, test_deploy_timeout=60), 'register': 'ra'},
        {'ansible.builtin.assert': {'that': ['ra.is_valid is not none']}}], env=ENV, warnings=None)
    assert sim.control('GET', 'faults')['faults'][0]['fired'] == 6
    assert len([r for r in sim.requests() if r['method'] == 'POST']) == 1
