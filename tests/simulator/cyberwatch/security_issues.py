"""Security issues: /api/v3/vulnerabilities/security_issues (legacy /api/v3/security_issues).

Recorded: the list shape, the longer shape of create, update and delete (with servers and cve_announcements),
`sid`/`type` null when omitted (2020), 400 `'x' is not a valid level`, filter `sid`. Invented: the seeded issues.
"""

from core.web import ApiError, json_body, json_response
from cyberwatch.common import destroy_of, find, listing, matching, show_of

MODEL = "SecurityIssue"
LEVELS = ("level_info", "level_low", "level_medium", "level_high", "level_critical")
HOSTILE_FIELDS = ("title", "description")
FILTERS = {"sid": lambda row, value: str(row["sid"]) == str(value)}


def seed(store):
    """weak-tls, default-creds, info-banner."""
    for iid, (sid_text, level) in enumerate((("weak-tls", "level_medium"), ("default-creds", "level_high"),
                                             ("info-banner", "level_info")), start=1):
        store.security_issues[iid] = {"id": iid, "type": "SecurityIssues::Custom", "sid": sid_text, "level": level,
                                      "title": sid_text.replace("-", " ").title(), "description": "Seeded issue " + sid_text,
                                      "score": None, "servers": [], "cve_announcements": []}


def render(record):
    """Security issue as listed (and in a server detail)."""
    keys = ("id", "type", "sid", "level", "title", "description")
    return {key: record[key] for key in keys}


def render_full(record):
    """Security issue as shown, created, updated and deleted."""
    item = render(record)
    item["servers"] = list(record["servers"])
    item["cve_announcements"] = list(record["cve_announcements"])
    return item


def _fields(store, record, body):
    if "level" in body and body["level"] not in LEVELS:
        raise ApiError(400, "'%s' is not a valid level" % body["level"])
    for key in ("sid", "level", "title", "description", "type"):
        if key in body:
            record[key] = body[key]
    if "score" in body:
        record["score"] = body["score"]
    if "servers" in body:
        record["servers"] = [find(store, "servers", sid, "Server")["id"] for sid in body["servers"] or []]
    if "cve_announcements" in body:
        record["cve_announcements"] = [c for c in body["cve_announcements"] or [] if c in store.cves]
    return render_full(record)


def index(api, request):
    """GET security_issues[?sid=]."""
    return listing(api, request, lambda store, query: matching(list(store.security_issues.values()), query, FILTERS),
                   render)


def create(api, request):
    """POST security issue (sid and type may be omitted: they stay null, as recorded in 2020)."""
    iid = api.store.new_id("security_issues")
    record = {"id": iid, "type": None, "sid": None, "level": "level_info", "title": None,
              "description": None, "score": None, "servers": [], "cve_announcements": []}
    rendered = _fields(api.store, record, json_body(request))
    api.store.security_issues[iid] = record
    return json_response(rendered, 201)


def update(api, request, item_id):
    """PUT security issue."""
    record = find(api.store, "security_issues", item_id, MODEL)
    return json_response(_fields(api.store, record, json_body(request)))


# GET {id}, DELETE {id} (200 with the record)
show = show_of("security_issues", MODEL, render_full)
destroy = destroy_of("security_issues", MODEL, render_full)
