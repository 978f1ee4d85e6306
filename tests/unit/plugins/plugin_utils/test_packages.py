"""Unit tests of plugin_utils/packages.py: Debian and RPM package grammars, version order (univers), the package
manager of an OS and the installed version from ansible.builtin.package_facts."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import sys

import pytest

from ansible.errors import AnsibleFilterError
from ansible_collections.secops.vulnmgmt.plugins.plugin_utils import packages


@pytest.mark.parametrize('family, older, newer', [
    ('deb', '8:6.9.7.4+dfsg-16ubuntu6.7', '8:6.9.7.4+dfsg-16ubuntu6.8'),   # recorded, epoch 8
    ('deb', '9.9.9', '1:0.1'),                                              # the epoch wins
    ('deb', '1.0~rc1', '1.0'),                                              # ~ sorts before the release
    ('deb', '5.4.0-65.73', '5.4.0-66.74'),
    ('deb', '1.1.1-1ubuntu2.1~18.04.4', '1.1.1-1ubuntu2.1~18.04.5'),
    ('rpm', '1:1.1.1k-4.el8', '1:1.1.1k-5.el8'),
    ('rpm', '9.16.23-1.el9', '32:9.11.4-26.P2.el7'),                        # the epoch wins
    ('rpm', '7.61.1-30.el8_8.2', '7.61.1-30.el8_8.10'),                     # numeric, not text
    ('rpm', '1.0~rc1-1', '1.0-1'),
])
def test_version_order(family, older, newer):
    assert packages.compare(family, older, newer) == -1
    assert packages.compare(family, newer, older) == 1
    assert packages.compare(family, newer, newer) == 0
    assert packages.newest(family, [older, newer, older]) == newer


@pytest.mark.parametrize('family, name', [
    ('deb', 'libmagickcore-6.q16-3-extra'), ('deb', 'g++'), ('deb', 'libssl1.1'),
    ('rpm', 'openssl-libs'), ('rpm', 'NetworkManager'), ('rpm', 'python3.11-pip_x'), ('rpm', 'libstdc++'),
])
def test_valid_names(family, name):
    assert packages.name_problem(family, name) is None


@pytest.mark.parametrize('family, name', [
    ('deb', 'Firefox'), ('deb', 'a'), ('deb', '-oDebug::x=1'), ('deb', 'pkg=1.0'), ('deb', 'a b'), ('deb', 'a;id'),
    ('deb', 'x$(id)'), ('deb', '{{x}}'), ('deb', 'a\nb'), ('deb', 'nginx>=1'), ('deb', 'a' * 256),
    ('rpm', '-x'), ('rpm', 'a:b'), ('rpm', 'a=1'), ('rpm', 'a<1'), ('rpm', "a'b"), ('rpm', 'a`id`'), ('rpm', ''),
    ('rpm', None), ('rpm', 5), ('rpm', '.hidden'),
])
def test_refused_names(family, name):
    assert packages.name_problem(family, name)


@pytest.mark.parametrize('family, version', [
    ('deb', '8:6.9.7.4+dfsg-16ubuntu6.8'), ('deb', '85.0.1+build1-0ubuntu0.20.04.1'), ('deb', '2014-9645'),
    ('rpm', '1:1.1.1k-5.el8'), ('rpm', '4.18.0-477.13.1.el8_8'), ('rpm', '2.0^20230101git1'), ('rpm', '1.0'),
])
def test_valid_versions(family, version):
    assert packages.version_problem(family, version) is None


@pytest.mark.parametrize('family, version', [
    ('deb', "{{ lookup('pipe','id') }}"), ('deb', '1.0 -y'), ('deb', 'abc'), ('deb', '1.0;id'), ('deb', ''),
    ('deb', None), ('rpm', '1.0-1-1'), ('rpm', '1.0 ; id'), ('rpm', ':1.0'), ('rpm', 'x:1.0'), ('rpm', '{%1%}'),
    ('rpm', '-1.0'), ('rpm', '1' * 256),
])
def test_refused_versions(family, version):
    assert packages.version_problem(family, version)


def test_rpm_managers_by_os():
    assert packages.manager_for('deb', None) == ('apt', None)
    assert packages.manager_for('rpm', {'type': 'Os::Amazon', 'key': 'amazon_2023', 'name': 'Amazon Linux'})[0] == 'dnf'
    assert packages.manager_for('rpm', {'type': 'Os::Sles', 'key': None, 'name': None})[0] == 'zypper'
    manager, why = packages.manager_for('rpm', {'type': 'Os::Windows', 'name': 'Windows 10'})
    assert manager is None and "no RPM package manager is known for the OS 'os::windows windows 10'" in why


def test_installed_version_from_package_facts():
    assert packages.installed_version('rpm', [{'epoch': 2, 'version': '1.0', 'release': '3'},
                                              {'epoch': None, 'version': '9.0', 'release': '1'}]) == '2:1.0-3'
    assert packages.installed_version('deb', [{'version': '1:2.0-1'}]) == '1:2.0-1'
    assert packages.installed_version('deb', [{'version': 'bad version'}, 'x', None]) is None
    assert packages.installed_version('deb', None) is None


def test_without_univers_the_error_says_what_to_install(monkeypatch):
    monkeypatch.setitem(sys.modules, 'univers.debian', None)  # import univers.debian raises ImportError
    with pytest.raises(AnsibleFilterError, match='needs the Python library univers on the controller'):
        packages.compare('deb', '1.0', '1.1')
