"""Unit tests of the SARIF 2.1.0 and JUnit XML renderings of a gate summary (gate_sarif, gate_junit).

The SARIF is validated against the official 2.1.0 schema (sarif/sarif-2.1.0.json, the MIT-licensed copy of
microsoft/sarif-sdk, see sarif/README.md); the JUnit is read back with junitparser."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import os

import pytest

from ansible.errors import AnsibleFilterError
from ansible_collections.secops.vulnmgmt.plugins.filter.gate import gate_evaluate, gate_junit, gate_sarif

jsonschema = pytest.importorskip('jsonschema')
junitparser = pytest.importorskip('junitparser')

SCHEMA = os.path.join(os.path.dirname(__file__), 'sarif', 'sarif-2.1.0.json')
TODAY = '2030-06-15'


def validate_sarif(log):
    """Raise jsonschema.ValidationError unless log is valid SARIF 2.1.0 (after a JSON round trip)."""
    with open(SCHEMA) as handle:
        schema = json.load(handle)
    log = json.loads(json.dumps(log))
    jsonschema.validators.validator_for(schema)(schema).validate(log)
    return log


def junit(text, tmp_path):
    path = tmp_path / 'gate.junit.xml'
    path.write_text(text)
    return junitparser.JUnitXml.fromfile(str(path))


def vuln(vid, severity, name, plugin, target=None, false_positive=False):
    return {'id': vid, 'severity': severity, 'name': name, 'plugin_name': plugin, 'false_positive': false_positive,
            'description': '%s found by the %s plugin.' % (name, plugin), 'solution': 'Fix %s.' % name,
            'references': [{'url': 'http://vulndb.github.io/vuln/%s' % plugin, 'title': 'Vulndb'}],
            'target': target}


def scan(address, vulns):
    return {'scan': {'id': 's-' + address, 'status': 'Stopped', 'target': {'address': address}},
            'vulnerabilities': vulns, 'item': address}


def cystack_scans(run=1):
    """Two targets; the vulnerability ids change with every scan (run), like a real rescan."""
    return [scan('https://shop.example.com', [
        vuln('%d-a' % run, 'High', 'SQL injection', 'sqli'), vuln('%d-b' % run, 'Medium', 'XSS', 'xss'),
        vuln('%d-c' % run, 'Medium', 'XSS', 'xss'), vuln('%d-d' % run, 'Low', 'Banner', 'banner'),
        vuln('%d-e' % run, 'Information', 'Old TLS', 'tls', false_positive=True)]),
        scan('https://blog.example.com', [vuln('%d-f' % run, 'Medium', 'Click-Jacking', 'clickjacking')])]


ALLOW = [{'match': 'Click-Jacking', 'justification': 'framed on purpose by the CMS', 'expires': '2030-12-31'}]
CATALOGUE = [{'cve_code': 'CVE-2021-0001', 'level': 'level_critical', 'score': 9.8, 'exploitable': True,
              'content': 'Remote code execution in foo.'},
             {'cve_code': 'CVE-2021-0002', 'level': 'level_medium', 'score': 5.0, 'exploitable': False,
              'content': 'Information leak in bar.'},
             {'cve_code': 'CVE-2021-0003', 'level': 'level_low', 'score': 2.1, 'exploitable': False,
              'content': 'Minor issue in baz.'}]


def cve(code):
    return {'cve_code': code, 'ignored': False, 'fixed_at': None}


HOSTS = [{'subject': 'web-1', 'server': {'hostname': 'web-1.example.com', 'cve_announcements': [
    cve('CVE-2021-0001'), cve('CVE-2021-0002')]}},
    {'subject': 'db-1', 'server': {'hostname': 'db-1.example.com', 'cve_announcements': [cve('CVE-2021-0003')]}},
    {'subject': 'new-1', 'server': None}]


def cystack_summary(run=1, **kwargs):
    args = dict(thresholds={'High': 0, 'Medium': 5}, allow_list=ALLOW, kind='cystack', today=TODAY)
    args.update(kwargs)
    return gate_evaluate(cystack_scans(run), **args)


def test_cystack_sarif_is_valid_with_rules_levels_locations_and_suppressions():
    log = validate_sarif(gate_sarif(cystack_summary(), tool_version='1.2.3'))
    assert log['version'] == '2.1.0' and len(log['runs']) == 1
    run = log['runs'][0]
    driver = run['tool']['driver']
    assert (driver['name'], driver['version'], driver['properties']['gate']) == ('secops.vulnmgmt', '1.2.3',
                                                                                 'CyStack scan gate')
    assert run['automationDetails']['id'] == 'cystack-scan-gate/%s' % TODAY
    rules = {r['id']: r for r in driver['rules']}
    assert sorted(rules) == ['banner', 'clickjacking', 'sqli', 'xss']          # one rule per finding type
    assert rules['sqli']['help']['text'] == 'SQL injection found by the sqli plugin.\n\nFix SQL injection.'
    assert rules['sqli']['helpUri'] == 'http://vulndb.github.io/vuln/sqli'
    assert rules['sqli']['properties']['security-severity'] == '8.0'
    results = [(r['ruleId'], r['level'], r['locations'][0]['physicalLocation']['artifactLocation']['uri'],
                bool(r.get('suppressions'))) for r in run['results']]
    assert results == [('clickjacking', 'warning', 'https://blog.example.com', True),
                       ('banner', 'note', 'https://shop.example.com', False),
                       ('sqli', 'error', 'https://shop.example.com', False),
                       ('xss', 'warning', 'https://shop.example.com', False),
                       ('xss', 'warning', 'https://shop.example.com', False)]   # the false positive is left out
    assert all(driver['rules'][r['ruleIndex']]['id'] == r['ruleId'] for r in run['results'])
    suppression = run['results'][0]['suppressions'][0]
    assert suppression == {'kind': 'external', 'status': 'accepted', 'justification': 'framed on purpose by the CMS',
                           'properties': {'match': 'Click-Jacking', 'expires': '2030-12-31'}}
    assert run['invocations'][0]['properties']['passed'] is False
    assert run['invocations'][0]['properties']['failedSubjects'] == ['https://shop.example.com']


def test_fingerprints_are_stable_across_scans_and_distinct_within_one():
    first = gate_sarif(cystack_summary(run=1))['runs'][0]['results']
    second = gate_sarif(cystack_summary(run=2))['runs'][0]['results']
    prints = [r['partialFingerprints']['vulnmgmtFinding/v1'] for r in first]
    assert prints == [r['partialFingerprints']['vulnmgmtFinding/v1'] for r in second]
    assert [r['properties']['findingId'] for r in first] != [r['properties']['findingId'] for r in second]
    assert len(set(prints)) == len(prints)          # the two XSS findings of one target differ


def test_cyberwatch_sarif_uses_the_cve_catalogue_and_host_locations():
    summary = gate_evaluate(HOSTS, {'critical': 0}, kind='cyberwatch', catalogue=CATALOGUE, today=TODAY)
    run = validate_sarif(gate_sarif(summary))['runs'][0]
    rules = {r['id']: r for r in run['tool']['driver']['rules']}
    assert sorted(rules) == ['CVE-2021-0001', 'CVE-2021-0002', 'CVE-2021-0003']
    assert rules['CVE-2021-0001']['help']['text'] == 'Remote code execution in foo.'
    assert rules['CVE-2021-0001']['helpUri'] == 'https://nvd.nist.gov/vuln/detail/CVE-2021-0001'
    assert rules['CVE-2021-0001']['properties']['security-severity'] == '9.8'
    assert [(r['ruleId'], r['level'], r['locations'][0]['logicalLocations'][0]['name'], r['properties']['exploitable'])
            for r in run['results']] == [('CVE-2021-0003', 'note', 'db-1', False),
                                         ('CVE-2021-0001', 'error', 'web-1', True),
                                         ('CVE-2021-0002', 'warning', 'web-1', False)]


def test_a_passing_gate_without_findings_is_valid_sarif():
    summary = gate_evaluate([scan('https://empty.example.com', [])], {'High': 0}, kind='cystack', today=TODAY)
    run = validate_sarif(gate_sarif(summary))['runs'][0]
    assert run['results'] == [] and run['tool']['driver']['rules'] == []
    assert run['invocations'][0]['properties']['passed'] is True


def test_junit_one_testcase_per_subject_and_failures_where_the_gate_failed(tmp_path):
    summary = gate_evaluate(HOSTS, {'critical': 0, 'medium': 0}, kind='cyberwatch', catalogue=CATALOGUE,
                            today=TODAY, fail_unknown=False)
    xml = junit(gate_junit(summary), tmp_path)
    suites = list(xml)
    assert [s.name for s in suites] == ['Cyberwatch CVE gate']
    cases = {case.name: case for case in suites[0]}
    assert sorted(cases) == ['db-1', 'new-1', 'web-1']
    assert suites[0].tests == 3 and suites[0].failures == 1
    failed = {name for name, case in cases.items() if not case.is_passed}
    assert failed == set(summary['failed_subjects']) == {'web-1'}
    failure = cases['web-1'].result[0]
    assert isinstance(failure, junitparser.Failure)
    assert failure.message == 'web-1: 1 critical (at most 0 allowed), 1 medium (at most 0 allowed)'
    assert '- 1 critical (at most 0 allowed)\n- 1 medium (at most 0 allowed)' in failure.text
    assert 'critical: CVE-2021-0001 (exploitable)' in failure.text
    assert cases['web-1'].classname == 'secops.vulnmgmt.cyberwatch_cve_gate'


def test_junit_total_scope_fails_the_total_testcase_only(tmp_path):
    summary = cystack_summary(thresholds={'Medium': 1}, scope='total', allow_list=[])
    cases = {case.name: case for case in list(junit(gate_junit(summary), tmp_path))[0]}
    assert sorted(cases) == ['all targets (total)', 'https://blog.example.com', 'https://shop.example.com']
    assert [name for name, case in cases.items() if not case.is_passed] == ['all targets (total)']
    assert cases['all targets (total)'].result[0].message == 'all targets (total): 3 Medium (at most 1 allowed)'


@pytest.mark.parametrize('render', [gate_sarif, gate_junit])
def test_renderers_reject_what_is_not_a_summary(render):
    with pytest.raises(AnsibleFilterError, match='expects the result of gate_evaluate'):
        render({'passed': True})
