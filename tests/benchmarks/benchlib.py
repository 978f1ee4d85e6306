"""Shared pieces of the fleet benchmarks (scripts, not tests): the simulator with a latency on every API request, the
sequential and concurrent bare-Session floors, in-process inventory parses, the wall and CPU seconds of a measure
(client and simulator) and the JSON result lines.

Each benchmark prints one JSON line per measure, {"bench": <name>, ...}; with BENCH_RESULTS=<path> set (make bench
does) the lines are appended to that file too, and report.py turns them into the README tables.
"""

import json
import math
import os
import platform
import sys
import tempfile
import threading
import time
import tracemalloc
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import requests

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / 'tests' / 'simulator'))
import launcher  # noqa: E402  pylint: disable=wrong-import-position
from launcher import collections_root  # noqa: E402  pylint: disable=wrong-import-position

LATENCY = 0.02
TARGET_TO_CONCURRENT_FLOOR = 1.1  # issue 23: listings and cold details within 1.10x of the bare concurrent floor
CBW_SERVERS = '/api/v3/vulnerabilities/servers'
CBW_CVES = '/api/v3/vulnerabilities/cve_announcements'
CYSTACK_TARGETS = '/targets'


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


def process_cpu_seconds(pid):
    """utime + stime of another process, from /proc/<pid>/stat (Linux); None without /proc."""
    try:
        with open('/proc/%d/stat' % pid, encoding='ascii') as stat:
            fields = stat.read().rsplit(')', 1)[1].split()  # after the command name, which may hold spaces
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf('SC_CLK_TCK')


class Measure:
    """`with Measure(sim) as m:` the wall seconds of the block, the CPU seconds of this process (every thread: the
    client) and of the simulator's process (None without a simulator or /proc)."""

    def __init__(self, sim=None, seconds=0.0, client_cpu_s=0.0, simulator_cpu_s=None):
        self.pid = sim.process.pid if sim is not None else None
        self.seconds, self.client_cpu_s, self.simulator_cpu_s = seconds, client_cpu_s, simulator_cpu_s
        self._start = None

    def _now(self):
        return time.perf_counter(), time.process_time(), process_cpu_seconds(self.pid) if self.pid else None

    def __enter__(self):
        self._start = self._now()
        return self

    def __exit__(self, *exc):
        end = self._now()
        self.seconds, self.client_cpu_s = end[0] - self._start[0], end[1] - self._start[1]
        self.simulator_cpu_s = end[2] - self._start[2] if None not in (end[2], self._start[2]) else None

    def __add__(self, other):
        simulator = None if None in (self.simulator_cpu_s, other.simulator_cpu_s) else self.simulator_cpu_s + other.simulator_cpu_s
        return Measure(seconds=self.seconds + other.seconds, client_cpu_s=self.client_cpu_s + other.client_cpu_s,
                       simulator_cpu_s=simulator)

    def cpu(self):
        """The CPU seconds for a result line: {"client": s, "simulator": s or None}."""
        return {'client': round(self.client_cpu_s, 3),
                'simulator': None if self.simulator_cpu_s is None else round(self.simulator_cpu_s, 3)}


def bare_session(sim, product):
    """A bare keep-alive requests.Session authenticated as the collection's clients are, with their own auth classes:
    HMAC-signed (CyberwatchHmacAuth) for 'cyberwatch', Bearer (BearerAuth) for 'cystack'. Like the collection's
    HttpClient, it does not read the environment again on every request (trust_env off: no proxy here)."""
    from ansible_collections.secops.vulnmgmt.plugins.module_utils.cyberwatch import CyberwatchHmacAuth  # noqa: E501 pylint: disable=import-outside-toplevel
    from ansible_collections.secops.vulnmgmt.plugins.module_utils.cystack import BearerAuth  # noqa: E501 pylint: disable=import-outside-toplevel
    session = requests.Session()
    session.trust_env = False
    info = getattr(sim, product)
    session.auth = CyberwatchHmacAuth(info['api_key'], info['secret_key']) if product == 'cyberwatch' else BearerAuth(info['api_key'])
    return session


def cyberwatch_floor(sim, per_page=100, route=CBW_SERVERS):
    """The sequential floor: every server page, one after another, with one bare keep-alive Session, following
    Link rel="next": (Measure, records, requests)."""
    session = bare_session(sim, 'cyberwatch')
    with Measure(sim) as measured:
        records, page, count = 0, 1, 0
        while True:
            response = session.get(sim.cyberwatch['api_url'] + route, params={'per_page': per_page, 'page': page})
            response.raise_for_status()
            count += 1
            items = response.json()
            records += len(items)
            if len(items) < per_page or 'next' not in response.links:
                break
            page += 1
    return measured, records, count


def cystack_floor(sim, path=CYSTACK_TARGETS):
    """The sequential floor: every DRF page, one after another, with one bare keep-alive Session following `next`:
    (Measure, records, requests)."""
    session = bare_session(sim, 'cystack')
    with Measure(sim) as measured:
        url, records, count = sim.cystack['api_url'] + path, 0, 0
        while url:
            response = session.get(url)
            response.raise_for_status()
            count += 1
            body = response.json()
            records += len(body['results'])
            url = body['next']
    return measured, records, count


class BareClient:
    """The concurrent floor's client: `workers` threads, each with its own bare keep-alive Session (bare_session);
    every GET, the first page's too, runs on one of them. `requests` counts the GETs."""

    def __init__(self, sim, product, workers):
        self.sim, self.product = sim, product
        self.base_url = getattr(sim, product)['api_url']
        self.executor = ThreadPoolExecutor(max_workers=workers)
        self.sessions = threading.local()
        self.requests = 0

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.executor.shutdown(wait=True)

    def _get(self, path_and_params):
        session = getattr(self.sessions, 'session', None)
        if session is None:
            session = self.sessions.session = bare_session(self.sim, self.product)
        response = session.get(self.base_url + path_and_params[0], params=path_and_params[1])
        response.raise_for_status()
        return response.headers, response.json()

    def get_all(self, requests_):
        """[(headers, decoded JSON body)] of GET (path, params) for each of requests_, on the worker threads."""
        self.requests += len(requests_)
        return list(self.executor.map(self._get, requests_))


def cyberwatch_listing(bare, route=CBW_SERVERS, per_page=100, params=None):
    """The records of a Cyberwatch listing read as the plugin reads it: page 1, then the pages up to the last one its
    X-Total tells, concurrently (same query: the params, per_page, page)."""
    query = dict(params or {}, per_page=per_page)
    headers, records = bare.get_all([(route, dict(query, page=1))])[0]
    last = math.ceil(int(headers['X-Total']) / per_page)
    for dummy, page in bare.get_all([(route, dict(query, page=number)) for number in range(2, last + 1)]):
        records.extend(page)
    return records


def cystack_listing(bare, path=CYSTACK_TARGETS):
    """The records of a CyStack (DRF) listing read as the plugin reads it: page 1 (no page parameter), then the
    pages up to the last one its count tells, concurrently."""
    dummy, body = bare.get_all([(path, None)])[0]
    records = list(body['results'])
    last = math.ceil(body['count'] / max(len(records), 1))
    for dummy, page in bare.get_all([(path, {'page': number}) for number in range(2, last + 1)]):
        records.extend(page['results'])
    return records


def cyberwatch_details(bare, per_page=100):
    """The requests of a cold `details: true` fetch: the server listing, the active CVEs, one detail per server."""
    servers = cyberwatch_listing(bare, CBW_SERVERS, per_page)
    cyberwatch_listing(bare, CBW_CVES, per_page, {'active': 'true'})
    bare.get_all([('%s/%s' % (CBW_SERVERS, server['id']), None) for server in servers])
    return servers


def concurrent_floor(sim, product, workers, read):
    """The bare concurrent floor: read(BareClient) with `workers` threads (cyberwatch_listing, cystack_listing,
    cyberwatch_details): (Measure, records, requests). The threads' start is timed, their shutdown is not."""
    with BareClient(sim, product, workers) as bare:
        with Measure(sim) as measured:
            records = read(bare)
    return measured, len(records), bare.requests


def logged_requests(sim):
    """Counter of the (method, path, query, auth scheme) of the API requests in the simulator's log."""
    return Counter((r['method'], r['path'], r['query'], r['auth']) for r in sim.requests())


def floor_then_plugin(sim, floor, plugin):
    """floor() then plugin(), the simulator's request log cleared before each: (floor result, plugin result, Counter
    of the plugin's requests). SystemExit when the floor did not make the plugin's requests: the ratio would be moot."""
    sim.clear_requests()
    floor_result = floor()
    floor_requests = logged_requests(sim)
    sim.clear_requests()
    plugin_result = plugin()
    plugin_requests = logged_requests(sim)
    if floor_requests != plugin_requests:
        raise SystemExit('the floor did not make the plugin\'s requests: floor only %s; plugin only %s' % (
            list((floor_requests - plugin_requests).items())[:3], list((plugin_requests - floor_requests).items())[:3]))
    return floor_result, plugin_result, plugin_requests


def write_source(tmp, name, plugin='cyberwatch', **options):
    path = Path(tmp) / ('%s.%s.yml' % (name, plugin))
    path.write_text(json.dumps(dict({'plugin': 'secops.vulnmgmt.' + plugin}, **options)))
    return str(path)


class Parse:
    """One in-process parse: whole (Measure of the parse + cache write), fetch (Measure of the plugin's fetch_payload:
    the API part), hosts, peak (tracemalloc bytes or None); seconds and fetch_seconds their wall seconds."""

    def __init__(self, whole, fetch, hosts, peak):
        self.whole, self.fetch, self.hosts, self.peak = whole, fetch, hosts, peak
        self.seconds, self.fetch_seconds = whole.seconds, fetch.seconds


def parse_in_process(source_path, plugin='cyberwatch', trace=False, cache=True, sim=None):
    """InventoryModule.parse in this process, then the cache write ansible-core does after it: a Parse (with the
    simulator's CPU seconds when sim is given)."""
    from ansible.inventory.data import InventoryData  # pylint: disable=import-outside-toplevel
    from ansible.parsing.dataloader import DataLoader  # pylint: disable=import-outside-toplevel
    from ansible.plugins.loader import inventory_loader  # pylint: disable=import-outside-toplevel
    module = inventory_loader.get('secops.vulnmgmt.' + plugin)
    fetch = module.fetch_payload
    fetched = []

    def timed_fetch(*args):
        measured = Measure(sim)
        fetched.append(measured)
        with measured:
            return fetch(*args)

    module.fetch_payload = timed_fetch
    inventory = InventoryData()
    if trace:
        tracemalloc.start()
    with Measure(sim) as whole:
        module.parse(inventory, DataLoader(), source_path, cache=cache)
        try:
            module.update_cache_if_changed()
        except AttributeError:  # no cache configured (ansible-core ignores it the same way)
            pass
    peak = None
    if trace:
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    return Parse(whole, sum(fetched, Measure(simulator_cpu_s=0.0 if sim else None)), len(inventory.hosts), peak)


def requests_to(logged, pattern=None):
    """How many requests a logged_requests Counter holds (those whose path matches the compiled pattern)."""
    return sum(count for request, count in logged.items() if pattern is None or pattern.search(request[1]))
