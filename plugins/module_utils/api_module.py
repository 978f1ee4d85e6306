# -*- coding: utf-8 -*-
# Copyright: secops.vulnmgmt contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""ApiModule, the AnsibleModule of every module: a platform's connection options and its client, which the platform
sets (cyberwatch_module.py, cystack_module.py), the transport options and their checks, and clean API failures."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible.module_utils.basic import AnsibleModule, env_fallback, missing_required_lib

from ansible_collections.secops.vulnmgmt.plugins.module_utils.transport import (
    HAS_REQUESTS, REQUESTS_IMPORT_ERROR, ApiError, connection_warnings, url_credentials,
)


def env(*names):
    return dict(fallback=(env_fallback, list(names)))


def transport_options(prefix):
    """validate_certs, ca_path, request_timeout and max_retries, with PREFIX_* environment fallbacks."""
    return dict(
        validate_certs=dict(type='bool', default=True, **env(prefix + '_VALIDATE_CERTS')),
        ca_path=dict(type='path', **env(prefix + '_CA_PATH')),
        request_timeout=dict(type='float', default=30.0, **env(prefix + '_REQUEST_TIMEOUT')),
        max_retries=dict(type='int', default=3, **env(prefix + '_MAX_RETRIES')),
    )


def check_transport_options(options, fail):
    """Reject transport values that cannot work, naming the option; fail(msg) does not return."""
    if options['request_timeout'] is not None and options['request_timeout'] <= 0:
        fail('request_timeout must be a number of seconds greater than 0, got %s' % options['request_timeout'])
    if options['max_retries'] is not None and not 0 <= options['max_retries'] <= 10:
        fail('max_retries must be between 0 and 10, got %s' % options['max_retries'])
    url = options['api_url'] or ''
    if not url.lower().startswith(('http://', 'https://')):
        fail('api_url must be an http:// or https:// URL, got %r' % url)


class ApiModule(AnsibleModule):
    """An AnsibleModule with a platform's connection options and a lazily built client."""

    connection_spec = staticmethod(dict)
    client_factory = None

    def __init__(self, spec, **kwargs):
        """spec: the module's OptionSpec (options.py), which gives its argument spec, its rules between options and
        the checks of each value."""
        arguments = self.connection_spec()
        arguments.update(spec.argument_spec())
        kwargs.update(spec.rules)
        kwargs.setdefault('supports_check_mode', True)
        super(ApiModule, self).__init__(argument_spec=arguments, **kwargs)
        # A password written inside api_url is a secret like api_key: masked in every result, warning and message.
        self.no_log_values.update(s for s in url_credentials(self.params['api_url'])[1:] if s)
        if not HAS_REQUESTS:
            self.fail_json(msg=missing_required_lib('requests'), exception=str(REQUESTS_IMPORT_ERROR))
        check_transport_options(self.params, lambda msg: self.fail_json(msg=msg))
        problems = spec.problems(self.params)
        if problems:
            self.fail_json(msg='; '.join(problems))
        for warning in connection_warnings(self.params):
            self.warn(warning)
        self._client = None

    @property
    def client(self):
        if self._client is None:
            self._client = type(self).client_factory(self.params)
        return self._client

    def run(self, action):
        """Call action() -> result dict and exit; ApiError and bad values become a clean failure."""
        # The failure is reported outside the except clause: ansible-core 2.19+ adds the traceback of the exception
        # being handled to fail_json, and a clean API error is not a crash.
        failure = None
        try:
            result = action()
        except (ApiError, ValueError) as exc:
            failure = exc
        if isinstance(failure, ApiError):  # the message names method, path and server message
            self.fail_json(msg=failure.message, **failure.to_result())
        if failure is not None:
            self.fail_json(msg=str(failure))
        # The engine's note about a create it recovered from (lost race or lost answer) is worth a warning.
        recovered = result.pop('recovered', None) or []
        for note in [recovered] if isinstance(recovered, str) else recovered:
            self.warn(note)
        self.exit_json(**result)
