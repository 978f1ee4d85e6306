"""Air-gap helpers without a network: OS keys, the recorded script shape, family filtering, saving scripts, output
checks and the upload answer."""

import hashlib
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


def private_dir(path):
    path.mkdir(mode=0o700)
    path.chmod(0o700)
    return str(path)


def test_scripts_are_saved_privately_and_rewritten_only_when_changed(tmp_path):
    script = airgap.describe_script(RECORDED)
    dest = private_dir(tmp_path / 'scripts')
    assert airgap.save_scripts([script], dest) is True
    assert os.listdir(dest) == ['InfoScript.ps1'] and script['path'] == os.path.join(dest, 'InfoScript.ps1')
    assert os.stat(script['path']).st_mode & 0o777 == 0o700
    assert airgap.save_scripts([script], dest) is False                     # same contents: nothing written
    os.chmod(script['path'], 0o755)
    assert airgap.save_scripts([script], dest) is True and os.stat(script['path']).st_mode & 0o777 == 0o700


def test_the_sha256_is_the_digest_of_the_saved_file(tmp_path):
    script = airgap.describe_script(dict(RECORDED, contents='é\n' + RECORDED['contents']))
    airgap.save_scripts([script], private_dir(tmp_path / 'scripts'))
    with open(script['path'], 'rb') as handle:
        assert script['sha256'] == hashlib.sha256(handle.read()).hexdigest()


def test_a_planted_symlink_is_replaced_never_followed(tmp_path):
    victim = tmp_path / 'victim'
    victim.write_text('precious')
    dest = private_dir(tmp_path / 'scripts')
    os.symlink(str(victim), os.path.join(dest, 'InfoScript.ps1'))
    script = airgap.describe_script(RECORDED)
    assert airgap.save_scripts([script], dest) is True
    assert victim.read_text() == 'precious'
    assert not os.path.islink(script['path']) and 'IDENTIFIER_SCRIPT:1' in Path(script['path']).read_text()
    assert sorted(os.listdir(dest)) == ['InfoScript.ps1']                   # no temporary file left


@pytest.mark.parametrize('bad', ['A;touch${IFS}x;#', '../../evil', '.', '..', 'a b', 'a/b', '$(id)', 'é', '', 'a\nb'])
def test_script_names_outside_the_plain_set_are_refused(bad):
    script = airgap.describe_script(dict(RECORDED, id=7, type='Scripts::Windows::' + bad))
    with pytest.raises(ValueError, match=r"^script 7 has the name .* which is refused: a script name has letters"):
        airgap.check_scripts([airgap.describe_script(RECORDED), script])
    compliance = airgap.describe_script({'contents': 'x'}, 'Linux', bad or None)
    if bad:
        with pytest.raises(ValueError, match='^the compliance script has the name'):
            airgap.check_scripts([compliance])


def test_two_scripts_with_one_file_name_are_refused():
    twin = airgap.describe_script(dict(RECORDED, id=9, type='Scripts::Windows::infoscript'))
    with pytest.raises(ValueError, match="script 1 and script 9 have the same file name 'infoscript.ps1'"):
        airgap.check_scripts([airgap.describe_script(RECORDED), twin])
    assert airgap.check_scripts([airgap.describe_script(RECORDED)])


@pytest.mark.parametrize('make, problem', [
    (lambda p: p.mkdir(mode=0o700) or p.chmod(0o770), 'its mode 0770 gives access to the group or others'),
    (lambda p: p.mkdir(mode=0o700) or p.chmod(0o701), 'its mode 0701 gives access to the group or others'),
    (lambda p: p.write_text('x'), 'it is not a directory'),
    (lambda p: (p.parent / 'real').mkdir(mode=0o700) or p.symlink_to(p.parent / 'real'),
     r'it is not a directory \(a symbolic link\)'),
    (lambda p: None, r'it cannot be read \(No such file or directory\)'),
])
def test_dest_refusals(tmp_path, make, problem):
    dest = tmp_path / 'dest'
    make(dest)
    with pytest.raises(ValueError, match=r"^dest '%s' is refused: %s\. Accepted: an existing directory" % (dest, problem)):
        airgap.check_dest(str(dest))
    with pytest.raises(ValueError, match='is refused'):
        airgap.save_scripts([airgap.describe_script(RECORDED)], str(dest))


@pytest.mark.skipif(os.geteuid() != 0, reason='chown to another user needs root')
def test_dest_owned_by_another_user_is_refused(tmp_path):
    import pwd
    dest = tmp_path / 'dest'
    dest.mkdir(mode=0o700)
    os.chown(str(dest), pwd.getpwnam('nobody').pw_uid, -1)
    with pytest.raises(ValueError, match=r'is refused: it is owned by uid \d+, not by the user the module runs as'):
        airgap.check_dest(str(dest))


@pytest.mark.parametrize('claimed, expected, bound', [
    ('web-01', ['web-01'], True),
    ('WEB-01.Example.COM.', ['web-01.example.com'], True),
    ('web-01', ['db-02', 'web-01.example.com'], True),                   # a short name and the FQDN's first label
    ('web-01.example.com', ['web-01'], True),
    ('web-01.a.example', ['web-01.b.example'], False),
    ('web-011', ['web-01'], False),
    ('db-02', ['web-01', 'web-01.example.com'], False),
])
def test_hostname_binding(claimed, expected, bound):
    output = 'IDENTIFIER_SCRIPT:2\nIDENTIFIER_HOSTNAME:%s\nHOSTNAME:%s\n' % (claimed, claimed)
    problem = airgap.hostname_mismatch(output, expected)
    assert (problem is None) is bound
    if not bound:
        assert problem == 'the output claims the host name %r, but the host that ran the scripts is %s' % (
            claimed, ' or '.join(repr(e) for e in expected))


def test_every_hostname_line_must_match():
    """A second, different IDENTIFIER_HOSTNAME or HOSTNAME line is a claim too (the server may read either)."""
    output = 'IDENTIFIER_SCRIPT:2\nIDENTIFIER_HOSTNAME:web-01\nHOSTNAME:web-01\nIDENTIFIER_HOSTNAME:bank-01\n'
    assert airgap.claimed_hostnames(output) == ['web-01', 'bank-01']
    assert "'bank-01'" in airgap.hostname_mismatch(output, ['web-01'])
    assert 'claims no host name' in airgap.hostname_mismatch('RULE:x|1\n', ['web-01'])
    with pytest.raises(ValueError, match='expected_hostname has no name'):
        airgap.hostname_mismatch(output, ['', ' '])


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
