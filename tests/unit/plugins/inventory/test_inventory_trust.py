"""Hostile API data in the inventory plugins: refused host names, existing hosts, ansible_host, untrusted hostvars,
malformed records and the cache directory (no network)."""

import copy
import os

import pytest
import yaml

# the collection's code first: importing ansible.plugins installs the collection finder, which only knows the configured paths
from ansible_collections.secops.vulnmgmt.plugins.plugin_utils import inventory as inventory_utils
from ansible_collections.secops.vulnmgmt.plugins.plugin_utils.inventory import MalformedAnswer
from ansible_collections.secops.vulnmgmt.plugins.inventory import cyberwatch, cystack  # noqa: I100

from ansible_collections.secops.vulnmgmt.tests.unit.plugins.inventory.test_inventory_plugins import (  # noqa: I100
    CBW_DEFAULTS, CYS_DEFAULTS, FakeCyberwatch, build, make, server, trust_as_template,
)

from ansible.errors import AnsibleParserError  # noqa: I100  pylint: disable=wrong-import-order
from ansible.inventory.data import InventoryData  # pylint: disable=wrong-import-order
from ansible.template import Templar  # pylint: disable=wrong-import-order

SERVERS = '/api/v3/vulnerabilities/servers'


def cyberwatch_inventory(hostname, addresses=('10.0.0.5',), inventory=None, **options):
    plugin = make(cyberwatch, CBW_DEFAULTS, inventory=inventory, **options)
    build(plugin, {'servers': [server(42, hostname, addresses=list(addresses))]})
    return plugin


@pytest.mark.parametrize('hostname, reason', [
    ('localhost', 'names the controller itself'),
    ('LOCALHOST.localdomain', 'names the controller itself'),
    ('127.0.0.1', 'names the controller itself'),
    ('all', 'is the name of a group'),
    ('ungrouped', 'is the name of a group'),
    ('cyberwatch_os_type_ubuntu', 'is the name of a group'),  # a group this source makes
    ('webservers', 'is the name of a group'),  # a group of a source read before
    ('patch_now', 'is the name of a group'),  # a group of the `groups` option
    ('a,b', 'not a plain host name'),
    ('web[1:3]', 'not a plain host name'),
    ('web:22', 'not a plain host name'),
    ('!web', 'not a plain host name'),
    ('web*', 'not a plain host name'),
    ('two words', 'not a plain host name'),
    ('-oProxyCommand=touch_x', 'not a plain host name'),
    ("{{ lookup('pipe', 'id') }}", 'not a plain host name'),
])
def test_a_refused_host_name_warns_and_the_next_preference_names_the_host(hostname, reason):
    inventory = InventoryData()
    inventory.add_group('webservers')
    plugin = cyberwatch_inventory(hostname, inventory=inventory, groups={'patch_now': trust_as_template('cyberwatch_reboot_required')},
                                  group_by=['os_type'])
    assert hostname not in plugin.inventory.hosts
    assert '10.0.0.5' in plugin.inventory.hosts
    assert plugin.inventory.get_host('10.0.0.5').vars['cyberwatch_hostname'] == hostname
    [warning] = plugin.display.warnings
    assert warning.startswith('secops.vulnmgmt.cyberwatch: record id 42: host name %r refused (it ' % hostname)
    assert reason in warning and 'trying the next hostnames preference' in warning


def test_every_refused_preference_warns_and_the_id_is_the_last_fallback():
    plugin = cyberwatch_inventory('localhost', addresses=['127.0.0.1'])
    assert list(plugin.inventory.hosts) == ['42']
    assert 'ansible_host' not in plugin.inventory.get_host('42').vars
    assert [w.split(' (')[0] for w in plugin.display.warnings] == [
        "secops.vulnmgmt.cyberwatch: record id 42: ansible_host '127.0.0.1' refused",
        "secops.vulnmgmt.cyberwatch: record id 42: host name 'localhost' refused",
        "secops.vulnmgmt.cyberwatch: record id 42: host name '127.0.0.1' refused"]


def test_a_refused_expression_result_and_a_long_value_cut_in_the_warning():
    plugin = cyberwatch_inventory('x' * 300 + '{', hostnames=['hostname', trust_as_template("'localhost'"), 'id'])
    assert list(plugin.inventory.hosts) == ['42']
    long_value, expression = plugin.display.warnings
    assert "host name 'xxx" in long_value and "...' refused" not in long_value and '... refused (it is not a plain' in long_value
    assert len(long_value) < 300
    assert "host name 'localhost' refused (it names the controller itself" in expression


def test_the_id_fallback_is_checked_too():
    plugin = make(cystack, CYS_DEFAULTS)
    hosts = plugin.build_hosts({'targets': [{'id': 'localhost', 'address': None, 'verification': 0}]})
    with pytest.raises(ValueError, match="record id 'localhost' cannot be a host name either"):
        plugin.add_hosts(hosts)


def test_names_are_deterministic_whatever_the_order():
    servers = [server(3, 'all'), server(5, 'web', addresses=['10.0.0.9']), server(9, 'web')]
    names = []
    for ordered in (servers, list(reversed(servers))):
        plugin = make(cyberwatch, CBW_DEFAULTS)
        build(plugin, {'servers': copy.deepcopy(ordered)})
        names.append(sorted((host.name, host.vars['cyberwatch_id']) for host in plugin.inventory.hosts.values()))
    assert names[0] == names[1] == [('10.0.0.3', 3), ('web', 5), ('web_9', 9)]


def existing_inventory():
    inventory = InventoryData()
    inventory.add_host('web-1.example.com')
    inventory.set_variable('web-1.example.com', 'ansible_host', '192.0.2.10')
    return inventory


@pytest.mark.parametrize('policy, added, warning, existing_id', [
    ('rename', ['web-1.example.com_3', 'web-1.example.com_7'], "added as 'web-1.example.com_3' (existing_hosts=rename)", None),
    ('skip', ['web-1.example.com_7'], 'left out (existing_hosts=skip)', None),
    ('merge', ['web-1.example.com_7'], None, 3),  # the behaviour before 0.3.0: the lowest id merges into the host
])
def test_a_host_of_another_source(policy, added, warning, existing_id):
    """duplicate_hostnames first (3 keeps the name, 7 becomes <name>_7), then existing_hosts on the names it gave."""
    plugin = make(cyberwatch, CBW_DEFAULTS, inventory=existing_inventory(), existing_hosts=policy)
    build(plugin, {'servers': [server(7, 'web-1.example.com'), server(3, 'web-1.example.com'), server(1, 'db')]})
    hosts = plugin.inventory.hosts
    assert sorted(hosts) == sorted(['db', 'web-1.example.com'] + added)
    assert hosts['web-1.example.com'].vars.get('cyberwatch_id') == existing_id
    assert hosts['web-1.example.com'].vars['ansible_host'] == ('10.0.0.3' if existing_id else '192.0.2.10')
    assert hosts['web-1.example.com_7'].vars['cyberwatch_id'] == 7
    assert plugin.display.warnings == ([
        "secops.vulnmgmt.cyberwatch: record id 3: host 'web-1.example.com' is defined by another inventory source: "
        + warning] if warning else [])


def test_rename_is_the_default_and_fails_when_the_new_name_is_taken_too():
    from ansible_collections.secops.vulnmgmt.plugins.doc_fragments.inventory import ModuleDocFragment
    assert yaml.safe_load(ModuleDocFragment.DOCUMENTATION)['options']['existing_hosts']['default'] == 'rename'
    for module in (cyberwatch, cystack):
        assert 'secops.vulnmgmt.inventory' in yaml.safe_load(module.DOCUMENTATION)['extends_documentation_fragment']
    inventory = existing_inventory()
    inventory.add_host('web-1.example.com_3')
    plugin = make(cyberwatch, CBW_DEFAULTS, inventory=inventory)
    with pytest.raises(ValueError, match="cannot be renamed to 'web-1.example.com_3': it is taken too"):
        build(plugin, {'servers': [server(3, 'web-1.example.com')]})


@pytest.mark.parametrize('address', ['-oProxyCommand=touch x', '127.0.0.1', '::1', 'localhost', '0.0.0.0',
                                     'a..b', 'x' * 254, "{{ lookup('pipe', 'id') }}"])
def test_a_bad_ansible_host_is_not_set(address):
    plugin = cyberwatch_inventory('web.example.com', addresses=[address])
    hostvars = plugin.inventory.get_host('web.example.com').vars
    assert 'ansible_host' not in hostvars and hostvars['cyberwatch_addresses'] == [address]
    assert plugin.display.warnings[0].startswith('secops.vulnmgmt.cyberwatch: record id 42: ansible_host %s refused (' % (
        inventory_utils.shorten(address)))


def test_cystack_refuses_the_same_names_and_addresses():
    plugin = make(cystack, CYS_DEFAULTS)
    build(plugin, {'targets': [{'id': 'a', 'address': 'http://localhost:8080/', 'verification': 0},
                               {'id': 'b', 'address': 'https://[2001:db8::1]/', 'verification': 0}]})
    assert sorted(plugin.inventory.hosts) == ['a', 'b']
    assert 'ansible_host' not in plugin.inventory.get_host('a').vars
    assert plugin.inventory.get_host('b').vars['ansible_host'] == '2001:db8::1'
    assert sorted(w.split(' (')[0] for w in plugin.display.warnings) == [
        "secops.vulnmgmt.cystack: record id 'a': ansible_host 'localhost' refused",
        "secops.vulnmgmt.cystack: record id 'a': host name 'localhost' refused",
        "secops.vulnmgmt.cystack: record id 'b': host name '2001:db8::1' refused"]


def test_a_cystack_address_without_a_readable_host_keeps_the_target_and_warns():
    plugin = make(cystack, CYS_DEFAULTS)
    build(plugin, {'targets': [{'id': 'a', 'address': 'http://[oops/', 'verification': 0}]})
    assert sorted(plugin.inventory.hosts) == ['a']
    hostvars = plugin.inventory.get_host('a').vars
    assert hostvars['cystack_host'] is None and 'ansible_host' not in hostvars
    assert plugin.display.warnings == ["secops.vulnmgmt.cystack: record id 'a': address 'http://[oops/' has no readable "
                                       "host; cystack_host and ansible_host are not set"]


def test_hostvars_are_never_templated(tmp_path):
    marker = tmp_path / 'MARKER'
    payload = "{{ lookup('pipe', 'touch %s') }}" % marker
    hostile = server(42, payload, addresses=['10.0.0.5'])
    hostile['os']['short_name'] = payload
    plugin = make(cyberwatch, CBW_DEFAULTS, compose={'shown': trust_as_template('cyberwatch_hostname')})
    build(plugin, {'servers': [hostile]})
    hostvars = plugin.inventory.get_host('10.0.0.5').vars
    templar = Templar(loader=plugin.loader, variables=hostvars)
    assert templar.template(trust_as_template('{{ cyberwatch_hostname }}')) == payload
    assert templar.template(trust_as_template('{{ cyberwatch_os.short_name }}')) == payload
    assert templar.template(trust_as_template('{{ shown }}')) == payload
    assert not marker.exists()


def malformed_servers(case):
    servers = [server(1, 'ok.example.com'), server(7, 'bad.example.com')]
    case(servers)
    return servers


@pytest.mark.parametrize('case, where, problem', [
    (lambda s: s.__setitem__(1, ['not', 'an', 'object']), 'record 1', 'it is a list, expected an object'),
    (lambda s: s[1].pop('id'), 'record 1', 'id is missing'),
    (lambda s: s[1].update(id={'a': 1}), 'record 1', 'id is an object, expected a number or a non-empty string'),
    (lambda s: s[1].update(groups={'id': 1}), 'record 1 (id 7)', 'groups is an object, expected a list or null'),
    (lambda s: s[1].update(groups=['prod']), 'record 1 (id 7)', 'groups[0] is a string, expected an object'),
    (lambda s: s[1].update(os='Ubuntu'), 'record 1 (id 7)', 'os is a string, expected an object or null'),
    (lambda s: s[1].update(environment='prod'), 'record 1 (id 7)', 'environment is a string, expected an object'),
    (lambda s: s[1].update(addresses='10.0.0.1'), 'record 1 (id 7)', 'addresses is a string, expected a list'),
    (lambda s: s[1].update(addresses=[{'ip': '10.0.0.1'}]), 'record 1 (id 7)', 'addresses[0] is an object'),
    (lambda s: s[1].update(updates_count='3'), 'record 1 (id 7)', 'updates_count is a string, expected a number'),
    (lambda s: s[1].update(prioritized_cve_announcements_count=[1]), 'record 1 (id 7)',
     'prioritized_cve_announcements_count is a list, expected a number'),
    (lambda s: s[1].update(hostname={'name': 'x'}), 'record 1 (id 7)', 'hostname is an object, expected a string'),
    (lambda s: s[1].update(updates_count=True), 'record 1 (id 7)', 'updates_count is a boolean, expected a number'),
    (lambda s: s[1].update(addresses=['10.0.0.1', None]), 'record 1 (id 7)', 'addresses[1] is null, expected a string'),
    (lambda s: s[1]['os'].update(key=12), 'record 1 (id 7)', 'os.key is a number, expected a string or null'),
    (lambda s: s[1]['os'].update(type=['Os::Debian']), 'record 1 (id 7)', 'os.type is a list, expected a string'),
    (lambda s: s[1].update(environment={'name': {'x': 1}}), 'record 1 (id 7)',
     'environment.name is an object, expected a string or null'),
    (lambda s: s[1].update(groups=[{'id': 1, 'name': 'ok'}, {'id': 2, 'name': 3}]), 'record 1 (id 7)',
     'groups[1].name is a number, expected a string or null'),
])
def test_cyberwatch_malformed_servers_fail_naming_the_request_and_the_record(case, where, problem):
    plugin = make(cyberwatch, CBW_DEFAULTS)
    with pytest.raises(MalformedAnswer) as caught:
        plugin.build_hosts({'servers': malformed_servers(case)})
    assert str(caught.value).startswith('malformed answer to GET %s: %s: ' % (SERVERS, where))
    assert problem in str(caught.value)


class Subclassed(dict):
    """A JSON object of another type than dict (a cache serializer's): the exact-type fast path leaves it to check()."""


def test_cyberwatch_servers_of_the_documented_types_pass_whatever_their_python_types():
    well_formed = server(7, 'b.example.com', addresses=['10.0.0.7'])
    well_formed.update(os=Subclassed(well_formed['os']), updates_count=2.0, environment=None,
                       groups=[Subclassed(id=1, name='prod'), {'id': 2, 'name': None}])
    plugin = make(cyberwatch, CBW_DEFAULTS)
    assert plugin.check_server(0, well_formed) is well_formed
    assert [host[0] for host in plugin.build_hosts({'servers': [well_formed]})] == [7]


def test_cyberwatch_legacy_routes_name_their_path():
    plugin = make(cyberwatch, CBW_DEFAULTS, api_routes='legacy')
    with pytest.raises(MalformedAnswer, match='malformed answer to GET /api/v3/servers: record 0: it is a string'):
        plugin.build_hosts({'servers': ['x']})


@pytest.mark.parametrize('payload, message', [
    ({'details': [{'active_cves': [], 'updates': []}, 'x']}, 'GET %s/7: the server detail: it is a string' % SERVERS),
    ({'details': [{'active_cves': [], 'updates': []}, {'active_cves': 'CVE-1', 'updates': []}]},
     'GET %s/7: the server detail: active_cves is a string, expected a list' % SERVERS),
    ({'details': [{'active_cves': [], 'updates': []}, {'active_cves': [['CVE-1']], 'updates': []}]},
     'GET %s/7: the server detail: active_cves[0] is a list' % SERVERS),
    ({'details': [{'active_cves': [], 'updates': []}, {'active_cves': [], 'updates': [{'cve_announcements': 3}]}]},
     'GET %s/7: the server detail: updates[0].cve_announcements is a number' % SERVERS),
    ({'details': [{'active_cves': [], 'updates': []}]}, 'GET %s: the server details do not match the listing' % SERVERS),
    ({'cve_levels': ['CVE-1']}, 'GET /api/v3/vulnerabilities/cve_announcements: the CVE levels are a list'),
    ({'compliance': {'1': [0, 1]}}, 'GET /api/v3/compliance/servers: the compliance rows are an object'),
    ({'compliance': [[1, 0, 3], [7, '2', 3]]}, "GET /api/v3/compliance/servers: row 1 is [7, '2', 3], expected [id,"),
    ({'compliance': [[1, 0]]}, 'GET /api/v3/compliance/servers: row 0 is [1, 0], expected [id,'),
])
def test_cyberwatch_malformed_details_and_compliance_rows(payload, message):
    plugin = make(cyberwatch, CBW_DEFAULTS)
    with pytest.raises(MalformedAnswer) as caught:
        plugin.build_hosts(dict(payload, servers=[server(1, 'a'), server(7, 'b')]))
    assert str(caught.value).startswith('malformed answer to ' + message)


class MalformedCyberwatch(FakeCyberwatch):
    """The fake API with one answer of the wrong shape."""

    def __init__(self, servers=None, cves=None, detail=None, compliance=None):
        super().__init__()
        self.answers = {'server': servers, 'cve_announcement': cves, 'compliance_server': compliance}
        self.detail = detail

    def list(self, resource, filters=None, per_page=100, max_workers=1):
        if self.answers.get(resource) is not None:
            return self.answers[resource]
        return super().list(resource, filters, per_page, max_workers)

    def request(self, method, path):
        return self.detail if path.endswith('/7') and self.detail is not None else super().request(method, path)


@pytest.mark.parametrize('fake, options, message', [
    (MalformedCyberwatch(servers=[server(1, 'a'), 7]), {}, 'GET %s: record 1: it is a number' % SERVERS),
    (MalformedCyberwatch(detail=['x']), {'details': True}, 'GET %s/7: the server detail: it is a list' % SERVERS),
    (MalformedCyberwatch(detail={'cve_announcements': {'CVE-1': {}}}), {'details': True},
     'GET %s/7: the server detail: cve_announcements is an object, expected a list' % SERVERS),
    (MalformedCyberwatch(detail={'updates': [{'target': 'openssl'}]}), {'details': True},
     'GET %s/7: the server detail: updates[0].target is a string, expected an object' % SERVERS),
    (MalformedCyberwatch(detail={'cve_announcements': ['CVE-1']}), {'details': True},
     'GET %s/7: the server detail: cve_announcements[0] is a string, expected an object' % SERVERS),
    (MalformedCyberwatch(cves=[{'cve_code': 'CVE-1'}, 'CVE-2']), {'details': True},
     'GET /api/v3/vulnerabilities/cve_announcements: record 1: it is a string'),
    (MalformedCyberwatch(compliance=[{'compliance_rules_count': 3}]), {'compliance': True},
     'GET /api/v3/compliance/servers: record 0: id is missing'),
    (MalformedCyberwatch(compliance=[{'id': 1, 'compliance_rules_failed_count': 'two'}]), {'compliance': True},
     'GET /api/v3/compliance/servers: record 0 (id 1): compliance_rules_failed_count is a string, expected a number'),
])
def test_cyberwatch_malformed_answers_fail_the_fetch(monkeypatch, fake, options, message):
    monkeypatch.setattr(cyberwatch, 'cyberwatch_client', lambda options: fake)
    plugin = make(cyberwatch, CBW_DEFAULTS, **options)
    with pytest.raises(MalformedAnswer) as caught:
        plugin.fetch_payload({})
    assert str(caught.value).startswith('malformed answer to ' + message)


def test_a_malformed_answer_fails_the_source_naming_the_plugin(monkeypatch):
    plugin = make(cyberwatch, CBW_DEFAULTS)
    monkeypatch.setattr(plugin, '_read_config_data', lambda path: None)
    monkeypatch.setattr(plugin, 'check_options', lambda options: None)
    monkeypatch.setattr(plugin, 'option', lambda name: None)
    monkeypatch.setattr(plugin, 'load_payload', lambda path, cache, options: {'servers': [{'id': 1, 'groups': 'prod'}]})
    inventory = InventoryData()
    with pytest.raises(AnsibleParserError) as caught:
        plugin.parse(inventory, plugin.loader, 'prod.cyberwatch.yml')
    assert str(caught.value).startswith(
        'secops.vulnmgmt.cyberwatch: the inventory source failed, no host was added: malformed answer to GET '
        '%s: record 0 (id 1): groups is a string, expected a list or null' % SERVERS)
    assert not inventory.hosts


TARGET = {'id': 'b', 'address': 'https://shop.example.com', 'verification': 0}


@pytest.mark.parametrize('payload, message', [
    ({'targets': {'results': []}}, 'GET /targets: the targets are an object, expected a list'),
    ({'targets': [TARGET, 'x']}, 'GET /targets: record 1: it is a string'),
    ({'targets': [TARGET, {'address': 'https://a.example.com'}]}, 'GET /targets: record 1: id is missing'),
    ({'targets': [TARGET, dict(TARGET, id=['b'])]}, 'GET /targets: record 1: id is a list'),
    ({'targets': [TARGET, dict(TARGET, address=['x'])]}, "GET /targets: record 1 (id 'b'): address is a list"),
    ({'targets': [dict(TARGET, verification='0')]}, "GET /targets: record 0 (id 'b'): verification is a string"),
    ({'targets': [TARGET], 'scans': [['s1']]}, 'GET /scans: record 0: it is a list'),
    ({'targets': [TARGET], 'scans': [{'target': 'b'}]}, 'GET /scans: record 0: target is a string, expected an object'),
    ({'targets': [TARGET], 'scans': [{'target': {'id': ['b']}}]}, 'GET /scans: record 0: target.id is a list'),
    ({'targets': [TARGET], 'scans': [{'target': {'id': 'b'}, 'vuln_href': 'x'}]}, 'GET /scans: record 0: vuln_href is a'),
    ({'targets': [TARGET], 'vulnerabilities': [None]}, 'GET /vulnerabilities: record 0: it is null'),
    ({'targets': [TARGET], 'vulnerabilities': [{'target': 3, 'severity': 'High'}]}, 'GET /vulnerabilities: record 0: target is a number'),
    ({'targets': [TARGET], 'vulnerabilities': [{'target': 'x', 'severity': 1}]}, 'GET /vulnerabilities: record 0: severity is a number'),
])
def test_cystack_malformed_records_fail_naming_the_request_and_the_record(payload, message):
    plugin = make(cystack, CYS_DEFAULTS)
    with pytest.raises(MalformedAnswer) as caught:
        plugin.build_hosts(payload)
    assert str(caught.value).startswith('malformed answer to ' + message)


class CacheOptions:
    def __init__(self, directory):
        self.values = {'cache_connection': directory}

    def __call__(self, name):
        return self.values.get(name)


@pytest.mark.parametrize('mode, warned', [(0o700, False), (0o755, False), (0o775, True), (0o777, True), (0o1777, True)])
def test_a_cache_directory_others_can_write_warns(tmp_path, mode, warned):
    directory = tmp_path / 'cache'
    directory.mkdir()
    directory.chmod(mode)
    plugin = make(cyberwatch, CBW_DEFAULTS)
    plugin.get_option = CacheOptions(str(directory))
    plugin.check_cache_directory()
    if warned:
        [warning] = plugin.display.warnings
        assert warning == ('secops.vulnmgmt.cyberwatch: the inventory cache directory %s is writable by group or others '
                           '(mode %04o): another user could plant a payload that this source would read as the API '
                           'answer. Use a private directory (for example ~/.cache/secops.vulnmgmt/inventory).' % (
                               directory, mode))
    else:
        assert plugin.display.warnings == []


def test_a_cache_directory_of_another_user_warns_and_a_missing_one_does_not(tmp_path, monkeypatch):
    plugin = make(cystack, CYS_DEFAULTS)
    plugin.get_option = CacheOptions(str(tmp_path / 'missing'))
    plugin.check_cache_directory()
    assert plugin.display.warnings == []
    monkeypatch.setattr(inventory_utils.os, 'geteuid', lambda: os.stat(str(tmp_path)).st_uid + 1)
    plugin.get_option = CacheOptions(str(tmp_path))
    plugin.check_cache_directory()
    [warning] = plugin.display.warnings
    assert 'cache directory %s is owned by another user (uid %d)' % (tmp_path, os.stat(str(tmp_path)).st_uid) in warning
