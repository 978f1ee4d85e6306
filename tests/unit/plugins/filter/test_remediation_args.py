"""Unit tests of remediation_package_args: the arguments of ansible.builtin.apt, ansible.builtin.dnf and
community.general.zypper for each version policy, with and without the host's package facts."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import copy

import pytest

from ansible.errors import AnsibleFilterError
from ansible_collections.secops.vulnmgmt.plugins.filter.remediation import remediation_package_args, remediation_plan
from ansible_collections.secops.vulnmgmt.tests.unit.plugins.filter.recorded_servers import server
from ansible_collections.secops.vulnmgmt.tests.unit.plugins.filter.test_remediation_plan import (
    RHEL, SLES, detail, update,
)

SELECT_ALL = {'min_level': 'unknown', 'today': '2030-06-15'}


def rpm_plan(os_detail):
    updates = [update(10, 'openssl-libs', 'Packages::Rpm', '1:1.1.1k-4.el8', '1:1.1.1k-5.el8', ['CVE-2030-1000']),
               update(11, 'curl', 'Packages::Rpm', '7.61.1-25.el8', '7.61.1-30.el8_8.2', ['CVE-2030-1001'])]
    return remediation_plan(detail(updates, os_detail), SELECT_ALL)


def deb_plan():
    return remediation_plan(server('ubuntu_epochs'), {'cves': ['CVE-2019-11745', 'CVE-2019-14869'], 'today': '2030-06-15'})


def only_task(result, manager):
    assert [task['manager'] for task in result['tasks']] == [manager]
    return result['tasks'][0]


# --- apt --------------------------------------------------------------------------------------------------------------

def test_apt_latest_only_upgrades_by_name():
    task = only_task(remediation_package_args(deb_plan()), 'apt')
    assert task['module'] == 'ansible.builtin.apt'
    assert task['args'] == {'name': ['ghostscript', 'ghostscript-x', 'libgs9', 'libgs9-common', 'libnss3'],
                            'state': 'latest', 'only_upgrade': True}


def test_apt_target_pins_name_equals_version_with_the_epoch_and_never_downgrades():
    task = only_task(remediation_package_args(deb_plan(), 'target'), 'apt')
    assert task['args'] == {'name': ['ghostscript=9.26~dfsg+0-0ubuntu0.18.04.12', 'ghostscript-x=9.26~dfsg+0-0ubuntu0.18.04.12',
                                     'libgs9=9.26~dfsg+0-0ubuntu0.18.04.12', 'libgs9-common=9.26~dfsg+0-0ubuntu0.18.04.12',
                                     'libnss3=2:3.35-2ubuntu2.5'],
                            'state': 'present', 'only_upgrade': True, 'allow_downgrade': False}
    nss = task['packages'][-1]
    assert nss == {'name': 'libnss3', 'spec': 'libnss3=2:3.35-2ubuntu2.5', 'installed': None,
                   'current': '2:3.35-2ubuntu2.3', 'target': '2:3.35-2ubuntu2.5', 'cves': ['CVE-2019-11745']}


def test_apt_with_package_facts_skips_what_is_fixed_or_gone_by_debian_order():
    installed = {  # ansible.builtin.package_facts (apt): version is the full Debian version, epoch included
        'libnss3': [{'name': 'libnss3', 'version': '2:3.35-2ubuntu2.12', 'arch': 'amd64', 'source': 'apt'}],
        'ghostscript': [{'name': 'ghostscript', 'version': '9.26~dfsg+0-0ubuntu0.18.04.11', 'arch': 'amd64',
                         'source': 'apt'}],
        # 9.26~dfsg...12 is newer than 9.26~dfsg...11; ~ sorts before anything (9.26~rc > 9.26 would be wrong).
        'libgs9': [{'name': 'libgs9', 'version': '9.26~dfsg+0-0ubuntu0.18.04.12', 'arch': 'amd64', 'source': 'apt'}],
        'libgs9-common': [{'name': 'libgs9-common', 'version': '9.26', 'arch': 'all', 'source': 'apt'}],
    }
    result = remediation_package_args(deb_plan(), 'target', installed)
    task = only_task(result, 'apt')
    assert task['args']['name'] == ['ghostscript=9.26~dfsg+0-0ubuntu0.18.04.12']
    assert task['packages'][0]['installed'] == '9.26~dfsg+0-0ubuntu0.18.04.11'
    assert result['skipped'] == [
        {'name': 'ghostscript-x', 'manager': 'apt', 'target': '9.26~dfsg+0-0ubuntu0.18.04.12',
         'reason': 'not installed on the host (only installed packages are upgraded)'},
        {'name': 'libgs9', 'manager': 'apt', 'target': '9.26~dfsg+0-0ubuntu0.18.04.12',
         'reason': 'already at 9.26~dfsg+0-0ubuntu0.18.04.12 (target 9.26~dfsg+0-0ubuntu0.18.04.12)'},
        {'name': 'libgs9-common', 'manager': 'apt', 'target': '9.26~dfsg+0-0ubuntu0.18.04.12',
         'reason': 'already at 9.26 (target 9.26~dfsg+0-0ubuntu0.18.04.12)'},
        {'name': 'libnss3', 'manager': 'apt', 'target': '2:3.35-2ubuntu2.5',
         'reason': 'already at 2:3.35-2ubuntu2.12 (target 2:3.35-2ubuntu2.5)'}]


def test_nothing_left_to_do_gives_no_task():
    installed = dict((name, [{'version': '99:1'}]) for name in
                     ('ghostscript', 'ghostscript-x', 'libgs9', 'libgs9-common', 'libnss3'))
    result = remediation_package_args(deb_plan(), 'latest', installed)
    assert result['tasks'] == [] and len(result['skipped']) == 5


# --- dnf --------------------------------------------------------------------------------------------------------------

def test_dnf_latest_updates_only_installed_packages():
    task = only_task(remediation_package_args(rpm_plan(RHEL), 'latest'), 'dnf')
    assert task['module'] == 'ansible.builtin.dnf'
    assert task['args'] == {'name': ['openssl-libs', 'curl'], 'state': 'latest', 'update_only': True}


def test_dnf_target_uses_name_epoch_version_release():
    task = only_task(remediation_package_args(rpm_plan(RHEL), 'target'), 'dnf')
    assert task['args'] == {'name': ['openssl-libs-1:1.1.1k-5.el8', 'curl-7.61.1-30.el8_8.2'], 'state': 'present',
                            'allow_downgrade': False}


def test_dnf_with_package_facts_compares_by_rpm_order_with_epochs():
    installed = {  # ansible.builtin.package_facts (rpm): epoch, version and release apart
        'openssl-libs': [{'name': 'openssl-libs', 'epoch': 1, 'version': '1.1.1k', 'release': '4.el8', 'arch': 'x86_64',
                          'source': 'rpm'}],
        # Epoch 0 version 7.61.1-30.el8_8.10 is newer than 7.61.1-30.el8_8.2 (numeric, not text, comparison).
        'curl': [{'name': 'curl', 'epoch': None, 'version': '7.61.1', 'release': '30.el8_8.10', 'arch': 'x86_64',
                  'source': 'rpm'}],
    }
    result = remediation_package_args(rpm_plan(RHEL), 'target', installed)
    task = only_task(result, 'dnf')
    assert task['args']['name'] == ['openssl-libs-1:1.1.1k-5.el8'] and task['packages'][0]['installed'] == '1:1.1.1k-4.el8'
    assert result['skipped'] == [{'name': 'curl', 'manager': 'dnf', 'target': '7.61.1-30.el8_8.2',
                                  'reason': 'already at 7.61.1-30.el8_8.10 (target 7.61.1-30.el8_8.2)'}]
    # Without the epoch the installed openssl would look newer (1.1.1k-6 > 1.1.1k-5); with epoch 0 it is older.
    installed['openssl-libs'] = [{'epoch': 0, 'version': '1.1.1k', 'release': '6.el8'}]
    assert remediation_package_args(rpm_plan(RHEL), 'target', installed)['tasks'][0]['args']['name'] == [
        'openssl-libs-1:1.1.1k-5.el8']


# --- zypper -----------------------------------------------------------------------------------------------------------

def test_zypper_latest_by_name():
    task = only_task(remediation_package_args(rpm_plan(SLES), 'latest'), 'zypper')
    assert task['module'] == 'community.general.zypper'
    assert task['args'] == {'name': ['openssl-libs', 'curl'], 'state': 'latest'}


def test_zypper_target_pins_name_equals_version_only_for_older_installed_packages():
    installed = {'openssl-libs': [{'epoch': 1, 'version': '1.1.1k', 'release': '4.el8'}],
                 'curl': [{'epoch': 0, 'version': '7.61.1', 'release': '31.el8'}]}
    result = remediation_package_args(rpm_plan(SLES), 'target', installed)
    task = only_task(result, 'zypper')
    # oldpackage is never set: the module implies it for a version, and no package newer than its target is pinned.
    assert task['args'] == {'name': ['openssl-libs=1:1.1.1k-5.el8'], 'state': 'present'}
    assert [s['name'] for s in result['skipped']] == ['curl']


def test_zypper_target_without_package_facts_fails_rather_than_risk_a_downgrade():
    with pytest.raises(AnsibleFilterError, match='policy target with zypper needs installed'):
        remediation_package_args(rpm_plan(SLES), 'target')


# --- plans and arguments that are not right ------------------------------------------------------------------------

def test_several_updates_of_one_package_keep_the_newest_target():
    updates = [update(10, 'openssl', 'Packages::Rpm', '1.1.1k-4.el8', '1.1.1k-5.el8', ['CVE-2030-1000']),
               update(11, 'openssl', 'Packages::Rpm', '1.1.1k-4.el8', '1.1.1k-10.el8', ['CVE-2030-1001']),
               update(12, 'openssl', 'Packages::Rpm', '1.1.1k-4.el8', '1.1.1k-7.el8', ['CVE-2030-1002'])]
    planned = remediation_plan(detail(updates, RHEL), SELECT_ALL)
    assert len(planned['packages']) == 3
    assert only_task(remediation_package_args(planned, 'target'), 'dnf')['args']['name'] == ['openssl-1.1.1k-10.el8']


@pytest.mark.parametrize('change, message', [
    ({'name': 'openssl;id'}, "packages[0] of the plan: the package name 'openssl;id' is not an RPM package name"),
    ({'name': '--setopt=x'}, "packages[0] of the plan: the package name '--setopt=x' is not an RPM package name"),
    ({'target': "{{ lookup('pipe', 'id') }}"}, 'packages[0] of the plan: the target version "{{ lookup'),
    ({'target': None}, 'packages[0] of the plan: the target version is missing'),
    ({'manager': 'pip'}, "packages[0] of the plan has type 'Packages::Rpm' and manager 'pip'; accepted"),
    ({'type': 'Packages::WinApp'}, "packages[0] of the plan has type 'Packages::WinApp'"),
])
def test_a_tampered_plan_fails_before_any_argument_is_built(change, message):
    planned = copy.deepcopy(rpm_plan(RHEL))
    planned['packages'][0].update(change)
    with pytest.raises(AnsibleFilterError) as caught:
        remediation_package_args(planned, 'latest')
    assert str(caught.value).startswith('remediation_package_args: ') and message in str(caught.value)


@pytest.mark.parametrize('plan_value, args, message', [
    (None, ('latest',), 'expects the result of remediation_plan'),
    ({'packages': []}, ('latest',), 'expects the result of remediation_plan (missing subject'),
    ('plan', ('latest',), 'expects the result of remediation_plan'),
    ('ok', ('newest',), "policy must be one of latest, target, got 'newest'"),
    ('ok', ('latest', ['openssl']), 'installed must be the packages of ansible.builtin.package_facts'),
])
def test_bad_input_fails_naming_the_option(plan_value, args, message):
    plan_value = rpm_plan(RHEL) if plan_value == 'ok' else plan_value
    with pytest.raises(AnsibleFilterError) as caught:
        remediation_package_args(plan_value, *args)
    assert message in str(caught.value)


def test_malformed_package_facts_entries_count_as_not_installed():
    installed = {'openssl-libs': [None, {'version': None}, {'version': '1.1.1k;id', 'release': '1'}], 'curl': 'x'}
    result = remediation_package_args(rpm_plan(RHEL), 'latest', installed)
    assert result['tasks'] == [] and [s['reason'] for s in result['skipped']] == [
        'not installed on the host (only installed packages are upgraded)'] * 2


def test_a_cyberwatch_method_plan_has_no_package_task():
    windows = server('windows')
    planned = remediation_plan(windows, SELECT_ALL, method='cyberwatch')
    assert remediation_package_args(planned) == {'policy': 'latest', 'tasks': [], 'skipped': []}
