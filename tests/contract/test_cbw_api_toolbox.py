"""The old official client cbw-api-toolbox (pinned in tests/simulator/requirements.txt) works unchanged."""
# pylint: disable=redefined-outer-name

import importlib
import subprocess
import sys
from pathlib import Path

import pytest

REQUIREMENTS = Path(__file__).resolve().parents[1] / "simulator" / "requirements.txt"


def _toolbox():
    """Import cbw_api_toolbox, installing the pinned version from the project file into this environment if needed."""
    try:
        return importlib.import_module("cbw_api_toolbox.cbw_api")
    except ImportError:
        pin = next(line.strip() for line in REQUIREMENTS.read_text().splitlines() if line.startswith("cbw-api-toolbox"))
        subprocess.run([sys.executable, "-m", "pip", "install", "-q", pin], check=True, timeout=300)
        importlib.invalidate_caches()
        return importlib.import_module("cbw_api_toolbox.cbw_api")


@pytest.fixture(scope="module")
def client(sim):
    sim.reset()
    module = _toolbox()
    return module.CBWApi(sim.cyberwatch["api_url"], sim.cyberwatch["api_key"], sim.cyberwatch["secret_key"])


def test_ping_servers_and_server_updates(client):
    assert client.ping() is True
    servers = client.servers()
    assert len(servers) == 20
    server = client.server(str(servers[0].id))
    assert server.hostname == servers[0].hostname and server.cve_announcements_count == len(
        [c for c in server.cve_announcements if c.fixed_at is None])
    assert client.servers({"hostname": server.hostname})[0].id == server.id
    assert client.update_server(str(server.id), {"groups": [2], "description": "via toolbox"}) is True
    updated = client.server(str(server.id))
    assert updated.description == "via toolbox" and [g.id for g in updated.groups] == [2]
    assert client.delete_server(str(servers[-1].id)) is True
    assert len(client.servers()) == 19


def test_remote_access_crud_and_test_deploy(client):
    created = client.create_remote_access({"type": "CbwRam::RemoteAccess::Ssh::WithPassword", "address": "10.20.30.40",
                                           "port": "22", "login": "l", "password": "p", "key": "", "node_id": "1",
                                           "server_groups": "prod, toolbox"})
    assert created.address == "10.20.30.40" and created.is_valid is None
    assert created.id in [ra.id for ra in client.remote_accesses()]
    assert client.remote_access(str(created.id)).port == 22
    updated = client.update_remote_access(str(created.id), {"address": "10.20.30.41", "port": "2222"})
    assert updated.address == "10.20.30.41" and updated.port == 2222
    assert client.test_deploy_remote_access(str(created.id)).is_valid is None
    assert client.delete_remote_access(str(created.id)) is True


def test_groups_hosts_nodes_users_cves(client):
    group = client.create_group({"name": "toolbox-group", "description": "d"})
    assert client.group(str(group.id)).name == "toolbox-group"
    assert client.update_group(str(group.id), {"name": "renamed", "description": "x"}).name == "renamed"
    assert "renamed" in [g.name for g in client.groups()]
    assert client.delete_group(str(group.id)).id == group.id
    host = client.create_host({"target": "192.0.2.80", "node_id": "1"})
    assert client.host(str(host.id)).target == "192.0.2.80"
    assert client.update_host(str(host.id), {"target": "192.0.2.81", "category": "other"}).target == "192.0.2.80"
    assert host.id in [h.id for h in client.hosts()]
    assert client.delete_host(str(host.id)).id == host.id
    assert [n.name for n in client.nodes()][0] == "master" and client.node("1").name == "master"
    assert client.delete_node("3", {"new_id": "1"}).id == 3
    assert {u.auth_provider for u in client.users({"auth_provider": "ldap"})} == {"ldap"}
    assert client.user("1").id == 1
    cve = client.cve_announcement("CVE-2017-0146")
    assert cve.cve_code == "CVE-2017-0146"
