"""Fixtures for the simulator contract tests: a running simulator and signed HTTP helpers."""

import sys
from pathlib import Path

import pytest
import requests

SIM_DIR = Path(__file__).resolve().parents[1] / "simulator"
sys.path.insert(0, str(SIM_DIR))

from core.auth import sign_headers  # noqa: E402  pylint: disable=wrong-import-position
from launcher import Simulator  # noqa: E402  pylint: disable=wrong-import-position


class HmacAuth(requests.auth.AuthBase):
    """Signs like cbw-api-toolbox (Content-Type only with a body)."""

    def __init__(self, api_key, secret, date=None):
        self.api_key = api_key
        self.secret = secret
        self.date = date

    def __call__(self, request):
        request.headers.update(sign_headers(request.method, request.path_url, request.body, self.api_key, self.secret,
                                            self.date))
        return request


class Clients:
    """Cyberwatch (HMAC) and CyStack (Bearer) sessions bound to one simulator."""

    def __init__(self, sim):
        self.sim = sim
        self.cbw = requests.Session()
        self.cbw.auth = HmacAuth(sim.cyberwatch["api_key"], sim.cyberwatch["secret_key"])
        self.cys = requests.Session()
        self.cys.headers["Authorization"] = "Bearer " + sim.cystack["api_key"]
        if sim.ca_cert:
            self.cbw.verify = self.cys.verify = sim.ca_cert

    def cw(self, method, path, **kwargs):
        """Signed Cyberwatch request; path starts with /api/."""
        return self.cbw.request(method, self.sim.url + path, timeout=10, **kwargs)

    def cs(self, method, path, **kwargs):
        """CyStack request; path is relative to /v1."""
        return self.cys.request(method, self.sim.cystack["api_url"] + path, timeout=10, **kwargs)


@pytest.fixture(scope="session")
def sim():
    """A seeded simulator where scans only move through /_sim/."""
    with Simulator(seed=1, scan_seconds=0, extra_args=("--test-deploy-delay", "0.2")) as running:
        yield running


@pytest.fixture()
def clients(sim):  # pylint: disable=redefined-outer-name
    """Clients on the shared simulator, not reset."""
    return Clients(sim)


@pytest.fixture()
def api(sim, clients):  # pylint: disable=redefined-outer-name
    """Clients on a freshly reset simulator."""
    sim.reset()
    return clients


def pytest_terminal_summary(terminalreporter):
    """One line with the replayed and skipped recorded interactions (from the reports, so it works under xdist)."""
    replayed, failed, reasons = 0, 0, {}
    for outcome in ("passed", "failed", "skipped"):
        for report in terminalreporter.stats.get(outcome, []):
            if "test_cassettes.py::test_replay[" not in getattr(report, "nodeid", ""):
                continue
            if outcome == "skipped":
                reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
                reason = reason.replace("Skipped: ", "", 1)
                reasons[reason] = reasons.get(reason, 0) + 1
            elif report.when == "call":
                replayed += 1
                failed += outcome == "failed"
    skipped = sum(reasons.values())
    if not replayed and not skipped:
        return
    terminalreporter.write_line("cassettes: %d interactions replayed%s, %d skipped%s" % (
        replayed, " (%d failed)" % failed if failed else "", skipped,
        " (reasons: %s)" % "; ".join("%s: %d" % (reason, count) for reason, count in sorted(reasons.items()))
        if reasons else ""))
