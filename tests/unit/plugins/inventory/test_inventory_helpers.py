"""plugin_utils/inventory.py: names, duplicates and record shapes (no network)."""


import pytest

from ansible_collections.secops.vulnmgmt.plugins.plugin_utils.inventory import (
    MalformedAnswer, Record, has_template, resolve_duplicates, sanitize, shape,
)


@pytest.mark.parametrize('raw,safe', [('prod', 'prod'), ('Web Servers (EU)', 'web_servers_eu'),
                                      ('Os::Windows', 'os_windows'), ('a--b', 'a_b'), ('***', '')])
def test_sanitize(raw, safe):
    assert sanitize(raw) == safe


def test_has_template():
    assert has_template("{{ lookup('env', 'X') }}") and has_template('{% if x %}y{% endif %}')
    assert not has_template('plain') and not has_template(None) and not has_template(3)


def candidates():
    return [('web', 9, 'c'), ('db', 3, 'd'), ('web', 2, 'a'), ('web', 5, 'b')]


def test_duplicates_suffix_by_id_order_whatever_the_input_order():
    assert resolve_duplicates(candidates(), 'suffix', None) == [('web', 'a'), ('db', 'd'), ('web_5', 'b'), ('web_9', 'c')]
    assert resolve_duplicates(list(reversed(candidates())), 'suffix', None) == resolve_duplicates(
        candidates(), 'suffix', None)


def test_duplicates_skip_warns_once_per_skipped_record():
    warnings = []
    assert resolve_duplicates(candidates(), 'skip', warnings.append) == [('web', 'a'), ('db', 'd')]
    assert len(warnings) == 2 and 'record id 5 skipped' in warnings[0]


def test_duplicates_error_names_the_ids():
    with pytest.raises(ValueError, match="hostname 'web' is shared by the records with ids 2, 5, 9"):
        resolve_duplicates(candidates(), 'error', None)


def test_duplicates_suffix_never_collides():
    with pytest.raises(ValueError, match="'web_5' is taken too"):
        resolve_duplicates([('web', 2, 'a'), ('web', 5, 'b'), ('web_5', 7, 'c')], 'suffix', None)


def test_unknown_policy():
    with pytest.raises(ValueError, match='duplicate_hostnames must be one of suffix, skip, error'):
        resolve_duplicates([], 'rename', None)


@pytest.mark.parametrize('fields, outer', [
    ([('os.key', 'a string')], 'os'),
    ([('os', 'a string'), ('os.key', 'a string')], 'os'),
    ([('groups', 'a list'), ('groups[].name', 'a string')], 'groups'),
    ([('groups', 'an object'), ('groups[].name', 'a string')], 'groups'),
])
def test_a_shape_declares_the_field_a_nested_one_is_read_from_first(fields, outer):
    with pytest.raises(ValueError, match='needs %s declared before it' % outer):
        shape(*fields)


CVE_SHAPE = shape(('code', 'a string'), ('scores', 'a list', ('a number', 'null')), ('vendor', 'an object'),
                  ('vendor.urls', 'a list', 'a string'), ('products', 'a list', 'an object'),
                  ('products[].versions', 'a list', 'a string'))


@pytest.mark.parametrize('record, problem', [
    ({'code': 3}, 'code is a number, expected a string or null'),
    ({'scores': [1, None, '9.8']}, 'scores[2] is a string, expected a number or null'),
    ({'vendor': {'urls': ['a', 1]}}, 'vendor.urls[1] is a number, expected a string'),
    ({'products': [{}, {'versions': 'all'}]}, 'products[1].versions is a string, expected a list or null'),
    ({'products': [{'versions': [None]}]}, 'products[0].versions[0] is null, expected a string'),
])
def test_record_fields_name_the_first_field_of_another_kind(record, problem):
    with pytest.raises(MalformedAnswer) as caught:
        Record('GET /cves', record, 'record 4').fields(CVE_SHAPE)
    assert str(caught.value) == 'malformed answer to GET /cves: record 4: ' + problem


def test_record_fields_accept_nulls_absent_fields_and_the_documented_kinds():
    record = {'code': 'CVE-1', 'scores': [9.8, None, 7], 'vendor': {'urls': []}, 'products': [{'versions': None}]}
    assert Record('GET /cves', record, 'record 0').fields(CVE_SHAPE) is record
    assert Record('GET /cves', {'vendor': None, 'products': None}, 'record 1').fields(CVE_SHAPE)
