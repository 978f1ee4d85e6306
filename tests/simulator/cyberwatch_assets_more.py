"""Simulated Cyberwatch routes that no recording shows, built from reference/cyberwatch_api.md and cbw-api-toolbox
2.3.2: stored credentials (/api/v3/assets/credentials CRUD), the OS list (GET /api/v3/os), the service filters of
/api/v3/assets/servers and the CVE note. Every behaviour here is invented; tests/simulator/README.md lists it.
"""

from core.store import iso
from core.web import ApiError

# Never rendered: the API takes them on create and update and never returns them.
CREDENTIAL_SECRETS = ("password", "key", "client_key", "auth_password", "priv_password")
CREDENTIAL_FIELDS = ("name", "type", "user", "endpoint", "ca_cert", "client_cert")
# The OS catalogue of GET /api/v3/os: the OSes of the seeded servers, then a few more.
MORE_OSES = (
    {"key": "rhel_8_64", "name": "Red Hat Enterprise Linux 8", "arch": "x86_64", "eol": None, "short_name": "RHEL 8",
     "type": "Os::Redhat"},
    {"key": "windows_2022_64", "name": "Windows Server 2022", "arch": "x86_64", "eol": "2031-10-14T02:00:00.000+02:00",
     "short_name": "Windows 2022", "type": "Os::Windows"},
)


def seed(store, oses, created_at):
    """Two stored credentials (created at created_at) and the OS catalogue: oses (those of the seeded servers), then
    MORE_OSES. Called by fleet.generate."""
    rows = (("linux-scan-password", "CbwRam::StoredCredential::Ssh::WithPassword", "cyberwatch"),
            ("snmp-core-switches", "CbwRam::StoredCredential::Snmp", None))
    for cid, (name, kind, user) in enumerate(rows, start=1):
        store.stored_credentials[cid] = {
            "id": cid, "name": name, "type": kind, "user": user, "endpoint": None, "ca_cert": None,
            "client_cert": None, "created_at": created_at, "updated_at": created_at, "secrets": {}}
    for oid, os_record in enumerate(tuple(oses) + MORE_OSES, start=1):
        store.os[oid] = dict({"id": oid}, **os_record)


def stored_credential(record):
    """A stored credential as listed, shown, created, updated and deleted: never a secret."""
    return {"id": record["id"], "name": record["name"], "type": record["type"], "user": record["user"],
            "endpoint": record["endpoint"], "ca_cert": record["ca_cert"], "client_cert": record["client_cert"],
            "created_at": iso(record["created_at"]), "updated_at": iso(record["updated_at"])}


def os_item(record):
    """One OS of GET /api/v3/os."""
    return dict(record)


def services(server):
    """The services an asset reports (invented so that the service_name/service_status filters of the toolbox's
    examples select something): the print spooler on Windows servers, disabled on even ids; sshd on the others."""
    os_type = (server.get("os") or {}).get("type")
    if os_type == "Os::Windows":
        return {"spooler": "disabled" if server["id"] % 2 == 0 else "running"}
    return {"sshd": "running"}


def asset_matches(server, key, value):
    """The service_name / service_status filters of /api/v3/assets/servers (case-insensitive)."""
    found = services(server)
    wanted = str(value).strip().lower()
    if key == "service_name":
        return wanted in found
    return wanted in found.values()


class MoreWrites:
    """Create and update of stored credentials, and the CVE note (mixed into cyberwatch_writes.Writes)."""

    store = None

    def _credential_fields(self, record, body):
        for key in CREDENTIAL_FIELDS:
            if key in body:
                record[key] = body[key]
        for key in ("name", "type"):
            if not str(record[key] or "").strip():
                raise ApiError(422, "Validation failed: %s can't be blank" % key.capitalize())
        own_id = record.get("id")
        if any(other["name"] == record["name"] and cid != own_id for cid, other in self.store.stored_credentials.items()):
            raise ApiError(422, "Validation failed: Name has already been taken")
        secrets = dict(record.get("secrets") or {})
        secrets.update((k, body[k]) for k in CREDENTIAL_SECRETS if body.get(k) is not None)
        record["secrets"] = secrets
        record["updated_at"] = self.store.now()
        return record

    def create_stored_credentials(self, body):
        """POST stored credential: type and name required, name unique; validated before an id is taken."""
        record = dict({key: None for key in CREDENTIAL_FIELDS}, id=None, created_at=self.store.now())
        record = self._credential_fields(record, body)
        record["id"] = self.store.new_id("stored_credentials")
        self.store.stored_credentials[record["id"]] = record
        return stored_credential(record)

    def update_stored_credentials(self, record, body):
        """PATCH stored credential: any subset of the fields, secrets included."""
        updated = self._credential_fields(dict(record, secrets=dict(record["secrets"])), body)
        record.update(updated)
        return stored_credential(record)

    @staticmethod
    def cve_note(record, body):
        """note_custom on PUT (not in the toolbox's body: taken like score_custom)."""
        if "note_custom" in body:
            record["note_custom"] = body["note_custom"] or None
