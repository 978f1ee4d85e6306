"""cyberwatch_security_issue(_info) against the simulator, on the current and legacy routes: one run holds the life
cycle (check mode, create, no-op, one-field change, linked CVEs, delete twice) and the request log proves which tasks
wrote; bad input fails before any request."""

import pytest

from playbook_steps import fails_with, task_of, that

MODULE = 'secops.vulnmgmt.cyberwatch_security_issue'
INFO = 'secops.vulnmgmt.cyberwatch_security_issue_info'
PREFIX = {'current': '/api/v3/vulnerabilities/security_issues', 'legacy': '/api/v3/security_issues'}
ISSUE = {'sid': 'it-weak-tls', 'title': 'Weak TLS', 'level': 'high', 'score': 5, 'cve_announcements': ['cve-2019-16768'],
         'servers': [1]}


task = task_of(MODULE)


@pytest.mark.parametrize('routes', ['current', 'legacy'])
def test_life_cycle(sim, ansible, routes):
    tasks = [
        task(check=True, **ISSUE), that('result is changed', 'result.security_issue.id is none'),
        task(**ISSUE), that('result is changed', "result.security_issue.level == 'level_high'",
                            "result.security_issue.cve_announcements == ['CVE-2019-16768']",
                            'result.security_issue.servers == [1]',
                            "result.security_issue.type == 'SecurityIssues::Custom'"),
        task(**ISSUE), that('result is not changed'),
        task(check=True, sid='it-weak-tls', level='critical'),
        that("result.diff == {'before': {'level': 'level_high'}, 'after': {'level': 'level_critical'}}"),
        task(sid='it-weak-tls', level='critical'), that('result is changed'),
        task(sid='it-weak-tls', cve_announcements=['CVE-2017-0146', 'CVE-2019-16768'], servers=[]),
        that('result is changed', "result.diff.after.cve_announcements == ['CVE-2017-0146', 'CVE-2019-16768']",
             'result.diff.after.servers == []'),
        task(module=INFO, register='by_sid', sid='it-weak-tls'),
        that('by_sid.security_issues | length == 1', "by_sid.security_issues[0].level == 'level_critical'"),
        task(module=INFO, register='by_level', level='high'),
        that("by_level.security_issues | map(attribute='sid') | list == ['default-creds']"),
        task(module=INFO, register='by_id', id='{{ by_sid.security_issues[0].id }}'),
        that("by_id.security_issues[0].cve_announcements == ['CVE-2017-0146', 'CVE-2019-16768']"),
        task(check=True, sid='it-weak-tls', state='absent'), that('result is changed'),
        task(sid='it-weak-tls', state='absent'), that('result is changed', 'result.security_issue is none'),
        task(sid='it-weak-tls', state='absent'), that('result is not changed'),
    ]
    out = ansible.playbook(tasks, ['-vvvv'], env={'CYBERWATCH_API_ROUTES': routes})
    prefix = PREFIX[routes]
    assert [(w['method'], w['path']) for w in sim.writes()] == [
        ('POST', prefix), ('PUT', prefix + '/4'), ('PUT', prefix + '/4'), ('DELETE', prefix + '/4')]
    assert all(r['path'].startswith(prefix) for r in sim.requests())
    for secret in (sim.cyberwatch['api_key'], sim.cyberwatch['secret_key']):
        assert secret not in out.stdout + out.stderr


BAD_INPUT = [
    ({'sid': 'x', 'level': 'urgent'}, 'value of level must be one of: info, low, medium, high, critical, got: urgent'),
    ({'sid': 'x', 'score': 11}, 'score must be a number between 0 and 10, got 11.0'),
    ({'sid': 'x', 'cve_announcements': ['CVE-2021-44228', 'log4shell']},
     "cve_announcements must be a CVE code such as CVE-2021-44228, got 'log4shell'"),
    ({'sid': ' '}, "sid must be a non-empty string, got ' '"),
    ({'level': 'low'}, 'missing required arguments: sid'),
]


def test_bad_input_fails_before_any_request(sim, ansible):
    ansible.playbook([step for params, message in BAD_INPUT for step in fails_with(task(**params), message)])
    assert sim.requests() == []
