"""The opt-in keep-alive front end of the simulator (serve.py --keep-alive): the same WSGI App served by waitress,
HTTP/1.1 with persistent connections, as a real API behind a keep-alive proxy. Plain HTTP only; the `drop` fault kinds
need werkzeug's socket and are refused (tests/simulator/README.md)."""

import logging
import threading

from waitress import wasyncore
from waitress.server import create_server

# Faults the waitress front end cannot inject: waitress does not hand the client socket to the application.
REFUSED_FAULTS = ("drop", "drop_after_commit")


class KeepAliveServer:
    """waitress behind the interface serve.py uses from werkzeug's server: server_port, serve_forever(), shutdown()
    (from another thread) and server_close()."""

    def __init__(self, app, bind, port, threads=32, verbose=False):
        if not verbose:
            logging.getLogger("waitress").setLevel(logging.ERROR)
        self.map = {}
        self.stopping = threading.Event()
        self.server = create_server(self.with_raw_uri(app), map=self.map, host=bind, port=port, threads=threads,
                                    connection_limit=max(100, 4 * threads), ident="vulnmgmt-simulator")
        self.server_port = int(self.server.effective_port)

    @staticmethod
    def with_raw_uri(app):
        """The App signs-checks Cyberwatch requests against werkzeug's RAW_URI; waitress calls it REQUEST_URI."""
        def wsgi(environ, start_response):
            environ.setdefault("RAW_URI", environ.get("REQUEST_URI", ""))
            return app(environ, start_response)
        return wsgi

    def serve_forever(self):
        """The waitress loop, until shutdown()."""
        while not self.stopping.is_set():
            wasyncore.loop(timeout=0.2, use_poll=True, map=self.map, count=1)

    def shutdown(self):
        """Ask serve_forever to return (it does within 0.2 s)."""
        self.stopping.set()

    def server_close(self):
        """Stop the worker threads and close every socket."""
        self.server.task_dispatcher.shutdown()
        wasyncore.close_all(self.map)
