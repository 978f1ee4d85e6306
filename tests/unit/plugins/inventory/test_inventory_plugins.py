"""The two inventory plugins with fake clients: hostvars, groups, hostnames, compose, cache safety (no network)."""

import copy

import pytest

# module_utils first: importing ansible.plugins installs the collection finder, which only knows the configured paths
from ansible_collections.secops.vulnmgmt.plugins.module_utils.transport import ApiError
from ansible_collections.secops.vulnmgmt.plugins.inventory import cyberwatch, cystack  # noqa: I100

from ansible.inventory.data import InventoryData  # noqa: I100  pylint: disable=wrong-import-order
from ansible.parsing.dataloader import DataLoader  # pylint: disable=wrong-import-order
from ansible.template import Templar  # pylint: disable=wrong-import-order

try:
    from ansible.template import trust_as_template
except ImportError:  # ansible-core < 2.19
    def trust_as_template(value):
        return value

CBW_DEFAULTS = dict(hostnames=['hostname', 'address', 'id'], duplicate_hostnames='suffix', existing_hosts='rename',
                    page_size=100, filters={}, api_routes='current',
                    include_groups=[], exclude_groups=[], group_prefix='cyberwatch_group_',
                    builtin_group_prefix='cyberwatch_', group_by=[], details=False, max_workers=8, strict=True,
                    compose={}, groups={}, keyed_groups=[], leading_separator=True, use_extra_vars=False)
CYS_DEFAULTS = dict(hostnames=['host', 'id'], duplicate_hostnames='suffix', existing_hosts='rename', group_prefix='cystack_',
                    last_scan=False,
                    vulnerability_counts=False, strict=True, compose={}, groups={}, keyed_groups=[],
                    leading_separator=True, use_extra_vars=False)


def server(sid, hostname, groups=(), reboot=False, prioritized=0, addresses=None):
    return {'id': sid, 'hostname': hostname, 'addresses': addresses if addresses is not None else ['10.0.0.%d' % sid],
            'os': {'key': 'ubuntu_2204_64', 'type': 'Os::Ubuntu', 'short_name': 'Ubuntu 22.04'},
            'category': 'server', 'status': 'server_vulnerable', 'environment': {'id': 1, 'name': 'High Value'},
            'groups': [{'id': i, 'name': n} for i, n in groups], 'cve_announcements_count': 3,
            'prioritized_cve_announcements_count': prioritized, 'updates_count': 1, 'reboot_required': reboot,
            'last_communication': '2024-01-01T10:00:00.000+00:00'}


SERVERS = [server(3, 'web-1.example.com', [(1, 'prod'), (9, 'Web Servers')], reboot=True, prioritized=2),
           server(1, 'db-1.example.com', [(2, 'dev')]),
           server(7, 'web-1.example.com', [(1, 'prod')], addresses=[])]
DETAILS = {
    3: {'cve_announcements': [{'cve_code': 'CVE-1', 'ignored': False, 'fixed_at': None},
                              {'cve_code': 'CVE-2', 'ignored': False, 'fixed_at': None},
                              {'cve_code': 'CVE-3', 'ignored': False, 'fixed_at': '2024-01-01'},
                              {'cve_code': 'CVE-9', 'ignored': False, 'fixed_at': None}],
        'updates': [{'ignored': False, 'patchable': True, 'target': {'product': 'openssl', 'version': '3'},
                     'current': {'product': 'openssl', 'version': '1'}, 'cve_announcements': ['CVE-1']},
                    {'ignored': True, 'target': {'product': 'x'}, 'current': {'product': 'x'}}]},
    1: {'cve_announcements': [], 'updates': []},
    7: {'cve_announcements': [{'cve_code': 'CVE-2', 'ignored': False, 'fixed_at': None}], 'updates': []},
}
CVES = [{'cve_code': 'CVE-1', 'level': 'level_critical'}, {'cve_code': 'CVE-2', 'level': 'level_high'},
        {'cve_code': 'CVE-3', 'level': 'level_low'}]


class FakeCyberwatch:
    def __init__(self, fail_detail=None):
        self.calls = []
        self.fail_detail = fail_detail

    def list(self, resource, filters=None, per_page=100, max_workers=1):
        self.calls.append(('list', resource, dict(filters or {}), per_page))
        assert max_workers >= 1
        return copy.deepcopy(SERVERS if resource == 'server' else CVES)

    @staticmethod
    def path(collection, object_id):
        return '/api/v3/vulnerabilities/%s/%s' % (collection, object_id)

    def request(self, method, path):
        sid = int(path.rsplit('/', 1)[1])
        self.calls.append((method, sid))
        if sid == self.fail_detail:
            raise ApiError('GET %s failed with HTTP 500 Internal Server Error (server error): boom' % path, status=500)
        return copy.deepcopy(DETAILS[sid])


class Display:
    """Records the warnings of a plugin."""

    def __init__(self):
        self.warnings = []

    def warning(self, msg):
        self.warnings.append(msg)

    def vvv(self, msg):
        del msg


def make(module, defaults, inventory=None, **options):
    plugin = module.InventoryModule()
    values = dict(defaults, **options)
    plugin.get_option = values.get
    plugin.loader = DataLoader()
    plugin.inventory = inventory or InventoryData()
    plugin.display = Display()
    if not hasattr(plugin, 'templar'):  # ansible-core < 2.19 creates it in parse()
        plugin.templar = Templar(loader=plugin.loader)
    plugin._vars = {}
    return plugin


def build(plugin, payload):
    plugin.add_hosts(plugin.build_hosts(payload))
    return plugin.inventory


def groups_of(inventory, host):
    return sorted(g.name for g in inventory.get_host(host).get_groups() if g.name != 'all')


def test_cyberwatch_hosts_hostvars_and_groups(monkeypatch):
    fake = FakeCyberwatch()
    monkeypatch.setattr(cyberwatch, 'cyberwatch_client', lambda options: fake)
    plugin = make(cyberwatch, CBW_DEFAULTS, group_by=['os_type', 'environment'], page_size=50)
    payload = plugin.fetch_payload({})
    assert fake.calls == [('list', 'server', {}, 50)]
    inventory = build(plugin, payload)
    assert sorted(inventory.hosts) == ['db-1.example.com', 'web-1.example.com', 'web-1.example.com_7']
    web = inventory.get_host('web-1.example.com').vars
    assert web['cyberwatch_id'] == 3 and web['ansible_host'] == '10.0.0.3'
    assert web['cyberwatch_groups'] == ['prod', 'Web Servers'] and web['cyberwatch_environment'] == 'High Value'
    assert groups_of(inventory, 'web-1.example.com') == [
        'cyberwatch_environment_high_value', 'cyberwatch_group_prod', 'cyberwatch_group_web_servers',
        'cyberwatch_os_type_ubuntu', 'cyberwatch_reboot_required', 'cyberwatch_vulnerable']
    assert 'ansible_host' not in inventory.get_host('web-1.example.com_7').vars


def test_cyberwatch_payload_keeps_of_a_server_only_what_the_hostvars_use(monkeypatch):
    listed = copy.deepcopy(SERVERS)
    for item in listed:  # what a real listing adds: the payload (and cache) leaves it out
        item.update(description=None, boot_at='2024-01-01T00:00:00.000+00:00',
                    compliance_groups=[{'id': 2, 'name': 'CIS'}])
        item['environment'].update(confidentiality_requirement='confidentiality_requirement_low')
        for group in item['groups']:
            group.update(description='', color='#12afcb')
    fake = FakeCyberwatch()
    fake.list = lambda resource, *args, **kwargs: copy.deepcopy(listed if resource == 'server' else CVES)
    monkeypatch.setattr(cyberwatch, 'cyberwatch_client', lambda options: fake)
    plugin = make(cyberwatch, CBW_DEFAULTS, details=True, filters={'group_id': 1, 'reboot_required': True},
                  group_by=['os', 'os_type', 'environment', 'category', 'status'])
    payload = plugin.fetch_payload({})
    assert payload['servers'][0] == dict(SERVERS[0], environment={'name': 'High Value'},
                                         groups=[{'id': 1, 'name': 'prod'}, {'id': 9, 'name': 'Web Servers'}])
    assert plugin.build_hosts(payload) == plugin.build_hosts(dict(payload, servers=listed))
    assert [host[0] for host in plugin.build_hosts(payload)] == [3]


def test_cyberwatch_details_counts_and_cache_is_never_mutated(monkeypatch):
    fake = FakeCyberwatch()
    monkeypatch.setattr(cyberwatch, 'cyberwatch_client', lambda options: fake)
    plugin = make(cyberwatch, CBW_DEFAULTS, details=True, max_workers=2)
    payload = plugin.fetch_payload({})
    assert ('list', 'cve_announcement', {'active': True}, 100) in fake.calls
    assert sorted(c[1] for c in fake.calls if c[0] == 'GET') == [1, 3, 7]
    frozen = copy.deepcopy(payload)
    inventory = build(plugin, payload)
    web = inventory.get_host('web-1.example.com').vars
    assert web['cyberwatch_cve_counts'] == {'critical': 1, 'high': 1, 'medium': 0, 'low': 0, 'unknown': 1}
    assert web['cyberwatch_pending_updates'] == [{'product': 'openssl', 'current_version': '1', 'target_version': '3',
                                                  'patchable': True, 'cve_announcements': ['CVE-1']}]
    assert web['cyberwatch_pending_updates_count'] == 1
    assert groups_of(inventory, 'web-1.example.com_7') == ['cyberwatch_cve_high', 'cyberwatch_group_prod']
    web['cyberwatch_addresses'].append('mutated')
    web['cyberwatch_os']['key'] = 'mutated'
    web['cyberwatch_groups'].append('mutated')
    assert payload == frozen


def test_cyberwatch_a_failed_detail_fails_everything(monkeypatch):
    monkeypatch.setattr(cyberwatch, 'cyberwatch_client', lambda options: FakeCyberwatch(fail_detail=7))
    plugin = make(cyberwatch, CBW_DEFAULTS, details=True)
    with pytest.raises(ApiError, match='HTTP 500'):
        plugin.fetch_payload({})


def test_cyberwatch_filters_are_checked_client_side_too():
    plugin = make(cyberwatch, CBW_DEFAULTS, filters={'group_id': 2, 'reboot_required': False})
    hosts = plugin.build_hosts({'servers': copy.deepcopy(SERVERS)})
    assert [h[0] for h in hosts] == [1]
    plugin = make(cyberwatch, CBW_DEFAULTS, include_groups=['prod'], exclude_groups=['Web Servers'])
    assert [h[0] for h in plugin.build_hosts({'servers': copy.deepcopy(SERVERS)})] == [7]


def test_cyberwatch_hostname_expressions_compose_and_keyed_groups():
    expression = trust_as_template("cyberwatch_hostname.split('.')[0] ~ '-' ~ cyberwatch_id")
    plugin = make(cyberwatch, CBW_DEFAULTS, hostnames=[expression, 'id'],
                  compose={'ansible_user': trust_as_template("'ubuntu' if cyberwatch_os.type == 'Os::Ubuntu' else 'x'")},
                  keyed_groups=[{'key': trust_as_template('cyberwatch_environment'), 'prefix': 'env'}],
                  groups={'urgent': trust_as_template('cyberwatch_reboot_required')})
    inventory = build(plugin, {'servers': copy.deepcopy(SERVERS)})
    assert sorted(inventory.hosts) == ['db-1-1', 'web-1-3', 'web-1-7']
    assert inventory.get_host('web-1-3').vars['ansible_user'] == 'ubuntu'
    assert 'env_High_Value' in inventory.groups or 'env_High Value' in inventory.groups
    assert [h.name for h in inventory.groups['urgent'].get_hosts()] == ['web-1-3']


def test_cyberwatch_options_fail_before_any_request():
    plugin = make(cyberwatch, CBW_DEFAULTS, filters={'os': 'x'})
    plugin.display = type('D', (), {'warning': staticmethod(lambda msg: None)})()
    options = {'api_url': 'https://cbw.example.com', 'api_key': 'k' * 8, 'secret_key': 's' * 8}
    with pytest.raises(Exception, match='unknown filters os; accepted: hostname, group_id'):
        plugin.check_options(options)
    plugin = make(cyberwatch, CBW_DEFAULTS)
    with pytest.raises(Exception, match='api_url must be an http'):
        plugin.check_options(dict(options, api_url='cbw.example.com'))
    with pytest.raises(Exception, match='option secret_key is required'):
        plugin.check_options(dict(options, secret_key=None))


@pytest.mark.parametrize('module, defaults', [(cyberwatch, CBW_DEFAULTS), (cystack, CYS_DEFAULTS)])
def test_max_workers_out_of_range_fails_before_any_request(module, defaults):
    options = {'api_url': 'https://api.example.com', 'api_key': 'k' * 8, 'secret_key': 's' * 8}
    for workers in (0, 33):
        plugin = make(module, defaults, max_workers=workers)
        with pytest.raises(Exception, match='max_workers must be between 1 and 32, got %d' % workers):
            plugin.check_options(options)
    make(module, defaults, max_workers=32).check_options(options)


TARGETS = [{'verification': 0, 'href': '/v1/targets/b', 'id': 'b', 'address': 'https://shop.example.com/'},
           {'verification': 1, 'href': '/v1/targets/a', 'id': 'a', 'address': 'http://shop.example.com:8080'},
           {'verification': 0, 'href': '/v1/targets/c', 'id': 'c', 'address': 'https://api.example.com'}]
SCANS = [{'status': 'Stopped', 'profile': 'Full Audit', 'vulnerabilities': 2, 'start_time': '10:00:00 01/01/2024',
          'href': '/v1/scans/s1', 'target': {'id': 'b', 'address': 'https://shop.example.com/'}},
         {'status': 'Running', 'profile': 'Quick Scan', 'vulnerabilities': 0, 'start_time': '10:00:00 02/01/2024',
          'href': '/v1/scans/s2', 'target': {'id': 'b', 'address': 'https://shop.example.com/'}}]
VULNS = [{'false_positive': False, 'severity': 'High', 'target': 'https://shop.example.com', 'id': 'v1'},
         {'false_positive': True, 'severity': 'High', 'target': 'https://shop.example.com', 'id': 'v2'},
         {'false_positive': False, 'severity': 'Low', 'target': 'https://SHOP.example.com/', 'id': 'v3'}]


def test_cystack_hosts_last_scan_counts_and_duplicates():
    plugin = make(cystack, CYS_DEFAULTS, last_scan=True, vulnerability_counts=True)
    payload = copy.deepcopy({'targets': TARGETS, 'scans': SCANS, 'vulnerabilities': VULNS})
    inventory = build(plugin, payload)
    assert sorted(inventory.hosts) == ['api.example.com', 'shop.example.com', 'shop.example.com_b']
    shop = inventory.get_host('shop.example.com_b').vars
    assert shop['ansible_host'] == 'shop.example.com' and shop['cystack_verified'] is True
    assert shop['cystack_last_scan'] == {'id': 's2', 'status': 'Running', 'profile': 'Quick Scan',
                                         'start_time': '2024-01-02T03:00:00Z', 'vulnerabilities': 0}
    assert shop['cystack_vulnerability_counts'] == {'high': 1, 'medium': 0, 'low': 1, 'information': 0}
    assert shop['cystack_vulnerabilities_count'] == 2
    assert inventory.get_host('api.example.com').vars['cystack_last_scan'] is None
    assert groups_of(inventory, 'shop.example.com_b') == ['cystack_verified', 'cystack_vuln_high', 'cystack_vuln_low']
    assert groups_of(inventory, 'shop.example.com') == ['cystack_unverified']  # other address, no finding
    assert payload == {'targets': TARGETS, 'scans': SCANS, 'vulnerabilities': VULNS}


@pytest.mark.parametrize('address,host', [('https://a.example.com:8443/x', 'a.example.com'), ('b.example.com', 'b.example.com'),
                                          ('http://[2001:db8::1]/', '2001:db8::1'), ('', None)])
def test_url_host(address, host):
    assert cystack.url_host(address) == host
