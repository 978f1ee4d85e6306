# -*- coding: utf-8 -*-
# Copyright: secops.vulnmgmt contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Options shared by the inventory plugins (one API record, a server or a target, is one host)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type


class ModuleDocFragment(object):

    DOCUMENTATION = r'''
options:
  existing_hosts:
    description:
      - What to do with a record (a server, a target) whose host name is a host that an inventory source read before
        this one already defined. O(duplicate_hostnames) applies first, among the records of this source; this
        option then applies to the names it gave.
      - V(rename) adds the record as C(<name>_<id>), with a warning; the source fails if that name is taken too.
      - V(skip) leaves the record out, with a warning.
      - V(merge) sets the record's variables and groups on the existing host (the behaviour before 0.3.0). Only for
        sources you trust, since a record could otherwise replace the connection variables (C(ansible_host)) of
        another source's host.
    type: str
    choices: [rename, skip, merge]
    default: rename
    version_added: 0.3.0
'''
