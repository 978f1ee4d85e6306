# -*- coding: utf-8 -*-
# Copyright: secops.vulnmgmt contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Cyberwatch reads of the info modules: objects by id, natural key or filters, and id lists."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.secops.vulnmgmt.plugins.module_utils.cyberwatch import RESOURCES


def ids_of(objects):
    """Ids of a list of objects (or ids) as ints: server groups are returned as {id, name, ...}."""
    return sorted(int(o['id'] if isinstance(o, dict) else o) for o in objects or () if o not in (None, ''))


def equal_ids(current, desired):
    return ids_of(current) == ids_of(desired)


def query(client, resource, object_id=None, key_value=None, filters=None, check=None):
    """Objects by id (404 -> []), by natural key, or all of them, filtered on the server where possible.

    check(item) re-applies the server-side filters client-side.
    """
    resource = RESOURCES[resource]
    if object_id is not None:
        obj = client.get(resource, object_id)
        return [obj] if obj else []
    filters = dict((k, v) for k, v in (filters or {}).items() if v is not None)
    items = client.list(resource, filters) if key_value is None else client.find(resource, key_value, filters)
    return [i for i in items if check(i)] if check else items
