# -*- coding: utf-8 -*-
# Copyright: secops.vulnmgmt contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The severities of CyStack findings, highest first, in the API's words. A file of its own, importing nothing: the
CyStack gate's filters read it in every Ansible worker that loads one of the collection's filters, and importing the
client (requests) cost each of those workers about 80 ms."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

SEVERITIES = ('High', 'Medium', 'Low', 'Information')
