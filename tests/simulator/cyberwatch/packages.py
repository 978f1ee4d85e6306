"""The simulator's package knowledge: which CVEs affect an installed package, which version fixes each, and the
version rules that compare them. Pure functions of a server's package list; analysis.py applies them to the store.

What is recorded and what is invented:
- Recorded (cassettes server_ok, update_server_cve, export_file_xlsx, legacy_v3/server_ok and update_server_cve): the
  shape of an update, {id, ignored, patchable, target, current, cve_announcements}, with target and current
  {vendor, product, type, version}; Debian and RPM versions with epochs ("8:6.9.7.4+dfsg-16ubuntu6.8"); several
  packages listing one CVE (ghostscript, libgs9); Windows programs as Packages::WinApp, current product the display
  name (vendor null), target the CPE vendor and product, patchable false.
- Invented: every fixing version below (plausible values for Debian 12 and RHEL 9, chosen so that a current system of
  those releases is fixed; not checked against the distributions' trackers: one fixing version per package type, as
  if every Debian-family host ran one release), the CPE names of the Windows targets, the demo package, and the way
  updates are grouped (one per package and fixing version, see derive()). The CVE codes and the packages they affect
  are real, except the demo's CVE-2099-*.
- CVE-2017-18018 (coreutils) has no fix on purpose: Debian and Red Hat never fixed it, so every Linux host keeps one
  medium CVE (a scan of this machine finds something; a gate on critical CVEs passes).

Version rules: Debian (epoch:upstream-revision, "~" sorts before anything) by python-debian's
debian.debian_support.Version, the reference implementation of dpkg's algorithm in Python. RPM (epoch:version-release,
rpmvercmp segments, "~" and "^") by univers' RpmVersion: univers is maintained by the AboutCode project for
vulnerability range matching (VulnerableCode), pure Python, and parses the epoch and release; rpm-vercmp (last release
2018) compares bare strings only, rpm-version is a young compiled extension. Windows display versions ("19.00",
"0.72.0.0") are compared segment by segment with the same rpmvercmp rules.
"""

from typing import NamedTuple, Optional

from debian.debian_support import Version as DebianVersion
from univers.versions import RpmVersion

DEB, RPM, WINAPP = "Packages::Deb", "Packages::Rpm", "Packages::WinApp"
VERSION_RULES = {DEB: DebianVersion, RPM: RpmVersion, WINAPP: RpmVersion}
# Package types whose updates Cyberwatch can install (WinApp updates are recorded with patchable false).
PATCHABLE_TYPES = (DEB, RPM)


class Fix(NamedTuple):
    """One CVE of a package: the first version that fixes it (None: no fix exists) and, for a CVE brought in by a
    release, the first affected version (None: every version below the fix)."""
    cve: str
    fixed: Optional[str]
    introduced: Optional[str] = None


DEMO_PACKAGE = "vulnmgmt-demo"
DEMO_CRITICAL, DEMO_LATE = "CVE-2099-1001", "CVE-2099-1003"
# The remediation end-to-end test's package: 1.0 has both CVEs, 1.1 fixes the critical one, only 1.3 (a version its
# test repository does not have) fixes the other. The same on RPM hosts ("1.0-1" < "1.1" < "1.1-1").
DEMO_FIXES = (Fix(DEMO_CRITICAL, "1.1"), Fix(DEMO_LATE, "1.3"))
COREUTILS = (Fix("CVE-2017-18018", None),)

# type -> package name -> its CVEs. Windows names are display names (matched whole or followed by a space:
# "Mozilla Firefox 69.0 (x64 fr)" as recorded).
PACKAGES = {
    DEB: {
        "bash": (Fix("CVE-2014-6271", "4.3-9.1"),),
        "libc6": (Fix("CVE-2023-4911", "2.36-9+deb12u3"),),
        "openssl": (Fix("CVE-2022-0778", "3.0.2-1"), Fix("CVE-2023-0286", "3.0.8-1")),
        "libssl3": (Fix("CVE-2023-0286", "3.0.8-1"),),
        "sudo": (Fix("CVE-2021-3156", "1.9.5p2-1"),),
        "curl": (Fix("CVE-2023-38545", "7.88.1-10+deb12u4"),),
        "libcurl4": (Fix("CVE-2023-38545", "7.88.1-10+deb12u4"),),
        "openssh-client": (Fix("CVE-2023-38408", "1:9.2p1-2+deb12u1"),),
        "openssh-server": (Fix("CVE-2024-6387", "1:9.2p1-2+deb12u3"),),
        "zlib1g": (Fix("CVE-2022-37434", "1:1.2.13.dfsg-1"),),
        "libexpat1": (Fix("CVE-2022-40674", "2.4.9-1"),),
        "tar": (Fix("CVE-2022-48303", "1.34+dfsg-1.2+deb12u1"),),
        "git": (Fix("CVE-2024-32002", "1:2.39.5-0+deb12u1"),),
        "policykit-1": (Fix("CVE-2021-4034", "0.105-31+deb11u1"),),
        "xz-utils": (Fix("CVE-2024-3094", "5.6.1+really5.4.5-1", introduced="5.6.0"),),
        "coreutils": COREUTILS,
        DEMO_PACKAGE: DEMO_FIXES,
    },
    RPM: {
        "bash": (Fix("CVE-2014-6271", "4.2.45-5.el7_0.2"),),
        "glibc": (Fix("CVE-2023-4911", "2.34-60.el9_2.7"),),
        "openssl": (Fix("CVE-2022-0778", "1:3.0.1-20.el9_0"), Fix("CVE-2023-0286", "1:3.0.7-6.el9_2")),
        "openssl-libs": (Fix("CVE-2023-0286", "1:3.0.7-6.el9_2"),),
        "sudo": (Fix("CVE-2021-3156", "1.8.29-6.el8_3.1"),),
        "curl": (Fix("CVE-2023-38545", "7.76.1-26.el9_3.2"),),
        "openssh": (Fix("CVE-2023-38408", "8.7p1-34.el9_3.3"),),
        "zlib": (Fix("CVE-2022-37434", "1.2.11-35.el9_1"),),
        "expat": (Fix("CVE-2022-40674", "2.2.10-12.el9_0.2"),),
        "tar": (Fix("CVE-2022-48303", "2:1.34-6.el9_1"),),
        "git": (Fix("CVE-2024-32002", "2.43.5-1.el9_4"),),
        "polkit": (Fix("CVE-2021-4034", "0.115-13.el8_5.1"),),
        "xz": (Fix("CVE-2024-3094", "5.6.2-1", introduced="5.6.0"),),
        "coreutils": COREUTILS,
        DEMO_PACKAGE: DEMO_FIXES,
    },
    WINAPP: {
        "7-Zip": (Fix("CVE-2022-29072", "22.00"),),
        "Mozilla Firefox": (Fix("CVE-2020-15673", "81.0"),),
    },
}
# The CPE vendor and product of a Windows program's update target (recorded: {"vendor": "mozilla", ...}).
WINAPP_TARGETS = {"7-Zip": ("7-zip", "7-zip"), "Mozilla Firefox": ("mozilla", "firefox")}
# Catalogue fields of the CVEs the table derives, for those the seeded catalogue lacks: (score, product).
CVE_FACTS = {
    "CVE-2014-6271": (9.8, "bash"), "CVE-2023-4911": (7.8, "glibc"), "CVE-2022-0778": (7.5, "openssl"),
    "CVE-2023-0286": (7.4, "openssl"), "CVE-2021-3156": (7.8, "sudo"), "CVE-2023-38545": (9.8, "curl"),
    "CVE-2023-38408": (9.8, "openssh"), "CVE-2024-6387": (8.1, "openssh"), "CVE-2022-37434": (9.8, "zlib"),
    "CVE-2022-40674": (8.1, "libexpat"), "CVE-2022-48303": (5.5, "tar"), "CVE-2024-32002": (9.0, "git"),
    "CVE-2021-4034": (7.8, "polkit"), "CVE-2024-3094": (10.0, "xz"), "CVE-2022-29072": (7.8, "7-zip"),
    "CVE-2020-15673": (8.8, "firefox"), "CVE-2017-18018": (4.7, "coreutils"),
    DEMO_CRITICAL: (9.8, DEMO_PACKAGE), DEMO_LATE: (7.5, DEMO_PACKAGE),
}


def version(kind, text):
    """The comparable version of a package type; ValueError when the text is not a version of that type's rules."""
    if not isinstance(text, str) or not text.strip():
        raise ValueError("empty version")
    return VERSION_RULES[kind](text.strip())


def compare(kind, left, right):
    """-1, 0 or 1 as version left is older than, equal to or newer than right, by the rules of package type kind."""
    left, right = version(kind, left), version(kind, right)
    return (left > right) - (left < right)


def affects(kind, installed, fix):
    """Whether a CVE (a Fix) affects an installed version. A version the rules cannot read is affected: a scanner that
    cannot read a version cannot show it fixed."""
    try:
        if fix.introduced is not None and compare(kind, installed, fix.introduced) < 0:
            return False
        return fix.fixed is None or compare(kind, installed, fix.fixed) < 0
    except ValueError:
        return True


def entry(kind, name):
    """(table name, fixes) of an installed package, or None when the table does not know it."""
    if not isinstance(kind, str) or not isinstance(name, str):
        return None
    names = PACKAGES.get(kind) or {}
    if name in names:
        return name, names[name]
    if kind == WINAPP:
        known = next((known for known in names if name.startswith(known + " ")), None)
        if known:
            return known, names[known]
    return None


def derive(packages):
    """(cves, updates) of a server's packages ({vendor, product, type, version} each, as recorded).

    cves: the codes of the CVEs that affect an installed package (with or without a fix), in table order.
    updates: one per package and fixing version (no id), in package order: {ignored, patchable, target, current,
    cve_announcements}, target.version the lowest version that fixes the update's CVEs. A package with CVEs fixed in
    two versions has two updates (1.0 with fixes in 1.1 and 1.3: one to 1.1, one to 1.3), so each CVE with a fix is
    in exactly one update of each package it affects, and a plan can take the smallest step that fixes what it
    selected. (The real API lists one update per package, to the newest version its vendor published: the simulator
    knows fixing versions only.) A CVE without a fix is in no update.
    """
    cves, updates = [], []
    for package in packages:
        kind, installed = package.get("type"), package.get("version")
        known = entry(kind, package.get("product"))
        if known is None:
            continue
        name, fixes = known
        by_target = {}
        for fix in fixes:
            if not affects(kind, installed, fix):
                continue
            if fix.cve not in cves:
                cves.append(fix.cve)
            if fix.fixed is not None:
                by_target.setdefault(fix.fixed, []).append(fix.cve)
        for target in sorted(by_target, key=lambda text, kind=kind: version(kind, text)):
            vendor, product = WINAPP_TARGETS.get(name, (None, name)) if kind == WINAPP else (None, name)
            updates.append({
                "ignored": False, "patchable": kind in PATCHABLE_TYPES,
                "target": {"vendor": vendor, "product": product, "type": kind, "version": target},
                "current": {"vendor": package.get("vendor"), "product": package.get("product"), "type": kind,
                            "version": installed},
                "cve_announcements": by_target[target]})
    return cves, updates
