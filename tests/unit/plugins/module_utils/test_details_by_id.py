"""details_by_id: the details of a list of ids in one call (cyberwatch_server_info ids), with the evidence rules."""

import pytest

from ansible_collections.secops.vulnmgmt.plugins.module_utils.cyberwatch import CyberwatchClient
from ansible_collections.secops.vulnmgmt.plugins.module_utils.cyberwatch_servers import details_by_id
from ansible_collections.secops.vulnmgmt.plugins.module_utils.transport import ApiError


class Client(CyberwatchClient):
    """A client whose GET by id answers from a dict (None: 404), recording what it was asked."""

    def __init__(self, answers):
        super().__init__('https://cbw.example.com', 'key', 'secret')
        self.answers, self.asked = answers, []

    def get(self, resource, object_id):
        self.asked.append(object_id)
        answer = self.answers[object_id]
        if isinstance(answer, ApiError):
            raise answer
        return answer


def test_details_in_the_order_given_each_id_once_and_the_unknown_ids_apart():
    client = Client({3: {'id': 3, 'hostname': 'c'}, 1: {'id': 1, 'hostname': 'a'}, 9: None})
    found, missing = details_by_id(client, 'server', [3, 9, 1, 3], max_workers=4)
    assert [d['id'] for d in found] == [3, 1] and missing == [9]
    assert sorted(client.asked) == [1, 3, 9]
    assert details_by_id(client, 'server', [], max_workers=4) == ([], [])


def test_a_detail_of_another_server_fails_naming_method_and_path():
    client = Client({3: {'id': 3}, 4: {'id': 5, 'hostname': 'not the one asked for'}})
    with pytest.raises(ApiError) as caught:
        details_by_id(client, 'server', [3, 4], max_workers=2)
    assert caught.value.method == 'GET' and caught.value.path == '/api/v3/vulnerabilities/servers/4'
    assert 'malformed answer: the answer is the server with id 5, not 4; nothing was used from it' in str(caught.value)


def test_a_failed_detail_fails_the_whole_call():
    error = ApiError('GET /api/v3/vulnerabilities/servers/2 failed with HTTP 500', status=500, method='GET',
                     path='/api/v3/vulnerabilities/servers/2')
    with pytest.raises(ApiError) as caught:
        details_by_id(Client({1: {'id': 1}, 2: error, 3: {'id': 3}}), 'server', [1, 2, 3], max_workers=3)
    assert caught.value is error
