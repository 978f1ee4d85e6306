"""Authentication of simulated API requests: Cyberwatch HMAC and Basic, CyStack Bearer.

Cyberwatch HMAC follows the api-auth canonical string (reference/cyberwatch_api.md §1):
``METHOD,content-type,content-md5,path?query-as-on-the-wire,date``, signed with HMAC-SHA256 of the secret key.
"""

import base64
import random
import binascii
import hashlib
import hmac
import re
from email.utils import formatdate, parsedate_to_datetime

HMAC_PREFIX = "CyberWatch APIAuth-HMAC-SHA256"
_HMAC_RE = re.compile(r"APIAuth(?:-HMAC-SHA256)? ([^:]+):(.+)$")

MISSING = "Missing credentials."
FAILED = "Authentication failed."
# A read-only key authenticates like the full key; any write with it is refused with 403 (not recorded: the messages
# are Cyberwatch's Rails-style wording and DRF's default PermissionDenied detail).
CYBERWATCH_FORBIDDEN = "You are not authorized to perform this action."
CYSTACK_FORBIDDEN = "You do not have permission to perform this action."
READONLY = "-readonly"
WRITE_METHODS = ("POST", "PUT", "PATCH", "DELETE")
# CyStack stops a scan with a GET: a write all the same.
_CYSTACK_GET_WRITE = re.compile(r"^/v1/scans/[^/]+/stop/?$")


def make_keys(seed):
    """Deterministic key material: Cyberwatch id (32 bytes b64), secret (64 bytes b64), CyStack token."""
    rng = random.Random("keys-%s" % seed)
    cbw_key = base64.b64encode(rng.randbytes(32)).decode()
    cbw_secret = base64.b64encode(rng.randbytes(64)).decode()
    return cbw_key, cbw_secret, rng.randbytes(20).hex()


def canonical(method, content_type, content_md5, path_and_query, date):
    """The api-auth canonical string."""
    return ",".join([method.upper(), content_type or "", content_md5 or "", path_and_query, date or ""])


def signature(secret, message):
    """Base64 HMAC-SHA256 of message with secret."""
    digest = hmac.new(secret.encode("utf-8"), message.encode("utf-8"), hashlib.sha256).digest()
    return base64.b64encode(digest).decode("ascii")


def sign_headers(method, path_and_query, body, api_key, secret, date=None):
    """Client-side HMAC headers, exactly as cbw-api-toolbox builds them (for tests and benchmarks)."""
    date = date or formatdate(usegmt=True)
    ctype = "application/json" if body else ""
    sig = signature(secret, canonical(method, ctype, "", path_and_query, date))
    headers = {"Date": date, "Authorization": "%s %s:%s" % (HMAC_PREFIX, api_key, sig)}
    if body:
        headers["Content-Type"] = ctype
    return headers


def is_write(api, method, path):
    """Whether a request changes state: what a read-only key may not do."""
    if method.upper() in WRITE_METHODS:
        return True
    return api == "cystack" and bool(_CYSTACK_GET_WRITE.match(path))


class Credentials:
    """The key pairs the simulator accepts and the checks it applies.

    cbw_readonly (key, secret) and cystack_readonly (token) are the read-only keys: the scheme they authenticate with
    ends in "-readonly" (hmac-readonly, basic-readonly, bearer-readonly) and forbidden() refuses their writes.
    """

    def __init__(self, cbw_key, cbw_secret, cystack_key, clock_skew=900, cbw_readonly=None, cystack_readonly=None):
        self.cbw_key = cbw_key
        self.cbw_secret = cbw_secret
        self.cystack_key = cystack_key
        self.clock_skew = clock_skew
        self.cbw_readonly = cbw_readonly
        self.cystack_readonly = cystack_readonly

    def _cyberwatch_secret(self, key):
        """(secret of the key id, scheme suffix), or (None, None) for an unknown id."""
        if key == self.cbw_key:  # a key id is no secret; a secret is compared in constant time
            return self.cbw_secret, ""
        if self.cbw_readonly and key == self.cbw_readonly[0]:
            return self.cbw_readonly[1], READONLY
        return None, None

    def check_cyberwatch(self, headers, method, raw_uri, now):
        """Return (scheme, error message or None); scheme is hmac/basic/missing/failed."""
        auth = headers.get("Authorization", "")
        if auth.startswith("Basic "):
            return self._check_basic(auth[6:])
        match = _HMAC_RE.search(auth)
        if not match:
            return "missing", MISSING
        key, sig = match.groups()
        message = canonical(method, headers.get("Content-Type", ""), headers.get("Content-MD5", ""),
                            raw_uri, headers.get("Date", ""))
        secret, suffix = self._cyberwatch_secret(key)
        if secret is None or not hmac.compare_digest(sig.strip(), signature(secret, message)):
            return "failed", FAILED
        if not self._date_fresh(headers.get("Date", ""), now):
            return "failed", FAILED
        return "hmac" + suffix, None

    def _check_basic(self, token):
        try:
            key, _sep, secret = base64.b64decode(token.strip(), validate=True).decode("utf-8").partition(":")
        except (binascii.Error, UnicodeDecodeError):
            return "failed", FAILED
        if not key:
            return "missing", MISSING
        expected, suffix = self._cyberwatch_secret(key)
        if expected is not None and hmac.compare_digest(secret, expected):
            return "basic" + suffix, None
        return "failed", FAILED

    def _date_fresh(self, date, now):
        try:
            sent = parsedate_to_datetime(date).timestamp()
        except (TypeError, ValueError, IndexError):
            return False
        return abs(sent - now) <= self.clock_skew

    def check_cystack(self, headers):
        """Return (scheme, DRF detail message or None)."""
        auth = headers.get("Authorization", "")
        parts = auth.split()
        if len(parts) != 2 or parts[0].lower() != "bearer":
            return "missing", "Authentication credentials were not provided."
        if hmac.compare_digest(parts[1], self.cystack_key):
            return "bearer", None
        if self.cystack_readonly and hmac.compare_digest(parts[1], self.cystack_readonly):
            return "bearer" + READONLY, None
        return "failed", "Invalid token."

    @staticmethod
    def forbidden(api, scheme, method, path):
        """The 403 message for a write made with a read-only key, else None."""
        if not scheme.endswith(READONLY) or not is_write(api, method, path):
            return None
        return CYSTACK_FORBIDDEN if api == "cystack" else CYBERWATCH_FORBIDDEN
