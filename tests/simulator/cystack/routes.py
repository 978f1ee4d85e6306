"""The simulated CyStack API's one route table: (METHOD, path, handler). Grep a path to find its handler.

A handler is handler(api, request, **path arguments) -> Response (api: the CyStackApi, its store, lifecycle and
next_host); it runs under the store lock and raises core.web.ApiError for a {"detail"} answer. Trailing slashes are
accepted. A path that matches with another method -> 405. Notifications (Q7) and traffics (Q8) are not served.
"""

from cystack import monitoring, scans, targets, vulnerabilities

ROUTES = (
    ("GET", "/v1/targets", targets.index),
    ("GET", "/v1/targets/<tid>", targets.show),
    ("GET", "/v1/targets/<tid>/monitoring", monitoring.show),
    ("PUT", "/v1/targets/<tid>/monitoring", monitoring.update),
    ("GET", "/v1/targets/<tid>/monitor_result", monitoring.monitor_result),
    ("GET", "/v1/scans", scans.index),
    ("POST", "/v1/scans", scans.create),
    ("GET", "/v1/scans/<sid>", scans.show),
    ("DELETE", "/v1/scans/<sid>", scans.destroy),
    ("GET", "/v1/scans/<sid>/stop", scans.stop),
    ("GET", "/v1/vulnerabilities", vulnerabilities.index),
    ("GET", "/v1/vulnerabilities/<vid>", vulnerabilities.show),
    ("PUT", "/v1/vulnerabilities/<vid>", vulnerabilities.update),
)
