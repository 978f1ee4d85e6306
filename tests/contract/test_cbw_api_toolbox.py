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


def test_compliance_rules_servers_and_rechecks(client):
    rules = client.compliance_rules()
    assert len(rules) == 4646 and len({rule.code for rule in rules}) == 4646
    assert client.compliance_rule("6885").code == "SBP-LIN-01-001-cron" and client.compliance_rule("6890") is None
    checks = [{"order": num, "content": "check %d" % num, "success": "ok", "failure": "ko"} for num in (1, 2)]
    created = client.create_compliance_rule({"code": "TOOLBOX-001", "name": "toolbox rule", "equation": "(1 && 2)",
                                             "checks": checks, "os": ["ubuntu_2204_64"], "rule_groups": [4]})
    assert created.type == "CbwCompliance::Rules::Custom" and created.level == "minimal"
    assert [check.order for check in created.checks] == [1, 2] and [o.key for o in created.os] == ["ubuntu_2204_64"]
    assert client.create_compliance_rule({"code": "TOOLBOX-001", "name": "same code"}) is None
    assert client.update_compliance_rule(str(created.id), {"description": "via toolbox"}) is True
    detail = client.compliance_rule(str(created.id))
    assert detail.description == "via toolbox" and 2 in [server.id for server in detail.servers]
    assert {server.status for server in client.recheck_servers(str(created.id)).servers} == {"gen_analyzing"}
    server = client.compliance_server("2")
    assert server.os.key == "ubuntu_2204_64" and created.id in [rule.id for rule in server.rules]
    assert server.compliance_rules_count == len(server.rules)
    assert client.recheck_rules("2").status == "gen_analyzing"
    listed = client.compliance_servers({"environment_id": str(server.environment.id)})
    assert server.id in [item.id for item in listed] and {item.environment.id for item in listed} == {server.environment.id}
    moved = client.update_compliance_server("4", {"compliance_groups": [4]})
    assert [group.name for group in moved.compliance_groups] == ["Security_Best_Practices"]
    assert client.delete_compliance_rule(str(created.id)) is True
    assert client.compliance_rule(str(created.id)) is None


def test_docker_images_and_applicative_scans(client):
    image = client.create_docker_image({"image_name": "library/debian", "image_tag": "bookworm", "node_id": "1",
                                        "docker_registry_id": "1", "docker_engine_id": "4"})
    assert image.image_tag == "bookworm" and image.docker_registry_id == 1
    assert client.update_docker_image(str(image.id), {"image_tag": "latest"}) is True
    assert client.docker_image(str(image.id)).image_tag == "latest"
    assert image.id in [item.id for item in client.docker_images()]
    assert client.delete_docker_image(str(image.id)) is True and client.docker_image(str(image.id)) is None
    scan = client.create_applicative_scan({"target": "https://toolbox.example.com", "node_id": "1"})
    assert scan.target == "https://toolbox.example.com"
    assert client.update_applicative_scan(str(scan.id), {"target": "invalid@target"}) is False
    assert client.update_applicative_scan(str(scan.id), {"target": "10.1.2.3"}) is True
    assert client.applicative_scan(str(scan.id)).target == "10.1.2.3"
    assert scan.id in [item.id for item in client.applicative_scans()]
    assert client.delete_applicative_scan(str(scan.id)) is True
