"""Shared pieces of the fleet benchmarks (scripts, not tests): the simulator with a latency on every API request, the
sequential bare-Session floors, in-process inventory parses, and the JSON result lines.

Each benchmark prints one JSON line per measure, {"bench": <name>, ...}; with BENCH_RESULTS=<path> set (make bench
does) the lines are appended to that file too, and report.py turns them into the README tables.
"""

import json
import os
import platform
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

import requests

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / 'tests' / 'simulator'))
import launcher  # noqa: E402  pylint: disable=wrong-import-position
from launcher import collections_root  # noqa: E402  pylint: disable=wrong-import-position

LATENCY = 0.02
CBW_SERVERS = '/api/v3/vulnerabilities/servers'


class Simulator(launcher.Simulator):
    """The simulator in keep-alive mode (serve.py --keep-alive, waitress) unless keep_alive=False: a real API sits
    behind a keep-alive proxy, and the plugin run and the floor it is compared with share the one simulator."""

    def __init__(self, **kwargs):
        kwargs.setdefault('keep_alive', True)
        super().__init__(**kwargs)


def latency_fault(seconds=LATENCY):
    """A latency fault on every API request (the /_sim/ control endpoints are never delayed)."""
    return [{'kind': 'latency', 'seconds': seconds}]


def collection_root(tmp):
    """collections_root(tmp), with the collection loader installed in this process as the ansible CLIs do."""
    root = collections_root(tmp)
    from ansible.plugins.loader import init_plugin_loader  # pylint: disable=import-outside-toplevel
    init_plugin_loader([root])
    return root


def workdir(prefix, play=None):
    """(a temporary directory, the collections root made in it, the path of `play` written there as play.yml)."""
    tmp = Path(tempfile.mkdtemp(prefix=prefix))
    root = collection_root(str(tmp))
    path = None
    if play is not None:
        path = tmp / 'play.yml'
        path.write_text(json.dumps(play))
    return tmp, root, path


def emit(bench, **fields):
    """Print (and append to $BENCH_RESULTS) one result line."""
    import ansible  # pylint: disable=import-outside-toplevel
    machine = '%s, %d CPUs, load %.1f' % (platform.machine(), os.cpu_count() or 0, os.getloadavg()[0])
    line = json.dumps(dict({'bench': bench}, **fields, date=time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime()),
                           python=platform.python_version(), ansible_core=ansible.__version__, machine=machine))
    print(line, flush=True)
    if os.environ.get('BENCH_RESULTS'):
        with open(os.environ['BENCH_RESULTS'], 'a', encoding='utf-8') as out:
            out.write(line + '\n')


def cyberwatch_floor(sim, per_page=100, route=CBW_SERVERS):
    """Every server page, one after another, with a bare keep-alive Session (HMAC-signed with the collection's
    CyberwatchHmacAuth), following Link rel="next": (seconds, records, requests)."""
    from ansible_collections.secops.vulnmgmt.plugins.module_utils.cyberwatch import CyberwatchHmacAuth  # noqa: E501 pylint: disable=import-outside-toplevel
    info = sim.cyberwatch
    session = requests.Session()
    session.auth = CyberwatchHmacAuth(info['api_key'], info['secret_key'])
    start = time.perf_counter()
    records, page, count = 0, 1, 0
    while True:
        response = session.get(info['api_url'] + route, params={'per_page': per_page, 'page': page})
        response.raise_for_status()
        count += 1
        items = response.json()
        records += len(items)
        if len(items) < per_page or 'next' not in response.links:
            break
        page += 1
    return time.perf_counter() - start, records, count


def cystack_floor(sim, path='/targets'):
    """Every DRF page, one after another, with a bare keep-alive Session following `next`: (seconds, records,
    requests)."""
    session = requests.Session()
    session.headers['Authorization'] = 'Bearer ' + sim.cystack['api_key']
    start = time.perf_counter()
    url, records, count = sim.cystack['api_url'] + path, 0, 0
    while url:
        response = session.get(url)
        response.raise_for_status()
        count += 1
        body = response.json()
        records += len(body['results'])
        url = body['next']
    return time.perf_counter() - start, records, count


def write_source(tmp, name, plugin='cyberwatch', **options):
    path = Path(tmp) / ('%s.%s.yml' % (name, plugin))
    path.write_text(json.dumps(dict({'plugin': 'secops.vulnmgmt.' + plugin}, **options)))
    return str(path)


class Parse:
    """One in-process parse: seconds (parse + cache write), fetch_seconds (the plugin's fetch_payload: the API part),
    hosts, peak (tracemalloc bytes or None)."""

    def __init__(self, seconds, fetch_seconds, hosts, peak):
        self.seconds, self.fetch_seconds, self.hosts, self.peak = seconds, fetch_seconds, hosts, peak


def parse_in_process(source_path, plugin='cyberwatch', trace=False, cache=True):
    """InventoryModule.parse in this process, then the cache write ansible-core does after it: a Parse."""
    from ansible.inventory.data import InventoryData  # pylint: disable=import-outside-toplevel
    from ansible.parsing.dataloader import DataLoader  # pylint: disable=import-outside-toplevel
    from ansible.plugins.loader import inventory_loader  # pylint: disable=import-outside-toplevel
    module = inventory_loader.get('secops.vulnmgmt.' + plugin)
    fetch = module.fetch_payload
    fetched = []

    def timed_fetch(*args):
        begin = time.perf_counter()
        try:
            return fetch(*args)
        finally:
            fetched.append(time.perf_counter() - begin)

    module.fetch_payload = timed_fetch
    inventory = InventoryData()
    if trace:
        tracemalloc.start()
    start = time.perf_counter()
    module.parse(inventory, DataLoader(), source_path, cache=cache)
    try:
        module.update_cache_if_changed()
    except AttributeError:  # no cache configured (ansible-core ignores it the same way)
        pass
    elapsed = time.perf_counter() - start
    peak = None
    if trace:
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    return Parse(elapsed, sum(fetched), len(inventory.hosts), peak)


def requests_to(sim, pattern=None):
    """How many API requests the simulator logged (whose path matches the compiled pattern)."""
    logged = sim.requests()
    return len([r for r in logged if pattern is None or pattern.search(r['path'])])
