"""Hostile scanner data through the secops.vulnmgmt.cyberwatch inventory plugin, on every core: values are never
templated, refused host names and addresses fall back with a warning, another source's host is never overwritten,
and a malformed record fails the source."""

import json

from test_inventory_support import FAIL_ENV, Inventory, assert_failed_cleanly, run_list, source, source_failed

SERVERS = '/api/v3/vulnerabilities/servers'


def add_server(sim, **fields):
    return sim.control('POST', '/_sim/cyberwatch/servers', fields)


def refused(record_id, value, what='host name'):
    """The start of the warning for a refused value. ansible-core 2.16 wraps warnings, also after a hyphen between
    letters, and the harness joins the lines with a space: the expected texts have no such hyphen."""
    return 'secops.vulnmgmt.cyberwatch: record id %s: %s %r refused' % (record_id, what, value)


def test_hostile_values_are_printed_never_run(sim, ansible, workdir):
    marker = workdir / 'MARKER'
    payload = "{{ lookup('pipe', 'touch %s') }}" % marker
    hostile = add_server(sim, hostname=payload, addresses=['10.1.2.3'],
                         os={'key': payload, 'type': 'Os::Ubuntu', 'name': payload, 'short_name': payload})
    inventory_file = workdir / 'hostile.cyberwatch.yml'
    inventory_file.write_text(source('cyberwatch', compose={'shown_name': 'cyberwatch_hostname'}))
    play = workdir / 'hostile-play.yml'
    play.write_text(json.dumps([{'hosts': '10.1.2.3', 'gather_facts': False, 'connection': 'local', 'tasks': [
        {'ansible.builtin.debug': {'var': 'cyberwatch_hostname'}},
        {'ansible.builtin.debug': {'msg': 'os {{ cyberwatch_os.name }} / {{ shown_name }} / {{ cyberwatch_os }}'}},
    ]}]))
    proc = ansible.run('ansible-playbook', ['-i', inventory_file, play], env={'ANSIBLE_INVENTORY_ENABLED': 'auto'},
                       warnings=('record id %s: host name %s' % (hostile['id'], repr(payload)[:25]),))
    assert not marker.exists()
    assert proc.stdout.count(payload) >= 3, proc.stdout[-3000:]
    assert 'ok: [10.1.2.3]' in proc.stdout


def test_refused_names_and_addresses_and_an_existing_host_in_one_run(sim, ansible, workdir):
    static = workdir / 'static.yml'
    static.write_text(json.dumps({'webservers': {'hosts': {'webexisting.example.com': {'ansible_host': '192.0.2.10'}}}}))
    ids = dict((name, add_server(sim, hostname=hostname, addresses=addresses)['id']) for name, hostname, addresses in (
        ('localhost', 'localhost', ['10.2.0.1']),
        ('all', 'all', ['-oProxyCommand=touch x']),
        ('group', 'webservers', ['10.2.0.3']),
        ('existing', 'webexisting.example.com', ['10.2.0.4']),
        ('pattern', 'a,b', ['127.0.0.1']),
    ))
    inventory_file = workdir / 'refusals.cyberwatch.yml'
    inventory_file.write_text(source('cyberwatch'))
    warnings = (
        refused(ids['localhost'], 'localhost'),
        refused(ids['all'], 'all'),
        refused(ids['all'], '-oProxyCommand=touch x'),
        refused(ids['all'], '-oProxyCommand=touch x', 'ansible_host'),
        refused(ids['group'], 'webservers'),
        refused(ids['pattern'], 'a,b'),
        refused(ids['pattern'], '127.0.0.1'),
        refused(ids['pattern'], '127.0.0.1', 'ansible_host'),
        "record id %s: host 'webexisting.example.com' is defined by another inventory source: added as "
        "'webexisting.example.com_%s' (existing_hosts=rename)" % (ids['existing'], ids['existing']),
    )
    inv = Inventory(ansible.run('ansible-inventory', ['-i', static, '-i', inventory_file, '--list'],
                                env={'ANSIBLE_INVENTORY_ENABLED': 'auto,yaml'}, warnings=warnings))
    by_id = dict((hostvars.get('cyberwatch_id'), name) for name, hostvars in inv.hostvars.items())
    assert by_id[ids['localhost']] == '10.2.0.1' and 'localhost' not in inv.hosts
    assert by_id[ids['all']] == str(ids['all']) and 'ansible_host' not in inv.hostvars[str(ids['all'])]
    assert by_id[ids['group']] == '10.2.0.3' and inv.group('webservers') == {'webexisting.example.com'}
    assert by_id[ids['existing']] == 'webexisting.example.com_%s' % ids['existing']
    assert inv.hostvars['webexisting.example.com'] == {'ansible_host': '192.0.2.10'}
    assert by_id[ids['pattern']] == str(ids['pattern']) and 'ansible_host' not in inv.hostvars[str(ids['pattern'])]
    assert len(inv.hosts) == 30 + 5 + 1


def test_a_malformed_record_fails_the_source(sim, ansible):
    bad = add_server(sim, hostname='odd.example.com', os='Ubuntu 22.04')
    message = 'malformed answer to GET %s: record 30 (id %s): os is a string, expected an object or null' % (
        SERVERS, bad['id'])
    proc = run_list(ansible, 'cyberwatch', env=FAIL_ENV, check=False, warnings=source_failed(message))
    assert_failed_cleanly(proc, 'secops.vulnmgmt.cyberwatch: the inventory source failed, no host was added: ' + message)
