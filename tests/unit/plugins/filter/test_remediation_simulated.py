"""remediation_plan, remediation_package_args and remediation_verify on the server details the simulator derives
from a host's packages (tests/simulator/packages.py: one update per package and fixing version, the remediation
end-to-end test's demo package, RPM epochs, a Windows program), before and after an upgrade."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.secops.vulnmgmt.plugins.filter.remediation import (
    remediation_package_args, remediation_plan, remediation_summary, remediation_verify,
)
from ansible_collections.secops.vulnmgmt.tests.simulator.cyberwatch import packages as sim
from ansible_collections.secops.vulnmgmt.tests.unit.plugins.filter.test_remediation_plan import RHEL, catalogue

DEBIAN = {'key': 'debian_12_64', 'name': 'Debian GNU/Linux 12 (bookworm)', 'type': 'Os::Debian'}
WINDOWS = {'key': 'windows_2019_64', 'name': 'Windows Server 2019', 'type': 'Os::Windows'}
LEVELS = catalogue(CVE_2099_1001='critical', CVE_2099_1003='high', CVE_2024_6387='high', CVE_2017_18018='medium',
                   CVE_2022_0778='high', CVE_2023_0286='high', CVE_2020_15673='high')


def simulated(installed, os_detail, reboot=False):
    """A server detail as the simulator answers it for these installed packages ({product: version})."""
    kind = {'Os::Debian': sim.DEB, 'Os::Redhat': sim.RPM, 'Os::Windows': sim.WINAPP}[os_detail['type']]
    cves, updates = sim.derive([{'vendor': None, 'product': name, 'type': kind, 'version': version}
                                for name, version in installed.items()])
    for number, item in enumerate(updates):
        item['id'] = 500 + number
    return {'id': 9, 'hostname': 'demo1', 'os': os_detail, 'reboot_required': reboot, 'updates': updates,
            'cve_announcements': [{'cve_code': code, 'ignored': False, 'comment': None, 'fixed_at': None,
                                   'detected_at': '2030-06-15T10:00:00.000+02:00', 'prioritized': True}
                                  for code in cves]}


def test_the_demo_package_critical_then_high():
    before = simulated({sim.DEMO_PACKAGE: '1.0', 'coreutils': '9.1-1'}, DEBIAN)
    critical = remediation_plan(before, {'min_level': 'critical'}, catalogue=LEVELS, subject='demo1')
    assert critical['selected'] == [sim.DEMO_CRITICAL]
    assert [(p['name'], p['target'], p['cves']) for p in critical['packages']] == [
        (sim.DEMO_PACKAGE, '1.1', [sim.DEMO_CRITICAL])]
    assert remediation_package_args(critical, 'target')['tasks'][0]['args']['name'] == ['vulnmgmt-demo=1.1']
    high = remediation_plan(before, {'min_level': 'high'}, catalogue=LEVELS)
    assert high['selected'] == [sim.DEMO_CRITICAL, sim.DEMO_LATE] and len(high['packages']) == 2
    # One pin per package: the newest target, the only version that fixes every selected CVE.
    assert remediation_package_args(high, 'target')['tasks'][0]['args']['name'] == ['vulnmgmt-demo=1.3']
    assert remediation_package_args(high)['tasks'][0]['args'] == {'name': ['vulnmgmt-demo'], 'state': 'latest',
                                                                  'only_upgrade': True}
    # The local repository has 1.2 at most: latest reaches it, the critical CVE closes, the other remains.
    upgraded = simulated({sim.DEMO_PACKAGE: '1.2', 'coreutils': '9.1-1'}, DEBIAN, reboot=True)
    verified = remediation_verify(high, upgraded)
    assert verified['closed'] == [sim.DEMO_CRITICAL] and verified['remaining'] == [sim.DEMO_LATE]
    assert verified['reboot_pending'] is True
    summary = remediation_summary([verified], today='2030-06-15')
    assert summary['failed_subjects'] == ['demo1'] and [f['id'] for f in summary['findings']] == [sim.DEMO_LATE]
    # coreutils' CVE has no fix: selected with min_level medium, it is no_update, then not patchable.
    medium = remediation_plan(before, {'min_level': 'medium'}, catalogue=LEVELS)
    assert medium['no_update'] == ['CVE-2017-18018']
    assert remediation_verify(medium, upgraded)['not_patchable'] == ['CVE-2017-18018']


def test_rpm_epochs_from_the_simulator():
    before = simulated({'openssl': '1:3.0.1-1.el9', sim.DEMO_PACKAGE: '1.0-1'}, RHEL)
    plan = remediation_plan(before, {'min_level': 'high'}, catalogue=LEVELS)
    assert [(p['name'], p['manager'], p['target']) for p in plan['packages']] == [
        ('openssl', 'dnf', '1:3.0.1-20.el9_0'), ('openssl', 'dnf', '1:3.0.7-6.el9_2'),
        (sim.DEMO_PACKAGE, 'dnf', '1.1'), (sim.DEMO_PACKAGE, 'dnf', '1.3')]
    installed = {'openssl': [{'epoch': 1, 'version': '3.0.1', 'release': '1.el9'}],
                 sim.DEMO_PACKAGE: [{'epoch': None, 'version': '1.0', 'release': '1'}]}
    args = remediation_package_args(plan, 'target', installed)
    assert args['tasks'][0]['args']['name'] == ['openssl-1:3.0.7-6.el9_2', 'vulnmgmt-demo-1.3']


def test_a_windows_program_is_manual():
    before = simulated({'Mozilla Firefox 69.0 (x64 fr)': '69.0'}, WINDOWS)
    plan = remediation_plan(before, {'min_level': 'high'}, catalogue=LEVELS)
    assert plan['packages'] == [] and plan['manual'][0]['current_product'] == 'Mozilla Firefox 69.0 (x64 fr)'
    assert remediation_verify(plan, before)['not_patchable'] == ['CVE-2020-15673']
