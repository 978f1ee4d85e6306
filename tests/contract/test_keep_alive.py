"""serve.py --keep-alive (waitress): one connection serves several requests, faults and HMAC signatures still apply,
the drop kinds and TLS are refused."""

import http.client
import subprocess
import sys
import time
from urllib.parse import urlsplit

import requests

from conftest import Clients
from launcher import SERVE, Simulator


def local_ports(sim, count=2):
    """The client's local port after each of `count` CyStack GETs on one http.client connection (None: closed)."""
    url = urlsplit(sim.url)
    conn = http.client.HTTPConnection(url.hostname, url.port, timeout=10)
    ports = []
    try:
        while len(ports) < count:
            conn.request("GET", "/v1/targets", headers={"Authorization": "Bearer " + sim.cystack["api_key"]})
            answer = conn.getresponse()
            answer.read()
            assert answer.status == 200
            ports.append(conn.sock.getsockname()[1] if conn.sock else None)
    finally:
        conn.close()
    return ports


def test_keep_alive_reuses_one_connection_and_applies_faults(sim):
    sim.reset()  # the session simulator: no fault left by a test before this one on the same worker
    # The default werkzeug front end closes the connection after every answer.
    assert local_ports(sim) == [None, None]
    with Simulator(servers=5, targets=1, scan_seconds=0, keep_alive=True) as alive:
        first, second = local_ports(alive)
        assert first is not None and first == second
        clients = Clients(alive)  # HMAC-signed Cyberwatch requests with a query string (waitress's REQUEST_URI)
        pages = [clients.cw("GET", "/api/v3/vulnerabilities/servers", params={"per_page": 2, "page": p}) for p in (1, 2)]
        assert [(r.status_code, len(r.json())) for r in pages] == [(200, 2), (200, 2)]
        alive.set_faults([{"kind": "latency", "seconds": 0.3, "match": "^GET /api/v3/vulnerabilities/servers"}])
        start = time.perf_counter()
        assert clients.cw("GET", "/api/v3/vulnerabilities/servers", params={"per_page": 1}).ok
        assert time.perf_counter() - start >= 0.3
        assert alive.control("GET", "faults")["faults"][0]["fired"] == 1
        refused = requests.put(alive.url + "/_sim/faults", json={"faults": [{"kind": "drop_after_commit"}]}, timeout=5)
        assert refused.status_code == 400 and "werkzeug" in refused.json()["error"]
        assert alive.control("GET", "faults")["faults"][0]["kind"] == "latency"
        assert [r["status"] for r in alive.requests()] == [200] * 5


def test_keep_alive_with_tls_is_a_cli_error():
    done = subprocess.run([sys.executable, str(SERVE), "--keep-alive", "--tls"], capture_output=True, text=True,
                          timeout=30, check=False)
    assert done.returncode == 2 and "--keep-alive serves plain HTTP only" in done.stderr
