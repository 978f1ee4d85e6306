"""Loading the recorded Cyberwatch cassettes (vcrpy YAML, gzip+base64 bodies) for replay."""

import gzip
import json
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[2]
ROOT = REPO.parent / "shared" / "reference" / "cyberwatch"
FOLDERS = ("cassettes", "cassettes_legacy_v3")

# Out of scope for the simulator, with the reason shown as the skip message.
SKIPPED = {
    "compliance": "compliance servers/rules are out of the simulator's scope",
    "recheck_": "compliance recheck routes are out of the simulator's scope",
    "docker_image": "docker images are out of the simulator's scope",
    "applicative_scan": "applicative scans are out of the simulator's scope",
    "airgapped": "air-gap script routes (/api/v2/cbw_scans) are out of the simulator's scope",
    "export_file_xlsx": "xlsx export is a client-side feature (no extra API route)",
}


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


def interactions():
    """[(test id, folder, cassette name, index, interaction dict)] in file order."""
    found = []
    for folder in FOLDERS:
        for path in sorted((ROOT / folder).glob("*.yaml")):
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
