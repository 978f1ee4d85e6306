"""Compliance rules: /api/v3/compliance/rules: GET list and detail, POST, PUT, DELETE, PUT {id}/recheck_servers.

Recorded: the shapes (POST, PUT and the list answer no `servers`; DELETE answers the rule with `os`, `rule_groups`
and `checks` empty), a custom rule's type and level. Invented, modelled on groups: `code` and `name` required (422
`Validation failed: Code can't be blank, Name can't be blank`), `code` unique (422 `Code has already been taken`),
checked before an id is taken; bad `level` -> 400 `'x' is not a valid level`; malformed `checks`/`os`/`rule_groups`
-> 400 `<field> is invalid`; `rule_groups` on create (not recorded). A change of what is checked starts a recheck.
"""

from core.web import ApiError, as_int, json_body, json_response
from cyberwatch import compliance
from cyberwatch.common import all_rows, find, listing
from cyberwatch.compliance_catalogue import CUSTOM, LEVELS, WITH_SCRIPT, copy_rule

MODEL = "CbwCompliance::Rule"


def _own_rule(store, rule):
    """The rule as a record of its own (the seeded catalogue's records are shared: copy on write)."""
    rule = copy_rule(rule)
    store.compliance_rules[rule["id"]] = rule
    return rule


def _code(store, code, own_id):
    if code is None or not str(code).strip():
        return "Code can't be blank"
    if any(rule["code"] == code and rid != own_id for rid, rule in store.compliance_rules.items()):
        return "Code has already been taken"
    return None


def _checks(store, value):
    """checks: a list of {order, content, success, failure} (order defaults to the position)."""
    del store
    if not isinstance(value, list) or not all(isinstance(check, dict) for check in value):
        raise ApiError(400, "checks is invalid")
    return [{"type": check.get("type") or WITH_SCRIPT, "order": as_int(check.get("order"), num),
             "content": check.get("content"), "success": check.get("success"), "failure": check.get("failure")}
            for num, check in enumerate(value, start=1)]


def _os(store, value):
    """os: a list of OS keys (or {"key"} objects, as rendered), or a comma-separated string."""
    del store
    if isinstance(value, str):
        value = value.split(",")
    if not isinstance(value, list):
        raise ApiError(400, "os is invalid")
    keys = [item.get("key") if isinstance(item, dict) else item for item in value]
    return [str(key).strip() for key in keys if key not in (None, "") and str(key).strip()]


def _fields(store, rule, body):
    """Apply a create/update body to a rule record; True when what is checked changed (a recheck starts)."""
    if "level" in body and body["level"] not in LEVELS:
        raise ApiError(400, "'%s' is not a valid level" % body["level"])
    checked = {"checks": _checks, "os": _os, "rule_groups": compliance.rule_group_ids}
    changed = False
    for key, parse in checked.items():
        if key in body:
            value = parse(store, body[key])
            changed = changed or value != rule[key]
            rule[key] = value
    if "equation" in body:
        changed = changed or body["equation"] != rule["equation"]
        rule["equation"] = body["equation"]
    for key in ("audit", "code", "description", "name", "rationale", "remediation", "level", "require_sudo",
                "reference"):
        if key in body:
            rule[key] = body[key]
    return changed


def index(api, request):
    """GET compliance/rules (no filter: none was recorded; a client looks a code up by listing)."""
    return listing(api, request, all_rows("compliance_rules"), lambda rule: compliance.rule_item(api.store, rule))


def show(api, request, item_id):
    """GET compliance/rules/{id}: the detail, with the servers it is checked on."""
    del request
    rule = find(api.store, "compliance_rules", item_id, MODEL)
    return json_response(compliance.Compliance(api.store).rule_detail(rule))


def create(api, request):
    """POST compliance rule: a custom rule (level minimal, no group unless rule_groups is given)."""
    store = api.store
    now = store.now()
    rule = {"id": None, "audit": None, "code": None, "description": None, "name": None, "rationale": None,
            "remediation": None, "level": "minimal", "require_sudo": None, "type": CUSTOM, "created_at": now,
            "updated_at": now, "published_at": None, "last_modified_at": None, "reference": None,
            "equation": None, "os": [], "rule_groups": [], "checks": [], "revision": 0, "recheck_due": None,
            "verified_at": None}
    _fields(store, rule, json_body(request))
    errors = [_code(store, rule["code"], None),
              "Name can't be blank" if not str(rule["name"] or "").strip() else None]
    if any(errors):
        raise ApiError(422, "Validation failed: " + ", ".join(error for error in errors if error))
    rule["id"] = store.new_id("compliance_rules")
    rule["recheck_due"] = now + api.delay
    store.compliance_rules[rule["id"]] = rule
    return json_response(compliance.rule_item(store, rule), 201)


def update(api, request, item_id):
    """PUT compliance rule: any subset of the fields; answered without servers (as recorded)."""
    store = api.store
    rule = copy_rule(find(store, "compliance_rules", item_id, MODEL))
    body = json_body(request)
    changed = _fields(store, rule, body)
    error = _code(store, rule["code"], rule["id"]) if "code" in body else None
    if not str(rule["name"] or "").strip():
        error = "Name can't be blank"
    if error:
        raise ApiError(422, "Validation failed: " + error)
    now = store.now()
    rule["updated_at"] = now
    if changed:
        rule["revision"] += 1
        compliance.schedule(rule, "verified_at", "recheck_due", now, api.delay)
    store.compliance_rules[rule["id"]] = rule
    return json_response(compliance.rule_item(store, rule))


def destroy(api, request, item_id):
    """DELETE compliance rule: answered with its associations already gone (as recorded)."""
    del request
    rule = find(api.store, "compliance_rules", item_id, MODEL)
    rendered = compliance.rule_deleted(api.store, rule)
    del api.store.compliance_rules[rule["id"]]
    return json_response(rendered)


def recheck_servers(api, request, item_id):
    """PUT compliance/rules/{id}/recheck_servers: the rule's results are gen_analyzing until the recheck completes."""
    del request
    rule = _own_rule(api.store, find(api.store, "compliance_rules", item_id, MODEL))
    compliance.schedule(rule, "verified_at", "recheck_due", api.store.now(), api.delay)
    return json_response(compliance.Compliance(api.store).rule_detail(rule))
