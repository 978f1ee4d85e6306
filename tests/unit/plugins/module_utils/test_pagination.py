"""Cyberwatch Link pagination and CyStack DRF pagination."""

from urllib.parse import parse_qs, urlparse

from ansible_collections.secops.vulnmgmt.tests.unit.scripted_server import Reply

from ansible_collections.secops.vulnmgmt.plugins.module_utils.cyberwatch import CyberwatchClient
from ansible_collections.secops.vulnmgmt.plugins.module_utils.cystack import CyStackClient


def query(received):
    return dict((k, v[0]) for k, v in parse_qs(urlparse(received['path']).query).items())


def link_header(base, page, last):
    links = []
    if page > 1:
        links += ['<%s?page=1>; rel="first"' % base, '<%s?page=%d>; rel="prev"' % (base, page - 1)]
    if page < last:
        links += ['<%s?page=%d>; rel="last"' % (base, last), '<%s?page=%d>; rel="next"' % (base, page + 1)]
    return ', '.join(links)


def test_link_pagination_follows_next_across_pages(server):
    base = 'https://elsewhere.example/api/v3/vulnerabilities/servers'
    for page, items in ((1, [{'id': 1}, {'id': 2}]), (2, [{'id': 3}, {'id': 4}]), (3, [{'id': 5}])):
        server.script(Reply(200, items, headers={'Link': link_header(base, page, 3), 'X-Per-Page': '2',
                                                 'X-Total': '5', 'X-Page': str(page)}))
    client = CyberwatchClient(server.url, 'K', 'S')
    servers = client.list('server', {'reboot_required': True}, per_page=2)
    assert [s['id'] for s in servers] == [1, 2, 3, 4, 5]
    sent = [query(r) for r in server.received]
    assert [q['page'] for q in sent] == ['1', '2', '3']
    assert all(q['per_page'] == '2' and q['reboot_required'] == 'true' for q in sent)
    assert all(urlparse(r['path']).path == '/api/v3/vulnerabilities/servers' for r in server.received)


def test_a_single_page_without_link_makes_one_request(server):
    server.script(Reply(200, [{'id': 1, 'name': 'prod'}], headers={'X-Per-Page': '100', 'X-Total': '1'}))
    client = CyberwatchClient(server.url, 'K', 'S', api_routes='legacy')
    assert client.list('group') == [{'id': 1, 'name': 'prod'}]
    assert len(server.received) == 1
    assert urlparse(server.received[0]['path']).path == '/api/v3/groups'


def test_find_filters_on_the_server_and_checks_here(server):
    server.script(Reply(200, [{'id': 1, 'hostname': 'web-01'}, {'id': 2, 'hostname': 'web-010'}]))
    client = CyberwatchClient(server.url, 'K', 'S')
    assert client.find('server', 'WEB-01') == [{'id': 1, 'hostname': 'web-01'}]
    assert query(server.received[0])['hostname'] == 'WEB-01'


def test_unknown_server_side_filter_is_refused_before_any_request(server):
    client = CyberwatchClient(server.url, 'K', 'S')
    try:
        client.list('group', {'name': 'prod'})
    except ValueError as exc:
        assert 'cannot be filtered by' in str(exc)
    else:
        raise AssertionError('expected ValueError')
    assert server.received == []


def drf_page(results, next_url=None, count=3):
    return Reply(200, {'count': count, 'next': next_url, 'previous': None, 'results': results})


def test_drf_pagination_takes_only_the_page_from_a_foreign_next(server):
    server.script(drf_page([{'id': 'a', 'href': '/v1/targets/a', 'address': 'https://a', 'verification': 0}],
                           'https://cystack.io/v1/targets?page=2&q=x', count=2),
                  drf_page([{'id': 'b', 'href': '/v1/targets/b', 'address': 'https://b', 'verification': 1}], count=2))
    client = CyStackClient('KEY', api_url=server.url + '/v1')
    targets = client.targets(q='x')
    assert [(t['id'], t['verified']) for t in targets] == [('a', True), ('b', False)]
    assert [urlparse(r['path']).path for r in server.received] == ['/v1/targets', '/v1/targets']
    assert [query(r) for r in server.received] == [{'q': 'x'}, {'q': 'x', 'page': '2'}]
    assert server.received[0]['headers']['Authorization'] == 'Bearer KEY'


def test_drf_next_that_does_not_advance_is_an_error(server):
    server.script(drf_page([{'id': 'a'}], 'https://api.cystack.io/v1/targets?page=1'))
    client = CyStackClient('KEY', api_url=server.url + '/v1')
    try:
        client.targets()
    except Exception as exc:  # pylint: disable=broad-except
        assert 'unusable "next" link' in str(exc)
    else:
        raise AssertionError('expected ApiError')


def test_find_confirms_absence_without_the_case_sensitive_server_filter(server):
    server.script(Reply(200, []), Reply(200, [{'id': 7, 'hostname': 'Web-01.Example.com'}]))
    client = CyberwatchClient(server.url, 'K', 'S')
    assert client.find('server', 'web-01.example.com') == [{'id': 7, 'hostname': 'Web-01.Example.com'}]
    assert 'hostname' in query(server.received[0]) and 'hostname' not in query(server.received[1])


def test_find_keeps_the_other_filters_when_it_confirms_absence(server):
    server.script(Reply(200, []), Reply(200, [{'id': 7, 'hostname': 'Web-01.Example.com', 'group_id': 3}]))
    client = CyberwatchClient(server.url, 'K', 'S')
    found = client.find('server', 'web-01.example.com', {'group_id': 3})
    assert found == [{'id': 7, 'hostname': 'Web-01.Example.com', 'group_id': 3}]
    first, second = query(server.received[0]), query(server.received[1])
    assert first['hostname'] == 'web-01.example.com' and first['group_id'] == '3'
    assert 'hostname' not in second and second['group_id'] == '3'
