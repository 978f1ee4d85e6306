#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: secops.vulnmgmt contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: cyberwatch_airgap_script_info
short_description: Fetch the Cyberwatch air-gapped scanning scripts of an operating system
version_added: 0.2.0
description:
  - Lists the air-gapped scanning scripts Cyberwatch offers for an operating system and returns each one with its
    contents and the C(IDENTIFIER_SCRIPT) and C(IDENTIFIER_SCRIPT_VERSION) it carries, ready to run on a host whose
    output is then posted with M(secops.vulnmgmt.cyberwatch_airgap_upload).
  - With O(kind=vulnerability), reads C(GET /api/v2/cbw_scans/scripts) then C(GET /api/v2/cbw_scans/scripts/{id})
    for each script of the OS key's family (C(Scripts::Linux::*) or C(Scripts::Windows::*)), as cbw-api-toolbox
    C(fetch_airgapped_scripts) / C(fetch_airgapped_script) and C(cyberwatch-cli airgap download-scripts) do; the
    OS key is sent as the C(os) parameter.
  - With O(kind=compliance), reads the one compliance script of C(GET /api/v2/compliances/scripts) for the OS key and
    O(repositories), as cbw-api-toolbox C(fetch_compliance_airgapped_scripts) does.
  - Scripts come only from the configured Cyberwatch server, over verified TLS unless O(validate_certs=false).
    Never changes anything on the server; with O(dest), saves the scripts in a directory where the module runs.
  - A script name from the API becomes a file name and a word of the command that runs the script, so it must have
    letters, digits, C(_), C(.) and C(-) only (and not be C(.) or C(..)); two scripts with the same file name
    (compared case-insensitively) are refused too. Either fails the module before it writes or returns any script,
    naming the script id and the refused name.
  - Returns the SHA-256 digest of every script (RV(scripts[].sha256)), to pin scripts by content (see the
    C(cyberwatch_airgap_scan_script_sha256) variable of the role).
  - The role R(secops.vulnmgmt.cyberwatch_airgap_scan,ansible_collections.secops.vulnmgmt.cyberwatch_airgap_scan_role)
    fetches, runs and uploads the scripts for every host of a play.
notes:
  - Needs read access to the air-gapped scan scripts only; it never writes, so a read-only API key works. See
    R(Permissions,ansible_collections.secops.vulnmgmt.docsite.permissions).
author:
  - secops.vulnmgmt maintainers (@secops)
extends_documentation_fragment:
  - secops.vulnmgmt.cyberwatch
attributes:
  check_mode:
    support: full
    description: Reads the scripts; with O(dest), writes no file.
  diff_mode:
    support: none
    description: Nothing on the server changes; the files of O(dest) are not diffed.
options:
  os_key:
    description:
      - Operating system of the hosts to scan. One of V(debian), V(ubuntu), V(rhel), V(centos), V(rocky),
        V(almalinux), V(oraclelinux), V(fedora), V(amazon), V(windows), alone or followed by Cyberwatch's version
        suffix (for example V(ubuntu_2204_64) or V(windows_2019_64), see C(GET /api/v3/os)).
      - Any other value fails before any request, naming the accepted keys.
    type: str
    required: true
  kind:
    description:
      - V(vulnerability) for the vulnerability scan scripts, V(compliance) for the compliance script.
    type: str
    choices: [vulnerability, compliance]
    default: vulnerability
  script_id:
    description:
      - Fetch only this script (O(kind=vulnerability)); it must belong to the OS key's family.
    type: int
  repositories:
    description:
      - Rule repositories of the compliance script, for example V(CIS_Benchmark). Required with O(kind=compliance).
    type: list
    elements: str
  dest:
    description:
      - Directory where the module runs (the controller with C(delegate_to=localhost)) to save each script in, under
        its RV(scripts[].filename), readable and executable by its owner only. The module reports a change when it
        writes a file. Like C(cyberwatch-cli airgap download-scripts --dest-dir).
      - It must be an existing directory, not a symbolic link, owned by the user the module runs as, with no access
        for the group or others (for example mode C(0700)); anything else fails before any request, naming O(dest).
        Before 0.3.0 a missing directory was created.
      - Each file is written to a new private temporary file in O(dest), then renamed over its name, so a symbolic
        link found there is replaced, never followed.
    type: path
'''

EXAMPLES = r'''
- name: Fetch air-gap scripts
  module_defaults:
    group/secops.vulnmgmt.cyberwatch:
      api_url: https://cyberwatch.example.com
      api_key: "{{ vault_cyberwatch_api_key }}"
      secret_key: "{{ vault_cyberwatch_secret_key }}"
  block:
    - name: Scripts for Ubuntu hosts
      secops.vulnmgmt.cyberwatch_airgap_script_info:
        os_key: ubuntu
      register: ubuntu_scripts
      delegate_to: localhost
      run_once: true

    - name: Show which scripts and versions were fetched
      ansible.builtin.debug:
        msg: "{{ ubuntu_scripts.scripts | map(attribute='identifier_script_version') | list }}"

    - name: The compliance script for Windows Server 2019 and the CIS benchmark
      secops.vulnmgmt.cyberwatch_airgap_script_info:
        kind: compliance
        os_key: windows_2019_64
        repositories: [CIS_Benchmark]
      register: windows_compliance
      delegate_to: localhost

    - name: A private directory on the controller for the Debian scripts
      ansible.builtin.file:
        path: /srv/airgap/debian
        state: directory
        mode: "0700"
      delegate_to: localhost

    - name: Save the Debian scripts there, to carry them to a host with no network
      secops.vulnmgmt.cyberwatch_airgap_script_info:
        os_key: debian_12_64
        dest: /srv/airgap/debian
      delegate_to: localhost
'''

RETURN = r'''
os_key:
  description: The OS key the scripts were fetched for.
  returned: always
  type: str
  sample: ubuntu
family:
  description: Script family of the OS key; V(Windows) scripts are PowerShell, the others shell scripts.
  returned: always
  type: str
  sample: Linux
scripts:
  description: The scripts, in the server's order.
  returned: always
  type: list
  elements: dict
  contains:
    id:
      description: Script id (null for the compliance script).
      type: int
      sample: 2
    type:
      description: Script type, C(Scripts::<Family>::<Name>).
      type: str
      sample: Scripts::Linux::InfoScript
    family:
      description: Family part of the type.
      type: str
      sample: Linux
    name:
      description: Name part of the type (the file name of the compliance script).
      type: str
      sample: InfoScript
    filename:
      description: File name to save the script under (C(.sh) or C(.ps1)); letters, digits, C(_), C(.) and C(-).
      type: str
      sample: InfoScript.sh
    shell:
      description: V(sh) or V(powershell).
      type: str
      sample: sh
    contents:
      description: The script.
      type: str
      sample: "#!/bin/sh\necho \"IDENTIFIER_SCRIPT:2\"\n..."
    sha256:
      description: SHA-256 digest (hexadecimal) of the script as saved under O(dest) (its contents in UTF-8).
      type: str
      returned: always
      version_added: 0.3.0
      sample: 9f2c4b1e0d8a7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a2f1e0d9c8b7a6f5e4d3c2b
    version:
      description: Version the server gives for the script.
      type: str
      sample: 47c8367e1c92d50fad8894362f5c09e9bfe65e712aab2d23ffbb61e354e270dd
    attachment:
      description: URL of an attachment the script needs (for example a C(.cab) file), or null.
      type: str
      sample: null
    identifier_script:
      description: The C(IDENTIFIER_SCRIPT) value the script prints, or null.
      type: str
      sample: "2"
    identifier_script_version:
      description: The C(IDENTIFIER_SCRIPT_VERSION) value the script prints, or null.
      type: str
      sample: 47c8367e1c92d50fad8894362f5c09e9bfe65e712aab2d23ffbb61e354e270dd
    path:
      description: Where the script was saved, with O(dest) (not in check mode).
      type: str
      returned: when O(dest) is set and not in check mode
      sample: /srv/airgap/debian/InfoScript.sh
'''

from ansible_collections.secops.vulnmgmt.plugins.module_utils.cyberwatch_module import CyberwatchModule
from ansible_collections.secops.vulnmgmt.plugins.module_utils.cyberwatch_airgap import (
    KINDS, check_dest, check_scripts, fetch_compliance_script, fetch_scripts, os_family, save_scripts,
)
from ansible_collections.secops.vulnmgmt.plugins.module_utils.options import Option, OptionSpec

SPEC = OptionSpec((
    Option('os_key', required=True, no_log=False),  # an operating system name, not a secret
    Option('kind', default='vulnerability', choices=list(KINDS)),
    Option('script_id', type='int'),
    Option('repositories', type='list', elements='str'),
    Option('dest', type='path'),
), required_if=[('kind', 'compliance', ('repositories',))])


def main():
    module = CyberwatchModule(SPEC)
    params = module.params

    def run():
        family = os_family(params['os_key'])
        if params['dest']:
            check_dest(params['dest'])
        if params['kind'] == 'compliance':
            if params['script_id'] is not None:
                raise ValueError('script_id applies to kind=vulnerability only')
            scripts = fetch_compliance_script(module.client, params['os_key'], params['repositories'])
        else:
            scripts = fetch_scripts(module.client, params['os_key'], params['script_id'])
        check_scripts(scripts)
        changed = False
        if params['dest'] and not module.check_mode:
            changed = save_scripts(scripts, params['dest'])
        return dict(changed=changed, os_key=params['os_key'], family=family, scripts=scripts)

    module.run(run)


if __name__ == '__main__':
    main()
