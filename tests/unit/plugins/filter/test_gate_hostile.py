"""The gate renderings over hostile scanner strings: control characters, what XML 1.0 cannot carry, 100 KB values,
markup (JUnit, Markdown, HTML), Jinja. Each format stays valid: the JUnit parses with xml.etree, the SARIF validates
against the official 2.1.0 schema, the Markdown tables keep their cells and carry no raw HTML or link; every filter
result is marked untrusted (never templated) on the cores without data tagging."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import os
import re
from xml.etree import ElementTree

import pytest

from ansible.utils.unsafe_proxy import AnsibleUnsafe
from ansible_collections.secops.vulnmgmt.plugins.filter.gate import (
    MAX_TEXT, cyberwatch_server_match, gate_evaluate, gate_junit, gate_report, gate_sarif,
)
from ansible_collections.secops.vulnmgmt.plugins.plugin_utils.trust import DATA_TAGGING

jsonschema = pytest.importorskip('jsonschema')

SCHEMA = os.path.join(os.path.dirname(__file__), 'sarif', 'sarif-2.1.0.json')
TODAY = '2030-06-15'
CONTROL = ''.join(chr(c) for c in range(32) if c not in (9, 10)) + '\x7f'
PAYLOADS = {
    'control': 'ctl%send' % CONTROL,
    'not_xml': 'bad\ud800\ufffe\uffffend',
    'huge': 'H' * 100000,
    'junit': '</testcase><testcase name="forged"/>',
    'cdata': ']]><![CDATA[',
    'html': '<script>alert(1)</script><img src=x onerror=alert(1)>',
    'table': 'a | b || c\\|d',
    'code': '`rm -rf /` ```',
    'link': '[click](javascript:alert(1)) ![i](http://x/i.png)',
    'jinja': "{{ lookup('pipe', 'touch MARKER') }}{% raw %}",
    'unicode': 'line\u2028sep\u2029para\u202egnp.exe\u2066x\u2069',
}
# Characters a report may not carry: XML 1.0 invalid ones, the control characters but tab and newline, the Unicode
# line separators (a line break to some readers) and the bidirectional overrides (a report showing other text).
UNPRINTABLE = re.compile('[\x00-\x08\x0b-\x1f\x7f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff\ufffe\uffff]')


def hostile_summary(scope='subject'):
    findings = [{'subject': 'host-%s-%s' % (key, value), 'id': value, 'severity': 'high', 'title': value,
                 'rule': value, 'help': value, 'help_uri': 'https://example.com/%s' % value, 'keys': [value]}
                for key, value in sorted(PAYLOADS.items())]
    allow = [{'match': PAYLOADS['code'], 'justification': PAYLOADS['html'] + PAYLOADS['control'],
              'expires': '2099-12-31'}]
    return gate_evaluate(findings, {'high': 0}, allow, name='Gate %s' % PAYLOADS['table'], scope=scope, today=TODAY)


def strings(value):
    if isinstance(value, dict):
        for key, item in value.items():
            yield key
            yield from strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from strings(item)
    elif isinstance(value, str):
        yield value


@pytest.mark.parametrize('scope', ['subject', 'total'])
def test_junit_parses_with_every_hostile_string(scope):
    summary = hostile_summary(scope)
    text = gate_junit(summary)
    root = ElementTree.fromstring(text.encode('utf-8'))
    cases = root.findall('./testsuite/testcase')
    assert len(cases) == len(PAYLOADS) + (scope == 'total')
    assert not root.findall('.//testcase[@name="forged"]')
    names = [case.get('name') for case in cases]
    assert 'host-junit-</testcase><testcase name="forged"/>' in names and 'host-cdata-]]><![CDATA[' in names
    assert 'host-control-ctl%send' % ('\ufffd' * len(CONTROL)) in names
    for element in root.iter():
        for value in list(element.attrib.values()) + [element.text or '']:
            assert not UNPRINTABLE.search(value)
            assert len(value) <= MAX_TEXT * 16 + 100
    huge = next(case for case in cases if case.get('name').startswith('host-huge-'))
    assert huge.get('name').endswith('... [%d characters cut]' % (100000 + len('host-huge-') - MAX_TEXT))


def test_sarif_validates_with_every_hostile_string():
    log = gate_sarif(hostile_summary())
    with open(SCHEMA) as handle:
        schema = json.load(handle)
    log = json.loads(json.dumps(log))
    jsonschema.validators.validator_for(schema)(schema).validate(log)
    run = log['runs'][0]
    assert len(run['results']) == len(PAYLOADS)
    for text in strings(log):
        assert not UNPRINTABLE.search(text)
        assert len(text) <= MAX_TEXT + 200
    # The Jinja text is carried as text, as it came.
    assert any(r['message']['text'].startswith(PAYLOADS['jinja']) for r in run['results'])
    for result in run['results']:
        uri = result['locations'][0]['physicalLocation']['artifactLocation']['uri']
        assert not re.search(r'[\s<>"{}|\\^`]', uri), uri


def test_sarif_reports_hosts_without_evidence_as_error_notifications():
    hosts = [{'subject': 'app-1<b>', 'server': None, 'problem': 'ambiguous: 2 Cyberwatch servers have the address '
                                                                '10.0.0.5 (ids 12, 7)'},
             {'subject': 'new-1', 'server': None}]
    log = gate_sarif(gate_evaluate(hosts, {}, kind='cyberwatch', today=TODAY))
    with open(SCHEMA) as handle:
        schema = json.load(handle)
    jsonschema.validators.validator_for(schema)(schema).validate(json.loads(json.dumps(log)))
    notes = log['runs'][0]['invocations'][0]['toolExecutionNotifications']
    assert [(n['level'], n['message']['text']) for n in notes] == [
        ('error', 'app-1<b>: ambiguous: 2 Cyberwatch servers have the address 10.0.0.5 (ids 12, 7)'),
        ('error', 'new-1: no Cyberwatch server matches new-1')]


TABLE_PIPE = re.compile(r'(?<!\\)\|')


def test_markdown_tables_keep_their_cells_and_carry_no_html_link_or_code():
    text = gate_report(hostile_summary())
    lines = text.splitlines()
    tables = []
    for line in lines:
        if line.startswith('|'):
            if not tables or tables[-1][-1] is None:
                tables.append([])
            tables[-1].append(len(TABLE_PIPE.findall(line)))
        elif tables and tables[-1] and tables[-1][-1] is not None:
            tables[-1].append(None)
    assert len(tables) == 3                             # subjects, open findings, suppressed
    for table in tables:
        counts = [count for count in table if count is not None]
        assert len(set(counts)) == 1, counts           # every row has the header's cells
    # header and separator, then one row per subject and the total; per open finding (one is allow-listed); per
    # suppressed finding
    assert [len([c for c in t if c is not None]) for t in tables] == [
        2 + len(PAYLOADS) + 1, 2 + len(PAYLOADS) - 1, 2 + 1]
    assert not re.search(r'<[A-Za-z/!?]', text), 'raw HTML'
    assert not re.search(r'(?<!\\)\[[^\]]*(?<!\\)\]\(', text), 'a link'
    assert not re.search(r'(?<!\\)`', text), 'a code span'
    assert not UNPRINTABLE.search(text)
    assert '&lt;script&gt;' in text and '\\[click\\](javascript:alert(1))' in text
    assert all(len(line) < 5 * MAX_TEXT for line in lines)     # at most three cut values a row


def test_every_filter_result_is_untrusted_on_the_cores_without_data_tagging():
    summary = hostile_summary()
    match = cyberwatch_server_match([{'id': 1, 'hostname': PAYLOADS['jinja'], 'addresses': ['10.0.0.1']}], '10.0.0.1')
    results = [summary['findings'][0]['title'], summary['message'], gate_report(summary), gate_junit(summary),
               gate_sarif(summary)['runs'][0]['results'][0]['message']['text'], match['server']['hostname']]
    if DATA_TAGGING:
        assert all(isinstance(value, str) for value in results)    # data tagging: plugin values are never templated
    else:
        assert all(isinstance(value, AnsibleUnsafe) for value in results)
