"""HMAC signing (the test vectors of reference/cyberwatch_api.md §1.4) and Basic auth."""

import base64

import pytest
import requests
from ansible_collections.secops.vulnmgmt.tests.unit.scripted_server import Reply

from ansible_collections.secops.vulnmgmt.plugins.module_utils.cyberwatch import (
    CyberwatchClient, CyberwatchHmacAuth, hmac_signature,
)

SECRET = 'test-secret-not-real'
VECTORS = [
    ('GET', '', '/api/v3/ping', 'Wed, 27 Nov 2019 16:27:03 GMT', 'q27+az7Ge7vrAYu6Dz+AlKwFOLUP1Q17f6P/WaTVbGI='),
    ('GET', 'application/json', '/api/v3/assets/groups', 'Mon, 22 Feb 2021 08:48:49 GMT',
     'b5AYPViK9gOXq0wC4cyCDqLlySqBNWfBZol+QR9gyiU='),
    ('PATCH', 'application/json', '/api/v3/vulnerabilities/servers/2', 'Mon, 22 Feb 2021 07:22:41 GMT',
     'be5l1FdocMqnLoPoeBSAzYoBQ/kXf1ICMuDSuQe+6Fo='),
    ('GET', '', '/api/v3/vulnerabilities/servers?hostname=web01&per_page=100', 'Mon, 22 Feb 2021 07:22:41 GMT',
     'z3kBj5e/BplxWzkjrWv4FL96tvlaazNCLZV1Q65/2Ko='),
    ('DELETE', 'application/json', '/api/v3/nodes/2', 'Mon, 16 Dec 2019 15:45:39 GMT',
     'AzZkSQS7i8bSEI9cEGuocWQTAHCJsoto0QVAsy6oXZA='),
]


@pytest.mark.parametrize('method,content_type,path,date,expected', VECTORS)
def test_signature_vectors(method, content_type, path, date, expected):
    assert hmac_signature(SECRET, method, content_type, path, date) == expected


def sign(request, date):
    auth = CyberwatchHmacAuth('KEYID=', SECRET, clock=lambda: date)
    return auth(requests.Request(**request).prepare())


def test_the_query_string_is_signed_as_sent():
    date = 'Mon, 22 Feb 2021 07:22:41 GMT'
    prepared = sign(dict(method='GET', url='https://cbw.example/api/v3/vulnerabilities/servers',
                         params={'hostname': 'web01', 'per_page': 100}), date)
    assert prepared.path_url == '/api/v3/vulnerabilities/servers?hostname=web01&per_page=100'
    assert prepared.headers['Authorization'] == (
        'CyberWatch APIAuth-HMAC-SHA256 KEYID=:z3kBj5e/BplxWzkjrWv4FL96tvlaazNCLZV1Q65/2Ko=')
    assert prepared.headers['Date'] == date
    assert 'Content-Type' not in prepared.headers


def test_a_body_signs_and_sends_exactly_application_json():
    date = 'Mon, 16 Dec 2019 15:45:39 GMT'
    prepared = sign(dict(method='DELETE', url='https://cbw.example/api/v3/nodes/2', json={'new_id': '1'}), date)
    assert prepared.headers['Content-Type'] == 'application/json'
    assert prepared.headers['Authorization'].endswith(':AzZkSQS7i8bSEI9cEGuocWQTAHCJsoto0QVAsy6oXZA=')


def test_default_date_is_english_utc():
    prepared = CyberwatchHmacAuth('K', SECRET)(requests.Request('GET', 'https://x/api/v3/ping').prepare())
    assert prepared.headers['Date'].endswith(' GMT')
    assert prepared.headers['Date'][:3] in ('Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun')


def test_hmac_client_end_to_end(server):
    server.script(Reply(200, {'uuid': 'abc'}))
    client = CyberwatchClient(server.url, 'KEYID=', SECRET)
    assert client.ping() == {'uuid': 'abc'}
    sent = server.received[0]
    assert sent['path'] == '/api/v3/ping'
    expected = hmac_signature(SECRET, 'GET', '', '/api/v3/ping', sent['headers']['Date'])
    assert sent['headers']['Authorization'] == 'CyberWatch APIAuth-HMAC-SHA256 KEYID=:%s' % expected


def test_basic_auth_sends_the_key_pair_and_no_date(server):
    server.script(Reply(200, {'uuid': 'abc'}))
    client = CyberwatchClient(server.url, 'KEYID=', SECRET, auth_method='basic')
    client.ping()
    headers = server.received[0]['headers']
    assert headers['Authorization'] == 'Basic ' + base64.b64encode(b'KEYID=:' + SECRET.encode()).decode()
    assert 'Date' not in headers


def test_reprs_hide_the_secrets():
    client = CyberwatchClient('https://cbw.example', 'KEYID=', SECRET)
    for text in (repr(client), repr(client.http), repr(client.http.session.auth)):
        assert SECRET not in text and 'KEYID=' not in text


@pytest.mark.parametrize('option,value', [('auth_method', 'digest'), ('api_routes', 'v2')])
def test_bad_choices_are_rejected_before_any_request(option, value):
    with pytest.raises(ValueError, match=option):
        CyberwatchClient('https://cbw.example', 'K', SECRET, **{option: value})
