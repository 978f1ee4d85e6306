"""cyberwatch_docker_image(_info) against the simulator: life cycle keyed by (image_name, image_tag), registry, engine
and node by name or id, check mode, bad input."""

from playbook_steps import task_of, that

IMAGE = 'secops.vulnmgmt.cyberwatch_docker_image'
INFO = 'secops.vulnmgmt.cyberwatch_docker_image_info'
task = task_of(IMAGE)


def test_life_cycle(sim, ansible, cyberwatch_api):
    registry = cyberwatch_api.create('stored_credential', {
        'name': 'it-registry', 'type': 'CbwRam::StoredCredential::DockerRegistry', 'endpoint': 'https://registry.example.com'})
    engine = cyberwatch_api.create('stored_credential', {
        'name': 'it-engine', 'type': 'CbwRam::StoredCredential::DockerEngine', 'endpoint': 'tcp://10.0.0.5:2376'})
    image = {'image_name': 'library/debian', 'image_tag': 'bookworm', 'registry': 'it-registry',
             'engine': str(engine['id']), 'node': 'scanner-dmz'}
    sim.clear_requests()
    ansible.playbook([
        task(IMAGE, register='predicted', check=True, **image),
        task(IMAGE, register='created', **image),
        task(IMAGE, register='again', **image),
        that('predicted is changed', 'created is changed', 'again is not changed',
             'created.docker_image.docker_registry_id == %d' % registry['id'],
             'created.docker_image.docker_engine_id == %d' % engine['id'], 'created.docker_image.node_id == 2',
             'again.docker_image.id == created.docker_image.id'),
        task(IMAGE, register='node_check', check=True, image_name='library/debian', image_tag='bookworm', node='master'),
        task(IMAGE, register='node', image_name='library/debian', image_tag='bookworm', node='1'),
        that('node_check is changed', "node.diff == {'before': {'node_id': 2}, 'after': {'node_id': 1}}"),
        task(INFO, register='by_name', image_name='library/debian'),
        task(INFO, register='by_tag', image_name='library/debian', image_tag='buster'),
        that('by_name.docker_images | length == 1', 'by_name.docker_images[0].node_id == 1', 'by_tag.docker_images == []'),
        task(IMAGE, register='delete_check', check=True, image_name='library/debian', image_tag='bookworm', state='absent'),
        task(IMAGE, register='deleted', image_name='library/debian', image_tag='bookworm', state='absent'),
        task(IMAGE, register='deleted_again', image_name='library/debian', image_tag='bookworm', state='absent'),
        that('delete_check is changed', 'deleted is changed', 'deleted_again is not changed',
             'deleted.docker_image is none'),
        # the seeded library/alpine:latest, found with the default tag
        task(INFO, register='alpine', image_name='library/alpine'),
        task(IMAGE, register='alpine_same', image_name='library/alpine'),
        that('alpine_same is not changed', 'alpine_same.docker_image.id == alpine.docker_images[0].id'),
    ])
    writes = sim.writes()
    assert [w['method'] for w in writes] == ['POST', 'PATCH', 'DELETE'], writes
    assert all(w['path'].startswith('/api/v3/assets/docker_images') for w in writes)


def test_bad_input_and_unknown_names(sim, ansible):
    ansible.playbook([
        dict(task(IMAGE, register='empty', image_name=' '), ignore_errors=True),
        dict(task(IMAGE, register='nothing', node='master'), ignore_errors=True),
        dict(task(IMAGE, register='registry', image_name='x', registry='no-such-registry'), ignore_errors=True),
        that("'image_name must be a non-empty string' in empty.msg",
             "'one of the following is required: id, image_name' in nothing.msg",
             "'stored_credential' in registry.msg and 'not found' in registry.msg", "'linux-scan-password' in registry.msg"),
    ])
    # Only the last task reached the API, to resolve the registry name.
    assert {(r['method'], r['path']) for r in sim.requests()} == {('GET', '/api/v3/assets/credentials')}
