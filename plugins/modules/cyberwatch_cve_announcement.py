#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: secops.vulnmgmt contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: cyberwatch_cve_announcement
short_description: Customise the risk scoring of a Cyberwatch CVE announcement
version_added: 0.2.0
description:
  - Sets the custom score, the custom CVSS v3 vector and the note of a CVE announcement (C(PUT) on the CVE), or
    removes that customisation (C(DELETE), O(state=absent)). The CVE itself is never created nor deleted.
  - Only the options you set are compared and sent; a run that changes nothing sends no write. O(state=absent) on a
    CVE without customisation sends nothing.
notes:
  - Needs an API key with write access to CVE announcements (custom score and note). Check mode needs read access only
    and sends no write; with a read-only key a real change fails with HTTP 403, naming the missing write access. See
    R(Permissions,ansible_collections.secops.vulnmgmt.docsite.permissions).
author:
  - secops.vulnmgmt maintainers (@secops)
extends_documentation_fragment:
  - secops.vulnmgmt.cyberwatch
  - secops.vulnmgmt.attributes.STATE
options:
  cve_code:
    description:
      - The CVE, such as C(CVE-2021-44228). It must exist on the server.
    type: str
    required: true
  score:
    description:
      - Custom score (C(score_custom)), between 0 and 10.
    type: float
  cvss_vector:
    description:
      - Custom CVSS v3 base vector (C(cvss_custom)), such as C(CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N). The
        C(CVSS:3.x/) prefix is optional; the eight base metrics are required.
    type: str
  note:
    description:
      - Custom note (C(note_custom)). V("") clears it.
    type: str
  state:
    description:
      - V(present) sets the customisation, V(absent) removes all of it (score, vector and note).
    type: str
    choices: [present, absent]
    default: present
'''

EXAMPLES = r'''
- name: Score CVEs for our own context
  module_defaults:
    group/secops.vulnmgmt.cyberwatch:
      api_url: https://cyberwatch.example.com
      api_key: "{{ vault_cyberwatch_api_key }}"
      secret_key: "{{ vault_cyberwatch_secret_key }}"
  block:
    - name: Not reachable from the network here
      secops.vulnmgmt.cyberwatch_cve_announcement:
        cve_code: CVE-2019-16768
        score: 3.1
        cvss_vector: CVSS:3.1/AV:L/AC:H/PR:L/UI:R/S:U/C:L/I:N/A:N
        note: Only reachable from the admin VLAN (risk review 2024-05).
      delegate_to: localhost

    - name: Back to the vendor's scoring
      secops.vulnmgmt.cyberwatch_cve_announcement:
        cve_code: CVE-2017-0146
        state: absent
      delegate_to: localhost
'''

RETURN = r'''
cve_announcement:
  description:
    - The CVE announcement after the run (its detail). V(null) after O(state=absent) removed the customisation. In
      check mode, the predicted object.
  returned: always
  type: dict
  contains:
    cve_code:
      description: The CVE.
      type: str
      sample: CVE-2019-16768
    score_custom:
      description: Custom score.
      type: float
      sample: 3.1
    cvss_custom:
      description: Custom CVSS v3 metrics, as the API names them.
      type: dict
      sample: {"access_vector": "access_vector_local", "access_complexity": "access_complexity_high"}
    note_custom:
      description: Custom note.
      type: str
      sample: Only reachable from the admin VLAN.
diff:
  description: The fields that changed, before and after.
  returned: always
  type: dict
  sample: {"before": {"score_custom": null}, "after": {"score_custom": 3.1}}
'''

from ansible_collections.secops.vulnmgmt.plugins.module_utils.cyberwatch_module import run_state_module
from ansible_collections.secops.vulnmgmt.plugins.module_utils.cyberwatch_backends import (
    CVE_CODE, CVE_CODE_WORDS, CveCustomisationBackend,
)
from ansible_collections.secops.vulnmgmt.plugins.module_utils.cyberwatch_cvss import cvss_custom, cvss_from_api
from ansible_collections.secops.vulnmgmt.plugins.module_utils.options import Option, problem_of
from ansible_collections.secops.vulnmgmt.plugins.module_utils.resource import Field, ResourceSpec

SPEC = ResourceSpec('cve_announcement', fields=(
    Field('score', type='float', api_name='score_custom', minimum=0, maximum=10),
    Field('cvss_vector', api_name='cvss_custom', to_api=lambda value, params: cvss_custom(value),
          from_api=cvss_from_api, check=problem_of(cvss_custom)),
    Field('note', api_name='note_custom'),
), options=(Option('cve_code', required=True, pattern=CVE_CODE, accepted=CVE_CODE_WORDS),))


def main():
    run_state_module(SPEC, lambda client, params: CveCustomisationBackend(
        client, params['cve_code'].strip(), present=params['state'] == 'present'))


if __name__ == '__main__':
    main()
