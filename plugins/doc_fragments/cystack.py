# -*- coding: utf-8 -*-
# Copyright: secops.vulnmgmt contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Connection options of the CyStack modules (DOCUMENTATION) and inventory plugin (PLUGINS)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type


class ModuleDocFragment(object):

    DOCUMENTATION = r'''
options:
  api_url:
    description:
      - Base URL of the CyStack API, version path included.
      - If not set, the environment variable E(CYSTACK_API_URL) is used.
    type: str
    default: https://api.cystack.io/v1
  api_key:
    description:
      - CyStack API key, sent as a bearer token.
      - If not set, the environment variable E(CYSTACK_API_KEY) is used.
    type: str
    required: true
  validate_certs:
    description:
      - Verify the server TLS certificate. C(false) warns on every run.
      - If not set, the environment variable E(CYSTACK_VALIDATE_CERTS) is used.
    type: bool
    default: true
  ca_path:
    description:
      - PEM file of the CA that signed the server certificate.
      - If not set, the environment variable E(CYSTACK_CA_PATH) is used.
    type: path
  request_timeout:
    description:
      - Seconds to wait for the server to connect and to answer each request.
      - If not set, the environment variable E(CYSTACK_REQUEST_TIMEOUT) is used.
    type: float
    default: 30
  max_retries:
    description:
      - How many times an idempotent request (GET, PUT, DELETE) is retried after HTTP 429, 502, 503, 504 or a
        dropped connection, with exponential backoff and jitter, honouring C(Retry-After).
      - A POST (launching a scan) is never retried once sent.
      - If not set, the environment variable E(CYSTACK_MAX_RETRIES) is used.
    type: int
    default: 3
attributes:
  action_group:
    support: full
    description: Use C(module_defaults) with this action group to set the connection options once.
    membership: [secops.vulnmgmt.cystack]
requirements:
  - requests >= 2.28 (Python library, on the controller)
notes:
  - 'Runs on the controller: use C(delegate_to: localhost) or a play on C(localhost).'
  - All the options above can be set once per play with C(module_defaults) and the
    C(group/secops.vulnmgmt.cystack) action group.
'''

    PLUGINS = r'''
options:
  api_url:
    description:
      - Base URL of the CyStack API, version path included.
    type: str
    default: https://api.cystack.io/v1
    env:
      - name: CYSTACK_API_URL
  api_key:
    description:
      - CyStack API key, sent as a bearer token.
    type: str
    required: true
    env:
      - name: CYSTACK_API_KEY
  validate_certs:
    description:
      - Verify the server TLS certificate. C(false) warns on every run.
    type: bool
    default: true
    env:
      - name: CYSTACK_VALIDATE_CERTS
  ca_path:
    description:
      - PEM file of the CA that signed the server certificate. An empty value means none (the system trust store).
    type: str
    env:
      - name: CYSTACK_CA_PATH
  request_timeout:
    description:
      - Seconds to wait for each request.
    type: float
    default: 30
    env:
      - name: CYSTACK_REQUEST_TIMEOUT
  max_retries:
    description:
      - Retries of idempotent requests after 429, 502, 503, 504 or a dropped connection.
    type: int
    default: 3
    env:
      - name: CYSTACK_MAX_RETRIES
requirements:
  - requests >= 2.28 (Python library, on the controller)
'''
