"""Users: /api/v3/users (read only). Recorded: the shape; filter `auth_provider`."""

from core.web import json_response
from cyberwatch.common import find, listing, matching

MODEL = "User"
HOSTILE_FIELDS = ("login", "email", "name", "firstname", "description")
FILTERS = {"auth_provider": lambda row, value: str(row["auth_provider"]) == str(value)}


def seed(store):
    """Four users, two local and two LDAP."""
    users = (("admin@example.com", "local_password", "Admin", "Alice"), ("bob", "ldap", "Martin", "Bob"),
             ("carol@example.com", "local_password", "Durand", "Carol"), ("dave", "ldap", "Smith", "Dave"))
    for uid, (login, provider, name, first) in enumerate(users, start=1):
        email = login if "@" in login else login + "@corp.example.com"
        store.users[uid] = {"id": uid, "login": login, "email": email, "name": name, "firstname": first, "locale": "en",
                            "auth_provider": provider, "description": "", "server_groups": []}


def index(api, request):
    """GET users[?auth_provider=]."""
    return listing(api, request, lambda store, query: matching(list(store.users.values()), query, FILTERS), dict)


def show(api, request, item_id):
    """GET users/{id}: every stored field."""
    del request
    return json_response(dict(find(api.store, "users", item_id, MODEL)))
