# -*- coding: utf-8 -*-
# Copyright: secops.vulnmgmt contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Vulnerability gate logic of the gate roles: normalise findings, apply an allow-list with expiry, evaluate
thresholds, render a summary (Markdown, SARIF 2.1.0, JUnit XML). Pure Python, no I/O: `gate_evaluate`, `gate_report`,
`gate_sarif` and `gate_junit` (docs in the .yml files)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import datetime
import hashlib
from urllib.parse import quote
from xml.etree import ElementTree

from ansible.errors import AnsibleFilterError
from ansible.module_utils.common.text.converters import to_text

from ansible_collections.secops.vulnmgmt.plugins.module_utils.cystack import SEVERITIES as CYSTACK_SEVERITIES

SEVERITIES = {
    'cystack': list(CYSTACK_SEVERITIES),
    'cyberwatch': ['critical', 'high', 'medium', 'low', 'unknown'],
    'generic': ['critical', 'high', 'medium', 'low', 'info', 'unknown'],
}
TITLES = {'cystack': ('CyStack scan gate', 'Target'), 'cyberwatch': ('Cyberwatch CVE gate', 'Host'),
          'generic': ('Vulnerability gate', 'Subject')}
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


def _canonical_severity(kind, value):
    value = to_text(value or 'unknown')
    if value.startswith('level_'):
        value = value[len('level_'):]
    for name in SEVERITIES[kind]:
        if name.lower() == value.lower():
            return name
    return 'unknown' if 'unknown' in SEVERITIES[kind] else value


def _cystack(data):
    """cystack_scan results (one, or a loop's `results`), or bare vulnerability lists."""
    results = data if isinstance(data, list) else [data]
    findings, subjects, notes = [], [], []
    for result in results:
        if not isinstance(result, dict):
            raise AnsibleFilterError('gate_evaluate(kind=cystack) expects cystack_scan results or vulnerabilities, '
                                     'got %r' % (result,))
        if 'severity' in result:                                # a bare vulnerability
            vulns, subject = [result], result.get('target') or 'unknown target'
        else:
            scan = result.get('scan') or {}
            target = scan.get('target') or {}
            subject = target.get('address') or result.get('item') or target.get('id') or 'unknown target'
            vulns = result.get('vulnerabilities')
            if vulns is None:
                raise AnsibleFilterError('the cystack_scan result for %s has no vulnerabilities: run it with wait=true'
                                         % subject)
            notes.append('%s: scan %s (%s)' % (subject, scan.get('id'), scan.get('status')))
        if subject not in subjects:
            subjects.append(subject)
        for vuln in vulns:
            references = [r.get('url') for r in vuln.get('references') or [] if isinstance(r, dict) and r.get('url')]
            help_text = '\n\n'.join(to_text(vuln[key]) for key in ('description', 'solution') if vuln.get(key))
            findings.append(_finding(vuln.get('target') if isinstance(vuln.get('target'), str) else subject,
                                     vuln.get('id'), _canonical_severity('cystack', vuln.get('severity')),
                                     vuln.get('name'), false_positive=vuln.get('false_positive'),
                                     rule=vuln.get('plugin_name') or vuln.get('name'), help_text=help_text,
                                     help_uri=references[0] if references else None))
    return findings, subjects, notes, []


def _cyberwatch(data, catalogue):
    """Cyberwatch server details (with `cve_announcements`), matched to the CVE catalogue for level/exploitability.

    Items may be bare server details or {"subject": <inventory host>, "server": <detail or null>}."""
    by_code = {}
    for cve in catalogue or []:
        by_code[to_text(cve.get('cve_code')).upper()] = cve
    findings, subjects, notes, reboot = [], [], [], []
    for item in data if isinstance(data, list) else [data]:
        server = item.get('server', item) if 'server' in item or 'subject' in item else item
        subject = item.get('subject') or (server or {}).get('hostname') or 'unknown host'
        subjects.append(subject)
        if not server:
            notes.append('%s: no matching Cyberwatch server' % subject)
            continue
        if server.get('reboot_required'):
            reboot.append(subject)
        for entry in server.get('cve_announcements') or []:
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
    return findings, subjects, notes, reboot


def _generic(data):
    findings, subjects = [], []
    for item in data or []:
        subject = item.get('subject') or 'all'
        if subject not in subjects:
            subjects.append(subject)
        findings.append(_finding(subject, item.get('id'), _canonical_severity('generic', item.get('severity')),
                                 item.get('title'), item.get('exploitable'), item.get('false_positive'),
                                 tuple(item.get('keys') or ()), rule=item.get('rule'), help_text=item.get('help'),
                                 help_uri=item.get('help_uri'), score=item.get('score')))
    return findings, subjects, [], []


# --- allow-list ---------------------------------------------------------------------------------------------------

def _date(value, where):
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.datetime.strptime(to_text(value).strip(), '%Y-%m-%d').date()
    except ValueError:
        raise AnsibleFilterError('%s: %r is not a date in YYYY-MM-DD form' % (where, value))


def _allow_list(entries, today):
    parsed = []
    for index, entry in enumerate(entries or []):
        where = 'allow-list entry %d' % (index + 1)
        if not isinstance(entry, dict):
            raise AnsibleFilterError('%s must be a dictionary with match, justification and expires' % where)
        missing = [key for key in ('match', 'justification', 'expires') if not entry.get(key)]
        unknown = sorted(set(entry) - {'match', 'justification', 'expires', 'subjects'})
        if missing or unknown:
            raise AnsibleFilterError('%s (%s): %s' % (where, entry.get('match', '?'), '; '.join(
                (['missing %s' % ', '.join(missing)] if missing else [])
                + (['unknown key(s) %s; accepted: match, justification, expires, subjects' % ', '.join(unknown)]
                   if unknown else []))))
        subjects = entry.get('subjects') or []
        if isinstance(subjects, str):
            subjects = [subjects]
        expires = _date(entry['expires'], where)
        parsed.append({'match': to_text(entry['match']), 'justification': to_text(entry['justification']),
                       'expires': expires.isoformat(), 'subjects': [to_text(s) for s in subjects],
                       'expired': expires < today, 'matched': 0})
    return parsed


def _allowance_for(finding, allow_list):
    for entry in allow_list:
        if entry['match'].lower() in finding['keys'] and (
                not entry['subjects'] or finding['subject'].lower() in [s.lower() for s in entry['subjects']]):
            return entry
    return None


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
                  today=None, name=None):
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
        findings, subjects, notes, reboot = _cystack(data)
    elif kind == 'cyberwatch':
        findings, subjects, notes, reboot = _cyberwatch(data, catalogue)
    else:
        findings, subjects, notes, reboot = _generic(data)

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
        per_subject[subject] = {'counts': counts, 'reboot_required': subject in reboot,
                                'violations': _violations(limits, counts, subject in reboot) if scope == 'subject'
                                else []}
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
    return {
        'name': title, 'kind': kind, 'scope': scope, 'passed': passed, 'message': message,
        'evaluated_on': today.isoformat(), 'thresholds': limits, 'counts': totals, 'violations': total_violations,
        'subjects': per_subject, 'failed_subjects': failed, 'findings': open_findings, 'suppressed': suppressed,
        'false_positives': len(false_positives), 'expired_allowances': expired, 'unused_allowances': unused,
        'reboot_required': reboot, 'notes': notes,
    }


# --- rendering ----------------------------------------------------------------------------------------------------

def _cell(value):
    return to_text(value).replace('|', '\\|').replace('\n', ' ')


def _table(header, rows):
    lines = ['| %s |' % ' | '.join(header), '|%s|' % '|'.join('---' for dummy in header)]
    lines += ['| %s |' % ' | '.join(_cell(c) for c in row) for row in rows]
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
    out = ['# %s: %s' % (summary['name'], 'PASSED' if summary['passed'] else 'FAILED'), '']
    out.append('Evaluated on %s, %s. Thresholds (%s): %s. False positives excluded: %d.' % (
        summary['evaluated_on'], 'per %s' % TITLES.get(kind, TITLES['generic'])[1].lower()
        if summary['scope'] == 'subject' else 'over all %ss' % TITLES.get(kind, TITLES['generic'])[1].lower(),
        'open findings', _threshold_text(summary), summary['false_positives']))
    out += ['', summary['message'], '']
    rows = [[s] + [r['counts'].get(sev, 0) for sev in severities] + [r['counts']['exploitable']]
            + (['yes' if r['reboot_required'] else 'no'] if kind == 'cyberwatch' else [])
            + ['pass' if r['passed'] else 'FAIL: ' + ', '.join(r['violations'])]
            for s, r in sorted(summary['subjects'].items())]
    rows.append(['**total**'] + [summary['counts'].get(sev, 0) for sev in severities]
                + [summary['counts']['exploitable']] + ([len(summary['reboot_required'])] if kind == 'cyberwatch'
                                                        else [])
                + ['FAIL: ' + ', '.join(summary['violations']) if summary['violations'] else ''])
    out += _table([TITLES.get(kind, TITLES['generic'])[1]] + severities + ['exploitable']
                  + (['reboot'] if kind == 'cyberwatch' else []) + ['result'], rows)
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
        out += ['- %s (expires %s): %s' % (e['match'], e['expires'], e['justification'])
                for e in summary['unused_allowances']]
    if summary['notes']:
        out += ['', '## Notes', ''] + ['- %s' % n for n in summary['notes']]
    return '\n'.join(out) + '\n'


# --- SARIF 2.1.0 and JUnit XML ------------------------------------------------------------------------------------

SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json'
TOOL_URI = 'https://github.com/secops/vulnmgmt'
SARIF_LEVELS = {'critical': 'error', 'high': 'error', 'medium': 'warning', 'low': 'note', 'info': 'note',
                'information': 'note', 'unknown': 'warning'}
# GitHub code scanning sorts and labels results by this CVSS-like number when the rule has no score of its own.
SECURITY_SEVERITY = {'critical': 9.5, 'high': 8.0, 'medium': 5.5, 'low': 3.0, 'info': 0.0, 'information': 0.0,
                     'unknown': 5.0}


def _slug(text):
    return ''.join(c if c.isalnum() else '-' for c in to_text(text).lower()).strip('-') or 'gate'


def _location(subject):
    """A target URL stays a URL; a host name becomes a relative reference (SARIF needs a URI)."""
    subject = to_text(subject)
    uri = subject if '://' in subject else quote(subject, safe='')
    return {'physicalLocation': {'artifactLocation': {'uri': uri}},
            'logicalLocations': [{'name': subject, 'fullyQualifiedName': subject, 'kind': 'resource'}]}


def _fingerprints(kind, findings):
    """A hash of what identifies a finding across scans (never a scan-local id): kind, subject, rule and title; a
    counter tells identical ones apart."""
    seen, prints = {}, []
    for finding in findings:
        key = '\x1f'.join((kind, finding['subject'].lower(), finding.get('rule') or finding['id'], finding['title']))
        seen[key] = seen.get(key, 0) + 1
        prints.append(hashlib.sha256(('%s\x1f%d' % (key, seen[key])).encode('utf-8')).hexdigest())
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
        rule_id = finding.get('rule') or finding['id']
        severity = to_text(finding['severity']).lower()
        if rule_id not in index:
            index[rule_id] = len(rules)
            score = finding.get('score')
            rule = {'id': rule_id, 'name': _slug(rule_id),
                    'shortDescription': {'text': finding['title']},
                    'fullDescription': {'text': finding.get('help') or finding['title']},
                    'help': {'text': finding.get('help') or finding['title']},
                    'defaultConfiguration': {'level': SARIF_LEVELS.get(severity, 'warning')},
                    'properties': {'tags': ['security', 'vulnerability', kind],
                                   'security-severity': '%.1f' % (score if score is not None
                                                                  else SECURITY_SEVERITY.get(severity, 5.0))}}
            if finding.get('help_uri'):
                rule['helpUri'] = finding['help_uri']
            rules.append(rule)
        result = {'ruleId': rule_id, 'ruleIndex': index[rule_id], 'level': SARIF_LEVELS.get(severity, 'warning'),
                  'message': {'text': '%s on %s (%s%s)' % (finding['title'], finding['subject'], finding['severity'],
                                                           ', exploitable' if finding['exploitable'] else '')},
                  'locations': [_location(finding['subject'])],
                  'partialFingerprints': {'vulnmgmtFinding/v1': fingerprint},
                  'properties': {'severity': finding['severity'], 'findingId': finding['id'],
                                 'exploitable': finding['exploitable']}}
        if allowed is not None:
            result['suppressions'] = [{'kind': 'external', 'status': 'accepted',
                                       'justification': to_text(allowed.get('justification', '')),
                                       'properties': {'match': allowed.get('match'),
                                                      'expires': allowed.get('expires')}}]
        results.append(result)
    driver = {'name': 'secops.vulnmgmt', 'fullName': 'secops.vulnmgmt %s' % summary['name'],
              'informationUri': TOOL_URI, 'rules': rules, 'properties': {'gate': summary['name']}}
    if tool_version:
        driver['version'] = to_text(tool_version)
    run = {'tool': {'driver': driver},
           'automationDetails': {'id': '%s/%s' % (_slug(summary['name']), summary['evaluated_on'])},
           'invocations': [{'executionSuccessful': True,
                            'properties': {'passed': summary['passed'], 'message': summary['message'],
                                           'failedSubjects': summary['failed_subjects']}}],
           'results': results,
           'properties': {'gate': summary['name'], 'passed': summary['passed'], 'counts': summary['counts']}}
    return {'$schema': SARIF_SCHEMA, 'version': '2.1.0', 'runs': [run]}


def gate_junit(summary):
    """JUnit XML of a gate_evaluate summary: one testsuite, one testcase per subject; see gate_junit.yml."""
    summary = _summary(summary, 'gate_junit')
    kind = summary.get('kind', 'generic')
    label = TITLES.get(kind, TITLES['generic'])[1].lower()
    classname = 'secops.vulnmgmt.%s' % _slug(summary['name']).replace('-', '_')
    cases, by_subject = [], _by_subject(summary['findings'])
    for subject in sorted(summary['subjects']):
        result = summary['subjects'][subject]
        cases.append((subject, result['violations'], by_subject.get(subject, []), result['counts']))
    if summary['scope'] == 'total':
        cases.append(('all %ss (total)' % label, summary['violations'], summary['findings'], summary['counts']))
    suites = ElementTree.Element('testsuites', name='secops.vulnmgmt', tests=str(len(cases)),
                                 failures=str(sum(1 for case in cases if case[1])), errors='0')
    suite = ElementTree.SubElement(suites, 'testsuite', name=summary['name'], tests=str(len(cases)),
                                   failures=str(sum(1 for case in cases if case[1])), errors='0', skipped='0',
                                   timestamp='%sT00:00:00' % summary['evaluated_on'])
    props = ElementTree.SubElement(suite, 'properties')
    for name, value in (('thresholds', _threshold_text(summary)), ('scope', summary['scope']),
                        ('passed', str(summary['passed']).lower())):
        ElementTree.SubElement(props, 'property', name=name, value=value)
    for subject, violations, findings, counts in cases:
        case = ElementTree.SubElement(suite, 'testcase', classname=classname, name=subject)
        lines = ['%s: %s' % (f['severity'], f['title']) + (' (exploitable)' if f['exploitable'] else '')
                 for f in findings]
        if violations:
            failure = ElementTree.SubElement(case, 'failure', type='threshold exceeded',
                                             message='%s: %s' % (subject, ', '.join(violations)))
            failure.text = '\n'.join(['Thresholds exceeded:'] + ['- %s' % v for v in violations]
                                     + ['', 'Open findings (%d):' % len(findings)] + ['- %s' % line for line in lines])
        out = ElementTree.SubElement(case, 'system-out')
        out.text = '%s open finding(s): %s' % (counts.get('total', len(findings)), ', '.join(
            '%s %s' % (counts[k], k) for k in SEVERITIES.get(kind, SEVERITIES['generic']) if counts.get(k)) or 'none')
    return '<?xml version="1.0" encoding="UTF-8"?>\n%s\n' % to_text(ElementTree.tostring(suites, encoding='unicode'))


def cyberwatch_server_match(servers, names):
    """The Cyberwatch server whose hostname or one of whose addresses is among names; see the .yml."""
    wanted = [to_text(n).strip().lower() for n in ([names] if isinstance(names, str) else names or []) if n]
    for name in wanted:     # the first name wins: the inventory hostname before ansible_host
        for server in sorted(servers or [], key=lambda item: item.get('id') or 0):
            hostname = to_text(server.get('hostname') or '').lower()
            if name == hostname or name in [to_text(a).lower() for a in server.get('addresses') or []]:
                return server
    return None


class FilterModule(object):
    """Gate filters."""

    def filters(self):
        return {'gate_evaluate': gate_evaluate, 'gate_report': gate_report, 'gate_sarif': gate_sarif,
                'gate_junit': gate_junit, 'cyberwatch_server_match': cyberwatch_server_match}
