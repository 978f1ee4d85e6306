"""Both inventory plugins under a busy fleet: records deleted and inserted while the pages are read.

`mutate_listing` deletes a record already served (offset pagination then skips a later one) and inserts one before
the current page (one then repeats). The plugins must notice, read again, and publish every host that existed for
the whole run; when the listing never settles, the source fails and publishes nothing.
"""

import math

import pytest

from harness import Ansible
from test_inventory_support import Inventory
from launcher import Simulator

PAGE = 10  # page_size of the Cyberwatch source; CyStack pages are 10 records

SOURCES = {
    'cyberwatch': ('chaos.cyberwatch.yml', 'plugin: secops.vulnmgmt.cyberwatch\npage_size: 10\n',
                   r'^GET /api/v3/vulnerabilities/servers\?', 'cyberwatch_id'),
    'cystack': ('chaos.cystack.yml', 'plugin: secops.vulnmgmt.cystack\n', r'^GET /v1/targets', 'cystack_id'),
}


@pytest.fixture(scope='module')
def busy_sim():
    with Simulator(seed=5, servers=45, targets=35, scan_seconds=1) as running:
        yield running


@pytest.fixture
def busy(busy_sim, workdir):
    busy_sim.reset()
    return busy_sim, Ansible(busy_sim, workdir)


def inventory_ids(proc, id_var):
    ids = [h[id_var] for h in Inventory(proc).hostvars.values()]
    assert len(ids) == len(set(ids)), 'a record published twice'
    return set(ids)


# delete: a record already served goes, so offset paging skips one; insert: one arrives before the page, so one
# repeats. Both at once keep the offsets (and the total): nothing is skipped, and no re-read is needed.
CHURN = {'delete': ({'delete': 1}, True), 'insert': ({'insert': 1}, True), 'both': ({'delete': 1, 'insert': 1}, False)}


@pytest.mark.parametrize('churn', list(CHURN))
@pytest.mark.parametrize('plugin', list(SOURCES))
def test_churn_between_pages_never_loses_a_host(busy, plugin, churn):
    sim, ansible = busy
    filename, source, route, id_var = SOURCES[plugin]
    counts, must_reread = CHURN[churn]
    before = inventory_ids(ansible.inventory(source, filename, warnings=None), id_var)
    sim.set_faults([dict(counts, kind='mutate_listing', match=route, after=1, times=1)])
    mark = len(sim.requests())
    out = ansible.inventory(source, filename, args=('--list', '-vvvv'), warnings=None,
                            env={'ANSIBLE_VERBOSE_TO_STDERR': 'True'})
    secrets = (sim.cyberwatch['api_key'], sim.cyberwatch['secret_key'], sim.cystack['api_key'])
    assert not [secret for secret in secrets if secret in out.stdout + out.stderr], 'a secret shown at -vvvv'
    mutations = [m for rule in sim.control('GET', 'faults')['faults'] for m in rule.get('mutations', [])]
    listings = [r for r in sim.requests(mark) if r['method'] == 'GET' and r['path'].split('?')[0] in (
        '/api/v3/vulnerabilities/servers', '/v1/targets')]
    sim.clear_faults()
    assert len(mutations) == 1, 'the fleet changed once during the first read'
    deleted, inserted = set(mutations[0]['deleted']), set(mutations[0]['inserted'])
    published = inventory_ids(out, id_var)
    whole_run = before - deleted
    assert whole_run <= published, 'missing: %s' % sorted(whole_run - published)
    assert published <= before | inserted
    if must_reread:
        assert len(listings) > math.ceil(len(before) / PAGE), 'the plugin read the listing again'


@pytest.mark.parametrize('plugin', list(SOURCES))
def test_a_listing_that_never_settles_fails_the_source(busy, plugin):
    sim, ansible = busy
    filename, source, route, dummy = SOURCES[plugin]
    sim.set_faults([{'kind': 'mutate_listing', 'insert': 1, 'match': route, 'after': 1}])
    out = ansible.inventory(source, filename, check=False, warnings=None,
                            env={'ANSIBLE_INVENTORY_UNPARSED_FAILED': 'true'})
    sim.clear_faults()
    assert out.returncode != 0
    text = ' '.join((out.stdout + out.stderr).split())
    assert 'changed while it was listed, 3 times in a row' in text, text[-2000:]
    assert 'no host was added' in text
