# -*- coding: utf-8 -*-
# Copyright: secops.vulnmgmt contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Check-mode and diff-mode attributes shared by the state modules (STATE) and the read-only modules (INFO)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type


class ModuleDocFragment(object):

    DOCUMENTATION = r'''
options: {}
'''

    STATE = r'''
options: {}
attributes:
  check_mode:
    support: full
    description: Predicts the change and sends no write.
  diff_mode:
    support: full
    description: Shows the changed fields before and after; secrets are masked.
'''

    INFO = r'''
options: {}
attributes:
  check_mode:
    support: full
    description: The module never changes anything.
  diff_mode:
    support: none
    description: The module changes nothing, so there is nothing to diff.
'''
