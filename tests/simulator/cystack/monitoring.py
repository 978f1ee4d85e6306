"""A target's monitoring: /v1/targets/{id}/monitoring (GET, PUT) and /v1/targets/{id}/monitor_result (GET).

Documented (reference/cystack_api.md, Q11): PUT accepts any subset of interval (positive int), is_activated (bool
or 0/1) and notifications (list of ints), 400 DRF field errors otherwise, the answer echoes the stored settings.
Invented: monitor_result's 30 checks, one per interval minutes, deterministic per (seed, target, check time).
"""

import hashlib
import random

from core.web import as_int, json_body, json_response
from cystack.common import get


def show(api, request, tid):
    """GET monitoring: the stored settings."""
    del request
    return json_response(dict(get(api.store, "targets", tid)["monitoring"]))


def update(api, request, tid):
    """PUT monitoring: any subset of the three fields."""
    settings = get(api.store, "targets", tid)["monitoring"]
    body = json_body(request)
    errors = {}
    if "interval" in body:
        interval = as_int(body["interval"])
        if interval is None or isinstance(body["interval"], bool):
            errors["interval"] = ["A valid integer is required."]
        elif interval < 1:
            errors["interval"] = ["Ensure this value is greater than or equal to 1."]
    if "is_activated" in body and body["is_activated"] not in (True, False, 0, 1, "true", "false"):
        errors["is_activated"] = ["Must be a valid boolean."]
    notes = body.get("notifications", [])
    if not isinstance(notes, list) or any(as_int(n) is None for n in notes):
        errors["notifications"] = ["Expected a list of integers."]
    if errors:
        return json_response(errors, 400)
    if "interval" in body:
        settings["interval"] = as_int(body["interval"])
    if "is_activated" in body:
        settings["is_activated"] = body["is_activated"] in (True, 1, "true")
    if "notifications" in body:
        settings["notifications"] = [as_int(n) for n in notes]
    return json_response(dict(settings))


def results(seed, record, now):
    """About 30 recent up/down checks, one per interval, deterministic for (seed, target, check time)."""
    interval = max(int(record["monitoring"]["interval"]), 1) * 60
    last = int(now) // interval * interval
    found = []
    for step in range(30):
        start = last - step * interval
        rng = random.Random("%s-%s-%d" % (seed, record["id"], start))
        is_up = rng.random() > 0.1
        oid = "%08x%s" % (start, hashlib.sha1(("%s%d" % (record["id"], start)).encode()).hexdigest()[:16])
        found.append({"url": record["address"], "status_code": 200 if is_up else rng.choice((502, 503, 0)),
                      "start_time": start, "target_id": record["id"], "is_up": is_up, "timeout": 30, "id": oid,
                      "response_time": round(rng.uniform(0.05, 1.5), 6) if is_up else 30.0,
                      "notify": not is_up})
    return found


def monitor_result(api, request, tid):
    """GET monitor_result: bare array of the last ~30 checks."""
    del request
    return json_response(results(api.store.seed, get(api.store, "targets", tid), api.store.now()))
