"""Malformed answers (issue 19): every variant of the simulator's `malformed` fault (tests/simulator/core/malformed.py),
applied to every API read, through every info module and cyberwatch_ping, both inventory plugins (one ansible-inventory
run per variant and plugin) and both event sources (their poll, in this process). Each case must fail cleanly: no
traceback, no success, a message naming the method and the path it read.

Client code only: it does not depend on ansible-core, so the older-core CI legs skip it (it is not in EVERY_CORE,
tests/integration/conftest.py). The modules run in this process (harness.run_module_here): every variant on every
module, 252 cases in about 2 s, where one ansible-playbook run of 100 of them took about 110 CPU s. How a failed
module result travels through ansible-playbook is proven by the other tests.
"""

import importlib.util
import json
import re
from pathlib import Path

import pytest

from core.malformed import VARIANTS
from harness import run_module_here
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


def applies(variant, first_read):
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


def run_modules(sim, refs):
    """{(variant, case): the module's result, or {'crash': the exception}} for every variant and every consumer it
    applies to."""
    results = {}
    for variant in VARIANTS:
        sim.set_faults([fault(variant)])
        for case, module, params, first_read in consumers(refs):
            if not applies(variant, first_read):
                continue
            try:
                results[variant, case] = run_module_here(module.split('.')[-1], params, dict(sim.env(), **NO_RETRY))
            except Exception as exc:  # pylint: disable=broad-except
                results[variant, case] = {'crash': '%s: %s' % (type(exc).__name__, str(exc)[:300])}
    return results


def test_modules_fail_cleanly_on_every_malformed_answer(sim, collection_on_path, refs):
    del collection_on_path
    results = run_modules(sim, refs)
    read_paths = {r['path'] for r in sim.requests()}
    problems = []
    for (variant, case), result in sorted(results.items()):
        if 'crash' in result:
            problems.append('%s / %s: crashed with %s' % (case, variant, result['crash']))
            continue
        text = str(result.get('msg', ''))
        problems += failure_problems('%s / %s' % (case, variant), text, not result.get('failed'), read_paths)
        if 'Traceback' in str(result.get('exception', '')):
            problems.append('%s / %s: result has a traceback' % (case, variant))
        if str(result.get('warnings', '')).count('uses plain HTTP') > 1:
            problems.append('%s / %s: warnings of another module run: %s' % (case, variant, result['warnings']))
        if len(json.dumps(result)) > MAX_FAILURE_SIZE:
            problems.append('%s / %s: a %d-byte result' % (case, variant, len(json.dumps(result))))
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
