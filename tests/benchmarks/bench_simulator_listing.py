"""Benchmark: list 10,000 simulated Cyberwatch servers page by page (per_page=100), HMAC-signed, one keep-alive session.

Run: python tests/benchmarks/bench_simulator_listing.py [--servers 10000] [--per-page 100]
Prints one JSON line: {"bench": "simulator_listing", "servers", "per_page", "requests", "seconds", "generate_seconds"}
(no latency: the simulator's own cost).
"""

import argparse
import sys
import time
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "simulator"))
from core.auth import sign_headers  # noqa: E402  pylint: disable=wrong-import-position
from benchlib import Simulator, emit  # noqa: E402  pylint: disable=wrong-import-position


def main():
    """Start a simulator, list every server, print the result."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--servers", type=int, default=10000)
    parser.add_argument("--per-page", type=int, default=100)
    args = parser.parse_args()
    started = time.perf_counter()
    with Simulator(servers=args.servers, targets=12, scan_seconds=0) as sim:
        generate_seconds = time.perf_counter() - started
        key, secret = sim.cyberwatch["api_key"], sim.cyberwatch["secret_key"]
        session = requests.Session()
        seen, count, page = 0, 0, 1
        begin = time.perf_counter()
        while True:
            path = "/api/v3/vulnerabilities/servers?per_page=%d&page=%d" % (args.per_page, page)
            resp = session.get(sim.url + path, headers=sign_headers("GET", path, None, key, secret), timeout=30)
            resp.raise_for_status()
            count += 1
            rows = resp.json()
            seen += len(rows)
            if 'rel="next"' not in resp.headers.get("Link", ""):
                break
            page += 1
        seconds = time.perf_counter() - begin
    assert seen == args.servers, (seen, args.servers)
    emit("simulator_listing", servers=seen, per_page=args.per_page, requests=count, seconds=round(seconds, 3),
         generate_seconds=round(generate_seconds, 3))


if __name__ == "__main__":
    main()
