"""The trust rules of plugins/plugin_utils/trust.py: host names, addresses, unsafe marking."""

import pytest

from ansible_collections.secops.vulnmgmt.plugins.plugin_utils.trust import (
    DATA_TAGGING, address_problem, host_name_problem, possibly_template, untrusted)


@pytest.mark.parametrize('name', ['web-01', 'web-01.example.com', 'db_2', '10.0.0.5', 'A1', 'x' * 253])
def test_plain_host_names_are_accepted(name):
    assert host_name_problem(name) is None


@pytest.mark.parametrize('name,why', [
    ('localhost', 'controller'), ('LocalHost', 'controller'), ('localhost.localdomain', 'controller'),
    ('evil.localhost', 'controller'), ('127.0.0.1', 'controller'), ('127.1.2.3', 'controller'),
    ('0.0.0.0', 'controller'), ('all', 'group'), ('ungrouped', 'group'), ('prod', 'group'),
    ('a,b', 'plain'), ('web:22', 'plain'), ('web*', 'plain'), ('!web', 'plain'), ('&web', 'plain'), ('~web', 'plain'),
    ('web[0]', 'plain'), ('web 01', 'plain'), ('web\t01', 'plain'), ('-oProxyCommand=x', 'plain'), ('.hidden', 'plain'),
    ("{{ lookup('pipe', 'id') }}", 'plain'), ('a;touch x', 'plain'), ('::1', 'plain'), ('', 'empty'), (None, 'empty'),
    ('x' * 254, 'plain'), ('web\n01', 'plain'), ('web01\n', 'plain'),
])
def test_other_names_are_refused_with_the_reason(name, why):
    assert why in host_name_problem(name, taken={'prod'})


@pytest.mark.parametrize('value', ['192.0.2.10', '2001:db8::1', 'web-01.example.com', 'web-01', 'example.com.'])
def test_addresses_and_dns_names_are_accepted(value):
    assert address_problem(value) is None


@pytest.mark.parametrize('value', ['-oProxyCommand=touch x', 'a b', 'web_01.example.com', '127.0.0.1', '::1',
                                   '0.0.0.0', '224.0.0.1', 'localhost', 'x.localhost', '', None, 'a..b', '-a.b',
                                   'a' * 64 + '.com', "{{ lookup('pipe','id') }}", 'web\n'])
def test_other_addresses_are_refused(value):
    assert address_problem(value)


def test_untrusted_values_are_never_templated():
    from ansible.template import Templar
    from ansible.parsing.dataloader import DataLoader
    payload = {'name': "{{ 7 * 6 }}", 'list': ["{{ 1 + 1 }}"]}
    templar = Templar(loader=DataLoader(), variables={'payload': untrusted(payload)})
    expression = '{{ payload.name }}|{{ payload.list[0] }}'
    if DATA_TAGGING:
        from ansible.template import trust_as_template
        expression = trust_as_template(expression)  # the playbook's own text is trusted; the payload is not
    rendered = templar.template(expression)
    assert rendered == "{{ 7 * 6 }}|{{ 1 + 1 }}"
    if not DATA_TAGGING:
        from ansible.utils.unsafe_proxy import AnsibleUnsafe
        assert isinstance(untrusted(payload)['name'], AnsibleUnsafe)


@pytest.mark.parametrize('value,template', [
    ('{{ x }}', True), ('a{%b', True), ('end {#', True), ('#jinja2:variable_start_string:"<<"\n<< x >>', True),
    ('{ a }', False), ('x }}', False), ('100%', False), ('$(id)', False), ('', False),
])
def test_possibly_template_is_ansible_cores_own_test(value, template):
    assert possibly_template(value) is template
