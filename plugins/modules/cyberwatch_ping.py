#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: secops.vulnmgmt contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: cyberwatch_ping
short_description: Check that a Cyberwatch server answers and accepts the API credentials
version_added: 0.1.0
description:
  - Calls C(GET /api/v3/ping) with the configured credentials and returns the server's answer.
  - Use it first in a play to fail fast on a wrong URL, a wrong key pair, a TLS problem or clock skew.
notes:
  - Needs any valid API key (a read-only key works). See
    R(Permissions,ansible_collections.secops.vulnmgmt.docsite.permissions).
author:
  - secops.vulnmgmt maintainers (@secops)
extends_documentation_fragment:
  - secops.vulnmgmt.cyberwatch
  - secops.vulnmgmt.attributes.INFO
'''

EXAMPLES = r'''
- name: Check the Cyberwatch credentials (taken from CYBERWATCH_* environment variables)
  secops.vulnmgmt.cyberwatch_ping:
  delegate_to: localhost

- name: Check them with explicit options and a private CA
  secops.vulnmgmt.cyberwatch_ping:
    api_url: https://cyberwatch.example.com
    api_key: "{{ vault_cyberwatch_api_key }}"
    secret_key: "{{ vault_cyberwatch_secret_key }}"
    ca_path: /etc/pki/tls/certs/internal-ca.pem
  delegate_to: localhost
'''

RETURN = r'''
uuid:
  description: The uuid the server returns; it is the request id of the ping.
  returned: success
  type: str
  sample: 48e10502-1b30-495b-bc72-14fdad9b885b
api_url:
  description: The server that answered.
  returned: success
  type: str
  sample: https://cyberwatch.example.com
auth_method:
  description: How the request was authenticated.
  returned: success
  type: str
  sample: hmac
'''

from ansible_collections.secops.vulnmgmt.plugins.module_utils.cyberwatch_module import CyberwatchModule
from ansible_collections.secops.vulnmgmt.plugins.module_utils.options import OptionSpec


def main():
    module = CyberwatchModule(OptionSpec())  # the connection options only

    def ping():
        answer = module.client.ping() or {}
        return dict(changed=False, uuid=answer.get('uuid'), api_url=module.params['api_url'],
                    auth_method=module.params['auth_method'])

    module.run(ping)


if __name__ == '__main__':
    main()
