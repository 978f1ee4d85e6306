"""CyStack client: normalisation of the documented quirks, ids from href/Location, and its HTTP paths."""

import json

import pytest
from ansible_collections.secops.vulnmgmt.tests.unit.scripted_server import Reply

from ansible_collections.secops.vulnmgmt.plugins.module_utils.cystack import (
    CyStackClient, id_from_href, none_strings, normalize_scan, normalize_target, normalize_vulnerability, scan_time,
)
from ansible_collections.secops.vulnmgmt.plugins.module_utils.transport import ApiError

SCAN_ID = '07c13583-a14d-43b7-814d-a8f6db64253d'
# reference/cystack_api.md §3.3 and §3.4
LIST_ITEM = {'status': 'Stopped', 'profile': 'Full Audit', 'vulnerabilities': 0, 'start_time': '13:58:01 20/11/2017',
             'href': '/v1/scans/' + SCAN_ID,
             'target': {'ip': '42.112.22.134', 'os': 'Unknown', 'id': '03c0e5ad', 'address': 'https://cystack.net'}}
DETAIL = {'status': 'Stopped', 'profile': 'Full Audit', 'description': 'None', 'noti_href': ['/v1/notifications/29'],
          'start_time': 1511957637, 'stop_time': 1511958637,
          'vuln_href': ['/v1/vulnerabilities/4b2dad22', '/v1/vulnerabilities/5c067b1e'],
          'target': {'ip': '42.112.22.134', 'os': 'Unknown', 'id': '395a2f59', 'address': 'https://cystack.net'}}


@pytest.mark.parametrize('href,expected', [
    ('/v1/scans/65fa9150-fbca-49ce-bac6-586e58cd36f5', '65fa9150-fbca-49ce-bac6-586e58cd36f5'),
    ('https://api.cystack.io/v1/scans/abc/', 'abc'),
    ('/v1/scans/abc?x=1', 'abc'),
    ('', None), (None, None), (42, None),
])
def test_id_from_href(href, expected):
    assert id_from_href(href) == expected


def test_none_strings_become_null_recursively_and_other_values_stay():
    value = {'description': 'None', 'urls': ['None', 'https://x/'], 'var': '', 'n': 0, 'b': False,
             'nested': {'a': 'None', 'b': 'Nones'}}
    assert none_strings(value) == {'description': None, 'urls': [None, 'https://x/'], 'var': '', 'n': 0, 'b': False,
                                   'nested': {'a': None, 'b': 'Nones'}}


def test_scan_time_epoch_int_and_numeric_string():
    assert scan_time(1511957637) == ('2017-11-29T12:13:57Z', 1511957637)
    assert scan_time('1511957637') == ('2017-11-29T12:13:57Z', 1511957637)


def test_scan_time_list_string_is_read_as_utc_plus_7():
    assert scan_time('13:58:01 20/11/2017') == ('2017-11-20T06:58:01Z', 1511161081)


@pytest.mark.parametrize('value', [None, ''])
def test_scan_time_empty(value):
    assert scan_time(value) == (None, None)


def test_scan_time_unknown_text_is_kept_without_epoch():
    assert scan_time('yesterday') == ('yesterday', None)


def test_normalize_scan_list_item_gets_its_id_from_href():
    scan = normalize_scan(LIST_ITEM)
    assert scan['id'] == SCAN_ID
    assert scan['start_time'] == '2017-11-20T06:58:01Z' and scan['start_time_epoch'] == 1511161081
    assert scan['vulnerabilities'] == 0 and 'vulnerability_ids' not in scan


def test_normalize_scan_detail():
    scan = normalize_scan(DETAIL, SCAN_ID)
    assert scan['id'] == SCAN_ID
    assert scan['description'] is None
    assert (scan['start_time'], scan['stop_time']) == ('2017-11-29T12:13:57Z', '2017-11-29T12:30:37Z')
    assert scan['stop_time_epoch'] - scan['start_time_epoch'] == 1000
    assert scan['vulnerability_ids'] == ['4b2dad22', '5c067b1e'] and scan['vulnerabilities'] == 2
    assert scan['notification_ids'] == ['29']


def test_normalize_scan_running_has_null_stop_time():
    scan = normalize_scan(dict(DETAIL, status='Running', stop_time=None, vuln_href=[]), SCAN_ID)
    assert scan['stop_time'] is None and scan['stop_time_epoch'] is None and scan['vulnerabilities'] == 0


@pytest.mark.parametrize('verification,verified', [(0, True), (1, False)])
def test_normalize_target_verified_is_the_inverse_of_verification(verification, verified):
    target = normalize_target({'verification': verification, 'href': '/v1/targets/599f', 'address': 'https://x'})
    assert target['verified'] is verified and target['verification'] == verification and target['id'] == '599f'


def test_normalize_vulnerability_id_from_href_and_none_urls():
    vuln = normalize_vulnerability({'href': '/v1/vulnerabilities/060d', 'urls': ['None'], 'false_positive': False})
    assert vuln['id'] == '060d' and vuln['urls'] == [None]


def test_create_scan_reads_the_location_header_and_sends_a_bearer(server):
    server.script(Reply(201, {}, headers={'Location': '/v1/scans/65fa9150'}))
    client = CyStackClient('TOKEN-123', api_url=server.url + '/v1')
    assert client.create_scan({'target': 't', 'profile': 5}) == '65fa9150'
    sent = server.received[0]
    assert sent['method'] == 'POST' and sent['path'] == '/v1/scans'
    assert sent['headers']['Authorization'] == 'Bearer TOKEN-123'
    assert json.loads(sent['body']) == {'target': 't', 'profile': 5}


def test_create_scan_falls_back_to_a_location_in_the_body(server):
    server.script(Reply(201, {'Location': '/v1/scans/abc'}))
    assert CyStackClient('K', api_url=server.url + '/v1').create_scan({}) == 'abc'


def test_create_scan_without_location_is_an_error(server):
    server.script(Reply(201, {}))
    with pytest.raises(ApiError, match='without a Location'):
        CyStackClient('K', api_url=server.url + '/v1').create_scan({})


def test_scan_404_is_none_or_an_error_naming_method_path_and_message(server):
    server.script(Reply(404, {'detail': 'Not found.'}), Reply(404, {'detail': 'Not found.'}))
    client = CyStackClient('K', api_url=server.url + '/v1')
    assert client.scan('nope') is None
    with pytest.raises(ApiError) as info:
        client.scan('nope', missing_ok=False)
    assert info.value.status == 404
    assert 'GET /scans/nope failed with HTTP 404' in str(info.value) and 'Not found.' in str(info.value)


def test_delete_scan_204_then_404(server):
    server.script(Reply(204), Reply(404, {'detail': 'Not found.'}))
    client = CyStackClient('K', api_url=server.url + '/v1')
    assert client.delete_scan('s1') is True
    assert client.delete_scan('s1') is False
    assert [r['method'] for r in server.received] == ['DELETE', 'DELETE']
