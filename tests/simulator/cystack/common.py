"""What the CyStack resource files share: DRF errors, ordering, pages and UUIDs."""

import uuid

from core.pagination import drf_offset, drf_page
from core.web import ApiError, json_response


def new_uuid(rng):
    """A UUID4 drawn from rng (deterministic ids)."""
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def get(store, table, key):
    """The record, or 404 {"detail": "Not found."}."""
    record = store.tables[table].get(key)
    if record is None:
        raise ApiError(404, "Not found.")
    return record


def order(rows, ordering, keys):
    """DRF OrderingFilter: comma-separated fields, '-' for descending, unknown fields ignored."""
    fields = [f.strip() for f in (ordering or "").split(",") if f.strip()]
    for field in reversed(fields):
        name = field.lstrip("-")
        if name in keys:
            rows.sort(key=keys[name], reverse=field.startswith("-"))
    return rows


def choice_error(field, value):
    """DRF's 400 for a value outside a choice filter."""
    return json_response({field: ["Select a valid choice. %s is not one of the available choices." % value]}, 400)


def paged(api, request, rows, render):
    """A DRF page of rows, 10 per page ({"detail": "Invalid page."} 404 past the end)."""
    page = drf_page(request, rows, api.next_host)
    if page is None:
        return json_response({"detail": "Invalid page."}, 404)
    envelope, rows = page
    envelope["results"] = [render(row) for row in rows]
    return json_response(envelope)


class DrfListing:
    """A listing that a busy account changes between two pages (core/mutations.py): rows_for(store, request) and
    drop_record(store, key) are the resource's; a subclass adds insert(request, count, rng)."""

    rows_for = None
    drop_record = None

    def __init__(self, api):
        self.api = api

    def rows(self, request):
        """(rows for this request or None for an invalid filter, offset of the requested page)."""
        return type(self).rows_for(self.api.store, request), drf_offset(request)

    def drop(self, key):
        """Delete a record as the API would, with what depends on it."""
        type(self).drop_record(self.api.store, key)
