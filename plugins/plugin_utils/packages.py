# -*- coding: utf-8 -*-
# Copyright: secops.vulnmgmt contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What a scanner's package record may become on a host (controller only): the Debian and RPM grammars of package
names and versions, their version order, and the package manager of an operating system.

A product name or version from an API becomes a package-module argument only when it matches its grammar: those
grammars hold no whitespace, quote, shell or Jinja character and never start with '-'. The version order is
univers' (Debian rules as dpkg, RPM rules as rpmvercmp, epochs included), never hand-written."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re

from ansible.errors import AnsibleFilterError
from ansible.module_utils.common.text.converters import to_text

# Cyberwatch package types with a package manager, and the grammar family of each.
PACKAGE_FAMILIES = {'Packages::Deb': 'deb', 'Packages::Rpm': 'rpm'}
LONGEST = 255
# Debian policy 5.6.1: lower case letters, digits, '+', '-', '.', at least two characters, starting alphanumeric.
DEB_NAME = re.compile(r'[a-z0-9][a-z0-9+.-]+\Z')
# RPM names: letters, digits and '_', '+', '.', '-' (no ':', '=', '<', '>' or whitespace), starting alphanumeric.
RPM_NAME = re.compile(r'[A-Za-z0-9][A-Za-z0-9_+.-]*\Z')
# RPM [epoch:]version[-release]: version and release hold letters, digits and '.', '_', '+', '~', '^'.
RPM_EVR = re.compile(r'(?:[0-9]+:)?[A-Za-z0-9][A-Za-z0-9._+~^]*(?:-[A-Za-z0-9][A-Za-z0-9._+~^]*)?\Z')
GRAMMAR = {
    'deb': ('a Debian package name (lower case letters, digits, "+", "-" and ".", starting with a letter or digit)',
            'a Debian version ([epoch:]upstream[-revision], the upstream starting with a digit)'),
    'rpm': ('an RPM package name (letters, digits, "_", "+", "-" and ".", starting with a letter or digit)',
            'an RPM version ([epoch:]version[-release])'),
}
# Words of an OS type, key or name (lower case) that say which RPM manager it uses; SUSE first (zypper).
RPM_MANAGERS = (('zypper', ('suse', 'sles')),
                ('dnf', ('redhat', 'red hat', 'rhel', 'centos', 'rocky', 'alma', 'fedora', 'amazon', 'oracle')))


def _univers():
    """(univers' Debian Version class, its RPM comparison), imported at first use: Ansible loads every filter file of
    the collection in each worker that calls one of its filters, and univers would cost each of them about 20 ms."""
    try:
        from univers.debian import Version  # pylint: disable=import-outside-toplevel
        from univers.rpm import compare_rpm_versions  # pylint: disable=import-outside-toplevel
    except ImportError as exc:
        raise AnsibleFilterError('comparing package versions needs the Python library univers on the controller '
                                 '(pip install univers; it is in the collection requirements.txt): %s' % exc)
    return Version, compare_rpm_versions


def name_problem(family, name):
    """Why name cannot be a package name of family ('deb' or 'rpm'), or None."""
    pattern = DEB_NAME if family == 'deb' else RPM_NAME
    if not isinstance(name, str) or not name:
        return 'the package name is missing'
    if len(name) > LONGEST or not pattern.match(name):
        return 'the package name %r is not %s' % (shorten(name), GRAMMAR[family][0])
    return None


def version_problem(family, version, which='target'):
    """Why version cannot be a version of family, or None. which names it in the reason (target, current)."""
    if not isinstance(version, str) or not version:
        return 'the %s version is missing' % which
    if len(version) > LONGEST or not _valid_version(family, version):
        return 'the %s version %r is not %s' % (which, shorten(version), GRAMMAR[family][1])
    return None


def _valid_version(family, version):
    if family == 'rpm':
        return bool(RPM_EVR.match(version))
    return bool(_univers()[0].is_valid(version))


def compare(family, first, second):
    """-1, 0 or 1 as first is older than, equal to or newer than second (valid versions of family)."""
    version, compare_rpm_versions = _univers()
    if family == 'rpm':
        return compare_rpm_versions(first, second)
    first, second = version.from_string(first), version.from_string(second)
    return (first > second) - (first < second)


def newest(family, versions):
    """The newest of valid versions of family (None for none)."""
    best = None
    for version in versions:
        if best is None or compare(family, version, best) > 0:
            best = version
    return best


def manager_for(family, os_detail):
    """(manager, None) for a package family on an OS (a Cyberwatch `os` {type, key, name}), or (None, why not)."""
    if family == 'deb':
        return 'apt', None
    words = ' '.join(to_text(os_detail[key]) for key in ('type', 'key', 'name')
                     if os_detail.get(key)).lower() if isinstance(os_detail, dict) else ''
    if not words:
        return None, 'the server detail names no OS, so neither dnf nor zypper can be chosen for an RPM package'
    for manager, markers in RPM_MANAGERS:
        if any(marker in words for marker in markers):
            return manager, None
    return None, 'no RPM package manager is known for the OS %r (known: SUSE with zypper; Red Hat, CentOS, Rocky, ' \
                 'Alma, Fedora, Amazon and Oracle Linux with dnf)' % shorten(words)


def installed_version(family, entries):
    """The newest installed version of a package from its ansible.builtin.package_facts entries
    ([{version, release, epoch, ...}]), as [epoch:]version[-release] for RPM; None when there is none."""
    found = []
    for entry in entries or []:
        if not isinstance(entry, dict) or not entry.get('version'):
            continue
        version = to_text(entry['version'])
        if family == 'rpm':
            if entry.get('release'):
                version = '%s-%s' % (version, to_text(entry['release']))
            if entry.get('epoch') not in (None, '', 0, '0'):
                version = '%s:%s' % (to_text(entry['epoch']), version)
        if not version_problem(family, version, 'installed'):
            found.append(version)
    return newest(family, found)


def shorten(value, limit=200):
    text = to_text(value)
    return text if len(text) <= limit else '%s... [%d characters cut]' % (text[:limit], len(text) - limit)
