# -*- coding: utf-8 -*-
# Copyright: secops.vulnmgmt contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The connection options of Cyberwatch, its client built from them, CyberwatchModule (the modules' base), and the
main() of the info modules that read one kind of object and of the state modules that reconcile one object."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.secops.vulnmgmt.plugins.module_utils.api_module import ApiModule, env, transport_options
from ansible_collections.secops.vulnmgmt.plugins.module_utils.cyberwatch import AUTH_METHODS, ROUTE_SETS, CyberwatchClient
from ansible_collections.secops.vulnmgmt.plugins.module_utils.options import Option, OptionSpec
from ansible_collections.secops.vulnmgmt.plugins.module_utils.resource import reconcile


def cyberwatch_argument_spec():
    return dict(
        api_url=dict(type='str', required=True, **env('CYBERWATCH_API_URL', 'CBW_API_URL')),
        api_key=dict(type='str', required=True, no_log=True, **env('CYBERWATCH_API_KEY', 'CBW_API_KEY')),
        secret_key=dict(type='str', required=True, no_log=True,
                        **env('CYBERWATCH_SECRET_KEY', 'CBW_SECRET_KEY')),
        auth_method=dict(type='str', default='hmac', choices=list(AUTH_METHODS), **env('CYBERWATCH_AUTH_METHOD')),
        api_routes=dict(type='str', default='current', choices=list(ROUTE_SETS), **env('CYBERWATCH_API_ROUTES')),
        **transport_options('CYBERWATCH')
    )


def cyberwatch_client(options):
    return CyberwatchClient(
        options['api_url'], options['api_key'], options['secret_key'], auth_method=options['auth_method'],
        api_routes=options['api_routes'], validate_certs=options['validate_certs'], ca_path=options['ca_path'],
        request_timeout=options['request_timeout'], max_retries=options['max_retries'])


class CyberwatchModule(ApiModule):
    connection_spec = staticmethod(cyberwatch_argument_spec)
    client_factory = staticmethod(cyberwatch_client)


def id_or_key_spec(key_option, *options):
    """The options of an info module that reads one object by id or by its natural key (never both), or all of them,
    and its other options."""
    return OptionSpec((Option('id', type='int'), Option(key_option)) + options, mutually_exclusive=[('id', key_option)])


def run_info_module(spec, resource, plural, key_option, filters=(), check=None):
    """main() of an info module: the objects of resource selected by the id and key_option options, under plural.

    filters names the options sent as server-side filters; check(item, params) keeps the items the options select.
    """
    module = CyberwatchModule(spec)
    params = module.params
    server_filters = dict((name, params[name]) for name in filters)
    selected = None if check is None else (lambda item: check(item, params))
    module.run(lambda: {'changed': False, plural: module.client.query(resource, params.get('id'), params[key_option],
                                                                      server_filters, selected)})


def run_state_module(spec, backend):
    """main() of a state module: the reconcile engine drives the object of backend(client, params) to spec."""
    module = CyberwatchModule(spec)
    module.run(lambda: reconcile(module, spec, backend(module.client, module.params)))
