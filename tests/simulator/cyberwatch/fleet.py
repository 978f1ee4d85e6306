"""The Cyberwatch part of the seeded fleet: the order in which the resources seed (the CVE catalogue and the servers
draw from one RNG, so the order is part of the fleet) and the order of their hostile fields (a field's payload
offset is given when it is first met, core/hostile.py). Each resource's data is in its own file."""

from cyberwatch import (agents, applicative_scans, compliance_catalogue, cves, discoveries, docker_images,
                        environments, groups, hosts, nodes, operating_systems, remote_accesses, security_issues,
                        servers, stored_credentials, users)


def seed(store, rng, server_count):
    """Every Cyberwatch table of a fresh store."""
    groups.seed(store)
    environments.seed(store)
    nodes.seed(store)
    users.seed(store)
    cves.seed(store, rng, max(60, min(server_count // 4, 600)))
    store.tables["rule_groups"] = compliance_catalogue.rule_groups()
    store.tables["compliance_rules"] = compliance_catalogue.rules()
    servers.seed(store, rng, server_count)
    remote_accesses.seed(store, server_count)
    hosts.seed(store, server_count)
    agents.seed(store, server_count)
    docker_images.seed(store)
    applicative_scans.seed(store)
    stored_credentials.seed(store)
    operating_systems.seed(store, servers.OSES + (servers.WINDOWS_OS,))
    discoveries.seed(store)
    security_issues.seed(store)


def make_hostile(store, payloads):
    """Every free-text string of the Cyberwatch tables becomes a payload (not the compliance catalogue: shared
    vendor content)."""
    for table, fields in (("groups", groups.HOSTILE_FIELDS), ("environments", environments.HOSTILE_FIELDS),
                          ("nodes", nodes.HOSTILE_FIELDS), ("users", users.HOSTILE_FIELDS),
                          ("remote_accesses", remote_accesses.HOSTILE_FIELDS), ("hosts", hosts.HOSTILE_FIELDS),
                          ("agents", agents.HOSTILE_FIELDS), ("docker_images", docker_images.HOSTILE_FIELDS),
                          ("applicative_scans", applicative_scans.HOSTILE_FIELDS),
                          ("discoveries", discoveries.HOSTILE_FIELDS),
                          ("stored_credentials", stored_credentials.HOSTILE_FIELDS),
                          ("security_issues", security_issues.HOSTILE_FIELDS), ("os", operating_systems.HOSTILE_FIELDS)):
        payloads.replace(store, table, fields)
    cves.make_hostile(store, payloads)
    servers.make_hostile(store, payloads)
