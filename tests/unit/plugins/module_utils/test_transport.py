"""The transport: bounded retries for idempotent methods only, errors that keep their cause and hide secrets."""

import time

import pytest
import requests
from ansible_collections.secops.vulnmgmt.tests.unit.scripted_server import Reply

from ansible_collections.secops.vulnmgmt.plugins.module_utils.transport import ApiError, HttpClient

SECRET = 'sUp3r-s3cr3t-k3y-value=='


def client(url, **kwargs):
    kwargs.setdefault('backoff_factor', 0.01)
    kwargs.setdefault('secrets', (SECRET,))
    return HttpClient(url, **kwargs)


def test_429_is_retried_after_retry_after(server):
    server.script(Reply(429, {'detail': 'slow down'}, headers={'Retry-After': '1'}), Reply(200, {'ok': True}))
    started = time.monotonic()
    status, body, dummy, dummy2 = client(server.url).request('GET', '/thing')
    assert (status, body) == (200, {'ok': True})
    assert len(server.received) == 2
    assert time.monotonic() - started >= 0.9


def test_503_is_retried_then_succeeds(server):
    server.script(Reply(503, {'detail': 'busy'}), Reply(503, {'detail': 'busy'}), Reply(200, []))
    assert client(server.url).request('PUT', '/thing', json_body={'a': 1})[0] == 200
    assert [r['method'] for r in server.received] == ['PUT'] * 3


def test_a_reset_connection_is_retried_for_get(server):
    server.script(Reply(drop=True), Reply(200, {'ok': True}))
    assert client(server.url).request('GET', '/thing')[1] == {'ok': True}
    assert len(server.received) == 2


def test_retries_are_bounded_and_the_error_says_so(server):
    server.default = Reply(502, {'error': {'code': 502, 'status': 'Bad Gateway', 'message': 'upstream down'}})
    with pytest.raises(ApiError) as info:
        client(server.url, max_retries=2).request('DELETE', '/api/v3/hosts/4')
    assert len(server.received) == 3
    err = info.value
    assert err.status == 502 and err.method == 'DELETE' and err.path == '/api/v3/hosts/4'
    assert 'DELETE /api/v3/hosts/4 failed with HTTP 502' in err.message
    assert 'after 2 retries' in err.message and 'upstream down' in err.message


def test_a_post_is_never_retried_on_503(server):
    server.default = Reply(503, {'detail': 'busy'})
    with pytest.raises(ApiError) as info:
        client(server.url).request('POST', '/scans', json_body={'target': 't'})
    assert len(server.received) == 1
    assert info.value.status == 503


def test_a_post_is_never_retried_after_a_reset(server):
    server.script(Reply(drop=True), Reply(201, {}))
    with pytest.raises(ApiError) as info:
        client(server.url).request('POST', '/scans', json_body={'target': 't'})
    assert len(server.received) == 1
    assert info.value.status is None
    assert isinstance(info.value.__cause__, requests.exceptions.ConnectionError)
    assert 'the connection was closed before an answer' in info.value.message
    assert 'may have applied this POST' in info.value.message and 'run the task again' in info.value.message
    assert info.value.unsure


def test_a_post_refused_with_429_is_retried(server):
    """429 says the server did not process the request, so a POST may be sent again."""
    server.script(Reply(429, {'detail': 'slow down'}, headers={'Retry-After': '1'}), Reply(201, {'id': 3}))
    assert client(server.url).request('POST', '/scans', json_body={'target': 't'})[1] == {'id': 3}
    assert [r['method'] for r in server.received] == ['POST', 'POST']


def test_a_write_failing_with_5xx_says_what_to_do(server):
    server.default = Reply(502, {'detail': 'bad gateway'})
    with pytest.raises(ApiError) as info:
        client(server.url, max_retries=0).request('PATCH', '/api/v3/assets/remote_accesses/4', json_body={'a': 1})
    assert info.value.message.startswith('PATCH /api/v3/assets/remote_accesses/4 failed with HTTP 502')
    assert 'may have applied this PATCH' in info.value.message
    assert info.value.unsure


def test_a_write_that_never_reached_the_server_is_not_unsure():
    with pytest.raises(ApiError) as info:
        client('http://127.0.0.1:9', max_retries=0).request('POST', '/api/v3/assets/groups', json_body={'name': 'x'})
    assert not info.value.unsure and 'may have applied' not in info.value.message


def test_a_read_failing_with_5xx_has_no_write_hint(server):
    server.default = Reply(502, {'detail': 'bad gateway'})
    with pytest.raises(ApiError) as info:
        client(server.url, max_retries=0).request('GET', '/api/v3/hosts')
    assert 'may have applied' not in info.value.message and not info.value.unsure


def test_timeout_keeps_its_cause(server):
    server.script(Reply(200, {}, delay=1.5))
    with pytest.raises(ApiError) as info:
        client(server.url, request_timeout=0.3, max_retries=0).request('GET', '/slow')
    assert 'timed out after 0.3s' in info.value.message
    assert isinstance(info.value.__cause__, requests.exceptions.RequestException)
    assert 'Read timed out' in str(info.value.__cause__)


def test_unreachable_url_keeps_its_cause():
    with pytest.raises(ApiError) as info:
        client('http://127.0.0.1:9', max_retries=0).request('GET', '/api/v3/ping')
    assert 'cannot connect to http://127.0.0.1:9' in info.value.message
    assert isinstance(info.value.__cause__, requests.exceptions.ConnectionError)


def test_tls_failure_keeps_its_cause_and_ca_path_fixes_it(tls_server, tmp_path, monkeypatch):
    tls_server.script(Reply(200, {'ok': True}))
    with pytest.raises(ApiError) as info:
        client(tls_server.url, max_retries=0).request('GET', '/ping')
    assert 'TLS verification failed' in info.value.message and 'ca_path' in info.value.message
    assert isinstance(info.value.__cause__, requests.exceptions.SSLError)
    ca_file = tmp_path / 'ca.pem'
    # requests lets REQUESTS_CA_BUNDLE override a session's verify; ca_path must win (execution environments set it).
    monkeypatch.setenv('REQUESTS_CA_BUNDLE', '/nonexistent/bundle.pem')
    tls_server.ca.cert_pem.write_to_path(str(ca_file))
    assert client(tls_server.url, ca_path=str(ca_file)).request('GET', '/ping')[1] == {'ok': True}


def test_validate_certs_false_accepts_a_self_signed_server(tls_server, monkeypatch):
    monkeypatch.setenv('REQUESTS_CA_BUNDLE', '/nonexistent/bundle.pem')
    tls_server.script(Reply(200, {'ok': True}))
    assert client(tls_server.url, validate_certs=False).request('GET', '/ping')[1] == {'ok': True}


def test_proxy_environment_is_read_once_when_the_client_is_built(server, monkeypatch):
    # requests would read the proxy variables on every request; the transport reads them once, for its base URL.
    server.script(Reply(200, {'ok': True}), Reply(200, {'ok': True}))
    monkeypatch.setenv('HTTP_PROXY', 'http://127.0.0.1:9')
    monkeypatch.setenv('NO_PROXY', '127.0.0.1')
    bypassing = client(server.url, max_retries=0)
    monkeypatch.delenv('NO_PROXY')
    proxied = client(server.url, max_retries=0)
    assert bypassing.request('GET', '/ping')[1] == {'ok': True}  # NO_PROXY as it was when the client was built
    with pytest.raises(ApiError, match='cannot connect'):
        proxied.request('GET', '/ping')  # through the (dead) proxy of the environment
    assert len(server.received) == 1


def test_ca_bundle_and_netrc_of_the_environment_still_apply(tls_server, server, tmp_path, monkeypatch):
    # Read once when the client is built (trust_env off): REQUESTS_CA_BUNDLE without ca_path, ~/.netrc without auth.
    tls_server.script(Reply(200, {'ok': True}))
    ca_file = tmp_path / 'ca.pem'
    tls_server.ca.cert_pem.write_to_path(str(ca_file))
    monkeypatch.setenv('REQUESTS_CA_BUNDLE', str(ca_file))
    assert client(tls_server.url, max_retries=0).request('GET', '/ping')[1] == {'ok': True}
    netrc = tmp_path / 'netrc'
    netrc.write_text('machine 127.0.0.1 login scanner password n3trc-pass\n')
    monkeypatch.setenv('NETRC', str(netrc))
    server.script(Reply(200, {'ok': True}), Reply(200, {'ok': True}))
    client(server.url, max_retries=0).request('GET', '/ping')
    client(server.url, max_retries=0, auth=('given', 'x')).request('GET', '/ping')
    assert [r['headers'].get('Authorization') for r in server.received] == [
        requests.auth._basic_auth_str('scanner', 'n3trc-pass'), requests.auth._basic_auth_str('given', 'x')]


def test_error_messages_never_hold_a_secret(server):
    server.default = Reply(401, {'error': {'code': 401, 'status': 'Unauthorized',
                                           'message': 'key %s rejected' % SECRET}})
    with pytest.raises(ApiError) as info:
        client(server.url).request('GET', '/api/v3/ping')
    err = info.value
    assert err.status == 401 and 'HTTP 401' in err.message and 'authentication failed' in err.message
    for text in (err.message, str(err), repr(err), str(err.body), str(err.to_result())):
        assert SECRET not in text
    assert '********' in err.message


def test_non_json_success_body_is_an_api_error(server):
    server.script(Reply(200, raw=b'<html>proxy page</html>'))
    with pytest.raises(ApiError, match='not valid JSON'):
        client(server.url).request('GET', '/api/v3/ping')


def test_truncated_json_is_an_api_error(server):
    server.script(Reply(200, raw=b'[{"id": 1}, {"id"'))
    with pytest.raises(ApiError, match='not valid JSON'):
        client(server.url).request('GET', '/api/v3/servers')


@pytest.mark.parametrize('status,body,expected', [
    (404, {'error': {'code': 404, 'status': 'Not Found', 'message': "Couldn't find Server with 'id'=9"}},
     "not found): Couldn't find Server with 'id'=9"),
    (422, {'error': {'code': 422, 'message': 'Validation failed: Address has already been taken'}},
     'rejected by the server validation): Validation failed: Address has already been taken'),
    (400, {'profile': ['A valid integer is required.']}, 'profile: A valid integer is required.'),
    (403, {'detail': 'You do not have permission.'}, 'lacks the rights for this call): You do not have permission.'),
])
def test_status_specific_messages(server, status, body, expected):
    server.default = Reply(status, body)
    with pytest.raises(ApiError) as info:
        client(server.url).request('GET', '/x')
    assert expected in info.value.message


def test_a_refused_write_names_the_missing_right(server):
    server.default = Reply(403, {'detail': 'You do not have permission to perform this action.'})
    with pytest.raises(ApiError) as info:
        client(server.url).request('DELETE', '/scans/42', params={'force': 1})
    assert info.value.status == 403
    assert info.value.message.startswith('DELETE /scans/42 failed with HTTP 403 ')
    assert ('(permission denied: the API key is valid but lacks write access to /scans/42): You do not have '
            'permission to perform this action.') in info.value.message


# -- malformed answers (issue 19) ------------------------------------------------------------------------------------
def test_a_redirect_is_an_error_naming_the_status_and_location(server):
    server.script(Reply(302, None, headers={'Location': 'https://sso.example/login'}))
    with pytest.raises(ApiError) as info:
        client(server.url).request('GET', '/api/v3/ping')
    assert info.value.status == 302 and info.value.path == '/api/v3/ping'
    assert 'GET /api/v3/ping: HTTP 302 redirect to https://sso.example/login' in info.value.message
    assert len(server.received) == 1


@pytest.mark.parametrize('raw,what', [
    (b'', 'an empty body where JSON was expected'),
    (b'<html><body>Sign in</body></html>', 'not valid JSON'),
    (b'{"uuid": "48e1', 'not valid JSON'),
    (b'[' * 100000 + b']' * 100000, 'nested too deeply'),
])
def test_an_unusable_2xx_body_is_an_error_naming_method_and_path(server, raw, what):
    server.script(Reply(200, raw=raw))
    with pytest.raises(ApiError) as info:
        client(server.url).request('GET', '/api/v3/ping')
    assert info.value.message.startswith('GET /api/v3/ping: HTTP 200 but ')
    assert what in info.value.message
    assert info.value.body is None or len(info.value.body) < 2200


def test_an_empty_answer_to_a_write_is_accepted(server):
    server.script(Reply(204, raw=b''))
    assert client(server.url).request('DELETE', '/scans/1')[:2] == (204, None)


def test_a_huge_error_body_is_cut_in_the_message_and_the_body(server):
    server.script(Reply(500, raw=b'<html>' + b'x' * (3 * 1024 * 1024) + b'</html>'))
    with pytest.raises(ApiError) as info:
        client(server.url, max_retries=0).request('GET', '/thing')
    assert len(info.value.message) < 1000 and len(info.value.body) < 2200
    assert 'characters cut' in info.value.body


def test_credentials_inside_the_url_are_never_sent_or_shown(server):
    server.script(Reply(200, {'ok': True}))
    url = server.url.replace('://', '://admin:hunter2-pass@')
    http = client(url)
    assert 'hunter2' not in repr(http) and 'hunter2' not in http.base_url
    http.request('GET', '/thing')
    assert 'Authorization' not in server.received[0]['headers']
    dead = client('http://admin:hunter2-pass@127.0.0.1:1', max_retries=0)
    with pytest.raises(ApiError) as info:
        dead.request('GET', '/thing')
    assert 'hunter2' not in str(info.value) and 'hunter2' not in repr(info.value)


def test_connection_warnings():
    from ansible_collections.secops.vulnmgmt.plugins.module_utils.transport import connection_warnings, mask_url
    assert connection_warnings({'api_url': 'https://cbw.example', 'validate_certs': True}) == []
    insecure = connection_warnings({'api_url': 'https://u:p4ssw0rd@cbw.example', 'validate_certs': False})
    assert len(insecure) == 1 and 'validate_certs is false' in insecure[0] and 'p4ssw0rd' not in insecure[0]
    assert connection_warnings({'api_url': 'http://cbw.example', 'validate_certs': False}) == [
        'api_url http://cbw.example uses plain HTTP: API traffic is not encrypted']
    assert mask_url('https://u:p@h:8443/x') == 'https://********@h:8443/x'
