"""What the Cyberwatch resource files share: the error envelope, the 404 of an unknown id, filters and listings."""

from core.pagination import cyberwatch_page
from core.web import ApiError, as_int, json_response, params

REASONS = {400: "Bad Request", 401: "Unauthorized", 403: "Forbidden", 404: "Not Found", 405: "Method Not Allowed",
           422: "Unprocessable Entity"}


def error_response(status, message):
    """{"error": {"code", "status", "message"}} with Cache-Control: no-cache, as recorded."""
    body = {"error": {"code": status, "status": REASONS.get(status, "Error"), "message": message}}
    return json_response(body, status, {"Cache-Control": "no-cache"})


def find(store, table, raw_id, model):
    """The record of table whose id is raw_id (from a path or a body), else the recorded 404
    `Couldn't find <model> with 'id'=<raw id>`."""
    key = as_int(raw_id)
    if key is None or key not in store.tables[table]:
        raise ApiError(404, "Couldn't find %s with 'id'=%s" % (model, raw_id))
    return store.tables[table][key]


def matching(rows, query, checks):
    """The rows every given filter accepts: checks maps a parameter to check(row, value); a parameter that is
    missing or empty does not filter (unknown parameters are ignored)."""
    wanted = [(key, query[key]) for key in checks if query.get(key) not in (None, "")]
    if not wanted:
        return rows
    return [row for row in rows if all(checks[key](row, value) for key, value in wanted)]


def listing(api, request, rows_for, render):
    """A paginated listing: rows_for(store, query) gives the filtered rows in listing order, render(record) a list
    item (made once per request: it may cache)."""
    query = params(request)
    page, headers = cyberwatch_page(request, query, rows_for(api.store, query), api.max_per_page)
    return json_response([render(row) for row in page], 200, headers)


def all_rows(table):
    """rows_for of a listing without filters."""
    return lambda store, query: list(store.tables[table].values())


def index_of(table, render):
    """The GET handler of a listing without filters."""
    def index(api, request):
        return listing(api, request, all_rows(table), render)
    return index


def show_of(table, model, render):
    """The GET {id} handler of a table."""
    def show(api, request, item_id):
        del request
        return json_response(render(find(api.store, table, item_id, model)))
    return show


def destroy_of(table, model, render):
    """The DELETE {id} handler of a table whose deletion touches nothing else: 200 with the record."""
    def destroy(api, request, item_id):
        del request
        record = find(api.store, table, item_id, model)
        del api.store.tables[table][record["id"]]
        return json_response(render(record))
    return destroy
