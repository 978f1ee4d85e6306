"""plugin_utils/inventory.py: names and duplicates (no network)."""


import pytest

from ansible_collections.secops.vulnmgmt.plugins.plugin_utils.inventory import (
    has_template, resolve_duplicates, sanitize,
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
