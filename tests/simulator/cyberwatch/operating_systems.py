"""The OS list: GET /api/v3/os (list and detail). Never recorded: route and fields {id, key, name, arch, eol,
short_name, type} from cbw-api-toolbox 2.3.2; the catalogue (the OSes of the seeded servers, then two more) is
invented."""

from cyberwatch.common import index_of, show_of

MODEL = "Os"
HOSTILE_FIELDS = ("key", "name", "short_name", "arch")
MORE_OSES = (
    {"key": "rhel_8_64", "name": "Red Hat Enterprise Linux 8", "arch": "x86_64", "eol": None, "short_name": "RHEL 8",
     "type": "Os::Redhat"},
    {"key": "windows_2022_64", "name": "Windows Server 2022", "arch": "x86_64", "eol": "2031-10-14T02:00:00.000+02:00",
     "short_name": "Windows 2022", "type": "Os::Windows"},
)


def seed(store, oses):
    """oses (those of the seeded servers), then MORE_OSES."""
    for oid, os_record in enumerate(tuple(oses) + MORE_OSES, start=1):
        store.os[oid] = dict({"id": oid}, **os_record)


# GET list (no filter), GET {id}
index = index_of("os", dict)
show = show_of("os", MODEL, dict)
