"""Fleet scale in the inventory plugins: concurrent pages (request counts, consistency) and the incremental refresh of
Cyberwatch details from a stale cache (identical hostvars, gone servers dropped, --flush-cache)."""

import json
import math
import re
import time

from test_inventory_support import Inventory, cyberwatch_servers, run_list

SERVERS = '/api/v3/vulnerabilities/servers'
DETAIL = re.compile(SERVERS + r'/(\d+)$')


def listing_pages(sim, path):
    return [r for r in sim.requests() if r['path'] == path]


def detail_ids(sim):
    return sorted(int(DETAIL.match(r['path']).group(1)) for r in sim.requests() if DETAIL.match(r['path']))


def test_concurrent_pages_cost_one_request_each_and_survive_a_moving_listing(sim, ansible, cystack_api):
    inv = Inventory(run_list(ansible, 'cyberwatch', page_size=4, max_workers=4))
    assert len(inv.hosts) == 30
    pages = listing_pages(sim, SERVERS)
    assert sorted(int(re.search(r'(?:^|&)page=(\d+)', r['query']).group(1)) for r in pages) == list(range(1, 9))  # ceil(30/4)

    # A server inserted at the head while page 3 is served: the total moved, so the listing is read again, whole.
    sim.clear_requests()
    sim.set_faults([{'kind': 'mutate_listing', 'insert': 1, 'match': SERVERS + r'\?(.*&)?page=3(&|$)', 'times': 1}])
    inv = Inventory(run_list(ansible, 'cyberwatch', page_size=4, max_workers=4))
    assert len(inv.hosts) == 31 and len({h['cyberwatch_id'] for h in inv.hostvars.values()}) == 31
    assert len(listing_pages(sim, SERVERS)) == 8 + math.ceil(31 / 4)

    sim.clear_faults()
    for number in range(12):  # 27 targets: 3 DRF pages of 10
        sim.control('POST', '/_sim/cystack/targets', {'address': 'https://t%02d.example.com' % number})
    total = len(cystack_api.targets())
    sim.clear_requests()
    inv = Inventory(run_list(ansible, 'cystack', max_workers=4))
    assert len(inv.hosts) == total
    assert len(listing_pages(sim, '/v1/targets')) == math.ceil(total / 10.0)


def age_cache(directory, seconds):
    """Make the cached payload look fetched `seconds` earlier (a stale cache without waiting for it). ansible-core
    2.19+ jsonfile files wrap the payload as a JSON string under __payload__."""
    aged = 0
    for path in directory.iterdir():
        stored = json.loads(path.read_text())
        wrapped = isinstance(stored, dict) and '__payload__' in stored
        payload = json.loads(stored['__payload__']) if wrapped else stored
        if isinstance(payload, dict) and 'fetched_at' in payload:
            payload['fetched_at'] -= seconds
            path.write_text(json.dumps(dict(stored, __payload__=json.dumps(payload)) if wrapped else payload))
            aged += 1
    assert aged == 1


def test_incremental_details_refresh_only_what_changed(sim, ansible, cyberwatch_api, tmp_path):
    cache = dict(cache=True, cache_plugin='ansible.builtin.jsonfile', cache_connection=str(tmp_path / 'cache'),
                 cache_timeout=600)
    options = dict(details=True, page_size=10, max_workers=4)
    run_list(ansible, 'cyberwatch', name='incr', **dict(options, **cache))  # cold: every detail, then cached
    assert len(detail_ids(sim)) == 30

    servers = cyberwatch_servers(sim, cyberwatch_api)
    vulnerable = [s['id'] for s in servers.values()
                  if s['status'] != 'server_update_comm_fail' and s['analyzed_at'] and s['cve_announcements_count']]
    refreshed, ignoring, gone = vulnerable[:3]
    cyberwatch_api.request('PUT', cyberwatch_api.path('servers', refreshed, 'refresh'))
    active = [c for c in cyberwatch_api.get('server', ignoring)['cve_announcements'] if not c['fixed_at']]
    cyberwatch_api.set_server_cve(ignoring, active[0]['cve_code'], ignored=True)
    cyberwatch_api.delete('server', gone)
    new = sim.control('POST', '/_sim/cyberwatch/servers', {'hostname': 'new-one.example.com', 'addresses': ['10.7.7.7']})['id']
    time.sleep(0.7)  # the simulated re-analysis completes after its delay (0.5 s)
    after = cyberwatch_servers(sim, cyberwatch_api)
    assert after[refreshed]['analyzed_at'] != servers[refreshed]['analyzed_at']
    never_analysed = sorted(s['id'] for s in after.values() if not s['analyzed_at'])

    # Stale cache: the listing, the CVE levels, and the details of the changed and new servers only.
    age_cache(tmp_path / 'cache', 3600)
    warm = Inventory(run_list(ansible, 'cyberwatch', name='incr', **dict(options, **cache)))
    assert detail_ids(sim) == sorted({refreshed, ignoring, new} | set(never_analysed))
    assert len(listing_pages(sim, SERVERS)) == math.ceil(len(after) / 10.0)
    assert len(sim.requests()) == math.ceil(len(after) / 10.0) + len(detail_ids(sim)) + len(
        [r for r in sim.requests() if 'cve_announcements' in r['path']])
    full = Inventory(run_list(ansible, 'cyberwatch', name='full', **options))
    assert warm.data == full.data  # the same hostvars and groups as a full refresh
    assert 'new-one.example.com' in warm.hosts
    assert gone not in {h['cyberwatch_id'] for h in warm.hostvars.values()}

    # --flush-cache: every detail again.
    sim.clear_requests()
    flushed = Inventory(run_list(ansible, 'cyberwatch', name='incr', args=('--list', '--flush-cache'),
                                 **dict(options, **cache)))
    assert detail_ids(sim) == sorted(after) and flushed.data == full.data
