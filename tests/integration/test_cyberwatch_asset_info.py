"""cyberwatch_asset_info and cyberwatch_os_info against the simulator, in one check-mode run: listing, detail by id,
hostname without case, the service filters sent to the server; never a write."""

from playbook_steps import task_of, that

MODULE = 'secops.vulnmgmt.cyberwatch_asset_info'
task = task_of(MODULE)


def test_assets_and_operating_systems(sim, ansible, cyberwatch_api):
    servers = cyberwatch_api.list('server')
    spooler_off = sorted(s['id'] for s in servers if s['os']['type'] == 'Os::Windows' and s['id'] % 2 == 0)
    assert spooler_off, 'the seeded fleet has no Windows server with an even id'
    first = servers[0]
    sim.clear_requests()
    tasks = [
        task(register='every'), that('every.assets | length == %d' % len(servers), "'packages' not in every.assets[0]"),
        task(register='one', id=first['id']),
        that('one.assets | length == 1', "'packages' in one.assets[0]", "one.assets[0].hostname == %r" % first['hostname']),
        task(register='named', hostname=first['hostname'].upper()),
        that("named.assets | map(attribute='id') | list == [%d]" % first['id']),
        task(register='spooler', service_name='spooler', service_status='disabled'),
        that("spooler.assets | map(attribute='id') | sort == %r" % spooler_off),
        task(register='missing', id=99999), that('missing.assets == []'),
        task(module='secops.vulnmgmt.cyberwatch_os_info', register='oses'),
        that('oses.operating_systems | length == 8', 'oses is not changed'),
        task(module='secops.vulnmgmt.cyberwatch_os_info', register='windows', key='windows_2019_64'),
        that("windows.operating_systems | map(attribute='name') | list == ['Windows Server 2019']"),
    ]
    ansible.playbook(tasks, ['--check'])
    requests = sim.requests()
    assert sim.writes() == []
    assert {r['path'] for r in requests} == {'/api/v3/assets/servers', '/api/v3/assets/servers/%d' % first['id'],
                                             '/api/v3/assets/servers/99999', '/api/v3/os'}
    assert any('service_name=spooler' in r['query'] and 'service_status=disabled' in r['query'] for r in requests)
