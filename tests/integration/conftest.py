"""Integration fixtures: one simulator per session, and the harness (harness.py) that runs ansible against it.

Targets live in tests/integration/targets/<name>/ in ansible-test layout (tasks/main.yml + aliases); each is
applied as a role by a generated playbook, with `sim_url` (the simulator's root URL, for /_sim/ calls) set.
"""

import json
import os
import sys
import tempfile
from pathlib import Path

import pytest
from filelock import FileLock

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / 'tests' / 'simulator'))

from harness import Ansible  # noqa: E402  pylint: disable=wrong-import-position
from launcher import Simulator, collections_root  # noqa: E402  pylint: disable=wrong-import-position

# A test that takes `routes` and `auth` runs on each route set (each module has its own legacy paths) and each auth
# method: legacy routes with HMAC (which signs the path) and current routes with Basic. The default (current, HMAC) is
# what every other test uses. The older-core CI legs set VULNMGMT_CONNECTION_MATRIX=default: the matrix exercises
# client code, which does not depend on ansible-core.
DEFAULT_CONNECTION = ('current', 'hmac')
CONNECTION_MATRIX = [('legacy', 'hmac'), ('current', 'basic')]


def pytest_generate_tests(metafunc):
    if {'routes', 'auth'} <= set(metafunc.fixturenames):
        full = os.environ.get('VULNMGMT_CONNECTION_MATRIX', 'full') == 'full'
        metafunc.parametrize('routes,auth', CONNECTION_MATRIX if full else [DEFAULT_CONNECTION])


# The files (or `file::test`) whose behaviour depends on ansible-core (templating and unsafe data, inventory plugins and
# their cache, roles, argument specs and no_log, action groups): the oldest core's CI leg runs these only (marker
# every_core). The other tests exercise the collection's own client and engine code, which no core changes: the newest
# core runs them.
EVERY_CORE = {
    'test_inventory_cyberwatch.py', 'test_inventory_cystack.py', 'test_inventory_incremental.py',
    'test_inventory_hostile.py',                                    # inventory plugins, cache, unsafe hostvars
    'test_gate_outputs.py', 'test_cyberwatch_airgap.py', 'test_runner_roles.py', 'test_hostile_fleet.py',  # roles
    'test_coverage.py',
    'test_onboard_secrets.py', 'test_remediate.py',                  # the apt end to end on the newest core only
    'test_eda_rulebook.py',                                         # event sources through ansible-rulebook
    'test_ping.py',                                                 # module_defaults action groups, env credentials
    'test_awx_credentials.py',                                      # AWX-injected env options (ca_path, booleans)
    'test_cyberwatch_group.py',                                     # one full life cycle: check mode, diff
    # no_log secrets at -vvvv, and in a diff (the rest of the file is client code)
    'test_cyberwatch_remote_access.py::test_secrets_never_printed_at_vvvv',
    'test_cyberwatch_remote_access.py::test_diff_masks_secrets_and_shows_only_the_changed_field',
}
# API values that must never run as templates: the outcome is ansible-core's templating engine, which changed at 2.19
# (data tagging). The middle CI leg, 2.19, the first core with data tagging, runs these only (marker hostile); the
# newest and the oldest run every EVERY_CORE file.
HOSTILE = {'test_inventory_hostile.py', 'test_hostile_fleet.py'}


def pytest_configure(config):
    config.addinivalue_line('markers', 'fleet: fleet-scale request budgets; run on the newest ansible-core only')
    config.addinivalue_line('markers', 'every_core: behaviour that depends on ansible-core; run on every core')
    config.addinivalue_line('markers', 'hostile: hostile API values through ansible-core templating; run on every core')


def pytest_collection_modifyitems(items):
    for item in items:
        if {item.path.name, '%s::%s' % (item.path.name, item.originalname)} & EVERY_CORE:
            item.add_marker(pytest.mark.every_core)
        if item.path.name in HOSTILE:
            item.add_marker(pytest.mark.hostile)


@pytest.fixture(scope='session')
def simulator():
    sim = Simulator(seed=1, servers=30, targets=15, scan_seconds=1).start()
    yield sim
    sim.stop()


@pytest.fixture(scope='session')
def workdir():
    with tempfile.TemporaryDirectory(prefix='vulnmgmt-it-') as path:
        yield Path(path)


@pytest.fixture(scope='session')
def collection_on_path(workdir):
    """Make `ansible_collections.secops.vulnmgmt` importable, for tests that drive the clients directly."""
    root = collections_root(workdir)
    if root not in sys.path:
        sys.path.insert(0, root)
    return root


@pytest.fixture
def cyberwatch_api(sim, collection_on_path):
    """The collection's own Cyberwatch client on the simulator, for reference reads and set-up writes."""
    del collection_on_path
    from ansible_collections.secops.vulnmgmt.plugins.module_utils.cyberwatch import CyberwatchClient
    return CyberwatchClient(sim.cyberwatch['api_url'], sim.cyberwatch['api_key'], sim.cyberwatch['secret_key'])


@pytest.fixture
def cystack_api(sim, collection_on_path):
    """The collection's own CyStack client on the simulator."""
    del collection_on_path
    from ansible_collections.secops.vulnmgmt.plugins.module_utils.cystack import CyStackClient
    return CyStackClient(sim.cystack['api_key'], api_url=sim.cystack['api_url'])


@pytest.fixture(scope='session')
def ansible(simulator, workdir):
    return Ansible(simulator, workdir)


@pytest.fixture(scope='session')
def once_per_run(tmp_path_factory, worker_id):
    """once_per_run(name, compute): compute() once for all the xdist workers of this run, its JSON result shared
    through a file (a module fixture would run again in every worker that gets one of the module's tests)."""
    def shared(name, compute):
        if worker_id == 'master':
            return compute()
        path = tmp_path_factory.getbasetemp().parent / ('%s.json' % name)  # one directory per run, for all workers
        with FileLock(str(path) + '.lock'):
            if not path.exists():
                path.write_text(json.dumps(compute()))
            return json.loads(path.read_text())
    return shared


@pytest.fixture
def sim(simulator):
    """The session simulator, reset to its seeded state before the test."""
    simulator.reset()
    return simulator
