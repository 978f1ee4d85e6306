"""Consistent listings: a listing that moved while it was paged is read again, then refused, never passed off."""

import pytest

from ansible_collections.secops.vulnmgmt.plugins.module_utils.listing import listing_problem, read_consistently
from ansible_collections.secops.vulnmgmt.plugins.module_utils.transport import ApiError


def rows(*ids):
    return [{'id': i} for i in ids]


@pytest.mark.parametrize('pages,problem', [
    ([(rows(1, 2), 4), (rows(3, 4), 4)], None),
    ([(rows(1, 2), None), (rows(3), None)], None),
    ([(rows(1, 2), 4), (rows(2, 3), 4)], 'id 2 came twice'),
    ([(rows(1, 2), 4), (rows(4), 3)], 'the total moved from 4 to 3'),
    ([(rows(1, 2), 5), (rows(3, 4), 5)], '4 records were read for a total of 5'),
], ids=['consistent', 'no-total', 'repeated', 'total-moved', 'short'])
def test_listing_problem(pages, problem):
    records = [r for page, dummy in pages for r in page]
    found = listing_problem(records, [total for dummy, total in pages])
    assert found == problem if problem is None else problem in found


def test_an_inconsistent_read_is_read_again():
    reads = iter([[(rows(1, 2), 4), (rows(4), 3)], [(rows(1, 2), 3), (rows(4), 3)]])
    assert read_consistently(lambda: next(reads), '/api/v3/vulnerabilities/servers') == rows(1, 2, 4)


def test_a_listing_that_never_settles_fails_and_says_why():
    calls = []

    def read():
        calls.append(1)
        return [(rows(1, 2), 4), (rows(2, 3), 4)]

    with pytest.raises(ApiError) as info:
        read_consistently(read, '/v1/targets', attempts=3)
    assert len(calls) == 3
    assert info.value.method == 'GET' and info.value.path == '/v1/targets'
    assert 'changed while it was listed, 3 times in a row' in info.value.message
    assert 'id 2 came twice' in info.value.message and 'Run again' in info.value.message
