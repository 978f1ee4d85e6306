# -*- coding: utf-8 -*-
# Copyright: secops.vulnmgmt contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The one HTTP transport shared by every module and inventory plugin of the collection.

It owns the requests Session (keep-alive, pooling), TLS, timeouts, bounded retries and error mapping.
Platform clients (cyberwatch.py, cystack.py) add auth, routes and pagination on top of it.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import contextlib
import json
import time
import warnings
from concurrent.futures import FIRST_EXCEPTION, ThreadPoolExecutor, wait
from urllib.parse import urlsplit, urlunsplit

try:
    import requests
    from requests.adapters import HTTPAdapter
    from urllib3.util.retry import Retry
    HAS_REQUESTS = True
    REQUESTS_IMPORT_ERROR = None
except ImportError as exc:  # pragma: no cover - exercised by the sanity import test
    HAS_REQUESTS = False
    REQUESTS_IMPORT_ERROR = exc
    Retry = object

USER_AGENT = 'secops.vulnmgmt/0.2.0 (+ansible)'
REDACTED = '********'
# Methods whose repetition cannot create a duplicate: the only ones ever retried after the request was sent.
IDEMPOTENT_METHODS = frozenset(('GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE', 'PATCH'))
RETRY_STATUSES = (429, 502, 503, 504)
# Statuses that say the request was refused before it was processed: retried for every method, POST included.
REFUSED_STATUSES = (429,)
WRITE_METHODS = frozenset(('POST', 'PUT', 'PATCH', 'DELETE'))
# A write whose answer was lost (5xx, dropped connection, timeout) may or may not have been applied.
UNSURE_WRITE_HINT = ('the server may have applied this %s before the failure: run the task again, it looks the object '
                     'up before writing, so it converges without a duplicate')
MAX_RETRY_AFTER = 120.0
# How much of an answer body an ApiError keeps (message and body): a 3 MB HTML error page is not a result.
MAX_ERROR_BODY = 2048

STATUS_HINTS = {
    401: 'authentication failed: check the API credentials',
    403: 'permission denied: the API key is valid but lacks the rights for this call',
    404: 'not found',
    409: 'conflict with the current state of the resource',
    422: 'rejected by the server validation',
    429: 'rate limited by the server (retries exhausted)',
}
# A write refused with 403 names the right the key lacks (a read-only key reads everything and writes nothing).
FORBIDDEN_WRITE_HINT = 'permission denied: the API key is valid but lacks write access to %s'


def url_credentials(url):
    """The user name and password written inside a URL (https://user:pass@host/), each None when absent."""
    try:
        parts = urlsplit(str(url or ''))
        return parts.username, parts.password
    except ValueError:  # an unparsable port: no credentials are read from it
        return None, None


def mask_url(url, mask=REDACTED + '@'):
    """url with the credentials written inside it (user:pass@) replaced by mask, for messages and warnings; mask=''
    strips them: the clients authenticate with their own credentials, never these."""
    text = str(url or '')
    parts = urlsplit(text)
    if '@' not in parts.netloc:
        return text
    return urlunsplit(parts._replace(netloc=mask + parts.netloc.rpartition('@')[2]))


def connection_warnings(options):
    """The warnings a connection's options deserve (plain HTTP, validate_certs false), credentials in api_url masked.

    Modules, inventory plugins and event sources emit these; a run shows each identical warning once.
    """
    url = str(options.get('api_url') or '')
    found = []
    if url.lower().startswith('http://'):
        found.append('api_url %s uses plain HTTP: API traffic is not encrypted' % mask_url(url))
    elif options.get('validate_certs') is False and url.lower().startswith('https://'):
        found.append('api_url %s: validate_certs is false, so the server certificate is not verified and API traffic '
                     'can be intercepted' % mask_url(url))
    return found


def cut(text, limit=MAX_ERROR_BODY):
    """text cut to limit characters, saying how much was left out."""
    if text is None or len(text) <= limit:
        return text
    return '%s... [%d more characters cut]' % (text[:limit], len(text) - limit)


def redact(text, secrets):
    """Return text with every secret value replaced by a mask."""
    if text is None:
        return None
    text = str(text)
    for secret in secrets:
        if secret and len(secret) >= 4:
            text = text.replace(secret, REDACTED)
    return text


class ApiError(Exception):
    """Any failure talking to an API: HTTP error status, transport error, or an unreadable answer.

    status is None for transport errors (connection, TLS, timeout). The message never holds a secret value.
    unsure is set by the transport on a write that reached the server and got no usable answer (a 5xx, a dropped
    connection, a timeout): it may or may not have been applied.
    """

    def __init__(self, message, status=None, method=None, path=None, body=None, request_id=None, unsure=False):
        super(ApiError, self).__init__(message)
        self.message = message
        self.status = status
        self.method = method
        self.path = path
        self.body = body
        self.request_id = request_id
        self.unsure = unsure

    def summary(self, reason=None):
        """'POST /path failed (HTTP 502)' for the warnings of a recovery."""
        return '%s %s failed (%s)' % (self.method, self.path, reason or (
            'HTTP %s' % self.status if self.status else 'no answer'))

    def __repr__(self):
        return 'ApiError(status=%r, method=%r, path=%r, message=%r)' % (self.status, self.method, self.path, self.message)

    def to_result(self):
        """The keys a module adds to fail_json."""
        return dict(status=self.status, method=self.method, path=self.path, body=self.body, request_id=self.request_id)


def server_message(body):
    """Best human-readable message from an error body of either platform (Cyberwatch envelope or DRF), at most 500
    characters."""
    return cut(_server_message(body), 500)


def _server_message(body):
    if isinstance(body, dict):
        error = body.get('error')
        if isinstance(error, dict) and error.get('message'):
            return str(error['message'])
        for key in ('detail', 'message', 'error'):
            if isinstance(body.get(key), str):
                return body[key]
        parts = []
        for key, value in sorted(body.items()):
            if isinstance(value, list):
                parts.append('%s: %s' % (key, ' '.join(str(v) for v in value)))
        if parts:
            return '; '.join(parts)
        return json.dumps(body, sort_keys=True)[:500]
    if isinstance(body, list):
        return json.dumps(body)[:500]
    return (body or '').strip()[:500]


class BoundedRetry(Retry):
    """urllib3 Retry whose Retry-After wait is capped, so a hostile header cannot park a play for hours.

    A POST is retried only on a status that says the server refused it unprocessed (429): never after a 5xx or a lost
    answer, where the create may have happened.
    """

    def is_retry(self, method, status_code, has_retry_after=False):
        if status_code in REFUSED_STATUSES and method == 'POST' and self.total:
            return True
        return super(BoundedRetry, self).is_retry(method, status_code, has_retry_after)

    def get_retry_after(self, response):
        value = super(BoundedRetry, self).get_retry_after(response)
        return None if value is None else min(value, MAX_RETRY_AFTER)


def build_retry(max_retries, backoff_factor=0.5, backoff_max=30.0):
    """Retry policy: only idempotent methods after the request was sent; 429/502/503/504 and resets."""
    kwargs = dict(
        total=max_retries, connect=max_retries, read=max_retries, status=max_retries, other=0,
        redirect=0, allowed_methods=IDEMPOTENT_METHODS, status_forcelist=RETRY_STATUSES,
        backoff_factor=backoff_factor, respect_retry_after_header=True, raise_on_status=False,
        raise_on_redirect=False,
    )
    try:
        return BoundedRetry(backoff_jitter=backoff_factor, backoff_max=backoff_max, **kwargs)
    except TypeError:  # urllib3 < 2 has neither backoff_jitter nor backoff_max
        return BoundedRetry(**kwargs)


class HttpClient:
    """Session-based JSON client: base URL, auth, TLS, timeout, retries, and ApiError on failure."""

    def __init__(self, base_url, auth=None, validate_certs=True, ca_path=None, request_timeout=30.0,
                 max_retries=3, secrets=(), backoff_factor=0.5, headers=None):
        if not HAS_REQUESTS:
            raise ApiError('the Python library "requests" is required: %s' % REQUESTS_IMPORT_ERROR)
        # Credentials written inside the URL are never sent (each client has its own auth) and never shown.
        self.base_url = mask_url(base_url, mask='').rstrip('/')
        self.timeout = float(request_timeout)
        self.max_retries = int(max_retries)
        self._secrets = tuple(s for s in tuple(secrets) + url_credentials(base_url)[1:] if s)
        self.session = requests.Session()
        # Passed on every request: a session-level verify loses to REQUESTS_CA_BUNDLE/CURL_CA_BUNDLE in requests.
        self.verify = (ca_path or True) if validate_certs else False
        # What requests takes from the environment (proxy variables and no_proxy, REQUESTS_CA_BUNDLE/CURL_CA_BUNDLE
        # when neither ca_path nor validate_certs=false is set, ~/.netrc without auth) is read once, here, for the
        # base URL every request goes to: with trust_env, requests reads it again on every request (two scans of
        # os.environ), about 7 % of the client's CPU per request at 10,000 server details.
        environment = self.session.merge_environment_settings(self.base_url, {}, None, self.verify, None)
        self.session.proxies.update(environment['proxies'])
        self.verify = environment['verify']
        self.session.auth = auth or requests.utils.get_netrc_auth(self.base_url)
        self.session.trust_env = False
        self.session.headers.update({'User-Agent': USER_AGENT, 'Accept': 'application/json'})
        self.session.headers.update(headers or {})
        adapter = HTTPAdapter(pool_connections=4, pool_maxsize=32,
                              max_retries=build_retry(self.max_retries, backoff_factor=backoff_factor))
        self.session.mount('https://', adapter)
        self.session.mount('http://', adapter)

    def __repr__(self):
        return '%s(base_url=%r)' % (type(self).__name__, self.base_url)

    def url(self, path):
        """Absolute URL of an API path; full URLs pass through unchanged."""
        if path.startswith(('http://', 'https://')):
            return path
        return self.base_url + '/' + path.lstrip('/')

    def request(self, method, path, params=None, json_body=None, expect_json=True):
        """Send one request and return (status, parsed body or None, headers, response).

        Raises ApiError for any status >= 400, transport failure or unreadable JSON body.
        """
        method = method.upper()
        kwargs = dict(params=params, timeout=self.timeout, allow_redirects=False, verify=self.verify)
        if json_body is not None:
            kwargs['json'] = json_body
        try:
            # InsecureRequestWarning: validate_certs=false is a user choice. Only then: catch_warnings swaps the
            # process-wide filters, which costs CPU on every request and is not thread-safe.
            with warnings_silenced() if self.verify is False else contextlib.nullcontext():
                response = self.session.request(method, self.url(path), **kwargs)
        except requests.exceptions.RequestException as exc:
            what, hint, reached = self._describe_transport_error(exc)
            unsure = reached and method in WRITE_METHODS
            if unsure:
                hint = '; '.join(h for h in (hint, UNSURE_WRITE_HINT % method) if h)
            raise self._transport_error(method, path, what, exc, hint, unsure) from exc
        return self._handle(method, path, response, expect_json)

    def _describe_transport_error(self, exc):
        """(what happened, what to do, whether the request may have reached the server) from the root cause, which
        urllib3 may wrap in MaxRetryError."""
        reason = getattr(exc.args[0], 'reason', None) if exc.args else None
        if isinstance(exc, requests.exceptions.SSLError) or 'SSLError' in type(reason).__name__:
            return ('TLS verification failed', 'set ca_path to the CA bundle that signed the server certificate, '
                                               'or validate_certs=false for a lab', False)
        if isinstance(exc, requests.exceptions.Timeout) or 'Timeout' in type(reason).__name__:
            connecting = isinstance(exc, requests.exceptions.ConnectTimeout) or 'ConnectTimeout' in type(reason).__name__
            return 'timed out after %ss' % self.timeout, 'raise request_timeout or check the server load', not connecting
        if isinstance(exc, requests.exceptions.RetryError):
            return 'gave up after %d retries' % self.max_retries, None, True
        if 'ProtocolError' in type(reason).__name__ or 'Connection aborted' in str(exc):
            return 'the connection was closed before an answer', 'check proxies and the server logs', True
        if isinstance(exc, requests.exceptions.ConnectionError):
            return 'cannot connect to %s' % self.base_url, 'check api_url, DNS, proxies and firewalls', False
        return 'request failed', None, True

    def _transport_error(self, method, path, what, exc, hint=None, unsure=False):
        cause = exc
        while getattr(cause, '__context__', None) is not None and not str(cause):
            cause = cause.__context__
        msg = '%s %s: %s: %s' % (method, path, what, cause)
        if hint:
            msg += ' (%s)' % hint
        return ApiError(redact(msg, self._secrets), method=method, path=path, unsure=unsure)

    def _handle(self, method, path, response, expect_json):
        request_id = response.headers.get('X-Request-Id')
        status = response.status_code
        text = response.text
        body = None
        if text.strip():
            try:
                body = json.loads(text)
            except (ValueError, RecursionError) as exc:
                if status < 300 and expect_json:
                    what = ('JSON nested too deeply to be read' if isinstance(exc, RecursionError)
                            else 'a body that is not valid JSON')
                    self._malformed(method, path, response, '%s (%d bytes, %s): %r' % (
                        what, len(text), response.headers.get('Content-Type') or 'no Content-Type', text[:200]), text)
                body = cut(text)
        elif status < 300 and expect_json and method == 'GET':
            self._malformed(method, path, response, 'an empty body where JSON was expected', text)
        if 300 <= status < 400:
            location = response.headers.get('Location')
            raise ApiError(redact('%s %s: HTTP %d redirect to %s: redirects are not followed (check api_url, and any '
                                  'proxy or single sign-on page in front of the API)' % (
                                      method, path, status, location or 'no Location'), self._secrets),
                           status=status, method=method, path=path, body=self._error_body(body, text),
                           request_id=request_id)
        if status >= 400:
            hint = STATUS_HINTS.get(status) or ('server error' if status >= 500 else 'request rejected')
            if status == 403 and method in WRITE_METHODS:
                hint = FORBIDDEN_WRITE_HINT % path.partition('?')[0]
            if status in RETRY_STATUSES and method in IDEMPOTENT_METHODS:
                hint += ' after %d retries' % self.max_retries
            unsure = status >= 500 and method in WRITE_METHODS
            if unsure:
                hint += '; ' + UNSURE_WRITE_HINT % method
            msg = '%s %s failed with HTTP %d %s (%s): %s' % (
                method, path, status, response.reason or '', hint, server_message(body))
            raise ApiError(redact(msg, self._secrets), status=status, method=method, path=path,
                           body=self._error_body(body, text), request_id=request_id, unsure=unsure)
        return status, body, response.headers, response

    def _malformed(self, method, path, response, what, text):
        """Raise the ApiError of a 2xx answer that cannot be used."""
        raise ApiError(redact('%s %s: HTTP %s but %s' % (method, path, response.status_code, what), self._secrets),
                       status=response.status_code, method=method, path=path,
                       body=redact(cut(text), self._secrets) if text else None,
                       request_id=response.headers.get('X-Request-Id'))

    def _error_body(self, body, text):
        """The body an ApiError keeps: the parsed JSON when the answer is small, else its text cut; secrets masked."""
        if isinstance(body, (dict, list)) and len(text) > MAX_ERROR_BODY:
            body = cut(text)
        if isinstance(body, (dict, list)):
            return json.loads(redact(json.dumps(body), self._secrets))
        return redact(body, self._secrets)


@contextlib.contextmanager
def warnings_silenced():
    with warnings.catch_warnings():
        warnings.simplefilter('ignore')
        yield


def concurrent_map(func, items, max_workers):
    """[func(item) for item in items] on at most max_workers threads (requests in flight), in input order.

    The first exception cancels what has not started and is raised: a failed item fails the whole call.
    """
    items = list(items)
    if max_workers <= 1 or len(items) <= 1:
        return [func(item) for item in items]
    executor = ThreadPoolExecutor(max_workers=max_workers)
    try:
        futures = [executor.submit(func, item) for item in items]
        done, dummy = wait(futures, return_when=FIRST_EXCEPTION)
        for future in futures:
            if future in done and future.exception() is not None:
                raise future.exception()
        return [future.result() for future in futures]
    finally:
        executor.shutdown(wait=True, cancel_futures=True)


def found_after(exc, lookup):
    """What lookup() finds after a write failed with exc; exc itself when it finds nothing or fails too.

    For the writes that may have been applied (exc.unsure) or lost a race: the caller converges from what is found.
    """
    try:
        found = lookup()
    except ApiError:
        found = None
    if found is None:
        raise exc
    return found


def unless_missing(call):
    """call(), or None when it fails with HTTP 404 (the object is absent)."""
    try:
        return call()
    except ApiError as exc:
        if exc.status == 404:
            return None
        raise


def transient(exc):
    """A failure worth waiting out: no answer (connection, timeout), rate limiting or a server error."""
    return exc.status is None or exc.status == 429 or exc.status >= 500


def poll(read, done, timeout, interval, clock=time.monotonic, sleep=time.sleep):
    """read() every interval seconds until done(value) or timeout seconds passed; returns (last value, done).

    Transient failures of a read are waited out like an unfinished state, up to the deadline; if no read ever
    succeeded by then, the last failure is raised. Any other failure is raised at once.
    """
    deadline = clock() + timeout
    value, error = None, None
    while True:
        try:
            value, error = read(), None
            if done(value):
                return value, True
        except ApiError as exc:
            if not transient(exc):
                raise
            error = exc
        remaining = deadline - clock()
        if remaining <= 0:
            if value is None and error is not None:
                raise error
            return value, False
        sleep(min(interval, remaining))
