# -*- coding: utf-8 -*-
# Copyright: secops.vulnmgmt contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""How an inventory host is matched to a platform record (a Cyberwatch server, a remote access), one set of rules
for the gates (cyberwatch_server_index, cyberwatch_server_match, cyberwatch_server_matches) and the coverage
reconciliation (controller only):
- a host is known by its names, most specific first (inventory hostname, FQDN, short name, ansible_host), compared
  without case;
- the record's fields are tried in order (a server's exact hostname before its addresses): the first field any name
  matches decides, and within it the first name that matches;
- several records for that name are ambiguous: none is picked.
A listing is indexed once ({field: {value: records}}, a plain dict that a play can keep in a variable), then each host
is a few dictionary lookups.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from collections.abc import Mapping

from ansible.module_utils.common.text.converters import to_text


def _listed(value):
    return value if isinstance(value, list) else []


# (index key, the word for it in a message, the values of a record that a host name may equal), in the order tried.
SERVER_FIELDS = (('hostname', 'hostname', lambda server: [server.get('hostname')]),
                 ('addresses', 'address', lambda server: _listed(server.get('addresses'))))
REMOTE_ACCESS_FIELDS = (('address', 'address', lambda access: [access.get('address')]),)


def wanted_names(names):
    """names (a string or a list) lowered and stripped, without blanks or repeats, in order."""
    wanted = []
    for name in [names] if isinstance(names, str) else names or []:
        name = to_text(name).strip().lower() if name else ''
        if name and name not in wanted:
            wanted.append(name)
    return wanted


def index(records, fields):
    """{field key: {value without case: the records with it, in listing order}}; records that are not dictionaries
    are left out."""
    indexed = dict((key, {}) for key, dummy, dummy in fields)
    for record in records or []:
        if not isinstance(record, dict):
            continue
        for key, dummy, values in fields:
            for value in dict.fromkeys(to_text(value).strip().lower() for value in values(record) if value):
                indexed[key].setdefault(value, []).append(record)
    return indexed


def match(indexed, names, fields):
    """(the records the deciding name matches, the word for the field, the name), or ([], None, None): see the module
    doc. indexed: index(records, fields)."""
    wanted = wanted_names(names)
    for key, label, dummy in fields:
        for name in wanted:
            found = indexed.get(key, {}).get(name)
            if found:
                return found, label, name
    return [], None, None


def ambiguity(found, label, name, what='Cyberwatch servers'):
    """Why several records matched are no match."""
    ids = sorted(to_text(record.get('id')) for record in found)
    return 'ambiguous: %d %s have the %s %s (ids %s)' % (len(ids), what, label, name, ', '.join(ids))


def server_index(servers):
    """index(servers, SERVER_FIELDS) of a listing; servers themselves when they are that index already."""
    return servers if isinstance(servers, Mapping) else index(servers, SERVER_FIELDS)


def server_match(servers, names):
    """{server, server_ids, problem}: the Cyberwatch server of a host, or none, with why when several match. servers:
    a listing, or its server_index."""
    found, label, name = match(server_index(servers), names, SERVER_FIELDS)
    ids = sorted(to_text(server.get('id')) for server in found)
    if len(found) > 1:
        return {'server': None, 'server_ids': ids, 'problem': ambiguity(found, label, name)}
    return {'server': found[0] if found else None, 'server_ids': ids, 'problem': None}


def server_matches(servers, names_by_subject):
    """[server_match of each subject's names, with its subject and names] in the order of {subject: names}, the
    listing indexed once."""
    indexed = server_index(servers)
    return [dict(server_match(indexed, names), subject=subject, names=names) for subject, names in names_by_subject.items()]
