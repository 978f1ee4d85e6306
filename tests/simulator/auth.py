"""Authentication of simulated API requests: Cyberwatch HMAC and Basic, CyStack Bearer.

Cyberwatch HMAC follows the api-auth canonical string (reference/cyberwatch_api.md §1):
``METHOD,content-type,content-md5,path?query-as-on-the-wire,date``, signed with HMAC-SHA256 of the secret key.
"""

import base64
import binascii
import hashlib
import hmac
import re
from email.utils import formatdate, parsedate_to_datetime

HMAC_PREFIX = "CyberWatch APIAuth-HMAC-SHA256"
_HMAC_RE = re.compile(r"APIAuth(?:-HMAC-SHA256)? ([^:]+):(.+)$")

MISSING = "Missing credentials."
FAILED = "Authentication failed."


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


class Credentials:
    """The key pairs the simulator accepts and the checks it applies."""

    def __init__(self, cbw_key, cbw_secret, cystack_key, clock_skew=900):
        self.cbw_key = cbw_key
        self.cbw_secret = cbw_secret
        self.cystack_key = cystack_key
        self.clock_skew = clock_skew

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
        if key != self.cbw_key or not hmac.compare_digest(sig.strip(), signature(self.cbw_secret, message)):
            return "failed", FAILED
        if not self._date_fresh(headers.get("Date", ""), now):
            return "failed", FAILED
        return "hmac", None

    def _check_basic(self, token):
        try:
            key, _sep, secret = base64.b64decode(token.strip(), validate=True).decode("utf-8").partition(":")
        except (binascii.Error, UnicodeDecodeError):
            return "failed", FAILED
        if not key:
            return "missing", MISSING
        if hmac.compare_digest(key, self.cbw_key) and hmac.compare_digest(secret, self.cbw_secret):
            return "basic", None
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
        if not hmac.compare_digest(parts[1], self.cystack_key):
            return "failed", "Invalid token."
        return "bearer", None
