"""The WSGI application: routing between the two APIs and /_sim/, authentication, faults and the request log."""

import copy
import socket
import sys
import threading
import time
import uuid

from werkzeug.wrappers import Request, Response

from core import fleet, malformed
from core.auth import Credentials
from core.control import Control
from core.faults import AFTER_COMMIT, AFTER_HANDLING, HTML_502, Faults
from core.mutations import Mutator
from core.web import json_response
from cyberwatch.api import CyberwatchApi
from cyberwatch.common import error_response
from cystack.api import CyStackApi
from cystack.scans import Lifecycle

CBW_HEADERS = {"Cache-Control": "max-age=0, private, must-revalidate"}


class RequestLog:
    """Thread-safe, append-only list of API requests."""

    def __init__(self):
        self.lock = threading.Lock()
        self.items = []

    def add(self, entry):
        """Append one entry."""
        with self.lock:
            self.items.append(entry)

    def entries(self, since=0):
        """Entries from index since."""
        with self.lock:
            return list(self.items[since:])

    def clear(self):
        """Forget everything."""
        with self.lock:
            self.items = []


class App:
    """Callable WSGI app holding the store, the two APIs, the faults and the log."""

    def __init__(self, options, credentials: Credentials, store=None):
        self.options = options
        self.credentials = credentials
        self.store = store or fleet.generate(options.seed, options.servers, options.targets, options.hostile)
        self.saved = None  # snapshot()
        self.cyberwatch = CyberwatchApi(self.store, options.max_per_page, options.test_deploy_delay)
        self.cystack = CyStackApi(self.store, options.scan_seconds, options.cystack_next_host)
        self.faults = Faults(options.seed)
        self.log = RequestLog()
        self.control = Control(self)
        self.mutator = Mutator(self)
        self.verbose = options.verbose

    def snapshot(self):
        """Remember the current state: reset(to_snapshot=True) comes back to it."""
        with self.store.lock:
            self.saved = copy.deepcopy((self.store.tables, self.store.next_ids, self.store.cve_servers))

    def reset(self, to_snapshot=False):
        """Seeded state again (or the snapshot's), empty log, no faults."""
        if not to_snapshot:
            fresh = fleet.generate(self.options.seed, self.options.servers, self.options.targets, self.options.hostile)
            state = fresh.tables, fresh.next_ids, fresh.cve_servers
        elif self.saved is None:
            raise ValueError("no snapshot: POST /_sim/snapshot first")
        else:
            state = copy.deepcopy(self.saved)
        with self.store.lock:
            self.store.tables, self.store.next_ids, self.store.cve_servers = state
            self.cystack.lifecycle = Lifecycle(self.store, self.options.scan_seconds)
        self.log.clear()
        self.faults.replace([])
        self.mutator.reset()

    def __call__(self, environ, start_response):
        request = Request(environ)
        path = request.path
        if path.startswith("/_sim/") or path == "/_sim":
            return self.control.dispatch(request)(environ, start_response)
        api = "cyberwatch" if path.startswith("/api/") else "cystack" if path == "/v1" or path.startswith("/v1/") else None
        if api is None:
            return json_response({"error": "Not Found"}, 404)(environ, start_response)
        query = environ.get("QUERY_STRING", "")
        request_id = str(uuid.uuid4())
        scheme, message = self._authenticate(api, request)
        forbidden = message is None and self.credentials.forbidden(api, scheme, request.method, path)
        listing = self.mutator.listing(api, request) if self.faults.wants_listing() else None
        fault = self.faults.pick(request.method, path, query, listing=listing is not None)
        if fault is not None and fault.kind == "latency":
            time.sleep(fault.seconds)
            fault = None
        if fault is not None and fault.kind == "drop":
            self._log(request, 0, scheme)
            return self._drop(environ, start_response)
        if fault is not None and fault.kind == "mutate_listing":
            # The fleet changes between two pages, whoever asks: done before the page is rendered.
            self.faults.record(fault, dict(self.mutator.apply(listing, request, fault.delete, fault.insert),
                                           method=request.method, path=path, query=query))
            fault = None
        after_commit = fault is not None and fault.kind in AFTER_COMMIT
        if fault is not None and fault.kind != "truncate" and fault.kind not in AFTER_HANDLING:
            response = self._fault_response(api, fault)
        elif message is not None:
            response = self._unauthorized(api, message)
        elif forbidden:
            response = json_response({"detail": forbidden}, 403) if api == "cystack" else error_response(403, forbidden)
        else:
            response = self.cyberwatch.dispatch(request, request_id) if api == "cyberwatch" else self.cystack.dispatch(request)
        handled = response.status_code if after_commit else None
        if after_commit and fault.kind == "drop_after_commit":
            self._log(request, 0, scheme, handled)
            return self._drop(environ, start_response)
        if after_commit:
            response = self._fault_response(api, fault)
        if fault is not None and fault.kind == "malformed" and response.status_code < 400:
            response = malformed.answer(fault, response)
        response.headers["X-Request-Id"] = request_id
        if api == "cyberwatch" and response.status_code < 400:
            response.headers.update(CBW_HEADERS)
        if fault is not None and fault.kind == "truncate":
            response = self._truncate(response)
        self._log(request, response.status_code, scheme, handled)
        return response(environ, start_response)

    def _authenticate(self, api, request):
        if api == "cystack":
            return self.credentials.check_cystack(request.headers)
        raw_uri = request.environ.get("RAW_URI") or request.full_path.rstrip("?")
        return self.credentials.check_cyberwatch(request.headers, request.method, raw_uri, time.time())

    @staticmethod
    def _unauthorized(api, message):
        if api == "cystack":
            return json_response({"detail": message}, 401, {"WWW-Authenticate": 'Bearer realm="api"'})
        return error_response(401, message)

    @staticmethod
    def _fault_response(api, fault):
        if fault.kind == "non_json":
            return Response(HTML_502, status=fault.status, content_type="text/html")
        headers = {"Retry-After": str(fault.retry_after)} if fault.kind == "retry_after" else {}
        if api == "cystack":
            detail = ("Request was throttled. Expected available in %s seconds." % fault.retry_after
                      if fault.kind == "retry_after" else "Service unavailable (simulated fault).")
            return json_response({"detail": detail}, fault.status, headers)
        response = error_response(fault.status, "Simulated fault")
        response.headers.update(headers)
        return response

    @staticmethod
    def _truncate(response):
        """Half the body, a Content-Length for the whole body, then the connection closes."""
        body = response.get_data()
        cut = Response(body[: len(body) // 2], status=response.status_code, headers=list(response.headers.items()))
        cut.headers["Content-Length"] = str(len(body))
        cut.headers["Connection"] = "close"
        cut.automatically_set_content_length = False
        return cut

    @staticmethod
    def _drop(environ, start_response):
        """Close the socket without answering; werkzeug then gives up on this connection."""
        sock = environ.get("werkzeug.socket")
        if sock is not None:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
        start_response("500 Dropped", [("Content-Length", "0"), ("Connection", "close")])
        return [b""]

    def _log(self, request, status, scheme, handled=None):
        """One log entry; after-commit faults add handled_status, the status the store's answer had."""
        entry = {"method": request.method, "path": request.path, "query": request.environ.get("QUERY_STRING", ""),
                 "status": status, "auth": scheme}
        if handled is not None:
            entry["handled_status"] = handled
        self.log.add(entry)
        if self.verbose:
            print("%s %s %s" % (request.method, request.path, status), file=sys.stderr, flush=True)
