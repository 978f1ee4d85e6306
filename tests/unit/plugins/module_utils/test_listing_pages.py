"""Concurrent pages: once the first page tells the total, the others are read max_workers at a time, kept in page
order and checked like a sequential read; without a total the next links are followed one by one."""

import random
import threading
import time

import pytest

from ansible_collections.secops.vulnmgmt.plugins.module_utils.cyberwatch import CyberwatchClient
from ansible_collections.secops.vulnmgmt.plugins.module_utils.cystack import CyStackClient
from ansible_collections.secops.vulnmgmt.plugins.module_utils.listing import Page, last_page, read_pages
from ansible_collections.secops.vulnmgmt.plugins.module_utils.transport import ApiError


class InFlight:
    """Counts the calls running at the same time."""

    def __init__(self):
        self.lock = threading.Lock()
        self.now = self.peak = 0

    def __enter__(self):
        with self.lock:
            self.now += 1
            self.peak = max(self.peak, self.now)

    def __exit__(self, *exc):
        time.sleep(random.uniform(0, 0.004))  # finish out of order
        with self.lock:
            self.now -= 1


@pytest.mark.parametrize('total,size,last', [(0, 10, 1), (1, 10, 1), (10, 10, 1), (11, 10, 2), (None, 10, None),
                                             (5, 0, None)])
def test_last_page(total, size, last):
    assert last_page(total, size) == last


def test_pages_after_the_first_are_read_concurrently_in_page_order():
    flight, asked = InFlight(), []

    def fetch(number):
        with flight:
            asked.append(number)
            return Page([number * 10, number * 10 + 1], 40, 20, number + 1 if number < 20 else None)

    pages = list(read_pages(fetch, max_workers=4))
    assert [records for records, dummy in pages] == [[n * 10, n * 10 + 1] for n in range(1, 21)]
    assert asked[0] == 1 and sorted(asked) == list(range(1, 21))
    assert 1 < flight.peak <= 4


@pytest.mark.parametrize('workers,last', [(1, 6), (8, None)], ids=['one-worker', 'no-total'])
def test_without_a_total_or_with_one_worker_next_links_are_followed(workers, last):
    flight, asked = InFlight(), []

    def fetch(number):
        with flight:
            asked.append(number)
            return Page([number], None if last is None else 6, last, number + 2 if number < 5 else None)

    assert [records for records, dummy in read_pages(fetch, workers)] == [[1], [3], [5]]
    assert asked == [1, 3, 5] and flight.peak == 1


class FakeResponse:
    def __init__(self, links):
        self.links = links
        self.status_code = 200


class FakeCyberwatchHttp:
    """Answers GET pages of `records` like Cyberwatch; `moves` changes the records after the given request count."""

    def __init__(self, records, per_page, totals=True, links=True, moves=None):
        self.records, self.per_page, self.totals, self.links = records, per_page, totals, links
        self.moves = dict(moves or {})
        self.lock = threading.Lock()
        self.asked = []
        self.flight = InFlight()

    def request(self, method, path, params=None):
        assert method == 'GET'
        with self.lock:
            self.asked.append(params['page'])
            self.records = self.moves.pop(len(self.asked), self.records)
            records = list(self.records)
        with self.flight:
            page, size = params['page'], params['per_page']
            last = max(-(-len(records) // size), 1)
            links = {}
            if self.links and page < last:
                links = {'next': {'url': 'https://elsewhere/x?page=%d' % (page + 1)},
                         'last': {'url': 'https://elsewhere/x?page=%d' % last}}
            headers = {'X-Per-Page': str(size)}
            if self.totals:
                headers['X-Total'] = str(len(records))
            return 200, records[(page - 1) * size:page * size], headers, FakeResponse(links)


def cyberwatch(fake):
    client = CyberwatchClient('https://cbw.example.com', 'K', 'S')
    client.http = fake
    return client


def rows(*ids):
    return [{'id': i} for i in ids]


def test_cyberwatch_listing_reads_pages_concurrently_and_keeps_their_order():
    fake = FakeCyberwatchHttp(rows(*range(1, 96)), 10)
    assert cyberwatch(fake).list('server', per_page=10, max_workers=4) == rows(*range(1, 96))
    assert fake.asked[0] == 1 and sorted(fake.asked) == list(range(1, 11))  # ceil(95 / 10) requests, no more
    assert 1 < fake.flight.peak <= 4


@pytest.mark.parametrize('totals,links', [(False, True), (True, False)], ids=['link-last-only', 'x-total-only'])
def test_cyberwatch_total_from_either_header(totals, links):
    fake = FakeCyberwatchHttp(rows(*range(1, 31)), 10, totals=totals, links=links)
    assert cyberwatch(fake).list('server', per_page=10, max_workers=4) == rows(*range(1, 31))
    assert sorted(fake.asked) == [1, 2, 3]


def test_cyberwatch_a_total_that_moves_between_pages_is_read_again():
    fake = FakeCyberwatchHttp(rows(*range(1, 31)), 10, moves={3: rows(*range(1, 32))})
    assert cyberwatch(fake).list('server', per_page=10, max_workers=3) == rows(*range(1, 32))
    assert len(fake.asked) == 3 + 4  # the first read saw 30 then 31, the second read 31 on every page


def test_cyberwatch_repeated_ids_fail_after_the_bounded_attempts():
    fake = FakeCyberwatchHttp(rows(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 10, 12), 4)
    with pytest.raises(ApiError, match='id 10 came twice'):
        cyberwatch(fake).list('server', per_page=4, max_workers=3)
    assert len(fake.asked) == 3 * 3


def test_cyberwatch_a_failed_page_fails_the_listing():
    class Failing(FakeCyberwatchHttp):
        def request(self, method, path, params=None):
            if params['page'] == 3:
                raise ApiError('GET %s failed with HTTP 500' % path, status=500, method='GET', path=path)
            return super(Failing, self).request(method, path, params)

    with pytest.raises(ApiError, match='HTTP 500'):
        cyberwatch(Failing(rows(*range(1, 61)), 10)).list('server', per_page=10, max_workers=4)


class FakeCyStackHttp:
    """DRF pages of 10; count=False leaves the count out."""

    def __init__(self, records, count=True):
        self.records, self.count = records, count
        self.lock = threading.Lock()
        self.asked = []
        self.flight = InFlight()

    def request(self, method, path, params=None, json_body=None):
        del json_body
        page = int((params or {}).get('page', 1))
        with self.lock:
            self.asked.append(page)
        with self.flight:
            body = {'results': self.records[(page - 1) * 10:page * 10], 'previous': None,
                    'next': 'https://evil.example/v1%s?page=%d' % (path, page + 1) if page * 10 < len(self.records) else None}
            if self.count:
                body['count'] = len(self.records)
            return 200, body, {}, None


@pytest.mark.parametrize('count', [True, False], ids=['count', 'no-count'])
def test_cystack_listing_concurrent_with_a_count_sequential_without(count):
    client = CyStackClient('K', api_url='https://api.example.com/v1')
    client.http = FakeCyStackHttp(rows(*range(1, 206)), count=count)
    assert client.list('/targets', max_workers=8) == rows(*range(1, 206))
    assert sorted(client.http.asked) == list(range(1, 22))
    assert (client.http.flight.peak > 1) is count
