# -*- coding: utf-8 -*-
# Copyright: secops.vulnmgmt contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The connection options of CyStack, its client built from them, and CyStackModule (the modules' base)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.secops.vulnmgmt.plugins.module_utils.api_module import ApiModule, env, transport_options
from ansible_collections.secops.vulnmgmt.plugins.module_utils.cystack import DEFAULT_API_URL, CyStackClient


def cystack_argument_spec():
    return dict(
        api_url=dict(type='str', default=DEFAULT_API_URL, **env('CYSTACK_API_URL')),
        api_key=dict(type='str', required=True, no_log=True, **env('CYSTACK_API_KEY')),
        **transport_options('CYSTACK')
    )


def cystack_client(options):
    return CyStackClient(
        options['api_key'], api_url=options['api_url'], validate_certs=options['validate_certs'],
        ca_path=options['ca_path'], request_timeout=options['request_timeout'], max_retries=options['max_retries'])


class CyStackModule(ApiModule):
    connection_spec = staticmethod(cystack_argument_spec)
    client_factory = staticmethod(cystack_client)
