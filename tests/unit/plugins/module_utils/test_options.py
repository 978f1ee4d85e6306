"""Options declared once: the argument spec a declaration gives, and the one wording of every rule it checks."""

import re

import pytest

from ansible_collections.secops.vulnmgmt.plugins.module_utils.options import Option, OptionSpec, max_workers
from ansible_collections.secops.vulnmgmt.plugins.module_utils.resource import Field, ResourceSpec, reconcile


def problems(option, **params):
    return OptionSpec((option,)).problems(params)


def test_a_resource_spec_gives_the_argument_spec_with_state_and_update_password():
    spec = ResourceSpec('thing', fields=(
        Field('name', required=True, nonempty=True),
        Field('level', choices=['low', 'high'], to_api=lambda value, params: 'level_' + value),
        Field('password', write_only=True),
        Field('login', write_only=True, no_log=False),
        Field('kind', exposed=False, create_default=lambda params: 'Custom'),
    ), options=(Option('id', type='int'),), required_one_of=[('id', 'name')])
    assert spec.argument_spec() == {
        'name': {'type': 'str', 'required': True},
        'level': {'type': 'str', 'choices': ['low', 'high']},
        'password': {'type': 'str', 'no_log': True},
        'login': {'type': 'str', 'no_log': False},
        'id': {'type': 'int'},
        'state': {'type': 'str', 'default': 'present', 'choices': ['present', 'absent']},
        'update_password': {'type': 'str', 'default': 'on_create', 'choices': ['on_create', 'always'], 'no_log': False},
    }
    assert spec.rules == {'required_one_of': [('id', 'name')]}
    assert spec.secret_fields == ('password', 'login')


def test_no_state_and_no_update_password_when_not_declared():
    spec = ResourceSpec('vulnerability', fields=(Field('false_positive', type='bool', required=True),), states=None)
    assert spec.argument_spec() == {'false_positive': {'type': 'bool', 'required': True}}
    assert OptionSpec((Option('id'),), states=('relaunched', 'absent')).argument_spec()['state'] == {
        'type': 'str', 'default': 'relaunched', 'choices': ['relaunched', 'absent']}


def test_with_options_adds_to_a_copy():
    base = OptionSpec((Option('a'),), mutually_exclusive=[('a', 'b')])
    extended = base.with_options(Option('b', type='bool', default=False))
    assert sorted(extended.argument_spec()) == ['a', 'b'] and sorted(base.argument_spec()) == ['a']
    assert extended.rules == base.rules


@pytest.mark.parametrize('option, params, message', [
    (Option('name', nonempty=True), {'name': ' '}, "name must be a non-empty string, got ' '"),
    (Option('target', nonempty=True, accepted='an IP address or a URL'), {'target': ''},
     "target must be an IP address or a URL, got ''"),
    (Option('score', type='float', minimum=0, maximum=10), {'score': 11.0}, 'score must be a number between 0 and 10, got 11.0'),
    (Option('port', type='int', minimum=1, maximum=65535), {'port': 0}, 'port must be an integer between 1 and 65535, got 0'),
    (Option('interval', type='int', minimum=1), {'interval': -5}, 'interval must be an integer of 1 or more, got -5'),
    (Option('ratio', type='float', maximum=1), {'ratio': 2.0}, 'ratio must be a number of 1 or less, got 2.0'),
    (Option('timeout', type='float', above=0), {'timeout': 0.0}, 'timeout must be a number greater than 0, got 0.0'),
    (Option('ids', type='list', elements='int', minimum=1), {'ids': [3, 0, -1]}, 'ids must be an integer of 1 or more, got 0, -1'),
    (Option('color', pattern=re.compile(r'^#[0-9a-f]{6}$'), accepted='#RRGGBB'), {'color': 'red'},
     "color must be #RRGGBB, got 'red'"),
    (Option('cves', type='list', elements='str', pattern=re.compile(r'^CVE-\d+$'), accepted='a CVE code'),
     {'cves': ['CVE-1', 'x', 'y']}, "cves must be a CVE code, got 'x', 'y'"),
    (Option('checks', type='list', check=lambda value: 'checks: each order must be unique' if len(value) > 1 else None),
     {'checks': [1, 1]}, 'checks: each order must be unique'),
    (Option('update_ids', type='list', only_with=('action', ['install_updates'])), {'update_ids': [], 'action': 'reboot'},
     'update_ids is only accepted with action=install_updates, not action=reboot'),
    (Option('wait', type='bool', only_with=('action', ['refresh'])), {'wait': True, 'action': 'reboot'},
     'wait is only accepted with action=refresh, not action=reboot'),
    (max_workers(4), {'max_workers': 33}, 'max_workers must be an integer between 1 and 32, got 33'),
])
def test_each_rule_has_one_wording(option, params, message):
    assert problems(option, **params) == [message]


@pytest.mark.parametrize('option, params', [
    (Option('name', nonempty=True, minimum=1), {'name': None}),
    (Option('score', type='float', minimum=0, maximum=10), {'score': 10.0}),
    (Option('wait', type='bool', only_with=('action', ['refresh'])), {'wait': False, 'action': 'reboot'}),
    (Option('update_ids', type='list', only_with=('action', ['install_updates'])), {'update_ids': [1], 'action': 'install_updates'}),
    (Option('flag', type='bool', minimum=1), {'flag': True}),
])
def test_valid_or_unset_values_break_no_rule(option, params):
    assert problems(option, **params) == []


def test_every_problem_is_reported_in_the_order_of_the_options():
    spec = OptionSpec((Option('a', nonempty=True), Option('b', type='int', minimum=0)))
    assert spec.problems({'a': '', 'b': -1}) == ["a must be a non-empty string, got ''", 'b must be an integer of 0 or more, got -1']


class Module:
    check_mode = False

    def __init__(self, **params):
        self.params = params


class Backend:
    """A backend whose lookups resolve node names, and which records what it is asked."""

    def __init__(self):
        self.asked, self.created = [], []

    def lookup(self, collection, value):
        self.asked.append((collection, value))
        return {'master': 1}[value]

    def find(self):
        return None

    def create(self, body):
        self.created.append(body)
        return dict(body, id=9)

    def delete(self, current):
        raise AssertionError('not asked')


SPEC = ResourceSpec('thing', fields=(Field('name'), Field('node', api_name='node_id', lookup='node')))


def test_the_engine_resolves_lookup_fields_through_the_backend_before_comparing():
    backend = Backend()
    result = reconcile(Module(name='a', node='master', state='present'), SPEC, backend)
    assert backend.asked == [('node', 'master')] and backend.created == [{'name': 'a', 'node_id': 1}]
    assert result['thing'] == {'name': 'a', 'node_id': 1, 'id': 9}


def test_nothing_is_looked_up_for_state_absent_or_an_unset_option():
    backend = Backend()
    reconcile(Module(name='a', node='master', state='absent'), SPEC, backend)
    reconcile(Module(name='a', node=None, state='present'), SPEC, backend)
    assert backend.asked == []
