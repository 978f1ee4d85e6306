"""The `malformed` fault kind: the answer of a handled request is replaced by one of the shapes a broken proxy, a
login page or a buggy server gives (VARIANTS). Reads only matter: the request is handled first (a write is applied).

- html: a 200 text/html login page instead of JSON.
- huge_html: a 502 text/html page of `size` bytes (default 3 MB): error bodies must be cut.
- truncated_json: the first half of the JSON body, with a Content-Length that matches it (a valid HTTP answer).
- empty_2xx: 200 with an empty body.
- redirect_302: 302 to a single sign-on page (Location), no body.
- object_for_list: a list (the body, or a CyStack page's `results`) becomes an object keyed by position.
- list_for_object: the body is wrapped in a list (an object becomes [object], a list's items become lists).
- missing_ids: the records (list items, `results` items, or the body object) lose what identifies them: `id`,
  `href`, and `cve_code` / `key` (CVEs and OSes have no id).
- wrong_types: in the records, strings become lists of one string and numbers become objects.
- deep_nesting: valid JSON nested 100,000 levels deep.
"""

import json

from werkzeug.wrappers import Response

VARIANTS = ("html", "huge_html", "truncated_json", "empty_2xx", "redirect_302", "object_for_list", "list_for_object",
            "missing_ids", "wrong_types", "deep_nesting")
SSO_LOCATION = "https://sso.example.invalid/login?return_to=%2Fapi"
LOGIN_PAGE = (b"<!DOCTYPE html>\n<html><head><title>Sign in</title></head><body><form method=\"post\" "
              b"action=\"/login\"><input name=\"user\"><input type=\"password\" name=\"password\"></form></body></html>\n")
DEEP = 100000


def check(spec):
    """The variant of a malformed rule spec (ValueError naming the accepted ones)."""
    variant = spec.get("variant")
    if variant not in VARIANTS:
        raise ValueError("a malformed rule needs a variant in %s" % (VARIANTS,))
    return variant


def _records(body, change):
    """body with change(record) applied to each record: the items of a list, of a DRF page's results, or the object."""
    if isinstance(body, list):
        return [change(r) if isinstance(r, dict) else r for r in body]
    if isinstance(body, dict) and isinstance(body.get("results"), list):
        return dict(body, results=_records(body["results"], change))
    return change(body) if isinstance(body, dict) else body


ID_FIELDS = ("id", "href", "cve_code", "key")


def _without_ids(record):
    return dict((k, v) for k, v in record.items() if k not in ID_FIELDS)


def _wrong_types(record):
    def swap(value):
        if isinstance(value, str):
            return [value]
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return {"value": value}
        return value
    return dict((k, swap(v)) for k, v in record.items())


def _object_for_list(body):
    if isinstance(body, list):
        return dict((str(i), item) for i, item in enumerate(body))
    if isinstance(body, dict) and isinstance(body.get("results"), list):
        return dict(body, results=_object_for_list(body["results"]))
    return body


def _list_for_object(body):
    if isinstance(body, list):
        return [[item] for item in body]
    return [body]


SHAPES = {
    "object_for_list": _object_for_list,
    "list_for_object": _list_for_object,
    "missing_ids": lambda body: _records(body, _without_ids),
    "wrong_types": lambda body: _records(body, _wrong_types),
}


def answer(rule, response):
    """The malformed answer that replaces response (the handled one) for rule (kind malformed)."""
    variant = rule.spec["variant"]
    headers = [(k, v) for k, v in response.headers.items() if k.lower() not in ("content-type", "content-length")]
    if variant == "html":
        return Response(LOGIN_PAGE, status=200, headers=headers, content_type="text/html; charset=utf-8")
    if variant == "huge_html":
        size = int(rule.spec.get("size") or 3 * 1024 * 1024)
        page = (b"<html><body><h1>502 Bad Gateway</h1><pre>" + b"x" * size)[:size] + b"</pre></body></html>"
        return Response(page, status=502, headers=headers, content_type="text/html")
    if variant == "empty_2xx":
        return Response(b"", status=200, headers=headers, content_type="application/json")
    if variant == "redirect_302":
        return Response(b"", status=302, headers=headers + [("Location", SSO_LOCATION)])
    if variant == "deep_nesting":
        return Response(b"[" * DEEP + b"]" * DEEP, status=200, headers=headers, content_type="application/json")
    data = response.get_data()
    if variant == "truncated_json":
        return Response(data[: len(data) // 2], status=response.status_code, headers=headers,
                        content_type="application/json")
    body = SHAPES[variant](json.loads(data or b"null"))
    return Response(json.dumps(body), status=response.status_code, headers=headers, content_type="application/json")
