"""HTTP helpers shared by both simulated APIs: JSON responses, body parsing, request parameters."""

import json

from werkzeug.exceptions import HTTPException
from werkzeug.wrappers import Response

JSON_TYPE = "application/json; charset=utf-8"


def json_response(payload, status=200, headers=None):
    """A JSON response (compact, like Rails and DRF)."""
    body = b"" if payload is None else json.dumps(payload, separators=(",", ":")).encode("utf-8")
    resp = Response(body, status=status, headers=headers or {})
    if payload is not None:
        resp.headers["Content-Type"] = JSON_TYPE
    else:
        del resp.headers["Content-Type"]
    return resp


def json_body(request):
    """The request body as JSON, whatever the Content-Type; {} when empty or not an object."""
    raw = request.get_data(cache=True)
    if not raw:
        return {}
    try:
        data = json.loads(raw.decode("utf-8"))
    except (ValueError, UnicodeDecodeError):
        return {}
    return data if isinstance(data, dict) else {}


def params(request):
    """GET parameters from the JSON body (cbw-api-toolbox style) overridden by the query string."""
    merged = dict(json_body(request))
    for key in request.args:
        values = request.args.getlist(key)
        merged[key.removesuffix("[]")] = values if key.endswith("[]") or len(values) > 1 else values[0]
    return merged


def truthy(value):
    """Rails-style boolean parsing of a parameter."""
    if isinstance(value, bool):
        return value
    return str(value).strip().lower() in ("1", "true", "t", "yes", "y", "on")


def as_int(value, default=None):
    """int(value) or default."""
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


class ApiError(Exception):
    """An error each API renders with its own envelope (Cyberwatch {"error": ...}, CyStack DRF)."""

    def __init__(self, status, message):
        super().__init__(message)
        self.status = status
        self.message = message


def get_handler(url_map, request):
    """The handler a GET request routes to in url_map, else None (another method, or no route): what the
    mutate_listing fault asks to know whether a request reads a listing."""
    if request.method != "GET":
        return None
    try:
        handler, _args = url_map.bind_to_environ(request.environ).match()
    except HTTPException:
        return None
    return handler
