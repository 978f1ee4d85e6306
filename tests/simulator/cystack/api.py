"""The simulated CyStack API: dispatch of an authenticated /v1 request along routes.ROUTES, under one lock; the
scan lifecycle moves forward before each request."""

from werkzeug.exceptions import MethodNotAllowed, NotFound
from werkzeug.routing import Map, Rule

from core.web import ApiError, get_handler, json_response
from cystack.routes import ROUTES
from cystack import scans, targets
from cystack.scans import Lifecycle


# Listings the mutate_listing fault changes between two pages (core/mutations.py).
MUTABLE_LISTINGS = {targets.index: targets.Listing, scans.index: scans.Listing}


class CyStackApi:
    """dispatch(request) -> Response. The handlers read store, lifecycle and next_host (the host of DRF links)."""

    def __init__(self, store, scan_seconds=3, next_host=None):
        self.store = store
        self.lifecycle = Lifecycle(store, scan_seconds)
        self.next_host = next_host
        self.url_map = Map([Rule(path, endpoint=handler, methods=[method]) for method, path, handler in ROUTES],
                           strict_slashes=False, merge_slashes=False)

    def _match(self, request):
        return self.url_map.bind_to_environ(request.environ).match()

    def dispatch(self, request):
        """Route and answer one request."""
        try:
            handler, args = self._match(request)
        except MethodNotAllowed:
            return json_response({"detail": 'Method "%s" not allowed.' % request.method}, 405)
        except NotFound:
            return json_response({"detail": "Not found."}, 404)
        request.get_data(cache=True)  # read the body before taking the lock
        try:
            with self.store.lock:
                self.lifecycle.tick()
                return handler(self, request, **args)
        except ApiError as err:
            return json_response({"detail": err.message}, err.status)

    def mutable_listing(self, request):
        """The targets or scans Listing a GET reads, else None."""
        handler = get_handler(self.url_map, request)
        listing = MUTABLE_LISTINGS.get(handler)
        return listing(self) if listing is not None else None
