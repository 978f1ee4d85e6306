#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: secops.vulnmgmt contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: cyberwatch_docker_image_info
short_description: List the Docker images Cyberwatch scans
version_added: 0.2.0
description:
  - Returns Cyberwatch docker images by O(id), by O(image_name) (and O(image_tag)), or all of them (every page is
    fetched).
  - Never changes anything.
notes:
  - Needs read access to Docker images only; it never writes, so a read-only API key works. See
    R(Permissions,ansible_collections.secops.vulnmgmt.docsite.permissions).
author:
  - secops.vulnmgmt maintainers (@secops)
extends_documentation_fragment:
  - secops.vulnmgmt.cyberwatch
  - secops.vulnmgmt.attributes.INFO
options:
  id:
    description:
      - Id of one image. An unknown id returns an empty list.
    type: int
  image_name:
    description:
      - Name of the image, for example V(library/debian).
    type: str
  image_tag:
    description:
      - Only the images with this tag.
    type: str
'''

EXAMPLES = r'''
- name: Read docker images
  module_defaults:
    group/secops.vulnmgmt.cyberwatch:
      api_url: https://cyberwatch.example.com
      api_key: "{{ vault_cyberwatch_api_key }}"
      secret_key: "{{ vault_cyberwatch_secret_key }}"
  block:
    - name: Every tag of debian that is scanned
      secops.vulnmgmt.cyberwatch_docker_image_info:
        image_name: library/debian
      register: debian_images
      delegate_to: localhost
'''

RETURN = r'''
docker_images:
  description: The matching images, as the API returns them.
  returned: always
  type: list
  elements: dict
  sample: [{"id": 6, "image_name": "library/debian", "image_tag": "latest", "docker_registry_id": 3,
            "docker_engine_id": 4, "node_id": 1, "server_id": null}]
'''

from ansible_collections.secops.vulnmgmt.plugins.module_utils.cyberwatch_module import run_info_module
from ansible_collections.secops.vulnmgmt.plugins.module_utils.options import Option, OptionSpec

SPEC = OptionSpec((
    Option('id', type='int'),
    Option('image_name'),
    Option('image_tag'),
), mutually_exclusive=[('id', 'image_name'), ('id', 'image_tag')])


def main():
    run_info_module(SPEC, 'docker_image', 'docker_images', 'image_name',
                    check=lambda image, params: params['image_tag'] in (None, image.get('image_tag')))


if __name__ == '__main__':
    main()
