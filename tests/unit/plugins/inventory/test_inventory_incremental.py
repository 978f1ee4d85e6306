"""Incremental details of the Cyberwatch inventory: a stale cached payload lends the details that did not change."""

import copy
import time

import pytest

# the collection's code first: importing ansible.plugins installs the collection finder, which only knows the configured paths
from ansible_collections.secops.vulnmgmt.plugins.plugin_utils import inventory as inventory_utils
from ansible_collections.secops.vulnmgmt.plugins.inventory import cyberwatch  # noqa: I100

from ansible_collections.secops.vulnmgmt.tests.unit.plugins.inventory.test_inventory_plugins import (  # noqa: I100
    CBW_DEFAULTS, make,
)


def server(sid, analyzed='2024-01-01T00:00:00.000+00:00', cves=2, **extra):
    return dict({'id': sid, 'hostname': 's%d.example.com' % sid, 'analyzed_at': analyzed, 'cve_announcements_count': cves,
                 'prioritized_cve_announcements_count': 0, 'updates_count': 1,
                 'last_communication': '2024-01-02T00:00:00.000+00:00'}, **extra)


class FakeClient:
    def __init__(self, servers):
        self.servers = servers
        self.details = []

    def list(self, resource, filters=None, per_page=100, max_workers=1):
        del filters, per_page, max_workers
        return copy.deepcopy(self.servers) if resource == 'server' else [{'cve_code': 'CVE-1', 'level': 'level_high'}]

    @staticmethod
    def path(collection, object_id):
        return '/api/v3/vulnerabilities/%s/%s' % (collection, object_id)

    def request(self, method, path):
        sid = int(path.rsplit('/', 1)[1])
        self.details.append(sid)
        server = next(s for s in self.servers if s['id'] == sid)
        return {'id': sid, 'security_issues': ['left out'],
                'cve_announcements': [{'cve_code': 'CVE-1', 'ignored': False, 'fixed_at': None}] * server['cve_announcements_count'],
                'updates': [{'ignored': False, 'patchable': True, 'current': {'product': 'p', 'version': '1'},
                             'target': {'product': 'p', 'version': server.get('analyzed_at')}, 'cve_announcements': []},
                            {'ignored': True, 'target': {'product': 'q'}}]}


def fetch(monkeypatch, servers, previous=None):
    client = FakeClient(servers)
    monkeypatch.setattr(cyberwatch, 'cyberwatch_client', lambda options: client)
    plugin = make(cyberwatch, CBW_DEFAULTS, details=True, max_workers=4)
    plugin.display = type('D', (), {'vvv': staticmethod(lambda msg: None)})()
    return plugin.fetch_payload({}, previous), client.details


def test_a_refresh_fetches_only_new_and_changed_servers_and_drops_gone_ones(monkeypatch):
    fleet = [server(1), server(2), server(3), server(4), server(5, analyzed=None)]
    cold, fetched = fetch(monkeypatch, fleet)
    assert sorted(fetched) == [1, 2, 3, 4, 5]
    assert cold['details'][0] == {'active_cves': ['CVE-1', 'CVE-1'], 'updates': [  # what the hostvars use
        {'product': 'p', 'current_version': '1', 'target_version': '2024-01-01T00:00:00.000+00:00', 'patchable': True,
         'cve_announcements': []}]}
    fleet = [server(1, analyzed='2024-02-01T00:00:00.000+00:00'),  # re-analysed
             server(2, cves=1),  # a CVE ignored or fixed by an update: the count moved
             server(4, last_communication='2024-03-01T00:00:00.000+00:00'),  # only talked: same detail
             server(6),  # new
             server(5, analyzed=None)]  # never analysed: always fetched; 3 is gone
    warm, fetched = fetch(monkeypatch, fleet, copy.deepcopy(cold))
    assert sorted(fetched) == [1, 2, 5, 6]
    full, dummy = fetch(monkeypatch, fleet)
    assert warm == full
    assert [s['id'] for s in warm['servers']] == [1, 2, 4, 6, 5] and len(warm['details']) == 5


def test_servers_without_analyzed_at_are_compared_on_last_communication(monkeypatch):
    fleet = [server(1), server(2)]
    for item in fleet:
        del item['analyzed_at']
    cold, dummy = fetch(monkeypatch, fleet)
    fleet[1]['last_communication'] = '2024-05-05T00:00:00.000+00:00'
    dummy, fetched = fetch(monkeypatch, fleet, cold)
    assert fetched == [2]


def test_a_previous_payload_without_details_lends_nothing(monkeypatch):
    dummy, fetched = fetch(monkeypatch, [server(1), server(2)], {'servers': [server(1), server(2)]})
    assert sorted(fetched) == [1, 2]


class FakeCache(dict):
    """An adjudicator stand-in: open_cache() builds a new one, on the same store."""

    store = {}
    opened = []

    def __init__(self, plugin_name, **options):
        super(FakeCache, self).__init__()
        self.opened.append((plugin_name, options))

    def get(self, key, default=None):
        return copy.deepcopy(self.store.get(key, default))

    def __setitem__(self, key, value):
        self.store[key] = copy.deepcopy(value)


@pytest.mark.parametrize('age,flush,previous_given', [
    (10, False, None),  # fresh: the cache answers, no fetch at all
    (7200, False, True),  # stale: a refresh, handed the previous payload
    (10, True, False),  # --flush-cache: a full refresh
])
def test_load_payload_fresh_stale_and_flushed(monkeypatch, age, flush, previous_given):
    plugin = make(cyberwatch, CBW_DEFAULTS, details=True, cache=True, cache_plugin='ansible.builtin.jsonfile',
                  cache_connection='/nowhere', cache_prefix=None, cache_timeout=3600)
    plugin._cache = FakeCache('ansible.builtin.jsonfile')
    monkeypatch.setattr(plugin, 'get_cache_key', lambda path: 'key', raising=False)
    key = plugin.cache_key('src.cyberwatch.yml', {'api_url': 'https://cbw'})
    cached = {'servers': [server(1)], 'details': [{}], 'cve_levels': {}}
    entry = dict(inventory_utils.pack(cached), fetched_at=time.time() - age)
    FakeCache.store = {key: entry}
    FakeCache.opened = []
    calls = []

    def fetch_payload(options, previous):
        calls.append(previous)
        return {'servers': [], 'details': [], 'cve_levels': {}}

    plugin.fetch_payload = fetch_payload
    payload = plugin.load_payload('src.cyberwatch.yml', not flush, {'api_url': 'https://cbw'})
    assert FakeCache.opened[-1] == ('ansible.builtin.jsonfile', {'_timeout': 0, '_uri': '/nowhere'})
    if previous_given is None:
        assert calls == [] and payload == cached
        return
    assert calls == [cached if previous_given else None]
    assert payload['servers'] == [] and time.time() - FakeCache.store[key][inventory_utils.FETCHED_AT] < 60
    assert inventory_utils.unpack(FakeCache.store[key]) == payload


def test_a_cache_entry_in_another_format_is_fetched_again():
    assert inventory_utils.unpack({'servers': [], 'fetched_at': time.time()}) is None  # a payload cached as a dict
    assert inventory_utils.unpack({'payload': '{not base64', 'fetched_at': time.time()}) is None
    assert inventory_utils.unpack({'payload': 'bm90IHpsaWI=', 'fetched_at': time.time()}) is None  # not zlib
    assert inventory_utils.unpack(None) is None


def test_a_payload_without_fetch_time_or_any_timeout():
    plugin = make(cyberwatch, CBW_DEFAULTS, cache_timeout=0)
    assert plugin.fresh({inventory_utils.FETCHED_AT: 1.0})  # 0: never stale
    plugin = make(cyberwatch, CBW_DEFAULTS, cache_timeout=60)
    assert not plugin.fresh({'servers': []}) and not plugin.fresh(None)
    assert not plugin.fresh({inventory_utils.FETCHED_AT: time.time() + 3600})  # from the future: not trusted
