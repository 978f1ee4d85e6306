"""Malformed answers (issue 19): every variant of the simulator's `malformed` fault (tests/simulator/core/malformed.py),
applied to every API read, through every info module and cyberwatch_ping (one ansible-playbook run for all), both
inventory plugins (one ansible-inventory run per variant and plugin) and both event sources (their poll, in this
process). Each case must fail cleanly: no traceback, no success, a message naming the method and the path it read.

Client code only: it does not depend on ansible-core, so the older-core CI legs skip it (it is not in EVERY_CORE,
tests/integration/conftest.py).

Cost: a module run costs about a second here. The variants that the transport rejects before any route-specific code
(TRANSPORT_VARIANTS: HttpClient._handle) run on one module per kind of first read and platform (SAMPLE); the shape
variants, which each client checks per route, run on every module. VULNMGMT_MALFORMED_FULL=1 runs every variant on
every module (about 250 module runs).
"""

import importlib.util
import json
import os
import re
from pathlib import Path

import pytest

from core.malformed import VARIANTS
from test_inventory_support import source


EVERY_READ = '^GET /(api|v1)/'
NO_RETRY = {'CYBERWATCH_MAX_RETRIES': '0', 'CYSTACK_MAX_RETRIES': '0'}
# A failure names the method and the path it read: 'GET /api/v3/hosts: ...' or 'GET /targets page 1 ...'.
NAMED = re.compile(r'\bGET (/[^\s:?]*)')
CRASH = ('Traceback', 'MODULE FAILURE', 'AttributeError', 'KeyError', 'TypeError', 'RecursionError', 'IndexError')
# Variants that change nothing in an answer whose first read is one object (ping, a detail by id): they only break
# lists (object_for_list) or the ids of listed records (missing_ids; a CyStack detail has no id to lose).
LIST_ONLY = ('object_for_list',)
DETAIL_WITHOUT_ID = ('missing_ids',)
MAX_FAILURE_SIZE = 8 * 1024
TRANSPORT_VARIANTS = ('html', 'huge_html', 'truncated_json', 'empty_2xx', 'redirect_302', 'deep_nesting')
SAMPLE = ('cyberwatch_server_info', 'cyberwatch_ping', 'cyberwatch_cve_info by code', 'cystack_target_info',
          'cystack_scan_info by id')
FULL = os.environ.get('VULNMGMT_MALFORMED_FULL') == '1'

CYBERWATCH_LISTS = ('agent', 'applicative_scan', 'asset', 'compliance_rule', 'compliance_server', 'cve', 'discovery',
                    'docker_image', 'group', 'host', 'node', 'os', 'remote_access', 'security_issue', 'server',
                    'stored_credential', 'user')
CYSTACK_LISTS = ('monitoring', 'scan', 'target', 'vulnerability')


def consumers(refs):
    """(case name, module, params, kind of its first read: list, detail (Cyberwatch) or object (no id to lose))."""
    found = [('cyberwatch_%s_info' % name, 'secops.vulnmgmt.cyberwatch_%s_info' % name, {}, 'list')
             for name in CYBERWATCH_LISTS]
    found += [('cystack_%s_info' % name, 'secops.vulnmgmt.cystack_%s_info' % name, {}, 'list') for name in CYSTACK_LISTS]
    found += [
        ('cyberwatch_ping', 'secops.vulnmgmt.cyberwatch_ping', {}, 'object'),
        ('cyberwatch_server_info by id', 'secops.vulnmgmt.cyberwatch_server_info', {'id': refs['server']}, 'detail'),
        ('cyberwatch_cve_info by code', 'secops.vulnmgmt.cyberwatch_cve_info', {'cve_code': refs['cve']}, 'detail'),
        ('cystack_scan_info by id', 'secops.vulnmgmt.cystack_scan_info', {'id': refs['scan']}, 'object'),
        ('cystack_vulnerability_info by id', 'secops.vulnmgmt.cystack_vulnerability_info', {'id': refs['vuln']},
         'object'),
    ]
    return found


def applies(variant, case, first_read):
    if variant in TRANSPORT_VARIANTS and not FULL and case not in SAMPLE:
        return False
    if first_read != 'list' and variant in LIST_ONLY:
        return False
    return not (first_read == 'object' and variant in DETAIL_WITHOUT_ID)


def fault(variant):
    return {'kind': 'malformed', 'variant': variant, 'match': EVERY_READ}


def failure_problems(case, text, ok, read_paths):
    """What is wrong with the failure of one case (its message text, ok: it succeeded)."""
    problems = []
    if ok:
        problems.append('succeeded')
    crash = [c for c in CRASH if c in text]
    if crash:
        problems.append('crashed (%s)' % ', '.join(crash))
    named = NAMED.search(text)
    if not named:
        problems.append('no "GET /path" in the message')
    elif not any(path.endswith(named.group(1)) for path in read_paths):
        problems.append('names %s, which was not read' % named.group(1))
    return ['%s: %s: %s' % (case, p, text[:300]) for p in problems]


@pytest.fixture
def refs(sim, cyberwatch_api, cystack_api):
    scan = cystack_api.scans()[0]
    refs = {'server': cyberwatch_api.list('server')[0]['id'],
            'cve': cyberwatch_api.list('cve_announcement')[0]['cve_code'],
            'scan': scan['id'], 'vuln': cystack_api.vulnerabilities()[0]['id']}
    sim.clear_requests()
    return refs


WORKERS = 4


def run_modules(ansible, refs):
    """One ansible-playbook run: for each variant, a play installs its fault, then a play runs every consumer with
    ignore_errors, spread over WORKERS local hosts (strategy free: they run side by side); a last play writes the
    registered results to a JSON file. Returns ({(variant, case): result}, the playbook's CompletedProcess)."""
    plays, names = [], {}
    hosts = ['malformed%d' % n for n in range(WORKERS)]
    for variant in VARIANTS:
        plays.append({'name': 'Install %s' % variant, 'hosts': 'localhost', 'gather_facts': False, 'tasks': [
            {'ansible.builtin.uri': {'url': '{{ sim_url }}/_sim/faults', 'method': 'PUT', 'body_format': 'json',
                                     'body': {'faults': [fault(variant)]}}}]})
        tasks = []
        for index, (case, module, params, first_read) in enumerate(consumers(refs)):
            if not applies(variant, case, first_read):
                continue
            var, host = 'r_%s_%d' % (variant, index), hosts[index % WORKERS]
            names[var] = (host, variant, case)
            tasks.append({'name': '%s on %s' % (case, variant), module: params, 'register': var,
                          'ignore_errors': True, 'when': 'inventory_hostname == %r' % host})
        plays.append({'name': 'Read %s' % variant, 'hosts': 'workers', 'gather_facts': False, 'strategy': 'free',
                      'tasks': tasks})
    out = ansible.workdir / 'malformed-results.json'
    plays.append({'name': 'Collect', 'hosts': 'localhost', 'gather_facts': False, 'tasks': [
        {'ansible.builtin.copy': {'dest': str(out), 'content': '{{ {%s} | to_json }}' % ', '.join(
            "'%s': hostvars['%s']['%s']" % (var, host, var) for var, (host, dummy, dummy2) in names.items())}}]})
    for play in plays:
        play['vars'] = {'sim_url': ansible.sim.url}
    inventory = ansible.workdir / 'malformed-hosts.json'
    inventory.write_text(json.dumps({'all': {'hosts': {'localhost': {'ansible_connection': 'local'}}, 'children': {
        'workers': {'hosts': dict((h, {'ansible_connection': 'local'}) for h in hosts)}}}}))
    playbook = ansible.workdir / 'malformed.yml'
    playbook.write_text(json.dumps(plays))
    proc = ansible.run('ansible-playbook', ['-i', inventory, '--forks', str(WORKERS), playbook], env=NO_RETRY)
    collected = json.loads(out.read_text())
    return dict((names[var][1:], result) for var, result in collected.items()), proc


def test_modules_fail_cleanly_on_every_malformed_answer(sim, ansible, refs):
    results, proc = run_modules(ansible, refs)
    read_paths = {r['path'] for r in sim.requests()}
    problems = []
    for (variant, case), result in sorted(results.items()):
        text = str(result.get('msg', ''))
        problems += failure_problems('%s / %s' % (case, variant), text, not result.get('failed'), read_paths)
        # ansible-core 2.19+ gives every failed result "exception": "(traceback unavailable)"; a crash has a traceback.
        leaked = sorted(set(result) & {'module_stderr', 'module_stdout'})
        if 'Traceback' in str(result.get('exception', '')):
            leaked.append('a traceback')
        if leaked:
            problems.append('%s / %s: result has %s' % (case, variant, ', '.join(leaked)))
        if len(json.dumps(result)) > MAX_FAILURE_SIZE:
            problems.append('%s / %s: a %d-byte result' % (case, variant, len(json.dumps(result))))
    for marker in ('Traceback', 'MODULE FAILURE'):
        if marker in proc.stdout + proc.stderr:
            problems.append('%s in the playbook output' % marker)
    print('malformed answers (modules): %d cases, %d problems' % (len(results), len(problems)))
    assert not problems, '\n'.join(problems)
    assert {variant for variant, dummy in results} == set(VARIANTS)


def hosts_listed(stdout):
    """The hosts of an `ansible-inventory --list` output (a failed source lists none)."""
    try:
        return json.loads(stdout).get('_meta', {}).get('hostvars', {})
    except ValueError:
        return {}


@pytest.mark.parametrize('variant', VARIANTS)
@pytest.mark.parametrize('plugin', ['cyberwatch', 'cystack'])
def test_inventory_plugins_fail_cleanly(sim, ansible, plugin, variant):
    sim.set_faults([fault(variant)])
    proc = ansible.inventory(source(plugin), 'malformed.%s.yml' % plugin, env=NO_RETRY, check=False, warnings=None)
    output = proc.stdout + proc.stderr
    text = ' '.join(output.split())
    problems = failure_problems('%s inventory / %s' % (plugin, variant), text[text.find('no host was added'):],
                                bool(hosts_listed(proc.stdout)), {r['path'] for r in sim.requests()})
    assert 'no host was added' in text, output[-3000:]
    assert not problems, '\n'.join(problems)


def load_source(name):
    path = Path(__file__).resolve().parents[2] / 'extensions' / 'eda' / 'plugins' / 'event_source' / (name + '.py')
    spec = importlib.util.spec_from_file_location('eda_malformed_' + name, str(path))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize('variant', VARIANTS)
def test_event_sources_fail_cleanly(sim, collection_on_path, variant):
    del collection_on_path
    from ansible_collections.secops.vulnmgmt.plugins.module_utils.transport import ApiError
    pollers = {
        'cyberwatch_vulnerabilities': (load_source('cyberwatch_vulnerabilities').CyberwatchVulnerabilities, dict(
            api_url=sim.cyberwatch['api_url'], api_key=sim.cyberwatch['api_key'],
            secret_key=sim.cyberwatch['secret_key'], max_retries=0)),
        'cystack_scans': (load_source('cystack_scans').CyStackScans, dict(
            api_url=sim.cystack['api_url'], api_key=sim.cystack['api_key'], max_retries=0)),
    }
    sim.set_faults([fault(variant)])
    problems = []
    for name, (poller_class, args) in sorted(pollers.items()):
        poller = poller_class(args)
        try:
            poller.poll()
        except ApiError as exc:
            problems += failure_problems('%s / %s' % (name, variant), str(exc), False,
                                         {r['path'] for r in sim.requests()})
        except Exception as exc:  # pylint: disable=broad-except
            problems.append('%s / %s: crashed with %s: %s' % (name, variant, type(exc).__name__, str(exc)[:300]))
        else:
            problems.append('%s / %s: succeeded' % (name, variant))
    assert not problems, '\n'.join(problems)
