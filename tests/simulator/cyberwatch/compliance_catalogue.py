"""The seeded compliance catalogue: rule groups (repositories) and 4,646 rules, as the recorded 2020 instance had.

The catalogue is vendor content, so it does not depend on --seed: CIS-like benchmarks generated from templates
(one per OS, Linux and Windows, levels 1 and 2) plus Security Best Practices rules, and the rules of the recordings
at their recorded ids (SBP-LIN-01-001-cron 6885, the custom rule SBP-Custom-001-cron 6891; ids 6888-6890 are
free, as rules deleted before the recording). Ids have gaps, like a database that lived; listing order is by id.
"""

import random

from core.store import BASE_TS, DAY
CATALOGUE_SIZE = 4646  # X-Total of the recorded /api/v3/compliance/rules listing
FIRST_RECORDED_ID = 6882
WITH_SCRIPT = "CbwCompliance::Checks::WithScript"
CUSTOM = "CbwCompliance::Rules::Custom"
# Rule groups ("compliance repositories"), ids and names of the recordings (1-4), plus ANSSI of the legacy ones.
RULE_GROUPS = ((1, "CIS_Benchmark"), (2, "CIS_Benchmark_level_1"), (3, "CIS_Benchmark_level_2"),
               (4, "Security_Best_Practices"), (5, "Anssi"))
RULE_GROUP_COLOR = "#336699"
LEVELS = ("minimal", "medium", "reinforced", "high")
# (code prefix, OS keys, number of rules): the seeded fleet's OS keys (servers.OSES, servers.WINDOWS_OS) come first.
BENCHMARKS = (
    ("CIS-ubuntu-2004", ("ubuntu_2004_64",), 92), ("CIS-ubuntu-2204", ("ubuntu_2204_64",), 95),
    ("CIS-debian-12", ("debian_12_64",), 84), ("CIS-red-hat-enterprise-9", ("rhel_9_64",), 88),
    ("CIS-windows-2019", ("windows_2019_64",), 380), ("CIS-ubuntu-1804", ("ubuntu_1804_32", "ubuntu_1804_64"), 72),
    ("CIS-debian-10", ("debian_10_64",), 66), ("CIS-red-hat-enterprise-8", ("redhat_8_64",), 66),
    ("CIS-centos-7", ("centos_7_32", "centos_7_64"), 60), ("CIS-windows-2016", ("windows_2016",), 340),
    ("CIS-windows-2012", ("windows_2012",), 300),
    ("CIS-windows-10-1909", ("windows_10_1909_32", "windows_10_1909_64"), 385),
    ("CIS-windows-10-1903", ("windows_10_1903_32", "windows_10_1903_64"), 384),
    ("CIS-windows-10-1809", ("windows_10_1809_32", "windows_10_1809_64"), 384),
    ("CIS-windows-10-1803", ("windows_10_1803_32", "windows_10_1803_64"), 381),
    ("CIS-windows-10-1709", ("windows_10_1709_32", "windows_10_1709_64"), 379),
    ("CIS-windows-10-1703", ("windows_10_1703_32", "windows_10_1703_64"), 348), ("CIS-windows-8", ("windows_8",), 305),
    ("CIS-windows-7", ("windows_7",), 266), ("CIS-suse-enterprise-12", ("suse_12_64",), 58),
)
LINUX_CHECKS = (  # (name, check content, success regex, failure regex) templates over a parameter list
    ("Ensure permissions on {0} are configured", "stat -c '%A:%u:%g' '{0}'", "(.)?rw-[r-]--[r-]--:0:0",
     "stat|(.)?[\\w-]{{9}}:\\d:\\d",
     ("/etc/passwd", "/etc/shadow", "/etc/group", "/etc/gshadow", "/etc/hosts.allow", "/etc/hosts.deny",
      "/etc/crontab", "/etc/ssh/sshd_config", "/boot/grub/grub.cfg", "/etc/motd", "/etc/issue", "/etc/issue.net")),
    ("Ensure {0} is not enabled", "systemctl is-enabled {0}", "disabled", "enabled",
     ("avahi-daemon", "cups", "isc-dhcp-server", "slapd", "nfs-server", "rpcbind", "named", "vsftpd", "httpd",
      "dovecot", "smb", "squid", "snmpd", "rsyncd", "ypserv")),
    ("Ensure {0} is configured", "sysctl {0}", "{0}", "sysctl",
     ("net.ipv4.ip_forward = 0", "net.ipv4.conf.all.send_redirects = 0", "net.ipv4.conf.all.accept_source_route = 0",
      "net.ipv4.conf.all.accept_redirects = 0", "net.ipv4.conf.all.log_martians = 1",
      "net.ipv4.icmp_echo_ignore_broadcasts = 1", "net.ipv4.tcp_syncookies = 1", "kernel.randomize_va_space = 2",
      "fs.suid_dumpable = 0")),
    ("Ensure {0} option set on {1} partition", "mount | grep -E '\\s{1}\\s'", "{0}", "mount",
     (("nodev", "/tmp"), ("nosuid", "/tmp"), ("noexec", "/tmp"), ("nodev", "/home"), ("nodev", "/dev/shm"),
      ("nosuid", "/dev/shm"), ("noexec", "/dev/shm"), ("nodev", "/var/tmp"))),
    ("Ensure SSH {0} is set to {1}", "sshd -T | grep -i '^{0}'", "(?i){0} {1}", "sshd",
     (("LogLevel", "INFO"), ("X11Forwarding", "no"), ("MaxAuthTries", "4"), ("IgnoreRhosts", "yes"),
      ("HostbasedAuthentication", "no"), ("PermitRootLogin", "no"), ("PermitEmptyPasswords", "no"),
      ("PermitUserEnvironment", "no"), ("ClientAliveInterval", "300"), ("LoginGraceTime", "60"))),
    ("Ensure {0} is not installed", "dpkg -s {0} || rpm -q {0}", "not installed", "Status: install ok|^{0}-",
     ("telnet", "rsh-client", "talk", "ldap-utils", "nis", "xserver-xorg", "prelink")),
)
WINDOWS_CHECKS = (  # (registry path, value name, value, title)
    ("HKLM:\\Software\\Microsoft\\Windows\\CurrentVersion\\Policies\\System", "EnableLUA", "1",
     "User Account Control: Run all administrators in Admin Approval Mode"),
    ("HKLM:\\Software\\Microsoft\\Windows\\CurrentVersion\\Policies\\System", "EnableInstallerDetection", "1",
     "User Account Control: Detect application installations and prompt for elevation"),
    ("HKLM:\\Software\\Microsoft\\Windows\\CurrentVersion\\Policies\\System", "ConsentPromptBehaviorAdmin", "2",
     "User Account Control: Behavior of the elevation prompt for administrators"),
    ("HKLM:\\Software\\Microsoft\\Windows\\CurrentVersion\\Policies\\System", "InactivityTimeoutSecs", "900",
     "Interactive logon: Machine inactivity limit"),
    ("HKLM:\\System\\CurrentControlSet\\Control\\Lsa", "LimitBlankPasswordUse", "1",
     "Accounts: Limit local account use of blank passwords to console logon only"),
    ("HKLM:\\System\\CurrentControlSet\\Control\\Lsa", "RestrictAnonymousSAM", "1",
     "Network access: Do not allow anonymous enumeration of SAM accounts"),
    ("HKLM:\\System\\CurrentControlSet\\Control\\Lsa", "LmCompatibilityLevel", "5",
     "Network security: LAN Manager authentication level"),
    ("HKLM:\\System\\CurrentControlSet\\Control\\Lsa", "NoLMHash", "1",
     "Network security: Do not store LAN Manager hash value on next password change"),
    ("HKLM:\\System\\CurrentControlSet\\Services\\LanmanServer\\Parameters", "RequireSecuritySignature", "1",
     "Microsoft network server: Digitally sign communications (always)"),
    ("HKLM:\\System\\CurrentControlSet\\Services\\LanmanServer\\Parameters", "EnableForcedLogOff", "1",
     "Microsoft network server: Disconnect clients when logon hours expire"),
    ("HKLM:\\System\\CurrentControlSet\\Services\\LanmanWorkstation\\Parameters", "EnablePlainTextPassword", "0",
     "Microsoft network client: Send unencrypted password to third-party SMB servers"),
    ("HKLM:\\System\\CurrentControlSet\\Services\\WinRM", "Start", "4", "Windows Remote Management (WinRM)"),
    ("HKLM:\\System\\CurrentControlSet\\Services\\XblGameSave", "Start", "4", "Xbox Live Game Save (XblGameSave)"),
    ("HKLM:\\Software\\Policies\\Microsoft\\Windows\\Installer", "SafeForScripting", "0",
     "Prevent Internet Explorer security prompt for Windows Installer scripts"),
    ("HKLM:\\Software\\Policies\\Microsoft\\Windows\\Installer", "AlwaysInstallElevated", "0",
     "Always install with elevated privileges"),
    ("HKLM:\\Software\\Policies\\Microsoft\\FVE", "OSAllowSoftwareEncryptionFailover", "1",
     "Configure use of hardware-based encryption for operating system drives"),
    ("HKLM:\\Software\\Policies\\Microsoft\\MicrosoftEdge\\Main", "HideLocalHostIP", "1",
     "Prevent using Localhost IP address for WebRTC"),
    ("HKLM:\\Software\\Policies\\Microsoft\\Windows\\System", "EnableFontProviders", "0", "Enable Font Providers"),
    ("HKLM:\\Software\\Microsoft\\Windows\\CurrentVersion\\Policies\\Explorer", "NoOnlinePrintsWizard", "1",
     "Turn off the \"Order Prints\" picture task"),
    ("HKLM:\\Software\\Microsoft\\Windows\\CurrentVersion\\Policies\\Explorer", "NoAutorun", "1",
     "Set the default behavior for AutoRun"),
    ("HKLM:\\Software\\Policies\\Microsoft\\Windows\\EventLog\\Security", "MaxSize", "196608",
     "Security: Specify the maximum log file size (KB)"),
    ("HKLM:\\Software\\Policies\\Microsoft\\Windows NT\\Terminal Services", "DeleteTempDirsOnExit", "1",
     "Do not delete temp folders upon exit"),
    ("HKLM:\\Software\\Policies\\Microsoft\\Windows NT\\Terminal Services", "fPromptForPassword", "1",
     "Always prompt for password upon connection"),
    ("HKLM:\\Software\\Policies\\Microsoft\\Power\\PowerSettings\\0e796bdb-100d-47d6-a2d5-f7d2daa51f51",
     "ACSettingIndex", "1", "Require a password when a computer wakes (plugged in)"),
)
SBP_LINUX = ("ubuntu_2004_64", "ubuntu_2204_64", "ubuntu_1804_64", "debian_12_64", "debian_10_64", "rhel_9_64",
             "redhat_8_64", "centos_7_64", "alpine_linux_64")
SBP_WINDOWS = ("windows_2019_64", "windows_2016", "windows_2012", "windows_10_1909_64")
# The rules of the recordings, at their recorded ids (texts shortened, OS lists on the seeded fleet's OS keys).
CRON_DESCRIPTION = "The cron daemon is used to execute batch jobs on the system."
CRON_RATIONALE = ("While there may not be user jobs that need to be run on the system, the system does have "
                  "maintenance jobs that may include security monitoring that have to run, and cron is used to "
                  "execute them.")
RECORDED = (
    (6882, "SBP-LIN-01-001-crond", "Ensure cron daemon is enabled", "systemctl is-enabled crond", "enabled", "disabled",
     ("centos_7_64", "redhat_8_64", "rhel_9_64")),
    (6883, "SBP-LIN-07-001-APT", "Ensure telnet client is not installed", "dpkg -s telnet", "not installed",
     "Status: install ok", ("debian_10_64", "debian_12_64", "ubuntu_1804_64", "ubuntu_2004_64", "ubuntu_2204_64")),
    (6884, "SBP-LIN-07-001-YUM", "Ensure telnet client is not installed", "rpm -q telnet", "not installed",
     "^telnet-", ("centos_7_64", "redhat_8_64", "rhel_9_64")),
    (6885, "SBP-LIN-01-001-cron", "Ensure cron daemon is enabled", "systemctl is-enabled cron", "enabled", "disabled",
     ("ubuntu_1804_64", "ubuntu_2004_64", "ubuntu_2204_64", "debian_10_64", "debian_12_64", "alpine_linux_64")),
    (6886, "SBP-LIN-05-002-APT", "Ensure updates, patches, and additional security software are installed",
     "apt -s upgrade", "0 upgraded", "[1-9][0-9]* upgraded",
     ("debian_10_64", "debian_12_64", "ubuntu_1804_64", "ubuntu_2004_64", "ubuntu_2204_64")),
    (6887, "SBP-LIN-05-002-YUM", "Ensure updates, patches, and additional security software are installed",
     "yum check-update", "^$", ".+", ("centos_7_64", "redhat_8_64", "rhel_9_64")),
)


_CATALOGUE = None


def _rule(rid, code, name, level, os_keys, groups, checks, created, **extra):
    """A catalogue rule record (store shape: os keys, rule group ids, checks without type)."""
    record = {"id": rid, "audit": "Verify: " + checks[0]["content"] if checks else None, "code": code,
              "description": name + ".", "name": name, "rationale": "Generated rationale of %s." % code,
              "remediation": "Generated remediation of %s." % code, "level": level, "require_sudo": False,
              "type": None, "created_at": created, "updated_at": created + 90 * DAY, "published_at": created,
              "last_modified_at": created + 60 * DAY, "reference": None, "equation": "(1)", "os": list(os_keys),
              "rule_groups": list(groups), "checks": checks, "revision": 0, "recheck_due": None,
              "verified_at": None}
    record.update(extra)
    return record


def _linux(num, section):
    name, content, success, failure, values = LINUX_CHECKS[num % len(LINUX_CHECKS)]
    value = values[(num // len(LINUX_CHECKS)) % len(values)]
    args = value if isinstance(value, tuple) else (value,)
    check = {"order": 1, "content": content.format(*args), "success": success.format(*args),
             "failure": failure.format(*args)}
    return name.format(*args), check, section


def _windows(num, section, level_two):
    path, value_name, value, title = WINDOWS_CHECKS[num % len(WINDOWS_CHECKS)]
    check = {"order": 1, "content": "Get-ItemProperty -Path '%s' -Name '%s'" % (path, value_name),
             "success": "%s\\W*: %s" % (value_name, value),
             "failure": "Get-ItemProperty|%s|%s" % (value_name, path.replace("\\", "\\\\"))}
    return "(%s) Ensure '%s' is set to '%s'" % ("L2" if level_two else "L1", title, value), check, section


def _generated(rng):
    """(code, name, level, os keys, group ids, check, reference) of the generated rules, in catalogue order."""
    rows = []
    for prefix, os_keys, count in BENCHMARKS:
        windows = prefix.startswith("CIS-windows")
        for num in range(count):
            level_two = rng.random() < 0.22
            if level_two:
                level = LEVELS[3] if rng.random() < 0.1 else LEVELS[2]
            else:
                level = LEVELS[0] if rng.random() < 0.56 else LEVELS[1]
            section = "%d.%d.%d" % (1 + num // 60, 1 + num // 6 % 10, 1 + num % 6)
            name, check, reference = _windows(num, section, level_two) if windows else _linux(num, section)
            rows.append((prefix + "-" + section, name, level, os_keys, (1, 3 if level_two else 2), check, reference))
    sbp = CATALOGUE_SIZE - len(RECORDED) - 1 - len(rows)
    for num in range(sbp):
        windows = num % 3 == 2
        name, check, _section = _windows(num, "", False) if windows else _linux(num, "")
        family = "WIN" if windows else "LIN"
        rows.append(("SBP-%s-%02d-%03d" % (family, 1 + num % 8, 1 + num // 8), name.replace("(L1) ", ""), "minimal",
                     SBP_WINDOWS if windows else SBP_LINUX, (4,), check, None))
    return rows


def rule_groups():
    """Seeded rule groups: id -> {id, name, description, color}."""
    return {gid: {"id": gid, "name": name, "description": None, "color": RULE_GROUP_COLOR} for gid, name in RULE_GROUPS}


def rules():
    """Seeded catalogue: id -> rule record, in id order (CATALOGUE_SIZE rules).

    Built once per process (about 0.1 s); every call returns a new table sharing the records, so that a reset stays
    cheap. The records are copy-on-write: compliance writes replace a rule by a modified copy, never change it.
    """
    global _CATALOGUE  # pylint: disable=global-statement
    if _CATALOGUE is None:
        _CATALOGUE = _build()
    return dict(_CATALOGUE)


def copy_rule(rule):
    """A rule record that can be changed without touching the shared catalogue."""
    return dict(rule, os=list(rule["os"]), rule_groups=list(rule["rule_groups"]),
                checks=[dict(check) for check in rule["checks"]])


def _build():
    """The catalogue: generated rules at sampled ids below the recorded ones, then the recorded rules."""
    rng = random.Random("compliance-catalogue")
    rows = _generated(rng)
    ids = sorted(rng.sample(range(1, FIRST_RECORDED_ID), len(rows)))
    catalogue = {}
    for rid, (code, name, level, os_keys, groups, check, reference) in zip(ids, rows):
        created = BASE_TS - 900 * DAY + rid * 600
        catalogue[rid] = _rule(rid, code, name, level, os_keys, groups, [check], created, reference=reference,
                               require_sudo=not code.startswith(("CIS-windows", "SBP-WIN")) and rid % 5 == 0,
                               equation="(1)" if rid % 4 else "1")
    for rid, code, name, content, success, failure, os_keys in RECORDED:
        created = BASE_TS - 200 * DAY + rid
        check = {"order": 1, "content": content, "success": success, "failure": failure}
        catalogue[rid] = _rule(rid, code, name, "minimal", os_keys, (4,), [check], created, equation="1",
                               description=CRON_DESCRIPTION if "cron" in code else name + ".",
                               rationale=CRON_RATIONALE if "cron" in code else "Generated rationale of %s." % code,
                               updated_at=created, last_modified_at=created)
    created = BASE_TS - 180 * DAY
    catalogue[6891] = _rule(6891, "SBP-Custom-001-cron", "Ensure cron daemon is enabled", "minimal", ("ubuntu_2004_64",),
                            (), [], created, type=CUSTOM, audit="Verify cron is enabled", require_sudo=None,
                            description=CRON_DESCRIPTION, rationale=CRON_RATIONALE, equation="(1 && 2)",
                            remediation="systemctl --now enable cron", updated_at=created, published_at=None,
                            last_modified_at=None)
    return catalogue
