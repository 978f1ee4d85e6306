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
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.secops.vulnmgmt.plugins.module_utils.transport import ApiError, concurrent_map

LISTING_ATTEMPTS = 3
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
