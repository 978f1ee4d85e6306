"""Docker images: /api/v3/assets/docker_images. Recorded: the shape {id, image_name, image_tag, docker_registry_id,
docker_engine_id, node_id, server_id}, ids given as strings or ints. Invented: image_name required, image_tag
defaulting to latest, no server for a new or seeded image."""

from core.web import ApiError, as_int, json_body, json_response
from cyberwatch import nodes
from cyberwatch.common import destroy_of, find, index_of, show_of

MODEL = "CbwRam::DockerImage"
HOSTILE_FIELDS = ("image_name", "image_tag")


def seed(store):
    """alpine, nginx and mysql on node 1."""
    images = (("library/alpine", "latest"), ("library/nginx", "1.25"), ("library/mysql", "latest"))
    for did, (name, tag) in enumerate(images, start=1):
        store.docker_images[did] = {"id": did, "image_name": name, "image_tag": tag, "docker_registry_id": 1,
                                    "docker_engine_id": 4, "node_id": 1, "server_id": None}


def _fields(store, record, body):
    for key in ("image_name", "image_tag"):
        if key in body:
            record[key] = body[key]
    for key in ("docker_registry_id", "docker_engine_id"):
        if key in body:
            record[key] = as_int(body[key])
    record["node_id"] = nodes.node_id(store, body, record["node_id"])
    if not str(record["image_name"] or "").strip():
        raise ApiError(422, "Validation failed: Image name can't be blank")
    return record


def create(api, request):
    """POST docker image."""
    record = _fields(api.store, {"id": None, "image_name": None, "image_tag": "latest", "docker_registry_id": None,
                                 "docker_engine_id": None, "node_id": 1, "server_id": None}, json_body(request))
    record["id"] = api.store.new_id("docker_images")
    api.store.docker_images[record["id"]] = record
    return json_response(dict(record), 201)


def update(api, request, item_id):
    """PATCH docker image (validated on a copy: a refused body changes nothing)."""
    record = find(api.store, "docker_images", item_id, MODEL)
    record.update(_fields(api.store, dict(record), json_body(request)))
    return json_response(dict(record))


# GET list (no filter), GET {id}, DELETE {id} (200 with the record)
index = index_of("docker_images", dict)
show = show_of("docker_images", MODEL, dict)
destroy = destroy_of("docker_images", MODEL, dict)
