"""Parity with cbw-api-toolbox: the table in docs/parity/cbw_api_toolbox.yml against the pinned toolbox and the
collection, and the docs page generated from it (docs/parity/toolbox_parity.py holds the checks).

The toolbox is installed next to the tests in every virtualenv (tests/simulator/requirements.txt is in each core's
requirements), so this runs in the unit step of each core; it is read by introspection, never called.
"""

import importlib.util
from importlib.metadata import version
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
SPEC = importlib.util.spec_from_file_location('toolbox_parity', ROOT / 'docs' / 'parity' / 'toolbox_parity.py')
parity = importlib.util.module_from_spec(SPEC)
SPEC.loader.exec_module(parity)


@pytest.fixture(scope='module')
def table():
    return parity.load_table()


@pytest.fixture(scope='module')
def methods():
    return parity.api_methods()


def test_the_table_is_for_the_installed_toolbox(table, methods):
    assert version(table['toolbox']) == table['version'], 'the pin moved: update docs/parity/cbw_api_toolbox.yml'
    if table['version'] == '2.3.2':
        assert len(methods) == 79
    assert 'verif_response' not in methods and 'ping' in methods and '_get_pages' not in methods


def test_every_method_is_mapped_to_a_home_that_exists(table, methods):
    found = parity.problems(table, methods)
    assert not found, 'docs/parity/cbw_api_toolbox.yml:\n  ' + '\n  '.join(found)


def test_the_docs_page_is_generated_from_the_table(table, methods):
    assert parity.PAGE.read_text() == parity.render(table, methods), \
        'docs/docsite/rst/parity.rst is out of date: run python docs/parity/toolbox_parity.py'


def test_routes_are_read_from_the_toolbox_source(methods):
    assert parity.route(methods['ping']) == 'GET /api/v3/ping'
    assert parity.route(methods['server_reboot']) == 'PATCH /api/v3/vulnerabilities/servers/{server_id}/reboot'
    assert parity.route(methods['update_server_cve']) == \
        'PUT /api/v3/vulnerabilities/servers/{server_id}/cve_announcements/{cve_code}'


def edited(table, method, **changes):
    """A copy of the table whose entry for method has the changes (a None value drops the key)."""
    entries = []
    for entry in table['methods']:
        if entry['method'] == method:
            entry = dict(entry, **changes)
            entry = {key: value for key, value in entry.items() if value is not None}
        entries.append(entry)
    return dict(table, methods=entries)


@pytest.mark.parametrize('change, expected', [
    (lambda t: dict(t, methods=[e for e in t['methods'] if e['method'] != 'ping']), 'ping: not mapped'),
    (lambda t: dict(t, methods=t['methods'] + [{'method': 'fetch_all', 'module': 'cyberwatch_ping'}]),
     'fetch_all: not a public API method of CBWApi'),
    (lambda t: dict(t, methods=t['methods'] + [t['methods'][0]]), 'ping: listed twice'),
    (lambda t: edited(t, 'ping', module='cyberwatch_pong'), 'ping: module cyberwatch_pong does not exist'),
    (lambda t: edited(t, 'ping', module=None, role='cyberwatch_pong'), 'ping: role cyberwatch_pong does not exist'),
    (lambda t: edited(t, 'ping', module=None, inventory='nowhere'), 'ping: inventory nowhere does not exist'),
    (lambda t: edited(t, 'ping', module=None), 'ping: needs exactly one of module, inventory, role'),
    (lambda t: edited(t, 'ping', role='cyberwatch_onboard'), 'ping: needs exactly one of'),
    (lambda t: edited(t, 'delete_server', options={'purge': None}), 'delete_server: module cyberwatch_server has no option purge'),
    (lambda t: edited(t, 'delete_server', options={'state': 'gone'}), "option state does not accept 'gone'"),
    (lambda t: edited(t, 'ping', module=None, inventory='cyberwatch', options={'nothing': None}),
     'ping: inventory cyberwatch has no option nothing'),
    (lambda t: edited(t, 'ping', module=None, role='cyberwatch_onboard', options={'nothing': None}),
     'ping: role cyberwatch_onboard has no option nothing'),
    (lambda t: edited(t, 'ping', module='cyberwatch_airgap_upload'), 'ping: only the air-gapped methods may point to'),
    (lambda t: edited(t, 'ping', also=[{'role': 'cyberwatch_airgap_scan'}]), 'ping: only the air-gapped methods'),
    (lambda t: edited(t, 'servers', also=[{'inventory': 'cyberwatch', 'options': {'nope': None}}]),
     'servers: inventory cyberwatch has no option nope'),
    (lambda t: edited(t, 'servers', also=[{'module': 'cyberwatch_pong'}]), 'servers: module cyberwatch_pong does not exist'),
], ids=['unmapped', 'unknown-method', 'twice', 'no-module', 'no-role', 'no-inventory', 'no-home', 'two-homes',
        'no-option', 'bad-choice', 'no-inventory-option', 'no-role-option', 'airgap-plugin', 'airgap-also',
        'also-no-option', 'also-no-module'])
def test_a_broken_table_fails(table, methods, change, expected):
    found = parity.problems(change(table), methods)
    assert any(expected in problem for problem in found), found
    assert 'Parity with cbw-api-toolbox' in parity.render(change(table), methods)  # a broken table still renders


def test_existing_homes_with_options_pass(table, methods):
    """The checks accept real module, inventory and role options (so the failures above are about the change)."""
    entries = [{'method': 'ping', 'module': 'cyberwatch_server', 'options': {'state': 'absent', 'api_url': None}},
               {'method': 'servers', 'inventory': 'cyberwatch', 'options': {'hostnames': None}},
               {'method': 'server', 'role': 'cyberwatch_onboard'}]
    found = parity.problems(dict(table, methods=entries), {'ping': None, 'servers': None, 'server': None})
    assert found == []


def test_public_api_methods_are_the_public_methods_that_send_a_request():
    class Client:  # pylint: disable=too-few-public-methods
        def _request(self, *args):
            return args

        def _get_pages(self, *args):
            return args

        @staticmethod
        def check(response):
            return response

        def things(self, params=None):
            return self._get_pages('GET', ['/api/v3/things'], params)

        def thing(self, thing_id):
            return self._request('DELETE', ['/api/v3/things', thing_id, 'x'])

        def helper(self):
            return self.check(None)

    assert list(parity.api_methods(Client)) == ['things', 'thing']
    assert parity.route(Client.thing) == 'DELETE /api/v3/things/{thing_id}/x'


def test_an_unreadable_home_fails_and_names_the_error(table, methods, tmp_path):
    modules = tmp_path / 'plugins' / 'modules'
    modules.mkdir(parents=True)
    (modules / 'cyberwatch_ping.py').write_text("DOCUMENTATION = r'''\noptions:\n  a: b: c\n'''\n")
    found = parity.problems(dict(table, methods=[{'method': 'ping', 'module': 'cyberwatch_ping'}]), {'ping': None},
                            root=tmp_path)
    assert found == ['ping: module cyberwatch_ping cannot be read: mapping values are not allowed here']
