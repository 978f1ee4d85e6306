"""cyberwatch_cve_announcement against the simulator, on the current and legacy routes: one run sets, re-applies
(no write), changes one field, removes the customisation twice, and refuses an unknown CVE; bad input fails before
any request."""

import pytest

from playbook_steps import fails_with, task_of, that

MODULE = 'secops.vulnmgmt.cyberwatch_cve_announcement'
PREFIX = {'current': '/api/v3/vulnerabilities/cve_announcements', 'legacy': '/api/v3/cve_announcements'}
CVE = 'CVE-2019-16768'
CUSTOM = {'cve_code': CVE, 'score': 3.1, 'cvss_vector': 'CVSS:3.1/AV:L/AC:H/PR:L/UI:R/S:U/C:L/I:N/A:N',
          'note': 'admin VLAN only'}
# The same customisation written differently: lower-case code, no CVSS prefix.
SAME = {'cve_code': CVE.lower(), 'score': 3.1, 'cvss_vector': 'AV:L/AC:H/PR:L/UI:R/S:U/C:L/I:N/A:N', 'note': 'admin VLAN only'}


task = task_of(MODULE)


@pytest.mark.parametrize('routes', ['current', 'legacy'])
def test_life_cycle(sim, ansible, routes):
    tasks = [
        task(check=True, **CUSTOM), that('result is changed', 'result.cve_announcement.score_custom == 3.1'),
        task(**CUSTOM), that('result is changed', 'result.cve_announcement.score_custom == 3.1',
                             "result.cve_announcement.cvss_custom.access_vector == 'access_vector_local'",
                             "result.cve_announcement.cvss_custom.privileges_required == 'privileges_required_low'",
                             "result.cve_announcement.note_custom == 'admin VLAN only'"),
        task(**SAME),
        that('result is not changed'),
        task(cve_code=CVE, note='reviewed'),
        that('result is changed', "result.diff == {'before': {'note_custom': 'admin VLAN only'}, "
                                  "'after': {'note_custom': 'reviewed'}}"),
        task(cve_code=CVE, cvss_vector='AV:L/AC:H/PR:H/UI:R/S:U/C:L/I:N/A:N'),
        that('result is changed', "result.cve_announcement.cvss_custom.privileges_required == 'privileges_required_high'"),
        task(check=True, cve_code=CVE, state='absent'), that('result is changed'),
        task(cve_code=CVE, state='absent'), that('result is changed'),
        task(cve_code=CVE, state='absent'), that('result is not changed'),
        task(cve_code='CVE-2017-0146', state='absent'), that('result is not changed'),
        *fails_with(task(cve_code='CVE-1999-99999', score=1), 'no CVE announcement CVE-1999-99999 exists'),
    ]
    out = ansible.playbook(tasks, ['-vvvv', '--diff'], env={'CYBERWATCH_API_ROUTES': routes})
    for secret in (sim.cyberwatch['api_key'], sim.cyberwatch['secret_key']):
        assert secret not in out.stdout + out.stderr
    prefix = PREFIX[routes]
    assert [(w['method'], w['path']) for w in sim.writes()] == [
        ('PUT', prefix + '/' + CVE), ('PUT', prefix + '/' + CVE), ('PUT', prefix + '/' + CVE),
        ('DELETE', prefix + '/' + CVE)]
    assert all(r['path'].startswith(prefix) for r in sim.requests())


BAD_INPUT = [
    ({'cve_code': CVE, 'cvss_vector': 'AV:N/AC:L'}, "cvss_vector 'AV:N/AC:L': PR must be one of H, L, N, got nothing"),
    ({'cve_code': CVE, 'cvss_vector': 'AV:X/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H'}, 'AV must be one of A, L, N, P, got X'),
    ({'cve_code': CVE, 'cvss_vector': 'AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/E:P'}, 'unknown metric E'),
    ({'cve_code': CVE, 'score': 12}, 'score must be a number between 0 and 10, got 12.0'),
    ({'cve_code': 'log4shell'}, "cve_code must be a CVE code such as CVE-2021-44228, got 'log4shell'"),
]


def test_bad_input_fails_before_any_request(sim, ansible):
    ansible.playbook([step for params, message in BAD_INPUT for step in fails_with(task(**params), message)])
    assert sim.requests() == []
