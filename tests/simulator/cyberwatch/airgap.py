"""Simulated Cyberwatch air-gapped scanning: the script routes and the upload that creates or updates a server.

Recorded: GET /api/v2/cbw_scans/scripts/1 (cassette fetch_airgapped_script). From cbw-api-toolbox 2.3.2 and
cyberwatch-cli: the other routes. Invented: the scripts and the way an upload is read and analysed.

GET  /api/v2/cbw_scans/scripts[?os=KEY]     script list ({id, type}), filtered by the OS key's family when given
GET  /api/v2/cbw_scans/scripts/<id>         one script, in the recorded shape {id, type, contents, attachement, version}
POST /api/v2/cbw_scans/scripts              {"output", "groups"} -> 201 {"server_id"}; 422 when it cannot be read
GET  /api/v2/compliances/scripts?os=&repositories[]=   {"filename", "script_content"}
POST /api/v2/compliances/scripts            {"output"} -> 204; 422 when it cannot be read, 404 for an unknown server

The shell scripts are real and harmless (they only read: uname, /etc/os-release, dpkg-query or rpm -qa) and print
KEY:VALUE lines. An upload is parsed, the server found by hostname (case-insensitive) or created, its OS, packages and
reboot flag recorded, and its CVEs and updates derived from the version-aware package table (packages.py, through
analysis.py) when the analysis settles (after the test-deploy delay), so the inventory, the CVE routes, the gate roles
and the remediation see them.

Two test OS keys serve hostile scripts (TEST_OS_SCRIPTS): debian_injected lists a script named like a shell command,
debian_impostor an InfoScript that claims the hostname of the fleet's first server.
"""

import hashlib

from core.web import ApiError, as_int, json_body, json_response, params
from cyberwatch import analysis, groups, servers
from cyberwatch.packages import DEB, RPM, WINAPP

_IDENT = """echo "IDENTIFIER_SCRIPT:{id}"
echo "IDENTIFIER_HOSTNAME:$(uname -n)"
echo "IDENTIFIER_SCRIPT_VERSION:{version}"
"""
LINUX_INFO = """#!/bin/sh
# Cyberwatch air-gap script (simulator): system information. Reads only.
{ident}. /etc/os-release 2>/dev/null || true
echo "HOSTNAME:$(uname -n)"
echo "OS_ID:${{ID:-unknown}}"
echo "OS_VERSION:${{VERSION_ID:-unknown}}"
echo "OS_PRETTYNAME:${{PRETTY_NAME:-$(uname -s)}}"
echo "KERNEL_VERSION:$(uname -r)"
echo "ARCH:$(uname -m)"
if [ -e /var/run/reboot-required ]; then echo "REBOOT:True"; else echo "REBOOT:False"; fi
echo "SUCCESS:Script completed"
"""
DPKG_PACKAGES = """#!/bin/sh
# Cyberwatch air-gap script (simulator): installed Debian packages. Reads only.
set -e
{ident}command -v dpkg-query >/dev/null 2>&1 || {{ echo "dpkg-query not found: not a Debian-family host" >&2; exit 3; }}
dpkg-query -W -f='${{db:Status-Abbrev}}|${{Package}}|${{Version}}\\n' | awk -F'|' 'substr($1, 2, 1) == "i" {{ print "PACKAGE:" $2 "|" $3 }}'
echo "SUCCESS:Script completed"
"""
RPM_PACKAGES = """#!/bin/sh
# Cyberwatch air-gap script (simulator): installed RPM packages. Reads only.
set -e
{ident}command -v rpm >/dev/null 2>&1 || {{ echo "rpm not found: not a RHEL-family host" >&2; exit 3; }}
rpm -qa --qf 'PACKAGE:%{{NAME}}|%|EPOCH?{{%{{EPOCH}}:}}:{{}}|%{{VERSION}}-%{{RELEASE}}\\n'
echo "SUCCESS:Script completed"
"""
WINDOWS_INFO = """# Cyberwatch air-gap script (simulator): Windows information and installed programs. Reads only.

Write-Output "IDENTIFIER_SCRIPT:{id}"
Write-Output "IDENTIFIER_HOSTNAME:$([System.Net.Dns]::GetHostName())"
Write-Output "IDENTIFIER_SCRIPT_VERSION:{version}"
Write-Output "HOSTNAME:$([System.Net.Dns]::GetHostName())"
Write-Output "ARCH:$($ENV:PROCESSOR_ARCHITECTURE)"
Write-Output "SYSVERSION:$($PsVersionTable.PSVersion.Major)"
$current = Get-ItemProperty "HKLM:\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion"
Write-Output "OS_PRETTYNAME:$((Get-CimInstance Win32_OperatingSystem).Caption)"
Write-Output "OS_BUILD:$($current.CurrentBuild).$($current.UBR)"
Write-Output "OS_VERSION:$($current.ReleaseId)"
$keys = "HKLM:\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Uninstall\\*",
        "HKLM:\\SOFTWARE\\WOW6432Node\\Microsoft\\Windows\\CurrentVersion\\Uninstall\\*"
Get-ItemProperty $keys -ErrorAction SilentlyContinue | Where-Object {{ $_.DisplayName }} | ForEach-Object {{
    Write-Output "PACKAGE:$($_.DisplayName)|$($_.DisplayVersion)"
}}
Write-Output "SUCCESS:Script completed"

exit 0
"""
# id -> (type, template); id 1 is the recorded one (cassette fetch_airgapped_script).
SCRIPTS = {
    1: ("Scripts::Windows::InfoScript", WINDOWS_INFO),
    2: ("Scripts::Linux::InfoScript", LINUX_INFO),
    3: ("Scripts::Linux::DpkgPackages", DPKG_PACKAGES),
    4: ("Scripts::Linux::RpmPackages", RPM_PACKAGES),
}
# Test OS keys (keys the collection accepts) for which the simulator serves what a hostile server or a compromised
# host would: debian_injected lists a script whose name is a shell command; debian_impostor an InfoScript that claims
# the hostname of the fleet's first server (the lowest id), then the real DpkgPackages.
INJECTED_NAME = "A;touch${IFS}x;#"
INJECTED = "#!/bin/sh\n# Simulator: a script name that is a shell command.\n{ident}echo \"SUCCESS:Script completed\"\n"
IMPOSTOR_INFO = """#!/bin/sh
# Simulator: an InfoScript that claims another server's hostname.
echo "IDENTIFIER_SCRIPT:{id}"
echo "IDENTIFIER_HOSTNAME:{claimed}"
echo "IDENTIFIER_SCRIPT_VERSION:{version}"
echo "HOSTNAME:{claimed}"
echo "SUCCESS:Script completed"
"""
TEST_SCRIPTS = {90: ("Scripts::Linux::" + INJECTED_NAME, INJECTED), 92: ("Scripts::Linux::InfoScript", IMPOSTOR_INFO)}
TEST_OS_SCRIPTS = {"debian_injected": (2, 3, 90), "debian_impostor": (92, 3)}
# OS key prefix -> script ids served for it (the same families the collection accepts).
OS_SCRIPTS = {"debian": (2, 3), "ubuntu": (2, 3), "rhel": (2, 4), "centos": (2, 4), "rocky": (2, 4),
              "almalinux": (2, 4), "oraclelinux": (2, 4), "fedora": (2, 4), "amazon": (2, 4), "windows": (1,)}
OS_TYPES = {"debian": "Os::Debian", "ubuntu": "Os::Ubuntu", "rhel": "Os::Redhat", "centos": "Os::Centos",
            "rocky": "Os::Rocky", "almalinux": "Os::Almalinux", "fedora": "Os::Fedora", "amazon": "Os::Amazon"}
COMPLIANCE_SCRIPT = """#!/bin/sh
# Cyberwatch air-gap compliance script (simulator) for {os}, repositories {repositories}. Reads only.
echo "IDENTIFIER_SCRIPT:compliance"
echo "IDENTIFIER_HOSTNAME:$(uname -n)"
echo "RULE:passwd_permissions|$(stat -c %a /etc/passwd 2>/dev/null || echo unknown)"
echo "RULE:root_login_shell|$(grep '^root:' /etc/passwd 2>/dev/null | cut -d: -f7)"
echo "SUCCESS:Script completed"
"""


def script_body(script_id, claimed=None):
    """One script in the recorded shape; its version is the digest of its template. claimed: the hostname the
    impostor script 92 prints."""
    kind, template = SCRIPTS.get(script_id) or TEST_SCRIPTS[script_id]
    version = hashlib.sha256(("%s:%s" % (kind, template)).encode("utf-8")).hexdigest()
    ident = _IDENT.format(id=script_id, version=version)
    contents = template.format(id=script_id, version=version, ident=ident, claimed=claimed)
    return {"id": script_id, "type": kind, "contents": contents, "attachement": None, "version": version}


def os_prefix(key):
    """The accepted prefix of an OS key (ubuntu_2204_64 -> ubuntu), or None."""
    key = str(key or "").strip().lower()
    return next((p for p in sorted(OS_SCRIPTS, key=len, reverse=True) if key == p or key.startswith(p + "_")), None)


def parse_output(output):
    """(facts: first value of each KEY, packages: [(name, version)]) of an uploaded output."""
    facts, packages = {}, []
    for line in str(output).splitlines():
        key, sep, value = line.strip().partition(":")
        if not sep or not key or not key.replace("_", "").isalnum() or not key.isupper():
            continue
        if key == "PACKAGE":
            name, _sep, version = value.partition("|")
            if name.strip():
                packages.append((name.strip(), version.strip()))
        else:
            facts.setdefault(key, value.strip())
    return facts, packages


def list_scripts(api, request):
    """GET scripts[?os=KEY]: {id, type} of every script, or of those of the key's family."""
    del api
    key = str(params(request).get("os") or "").strip().lower()
    prefix = os_prefix(key) if key else None
    ids = TEST_OS_SCRIPTS.get(key) or (OS_SCRIPTS[prefix] if prefix else (() if key else sorted(SCRIPTS)))
    return json_response([{"id": sid, "type": (SCRIPTS.get(sid) or TEST_SCRIPTS[sid])[0]} for sid in ids])


def show_script(api, request, item_id):
    """GET scripts/{id}: the recorded shape."""
    del request
    script_id = as_int(item_id)
    if script_id not in SCRIPTS and script_id not in TEST_SCRIPTS:
        raise ApiError(404, "Couldn't find Script with 'id'=%s" % item_id)
    store = api.store
    first = store.servers[min(store.servers)]["hostname"] if store.servers else "none"
    return json_response(script_body(script_id, claimed=first))


def upload(api, request):
    """POST scripts {"output", "groups"} -> 201 {"server_id"}: the server found by hostname or created, its
    analysis due after the delay."""
    store = api.store
    body = json_body(request)
    facts, packages = _read(body)
    hostname = facts.get("IDENTIFIER_HOSTNAME") or facts.get("HOSTNAME")
    if not hostname:
        raise ApiError(422, "Validation failed: Output has no IDENTIFIER_HOSTNAME line")
    server = _server(store, hostname)
    windows = "Windows" in facts.get("OS_PRETTYNAME", "") or "SYSVERSION" in facts
    kind = WINAPP if windows else RPM if os_prefix(facts.get("OS_ID")) in (
        "rhel", "centos", "rocky", "almalinux", "fedora", "amazon", "oraclelinux") else DEB
    if packages or not server["packages"]:
        server["packages"] = [{"vendor": None, "product": name, "type": kind, "version": version}
                              for name, version in packages]
    server["os"] = _os(facts, windows) or server["os"]
    server["reboot_required"] = facts.get("REBOOT", "").lower() == "true"
    server["last_communication"] = store.now()
    server["groups"] = sorted(set(server["groups"]) | set(_groups(store, body.get("groups"))))
    server["status"] = "server_awaiting_analysis"
    server["airgap_due"] = api.airgap_due[server["id"]] = store.now() + api.delay
    return json_response({"server_id": server["id"]}, 201)


def settle(store, due):
    """Finish the analyses that are due (due: the api's server id -> time; callers hold the lock)."""
    now = store.now()
    for sid, when in list(due.items()):
        if when > now:
            continue
        del due[sid]
        server = store.servers.get(sid)
        if server is not None and server.get("airgap_due") == when:  # not reset or replaced since
            server["airgap_due"] = None
            analysis.analyse(store, server, now)


def _read(body):
    output = body.get("output")
    if not isinstance(output, str) or not output.strip():
        raise ApiError(422, "Validation failed: Output can't be blank")
    return parse_output(output)


def _server(store, hostname):
    for server in store.servers.values():
        if server["hostname"].lower() == hostname.lower():
            return server
    return servers.add(store, {"hostname": hostname, "analyzed_at": None, "addresses": [], "environment_id": 2})


def _os(facts, windows):
    if windows:
        name = facts.get("OS_PRETTYNAME") or "Windows"
        digits = "".join(c for c in name if c.isdigit())
        return {"key": "windows_%s_64" % digits if digits else "windows_64", "name": name,
                "arch": facts.get("ARCH"), "eol": None, "short_name": name.replace("Microsoft ", ""),
                "type": "Os::Windows"}
    os_id = (facts.get("OS_ID") or "").lower()
    if not os_id or os_id == "unknown":
        return None
    version = (facts.get("OS_VERSION") or "").replace(".", "")
    return {"key": "%s_%s_64" % (os_id, version) if version else os_id, "name": facts.get("OS_PRETTYNAME"),
            "arch": facts.get("ARCH"), "eol": None, "short_name": facts.get("OS_PRETTYNAME"),
            "type": OS_TYPES.get(os_prefix(os_id), "Os::" + os_id.capitalize())}


def _groups(store, value):
    if not value:
        return []
    names = [str(v) for v in (value if isinstance(value, list) else [value]) if as_int(v) is None]
    ids = [as_int(v) for v in (value if isinstance(value, list) else [value]) if as_int(v) in store.groups]
    return ids + groups.by_name(store, ",".join(names), create=True)


# ---- compliance
def compliance_script(api, request):
    """GET /api/v2/compliances/scripts?os=KEY&repositories[]=...: {filename, script_content} (422 for an unknown
    key)."""
    del api
    query = params(request)
    prefix = os_prefix(query.get("os"))
    if prefix is None:
        raise ApiError(422, "Validation failed: Os is not supported: %s" % (query.get("os") or "blank"))
    repositories = query.get("repositories") or []
    repositories = repositories if isinstance(repositories, list) else [repositories]
    if prefix == "windows":
        content = "Write-Output \"IDENTIFIER_SCRIPT:compliance\"\nWrite-Output \"IDENTIFIER_HOSTNAME:" \
                  "$([System.Net.Dns]::GetHostName())\"\n"
        return json_response({"filename": "compliance_%s.ps1" % query["os"], "script_content": content})
    content = COMPLIANCE_SCRIPT.format(os=query["os"], repositories=",".join(repositories) or "none")
    return json_response({"filename": "compliance_%s.sh" % query["os"], "script_content": content})


def compliance_upload(api, request):
    """POST /api/v2/compliances/scripts {"output"} -> 204 for a known server (sets compliance_verified_at), 404 for
    an unknown hostname."""
    facts, _packages = _read(json_body(request))
    hostname = facts.get("IDENTIFIER_HOSTNAME") or facts.get("HOSTNAME")
    if not hostname:
        raise ApiError(422, "Validation failed: Output has no IDENTIFIER_HOSTNAME line")
    server = next((s for s in api.store.servers.values() if s["hostname"].lower() == hostname.lower()), None)
    if server is None:
        raise ApiError(404, "Couldn't find Server with 'hostname'=%s" % hostname)
    server["compliance_verified_at"] = api.store.now()
    return json_response(None, 204)
