"""CVSS vectors, agent selection and the CVE customisation backend (no network)."""

import pytest

from ansible_collections.secops.vulnmgmt.plugins.module_utils.cyberwatch_backends import (
    codes_from_api, CveCustomisationBackend, DetailBackend,
)
from ansible_collections.secops.vulnmgmt.plugins.module_utils.cyberwatch_cvss import (
    cvss_custom, cvss_from_api, cvss_request,
)
from ansible_collections.secops.vulnmgmt.plugins.module_utils.cyberwatch_servers import select_agents
from ansible_collections.secops.vulnmgmt.plugins.module_utils.resource import Reconciler, ResourceSpec
from ansible_collections.secops.vulnmgmt.plugins.module_utils.times import timestamp

RECORDED_2021 = {'access_vector': 'access_vector_network', 'access_complexity': 'access_complexity_low',
                 'privileges_required': 'privileges_required_none', 'user_interaction': 'user_interaction_required',
                 'scope': 'scope_changed', 'confidentiality_impact': 'confidentiality_impact_low',
                 'integrity_impact': 'integrity_impact_low', 'availability_impact': 'availability_impact_none'}


def test_a_vector_gives_the_recorded_custom_cvss_and_the_recorded_request():
    assert cvss_custom('CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N') == RECORDED_2021
    assert cvss_custom(' av:n/ac:l/pr:n/ui:r/s:c/c:l/i:l/a:n ') == RECORDED_2021
    request = cvss_request(RECORDED_2021)
    assert request['privilege_required'] == 'privilege_required_none' and 'privileges_required' not in request


def test_the_2019_spelling_reads_as_the_current_one():
    legacy = dict(RECORDED_2021)
    legacy['privilege_required'] = legacy.pop('privileges_required').replace('privileges_', 'privilege_')
    assert cvss_from_api(legacy) == RECORDED_2021
    assert cvss_from_api(None) is None


@pytest.mark.parametrize('vector,message', [
    ('AV:N/AC:L', 'PR must be one of H, L, N, got nothing'),
    ('AV:Q/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N', 'AV must be one of A, L, N, P, got Q'),
    ('AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N/RL:O', 'unknown metric RL'),
])
def test_a_wrong_vector_names_the_metric(vector, message):
    with pytest.raises(ValueError, match=message):
        cvss_custom(vector)


def test_codes_from_codes_or_objects():
    assert codes_from_api(['cve-2020-1', {'cve_code': 'CVE-2019-2'}]) == ['CVE-2019-2', 'CVE-2020-1']


class FakeClient:
    """list/get/find/update/delete over in-memory tables, recording the calls."""

    def __init__(self, **tables):
        self.tables = tables
        self.calls = []

    def list(self, resource):
        self.calls.append(('list', resource))
        return list(self.tables[resource])

    def get(self, resource, object_id):
        name = getattr(resource, 'name', resource)
        self.calls.append(('get', name, object_id))
        key = 'cve_code' if name == 'cve_announcement' else 'id'
        return next((dict(o) for o in self.tables.get(name, ()) if o[key] == object_id), None)

    def find(self, resource, value):
        self.calls.append(('find', resource, value))
        return [s for s in self.tables[resource] if s['hostname'].lower() == value.lower()]

    def update(self, resource, object_id, body):
        self.calls.append(('update', object_id, body))
        return {'cve_code': object_id}

    def delete(self, resource, object_id):
        self.calls.append(('delete', getattr(resource, 'name', resource), object_id))


AGENTS = [{'id': 1, 'server_id': 10, 'last_communication': '2024-01-01T00:00:00.000+00:00'},
          {'id': 2, 'server_id': 11, 'last_communication': '2024-01-09T00:00:00.000+00:00'},
          {'id': 3, 'server_id': 10, 'last_communication': None}]
NOW = timestamp('2024-01-10T00:00:00Z').timestamp()


def test_silent_agents_leave_out_those_that_never_communicated():
    client = FakeClient(agent=AGENTS, server=[{'id': 10, 'hostname': 'web-01'}])
    assert [a['id'] for a in select_agents(client, stale_after='3d', clock=lambda: NOW)[0]] == [1]
    assert [a['id'] for a in select_agents(client, server='WEB-01', clock=lambda: NOW)[0]] == [1, 3]
    assert select_agents(client, server='web-01', stale_after='10d', clock=lambda: NOW)[0] == []
    agents, notes = select_agents(client, server='gone')
    assert agents == [] and notes == ['no server has the hostname gone: it has no agent']


def test_stale_after_accepts_combined_units_and_an_unreadable_last_communication_fails():
    client = FakeClient(agent=AGENTS)
    assert [a['id'] for a in select_agents(client, stale_after='8d12h', clock=lambda: NOW)[0]] == [1]
    client = FakeClient(agent=[{'id': 4, 'last_communication': 'yesterday'}])
    with pytest.raises(ValueError, match="'yesterday' is not a timestamp"):
        select_agents(client, stale_after='1d', clock=lambda: NOW)


def test_a_wrong_duration_fails_before_any_request():
    client = FakeClient(agent=AGENTS)
    with pytest.raises(ValueError):
        select_agents(client, stale_after='soon')
    assert client.calls == []


def test_cve_customisation_absent_only_when_customised():
    plain = {'cve_code': 'CVE-2020-1', 'score_custom': None, 'cvss_custom': None, 'note_custom': None}
    client = FakeClient(cve_announcement=[plain, dict(plain, cve_code='CVE-2020-2', note_custom='x')])
    spec = ResourceSpec('cve_announcement', fields=())
    assert not Reconciler(spec, CveCustomisationBackend(client, 'cve-2020-1', present=False)).absent()['changed']
    assert Reconciler(spec, CveCustomisationBackend(client, 'CVE-2020-2', present=False)).absent()['changed']
    assert ('delete', 'cve_announcement', 'CVE-2020-2') in client.calls
    backend = CveCustomisationBackend(client, 'CVE-2020-1')
    assert backend.find() == plain
    backend.update(plain, {'score_custom': 7.0, 'cvss_custom': RECORDED_2021})
    assert client.calls[-1] == ('update', 'CVE-2020-1', dict(cvss_request(RECORDED_2021), score_custom=7.0))
    assert 'CVE-1999-1' in CveCustomisationBackend(client, 'CVE-1999-1').not_found_message()


def test_detail_backend_reads_the_detail_of_the_match():
    class Client(FakeClient):
        def find(self, resource, value):
            return [{'id': 4, 'sid': value}]

    client = Client(security_issue=[{'id': 4, 'sid': 'x', 'cve_announcements': ['CVE-2020-1']}])
    assert DetailBackend(client, 'security_issue', key_value='x').find()['cve_announcements'] == ['CVE-2020-1']
