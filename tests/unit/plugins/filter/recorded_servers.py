"""Server details with updates[] from the recorded Cyberwatch cassettes (vendored under tests/contract/cassettes), by
cassette: the shapes remediation_plan and remediation_verify are tested on."""

import json

import yaml

from ansible_collections.secops.vulnmgmt.tests.contract import recordings

# (folder, cassette, interaction): what each holds.
RECORDED = {
    # Ubuntu 20.04, firefox (Deb) fixing 53 CVEs.
    'ubuntu_firefox': ('current', 'server_ok', 0),
    # Ubuntu 18.04 (2019): 40 Deb updates, epochs (8:6.9.7.4+dfsg-..., 1:9.11.3+dfsg-...), updates fixing no CVE.
    'ubuntu_epochs': ('legacy_v3', 'server_ok', 0),
    # Ubuntu 20.04, reboot_required: four kernel updates (linux-*-hwe) with no CVE.
    'ubuntu_kernel': ('current', 'export_file_xlsx', 2),
    # Alpine docker image: Packages::Apk targets that are CVE numbers ("2014-9645").
    'alpine': ('current', 'update_server_cve', 0),
    # Windows 10: Packages::WinApp, patchable false, display names ("Mozilla Firefox 69.0 (x64 fr)").
    'windows': ('legacy_v3', 'update_server_cve', 0),
    # VMware ESXi: Packages::Vib updates.
    'esxi': ('legacy_v3', 'update_server_cve_ignored', 0),
    # Cisco: a Packages::Firmware update with no CVE.
    'cisco': ('current', 'export_file_xlsx', 1),
}
_LOADED = {}


def _interactions(folder, name):
    key = (folder, name)
    if key not in _LOADED:
        path = recordings.ROOT / folder / ('%s.yaml' % name)
        loader = getattr(yaml, 'CSafeLoader', yaml.SafeLoader)
        _LOADED[key] = yaml.load(path.read_text(encoding='utf-8'), Loader=loader)['interactions']
    return _LOADED[key]


def server(label):
    """A fresh copy of the recorded server detail called label (see RECORDED)."""
    folder, name, index = RECORDED[label]
    body = _interactions(folder, name)[index]['response']['body']
    return json.loads(recordings._text(body))  # pylint: disable=protected-access
