"""Air-gapped scanning against the simulator: the role cyberwatch_airgap_scan on this machine (local connection), and
the modules cyberwatch_airgap_script_info and cyberwatch_airgap_upload (Windows and compliance scripts, bad output).

Four ansible-playbook runs in all (the scan and rescan in one -vvvv run, check mode, a bad OS key, hostile scripts
and outputs).
"""

import hashlib
import json
import os
import re
import shutil

import pytest
from playbook_steps import that

ROLE = 'secops.vulnmgmt.cyberwatch_airgap_scan'
MACHINE = os.uname().nodename  # what the scripts print as IDENTIFIER_HOSTNAME (uname -n)
SCRIPTS = '/api/v2/cbw_scans/scripts'
# The lines the recorded Scripts::Windows::InfoScript prints (cassette fetch_airgapped_script), plus two programs.
WINDOWS_OUTPUT = '\n'.join([
    'IDENTIFIER_SCRIPT:1', 'IDENTIFIER_HOSTNAME:WIN-AIRGAP01', 'IDENTIFIER_SCRIPT_VERSION:47c8367e1c92d50f',
    'HOSTNAME:WIN-AIRGAP01', 'ARCH:AMD64', 'SYSVERSION:5', 'WUAVERSION:10.0.17763.1',
    'OS_PRETTYNAME:Microsoft Windows Server 2019 Standard', 'OS_BUILD:17763.1879', 'OS_VERSION:1809', 'REBOOT:False',
    'UPTIME:86400', 'PACKAGE:7-Zip|19.00', 'PACKAGE:Mozilla Firefox|78.0', 'SUCCESS:Script completed'])


def inventory(ansible, extra_hosts=None):
    """Hosts on this machine over the local connection (scan-broken's override runs the RPM scripts, which fail;
    scan-twin, the same OS key as scan-ok, only in check mode), and a WinRM host that only check mode uses (nothing
    connects to it there); extra_hosts: more hosts and their variables."""
    path = ansible.workdir / 'airgap-hosts.json'
    path.write_text(json.dumps({'all': {'hosts': dict({
        'scan-ok': {'ansible_connection': 'local'},
        'scan-broken': {'ansible_connection': 'local', 'cyberwatch_airgap_scan_os_key': 'rhel'},
        'scan-twin': {'ansible_connection': 'local'},
        'scan-win': {'ansible_connection': 'winrm', 'ansible_host': '192.0.2.10'}}, **(extra_hosts or {}))}}))
    return path


def scan_play(hosts, **role_vars):
    return {'name': 'Scan %s' % hosts, 'hosts': hosts, 'gather_facts': False,
            'roles': [{'role': ROLE, 'vars': role_vars}]}


def run(ansible, plays, *args, check=True, hosts=None, warnings=()):
    path = ansible.workdir / 'airgap-play.json'
    path.write_text(json.dumps(plays))
    return ansible.run('ansible-playbook', ['-i', inventory(ansible, hosts), path] + list(args), check=check,
                       warnings=warnings)


def windows_play(report):
    """The Windows and compliance scripts fetched, a recorded-shape Windows output uploaded, a bad output refused."""
    upload = 'secops.vulnmgmt.cyberwatch_airgap_upload'
    info = 'secops.vulnmgmt.cyberwatch_airgap_script_info'
    return {'name': 'Windows and compliance', 'hosts': 'localhost', 'gather_facts': False, 'connection': 'local', 'tasks': [
        {'ansible.builtin.file': {'path': report + '.windows', 'state': 'directory', 'mode': '0700'}},
        {info: {'os_key': 'windows', 'dest': report + '.windows'}, 'register': 'windows'},
        {upload: {'output': WINDOWS_OUTPUT, 'groups': ['airgap-windows'], 'wait': True, 'poll_interval': 0.2},
         'register': 'win_upload'},
        {'secops.vulnmgmt.cyberwatch_server_info': {'id': '{{ win_upload.server_id }}'}, 'register': 'win_server'},
        {info: {'os_key': 'ubuntu_2204_64', 'kind': 'compliance', 'repositories': ['CIS_Benchmark']},
         'register': 'compliance'},
        {upload: {'kind': 'compliance', 'output': WINDOWS_OUTPUT}, 'register': 'compliance_upload'},
        {upload: {'output': 'Linux vm 6.1.0 x86_64\n'}, 'register': 'garbage', 'ignore_errors': True},
        {upload: {'output': WINDOWS_OUTPUT, 'wait': True, 'timeout': 0.1, 'poll_interval': 0.05}, 'register': 'too_soon',
         'ignore_errors': True},
        that(
            "windows.scripts | map(attribute='type') | list == ['Scripts::Windows::InfoScript']",
            "windows is changed and windows.scripts[0].path == '%s.windows/InfoScript.ps1'" % report,
            "windows.scripts[0].shell == 'powershell' and windows.scripts[0].filename == 'InfoScript.ps1'",
            "windows.scripts[0].identifier_script == '1' and windows.scripts[0].identifier_script_version == windows.scripts[0].version",
            "'Write-Output' in windows.scripts[0].contents",
            'win_upload is changed and win_upload.created and win_upload.analysed',
            "win_upload.server.cve_announcements_count == 2",
            "win_server.servers[0].os.type == 'Os::Windows' and win_server.servers[0].hostname == 'WIN-AIRGAP01'",
            "win_server.servers[0].groups | map(attribute='name') | list == ['airgap-windows']",
            "compliance.scripts[0].filename == 'compliance_ubuntu_2204_64.sh' and 'CIS_Benchmark' in compliance.scripts[0].contents",
            'compliance_upload is changed and compliance_upload.server_id is none',
            "garbage is failed and 'no IDENTIFIER_SCRIPT and no IDENTIFIER_HOSTNAME line' in garbage.msg",
            "too_soon is failed and too_soon.msg == 'server %s was not analysed within 0.1 seconds after the upload'"
            " % win_upload.server_id and too_soon.server_id == win_upload.server_id and too_soon is changed"),
        {'ansible.builtin.copy': {'dest': report, 'content': "{{ {'first': hostvars['scan-ok'].first,"
                                  " 'second': hostvars['scan-ok'].cyberwatch_airgap_scan_result,"
                                  " 'broken': hostvars['scan-broken'].cyberwatch_airgap_scan_result} | to_json }}",
                                  'mode': '0600'}},
    ]}


def test_scan_this_machine_twice_with_a_failing_host(sim, ansible, cyberwatch_api):
    assert not shutil.which('rpm'), 'scan-broken relies on this machine having no rpm command'
    report = ansible.workdir / 'airgap-report.json'
    servers_before = len(cyberwatch_api.list('server'))
    plays = [scan_play('scan-ok:scan-broken', cyberwatch_airgap_scan_wait=True, cyberwatch_airgap_scan_poll_interval=0.2,
                       cyberwatch_airgap_scan_groups=['airgap']),
             {'name': 'Keep the first result', 'hosts': 'scan-ok', 'gather_facts': False,
              'tasks': [{'ansible.builtin.set_fact': {'first': '{{ cyberwatch_airgap_scan_result }}'}}]},
             scan_play('scan-ok'),
             windows_play(str(report))]
    proc = run(ansible, plays, '-vvvv', check=False)
    assert proc.returncode == 2, proc.stdout[-5000:]    # scan-broken failed; everything else went on
    recap = proc.stdout.split('PLAY RECAP')[-1]
    assert re.search(r'scan-broken +: .*failed=1', recap) and re.search(r'scan-ok +: .*failed=0', recap), recap
    found = json.loads(report.read_text())
    first, second, broken = found['first'], found['second'], found['broken']

    saved = ansible.workdir / 'airgap-report.json.windows' / 'InfoScript.ps1'      # dest of the Windows fetch
    assert saved.stat().st_mode & 0o777 == 0o700 and 'IDENTIFIER_SCRIPT:1' in saved.read_text()
    assert first['created'] is True and first['hostname'] == MACHINE and first['analysed'] is True
    assert first['server']['cve_announcements_count'] > 0
    assert second['created'] is False and second['server_id'] == first['server_id']
    assert broken['os_key'] == 'rhel' and broken.get('server_id') is None
    assert broken['error'].startswith('script Scripts::Linux::RpmPackages exited with code 3: rpm not found')

    named = [s for s in cyberwatch_api.list('server') if s['hostname'] == MACHINE]
    assert [s['id'] for s in named] == [first['server_id']]                    # no duplicate after the rescan
    assert len(cyberwatch_api.list('server')) == servers_before + 2            # this machine and WIN-AIRGAP01
    asset = cyberwatch_api.request('GET', '/api/v3/assets/servers/%d' % first['server_id'])
    assert len(asset['packages']) > 10 and all(p['type'] == 'Packages::Deb' for p in asset['packages'])
    assert asset['os']['type'] == 'Os::Debian' or asset['os']['key'].split('_')[0] in ('ubuntu', 'debian')
    assert [g['name'] for g in named[0]['groups']] == ['airgap']

    requests = [(r['method'], r['path']) for r in sim.requests()]
    # Each OS key's script list is read once for the play (debian and rhel in the first run, windows later).
    assert requests.count(('GET', SCRIPTS)) == 4
    uploads = [r for r in requests if r == ('POST', SCRIPTS)]
    assert len(uploads) == 4                        # scan-ok twice and the Windows output twice; never scan-broken
    assert ('POST', '/api/v2/compliances/scripts') in requests
    for secret in (ansible.env['CYBERWATCH_API_KEY'], ansible.env['CYBERWATCH_SECRET_KEY']):
        assert secret not in proc.stdout and secret not in proc.stderr


def test_check_mode_runs_nothing_and_uploads_nothing(sim, ansible):
    """Two local hosts (one OS key) and a WinRM one (OS key windows from its connection): the scripts of each OS key
    read once for the play, not once per host; nothing run, nothing sent."""
    proc = run(ansible, [scan_play('scan-ok:scan-twin:scan-win')], '--check')
    assert sim.writes() == []
    ran = proc.stdout.split('Run the scripts on the host over its own connection] ***')[1].split('TASK [')[0]
    assert {line.split(':')[0] for line in ran.strip().splitlines()} == {'skipping'} and '[scan-win]' in ran, ran
    assert proc.stdout.count('check mode: would run Scripts::Linux::InfoScript, Scripts::Linux::DpkgPackages') == 2
    assert 'check mode: would run Scripts::Windows::InfoScript and upload' in proc.stdout
    assert [r['path'] for r in sim.requests() if r['path'].startswith(SCRIPTS + '/')] == [SCRIPTS + '/%d' % i for i in (2, 3, 1)]
    assert [r['path'] for r in sim.requests()].count(SCRIPTS) == 2       # the two OS keys, not the three hosts


def test_bad_os_key_fails_before_any_request(sim, ansible):
    proc = run(ansible, [scan_play('scan-ok', cyberwatch_airgap_scan_os_key='solaris_11')], check=False)
    assert proc.returncode != 0
    assert re.search(r"OS key .?.?solaris_11.?.? is not accepted; accepted: almalinux, amazon, centos, debian", proc.stdout), proc.stdout
    assert sim.requests() == []


def test_unreadable_output_gets_a_422(sim, cyberwatch_api):
    """The simulator refuses an output without a hostname line with the server's validation message."""
    from ansible_collections.secops.vulnmgmt.plugins.module_utils.transport import ApiError
    with pytest.raises(ApiError) as err:
        cyberwatch_api.request('POST', SCRIPTS, json_body={'output': 'IDENTIFIER_SCRIPT:2\nARCH:x86_64\n'})
    assert err.value.status == 422 and 'Output has no IDENTIFIER_HOSTNAME line' in err.value.message
    assert [(w['method'], w['path'], w['status']) for w in sim.writes()] == [('POST', SCRIPTS, 422)]


def test_hostile_scripts_and_outputs_fail_their_host_before_anything_runs_or_is_uploaded(sim, ansible, cyberwatch_api):
    """The simulator's test OS keys: debian_injected lists a script named A;touch${IFS}x;# (the module refuses it:
    nothing runs), debian_impostor an InfoScript claiming the fleet's first server (refused before the upload unless
    allowed); scan-pinned's pins do not match (fails before anything runs). First the impostor with the mismatch
    allowed and the right pins: uploaded under the claimed name, with a warning. scan-ok in the same play goes on
    (a play where every host fails would end the run before the report)."""
    def digest(script_id):
        contents = cyberwatch_api.request('GET', '%s/%d' % (SCRIPTS, script_id))['contents']
        return hashlib.sha256(contents.encode('utf-8')).hexdigest()
    pins = {'InfoScript.sh': digest(92), 'DpkgPackages.sh': [digest(3), '0' * 64]}
    claimed = min(cyberwatch_api.list('server'), key=lambda s: s['id'])
    sim.clear_requests()
    local = {'ansible_connection': 'local'}
    hosts = {'scan-injected': dict(local, cyberwatch_airgap_scan_os_key='debian_injected'),
             'scan-impostor': dict(local, cyberwatch_airgap_scan_os_key='debian_impostor',
                                   cyberwatch_airgap_scan_script_sha256=pins),
             'scan-pinned': dict(local, cyberwatch_airgap_scan_script_sha256={'InfoScript.sh': 'A' * 64})}
    report = ansible.workdir / 'airgap-hostile.json'
    names = ['scan-injected', 'scan-impostor', 'scan-pinned']
    content = ("{{ {'allowed': hostvars['scan-impostor'].allowed} | combine(dict(%s | zip(%s | map('extract', hostvars, "
               "'cyberwatch_airgap_scan_result')))) | to_json }}" % (names, names))
    plays = [scan_play('scan-impostor', cyberwatch_airgap_scan_allow_hostname_mismatch=True),
             {'name': 'Keep the allowed result', 'hosts': 'scan-impostor', 'gather_facts': False,
              'tasks': [{'ansible.builtin.set_fact': {'allowed': '{{ cyberwatch_airgap_scan_result }}'}}]},
             scan_play('scan-injected:scan-impostor:scan-pinned:scan-ok'),
             {'name': 'Report', 'hosts': 'localhost', 'gather_facts': False, 'connection': 'local', 'tasks': [
                 {'ansible.builtin.copy': {'dest': str(report), 'mode': '0600', 'content': content}}]}]
    mismatch = "the output claims the host name '%s', but the host that ran the scripts is '%s'" % (
        claimed['hostname'], MACHINE.split('.')[0])
    proc = run(ansible, plays, check=False, hosts=hosts, warnings=(mismatch,))
    assert proc.returncode == 2, proc.stdout[-5000:]
    found = json.loads(report.read_text())

    allowed = found['allowed']
    assert allowed['error'] is None and allowed['hostname'] == claimed['hostname']
    assert allowed['server_id'] == claimed['id'] and allowed['created'] is False
    assert allowed['script_sha256'] == {'InfoScript.sh': pins['InfoScript.sh'], 'DpkgPackages.sh': digest(3)}

    injected = found['scan-injected']
    assert "script 90 has the name 'A;touch${IFS}x;#', which is refused" in injected['error'], injected
    assert injected['script_sha256'] == {}
    assert not (ansible.workdir / 'x').exists()

    impostor = found['scan-impostor']
    assert mismatch in impostor['error'] and 'refused before uploading' in impostor['error'], impostor
    assert impostor['script_sha256'] == allowed['script_sha256']              # both scripts ran, then the refusal

    pinned = found['scan-pinned']
    assert pinned['error'].endswith('scripts not pinned by cyberwatch_airgap_scan_script_sha256 (not listed, or '
                                    'another digest): InfoScript.sh (sha256 %s), DpkgPackages.sh (sha256 %s)'
                                    % (digest(2), digest(3))), pinned
    assert pinned['script_sha256'] == {}

    requests = [(r['method'], r['path']) for r in sim.requests()]
    assert requests.count(('POST', SCRIPTS)) == 2                          # the allowed upload and scan-ok's only
    assert ('GET', SCRIPTS + '/90') in requests
