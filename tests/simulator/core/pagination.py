"""Cyberwatch (api-pagination/Grape) and CyStack (DRF PageNumberPagination) pagination."""

from urllib.parse import urlencode

from core.web import as_int

CBW_DEFAULT_PER_PAGE = 25
DRF_PAGE_SIZE = 10


def _page_url(base, args, page):
    """base?query-with-page; page=None drops the parameter (DRF's link to page 1)."""
    pairs = [(k, v) for k, v in args if k != "page"]
    if page is not None:
        pairs.append(("page", str(page)))
    return base + ("?" + urlencode(pairs) if pairs else "")


def cyberwatch_window(params, max_per_page):
    """(page, per_page) of a Cyberwatch listing request, as the server reads them."""
    per_page = as_int(params.get("per_page"), CBW_DEFAULT_PER_PAGE)
    per_page = CBW_DEFAULT_PER_PAGE if per_page < 1 else min(per_page, max_per_page)
    return max(as_int(params.get("page"), 1), 1), per_page


def cyberwatch_offset(params, max_per_page):
    """Index of the first item of the requested Cyberwatch page."""
    page, per_page = cyberwatch_window(params, max_per_page)
    return (page - 1) * per_page


def cyberwatch_page(request, params, items, max_per_page):
    """Slice items for the request; return (page_items, headers) with X-* headers and the Link header."""
    page, per_page = cyberwatch_window(params, max_per_page)
    total = len(items)
    pages = max((total + per_page - 1) // per_page, 1)
    headers = {"X-Page": str(page), "X-Per-Page": str(per_page), "X-Total": str(total)}
    if pages > 1:
        # Only query-string parameters are carried into the links (body params never are), order first/prev/last/next.
        base = request.host_url.rstrip("/") + request.path
        args = list(request.args.items(multi=True))
        links = []
        if page > 1:
            links += [(1, "first"), (page - 1, "prev")]
        if page < pages:
            links += [(pages, "last"), (page + 1, "next")]
        if links:
            headers["Link"] = ", ".join('<%s>; rel="%s"' % (_page_url(base, args, num), rel) for num, rel in links)
    start = (page - 1) * per_page
    return items[start:start + per_page], headers


def drf_offset(request):
    """Index of the first item of the requested DRF page (0 for page 1 or an invalid page)."""
    page = as_int(request.args.get("page", "1"))
    return (page - 1) * DRF_PAGE_SIZE if page is not None and page > 1 else 0


def drf_page(request, items, next_host=None):
    """DRF page: (envelope dict without results rendered, page slice) or None for an invalid page."""
    raw = request.args.get("page", "1")
    page = as_int(raw)
    total = len(items)
    pages = max((total + DRF_PAGE_SIZE - 1) // DRF_PAGE_SIZE, 1)
    if page is None or page < 1 or page > pages:
        return None
    host = (next_host or request.host_url).rstrip("/")
    base = host + request.path
    args = list(request.args.items(multi=True))
    envelope = {"count": total,
                "next": _page_url(base, args, page + 1) if page < pages else None,
                "previous": None if page == 1 else _page_url(base, args, None if page == 2 else page - 1)}
    start = (page - 1) * DRF_PAGE_SIZE
    return envelope, items[start:start + DRF_PAGE_SIZE]
