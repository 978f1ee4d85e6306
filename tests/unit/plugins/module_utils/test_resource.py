"""The reconcile engine's decisions, against an in-memory backend (no network)."""

import ast
import os

import pytest

from ansible_collections.secops.vulnmgmt.plugins.module_utils.cyberwatch import CyberwatchBackend, Lookup, equal_ids, ids_of
from ansible_collections.secops.vulnmgmt.plugins.module_utils import resource
from ansible_collections.secops.vulnmgmt.plugins.module_utils.resource import (
    MASK, Field, Reconciler, ResourceNotUnique, ResourceSpec, equal_casefold,
)
from ansible_collections.secops.vulnmgmt.plugins.module_utils.transport import ApiError
from ansible_collections.secops.vulnmgmt.plugins.module_utils.cyberwatch_servers import (
    server_cve_changes, server_groups,
)
from ansible_collections.secops.vulnmgmt.plugins.module_utils.remote_access import wait_test_deploy

SPEC = ResourceSpec('thing', fields=(
    Field('name'),
    Field('color', compare=equal_casefold),
    Field('port', create_default=lambda params: 22),
    Field('password', write_only=True),
    Field('groups', api_name='server_groups', to_api=lambda value, params: ','.join(value), create_only=True),
    Field('target', replace=True),
    Field('node', api_name='node_id', required_on_create=True),
))


class MemoryBackend:
    def __init__(self, current=None, can_create=True):
        self.current = current
        self.can_create = can_create
        self.calls = []

    def find(self):
        self.calls.append(('find',))
        return self.current

    def create(self, body):
        self.calls.append(('create', body))
        return dict(body, id=9)

    def update(self, current, changes):
        self.calls.append(('update', changes))
        return dict(current, **changes)

    def delete(self, current):
        self.calls.append(('delete', current['id']))

    def describe(self):
        return 'thing x'

    def not_found_message(self):
        return 'no thing x'

    def is_conflict(self, error):
        return error.status == 422 and 'already been taken' in str(error)

    def writes(self):
        return [c for c in self.calls if c[0] != 'find']


CURRENT = {'id': 1, 'name': 'a', 'color': '#AABBCC', 'port': 22, 'target': 't1', 'node_id': 1}


def run(current=None, check=False, update_password='on_create', **params):
    backend = MemoryBackend(current)
    reconciler = Reconciler(SPEC, backend, check_mode=check, update_password=update_password)
    result = reconciler.present(SPEC.desired(params), defaults=SPEC.create_defaults(params))
    return result, backend


def test_create_sends_desired_plus_create_defaults_and_masks_secrets():
    result, backend = run(name='a', password='s3cret', groups=['x', 'y'], node=1)
    assert backend.writes() == [('create', {'name': 'a', 'port': 22, 'password': 's3cret', 'server_groups': 'x,y',
                                            'node_id': 1})]
    assert result['changed'] and result['thing']['id'] == 9
    assert 'password' not in result['thing']
    assert result['diff'] == {'before': {}, 'after': {'name': 'a', 'port': 22, 'password': MASK,
                                                      'server_groups': 'x,y', 'node_id': 1}}


class FailingCreateBackend(MemoryBackend):
    """create raises `error`; when `applied`, the object exists afterwards (our write or a concurrent run's)."""

    def __init__(self, error, applied):
        super(FailingCreateBackend, self).__init__(None)
        self.error, self.applied = error, applied

    def create(self, body):
        self.calls.append(('create', body))
        if self.applied:
            self.current = dict(self.applied, id=5)
        raise self.error


def recover(error, applied, backend=None, **params):
    backend = backend or FailingCreateBackend(error, applied)
    reconciler = Reconciler(SPEC, backend)
    return reconciler.present(SPEC.desired(params), defaults=SPEC.create_defaults(params)), backend


TAKEN = ApiError('POST /things failed with HTTP 422 (rejected): name has already been taken', status=422,
                 method='POST', path='/things')
LOST = ApiError('POST /things failed with HTTP 502', status=502, method='POST', path='/things', unsure=True)
DROPPED = ApiError('POST /things: the connection was closed before an answer', method='POST', path='/things',
                   unsure=True)
REFUSED = ApiError('POST /things failed with HTTP 503', status=503, method='POST', path='/things')


def test_a_lost_race_converges_on_the_winner_with_an_update():
    result, backend = recover(TAKEN, {'name': 'a', 'color': '#000000', 'node_id': 1}, name='a', color='#FFFFFF',
                              node=1)
    assert backend.writes()[1:] == [('update', {'color': '#FFFFFF'})]
    assert result['changed'] and result['thing']['id'] == 5
    assert 'already taken' in result['recovered'] and 'id 5' in result['recovered']


def test_a_lost_race_with_the_same_values_is_no_change():
    result, backend = recover(TAKEN, {'name': 'a', 'node_id': 1}, name='a', node=1)
    assert len(backend.writes()) == 1 and result['changed'] is False


@pytest.mark.parametrize('error', [LOST, DROPPED], ids=['502', 'dropped'])
def test_a_create_whose_answer_was_lost_is_found_and_reported_changed(error):
    result, backend = recover(error, {'name': 'a', 'node_id': 1, 'port': 22}, name='a', node=1)
    assert len(backend.writes()) == 1, 'no second create'
    assert result['changed'] is True and result['thing']['id'] == 5


@pytest.mark.parametrize('error', [LOST, DROPPED], ids=['502', 'dropped'])
def test_a_failed_create_that_left_nothing_raises_the_original_error(error):
    with pytest.raises(ApiError) as info:
        recover(error, None, name='a', node=1)
    assert info.value is error


@pytest.mark.parametrize('error', [
    ApiError('POST /things failed with HTTP 422 (rejected): port is invalid', status=422, method='POST', path='/things'),
    REFUSED,
], ids=['422-invalid', 'not-unsure'])
def test_other_create_errors_are_not_retried_or_looked_up(error):
    backend = FailingCreateBackend(error, None)
    with pytest.raises(ApiError) as info:
        recover(error, None, backend=backend, name='a', node=1)
    assert info.value is error
    assert [c[0] for c in backend.calls] == ['find', 'create'], 'one lookup before the create, none after'


def test_update_sends_only_changed_fields():
    result, backend = run(dict(CURRENT), name='b', color='#aabbcc', port=22)
    assert backend.writes() == [('update', {'name': 'b'})]
    assert result['diff'] == {'before': {'name': 'a'}, 'after': {'name': 'b'}}


def test_no_op_sends_nothing():
    result, backend = run(dict(CURRENT), name='a', color='#aabbcc', groups=['z'], password='x')
    assert not result['changed'] and backend.writes() == []
    assert result['diff'] == {'before': {}, 'after': {}}


def test_create_default_is_not_compared_on_update():
    result, backend = run(dict(CURRENT, port=2222), name='a')
    assert not result['changed'] and backend.writes() == []


def test_write_only_update_password_on_create_vs_always():
    result, backend = run(dict(CURRENT), password='new')
    assert not result['changed'] and backend.writes() == []
    result, backend = run(dict(CURRENT), update_password='always', password='new')
    assert backend.writes() == [('update', {'password': 'new'})]
    assert result['diff'] == {'before': {'password': MASK}, 'after': {'password': MASK}}
    assert 'new' not in repr(result)


def test_create_only_field_never_updates():
    result, backend = run(dict(CURRENT), groups=['other'])
    assert not result['changed'] and backend.writes() == []


def test_required_on_create():
    with pytest.raises(ValueError, match='node is required to create a thing: thing x'):
        run(name='a')


def test_check_mode_predicts_and_writes_nothing():
    result, backend = run(check=True, name='a', password='p', node=1)
    assert result['changed'] and result['thing'] == {'id': None, 'name': 'a', 'port': 22, 'node_id': 1}
    result, backend = run(dict(CURRENT), check=True, name='b')
    assert result['changed'] and result['thing']['name'] == 'b' and backend.writes() == []


def test_replace_field_deletes_then_creates_keeping_unset_fields():
    result, backend = run(dict(CURRENT), target='t2', password='p')
    created = {'name': 'a', 'color': '#AABBCC', 'port': 22, 'target': 't2', 'node_id': 1, 'password': 'p'}
    assert backend.writes() == [('delete', 1), ('create', created)]
    assert result['replaced'] and result['diff']['before']['target'] == 't1'
    assert result['diff']['after']['password'] == MASK
    result, backend = run(dict(CURRENT), check=True, target='t2')
    assert result['replaced'] and backend.writes() == []


def test_cannot_create():
    backend = MemoryBackend(None, can_create=False)
    with pytest.raises(ValueError, match='no thing x'):
        Reconciler(SPEC, backend).present({'name': 'a'})
    assert backend.writes() == []


@pytest.mark.parametrize('check', [False, True])
def test_delete_and_absent_noop(check):
    backend = MemoryBackend(dict(CURRENT, password='p'))
    result = Reconciler(SPEC, backend, check_mode=check).absent()
    assert result['changed'] and result['thing'] is None
    assert result['diff']['before']['name'] == 'a' and 'password' not in result['diff']['before']
    assert backend.writes() == ([] if check else [('delete', 1)])
    backend = MemoryBackend(None)
    result = Reconciler(SPEC, backend, check_mode=check).absent()
    assert not result['changed'] and backend.writes() == []


def test_from_api_normalises_before_compare_and_diff():
    spec = ResourceSpec('server', fields=(Field('groups', compare=equal_ids, from_api=ids_of),))
    current = {'id': 1, 'groups': [{'id': 8, 'name': 'linux'}, {'id': 2, 'name': 'staging'}]}
    backend = MemoryBackend(current)
    assert not Reconciler(spec, backend).present({'groups': [2, 8]})['changed']
    result = Reconciler(spec, backend).present({'groups': [2, 6, 8]})
    assert result['diff'] == {'before': {'groups': [2, 8]}, 'after': {'groups': [2, 6, 8]}}


class FakeClient:
    def __init__(self, items):
        self.items = items
        self.lists = 0

    def find(self, resource, value):
        return [i for i in self.items if i['address'].lower() == value.lower()]

    def list(self, collection):
        self.lists += 1
        return self.items


def test_the_engine_imports_no_platform():
    path = os.path.join(os.path.dirname(resource.__file__), 'resource.py')
    with open(path) as source:
        tree = ast.parse(source.read())
    imported = [node.module or '' for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)]
    imported += [alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names]
    imported += [alias.name for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) for alias in node.names]
    platforms = [name for name in imported if any(part.startswith(('cyberwatch', 'cystack')) for part in name.split('.'))]
    assert imported and platforms == []


def test_cyberwatch_conflict_is_a_taken_natural_key():
    backend = CyberwatchBackend(FakeClient([]), 'group', key_value='a')
    assert backend.is_conflict(TAKEN)
    assert not backend.is_conflict(ApiError('POST /things failed with HTTP 422 (rejected): port is invalid', status=422))
    assert not backend.is_conflict(LOST)


def test_ambiguous_key_fails_listing_candidates():
    client = FakeClient([{'id': 1, 'address': 'a.example'}, {'id': 2, 'address': 'A.example'}])
    backend = CyberwatchBackend(client, 'remote_access', key_value='a.example')
    with pytest.raises(ResourceNotUnique, match='2 objects match .*id 1 address=a.example, id 2 address=A.example'):
        backend.find()


def test_lookup_resolves_names_once_and_ids_without_request():
    client = FakeClient([{'id': 1, 'name': 'master'}, {'id': 2, 'name': 'dmz'}])
    lookup = Lookup(client)
    assert lookup.id_of('node', '3') == 3 and client.lists == 0
    assert lookup.id_of('node', 'dmz') == 2 and lookup.id_of('node', 'master') == 1 and client.lists == 1
    assert lookup.id_of('node', None) is None and client.lists == 1
    with pytest.raises(ValueError, match="node 'x': not found; known: master \\(id 1\\), dmz \\(id 2\\)"):
        lookup.id_of('node', 'x')


def test_server_groups_merge_or_purge():
    lookup = Lookup(FakeClient([{'id': 1, 'name': 'prod'}, {'id': 2, 'name': 'web'}]))
    current = {'groups': [{'id': 2}, {'id': 7}]}
    assert server_groups(lookup, current, ['prod'], purge=False) == [1, 2, 7]
    assert server_groups(lookup, current, ['prod'], purge=True) == [1]
    assert server_groups(lookup, current, [], purge=True) == [None]
    assert server_groups(lookup, current, None, purge=True) is None


def test_server_cve_changes_only_differences():
    detail = {'cve_announcements': [{'cve_code': 'CVE-1', 'ignored': False, 'comment': None},
                                    {'cve_code': 'CVE-2', 'ignored': False, 'comment': 'ok'}]}
    changes, unknown = server_cve_changes(detail, ['CVE-1', 'CVE-9'], {'CVE-2': 'ok', 'CVE-3': 'x', 'CVE-1': 'why'})
    assert changes == {'CVE-1': {'ignored': True, 'comment': 'why'}}
    assert unknown == ['CVE-3']


def test_wait_test_deploy_polls_until_a_result_or_timeout():
    class Client:
        def __init__(self, answers):
            self.answers = answers

        def test_deploy(self, rid):
            return {'id': rid, 'is_valid': None}

        def get(self, resource, rid):
            answer = self.answers.pop(0)
            if isinstance(answer, Exception):
                raise answer
            return answer

    now = [0.0]

    def clock():
        return now[0]

    def sleep(seconds):
        now[0] += seconds

    blip = ApiError('GET /api/v3/assets/remote_accesses/1 failed with HTTP 502', status=502)
    client = Client([{'is_valid': None}, blip, {'is_valid': False, 'last_error': 'boom'}])
    assert wait_test_deploy(client, 1, 10, interval=1, clock=clock, sleep=sleep)['last_error'] == 'boom'
    now[0] = 0.0
    client = Client([{'is_valid': None}] * 10)
    assert wait_test_deploy(client, 1, 2.5, interval=1, clock=clock, sleep=sleep)['is_valid'] is None
    assert now[0] == 2.5
