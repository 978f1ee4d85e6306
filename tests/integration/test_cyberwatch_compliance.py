"""cyberwatch_compliance_rule(_info), cyberwatch_compliance_server_info and cyberwatch_compliance_recheck against the
simulator (its seeded 4,646-rule catalogue: every rule lookup lists 47 pages, as on a stock server)."""

from playbook_steps import task_of, that

RULE = 'secops.vulnmgmt.cyberwatch_compliance_rule'
RULE_INFO = 'secops.vulnmgmt.cyberwatch_compliance_rule_info'
SERVER_INFO = 'secops.vulnmgmt.cyberwatch_compliance_server_info'
RECHECK = 'secops.vulnmgmt.cyberwatch_compliance_recheck'
CODE = 'IT-Custom-001'
DEFINITION = {'code': CODE, 'name': 'Cron is root-only', 'equation': '(1 && 2)', 'os': ['ubuntu_2204_64', 'debian_12_64'],
              'checks': [{'content': 'stat -c %U /etc/cron.d', 'success': '^root$'},
                         {'content': 'stat -c %a /etc/cron.d', 'success': '^7[05]0$', 'failure': '.'}]}
task = task_of(RULE)


def test_rule_life_cycle(sim, ansible):
    ansible.playbook([
        task(RULE, register='predicted', check=True, **DEFINITION),
        that('predicted is changed', "predicted.compliance_rule.code == '%s'" % CODE),
        task(RULE, register='created', **DEFINITION),
        task(RULE, register='again', **DEFINITION),
        that('created is changed', 'again is not changed', "created.compliance_rule.type == 'CbwCompliance::Rules::Custom'",
             "created.compliance_rule.os | map(attribute='key') | sort == ['debian_12_64', 'ubuntu_2204_64']",
             'created.compliance_rule.checks | map(attribute="order") | list == [1, 2]'),
        task(RULE, register='level_check', check=True, code=CODE, level='medium'),
        task(RULE, register='level', code=CODE, level='medium', os=['debian_12_64', 'ubuntu_2204_64']),
        that('level_check is changed', 'level is changed',
             "level.diff == {'before': {'level': 'minimal'}, 'after': {'level': 'medium'}}",
             "level.compliance_rule.level == 'medium'"),
        task(RULE_INFO, register='by_code', code=CODE),
        task(RULE_INFO, register='by_id', id='{{ created.compliance_rule.id }}'),
        task(RULE_INFO, register='custom', custom=True),
        that('by_code.compliance_rules | length == 1', "by_code.compliance_rules[0].level == 'medium'",
             "'servers' in by_id.compliance_rules[0]",
             "custom.compliance_rules | map(attribute='code') | select('equalto', '%s') | list | length == 1" % CODE,
             "custom.compliance_rules | rejectattr('type', 'equalto', 'CbwCompliance::Rules::Custom') | list == []"),
        task(RULE, register='delete_check', check=True, code=CODE, state='absent'),
        task(RULE, register='deleted', code=CODE, state='absent'),
        task(RULE, register='deleted_again', code=CODE, state='absent'),
        that('delete_check is changed', 'deleted is changed', 'deleted_again is not changed',
             "deleted.diff.before.code == '%s'" % CODE, 'deleted.compliance_rule is none'),
    ])
    writes = [(w['method'], w['path'].rsplit('/', 1)[-1]) for w in sim.writes()]
    assert [method for method, dummy in writes] == ['POST', 'PUT', 'DELETE'], writes


def test_rule_bad_input_fails_before_any_request(sim, ansible):
    ansible.playbook([
        dict(task(RULE, register='orders', code='x', name='x',
             checks=[{'content': 'a', 'order': 1}, {'content': 'b', 'order': 1}]), ignore_errors=True),
        dict(task(RULE, register='level', code='x', level='extreme'), ignore_errors=True),
        dict(task(RULE, register='content', code='x', checks=[{'success': 'a'}]), ignore_errors=True),
        dict(task(RULE, register='nameless', code='IT-Nameless'), ignore_errors=True),
        that("'each order must be unique' in orders.msg", "'value of level must be one of' in level.msg",
             "'missing required arguments: content' in content.msg",
             "'name is required to create a compliance_rule' in nameless.msg"),
    ])
    # Only the nameless rule was looked up (one listing), and nothing was written.
    requests = sim.requests()
    assert {(r['method'], r['path']) for r in requests} == {('GET', '/api/v3/compliance/rules')}
    assert len([r for r in requests if 'page=1&' in r['query'] + '&']) == 1


def test_server_results_and_rechecks(sim, ansible, cyberwatch_api):
    server = next(s for s in cyberwatch_api.list('compliance_server') if s['compliance_rules_count'])
    rule_code = 'SBP-LIN-01-001-cron'
    sim.clear_requests()
    ansible.playbook([
        task(SERVER_INFO, register='one', hostname=server['hostname'].upper()),  # the API filter is case-sensitive
        task(SERVER_INFO, register='every', group='{{ one.compliance_servers[0].groups[0].name }}'),
        that('one.compliance_servers | length == 1',
             'one.compliance_servers[0].rules | length == %d' % server['compliance_rules_count'],
             "one.compliance_servers[0].rules | selectattr('status', 'equalto', 'failed') | list | length"
             " == one.compliance_servers[0].compliance_rules_failed_count",
             "every.compliance_servers | map(attribute='id') | select('equalto', %d) | list | length == 1" % server['id'],
             "'rules' not in every.compliance_servers[0]"),
        task(RECHECK, register='server_check', check=True, server=server['hostname']),
        task(RECHECK, register='rule_check', check=True, rule=rule_code),
        that('server_check is changed', 'rule_check is changed', "rule_check.action == 'recheck_servers'",
             "rule_check.compliance_rule.code == '%s'" % rule_code),
    ])
    assert sim.writes() == []
    ansible.playbook([
        task(RECHECK, register='by_server', server=str(server['id'])),
        task(RECHECK, register='by_rule', rule=rule_code),
        task(RECHECK, register='waited', server=server['hostname'], wait=True, timeout=30),
        that('by_server is changed', "by_server.compliance_server.status == 'gen_analyzing'",
             "by_rule.compliance_rule.servers | map(attribute='status') | unique | list in [[], ['gen_analyzing']]",
             "waited.compliance_server.status in ['cbw_compliance_server_compliant', 'cbw_compliance_server_not_compliant']",
             "waited.compliance_server.rules | selectattr('status', 'equalto', 'gen_analyzing') | list == []",
             'waited.compliance_server.rules | length == %d' % server['compliance_rules_count']),
        dict(task(RECHECK, register='missing', server='no-such-host.example.com'), ignore_errors=True),
        that('missing is failed', "'no compliance_server with hostname' in missing.msg"),
    ])
    assert [(w['method'], w['path']) for w in sim.writes()] == [
        ('PUT', '/api/v3/compliance/servers/%d/recheck_rules' % server['id']),
        ('PUT', '/api/v3/compliance/rules/6885/recheck_servers'),
        ('PUT', '/api/v3/compliance/servers/%d/recheck_rules' % server['id'])]
