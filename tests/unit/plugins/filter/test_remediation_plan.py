"""Unit tests of remediation_plan on the recorded server details (Deb with epochs, kernel updates without CVE, Alpine
targets that are CVE numbers, Windows WinApp not patchable, ESXi Vib, Cisco firmware) and on hand-built RPM and
hostile details."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import copy

import pytest

from ansible.errors import AnsibleFilterError
from ansible.utils.unsafe_proxy import AnsibleUnsafe
from ansible_collections.secops.vulnmgmt.plugins.filter.remediation import (
    remediation_plan, remediation_plans, remediation_plans_brief)
from ansible_collections.secops.vulnmgmt.plugins.plugin_utils.trust import DATA_TAGGING
from ansible_collections.secops.vulnmgmt.tests.unit.plugins.filter.recorded_servers import server

TODAY = '2030-06-15'
RHEL = {'key': 'rhel_9_64', 'name': 'Red Hat Enterprise Linux 9', 'arch': 'x86_64', 'eol': None,
        'short_name': 'RHEL 9', 'type': 'Os::Redhat'}
SLES = {'key': 'sles_15_64', 'name': 'SUSE Linux Enterprise Server 15', 'arch': 'x86_64', 'eol': None,
        'short_name': 'SLES 15', 'type': 'Os::Suse'}


def catalogue(**levels):
    """cyberwatch_cve_info records (the recorded shape: level_<name>) for {CVE_code_with_underscores: level}."""
    return [{'cve_code': code.replace('_', '-'), 'level': 'level_%s' % level, 'score': 7.5, 'exploitable': False}
            for code, level in levels.items()]


def plan(detail, selection=None, **kwargs):
    selection = dict({'today': TODAY}, **(selection or {'min_level': 'unknown'}))
    return remediation_plan(detail, selection, **kwargs)


def update(uid, product, kind, current, target, cves, patchable=True, ignored=False, current_product=None):
    return {'id': uid, 'ignored': ignored, 'patchable': patchable, 'cve_announcements': cves,
            'target': {'vendor': None, 'product': product, 'type': kind, 'version': target},
            'current': {'vendor': None, 'product': current_product or product, 'type': kind, 'version': current}}


def detail(updates, os_detail='rhel', cves=None, **extra):
    """A server detail in the recorded shape (os: RHEL unless given), its active CVEs those its updates fix unless
    cves is given."""
    os_detail = RHEL if os_detail == 'rhel' else os_detail
    codes = cves if cves is not None else sorted(set(c for u in updates for c in u['cve_announcements']))
    entries = [{'cve_code': code, 'ignored': False, 'comment': None, 'detected_at': '2030-06-01T10:00:00.000+02:00',
                'fixed_at': None, 'prioritized': True} for code in codes]
    return dict({'id': 77, 'hostname': 'web1', 'reboot_required': False, 'os': os_detail, 'updates': updates,
                 'cve_announcements': entries}, **extra)


# --- the recorded shapes ----------------------------------------------------------------------------------------

def test_min_level_selects_by_the_catalogue_level_and_plans_the_deb_package():
    firefox = server('ubuntu_firefox')
    result = plan(firefox, {'min_level': 'high'},
                  catalogue=catalogue(CVE_2020_16044='critical', CVE_2020_15673='high', CVE_2020_15674='medium'))
    assert result['selected'] == ['CVE-2020-16044', 'CVE-2020-15673']
    assert result['levels'] == {'CVE-2020-16044': 'critical', 'CVE-2020-15673': 'high'}
    assert result['packages'] == [{'name': 'firefox', 'type': 'Packages::Deb', 'manager': 'apt',
                                   'current': '80.0.1+build1-0ubuntu0.20.04.1', 'target': '85.0.1+build1-0ubuntu0.20.04.1',
                                   'update_id': 4, 'cves': ['CVE-2020-16044', 'CVE-2020-15673']}]
    assert result['update_ids'] == [4] and result['manual'] == [] and result['no_update'] == []
    # The 50 CVEs the catalogue does not know have level unknown: left out, and said so.
    assert len(result['unrated']) == 50 and 'CVE-2020-15675' in result['unrated']
    assert (result['server_id'], result['hostname'], result['subject']) == (4, 'Linux2', 'Linux2')


def test_explicit_cves_on_debian_epochs_and_updates_fixing_nothing_selected():
    epochs = server('ubuntu_epochs')
    result = plan(epochs, {'cves': ['cve-2019-12974', 'CVE-2019-11745', 'CVE-2099-0001']}, subject='build-01')
    assert result['selected'] == ['CVE-2019-12974', 'CVE-2019-11745']
    assert result['not_present'] == ['CVE-2099-0001']
    by_name = dict((p['name'], p) for p in result['packages'])
    assert sorted(by_name) == ['imagemagick', 'imagemagick-6.q16', 'libmagickcore-6.q16-3',
                               'libmagickcore-6.q16-3-extra', 'libnss3']
    assert by_name['imagemagick']['current'] == '8:6.9.7.4+dfsg-16ubuntu6.7'
    assert by_name['imagemagick']['target'] == '8:6.9.7.4+dfsg-16ubuntu6.8'
    assert by_name['libnss3'] == {'name': 'libnss3', 'type': 'Packages::Deb', 'manager': 'apt',
                                  'current': '2:3.35-2ubuntu2.3', 'target': '2:3.35-2ubuntu2.5', 'update_id': 151,
                                  'cves': ['CVE-2019-11745']}
    assert result['update_ids'] == sorted(p['update_id'] for p in result['packages'])
    assert result['other_updates'] == len(epochs['updates']) - 5 and result['subject'] == 'build-01'


def test_kernel_updates_without_cve_are_never_planned():
    kernel = server('ubuntu_kernel')
    assert all(not u['cve_announcements'] for u in kernel['updates'])
    result = plan(kernel)
    assert result['selected'] == [] and result['packages'] == [] and result['update_ids'] == []
    assert result['other_updates'] == 4 and result['reboot_required'] is True


def test_alpine_targets_that_are_cve_numbers_are_manual():
    alpine = server('alpine')
    result = plan(alpine)
    assert result['selected'] == ['CVE-2014-9645', 'CVE-2020-28928']
    assert result['packages'] == [] and result['updates'] == [] and result['no_update'] == []
    reasons = dict((m['product'], m['reason']) for m in result['manual'])
    assert reasons == {'busybox': "the target version '2014-9645' is the number of CVE-2014-9645, not a version",
                       'musl': "the target version '2020-28928' is the number of CVE-2020-28928, not a version"}
    assert [m['cves'] for m in result['manual']] == [['CVE-2014-9645'], ['CVE-2020-28928']]


def test_windows_winapp_not_patchable_is_manual_with_its_display_name():
    windows = server('windows')
    for method in ('package', 'cyberwatch'):
        result = plan(windows, method=method)
        assert result['updates'] == [] and result['update_ids'] == [] and len(result['manual']) == 4
        firefox = result['manual'][0]
        assert firefox['product'] == 'Firefox ' and firefox['current_product'] == 'Mozilla Firefox 69.0 (x64 fr)'
        assert firefox['type'] == 'Packages::WinApp' and firefox['patchable'] is False
        assert firefox['reason'] == 'Cyberwatch marks the update not patchable (patchable: False)'
        assert set(c for m in result['manual'] for c in m['cves']) == set(result['selected'])


def test_patchable_winapp_vib_and_firmware_are_manual_for_packages_and_planned_for_cyberwatch():
    windows = server('windows')
    for item in windows['updates']:
        item['patchable'] = True
    esxi = server('esxi')
    cisco = server('cisco')
    cisco['updates'][0]['cve_announcements'] = ['CVE-2030-0001']
    cisco['cve_announcements'] = [{'cve_code': 'CVE-2030-0001', 'ignored': False, 'comment': None, 'fixed_at': None}]
    for recorded, kind in ((windows, 'Packages::WinApp'), (esxi, 'Packages::Vib'), (cisco, 'Packages::Firmware')):
        by_package = plan(recorded)
        assert by_package['packages'] == [] and by_package['update_ids'] == [] and by_package['manual']
        assert all(m['reason'] == "the type %r is not a Deb or Rpm package: patch it by hand or with the cyberwatch "
                   "method" % kind for m in by_package['manual'])
        by_cyberwatch = plan(recorded, method='cyberwatch')
        assert by_cyberwatch['manual'] == [] and by_cyberwatch['packages'] == []
        assert by_cyberwatch['update_ids'] == sorted(m['update_id'] for m in by_package['manual'])
    assert plan(esxi, method='cyberwatch')['update_ids'] == [1696, 1702, 1703, 1704, 1705, 1706]


def test_ignored_and_fixed_cves_are_not_selected():
    epochs = server('ubuntu_epochs')
    epochs['cve_announcements'][0]['ignored'] = True                   # CVE-2019-14869
    epochs['cve_announcements'][1]['fixed_at'] = '2030-06-01T00:00:00.000+02:00'   # CVE-2019-12974
    result = plan(epochs)
    assert 'CVE-2019-14869' not in result['selected'] and 'CVE-2019-12974' not in result['selected']
    assert len(result['selected']) == len(epochs['cve_announcements']) - 2
    assert plan(epochs, {'cves': ['CVE-2019-14869']})['not_present'] == ['CVE-2019-14869']


# --- RPM: dnf or zypper from the OS --------------------------------------------------------------------------------

@pytest.mark.parametrize('os_detail, manager', [
    (RHEL, 'dnf'),
    (dict(RHEL, type='Os::Centos', key='centos_8_64', name='CentOS 8'), 'dnf'),
    (dict(RHEL, type='Os::Rocky', key='rocky_9_64', name='Rocky Linux 9'), 'dnf'),
    (SLES, 'zypper'),
    (dict(SLES, type='Os::Opensuse', key='opensuse-leap_15_64', name='openSUSE Leap 15.5'), 'zypper'),
])
def test_rpm_packages_with_epochs_get_the_manager_of_the_os(os_detail, manager):
    updates = [update(10, 'openssl-libs', 'Packages::Rpm', '1:1.1.1k-4.el8', '1:1.1.1k-5.el8', ['CVE-2030-1000']),
               update(11, 'kernel-core', 'Packages::Rpm', '4.18.0-477.10.1.el8_8', '4.18.0-477.13.1.el8_8', [])]
    result = plan(detail(updates, os_detail))
    assert result['packages'] == [{'name': 'openssl-libs', 'type': 'Packages::Rpm', 'manager': manager,
                                   'current': '1:1.1.1k-4.el8', 'target': '1:1.1.1k-5.el8', 'update_id': 10,
                                   'cves': ['CVE-2030-1000']}]
    assert result['other_updates'] == 1


@pytest.mark.parametrize('os_detail, reason', [
    (None, 'the server detail names no OS, so neither dnf nor zypper can be chosen for an RPM package'),
    ({'type': 'Os::Gentoo', 'key': 'gentoo', 'name': 'Gentoo'}, 'no RPM package manager is known for the OS'),
])
def test_rpm_package_on_an_unknown_os_is_manual(os_detail, reason):
    updates = [update(10, 'openssl', 'Packages::Rpm', '1.1.1k-4', '1.1.1k-5', ['CVE-2030-1000'])]
    result = plan(detail(updates, os_detail))
    assert result['packages'] == [] and result['manual'][0]['reason'].startswith(reason)


def test_rpm_epoch_beats_version_in_the_newer_check():
    updates = [update(10, 'bind', 'Packages::Rpm', '32:9.11.4-26.P2.el7', '9.16.23-1.el9', ['CVE-2030-1000']),
               update(11, 'tzdata', 'Packages::Rpm', '2030a-1.el9', '2030b-1.el9', ['CVE-2030-1001'])]
    result = plan(detail(updates))
    assert [p['name'] for p in result['packages']] == ['tzdata']
    assert result['manual'][0]['reason'] == ('the target version 9.16.23-1.el9 is not newer than the current version '
                                             '32:9.11.4-26.P2.el7')


# --- allow-list -----------------------------------------------------------------------------------------------------

def test_allow_list_sets_aside_until_it_expires_and_by_subject():
    updates = [update(10, 'openssl', 'Packages::Deb', '3.0.2-0ubuntu1.9', '3.0.2-0ubuntu1.10',
                      ['CVE-2030-1000', 'CVE-2030-1001', 'CVE-2030-1002'])]
    ubuntu = detail(updates, server('ubuntu_firefox')['os'])
    allow = [{'match': 'cve-2030-1000', 'justification': 'not reachable (RISK-1)', 'expires': '2030-12-31'},
             {'match': 'CVE-2030-1001', 'justification': 'old waiver', 'expires': '2030-06-14'},
             {'match': 'CVE-2030-1002', 'justification': 'only on db hosts', 'expires': '2031-01-01',
              'subjects': ['db1']}]
    result = plan(ubuntu, {'min_level': 'unknown', 'allow_list': allow}, subject='web1')
    assert result['allowed'] == [{'cve': 'CVE-2030-1000', 'match': 'cve-2030-1000',
                                  'justification': 'not reachable (RISK-1)', 'expires': '2030-12-31'}]
    assert result['selected'] == ['CVE-2030-1001', 'CVE-2030-1002']
    assert result['notes'] == ['the allow-list entry CVE-2030-1001 expired on 2030-06-14: CVE-2030-1001 stays selected']
    assert result['packages'][0]['cves'] == ['CVE-2030-1001', 'CVE-2030-1002']
    on_db = plan(ubuntu, {'min_level': 'unknown', 'allow_list': allow}, subject='DB1')
    assert on_db['selected'] == ['CVE-2030-1001']
    # Every selected CVE allow-listed: nothing to do, nothing dropped silently.
    quiet = plan(ubuntu, {'cves': ['CVE-2030-1000'], 'allow_list': allow})
    assert quiet['selected'] == [] and quiet['packages'] == [] and quiet['allowed'][0]['cve'] == 'CVE-2030-1000'


# --- hostile and malformed update records: manual findings, never arguments -------------------------------------------

DEB_OS = {'type': 'Os::Debian', 'key': 'debian_12_64', 'name': 'Debian 12'}


@pytest.mark.parametrize('changes, reason', [
    ({'target': {'product': 'openssl;id'}, 'current': {'product': 'openssl;id'}},
     "the package name 'openssl;id' is not a Debian package name"),
    ({'target': {'product': '$(touch /tmp/x)'}, 'current': {'product': '$(touch /tmp/x)'}},
     "the package name '$(touch /tmp/x)' is not a Debian package name"),
    ({'target': {'product': '-oAPT::Update::Pre-Invoke::=id'}, 'current': {'product': '-oAPT::Update::Pre-Invoke::=id'}},
     "the package name '-oAPT::Update::Pre-Invoke::=id' is not a Debian package name"),
    ({'target': {'product': 'openssl ssh'}, 'current': {'product': 'openssl ssh'}},
     "the package name 'openssl ssh' is not a Debian package name"),
    ({'target': {'version': "{{ lookup('pipe','id') }}"}},
     "the target version \"{{ lookup('pipe','id') }}\" is not a Debian version"),
    ({'target': {'version': '3.0.3 --allow-unauthenticated'}},
     "the target version '3.0.3 --allow-unauthenticated' is not a Debian version"),
    ({'current': {'version': '{% raw %}1{% endraw %}'}}, "the current version '{% raw %}1{% endraw %}' is not a Debian"),
    ({'target': {'version': None}}, 'the target version is missing'),
    ({'target': {'product': None}, 'current': {'product': None}}, 'the package name is missing'),
    ({'target': {'type': None}}, 'an update without a type is not a Deb or Rpm package'),
    ({'target': {'type': 'Packages::Snap'}, 'current': {'type': 'Packages::Snap'}}, "the type 'Packages::Snap' is not"),
    ({'current': {'type': 'Packages::Rpm'}}, "the current type 'Packages::Rpm' is not the target type 'Packages::Deb'"),
    ({'target': {'product': 'openssl3'}}, "the target package 'openssl3' is not the installed package 'openssl'"),
    ({'target': {'version': '3.0.2-0ubuntu1.8'}},
     'the target version 3.0.2-0ubuntu1.8 is not newer than the current version 3.0.2-0ubuntu1.9'),
    ({'target': None}, 'updates[0].target is missing or not a record'),
    ({'current': 'openssl 3.0.2'}, 'updates[0].current is missing or not a record'),
    ({'patchable': None}, 'Cyberwatch marks the update not patchable (patchable: None)'),
    ({'patchable': 'true'}, 'Cyberwatch marks the update not patchable (patchable: true)'),
    ({'ignored': True}, 'the update is ignored in Cyberwatch'),
    ({'id': None}, 'updates[0].id None is not an update id'),
    ({'id': '12; DROP'}, "updates[0].id '12; DROP' is not an update id"),
    ({'id': True}, 'updates[0].id True is not an update id'),
])
def test_hostile_or_malformed_updates_become_manual_findings(changes, reason):
    item = update(10, 'openssl', 'Packages::Deb', '3.0.2-0ubuntu1.9', '3.0.2-0ubuntu1.10', ['CVE-2030-1000'])
    for key, value in changes.items():
        if isinstance(value, dict):
            item[key].update(value)
        else:
            item[key] = value
    result = plan(detail([item], DEB_OS))
    assert result['packages'] == [] and result['updates'] == [] and result['update_ids'] == []
    assert len(result['manual']) == 1 and result['manual'][0]['reason'].startswith(reason)
    assert result['manual'][0]['cves'] == ['CVE-2030-1000'] and result['no_update'] == []


def test_a_very_long_hostile_name_is_cut_in_the_reason():
    item = update(10, 'a' * 100000, 'Packages::Deb', '1.0', '1.1', ['CVE-2030-1000'])
    reason = plan(detail([item], DEB_OS))['manual'][0]['reason']
    assert len(reason) < 400 and '99800 characters cut' in reason


def test_cves_no_update_fixes_are_listed():
    item = update(10, 'openssl', 'Packages::Deb', '1.0', '1.1', ['CVE-2030-1000'])
    result = plan(detail([item], DEB_OS, cves=['CVE-2030-1000', 'CVE-2030-2000']))
    assert result['selected'] == ['CVE-2030-1000', 'CVE-2030-2000'] and result['no_update'] == ['CVE-2030-2000']


def test_plan_is_untrusted_on_cores_without_data_tagging():
    item = update(10, 'openssl', 'Packages::Deb', '1.0', '1.1', ['CVE-2030-1000'])
    result = plan(detail([item], DEB_OS))
    if DATA_TAGGING:
        pytest.skip('ansible-core 2.19+: plugin values are never trusted as templates')
    assert isinstance(result['packages'][0]['name'], AnsibleUnsafe)
    assert isinstance(result['subject'], AnsibleUnsafe)


# --- malformed details and selections: errors naming the field -----------------------------------------------------

@pytest.mark.parametrize('mutate, message', [
    (lambda d: d.pop('id'), 'remediation_plan: the server detail has no id'),
    (lambda d: d.update(id='7; rm'), "remediation_plan: the server detail id '7; rm' is not a server id"),
    (lambda d: d.pop('updates'), 'remediation_plan: the server detail of server 77 has no updates list'),
    (lambda d: d.update(updates={'id': 1}), 'has a malformed updates list'),
    (lambda d: d.pop('cve_announcements'), 'the server detail of server 77 has no cve_announcements list'),
    (lambda d: d['cve_announcements'].append('CVE-1'), 'cve_announcements[1] of server 77 is not a record'),
    (lambda d: d['cve_announcements'].append({'cve_code': None}), 'cve_announcements[1].cve_code of server 77 is missing'),
    (lambda d: d['updates'].append(None), 'updates[1] of server 77 is not a record'),
    (lambda d: d['updates'][0].update(cve_announcements=None),
     'updates[0].cve_announcements of server 77 is not a list of CVE codes'),
    (lambda d: d['updates'][0].update(cve_announcements=[{'cve_code': 'CVE-2030-1000'}]),
     'updates[0].cve_announcements of server 77 is not a list of CVE codes'),
])
def test_malformed_server_detail_fails_naming_the_field(mutate, message):
    item = update(10, 'openssl', 'Packages::Deb', '1.0', '1.1', ['CVE-2030-1000'])
    broken = detail([item], DEB_OS)
    mutate(broken)
    with pytest.raises(AnsibleFilterError, match='^remediation_plan: ') as caught:
        plan(broken)
    assert message in str(caught.value)


@pytest.mark.parametrize('value', [None, [], 'web1', 42])
def test_a_server_detail_that_is_not_a_record_fails(value):
    with pytest.raises(AnsibleFilterError, match='expects a Cyberwatch server detail'):
        remediation_plan(value, {'min_level': 'high'})


@pytest.mark.parametrize('selection, message', [
    (None, 'must be a dictionary with min_level or cves'),
    ({}, 'needs min_level (one of critical, high, medium, low, unknown) or a non-empty cves list'),
    ({'cves': []}, 'needs min_level'),
    ({'min_level': 'high', 'cves': ['CVE-2030-1000']}, 'give min_level or cves, not both'),
    ({'min_level': 'severe'}, "min_level must be one of critical, high, medium, low, unknown, got 'severe'"),
    ({'min_level': 3}, 'min_level must be one of'),
    ({'cves': 'CVE-2030-1000'}, "cves must be a list of CVE codes, got 'CVE-2030-1000'"),
    ({'cves': ['CVE-2030-1000', None]}, 'cves[1] must be a CVE code, got None'),
    ({'min_level': 'high', 'now': '2030-01-01'}, 'unknown key(s) now; accepted: min_level, cves, allow_list, today'),
    ({'min_level': 'high', 'today': 'tomorrow'}, "today: 'tomorrow' is not a date in YYYY-MM-DD form"),
    ({'min_level': 'high', 'allow_list': [{'match': 'CVE-1'}]}, 'allow-list entry 1 (CVE-1): missing justification'),
])
def test_bad_selection_fails_naming_the_option(selection, message):
    item = update(10, 'openssl', 'Packages::Deb', '1.0', '1.1', ['CVE-2030-1000'])
    with pytest.raises(AnsibleFilterError) as caught:
        remediation_plan(detail([item], DEB_OS), selection, catalogue=[])
    assert message in str(caught.value)


def test_min_level_without_levels_fails_rather_than_selecting_nothing():
    firefox = server('ubuntu_firefox')
    with pytest.raises(AnsibleFilterError, match='selection min_level needs the CVE levels.*catalogue='):
        plan(firefox, {'min_level': 'critical'})
    # An entry that carries its own level (the simulator's catalogue fields) is enough.
    levelled = copy.deepcopy(firefox)
    levelled['cve_announcements'][0]['level'] = 'level_critical'
    assert plan(levelled, {'min_level': 'critical'})['selected'] == ['CVE-2020-16044']


def test_method_must_be_known():
    with pytest.raises(AnsibleFilterError, match="method must be one of package, cyberwatch, got 'ssh'"):
        plan(server('ubuntu_firefox'), method='ssh')


# --- remediation_plans: a play's hosts in one call -----------------------------------------------------------------

def match(subject, server_id=None, problem=None, names=None):
    """A match of cyberwatch_server_matches: its server (a listed server: id and hostname) or its problem."""
    server_record = None if server_id is None else {'id': server_id, 'hostname': subject}
    return {'subject': subject, 'names': names or [subject], 'server': server_record,
            'server_ids': [] if server_id is None else [str(server_id)], 'problem': problem}


def test_plans_of_a_play_are_each_host_s_plan_with_its_own_selection_and_method():
    item = update(10, 'openssl', 'Packages::Deb', '1.0', '1.1', ['CVE-2030-1000'])
    web, db = detail([item], DEB_OS, id=7, hostname='web1'), detail([item], DEB_OS, id=8, hostname='db1')
    selections = {'web1': {'min_level': 'unknown', 'today': TODAY}, 'db1': {'cves': ['CVE-2030-1000'], 'today': TODAY}}
    plans = remediation_plans([match('web1', 7), match('db1', 8)], [db, web], selections, methods={'db1': 'cyberwatch'})
    assert list(plans) == ['web1', 'db1'] and plans['web1']['problem'] == plans['db1']['problem'] == ''
    assert plans['web1']['plan'] == remediation_plan(web, selections['web1'], subject='web1')
    assert plans['db1']['plan'] == remediation_plan(db, selections['db1'], subject='db1', method='cyberwatch')
    assert plans['web1']['plan']['method'] == 'package' and plans['db1']['plan']['packages'] == []


def test_a_host_without_a_plan_says_why_and_never_fails_the_others():
    item = update(10, 'openssl', 'Packages::Deb', '1.0', '1.1', ['CVE-2030-1000'])
    good, hostile = detail([item], DEB_OS, id=7), detail([item], DEB_OS, id=9)
    hostile['updates'] = {'id': 1}
    matches = [match('web1', 7), match('lost', names=['lost', '10.0.0.9', 'lost']), match('twin', problem='ambiguous: 2 servers'),
               match('gone', 8), match('hostile', 9), match('odd', 7)]
    selection = {'min_level': 'unknown', 'today': TODAY}
    plans = remediation_plans(matches, [good, hostile], dict.fromkeys(['web1', 'lost', 'twin', 'gone', 'hostile', 'odd'],
                                                                      selection), methods={'odd': 'ssh'})
    assert plans['web1']['plan']['selected'] == ['CVE-2030-1000']
    problems = dict((subject, plans[subject]['problem']) for subject in plans if not plans[subject]['plan'])
    assert problems == {
        'lost': 'no Cyberwatch server matches lost or 10.0.0.9', 'twin': 'ambiguous: 2 servers',
        'gone': 'the detail of server 8 could not be read (HTTP 404: deleted since the listing)',
        'hostile': 'remediation_plan: the server detail of server 9 has a malformed updates list: read it by id with '
                   'cyberwatch_server_info',
        'odd': "remediation_plan: method must be one of package, cyberwatch, got 'ssh'"}


@pytest.mark.parametrize('args, message', [
    (({'web1': {}}, [], {}), 'expects the matches of cyberwatch_server_matches'),
    (([{'server': None}], [], {}), 'expects the matches of cyberwatch_server_matches'),
    (([], {'id': 7}, {}), 'details must be the server details of cyberwatch_server_info'),
    (([], [7], {}), 'details must be the server details'),
    (([], [], ['web1']), "selections must be a dictionary of subject: value, got ['web1']"),
])
def test_plans_of_a_play_check_their_arguments(args, message):
    with pytest.raises(AnsibleFilterError, match='^remediation_plans: ') as caught:
        remediation_plans(*args)
    assert message in str(caught.value)


def test_plans_of_a_play_take_the_methods_by_subject():
    with pytest.raises(AnsibleFilterError, match="methods must be a dictionary of subject: value, got 'package'"):
        remediation_plans([], [], {}, methods='package')


# --- remediation_plans_brief: what the role shows of each plan ------------------------------------------------------

def test_the_brief_of_the_plans_keeps_what_each_plan_decides_and_each_problem():
    item = update(10, 'openssl', 'Packages::Deb', '1.0', '1.1', ['CVE-2030-1000'])
    selection = {'min_level': 'unknown', 'today': TODAY}
    plans = remediation_plans([match('web1', 7), match('lost')], [detail([item], DEB_OS, id=7, hostname='web1')],
                              {'web1': selection, 'lost': selection})
    brief = remediation_plans_brief(plans)
    assert list(brief) == ['web1', 'lost'] and brief['lost'] == {'problem': 'no Cyberwatch server matches lost'}
    web = plans['web1']['plan']
    assert brief['web1'] == {
        'server_id': 7, 'method': 'package', 'selected': ['CVE-2030-1000'], 'packages': web['packages'],
        'update_ids': [10], 'manual': [], 'no_update': [], 'allowed': [], 'not_present': [], 'notes': []}
    assert web['packages'][0]['name'] == 'openssl' and 'updates' in web and 'updates' not in brief['web1']


@pytest.mark.parametrize('plans, message', [
    ([], 'expects the result of remediation_plans'),
    ({'web1': {'plan': {}}}, 'expects the result of remediation_plans'),
    ({'web1': {'plan': {'server_id': 7}, 'problem': ''}}, "the plan of 'web1': expects the result of remediation_plan "
                                                          "(missing method, selected"),
])
def test_the_brief_of_the_plans_checks_its_input(plans, message):
    with pytest.raises(AnsibleFilterError, match='^remediation_plans_brief: ') as caught:
        remediation_plans_brief(plans)
    assert message in str(caught.value)
