# -*- coding: utf-8 -*-
# Copyright: secops.vulnmgmt contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Consistent listings over offset pagination, for both platforms.

Offset pages of a collection that changes while it is read skip a record (one was deleted on an earlier page) or
repeat one (one was inserted before the current page). A listing is accepted only when no id repeats, the announced
total (Cyberwatch X-Total, CyStack DRF count) stayed the same on every page, and the records add up to it. Otherwise
it is read again, a bounded number of times, and then fails: a partial listing is never passed off as complete.

Once the first page tells how many pages there are (a total), the other pages are read concurrently, at most
max_workers in flight, and kept in page order; without a total the next links are followed one by one.

It is also the one place where the shape of an answer is checked (checked_records, checked_object): a page that is
not a list of objects, a record without a usable id, a field the code reads with the wrong type is an ApiError
naming the method, the path and what was wrong, before any of it is used.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.secops.vulnmgmt.plugins.module_utils.transport import ApiError, concurrent_map

LISTING_ATTEMPTS = 3
# JSON types a field may have: an id or a natural key is a scalar (null allowed only where said).
SCALAR = (str, int, float)
JSON_KINDS = ((bool, 'a boolean'), (str, 'a string'), ((int, float), 'a number'), (dict, 'an object'),
              (list, 'a list'), (type(None), 'null'))
# A larger announced page count is not believed: the pages are then read one by one, following the next links.
MAX_CONCURRENT_PAGES = 100000


class Page:
    """One page as a client read it: its records, the total it announced, the number of the last page (known from
    that total or a last link, else None) and the number of the next page (None on the last one)."""

    __slots__ = ('records', 'total', 'last', 'next')

    def __init__(self, records, total=None, last=None, next_page=None):
        self.records = records
        self.total = total
        self.last = last
        self.next = next_page


# The exact types of decoded JSON, looked up first: kind() runs on every field an inventory plugin reads.
KIND_OF_TYPE = dict((one, name) for types, name in JSON_KINDS for one in (types if isinstance(types, tuple) else (types,)))


def kind(value):
    """The JSON kind of a value, for messages: 'a list', 'an object', 'a string', ..."""
    return KIND_OF_TYPE.get(type(value)) or next((name for types, name in JSON_KINDS if isinstance(value, types)),
                                                 type(value).__name__)


def expected(types):
    """'a string or a number' for a field's accepted types."""
    names = []
    for value in (types if isinstance(types, tuple) else (types,)):
        name = next(n for t, n in JSON_KINDS if value is t or (isinstance(t, tuple) and value in t))
        if name not in names:
            names.append(name)
    return ' or '.join(names)


def malformed(method, path, what, status=None):
    """The ApiError of an answer whose shape cannot be used."""
    return ApiError('%s %s: malformed answer: %s; nothing was used from it' % (method, path, what),
                    status=status, method=method, path=path)


def record_problem(record, fields=None, id_field='id'):
    """Why one API object cannot be used, or None: it is not an object, its id_field (None: no id needed) is missing
    or not a scalar, or a field of fields ({name: type or tuple of types}) has another type (null is accepted)."""
    if not isinstance(record, dict):
        return 'it is %s, not an object' % kind(record)
    if id_field is not None:
        value = record.get(id_field)
        if value is None or value == '':
            return 'it has no %s' % id_field
        if isinstance(value, bool) or not isinstance(value, SCALAR):
            return 'its %s is %s, not a string or a number' % (id_field, kind(value))
    for name, types in sorted((fields or {}).items()):
        value = record.get(name)
        types = types if isinstance(types, tuple) else (types,)
        if value is not None and (not isinstance(value, types) or (isinstance(value, bool) and bool not in types)):
            return 'its %s is %s, not %s' % (name, kind(value), expected(types))
    return None


def checked_records(records, method, path, fields=None, id_field='id', where='the answer', status=None):
    """records when they are a list of objects with an id and fields of the declared types; else malformed()."""
    if not isinstance(records, list):
        raise malformed(method, path, '%s is %s where a list of objects was expected' % (where, kind(records)), status)
    for index, record in enumerate(records):
        problem = record_problem(record, fields, id_field)
        if problem:
            raise malformed(method, path, 'item %d of %s: %s' % (index, where, problem), status)
    return records


def checked_object(body, method, path, fields=None, id_field=None, status=None):
    """body when it is an object with id_field and fields of the declared types; else malformed()."""
    problem = record_problem(body, fields, id_field)
    if problem:
        raise malformed(method, path, 'the answer: %s' % problem, status)
    return body


def last_page(total, page_size):
    """Number of the last page of total records, page_size a page (at least 1), or None when either is unknown."""
    if total is None or not page_size or page_size < 1:
        return None
    return max(-(-total // page_size), 1)


def read_pages(fetch_page, max_workers=1):
    """Yield (records, announced total) for every page of a listing, in page order; fetch_page(number) -> Page.

    Page 1 comes first. When it names the last page and max_workers > 1, pages 2 to last are read concurrently with
    at most max_workers requests in flight; otherwise each page's next page is read after it.
    """
    page = fetch_page(1)
    yield page.records, page.total
    if page.next is not None and page.last is not None and max_workers > 1 and page.last <= MAX_CONCURRENT_PAGES:
        for other in concurrent_map(fetch_page, range(page.next, page.last + 1), max_workers):
            yield other.records, other.total
        return
    while page.next is not None:
        page = fetch_page(page.next)
        yield page.records, page.total


def listing_problem(records, totals):
    """Why a listing (records, the total announced by each page) cannot be trusted, or None."""
    seen, repeated = set(), []
    for record in records:
        key = record.get('id') if isinstance(record, dict) else None
        if key is None:
            continue
        if key in seen:
            repeated.append(key)
        seen.add(key)
    if repeated:
        return 'id %s came twice' % ', '.join(str(k) for k in repeated[:5])
    announced = [t for t in totals if t is not None]
    if len(set(announced)) > 1:
        return 'the total moved from %s to %s between pages' % (announced[0], announced[-1])
    if announced and len(records) != announced[0]:
        return '%d records were read for a total of %d' % (len(records), announced[0])
    return None


def read_consistently(read_pages, path, attempts=LISTING_ATTEMPTS):
    """The records of the first consistent read; read_pages() yields (records of a page, announced total or None)."""
    problems = []
    for dummy in range(attempts):
        records, totals = [], []
        for page, total in read_pages():
            records.extend(page)
            totals.append(total)
        problem = listing_problem(records, totals)
        if problem is None:
            return records
        problems.append(problem)
    raise ApiError('GET %s: the collection changed while it was listed, %d times in a row (%s); nothing was used '
                   'from it. Run again when the changes settle, or raise per_page so that fewer pages are read'
                   % (path, attempts, '; '.join(problems)), method='GET', path=path)
