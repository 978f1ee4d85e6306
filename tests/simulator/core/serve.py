"""Command line entry point: start the Cyberwatch + CyStack simulator and print one JSON readiness line."""

import argparse
import json
import logging
import os
import signal
import ssl
import sys
import tempfile
import threading
import time

from werkzeug.serving import make_server

from core import hostile
from core.app import App
from core.auth import Credentials, make_keys
from core.store import Store


def parse_args(argv=None):
    """The CLI (tests/simulator/README.md)."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--bind", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--tls", action="store_true", help="serve HTTPS with a throw-away trustme CA")
    parser.add_argument("--keep-alive", action="store_true",
                        help="serve with waitress: HTTP/1.1 keep-alive, plain HTTP only, no drop faults (keepalive.py)")
    parser.add_argument("--threads", type=int, default=32, help="waitress worker threads with --keep-alive")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--servers", type=int, default=20)
    parser.add_argument("--targets", type=int, default=12)
    parser.add_argument("--scan-seconds", type=float, default=3.0, help="0: scans only move through /_sim/")
    parser.add_argument("--faults", default=None, help="JSON list/object of fault rules, or @path")
    parser.add_argument("--state-file", default=None, help="load the store from it if present, save it on exit")
    parser.add_argument("--max-per-page", type=int, default=500)
    parser.add_argument("--clock-skew", type=int, default=900, help="accepted HMAC Date skew, seconds")
    parser.add_argument("--test-deploy-delay", type=float, default=0.5, help="seconds before test_deploy resolves")
    parser.add_argument("--cystack-next-host", default=None, help="host put in DRF next/previous links")
    parser.add_argument("--verbose", action="store_true", help="one line per request on stderr (no keys, no bodies)")
    parser.add_argument("--exit-with-parent", action="store_true",
                        help="stop when the process that started it is gone (launcher.py: a test never leaks one)")
    parser.add_argument("--hostile", nargs="?", const=hostile.DEFAULT_MARKERS, default=None, metavar="MARKER_DIR",
                        help="hostile fleet: every free-text string is an injection payload; a payload that ran "
                             "creates a file in MARKER_DIR (default %s)" % hostile.DEFAULT_MARKERS)
    options = parser.parse_args(argv)
    if options.keep_alive and options.tls:
        parser.error("--keep-alive serves plain HTTP only; --tls needs the default werkzeug front end")
    if options.hostile is not None and not hostile.SAFE_MARKERS.match(options.hostile):
        parser.error("--hostile: the marker directory must be an absolute path of [A-Za-z0-9_./-] only")
    return options


def load_faults(spec):
    """--faults value -> list of rules."""
    if not spec:
        return []
    if spec.startswith("@"):
        with open(spec[1:], encoding="utf-8") as handle:
            spec = handle.read()
    data = json.loads(spec)
    return data.get("faults", []) if isinstance(data, dict) else data


def tls_context(bind):
    """SSL context with a trustme certificate; returns (context, CA PEM path)."""
    import trustme  # pylint: disable=import-outside-toplevel  # only needed with --tls
    ca = trustme.CA()
    names = ["127.0.0.1", "localhost"] + ([bind] if bind not in ("127.0.0.1", "localhost", "0.0.0.0") else [])
    cert = ca.issue_cert(*names)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    cert.configure_cert(context)
    handle, path = tempfile.mkstemp(prefix="vulnmgmt-sim-ca-", suffix=".pem")
    with os.fdopen(handle, "wb") as out:
        out.write(ca.cert_pem.bytes())
    return context, path


def stop_when_orphaned(parent, stop):
    """A forked test process (ansible-test units) exits without its fixtures' teardown: its simulator is re-parented."""
    while os.getppid() == parent:
        time.sleep(1)
    stop(None, None)


def main(argv=None):
    """Run until SIGTERM/SIGINT (or, with --exit-with-parent, until the parent is gone)."""
    options = parse_args(argv)
    if not options.verbose:
        logging.getLogger("werkzeug").setLevel(logging.ERROR)
    cbw_key, cbw_secret, cystack_key = make_keys(options.seed)
    # The read-only keys: same checks, every write refused with 403 (auth.Credentials.forbidden).
    ro_key, ro_secret, ro_cystack = make_keys("readonly-%s" % options.seed)
    store = None
    if options.state_file and os.path.exists(options.state_file):
        store = Store(options.seed)
        store.load(options.state_file)
    credentials = Credentials(cbw_key, cbw_secret, cystack_key, options.clock_skew, cbw_readonly=(ro_key, ro_secret),
                              cystack_readonly=ro_cystack)
    app = App(options, credentials, store)
    if options.keep_alive:
        from core import keepalive  # pylint: disable=import-outside-toplevel  # waitress only needed with --keep-alive
        app.faults.refused = keepalive.REFUSED_FAULTS
    app.faults.replace(load_faults(options.faults))
    context, ca_path = tls_context(options.bind) if options.tls else (None, None)
    if options.keep_alive:
        server = keepalive.KeepAliveServer(app, options.bind, options.port, options.threads, options.verbose)
    else:
        server = make_server(options.bind, options.port, app, threaded=True, ssl_context=context)
    host = "127.0.0.1" if options.bind in ("0.0.0.0", "") else options.bind
    url = "%s://%s:%d" % ("https" if options.tls else "http", host, server.server_port)
    info = {"url": url, "cyberwatch": {"api_url": url, "api_key": cbw_key, "secret_key": cbw_secret},
            "cystack": {"api_url": url + "/v1", "api_key": cystack_key}, "ca_cert": ca_path,
            "cyberwatch_readonly": {"api_url": url, "api_key": ro_key, "secret_key": ro_secret},
            "cystack_readonly": {"api_url": url + "/v1", "api_key": ro_cystack}}
    sys.stdout.write(json.dumps(info) + "\n")
    sys.stdout.flush()

    def stop(_signum, _frame):
        threading.Thread(target=server.shutdown, daemon=True).start()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    if options.exit_with_parent:
        threading.Thread(target=stop_when_orphaned, args=(os.getppid(), stop), daemon=True).start()
    try:
        server.serve_forever()
    finally:
        server.server_close()
        if options.state_file:
            try:
                app.store.dump(options.state_file)
            except OSError as exc:
                print("could not save state: %s" % exc, file=sys.stderr)
        if ca_path:
            os.unlink(ca_path)


if __name__ == "__main__":
    main()
