# -*- coding: utf-8 -*-
# Copyright: secops.vulnmgmt contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Remediation logic of the role cyberwatch_remediate: which CVEs of a server to fix, with which updates
(remediation_plan), the package-module arguments of a plan (remediation_package_args), what the server shows after
the patch (remediation_verify) and a summary the gate reports render (remediation_summary). Pure Python, no I/O;
docs in the .yml files.

Scanner strings are hostile: a product name or version becomes a package argument only when it matches its
manager's grammar (plugin_utils/packages.py), and is checked again when the arguments are built; anything else is a
manual finding that says why. A malformed server detail is an error naming the field. Every result is marked
untrusted (never templated)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import datetime
import re

from ansible.errors import AnsibleFilterError
from ansible.module_utils.common.text.converters import to_text

from ansible_collections.secops.vulnmgmt.plugins.filter.gate import gate_evaluate
from ansible_collections.secops.vulnmgmt.plugins.plugin_utils import packages
from ansible_collections.secops.vulnmgmt.plugins.plugin_utils.gate_rules import (
    SEVERITIES, allowance_for, canonical_severity, parse_allow_list, parse_date,
)
from ansible_collections.secops.vulnmgmt.plugins.plugin_utils.trust import untrusted

LEVELS = SEVERITIES['cyberwatch']               # most severe first
SELECTION_KEYS = ('min_level', 'cves', 'allow_list', 'today')
METHODS = ('package', 'cyberwatch')
POLICIES = ('latest', 'target')
MODULES = {'apt': 'ansible.builtin.apt', 'dnf': 'ansible.builtin.dnf', 'zypper': 'community.general.zypper'}
# A target such as "2014-9645" next to CVE-2014-9645 (recorded on Alpine) is the CVE number, not a version.
CVE_NUMBER = re.compile(r'[0-9]{4}-[0-9]{4,}\Z')
PLAN_KEYS = ('subject', 'server_id', 'method', 'selected', 'levels', 'updates', 'packages', 'manual', 'no_update')
# What a plan decides, without its update records: what the role shows of each host's plan.
BRIEF_KEYS = ('server_id', 'method', 'selected', 'packages', 'update_ids', 'manual', 'no_update', 'allowed',
              'not_present', 'notes')
VERIFY_KEYS = ('subject', 'problem', 'targeted', 'closed', 'remaining', 'not_patchable')


def _error(where, message):
    return AnsibleFilterError('%s: %s' % (where, message))


_cut = packages.shorten


def _shown(value):
    """repr of an API or user value, cut to a readable length."""
    return _cut(repr(value))


# --- remediation_plan ----------------------------------------------------------------------------------------------

def _selection(selection):
    """(min_level or None, [requested CVE codes], today, parsed allow-list) from the selection option."""
    where = 'remediation_plan selection'
    if not isinstance(selection, dict):
        raise _error(where, 'must be a dictionary with min_level or cves, and optionally allow_list and today; got %s'
                     % type(selection).__name__)
    unknown = sorted(to_text(key) for key in selection if key not in SELECTION_KEYS)
    if unknown:
        raise _error(where, 'unknown key(s) %s; accepted: %s' % (', '.join(unknown), ', '.join(SELECTION_KEYS)))
    min_level, cves = selection.get('min_level'), selection.get('cves') or []
    if isinstance(cves, str) or not isinstance(cves, list):
        raise _error(where, 'cves must be a list of CVE codes, got %s' % (_shown(cves),))
    if min_level is not None and cves:
        raise _error(where, 'give min_level or cves, not both')
    if min_level is None and not cves:
        raise _error(where, 'needs min_level (one of %s) or a non-empty cves list' % ', '.join(LEVELS))
    if min_level is not None:
        level = canonical_severity('cyberwatch', min_level)
        if not isinstance(min_level, str) or level.lower() != to_text(min_level).lower().replace('level_', ''):
            raise _error(where, 'min_level must be one of %s, got %s' % (', '.join(LEVELS), _shown(min_level)))
        min_level = level
    requested = []
    for index, code in enumerate(cves):
        if not isinstance(code, str) or not code.strip():
            raise _error(where, 'cves[%d] must be a CVE code, got %s' % (index, _shown(code)))
        if code.strip().upper() not in requested:
            requested.append(code.strip().upper())
    today = parse_date(selection['today'], '%s today' % where) if selection.get('today') else datetime.date.today()
    return min_level, requested, today, parse_allow_list(selection.get('allow_list'), today)


def _server_id(server, where):
    if 'id' not in server or server['id'] is None:
        raise _error(where, 'the server detail has no id')
    if isinstance(server['id'], bool) or not isinstance(server['id'], (int, str)) or not to_text(server['id']).isdigit():
        raise _error(where, 'the server detail id %s is not a server id' % (_shown(server['id']),))
    return int(server['id'])


def _cve_entries(server, where):
    """{CVE code: entry} of a server detail's cve_announcements, checked."""
    entries = server.get('cve_announcements')
    if not isinstance(entries, list):
        raise _error(where, 'the server detail of server %s has %s cve_announcements list: read it by id with '
                     'cyberwatch_server_info (a listing does not carry it)'
                     % (server.get('id'), 'no' if entries is None else 'a malformed'))
    found = {}
    for index, entry in enumerate(entries):
        if not isinstance(entry, dict):
            raise _error(where, 'cve_announcements[%d] of server %s is not a record' % (index, server.get('id')))
        code = entry.get('cve_code')
        if not isinstance(code, str) or not code.strip():
            raise _error(where, 'cve_announcements[%d].cve_code of server %s is missing or not a string'
                         % (index, server.get('id')))
        found[code.strip().upper()] = entry
    return found


def _is_active(entry):
    return not entry.get('ignored') and not entry.get('fixed_at')


def _levels(active, catalogue, min_level, where):
    """{code: level} of the active CVEs, from the catalogue (cyberwatch_cve_info), else the entry's own level."""
    by_code = {}
    if catalogue is not None:
        if not isinstance(catalogue, list):
            raise _error(where, 'catalogue must be the cve_announcements list of cyberwatch_cve_info')
        for cve in catalogue:
            if isinstance(cve, dict) and isinstance(cve.get('cve_code'), str):
                by_code[cve['cve_code'].strip().upper()] = cve.get('level')
    if min_level not in (None, 'unknown') and catalogue is None and active and not any(entry.get('level') for entry in active.values()):
        raise _error(where, 'selection min_level needs the CVE levels, which a server detail does not carry: pass '
                     "catalogue=<the cve_announcements of cyberwatch_cve_info with active: true>")
    return dict((code, canonical_severity('cyberwatch', by_code.get(code) or entry.get('level')))
                for code, entry in active.items())


def _side(update, key):
    side = update.get(key)
    return side if isinstance(side, dict) else {}


def _described(update, fixes):
    """What a plan says of an update: its id, product, type, versions and the selected CVEs it fixes."""
    current, target = _side(update, 'current'), _side(update, 'target')
    product = target.get('product') or current.get('product')
    return {'update_id': update.get('id'), 'product': product,
            'current_product': current.get('product') if current.get('product') != product else None,
            'type': target.get('type') or current.get('type'), 'current': current.get('version'),
            'target': target.get('version'), 'cves': fixes}


def _update_problem(update, index):
    """Why Cyberwatch itself cannot apply an update (ignored, not patchable, no id), or None."""
    if update.get('ignored'):
        return 'the update is ignored in Cyberwatch'
    if update.get('patchable') is not True:
        return 'Cyberwatch marks the update not patchable (patchable: %s)' % _cut(update.get('patchable'))
    update_id = update.get('id')
    if isinstance(update_id, bool) or not isinstance(update_id, int) or update_id < 1:
        return 'updates[%d].id %s is not an update id' % (index, _shown(update_id))
    return None


def _package_problem(update, index, codes, os_detail):
    """(package, None) for an update the package method can apply, or (None, why it is manual)."""
    current, target = update.get('current'), update.get('target')
    for key, side in (('target', target), ('current', current)):
        if not isinstance(side, dict):
            return None, 'updates[%d].%s is missing or not a record' % (index, key)
    version = target.get('version')
    if isinstance(version, str) and CVE_NUMBER.match(version) and 'CVE-%s' % version in codes:
        return None, 'the target version %r is the number of CVE-%s, not a version' % (version, version)
    kind = target.get('type')
    family = packages.PACKAGE_FAMILIES.get(kind)
    if family is None:
        return None, '%s is not a Deb or Rpm package: patch it by hand or with the cyberwatch method' % (
            'an update without a type' if not kind else 'the type %s' % _shown(kind))
    if current.get('type') != kind:
        return None, 'the current type %s is not the target type %s' % (_shown(current.get('type')), _shown(kind))
    name = target.get('product')
    problem = packages.name_problem(family, name)
    if problem:
        return None, problem
    if current.get('product') != name:
        return None, 'the target package %s is not the installed package %s' % (_shown(name), _shown(current.get('product')))
    problem = packages.version_problem(family, version) or packages.version_problem(
        family, current.get('version'), 'current')
    if problem:
        return None, problem
    if packages.compare(family, version, current['version']) <= 0:
        return None, 'the target version %s is not newer than the current version %s' % (version, current['version'])
    manager, problem = packages.manager_for(family, os_detail)
    if problem:
        return None, problem
    return {'name': name, 'type': kind, 'manager': manager, 'current': current['version'], 'target': version,
            'update_id': update['id']}, None


def remediation_plan(server_detail, selection, catalogue=None, subject=None, method='package'):
    """The CVEs of a server to fix and the updates that fix them; see remediation_plan.yml."""
    where = 'remediation_plan'
    if not isinstance(server_detail, dict):
        raise _error(where, 'expects a Cyberwatch server detail (cyberwatch_server_info with id), got %s'
                     % type(server_detail).__name__)
    if method not in METHODS:
        raise _error(where, 'method must be one of %s, got %s' % (', '.join(METHODS), _shown(method)))
    min_level, requested, today, allow_list = _selection(selection)
    server_id = _server_id(server_detail, where)
    updates = server_detail.get('updates')
    if not isinstance(updates, list):
        raise _error(where, 'the server detail of server %s has %s updates list: read it by id with '
                     'cyberwatch_server_info' % (server_id, 'no' if updates is None else 'a malformed'))
    hostname = server_detail.get('hostname')
    subject = to_text(subject or hostname or 'server %s' % server_id)
    entries = _cve_entries(server_detail, where)
    active = dict((code, entry) for code, entry in entries.items() if _is_active(entry))
    levels = _levels(active, catalogue, min_level, where)

    if requested:
        candidates = [code for code in requested if code in active]
        not_present, unrated = [code for code in requested if code not in active], []
    else:
        rank = LEVELS.index(min_level)
        candidates = [code for code in active if LEVELS.index(levels[code]) <= rank]
        not_present = []
        unrated = [code for code in active if levels[code] == 'unknown' and code not in candidates]
    selected, allowed, notes = [], [], []
    for code in candidates:
        entry = allowance_for({'subject': subject, 'keys': [code.lower()]}, allow_list)
        if entry is not None and not entry['expired']:
            allowed.append({'cve': code, 'match': entry['match'], 'justification': entry['justification'],
                            'expires': entry['expires']})
            continue
        if entry is not None:
            notes.append('the allow-list entry %s expired on %s: %s stays selected'
                         % (entry['match'], entry['expires'], code))
        selected.append(code)

    planned, package_list, manual, covered, other = [], [], [], set(), 0
    for index, update in enumerate(updates):
        if not isinstance(update, dict):
            raise _error(where, 'updates[%d] of server %s is not a record' % (index, server_id))
        codes = update.get('cve_announcements')
        if not isinstance(codes, list) or not all(isinstance(code, str) for code in codes):
            raise _error(where, 'updates[%d].cve_announcements of server %s is not a list of CVE codes'
                         % (index, server_id))
        codes = set(code.strip().upper() for code in codes)
        fixes = [code for code in selected if code in codes]
        if not fixes:
            other += 1
            continue
        covered.update(fixes)
        described = _described(update, fixes)
        problem = _update_problem(update, index)
        package = None
        if problem is None and method == 'package':
            package, problem = _package_problem(update, index, codes, server_detail.get('os'))
        if problem:
            manual.append(dict(described, reason=problem, patchable=update.get('patchable') is True))
            continue
        planned.append(described)
        if package:
            package_list.append(dict(package, cves=fixes))
    return untrusted({
        'subject': subject, 'server_id': server_id, 'hostname': hostname, 'method': method,
        'selection': {'min_level': min_level} if min_level else {'cves': requested},
        'selected': selected, 'levels': dict((code, levels[code]) for code in selected),
        'allowed': allowed, 'not_present': not_present, 'unrated': unrated,
        'updates': planned, 'update_ids': sorted(set(update['update_id'] for update in planned)),
        'packages': package_list, 'manual': manual, 'no_update': [code for code in selected if code not in covered],
        'other_updates': other, 'reboot_required': bool(server_detail.get('reboot_required')),
        'evaluated_on': today.isoformat(), 'notes': notes,
    })


def remediation_plans(matches, details, selections, catalogue=None, methods=None):
    """{subject: {'plan': its remediation_plan or {}, 'problem': why it has none or ''}} of a play's matches, the
    details indexed once; see remediation_plans.yml."""
    where = 'remediation_plans'
    if not isinstance(matches, list) or not all(isinstance(match, dict) and 'subject' in match for match in matches):
        raise _error(where, 'expects the matches of cyberwatch_server_matches (a list of records with a subject), got %s'
                     % _shown(matches))
    if not isinstance(details, list) or not all(isinstance(detail, dict) for detail in details):
        raise _error(where, 'details must be the server details of cyberwatch_server_info with ids (a list of '
                     'records), got %s' % _shown(details))
    for name, value in (('selections', selections), ('methods', methods or {})):
        if not isinstance(value, dict):
            raise _error(where, '%s must be a dictionary of subject: value, got %s' % (name, _shown(value)))
    by_id = dict((to_text(detail.get('id')), detail) for detail in details)
    plans = {}
    for match in matches:
        subject, server = match['subject'], match.get('server')
        detail = by_id.get(to_text(server.get('id'))) if isinstance(server, dict) else None
        if match.get('problem'):
            problem = match['problem']
        elif not isinstance(server, dict):
            problem = 'no Cyberwatch server matches %s' % ' or '.join(_unique(match.get('names') or ()))
        elif detail is None:
            problem = 'the detail of server %s could not be read (HTTP 404: deleted since the listing)' % server.get('id')
        else:
            try:  # a malformed detail, or a subject's own selection or method, is that subject's problem only
                plans[subject] = {'plan': remediation_plan(detail, selections.get(subject), catalogue=catalogue,
                                                           subject=subject, method=(methods or {}).get(subject, 'package')),
                                  'problem': ''}
                continue
            except AnsibleFilterError as error:
                problem = to_text(error)
        plans[subject] = {'plan': {}, 'problem': to_text(problem)}
    return untrusted(plans)


def remediation_plans_brief(plans):
    """{subject: what its plan decides, or {'problem': why it has none}} of remediation_plans; see
    remediation_plans_brief.yml."""
    where = 'remediation_plans_brief'
    if not isinstance(plans, dict) or not all(isinstance(planned, dict) and 'plan' in planned and 'problem' in planned
                                              for planned in plans.values()):
        raise _error(where, 'expects the result of remediation_plans ({subject: {plan, problem}}), got %s' % _shown(plans))
    brief = {}
    for subject, planned in plans.items():
        if not planned['plan']:
            brief[subject] = {'problem': planned['problem']}
            continue
        plan = _plan(planned['plan'], '%s: the plan of %s' % (where, _shown(subject)), BRIEF_KEYS)
        brief[subject] = dict((key, plan[key]) for key in BRIEF_KEYS)
    return untrusted(brief)


def _unique(names):
    return [to_text(name) for index, name in enumerate(names) if name not in names[:index]]


# --- remediation_package_args --------------------------------------------------------------------------------------

def _plan(plan, where, keys=PLAN_KEYS):
    if not isinstance(plan, dict) or any(key not in plan for key in keys):
        raise _error(where, 'expects the result of remediation_plan (missing %s)' % ', '.join(
            key for key in keys if not isinstance(plan, dict) or key not in plan))
    return plan


def _checked_package(package, index, where):
    """A plan's package, its name and target checked again (a plan may have been built or changed by hand)."""
    if not isinstance(package, dict):
        raise _error(where, 'packages[%d] of the plan is not a record' % index)
    family = packages.PACKAGE_FAMILIES.get(package.get('type'))
    if family is None or package.get('manager') not in MODULES:
        raise _error(where, 'packages[%d] of the plan has type %s and manager %s; accepted: Packages::Deb or '
                     'Packages::Rpm, with %s' % (index, _shown(package.get('type')), _shown(package.get('manager')),
                                                 ', '.join(sorted(MODULES))))
    problem = packages.name_problem(family, package.get('name')) or packages.version_problem(
        family, package.get('target'))
    if problem:
        raise _error(where, 'packages[%d] of the plan: %s' % (index, problem))
    return family


def _spec(manager, name, version):
    """How each manager names an exact version: apt and zypper name=version, dnf name-[epoch:]version-release."""
    return '%s-%s' % (name, version) if manager == 'dnf' else '%s=%s' % (name, version)


def _module_args(manager, policy, names):
    if manager == 'apt':
        args = {'name': names, 'state': 'latest' if policy == 'latest' else 'present', 'only_upgrade': True}
        if policy == 'target':
            args['allow_downgrade'] = False
    elif manager == 'dnf':
        args = {'name': names, 'state': 'latest', 'update_only': True} if policy == 'latest' else \
            {'name': names, 'state': 'present', 'allow_downgrade': False}
    else:
        args = {'name': names, 'state': 'latest' if policy == 'latest' else 'present'}
    return args


def remediation_package_args(plan, policy='latest', installed=None):
    """The package-module tasks of a plan; see remediation_package_args.yml."""
    where = 'remediation_package_args'
    plan = _plan(plan, where)
    if policy not in POLICIES:
        raise _error(where, 'policy must be one of %s, got %s' % (', '.join(POLICIES), _shown(policy)))
    if installed is not None and not isinstance(installed, dict):
        raise _error(where, 'installed must be the packages of ansible.builtin.package_facts (a dictionary), got %s'
                     % type(installed).__name__)
    if not isinstance(plan['packages'], list):
        raise _error(where, 'the plan packages are not a list')
    wanted, skipped = {}, []        # {manager: {name: (family, package)}}: one target per package, the newest
    for index, package in enumerate(plan['packages']):
        family = _checked_package(package, index, where)
        chosen = wanted.setdefault(package['manager'], {})
        name = package['name']
        if name not in chosen or packages.compare(family, package['target'], chosen[name][1]['target']) > 0:
            chosen[name] = (family, package)
    tasks = []
    for manager in sorted(wanted):
        if manager == 'zypper' and policy == 'target' and installed is None:
            raise _error(where, 'policy target with zypper needs installed (ansible.builtin.package_facts): '
                         'community.general.zypper downgrades to a pinned version, so only packages older than '
                         'their target may be pinned')
        specs, described = [], []
        for name, (family, package) in wanted[manager].items():
            now = None
            if installed is not None:
                now = packages.installed_version(family, installed.get(name))
                if now is None:
                    skipped.append({'name': name, 'manager': manager, 'target': package['target'],
                                    'reason': 'not installed on the host (only installed packages are upgraded)'})
                    continue
                if packages.compare(family, now, package['target']) >= 0:
                    skipped.append({'name': name, 'manager': manager, 'target': package['target'],
                                    'reason': 'already at %s (target %s)' % (now, package['target'])})
                    continue
            spec = name if policy == 'latest' else _spec(manager, name, package['target'])
            specs.append(spec)
            described.append({'name': name, 'spec': spec, 'installed': now, 'current': package.get('current'),
                              'target': package['target'], 'cves': package.get('cves') or []})
        if specs:
            tasks.append({'manager': manager, 'module': MODULES[manager], 'args': _module_args(manager, policy, specs),
                          'packages': described})
    return untrusted({'policy': policy, 'tasks': tasks, 'skipped': skipped})


# --- remediation_verify --------------------------------------------------------------------------------------------

def _after_problem(plan, server, where):
    """Why the detail after the remediation cannot verify the plan (none, another server, no CVE data), or None."""
    if server is None:
        return 'no server detail after the remediation (re-scan, then read the server by id)'
    if not isinstance(server, dict):
        raise _error(where, 'the server detail after the remediation must be a dictionary, got %s'
                     % type(server).__name__)
    server_id = server.get('id')
    if isinstance(server_id, bool) or to_text(server_id) != to_text(plan['server_id']):
        return 'the detail after the remediation is of server %s, the plan is for server %s' % (
            _cut(server_id), plan['server_id'])
    if not isinstance(server.get('cve_announcements'), list):
        return 'the server detail after the remediation has no cve_announcements list'
    return None


def _why(plan, code):
    """Why a CVE of the plan could not be patched by the package method, from its manual findings."""
    reasons = ['%s %s (%s): %s' % (_cut(item.get('product')), _cut(item.get('current')), _cut(item.get('type')),
                                   item.get('reason')) for item in plan['manual'] if code in (item.get('cves') or [])]
    return '; '.join(reasons) if reasons else 'no update fixes it'


def remediation_verify(plan, server_detail_after, rebooted=False, reboot_required=None):
    """Per host, which targeted CVEs are closed, remaining or not patchable; see remediation_verify.yml."""
    where = 'remediation_verify'
    plan = _plan(plan, where)
    problem = _after_problem(plan, server_detail_after, where)
    targeted = list(plan['selected'])
    result = {'subject': plan['subject'], 'server_id': plan['server_id'], 'hostname': plan.get('hostname'),
              'targeted': targeted, 'levels': dict(plan['levels']), 'closed': [], 'remaining': [], 'not_patchable': [],
              'ignored': [], 'unverified': [], 'reasons': {}, 'reboot_pending': False, 'problem': problem}
    signal = reboot_required if reboot_required is not None else (
        server_detail_after.get('reboot_required') if isinstance(server_detail_after, dict) else None)
    result['reboot_pending'] = bool(signal) and not rebooted
    if problem:
        result['unverified'] = targeted
        return untrusted(result)
    entries = _cve_entries(server_detail_after, where)
    manual_codes = set(code for item in plan['manual'] for code in item.get('cves') or [])
    manual_codes.update(plan['no_update'])
    packaged = {}
    for update in plan['updates']:
        for code in update.get('cves') or []:
            packaged.setdefault(code, []).append('%s %s' % (_cut(update.get('product')), _cut(update.get('target'))))
    for code in targeted:
        entry = entries.get(code)
        if entry is None or entry.get('fixed_at'):
            result['closed'].append(code)
        elif entry.get('ignored'):
            result['ignored'].append(code)
        elif code in manual_codes:
            result['not_patchable'].append(code)
            result['reasons'][code] = _why(plan, code)
        else:
            result['remaining'].append(code)
            result['reasons'][code] = 'still active after %s' % ', '.join(packaged.get(code, ['the patch']))
    return untrusted(result)


# --- remediation_summary -------------------------------------------------------------------------------------------

def _verified(item, index, where):
    if not isinstance(item, dict) or not isinstance(item.get('subject'), str) or not item['subject']:
        raise _error(where, 'item %d must be a remediation_verify result or {subject, problem}, got %s'
                     % (index, _shown(item)))
    if any(key not in item for key in VERIFY_KEYS):
        if not item.get('problem'):
            raise _error(where, 'item %d (%s) is neither a remediation_verify result nor a {subject, problem} record'
                         % (index, item['subject']))
        return dict(item, targeted=[], closed=[], remaining=[], not_patchable=[], ignored=[], unverified=[],
                    reasons={}, levels={}, reboot_pending=False, server_id=None)
    return item


def _note(item):
    parts = ['%d closed' % len(item['closed'])]
    labels = (('remaining', 'remaining'), ('not_patchable', 'not patchable'), ('ignored', 'ignored in Cyberwatch'))
    for key, label in labels:
        if item[key]:
            parts.append('%d %s (%s)' % (len(item[key]), label, '; '.join(
                '%s: %s' % (code, item['reasons'][code]) if item['reasons'].get(code) else code for code in item[key])))
    if item['reboot_pending']:
        parts.append('a reboot is pending')
    return '%s: %s of %d targeted CVE(s)' % (item['subject'], ', '.join(parts), len(item['targeted']))


def remediation_summary(results, name=None, today=None, fail_not_patchable=True):
    """A gate_evaluate-shaped summary of remediation_verify results; see remediation_summary.yml."""
    where = 'remediation_summary'
    items = [results] if isinstance(results, dict) else results
    if not isinstance(items, list):
        raise _error(where, 'expects a list of remediation_verify results, got %s' % type(results).__name__)
    items = [_verified(item, index, where) for index, item in enumerate(items)]
    subjects = [item['subject'] for item in items]
    twice = sorted(set(s for s in subjects if subjects.count(s) > 1))
    if twice:
        raise _error(where, 'several results for %s' % ', '.join(twice))
    hosts, notes = [], []
    for item in items:
        failing = item['remaining'] + (item['not_patchable'] if fail_not_patchable else [])
        # Each CVE that still fails the host is an open finding at its level; the gate thresholds allow none.
        server = {'id': item['server_id'], 'hostname': item.get('hostname'), 'reboot_required': item['reboot_pending'],
                  'cve_announcements': [{'cve_code': code, 'level': item['levels'].get(code, 'unknown'),
                                         'ignored': False, 'fixed_at': None} for code in failing]}
        hosts.append({'subject': item['subject'], 'server': server, 'problem': item.get('problem')})
        if not item.get('problem'):
            notes.append(_note(item))
    summary = dict(gate_evaluate(hosts, dict((level, 0) for level in LEVELS), kind='cyberwatch', today=today,
                                 name=name or 'Cyberwatch remediation'))
    summary['notes'] = notes + list(summary['notes'])
    for item in items:
        summary['subjects'][item['subject']] = dict(summary['subjects'][item['subject']], **dict(
            (key, item[key]) for key in ('targeted', 'closed', 'remaining', 'not_patchable', 'ignored', 'unverified',
                                         'reboot_pending', 'server_id')))
    summary['remediation'] = {
        'fail_not_patchable': bool(fail_not_patchable),
        'reboot_pending': sorted(item['subject'] for item in items if item['reboot_pending'])}
    for key in ('targeted', 'closed', 'remaining', 'not_patchable', 'ignored', 'unverified'):
        summary['remediation'][key] = sum(len(item[key]) for item in items)
    return untrusted(summary)


class FilterModule(object):
    """Remediation filters."""

    def filters(self):
        return {'remediation_plan': remediation_plan, 'remediation_plans': remediation_plans,
                'remediation_plans_brief': remediation_plans_brief,
                'remediation_package_args': remediation_package_args,
                'remediation_verify': remediation_verify, 'remediation_summary': remediation_summary}
