"""secops.vulnmgmt.cyberwatch inventory, compliance option: one extra listing of compliance/servers gives each host
its failed and checked rule counts and the <builtin_group_prefix>compliance_failed group; off, no extra request."""

from test_inventory_support import Inventory, api_requests, cyberwatch_servers, run_list

COMPLIANCE = '/api/v3/compliance/servers'


def test_compliance_counts_and_group_from_one_listing(sim, ansible, cyberwatch_api):
    servers = cyberwatch_servers(sim, cyberwatch_api)
    results = dict((s['id'], s) for s in cyberwatch_api.list('compliance_server', per_page=500))
    sim.clear_requests()
    inv = Inventory(run_list(ansible, 'cyberwatch', name='cbw-compliance', compliance=True, page_size=10,
                             builtin_group_prefix='cw_'))
    requests = api_requests(sim, '/api/v3/')
    listing = [r for r in requests if r['path'] == COMPLIANCE]
    assert len(listing) == 3 and all('per_page=10' in r['query'] for r in listing)  # 30 servers, pages of 10
    assert {r['path'] for r in requests} == {'/api/v3/vulnerabilities/servers', COMPLIANCE}
    by_id = dict((hostvars['cyberwatch_id'], (name, hostvars)) for name, hostvars in inv.hostvars.items())
    assert set(by_id) == set(servers)
    failing = set()
    for sid, (name, hostvars) in by_id.items():
        assert hostvars['cyberwatch_compliance_failed_count'] == results[sid]['compliance_rules_failed_count']
        assert hostvars['cyberwatch_compliance_rules_count'] == results[sid]['compliance_rules_count']
        if results[sid]['compliance_rules_failed_count']:
            failing.add(name)
    assert failing and len(failing) < len(servers)  # the seeded fleet has both kinds
    assert inv.group('cw_compliance_failed') == failing


def test_without_compliance_no_extra_request_and_no_hostvar(sim, ansible):
    inv = Inventory(run_list(ansible, 'cyberwatch', name='cbw-plain'))
    assert {r['path'] for r in api_requests(sim, '/api/v3/')} == {'/api/v3/vulnerabilities/servers'}
    assert not [name for name, hostvars in inv.hostvars.items() if 'cyberwatch_compliance_failed_count' in hostvars]
    assert 'cyberwatch_compliance_failed' not in inv.groups
