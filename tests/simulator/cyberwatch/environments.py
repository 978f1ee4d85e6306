"""Environments (no route: a server's `environment`). Recorded: the short shape {id, name,
confidentiality_requirement, integrity_requirement, availability_requirement}; the long one is not reproduced."""

NAMES = ("Low", "Medium", "High")
HOSTILE_FIELDS = ("name",)


def seed(store):
    """Low, Medium, High, with the matching requirements."""
    for eid, name in enumerate(NAMES, start=1):
        req = name.lower()
        store.environments[eid] = {
            "id": eid, "name": name, "confidentiality_requirement": "confidentiality_requirement_" + req,
            "integrity_requirement": "integrity_requirement_" + req, "availability_requirement": "availability_requirement_" + req}


def render(store, eid):
    """Environment object of a server, or None."""
    env = store.environments.get(eid)
    return dict(env) if env else None
