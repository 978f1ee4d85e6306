# -*- coding: utf-8 -*-
# Copyright: secops.vulnmgmt contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Connection options of the Cyberwatch modules (DOCUMENTATION) and inventory plugin (PLUGINS)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type


class ModuleDocFragment(object):

    DOCUMENTATION = r'''
options:
  api_url:
    description:
      - Base URL of the Cyberwatch server, for example V(https://cyberwatch.example.com).
      - The API paths (C(/api/v3/...)) are appended to it.
      - If not set, the environment variables E(CYBERWATCH_API_URL) then E(CBW_API_URL) are used.
    type: str
    required: true
  api_key:
    description:
      - Id of the Cyberwatch API key (Profile, API keys).
      - If not set, the environment variables E(CYBERWATCH_API_KEY) then E(CBW_API_KEY) are used.
    type: str
    required: true
  secret_key:
    description:
      - Secret of the Cyberwatch API key. It is never sent under O(auth_method=hmac), only used to sign.
      - If not set, the environment variables E(CYBERWATCH_SECRET_KEY) then E(CBW_SECRET_KEY) are used.
    type: str
    required: true
  auth_method:
    description:
      - V(hmac) signs every request with HMAC-SHA256 as the original Cyberwatch API toolbox does.
        The controller clock must be within 15 minutes of the server clock.
      - V(basic) sends the key pair as HTTP Basic credentials, as the current Cyberwatch client does.
      - If not set, the environment variable E(CYBERWATCH_AUTH_METHOD) is used.
    type: str
    choices: [hmac, basic]
    default: hmac
  api_routes:
    description:
      - V(current) uses the prefixed routes of current servers (C(/api/v3/assets/...), C(/api/v3/vulnerabilities/...)).
      - V(legacy) uses the older un-prefixed v3 routes (C(/api/v3/servers), C(/api/v3/remote_accesses), ...).
      - If not set, the environment variable E(CYBERWATCH_API_ROUTES) is used.
    type: str
    choices: [current, legacy]
    default: current
  validate_certs:
    description:
      - Verify the server TLS certificate. Only disable it for a lab; C(false) warns on every run.
      - If not set, the environment variable E(CYBERWATCH_VALIDATE_CERTS) is used.
    type: bool
    default: true
  ca_path:
    description:
      - PEM file of the CA that signed the server certificate, for private PKIs.
      - If not set, the environment variable E(CYBERWATCH_CA_PATH) is used.
    type: path
  request_timeout:
    description:
      - Seconds to wait for the server to connect and to answer each request.
      - If not set, the environment variable E(CYBERWATCH_REQUEST_TIMEOUT) is used.
    type: float
    default: 30
  max_retries:
    description:
      - How many times an idempotent request (GET, PUT, PATCH, DELETE) is retried after HTTP 429, 502, 503, 504
        or a dropped connection, with exponential backoff and jitter, honouring C(Retry-After).
      - A POST is never retried once sent, so a create is never duplicated.
      - If not set, the environment variable E(CYBERWATCH_MAX_RETRIES) is used.
    type: int
    default: 3
attributes:
  action_group:
    support: full
    description: Use C(module_defaults) with this action group to set the connection options once.
    membership: [secops.vulnmgmt.cyberwatch]
requirements:
  - requests >= 2.28 (Python library, on the controller)
notes:
  - 'Runs on the controller: use C(delegate_to: localhost) or a play on C(localhost).'
  - All the options above can be set once per play with C(module_defaults) and the
    C(group/secops.vulnmgmt.cyberwatch) action group.
'''

    PLUGINS = r'''
options:
  api_url:
    description:
      - Base URL of the Cyberwatch server, for example V(https://cyberwatch.example.com).
    type: str
    required: true
    env:
      - name: CYBERWATCH_API_URL
      - name: CBW_API_URL
  api_key:
    description:
      - Id of the Cyberwatch API key.
    type: str
    required: true
    env:
      - name: CYBERWATCH_API_KEY
      - name: CBW_API_KEY
  secret_key:
    description:
      - Secret of the Cyberwatch API key.
    type: str
    required: true
    env:
      - name: CYBERWATCH_SECRET_KEY
      - name: CBW_SECRET_KEY
  auth_method:
    description:
      - V(hmac) signs requests with HMAC-SHA256; V(basic) sends HTTP Basic credentials.
    type: str
    choices: [hmac, basic]
    default: hmac
    env:
      - name: CYBERWATCH_AUTH_METHOD
  api_routes:
    description:
      - V(current) prefixed routes or V(legacy) un-prefixed v3 routes.
    type: str
    choices: [current, legacy]
    default: current
    env:
      - name: CYBERWATCH_API_ROUTES
  validate_certs:
    description:
      - Verify the server TLS certificate. C(false) warns on every run.
    type: bool
    default: true
    env:
      - name: CYBERWATCH_VALIDATE_CERTS
  ca_path:
    description:
      - PEM file of the CA that signed the server certificate. An empty value means none (the system trust store).
    type: str
    env:
      - name: CYBERWATCH_CA_PATH
  request_timeout:
    description:
      - Seconds to wait for each request.
    type: float
    default: 30
    env:
      - name: CYBERWATCH_REQUEST_TIMEOUT
  max_retries:
    description:
      - Retries of idempotent requests after 429, 502, 503, 504 or a dropped connection.
    type: int
    default: 3
    env:
      - name: CYBERWATCH_MAX_RETRIES
requirements:
  - requests >= 2.28 (Python library, on the controller)
'''
