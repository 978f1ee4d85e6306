"""Air-gap helpers without a network: OS keys, the recorded script shape, family filtering, saving scripts, output
checks and the upload answer."""

import os
from pathlib import Path

import pytest
import yaml

from ansible_collections.secops.vulnmgmt.plugins.module_utils import cyberwatch_airgap as airgap
from ansible_collections.secops.vulnmgmt.plugins.module_utils.transport import ApiError

# The start of the recorded GET /api/v2/cbw_scans/scripts/1 answer (cassette fetch_airgapped_script).
RECORDED_VERSION = '47c8367e1c92d50fad8894362f5c09e9bfe65e712aab2d23ffbb61e354e270dd'
RECORDED = {'id': 1, 'type': 'Scripts::Windows::InfoScript', 'attachement': None, 'version': RECORDED_VERSION,
            'contents': '# API date : 2020-06-02 16:43:47 +0200\n\nWrite-Output "IDENTIFIER_SCRIPT:1"\n'
                        'Write-Output "IDENTIFIER_HOSTNAME:$([System.Net.Dns]::GetHostName())"\n'
                        'Write-Output "IDENTIFIER_SCRIPT_VERSION:%s"\n# System\n' % RECORDED_VERSION}


class Client:
    """Answers GET list/detail from a dict of scripts and records the requests."""

    def __init__(self, scripts, listing=None):
        self.scripts = scripts
        self.listing = listing
        self.calls = []

    def request(self, method, path, params=None, json_body=None):
        self.calls.append((method, path, params))
        if path == airgap.SCRIPT_ROUTES['vulnerability']:
            return self.listing if self.listing is not None else [{'id': i, 'type': s['type']} for i, s in self.scripts.items()]
        return self.scripts[int(path.rsplit('/', 1)[1])]


def test_os_keys():
    assert [airgap.os_family(k) for k in ('ubuntu', 'RHEL_9_64', 'windows_2019_64', 'oraclelinux_8')] == [
        'Linux', 'Linux', 'Windows', 'Linux']
    for bad in ('windowsx', 'solaris', '', None, 'ubuntu_22.04', 'ubuntu_'):
        with pytest.raises(ValueError, match='accepted: almalinux, amazon, centos, debian, fedora, oraclelinux, rhel'):
            airgap.os_family(bad)


def test_the_role_checks_the_keys_the_module_accepts():
    """The role checks each host's key before any request with its own copy of the key list: the same keys."""
    role_vars = Path(__file__).resolve().parents[4] / 'roles' / 'cyberwatch_airgap_scan' / 'vars' / 'main.yml'
    keys = yaml.safe_load(role_vars.read_text(encoding='utf-8'))['cyberwatch_airgap_scan__keys']
    assert keys == sorted(airgap.OS_FAMILIES)


def test_the_recorded_script_is_described_with_its_identifiers():
    script = airgap.describe_script(RECORDED)
    assert script['identifier_script'] == '1' and script['identifier_script_version'] == script['version']
    assert (script['family'], script['name'], script['filename'], script['shell']) == (
        'Windows', 'InfoScript', 'InfoScript.ps1', 'powershell')
    assert script['attachment'] is None and 'attachement' not in script


def test_only_the_scripts_of_the_key_family_are_fetched():
    linux = dict(RECORDED, id=2, type='Scripts::Linux::InfoScript', contents='echo "IDENTIFIER_SCRIPT:2"\n')
    client = Client({1: RECORDED, 2: linux})
    assert [s['id'] for s in airgap.fetch_scripts(client, 'debian_12_64')] == [2]
    assert client.calls == [('GET', '/api/v2/cbw_scans/scripts', {'os': 'debian_12_64'}),
                            ('GET', '/api/v2/cbw_scans/scripts/2', {'os': 'debian_12_64'})]
    with pytest.raises(ValueError, match='script 1 is a Windows script'):
        airgap.fetch_scripts(Client({1: RECORDED}), 'ubuntu', script_id=1)
    with pytest.raises(ApiError, match='expected a JSON list of scripts'):
        airgap.fetch_scripts(Client({}, listing={'error': 'x'}), 'ubuntu')
    with pytest.raises(ValueError, match='not accepted'):
        airgap.fetch_scripts(Client({}), 'solaris')


def test_saved_scripts_stay_in_dest(tmp_path):
    scripts = [airgap.describe_script(RECORDED), dict(airgap.describe_script(RECORDED), filename='../../evil.sh')]
    dest = str(tmp_path / 'scripts')
    assert airgap.save_scripts(scripts, dest) is True
    assert sorted(os.listdir(dest)) == ['InfoScript.ps1', 'evil.sh']
    assert os.stat(os.path.join(dest, 'InfoScript.ps1')).st_mode & 0o777 == 0o700
    assert scripts[1]['path'] == os.path.join(dest, 'evil.sh')
    assert airgap.save_scripts(scripts, dest) is False                      # same contents: nothing written
    with pytest.raises(ValueError, match='no usable file name'):
        airgap.save_scripts([dict(scripts[0], filename='..')], dest)


def test_output_checks():
    assert airgap.check_output('vulnerability', 'IDENTIFIER_SCRIPT:2\n IDENTIFIER_HOSTNAME:web-01 \nPACKAGE:a|1\n') == 'web-01'
    assert airgap.check_output('compliance', 'RULE:x|1\n') is None
    with pytest.raises(ValueError, match='output is empty'):
        airgap.check_output('compliance', ' \n')
    with pytest.raises(ValueError, match="no IDENTIFIER_SCRIPT line: .*first line: 'IDENTIFIER_HOSTNAME:a'"):
        airgap.check_output('vulnerability', 'IDENTIFIER_HOSTNAME:a\n')


class Http:
    def __init__(self, body):
        self.body = body

    def request(self, method, path, json_body=None):
        return 201, self.body, {'Date': 'Tue, 01 Dec 2026 10:00:00 GMT'}, None


def test_upload_answers():
    client = type('C', (), {'http': Http({'server_id': '42'})})()
    server_id, requested_at = airgap.upload(client, 'vulnerability', 'IDENTIFIER_SCRIPT:1', ['g'])
    assert server_id == 42 and requested_at.isoformat() == '2026-12-01T10:00:00+00:00'
    assert airgap.upload(type('C', (), {'http': Http(None)})(), 'compliance', 'x')[0] is None
    with pytest.raises(ApiError, match='the answer has no server_id'):
        airgap.upload(type('C', (), {'http': Http({'id': 1})})(), 'vulnerability', 'x')
