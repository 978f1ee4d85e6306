"""Loading the recorded Cyberwatch cassettes (vcrpy YAML, gzip+base64 bodies) for replay."""

import gzip
import hashlib
import json
from pathlib import Path

import yaml

# In the repository (origin and licence in its README.md); SHA256SUMS lists every expected cassette.
ROOT = Path(__file__).resolve().parent / "cassettes"
MANIFEST = ROOT / "SHA256SUMS"
FOLDERS = ("current", "legacy_v3")
LEGACY = "legacy_v3"

# Out of scope for the simulator, with the reason shown as the skip message (none today: the air-gap script routes
# are served by tests/simulator/cyberwatch/airgap.py).
SKIPPED = {}


def _text(body):
    raw = body.get("string") if isinstance(body, dict) else body
    if isinstance(raw, bytes):
        try:
            raw = gzip.decompress(raw)
        except OSError:
            pass
        raw = raw.decode("utf-8")
    return raw or ""


def skip_reason(name):
    """Why a cassette is not replayed, or None."""
    for needle, reason in SKIPPED.items():
        if needle in name:
            return reason
    return None


def problems():
    """Why the recorded cassettes cannot all be replayed: missing folder, manifest or cassette, changed bytes."""
    if not ROOT.is_dir():
        return ["the cassette folder %s is missing" % ROOT]
    if not MANIFEST.is_file():
        return ["the cassette manifest %s is missing" % MANIFEST]
    found = ["the cassette folder %s is missing" % (ROOT / folder) for folder in FOLDERS if not (ROOT / folder).is_dir()]
    for line in MANIFEST.read_text(encoding="utf-8").splitlines():
        digest, name = line.split(None, 1)
        path = ROOT / name.lstrip("*")
        if not path.is_file():
            found.append("the cassette %s is missing" % path)
        elif hashlib.sha256(path.read_bytes()).hexdigest() != digest:
            found.append("the cassette %s differs from its recording (SHA256SUMS)" % path)
    return found


def interactions(names=None):
    """[(test id, folder, cassette name, index, interaction dict)] in file order, for the cassettes present (names:
    only the cassettes of these names, in every folder)."""
    found = []
    for folder in FOLDERS:
        for path in sorted((ROOT / folder).glob("*.yaml")):
            if names is not None and path.stem not in names:
                continue
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
            for index, item in enumerate(data["interactions"]):
                request, response = item["request"], item["response"]
                body = _text(response.get("body") or "")
                try:
                    parsed = json.loads(body) if body else None
                except ValueError:
                    parsed = body
                found.append(("%s/%s[%d]" % (folder, path.stem, index), folder, path.stem, index, {
                    "method": request["method"], "uri": request["uri"], "body": _text(request.get("body") or ""),
                    "status": response["status"]["code"], "headers": response.get("headers") or {}, "json": parsed}))
    return found
