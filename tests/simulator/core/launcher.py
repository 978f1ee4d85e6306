"""Start and drive the simulator from tests, the demo and the benchmarks (stdlib only).

    with Simulator(seed=1) as sim:
        requests.get(sim.cystack["api_url"] + "/targets", headers={"Authorization": "Bearer " + sim.cystack["api_key"]})
        sim.requests()
"""

import contextlib
import fcntl
import json as jsonlib
import os
import tempfile
import ssl
import subprocess
import sys
import threading
import urllib.request
from pathlib import Path

SERVE = Path(__file__).resolve().parents[1] / "serve.py"  # the documented entry point (a shim of core/serve.py)
REPO = SERVE.parents[2]
WRITE_METHODS = ("POST", "PUT", "PATCH", "DELETE")


# This machine's package set is shared by the tests that change it and those that scan it and judge the findings.
MACHINE_PACKAGES_LOCK = Path(tempfile.gettempdir()) / "vulnmgmt-machine-packages.lock"


@contextlib.contextmanager
def machine_packages(exclusive=False):
    """Hold this machine's package set: exclusively while a test has a package of its own installed (the remediation
    apt end to end), shared while an example scans this machine and judges the findings (CI runs both at once)."""
    with open(MACHINE_PACKAGES_LOCK, "a", encoding="utf-8") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def collections_root(tmp):
    """A directory containing ansible_collections/secops/vulnmgmt that resolves to this checkout.

    The checkout itself when it already sits in such a tree (CI's copy), else a symlink made under tmp.
    """
    if REPO.parent.name == "secops" and REPO.parent.parent.name == "ansible_collections":
        return str(REPO.parents[2])
    link = Path(tmp) / "ansible_collections" / "secops" / "vulnmgmt"
    if not link.exists():
        link.parent.mkdir(parents=True, exist_ok=True)
        link.symlink_to(REPO)
    return str(tmp)


class Simulator:
    """A simulator subprocess and its readiness record."""

    def __init__(self, *, seed=1, servers=20, targets=12, scan_seconds=3, tls=False, faults=None, extra_args=(),
                 keep_alive=False, hostile=None):
        """hostile: the hostile fleet, True (markers in fleet.DEFAULT_MARKERS) or the marker directory."""
        self.args = ["--seed", str(seed), "--servers", str(servers), "--targets", str(targets),
                     "--scan-seconds", str(scan_seconds)] + (["--tls"] if tls else []) + (
                         ["--keep-alive"] if keep_alive else []) + list(extra_args)
        if hostile:
            self.args += ["--hostile"] + ([] if hostile is True else [str(hostile)])
        if faults:
            self.args += ["--faults", jsonlib.dumps(faults)]
        self.process = None
        self.info = {}
        self._stderr = []

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    @property
    def url(self):
        """Base URL of both APIs."""
        return self.info["url"]

    @property
    def cyberwatch(self):
        """{"api_url", "api_key", "secret_key"}."""
        return self.info["cyberwatch"]

    @property
    def cystack(self):
        """{"api_url", "api_key"}."""
        return self.info["cystack"]

    @property
    def cyberwatch_readonly(self):
        """The read-only Cyberwatch key pair, {"api_url", "api_key", "secret_key"}: every write answers 403."""
        return self.info["cyberwatch_readonly"]

    @property
    def cystack_readonly(self):
        """The read-only CyStack token, {"api_url", "api_key"}: every write answers 403."""
        return self.info["cystack_readonly"]

    @property
    def ca_cert(self):
        """CA PEM path with --tls, else None."""
        return self.info.get("ca_cert")

    def start(self, timeout=30):
        """Spawn serve.py and wait for its JSON line."""
        # A coverage run measures the collection, not the simulator: tracing it would slow every API answer.
        env = dict((k, v) for k, v in os.environ.items() if not k.startswith("COVERAGE_PROCESS_"))
        self.process = subprocess.Popen(  # pylint: disable=consider-using-with  # lives until stop()
            [sys.executable, str(SERVE), "--exit-with-parent"] + self.args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
            env=env)
        threading.Thread(target=self._drain_stderr, daemon=True).start()
        result = {}
        reader = threading.Thread(target=lambda: result.setdefault("line", self.process.stdout.readline()), daemon=True)
        reader.start()
        reader.join(timeout)
        line = result.get("line", "")
        if not line:
            self.stop()
            raise RuntimeError("simulator did not start within %ss: %s" % (timeout, "".join(self._stderr)[-4000:]))
        self.info = jsonlib.loads(line)
        return self

    def _drain_stderr(self):
        for line in self.process.stderr:
            self._stderr.append(line)

    def stop(self):
        """SIGTERM, then kill after 5 s."""
        if self.process is None:
            return
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process.stdout.close()
        self.process = None

    def control(self, method, path, json=None):
        """Call a /_sim/ endpoint and return the parsed JSON answer."""
        data = None if json is None else jsonlib.dumps(json).encode("utf-8")
        req = urllib.request.Request(self.url + "/_sim/" + path.lstrip("/").removeprefix("_sim/"), data=data,
                                     method=method, headers={"Content-Type": "application/json"})
        context = ssl.create_default_context(cafile=self.ca_cert) if self.ca_cert else None
        with urllib.request.urlopen(req, timeout=30, context=context) as resp:
            return jsonlib.loads(resp.read() or b"null")

    def requests(self, since=0):
        """The request log from index since."""
        return self.control("GET", "requests?since=%d" % since)["requests"]

    def writes(self, since=0):
        """Logged requests that are writes (POST/PUT/PATCH/DELETE)."""
        return [entry for entry in self.requests(since) if entry["method"] in WRITE_METHODS]

    def clear_requests(self):
        """Empty the request log."""
        self.control("DELETE", "requests")

    def reset(self):
        """Seeded state, empty log, no faults."""
        self.control("POST", "reset")

    def set_faults(self, rules):
        """Replace the fault rules."""
        self.control("PUT", "faults", {"faults": list(rules)})

    def clear_faults(self):
        """Remove every fault rule."""
        self.control("DELETE", "faults")

    def env(self, readonly=False):
        """Environment variables for the collection's connection options; readonly=True: the read-only keys."""
        cyberwatch, cystack = (self.cyberwatch_readonly, self.cystack_readonly) if readonly else (self.cyberwatch,
                                                                                                  self.cystack)
        env = {"CYBERWATCH_API_URL": cyberwatch["api_url"], "CYBERWATCH_API_KEY": cyberwatch["api_key"],
               "CYBERWATCH_SECRET_KEY": cyberwatch["secret_key"], "CYSTACK_API_URL": cystack["api_url"],
               "CYSTACK_API_KEY": cystack["api_key"]}
        if self.ca_cert:
            env.update({"CYBERWATCH_CA_PATH": self.ca_cert, "CYSTACK_CA_PATH": self.ca_cert})
        return env


def main():
    """`python tests/simulator/launcher.py`: start one with the arguments in $SIM_ARGS (JSON), print its info."""
    with Simulator(**jsonlib.loads(os.environ.get("SIM_ARGS", "{}"))) as running:
        print(jsonlib.dumps(running.info))
