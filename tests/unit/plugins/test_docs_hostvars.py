"""docs/docsite/rst/inventory_hostvars.rst against the hostvars the two inventory plugins produce (no network).

Hosts are built from payloads with every option on (details, compliance, last_scan, vulnerability_counts): each
documented variable is produced with its documented type, each produced variable is documented, and a variable
documented as present "With ``option: true``" is absent without that option.
"""

import re
from pathlib import Path
from types import SimpleNamespace

import pytest

from ansible_collections.secops.vulnmgmt.plugins.inventory import cyberwatch, cystack

from ansible.parsing.dataloader import DataLoader  # noqa: I100  pylint: disable=wrong-import-order
from ansible.template import Templar  # pylint: disable=wrong-import-order

PAGE = Path(__file__).resolve().parents[3] / 'docs' / 'docsite' / 'rst' / 'inventory_hostvars.rst'
TYPES = {'str': str, 'int': int, 'bool': bool, 'dict': dict, 'list': list}
COMMON = dict(duplicate_hostnames='suffix', existing_hosts='rename', strict=True, compose={}, groups={},
              keyed_groups=[], leading_separator=True, use_extra_vars=False, max_workers=8)
CYBERWATCH = dict(COMMON, hostnames=['hostname', 'address', 'id'], page_size=100, filters={}, api_routes='current',
                  include_groups=[], exclude_groups=[], group_prefix='cyberwatch_group_',
                  builtin_group_prefix='cyberwatch_', group_by=[], details=False, compliance=False)
CYSTACK = dict(COMMON, hostnames=['host', 'id'], group_prefix='cystack_', last_scan=False, vulnerability_counts=False)
OPTIONS = {cyberwatch: ('details', 'compliance'), cystack: ('last_scan', 'vulnerability_counts')}


def documented(plugin):
    """{variable: (type text, presence text)} from the table of the plugin's section."""
    section = PAGE.read_text().split('\nsecops.vulnmgmt.%s\n' % plugin, 1)[1].split('\n\n\n', 1)[0]
    rows = re.findall(r'^   \* - ``(\w+)``\n     - ([^\n]+)\n     - (.+?)(?=\n   \*|\Z)', section, re.M | re.S)
    assert rows, 'no table for %s in %s' % (plugin, PAGE)
    return dict((name, (type_text, ' '.join(presence.split()))) for name, type_text, presence in rows)


def type_ok(value, type_text):
    """value is of the documented type: 'str', 'int or null', 'list of dict', ..."""
    if value is None:
        return type_text.endswith(' or null')
    base, dummy, element = type_text.replace(' or null', '').partition(' of ')
    if base == 'int' and isinstance(value, bool):
        return False
    return isinstance(value, TYPES[base]) and (not element or all(isinstance(item, TYPES[element]) for item in value))


def server(sid, hostname, address, group):
    return {'id': sid, 'hostname': hostname, 'addresses': [address],
            'os': {'key': 'ubuntu_2204_64', 'type': 'Os::Ubuntu'}, 'category': 'server', 'status': 'server_vulnerable',
            'environment': {'name': 'Production'}, 'groups': [{'id': 1, 'name': group}], 'cve_announcements_count': 2,
            'prioritized_cve_announcements_count': 1, 'updates_count': 1, 'reboot_required': True,
            'last_communication': '2026-01-01T10:00:00.000+00:00', 'analyzed_at': '2026-01-01T10:00:00.000+00:00'}


CYBERWATCH_PAYLOAD = {
    'servers': [server(1, 'web-1.example.com', '10.0.0.1', 'prod'), server(2, 'db-1.example.com', '10.0.0.2', 'dev')],
    'cve_levels': {'CVE-2021-44228': 'level_critical', 'CVE-2022-0001': 'level_high'},
    'details': [{'active_cves': ['CVE-2021-44228', 'CVE-2022-0001', 'CVE-2023-0009'],
                 'updates': [{'product': 'openssl', 'current_version': '1.1', 'target_version': '3.0', 'patchable': True,
                              'cve_announcements': ['CVE-2022-0001']}]},
                {'active_cves': [], 'updates': []}],
    'compliance': [[1, 2, 40]],
}
CYSTACK_PAYLOAD = {
    'targets': [{'id': 't1', 'href': '/v1/targets/t1', 'address': 'https://shop.example.com/', 'verification': 0},
                {'id': 't2', 'href': '/v1/targets/t2', 'address': 'https://blog.example.com', 'verification': 1}],
    'scans': [{'href': '/v1/scans/s1', 'status': 'Stopped', 'profile': 'Full Audit', 'vulnerabilities': 1,
               'start_time': '10:00:00 01/01/2026', 'target': {'id': 't1', 'address': 'https://shop.example.com/'}}],
    'vulnerabilities': [{'id': 'v1', 'severity': 'High', 'false_positive': False, 'target': 'https://shop.example.com'}],
}
PAYLOADS = {cyberwatch: CYBERWATCH_PAYLOAD, cystack: CYSTACK_PAYLOAD}


def hostvars(module, **options):
    """{record id: its variables} of the hosts the plugin builds from its payload with these options."""
    plugin = module.InventoryModule()
    plugin.get_option = dict(CYBERWATCH if module is cyberwatch else CYSTACK, **options).get
    plugin.loader = DataLoader()
    warnings = []
    plugin.display = SimpleNamespace(warning=warnings.append, vvv=lambda msg: None)
    if not hasattr(plugin, 'templar'):  # ansible-core < 2.19 creates it in parse()
        plugin.templar = Templar(loader=plugin.loader)
    plugin._vars = {}
    payload = dict((key, value) for key, value in PAYLOADS[module].items()
                   if key in ('servers', 'targets') or options.get(OPTIONAL_PAYLOAD[key]))
    hosts = plugin.build_hosts(payload)
    assert warnings == []
    return dict((record_id, variables) for record_id, variables, dummy, dummy2 in hosts)


OPTIONAL_PAYLOAD = {'cve_levels': 'details', 'details': 'details', 'compliance': 'compliance', 'scans': 'last_scan',
                    'vulnerabilities': 'vulnerability_counts'}


@pytest.mark.parametrize('module', [cyberwatch, cystack], ids=['cyberwatch', 'cystack'])
def test_every_hostvar_is_documented_with_its_type(module):
    docs = documented(module.__name__.rsplit('.', 1)[1])
    hosts = hostvars(module, **dict((option, True) for option in OPTIONS[module]))
    assert len(hosts) == 2
    for name, variables in hosts.items():
        assert sorted(variables) == sorted(docs), name
        wrong = dict((var, value) for var, value in variables.items() if not type_ok(value, docs[var][0]))
        assert not wrong, '%s: not of the documented type: %s' % (name, wrong)


@pytest.mark.parametrize('module', [cyberwatch, cystack], ids=['cyberwatch', 'cystack'])
def test_a_hostvar_documented_with_an_option_is_present_only_with_it(module):
    docs = documented(module.__name__.rsplit('.', 1)[1])
    conditions = dict((var, re.match(r'With ``(\w+): true``', presence)) for var, (dummy, presence) in docs.items())
    assert set(match.group(1) for match in conditions.values() if match) == set(OPTIONS[module])
    assert all(match or presence.startswith(('Always', 'When ')) for match, (dummy, presence)
               in zip(conditions.values(), docs.values()))
    for option in OPTIONS[module]:
        expected = sorted(var for var, match in conditions.items() if not match or match.group(1) == option)
        for name, variables in hostvars(module, **{option: True}).items():
            assert sorted(variables) == expected, (option, name)


def test_type_check_rejects_what_the_docs_do_not_say():
    assert type_ok(None, 'int or null') and not type_ok(None, 'int')
    assert not type_ok(True, 'int') and not type_ok('3', 'int')
    assert type_ok(['a'], 'list of str') and not type_ok([{}], 'list of str')
