# -*- coding: utf-8 -*-
# Copyright: secops.vulnmgmt contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What the controller-side plugins do with API values (controller only: inventory, filters, event sources).

Strings from a scanner come, in the end, from the scanned hosts. Three rules, one place:
- untrusted(): API values handed to Ansible are never templated (ansible-core's own unsafe marking before 2.19;
  data tagging already trusts no plugin value as a template from 2.19 on);
- host_name_problem(): an API value becomes an inventory host name, or an event field a job `limit`, only if it is
  a plain host name;
- address_problem(): `ansible_host` comes only from an IP address or a DNS name;
- possibly_template(): where no marking survives (an event on its way to a rulebook's job), a string that Ansible
  would template is withheld, by ansible-core's own test.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import ipaddress
import re

from ansible.parsing.dataloader import DataLoader
from ansible.release import __version__ as ANSIBLE_CORE_VERSION
from ansible.template import Templar
from ansible.utils.unsafe_proxy import wrap_var

DATA_TAGGING = tuple(int(part) for part in ANSIBLE_CORE_VERSION.split('.')[:2]) >= (2, 19)
# A plain host name: letters, digits, '_', '.' and '-', not starting with '-' or '.'; nothing a host pattern reads
# (',', ':', '*', '!', '&', '~', '[', whitespace), nothing Jinja reads ('{', '%', '#'), nothing a shell reads.
PLAIN_HOST_NAME = re.compile(r'[A-Za-z0-9_][A-Za-z0-9_.-]{0,252}\Z')
DNS_LABEL = re.compile(r'(?!-)[A-Za-z0-9-]{1,63}(?<!-)\Z')


def untrusted(value):
    """value (a string, or a structure of them), marked so that Ansible never templates it, on every core."""
    if DATA_TAGGING:
        return value  # plugin values carry no TrustedAsTemplate tag: they are never templated
    return wrap_var(value)


_TEMPLAR = []


def possibly_template(value):
    """Whether Ansible would template value: ansible-core's own test (Templar.is_possibly_template), the same on every
    supported core (a Jinja start string, or a Jinja overrides header)."""
    if not _TEMPLAR:
        _TEMPLAR.append(Templar(loader=DataLoader()))
    return _TEMPLAR[0].is_possibly_template(value)


def _loopback(name):
    try:
        address = ipaddress.ip_address(name)
    except ValueError:
        return False
    return address.is_loopback or address.is_unspecified


def host_name_problem(name, taken=()):
    """Why name cannot be an inventory host name (or a job limit), or None when it is a plain host name.

    taken: names it must not equal either (the inventory's group names).
    """
    if not isinstance(name, str) or not name:
        return 'it is empty or not a string'
    if not PLAIN_HOST_NAME.match(name):
        return ('it is not a plain host name (letters, digits, "_", "." and "-", at most 253, not starting with "-" '
                'or ".")')
    lowered = name.lower()
    if lowered == 'localhost' or lowered.startswith('localhost.') or lowered.endswith('.localhost') or _loopback(name):
        return 'it names the controller itself (localhost or a loopback address)'
    if lowered in ('all', 'ungrouped') or name in taken:
        return 'it is the name of a group'
    return None


def address_problem(value):
    """Why value cannot be an `ansible_host`, or None when it is an IP address or a DNS name (not the controller's
    own: no loopback, unspecified or multicast address)."""
    if not isinstance(value, str) or not value:
        return 'it is empty or not a string'
    try:
        address = ipaddress.ip_address(value)
    except ValueError:
        labels = value[:-1].split('.') if value.endswith('.') else value.split('.')
        if len(value) > 253 or not all(DNS_LABEL.match(label) for label in labels):
            return 'it is neither an IP address nor a DNS name'
        if value.lower().rstrip('.') == 'localhost' or value.lower().rstrip('.').endswith('.localhost'):
            return 'it names the controller itself'
        return None
    if address.is_loopback or address.is_unspecified or address.is_multicast:
        return 'it is a loopback, unspecified or multicast address'
    return None
