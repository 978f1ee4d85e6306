#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: secops.vulnmgmt contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: cyberwatch_docker_image
short_description: Manage the Docker images Cyberwatch scans
version_added: 0.2.0
description:
  - Create, update or delete a Cyberwatch docker image (C(/api/v3/assets/docker_images)), found by O(image_name) and
    O(image_tag), or by O(id).
  - The registry and the engine are Cyberwatch stored credentials (see M(secops.vulnmgmt.cyberwatch_stored_credential)),
    given by name or id; the node is given by name or id. Names are resolved before any write.
  - Only the options you set are compared and sent; a run that changes nothing sends no write.
notes:
  - Needs an API key with write access to Docker images. Check mode needs read access only and sends no write; with a
    read-only key a real change fails with HTTP 403, naming the missing write access. See
    R(Permissions,ansible_collections.secops.vulnmgmt.docsite.permissions).
author:
  - secops.vulnmgmt maintainers (@secops)
extends_documentation_fragment:
  - secops.vulnmgmt.cyberwatch
  - secops.vulnmgmt.attributes.STATE
options:
  id:
    description:
      - Id of the image. With O(id), O(image_name) and O(image_tag) are values to set, not a lookup key.
    type: int
  image_name:
    description:
      - Name of the image in its registry, for example V(library/debian). One of O(image_name) and O(id) is required.
    type: str
  image_tag:
    description:
      - Tag of the image. With O(image_name), it completes the lookup key; it defaults to V(latest) there, as in Docker.
    type: str
  registry:
    description:
      - The Docker registry stored credential the image is pulled from, by name or id (C(docker_registry_id)).
    type: str
  engine:
    description:
      - The Docker engine stored credential that runs the scan, by name or id (C(docker_engine_id)).
    type: str
  node:
    description:
      - The Cyberwatch node (scanner) in charge of the image, by name or id. The server picks the master node when an
        image is created without one.
    type: str
  state:
    description:
      - V(present) creates or updates the image, V(absent) deletes it.
    type: str
    choices: [present, absent]
    default: present
'''

EXAMPLES = r'''
- name: Declare the images to scan
  module_defaults:
    group/secops.vulnmgmt.cyberwatch:
      api_url: https://cyberwatch.example.com
      api_key: "{{ vault_cyberwatch_api_key }}"
      secret_key: "{{ vault_cyberwatch_secret_key }}"
  block:
    - name: Debian bookworm from Docker Hub, scanned by the production engine
      secops.vulnmgmt.cyberwatch_docker_image:
        image_name: library/debian
        image_tag: bookworm
        registry: docker-hub
        engine: docker-engine-prod
        node: master
      delegate_to: localhost

    - name: Stop scanning an old image
      secops.vulnmgmt.cyberwatch_docker_image:
        image_name: library/debian
        image_tag: buster
        state: absent
      delegate_to: localhost
'''

RETURN = r'''
docker_image:
  description: The image after the run; V(null) after a delete. In check mode, the predicted image.
  returned: always
  type: dict
  sample: {"id": 6, "image_name": "library/debian", "image_tag": "bookworm", "docker_registry_id": 3,
           "docker_engine_id": 4, "node_id": 1, "server_id": null}
diff:
  description: The fields that changed, before and after (the registry, engine and node as ids).
  returned: always
  type: dict
  sample: {"before": {"image_tag": "buster"}, "after": {"image_tag": "bookworm"}}
'''

from ansible_collections.secops.vulnmgmt.plugins.module_utils.cyberwatch_module import CyberwatchModule
from ansible_collections.secops.vulnmgmt.plugins.module_utils.cyberwatch_backends import DockerImageBackend
from ansible_collections.secops.vulnmgmt.plugins.module_utils.options import Option
from ansible_collections.secops.vulnmgmt.plugins.module_utils.resource import Field, ResourceSpec, reconcile

SPEC = ResourceSpec('docker_image', fields=(
    Field('image_name', required_on_create=True, nonempty=True),
    Field('image_tag', nonempty=True),
    Field('registry', api_name='docker_registry_id', lookup='stored_credential'),
    Field('engine', api_name='docker_engine_id', lookup='stored_credential'),
    Field('node', api_name='node_id', lookup='node'),
), options=(Option('id', type='int'),), required_one_of=[('id', 'image_name')])


def main():
    module = CyberwatchModule(SPEC)
    params = module.params
    if params['id'] is None and params['image_tag'] is None:
        params['image_tag'] = 'latest'
    backend = DockerImageBackend(module.client, params['image_name'], params['image_tag'], params['id'])
    module.run(lambda: reconcile(module, SPEC, backend))


if __name__ == '__main__':
    main()
