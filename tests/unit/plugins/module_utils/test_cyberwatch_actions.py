"""Edge cases of the Cyberwatch action helpers (no network): times, re-analysis and recheck completion, waits,
docker image and listed-object lookups, and the compliance rule's check normalisation."""

import pytest

from ansible_collections.secops.vulnmgmt.tests.unit.scripted_server import Reply

from ansible_collections.secops.vulnmgmt.plugins.module_utils.cyberwatch_actions import recheck_settled, wait_for
from ansible_collections.secops.vulnmgmt.plugins.module_utils.cyberwatch_backends import DockerImageBackend
from ansible_collections.secops.vulnmgmt.plugins.module_utils.cyberwatch_servers import analysed_after
from ansible_collections.secops.vulnmgmt.plugins.module_utils.cyberwatch import CyberwatchBackend, CyberwatchClient
from ansible_collections.secops.vulnmgmt.plugins.module_utils.resource import ResourceNotUnique
from ansible_collections.secops.vulnmgmt.plugins.module_utils.times import timestamp
from ansible_collections.secops.vulnmgmt.plugins.modules.cyberwatch_compliance_rule import (
    SPEC as RULE_SPEC, checks_from_api, checks_to_api,
)


class Clock:
    def __init__(self):
        self.now = 0.0

    def __call__(self):
        return self.now

    def sleep(self, seconds):
        self.now += seconds


class Client:
    def __init__(self, items=(), reads=()):
        self.items = list(items)
        self.reads = list(reads)

    def list(self, resource):
        return self.items

    def get(self, resource, object_id):
        return self.reads.pop(0) if len(self.reads) > 1 else self.reads[0]


class Module:
    def __init__(self, client, timeout):
        self.client = client
        self.params = {'timeout': timeout}
        self.failed = None

    def fail_json(self, **result):
        self.failed = result
        raise SystemExit(1)


@pytest.mark.parametrize('analyzed_at,expected', [
    (None, False),                               # never analysed
    ('yesterday', False),                        # unreadable: not taken for a new analysis
    ('2026-12-01T10:00:00.000+00:00', False),    # still the previous analysis
    ('2026-12-01T10:59:59.000+00:00', False),    # newer, but before the request: a scheduled analysis, not ours
    ('2026-12-01T11:00:00.000+00:00', True),     # the same second as the request (the API has second precision)
    ('2026-12-01T12:00:01.000+01:00', True),     # after the request, in another offset
])
def test_analysed_after_needs_both_a_newer_analysis_and_the_request_time(analyzed_at, expected):
    previous = timestamp('2026-12-01T10:00:00.000+00:00')
    requested = timestamp('Tue, 01 Dec 2026 11:00:00 GMT')
    assert analysed_after({'analyzed_at': analyzed_at}, previous, requested) is expected


def test_analysed_after_without_a_date_header_or_a_previous_analysis():
    assert analysed_after({'analyzed_at': '2026-12-01T10:00:01.000+00:00'}, timestamp('2026-12-01T10:00:00Z'), None)
    assert analysed_after({'analyzed_at': '2026-12-01T10:00:00.000+00:00'}, None, None)


def test_recheck_settled_reads_the_server_rules_or_the_rule_servers():
    assert not recheck_settled({'status': 'gen_analyzing', 'rules': []})
    assert not recheck_settled({'status': 'cbw_compliance_server_compliant', 'rules': [{'status': 'gen_analyzing'}]})
    assert recheck_settled({'status': 'cbw_compliance_server_not_compliant', 'rules': [{'status': 'failed'}]})
    assert not recheck_settled({'code': 'X', 'servers': [{'status': 'succeed'}, {'status': 'gen_analyzing'}]})
    assert recheck_settled({'code': 'X', 'servers': []})


def test_wait_for_returns_the_first_done_read():
    clock = Clock()
    module = Module(Client(reads=[{'id': 4, 'n': 1}, {'id': 4, 'n': 2}, {'id': 4, 'n': 3}]), timeout=10)
    latest = wait_for(module, 'server', {'id': 4}, lambda obj: obj['n'] == 2, None, 1.0, clock, clock.sleep)
    assert latest == {'id': 4, 'n': 2} and clock.now == 1.0


def test_wait_for_fails_with_the_object_id_when_the_timeout_passes():
    clock = Clock()
    module = Module(Client(reads=[{'id': 4, 'analyzed_at': None}]), timeout=3)
    with pytest.raises(SystemExit):
        wait_for(module, 'compliance_rule', {'id': 4}, lambda obj: False, lambda obj: 'rule 4 never settled', 1.0, clock,
                 clock.sleep)
    assert module.failed['msg'] == 'rule 4 never settled' and module.failed['compliance_rule_id'] == 4
    assert module.failed['changed'] is True and clock.now == 3.0


def test_docker_image_is_found_by_name_and_tag():
    images = [{'id': 1, 'image_name': 'library/debian', 'image_tag': 'latest'},
              {'id': 2, 'image_name': 'library/debian', 'image_tag': 'bookworm'}]
    assert DockerImageBackend(Client(images), 'library/debian', 'bookworm').find()['id'] == 2
    assert DockerImageBackend(Client(images), 'library/debian', 'buster').find() is None
    twice = images + [{'id': 3, 'image_name': 'library/debian', 'image_tag': 'latest'}]
    with pytest.raises(ResourceNotUnique, match='2 objects match docker_image library/debian:latest .candidates: id 1 .*, id 3 '):
        DockerImageBackend(Client(twice), 'library/debian', 'latest').find()


def test_discoveries_are_found_by_id_or_name_in_the_list(server):
    """The API has no GET by id for discoveries: the client reads the id from the list."""
    items = [{'id': 1, 'name': 'lan'}, {'id': 2, 'name': 'ad'}, {'id': 3, 'name': 'ad'}]
    server.script(*[Reply(200, items) for dummy in range(5)])
    client = CyberwatchClient(server.url, 'K', 'S')
    assert CyberwatchBackend(client, 'discovery', object_id=2).find()['name'] == 'ad'
    assert CyberwatchBackend(client, 'discovery', object_id=9).find() is None
    assert CyberwatchBackend(client, 'discovery', 'lan').find()['id'] == 1
    assert CyberwatchBackend(client, 'discovery', 'wan').find() is None
    with pytest.raises(ResourceNotUnique, match="2 objects match discovery with name 'ad' .candidates: id 2 name=ad, id 3 name=ad."):
        CyberwatchBackend(client, 'discovery', 'ad').find()
    assert [(r['method'], r['path'].split('?')[0]) for r in server.received] == [('GET', '/api/v3/assets/discoveries')] * 5


def test_compliance_rule_checks_compare_without_type_and_with_default_orders():
    sent = checks_to_api([{'content': 'a', 'success': 'x', 'order': None, 'failure': None},
                          {'content': 'b', 'success': None, 'order': 5, 'failure': 'y'}])
    assert sent == [{'order': 1, 'content': 'a', 'success': 'x', 'failure': None},
                    {'order': 5, 'content': 'b', 'success': None, 'failure': 'y'}]
    server = [{'type': 'CbwCompliance::Checks::WithScript', 'order': 5, 'content': 'b', 'success': '', 'failure': 'y'},
              {'type': 'CbwCompliance::Checks::WithScript', 'order': 1, 'content': 'a', 'success': 'x', 'failure': None}]
    field = RULE_SPEC.field('checks')
    assert field.compare(checks_from_api(server), sent)
    assert not field.compare(checks_from_api(server), checks_to_api([{'content': 'a'}, {'content': 'b'}]))
