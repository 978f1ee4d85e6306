# -*- coding: utf-8 -*-
# Copyright: secops.vulnmgmt contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Vulnerability gate logic of the gate roles: normalise findings, apply an allow-list with expiry, evaluate
thresholds, render a summary (Markdown, SARIF 2.1.0, JUnit XML). Pure Python, no I/O: `gate_evaluate`, `gate_report`,
`gate_sarif` and `gate_junit` (docs in the .yml files).

Scanner strings are hostile: every filter returns its result marked untrusted (never templated), a subject without
evidence (no server, an ambiguous match, no CVE data) fails rather than passes, and the renderings escape or strip
whatever their format cannot carry (see _plain)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import datetime
import hashlib
import html
import re
from collections.abc import Mapping
from urllib.parse import quote
from xml.etree import ElementTree

from ansible.errors import AnsibleFilterError
from ansible.module_utils.common.text.converters import to_text

# Severity levels, the allow-list with expiry and its dates are shared with the remediation filters (plugin_utils).
from ansible_collections.secops.vulnmgmt.plugins.plugin_utils.gate_rules import (
    SEVERITIES, allowance_for as _allowance_for, canonical_severity as _canonical_severity,
    parse_allow_list as _allow_list, parse_date as _date,
)
from ansible_collections.secops.vulnmgmt.plugins.plugin_utils.matching import (
    SERVER_FIELDS, index, server_match, server_matches,
)
from ansible_collections.secops.vulnmgmt.plugins.plugin_utils.trust import untrusted

TITLES = {'cystack': ('CyStack scan gate', 'Target'), 'cyberwatch': ('Cyberwatch CVE gate', 'Host'),
          'generic': ('Vulnerability gate', 'Subject'), 'coverage': ('Coverage reconciliation', 'Subject')}
EXTRA_THRESHOLDS = ('exploitable', 'reboot_required')


# --- normalisation: every kind becomes a list of flat findings -------------------------------------------------

def _finding(subject, fid, severity, title, exploitable=False, false_positive=False, keys=(), rule=None, help_text=None,
             help_uri=None, score=None):
    """A flat finding. rule: the finding type (CVE code, scanner plugin) with its help text, for SARIF."""
    return {'subject': to_text(subject), 'id': to_text(fid), 'severity': severity, 'title': to_text(title or fid),
            'exploitable': bool(exploitable), 'false_positive': bool(false_positive),
            'keys': sorted({to_text(k).lower() for k in (fid, title) + tuple(keys) if k}),
            'rule': to_text(rule or title or fid), 'help': to_text(help_text or title or fid),
            'help_uri': to_text(help_uri) if help_uri else None, 'score': _score(score)}


def _score(value):
    try:
        return None if value is None or isinstance(value, bool) else round(float(value), 1)
    except (TypeError, ValueError):
        return None


def _cystack(data, fail_unknown):
    """cystack_scan results (one, or a loop's `results`), or bare vulnerability lists. A skipped loop result is a
    target the account does not know (the role skips those)."""
    results = data if isinstance(data, list) else [data]
    findings, subjects, notes, problems = [], [], [], {}
    for result in results:
        if not isinstance(result, dict):
            raise AnsibleFilterError('gate_evaluate(kind=cystack) expects cystack_scan results or vulnerabilities, '
                                     'got %r' % (_cut(result),))
        if result.get('skipped') and 'item' in result:         # a target the account does not know
            subject = to_text(result['item'])
            subjects.append(subject)
            _unknown(subject, 'no CyStack target matches %s' % subject, fail_unknown, notes, problems)
            continue
        if 'severity' in result:                                # a bare vulnerability
            vulns, subject = [result], result.get('target') or 'unknown target'
        else:
            scan = result.get('scan') or {}
            target = scan.get('target') or {}
            if not isinstance(scan, dict) or not isinstance(target, dict):
                raise AnsibleFilterError('gate_evaluate(kind=cystack): the scan of %r is not a scan record'
                                         % (_cut(result.get('item')),))
            subject = target.get('address') or result.get('item') or target.get('id') or 'unknown target'
            vulns = result.get('vulnerabilities')
            if vulns is None:
                raise AnsibleFilterError('the cystack_scan result for %s has no vulnerabilities: run it with wait=true'
                                         % subject)
            notes.append('%s: scan %s (%s)' % (subject, scan.get('id'), scan.get('status')))
        subject = to_text(subject)
        if subject not in subjects:
            subjects.append(subject)
        if not isinstance(vulns, list) or not all(isinstance(vuln, dict) for vuln in vulns):
            raise AnsibleFilterError('gate_evaluate(kind=cystack): the vulnerabilities of %s are not a list of '
                                     'records' % subject)
        for vuln in vulns:
            references = [r.get('url') for r in vuln.get('references') or [] if isinstance(r, dict) and r.get('url')]
            help_text = '\n\n'.join(to_text(vuln[key]) for key in ('description', 'solution') if vuln.get(key))
            findings.append(_finding(vuln.get('target') if isinstance(vuln.get('target'), str) else subject,
                                     vuln.get('id'), _canonical_severity('cystack', vuln.get('severity')),
                                     vuln.get('name'), false_positive=vuln.get('false_positive'),
                                     rule=vuln.get('plugin_name') or vuln.get('name'), help_text=help_text,
                                     help_uri=references[0] if references else None))
    return findings, subjects, notes, [], problems


def _unknown(subject, reason, fail_unknown, notes, problems):
    """A subject the scanner does not know: a failure (fail_unknown) or a note."""
    if fail_unknown:
        problems.setdefault(subject, []).append(reason)
    else:
        notes.append('%s: %s (not failed: fail_unknown is false)' % (subject, reason))


def _cve_data_problem(server):
    """Why a server detail carries no usable CVE data, or None."""
    entries = server.get('cve_announcements')
    if not isinstance(entries, list):
        return 'server %s has no CVE data (its detail has %s cve_announcements list)' % (
            _cut(server.get('id')), 'no' if entries is None else 'a malformed')
    if not all(isinstance(entry, dict) for entry in entries):
        return 'server %s has malformed CVE data (an entry of cve_announcements is not a record)' % (
            _cut(server.get('id')),)
    return None


def _cyberwatch(data, catalogue, fail_unknown, details=None):
    """Cyberwatch server details (with `cve_announcements`), matched to the CVE catalogue for level/exploitability.

    Items may be bare server details or {"subject": <inventory host>, "server": <detail or null>, "problem": <why the
    host has no server, e.g. an ambiguous match, or null>, "names": <the names it was looked up by>}. A host without a
    server, with a problem or without CVE data fails (an unknown host only when fail_unknown). With details (server
    details read apart), each item's server is replaced by its detail, found by id; a server without one keeps only
    its id, so has no CVE data."""
    detail_of = None
    if details is not None:
        detail_of = dict((to_text(d.get('id')), d) for d in details if isinstance(d, dict))
    by_code = {}
    for cve in catalogue or []:
        if isinstance(cve, dict):
            by_code[to_text(cve.get('cve_code')).upper()] = cve
    findings, subjects, notes, reboot, problems = [], [], [], [], {}
    for item in data if isinstance(data, list) else [data]:
        if not isinstance(item, dict):
            raise AnsibleFilterError('gate_evaluate(kind=cyberwatch) expects server details or {subject, server} '
                                     'records, got %r' % (_cut(item),))
        server = item.get('server') if 'server' in item or 'subject' in item else item
        if detail_of is not None and server is not item and isinstance(server, dict):
            server = detail_of.get(to_text(server.get('id')), {'id': server.get('id')})
        subject = to_text(item.get('subject') or (server or {}).get('hostname') or 'unknown host')
        subjects.append(subject)
        if item.get('problem'):
            problems.setdefault(subject, []).append(to_text(item['problem']))
            continue
        if not server:
            names = item.get('names') or [subject]
            _unknown(subject, 'no Cyberwatch server matches %s' % ' or '.join(to_text(n) for n in names),
                     fail_unknown, notes, problems)
            continue
        if not isinstance(server, dict):
            raise AnsibleFilterError('gate_evaluate(kind=cyberwatch): the server of %s is not a server detail'
                                     % subject)
        problem = _cve_data_problem(server)
        if problem:
            problems.setdefault(subject, []).append(problem)
            continue
        if server.get('reboot_required'):
            reboot.append(subject)
        for entry in server['cve_announcements']:
            if entry.get('ignored') or entry.get('fixed_at'):
                continue
            code = to_text(entry.get('cve_code')).upper()
            cve = by_code.get(code, {})
            exploitable = cve.get('exploitable', entry.get('exploitable', False))
            findings.append(_finding(subject, code, _canonical_severity('cyberwatch', cve.get('level',
                                                                                              entry.get('level'))),
                                     code, exploitable=exploitable, help_text=cve.get('content'),
                                     help_uri='https://nvd.nist.gov/vuln/detail/%s' % code if code.startswith('CVE-')
                                     else None, score=cve.get('score', entry.get('score'))))
    return findings, subjects, notes, reboot, problems


def _generic(data, kind='generic'):
    findings, subjects = [], []
    for item in data or []:
        if not isinstance(item, dict):
            raise AnsibleFilterError('gate_evaluate(kind=%s) expects a list of findings, got %r' % (kind, _cut(item)))
        subject = item.get('subject') or 'all'
        if subject not in subjects:
            subjects.append(subject)
        findings.append(_finding(subject, item.get('id'), _canonical_severity(kind, item.get('severity')),
                                 item.get('title'), item.get('exploitable'), item.get('false_positive'),
                                 tuple(item.get('keys') or ()), rule=item.get('rule'), help_text=item.get('help'),
                                 help_uri=item.get('help_uri'), score=item.get('score')))
    return findings, subjects, [], [], {}


def _coverage(data):
    """A coverage_reconcile result: every host and platform record is a subject (a covered host has no finding), each
    other category a generic finding whose severity is the category."""
    if not isinstance(data, dict) or not isinstance(data.get('subjects'), list) or 'findings' not in data:
        raise AnsibleFilterError('gate_evaluate(kind=coverage) expects the result of coverage_reconcile, got %r'
                                 % (_cut(data),))
    findings = _generic(data['findings'], 'coverage')[0]
    return findings, [to_text(subject) for subject in data['subjects']], list(data.get('notes') or []), [], {}


# --- thresholds ---------------------------------------------------------------------------------------------------

def _thresholds(kind, thresholds):
    result = {}
    for key, value in (thresholds or {}).items():
        if key in EXTRA_THRESHOLDS:
            name = key
        else:
            name = _canonical_severity(kind, key)
            if name not in SEVERITIES[kind]:
                raise AnsibleFilterError('unknown threshold %r; accepted: %s' % (
                    key, ', '.join(SEVERITIES[kind] + list(EXTRA_THRESHOLDS))))
        if name == 'reboot_required':
            result[name] = bool(value) if value is not None else None
        elif value is None:
            result[name] = None
        else:
            try:
                result[name] = int(value)
            except (TypeError, ValueError):
                raise AnsibleFilterError('threshold %s must be a number of findings or null, got %r' % (key, value))
            if result[name] < 0:
                raise AnsibleFilterError('threshold %s must not be negative' % key)
    return result


def _counts(kind, findings):
    counts = dict((name, 0) for name in SEVERITIES[kind])
    for finding in findings:
        counts[finding['severity']] = counts.get(finding['severity'], 0) + 1
    counts['exploitable'] = sum(1 for f in findings if f['exploitable'])
    counts['total'] = len(findings)
    return counts


def _by_subject(findings):
    """{subject: its findings, in order}: one pass, not one scan of every finding per subject."""
    grouped = {}
    for finding in findings:
        grouped.setdefault(finding['subject'], []).append(finding)
    return grouped


def _violations(thresholds, counts, reboot_required):
    violations = []
    for name, limit in thresholds.items():
        if name == 'reboot_required':
            if limit is False and reboot_required:
                violations.append('a reboot is pending')
        elif limit is not None and counts.get(name, 0) > limit:
            violations.append('%d %s (at most %d allowed)' % (counts[name], name, limit))
    return violations


def gate_evaluate(data, thresholds=None, allow_list=None, kind='generic', scope='subject', catalogue=None,
                  today=None, name=None, fail_unknown=True, details=None):
    """Evaluate findings against thresholds and an allow-list; see gate_evaluate.yml."""
    if kind not in SEVERITIES:
        raise AnsibleFilterError('kind must be one of %s, got %r' % (', '.join(sorted(SEVERITIES)), kind))
    if scope not in ('subject', 'target', 'host', 'total'):
        raise AnsibleFilterError("scope must be 'subject' (or 'target', 'host') or 'total', got %r" % (scope,))
    scope = 'total' if scope == 'total' else 'subject'
    today = _date(today, 'today') if today else datetime.date.today()
    limits = _thresholds(kind, thresholds)
    entries = _allow_list(allow_list, today)
    if kind == 'cystack':
        findings, subjects, notes, reboot, problems = _cystack(data, fail_unknown)
    elif kind == 'cyberwatch':
        findings, subjects, notes, reboot, problems = _cyberwatch(data, catalogue, fail_unknown, details)
    elif kind == 'coverage':
        findings, subjects, notes, reboot, problems = _coverage(data)
    else:
        findings, subjects, notes, reboot, problems = _generic(data)

    open_findings, suppressed, false_positives, expired_hits = [], [], [], []
    for finding in findings:
        if finding['false_positive']:
            false_positives.append(finding)
            continue
        entry = _allowance_for(finding, entries)
        if entry is not None:
            entry['matched'] += 1
        if entry is not None and not entry['expired']:
            suppressed.append(dict(finding, allowed_by={k: entry[k] for k in ('match', 'justification', 'expires')}))
            continue
        if entry is not None:
            expired_hits.append(finding)
        open_findings.append(finding)

    per_subject, by_subject = {}, _by_subject(open_findings)
    for subject in subjects:
        counts = _counts(kind, by_subject.get(subject, []))
        # No evidence (unknown, ambiguous, no CVE data) fails the subject whatever the scope.
        per_subject[subject] = {'counts': counts, 'reboot_required': subject in reboot,
                                'violations': problems.get(subject, []) + (
                                    _violations(limits, counts, subject in reboot) if scope == 'subject' else []),
                                'problems': problems.get(subject, [])}
        per_subject[subject]['passed'] = not per_subject[subject]['violations']
    totals = _counts(kind, open_findings)
    total_violations = _violations(limits, totals, bool(reboot)) if scope == 'total' else []
    failed = sorted(s for s, r in per_subject.items() if not r['passed'])
    passed = not total_violations and not failed
    title = name or TITLES[kind][0]
    expired = [{k: e[k] for k in ('match', 'justification', 'expires', 'subjects', 'matched')}
               for e in entries if e['expired']]
    unused = [{k: e[k] for k in ('match', 'justification', 'expires', 'subjects')}
              for e in entries if not e['expired'] and not e['matched']]
    message = '%s %s: %s' % (title, 'passed' if passed else 'FAILED', '; '.join(
        (['total: ' + ', '.join(total_violations)] if total_violations else [])
        + ['%s: %s' % (s, ', '.join(per_subject[s]['violations'])) for s in failed])
        or '%d open finding(s) within the thresholds' % len(open_findings))
    if expired:
        message += ' (%d expired allow-list %s no longer suppress%s: %s)' % (
            len(expired), 'entry' if len(expired) == 1 else 'entries', 'es' if len(expired) == 1 else '',
            ', '.join(e['match'] for e in expired))
    return untrusted({
        'name': title, 'kind': kind, 'scope': scope, 'passed': passed, 'message': message,
        'evaluated_on': today.isoformat(), 'thresholds': limits, 'counts': totals, 'violations': total_violations,
        'subjects': per_subject, 'failed_subjects': failed, 'findings': open_findings, 'suppressed': suppressed,
        'false_positives': len(false_positives), 'expired_allowances': expired, 'unused_allowances': unused,
        'reboot_required': reboot, 'notes': notes,
    })


# --- rendering ----------------------------------------------------------------------------------------------------

# Longest value a report carries (a title, a description, a host name): longer ones are cut, saying how much was cut.
MAX_TEXT = 4096
# What XML 1.0 cannot carry, the other control characters (tab and newline stay), the Unicode line separators and the
# bidirectional overrides that make a report show other text than it holds.
UNPRINTABLE = re.compile('[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff\ufffe\uffff]')
# Markdown punctuation that would open a link, an image, code, emphasis, a heading or a table cell.
MARKDOWN_PUNCTUATION = re.compile(r'([\\`*_\[\]|~#])')


def _cut(value, limit=MAX_TEXT):
    text = to_text(value)
    if len(text) > limit:
        return '%s... [%d characters cut]' % (text[:limit], len(text) - limit)
    return text


def _plain(value, limit=MAX_TEXT):
    """value as text any report format can carry: control characters replaced by U+FFFD, at most limit characters."""
    return UNPRINTABLE.sub('\ufffd', _cut(value, limit))


def _md(value):
    """One line of Markdown text that renders as the literal value: no HTML, link, code span or table cell break."""
    text = _plain(value).replace('\t', ' ').replace('\n', ' ')
    return html.escape(MARKDOWN_PUNCTUATION.sub(r'\\\1', text), quote=False)


def _table(header, rows, total=None):
    """A Markdown table; total: a last row whose first cell is the collection's own (bold) label."""
    lines = ['| %s |' % ' | '.join(header), '|%s|' % '|'.join('---' for dummy in header)]
    lines += ['| %s |' % ' | '.join(_md(c) for c in row) for row in rows]
    if total:
        lines.append('| %s |' % ' | '.join([total[0]] + [_md(c) for c in total[1:]]))
    return lines


def _summary(summary, name):
    if not isinstance(summary, dict) or 'subjects' not in summary or 'findings' not in summary:
        raise AnsibleFilterError('%s expects the result of gate_evaluate' % name)
    return summary


def _threshold_text(summary):
    rules = ['%s <= %s' % (k, v) for k, v in summary['thresholds'].items() if v is not None and k != 'reboot_required']
    if summary['thresholds'].get('reboot_required') is False:
        rules.append('no pending reboot')
    return ', '.join(rules) or 'none'


def gate_report(summary, max_findings=50):
    """Markdown rendering of a gate_evaluate summary; see gate_report.yml."""
    summary = _summary(summary, 'gate_report')
    kind = summary.get('kind', 'generic')
    severities = [s for s in SEVERITIES.get(kind, SEVERITIES['generic'])
                  if s != 'unknown' or summary['counts'].get('unknown')]
    out = ['# %s: %s' % (_md(summary['name']), 'PASSED' if summary['passed'] else 'FAILED'), '']
    out.append('Evaluated on %s, %s. Thresholds (%s): %s. False positives excluded: %d.' % (
        summary['evaluated_on'], 'per %s' % TITLES.get(kind, TITLES['generic'])[1].lower()
        if summary['scope'] == 'subject' else 'over all %ss' % TITLES.get(kind, TITLES['generic'])[1].lower(),
        'open findings', _threshold_text(summary), summary['false_positives']))
    out += ['', _md(summary['message']), '']
    rows = [[s] + [r['counts'].get(sev, 0) for sev in severities] + [r['counts']['exploitable']]
            + (['yes' if r['reboot_required'] else 'no'] if kind == 'cyberwatch' else [])
            + ['pass' if r['passed'] else 'FAIL: ' + ', '.join(r['violations'])]
            for s, r in sorted(summary['subjects'].items())]
    total = (['**total**'] + [summary['counts'].get(sev, 0) for sev in severities]
             + [summary['counts']['exploitable']] + ([len(summary['reboot_required'])] if kind == 'cyberwatch' else [])
             + ['FAIL: ' + ', '.join(summary['violations']) if summary['violations'] else ''])
    out += _table([TITLES.get(kind, TITLES['generic'])[1]] + severities + ['exploitable']
                  + (['reboot'] if kind == 'cyberwatch' else []) + ['result'], rows, total)
    order = dict((sev, i) for i, sev in enumerate(SEVERITIES.get(kind, SEVERITIES['generic'])))
    findings = sorted(summary['findings'], key=lambda f: (order.get(f['severity'], 99), f['subject'], f['title']))
    out += ['', '## Open findings (%d)' % len(findings)]
    if findings:
        rows = [[f['severity'], f['subject'], f['title'], f['id'], 'yes' if f['exploitable'] else '']
                for f in findings[:max_findings]]
        out += [''] + _table(['severity', TITLES.get(kind, TITLES['generic'])[1].lower(), 'finding', 'id',
                              'exploitable'], rows)
        if len(findings) > max_findings:
            out.append('\n... and %d more in the JSON summary.' % (len(findings) - max_findings))
    out += ['', '## Suppressed by the allow-list (%d)' % len(summary['suppressed'])]
    if summary['suppressed']:
        rows = [[f['title'], f['subject'], f['allowed_by']['justification'], f['allowed_by']['expires']]
                for f in summary['suppressed']]
        out += [''] + _table(['finding', 'subject', 'justification', 'expires'], rows)
    if summary['expired_allowances']:
        out += ['', '## Expired allow-list entries (%d): they no longer suppress anything' %
                len(summary['expired_allowances']), '']
        out += _table(['match', 'justification', 'expired', 'findings now open'],
                      [[e['match'], e['justification'], e['expires'], e['matched']]
                       for e in summary['expired_allowances']])
    if summary['unused_allowances']:
        out += ['', '## Allow-list entries that matched nothing (%d)' % len(summary['unused_allowances']), '']
        out += ['- %s (expires %s): %s' % (_md(e['match']), _md(e['expires']), _md(e['justification']))
                for e in summary['unused_allowances']]
    if summary['notes']:
        out += ['', '## Notes', ''] + ['- %s' % _md(n) for n in summary['notes']]
    return untrusted('\n'.join(out) + '\n')


# --- SARIF 2.1.0 and JUnit XML ------------------------------------------------------------------------------------

SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json'
TOOL_URI = 'https://github.com/secops/vulnmgmt'
URI_CHARACTERS = ":/?#@!$&'()*+,;=%-._~"   # RFC 3986 reserved and unreserved punctuation
SARIF_LEVELS = {'critical': 'error', 'high': 'error', 'medium': 'warning', 'low': 'note', 'info': 'note',
                'information': 'note', 'unknown': 'warning'}
# GitHub code scanning sorts and labels results by this CVSS-like number when the rule has no score of its own.
SECURITY_SEVERITY = {'critical': 9.5, 'high': 8.0, 'medium': 5.5, 'low': 3.0, 'info': 0.0, 'information': 0.0,
                     'unknown': 5.0}


def _slug(text):
    return ''.join(c if c.isascii() and c.isalnum() else '-' for c in _cut(text, 200).lower()).strip('-') or 'gate'


def _location(subject):
    """A target URL stays a URL (percent-encoded where it holds what a URI cannot); a host name becomes a relative
    reference (SARIF needs a URI)."""
    subject = _plain(subject)
    uri = quote(subject, safe=URI_CHARACTERS) if '://' in subject else quote(subject, safe='')
    return {'physicalLocation': {'artifactLocation': {'uri': uri}},
            'logicalLocations': [{'name': subject, 'fullyQualifiedName': subject, 'kind': 'resource'}]}


def _fingerprints(kind, findings):
    """A hash of what identifies a finding across scans (never a scan-local id): kind, subject, rule and title; a
    counter tells identical ones apart."""
    seen, prints = {}, []
    for finding in findings:
        key = '\x1f'.join((kind, finding['subject'].lower(), finding.get('rule') or finding['id'], finding['title']))
        seen[key] = seen.get(key, 0) + 1
        prints.append(hashlib.sha256(('%s\x1f%d' % (key, seen[key])).encode('utf-8', 'surrogatepass')).hexdigest())
    return prints


def gate_sarif(summary, tool_version=None):
    """A SARIF 2.1.0 log of a gate_evaluate summary; see gate_sarif.yml."""
    summary = _summary(summary, 'gate_sarif')
    kind = summary.get('kind', 'generic')
    entries = [(f, None) for f in summary['findings']] + [(f, f.get('allowed_by') or {}) for f in summary['suppressed']]
    entries.sort(key=lambda e: (e[0]['subject'], e[0].get('rule') or e[0]['id'], e[0]['title'], e[0]['id']))
    rules, results = [], []
    index = {}
    for (finding, allowed), fingerprint in zip(entries, _fingerprints(kind, [e[0] for e in entries])):
        rule_id = _plain(finding.get('rule') or finding['id'], 255)
        severity = to_text(finding['severity']).lower()
        if rule_id not in index:
            index[rule_id] = len(rules)
            score = finding.get('score')
            rule = {'id': rule_id, 'name': _slug(rule_id),
                    'shortDescription': {'text': _plain(finding['title'])},
                    'fullDescription': {'text': _plain(finding.get('help') or finding['title'])},
                    'help': {'text': _plain(finding.get('help') or finding['title'])},
                    'defaultConfiguration': {'level': SARIF_LEVELS.get(severity, 'warning')},
                    'properties': {'tags': ['security', 'vulnerability', kind],
                                   'security-severity': '%.1f' % (score if score is not None
                                                                  else SECURITY_SEVERITY.get(severity, 5.0))}}
            if finding.get('help_uri'):
                rule['helpUri'] = quote(_plain(finding['help_uri']), safe=URI_CHARACTERS)
            rules.append(rule)
        result = {'ruleId': rule_id, 'ruleIndex': index[rule_id], 'level': SARIF_LEVELS.get(severity, 'warning'),
                  'message': {'text': _plain('%s on %s (%s%s)' % (
                      finding['title'], finding['subject'], finding['severity'],
                      ', exploitable' if finding['exploitable'] else ''))},
                  'locations': [_location(finding['subject'])],
                  'partialFingerprints': {'vulnmgmtFinding/v1': fingerprint},
                  'properties': {'severity': _plain(finding['severity']), 'findingId': _plain(finding['id']),
                                 'exploitable': finding['exploitable']}}
        if allowed is not None:
            result['suppressions'] = [{'kind': 'external', 'status': 'accepted',
                                       'justification': _plain(allowed.get('justification', '')),
                                       'properties': {'match': _plain(allowed.get('match')),
                                                      'expires': _plain(allowed.get('expires'))}}]
        results.append(result)
    gate = _plain(summary['name'])
    driver = {'name': 'secops.vulnmgmt', 'fullName': 'secops.vulnmgmt %s' % gate,
              'informationUri': TOOL_URI, 'rules': rules, 'properties': {'gate': gate}}
    if tool_version:
        driver['version'] = _plain(tool_version, 255)
    invocation = {'executionSuccessful': True,
                  'properties': {'passed': summary['passed'], 'message': _plain(summary['message']),
                                 'failedSubjects': [_plain(s) for s in summary['failed_subjects']]}}
    # A subject without evidence (unknown, ambiguous, no CVE data) has no result: it is an error notification.
    notifications = [{'level': 'error', 'message': {'text': _plain('%s: %s' % (subject, problem))},
                      'locations': [_location(subject)]}
                     for subject, result in sorted(summary['subjects'].items()) for problem in result.get('problems', [])]
    if notifications:
        invocation['toolExecutionNotifications'] = notifications
    run = {'tool': {'driver': driver},
           'automationDetails': {'id': '%s/%s' % (_slug(summary['name']), _slug(summary['evaluated_on']))},
           'invocations': [invocation],
           'results': results,
           'properties': {'gate': gate, 'passed': summary['passed'], 'counts': summary['counts']}}
    return untrusted({'$schema': SARIF_SCHEMA, 'version': '2.1.0', 'runs': [run]})


def gate_junit(summary):
    """JUnit XML of a gate_evaluate summary: one testsuite, one testcase per subject; see gate_junit.yml. ElementTree
    escapes the markup; _plain strips what XML 1.0 cannot carry and cuts huge values."""
    summary = _summary(summary, 'gate_junit')
    kind = summary.get('kind', 'generic')
    label = TITLES.get(kind, TITLES['generic'])[1].lower()
    classname = 'secops.vulnmgmt.%s' % _slug(summary['name']).replace('-', '_')
    cases, by_subject = [], _by_subject(summary['findings'])
    for subject in sorted(summary['subjects']):
        result = summary['subjects'][subject]
        cases.append((subject, result['violations'], result.get('problems', []), by_subject.get(subject, []),
                      result['counts']))
    if summary['scope'] == 'total':
        cases.append(('all %ss (total)' % label, summary['violations'], [], summary['findings'], summary['counts']))
    failures = str(sum(1 for case in cases if case[1]))
    suites = ElementTree.Element('testsuites', name='secops.vulnmgmt', tests=str(len(cases)), failures=failures,
                                 errors='0')
    suite = ElementTree.SubElement(suites, 'testsuite', name=_plain(summary['name']), tests=str(len(cases)),
                                   failures=failures, errors='0', skipped='0',
                                   timestamp='%sT00:00:00' % _plain(summary['evaluated_on'], 10))
    props = ElementTree.SubElement(suite, 'properties')
    for name, value in (('thresholds', _threshold_text(summary)), ('scope', summary['scope']),
                        ('passed', str(summary['passed']).lower())):
        ElementTree.SubElement(props, 'property', name=name, value=_plain(value))
    for subject, violations, problems, findings, counts in cases:
        case = ElementTree.SubElement(suite, 'testcase', classname=classname, name=_plain(subject))
        lines = ['%s: %s' % (f['severity'], f['title']) + (' (exploitable)' if f['exploitable'] else '')
                 for f in findings]
        if violations:
            failure = ElementTree.SubElement(case, 'failure', type='no evidence' if problems else 'threshold exceeded',
                                             message=_plain('%s: %s' % (subject, ', '.join(violations))))
            text = '\n'.join(['Failed:'] + ['- %s' % v for v in violations] + ['', 'Open findings (%d):' % len(findings)]
                             + ['- %s' % _cut(line) for line in lines])
            failure.text = _plain(text, MAX_TEXT * 16)
        out = ElementTree.SubElement(case, 'system-out')
        out.text = '%s open finding(s): %s' % (counts.get('total', len(findings)), ', '.join(
            '%s %s' % (counts[k], k) for k in SEVERITIES.get(kind, SEVERITIES['generic']) if counts.get(k)) or 'none')
    xml = to_text(ElementTree.tostring(suites, encoding='unicode'))
    return untrusted('<?xml version="1.0" encoding="UTF-8"?>\n%s\n' % xml)


def cyberwatch_server_index(servers):
    """{field: {name: servers with that name}} for the hostname and the addresses, names without case, servers in
    listing order; see cyberwatch_server_index.yml. The rules are plugin_utils/matching.py's."""
    return untrusted(index(servers, SERVER_FIELDS))


def cyberwatch_server_match(servers, names):
    """The Cyberwatch server of a host, or why there is none (ambiguous); see cyberwatch_server_match.yml. servers:
    a listing, or its cyberwatch_server_index (a play matching many hosts indexes the listing once). The rules are
    plugin_utils/matching.py's, shared with coverage_reconcile."""
    return untrusted(server_match(servers, names))


def cyberwatch_server_matches(servers, names_by_subject):
    """[the match of each subject, with its subject and names] in the order of names_by_subject ({subject: names}):
    a play's hosts matched in one task; see cyberwatch_server_matches.yml."""
    if not isinstance(names_by_subject, Mapping):
        raise AnsibleFilterError('cyberwatch_server_matches: expected a mapping of subject to names, got %s'
                                 % type(names_by_subject).__name__)
    return untrusted(server_matches(servers, names_by_subject))


class FilterModule(object):
    """Gate filters."""

    def filters(self):
        return {'gate_evaluate': gate_evaluate, 'gate_report': gate_report, 'gate_sarif': gate_sarif,
                'gate_junit': gate_junit, 'cyberwatch_server_match': cyberwatch_server_match,
                'cyberwatch_server_matches': cyberwatch_server_matches, 'cyberwatch_server_index': cyberwatch_server_index}
