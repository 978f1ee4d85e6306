# -*- coding: utf-8 -*-
# Copyright: secops.vulnmgmt contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Coverage reconciliation filter of the vulnmgmt_coverage role: `coverage_reconcile` (docs in coverage_reconcile.yml;
the logic in plugins/plugin_utils/coverage.py). Its result goes to gate_evaluate(kind='coverage') for the summary."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible.errors import AnsibleFilterError

from ansible_collections.secops.vulnmgmt.plugins.plugin_utils.coverage import CoverageError, reconcile
from ansible_collections.secops.vulnmgmt.plugins.plugin_utils.trust import untrusted


def coverage_reconcile(hosts, servers, remote_accesses=None, targets=None, max_age='7d', now=None, groups=None,
                       limit=None):
    """The coverage of the play's hosts; see coverage_reconcile.yml."""
    try:
        return untrusted(reconcile(hosts, servers, remote_accesses, targets, max_age, now, groups, limit))
    except CoverageError as exc:
        raise AnsibleFilterError('coverage_reconcile: %s' % exc)


class FilterModule(object):
    """Coverage filters."""

    def filters(self):
        return {'coverage_reconcile': coverage_reconcile}
