"""The simulated Cyberwatch API: dispatch of an authenticated /api/ request along routes.ROUTES, under one lock.

Before each request the lazy completions that are due are applied (test_deploy, server actions, discovery
relaunches, air-gap analyses), so that a client sees them as if they had run in the background.
"""

from werkzeug.exceptions import MethodNotAllowed, NotFound
from werkzeug.routing import Map, Rule

from core.web import ApiError, get_handler
from cyberwatch import airgap, assets, discoveries, remote_accesses, server_actions, servers
from cyberwatch.common import error_response
from cyberwatch.routes import ROUTES, ping


# Listings the mutate_listing fault changes between two pages (core/mutations.py): handler -> rows of the listing.
MUTABLE_LISTINGS = {servers.index: servers.rows, assets.index: assets.rows}


class CyberwatchApi:
    """dispatch(request, request_id) -> Response. The handlers read store, max_per_page and delay (the
    --test-deploy-delay after which a lazy action completes), and the records of what is due."""

    def __init__(self, store, max_per_page=500, test_deploy_delay=0.5):
        self.store = store
        self.max_per_page = max_per_page
        self.delay = test_deploy_delay
        self.actions_due = server_actions.Due()  # servers with a refresh, install or reboot due
        self.airgap_due = {}  # server id -> when its air-gap analysis is due
        self.url_map = Map([Rule(path, endpoint=handler, methods=[method]) for method, path, handler in ROUTES],
                           strict_slashes=False, merge_slashes=False)

    def _match(self, request):
        return self.url_map.bind_to_environ(request.environ).match()

    def dispatch(self, request, request_id):
        """Route and answer one authenticated request."""
        try:
            handler, args = self._match(request)
        except MethodNotAllowed:
            return error_response(405, "405 Not Allowed")
        except NotFound:
            return error_response(404, "Not Found")
        request.environ["simulator.request_id"] = request_id
        if handler is ping:
            return ping(self, request)
        request.get_data(cache=True)  # read the body before taking the lock: a slow client never holds it
        try:
            # One lock around validation and write: uniqueness checks and inserts are atomic across threads.
            with self.store.lock:
                self.settle()
                return handler(self, request, **args)
        except ApiError as err:
            return error_response(err.status, err.message)

    def settle(self):
        """Complete what is due (callers hold the lock)."""
        remote_accesses.settle(self.store)
        server_actions.settle(self.store, self.actions_due)
        discoveries.settle(self.store)
        airgap.settle(self.store, self.airgap_due)

    def mutable_listing(self, request):
        """The servers.Listing a GET reads when mutate_listing can change it, else None."""
        handler = get_handler(self.url_map, request)
        rows_for = MUTABLE_LISTINGS.get(handler)
        return servers.Listing(self, rows_for) if rows_for is not None else None
