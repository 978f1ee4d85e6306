"""The old official client cbw-api-toolbox (pinned in tests/simulator/requirements.txt) works unchanged."""
# pylint: disable=redefined-outer-name

import importlib
import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

REQUIREMENTS = Path(__file__).resolve().parents[1] / "simulator" / "requirements.txt"
PARITY = Path(__file__).resolve().parents[2] / "docs" / "parity" / "toolbox_parity.py"


def _toolbox():
    """Import cbw_api_toolbox, installing the pinned version from the project file into this environment if needed."""
    try:
        return importlib.import_module("cbw_api_toolbox.cbw_api")
    except ImportError:
        pin = next(line.strip() for line in REQUIREMENTS.read_text().splitlines() if line.startswith("cbw-api-toolbox"))
        subprocess.run([sys.executable, "-m", "pip", "install", "-q", pin], check=True, timeout=300)
        importlib.invalidate_caches()
        return importlib.import_module("cbw_api_toolbox.cbw_api")


def _parity():
    """docs/parity/toolbox_parity.py: what a public API method of the toolbox is (shared with the parity table)."""
    spec = importlib.util.spec_from_file_location("toolbox_parity", PARITY)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


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


# Methods whose real answer is an error by design, with the reason: none. Every method has arguments for which the
# API answers without an error, and the run below uses those.
ERROR_BY_DESIGN = {}
CHECKS_UPLOAD = "IDENTIFIER_SCRIPT:3\nIDENTIFIER_HOSTNAME:parity-airgap.example.com\nHOSTNAME:parity-airgap.example.com\n" \
                "OS_ID:ubuntu\nOS_VERSION:22.04\nOS_PRETTYNAME:Ubuntu 22.04 LTS\nARCH:x86_64\n" \
                "PACKAGE:openssl|3.0.2-0ubuntu1\nSUCCESS:Script completed\n"


def _id(result, default="1"):
    """The id (a string) of a toolbox object or of the first item of a listing; default when the call failed."""
    if isinstance(result, list):
        result = result[0] if result else None
    return str(getattr(result, "id", None) or default)


def every_call():
    """(method, call) in a runnable order: each call takes the client and a dict of earlier results."""
    remote_access = {"type": "CbwRam::RemoteAccess::Ssh::WithPassword", "address": "10.99.0.1", "port": "22",
                     "login": "l", "password": "p", "key": "", "node_id": "1", "server_groups": "parity"}
    checks = [{"order": 1, "content": "check", "success": "ok", "failure": "ko"}]
    return [
        ("ping", lambda c, ctx: c.ping()),
        ("servers", lambda c, ctx: ctx.setdefault("servers", c.servers())),
        ("server", lambda c, ctx: ctx.setdefault("server", c.server("1"))),
        ("update_server", lambda c, ctx: c.update_server("1", {"description": "parity"})),
        ("update_server_cve", lambda c, ctx: c.update_server_cve(
            "1", ctx["server"].cve_announcements[0].cve_code if ctx["server"] else "CVE-2017-0146", {"comment": "x"})),
        ("server_refresh", lambda c, ctx: c.server_refresh("1")),
        ("server_schedule_updates", lambda c, ctx: c.server_schedule_updates("1", {})),
        ("server_reboot", lambda c, ctx: c.server_reboot("1")),
        ("delete_server", lambda c, ctx: c.delete_server("20")),
        ("assets", lambda c, ctx: c.assets()),
        ("asset", lambda c, ctx: c.asset("2")),
        ("delete_asset", lambda c, ctx: c.delete_asset("19")),
        ("agents", lambda c, ctx: ctx.setdefault("agents", c.agents())),
        ("agent", lambda c, ctx: c.agent(_id(ctx["agents"]))),
        ("delete_agent", lambda c, ctx: c.delete_agent(_id(ctx["agents"]))),
        ("stored_credentials", lambda c, ctx: c.stored_credentials()),
        ("create_stored_credential", lambda c, ctx: ctx.setdefault("credential", c.create_stored_credential(
            {"name": "parity-credential", "type": "CbwRam::StoredCredential::Ssh::WithPassword", "user": "u",
             "password": "s3cret"}))),
        ("stored_credential", lambda c, ctx: c.stored_credential(_id(ctx["credential"]))),
        ("update_stored_credential", lambda c, ctx: c.update_stored_credential(
            _id(ctx["credential"]), {"user": "v"})),
        ("remote_accesses", lambda c, ctx: c.remote_accesses()),
        ("create_remote_access", lambda c, ctx: ctx.setdefault("ra", c.create_remote_access(remote_access))),
        ("remote_access", lambda c, ctx: c.remote_access(_id(ctx["ra"]))),
        ("update_remote_access", lambda c, ctx: c.update_remote_access(
            _id(ctx["ra"]), {"port": "2222"})),
        ("test_deploy_remote_access", lambda c, ctx: c.test_deploy_remote_access(_id(ctx["ra"]))),
        ("delete_remote_access", lambda c, ctx: c.delete_remote_access(_id(ctx["ra"]))),
        ("delete_stored_credential", lambda c, ctx: c.delete_stored_credential(
            _id(ctx["credential"]))),
        ("cve_announcements", lambda c, ctx: c.cve_announcements({"level": "level_critical"})),
        ("cve_announcement", lambda c, ctx: c.cve_announcement("CVE-2017-0146")),
        ("update_cve_announcement", lambda c, ctx: c.update_cve_announcement("CVE-2017-0146", {
            "score_custom": 4.2, "access_vector": "access_vector_network", "access_complexity": "access_complexity_low",
            "privilege_required": "privilege_required_none", "user_interaction": "user_interaction_none",
            "scope": "scope_unchanged", "confidentiality_impact": "confidentiality_impact_high",
            "integrity_impact": "integrity_impact_high", "availability_impact": "availability_impact_high"})),
        ("delete_cve_announcement", lambda c, ctx: c.delete_cve_announcement("CVE-2017-0146")),
        ("groups", lambda c, ctx: c.groups()),
        ("create_group", lambda c, ctx: ctx.setdefault("group", c.create_group({"name": "parity-group", "description": "d"}))),
        ("group", lambda c, ctx: c.group(_id(ctx["group"]))),
        ("update_group", lambda c, ctx: c.update_group(_id(ctx["group"]), {"name": "parity-group-2", "description": "d"})),
        ("delete_group", lambda c, ctx: c.delete_group(_id(ctx["group"]))),
        ("users", lambda c, ctx: c.users()),
        ("user", lambda c, ctx: c.user("1")),
        ("nodes", lambda c, ctx: c.nodes()),
        ("node", lambda c, ctx: c.node("1")),
        ("hosts", lambda c, ctx: c.hosts()),
        ("create_host", lambda c, ctx: ctx.setdefault("host", c.create_host({"target": "192.0.2.99", "node_id": "1"}))),
        ("host", lambda c, ctx: c.host(_id(ctx["host"]))),
        ("update_host", lambda c, ctx: c.update_host(
            _id(ctx["host"]), {"target": "192.0.2.99", "node_id": "1", "category": "other"})),
        ("delete_host", lambda c, ctx: c.delete_host(_id(ctx["host"]))),
        ("security_issues", lambda c, ctx: c.security_issues()),
        ("create_security_issue", lambda c, ctx: ctx.setdefault("issue", c.create_security_issue(
            {"sid": "parity-issue", "level": "level_high", "title": "Parity", "description": "d",
             "type": "SecurityIssues::Custom"}))),
        ("security_issue", lambda c, ctx: c.security_issue(_id(ctx["issue"]))),
        ("update_security_issue", lambda c, ctx: c.update_security_issue(
            _id(ctx["issue"]), {"level": "level_low"})),
        ("delete_security_issue", lambda c, ctx: c.delete_security_issue(_id(ctx["issue"]))),
        ("compliance_servers", lambda c, ctx: c.compliance_servers({"environment_id": "2"})),
        ("compliance_server", lambda c, ctx: c.compliance_server("2")),
        ("update_compliance_server", lambda c, ctx: c.update_compliance_server("4", {"compliance_groups": [4]})),
        ("recheck_rules", lambda c, ctx: c.recheck_rules("2")),
        ("compliance_rules", lambda c, ctx: c.compliance_rules({"page": 1, "per_page": 20})),
        ("create_compliance_rule", lambda c, ctx: ctx.setdefault("rule", c.create_compliance_rule(
            {"code": "PARITY-001", "name": "parity", "equation": "1", "checks": checks, "os": ["ubuntu_2204_64"]}))),
        ("compliance_rule", lambda c, ctx: c.compliance_rule(_id(ctx["rule"]))),
        ("update_compliance_rule", lambda c, ctx: c.update_compliance_rule(
            _id(ctx["rule"]), {"description": "parity"})),
        ("recheck_servers", lambda c, ctx: c.recheck_servers(_id(ctx["rule"]))),
        ("delete_compliance_rule", lambda c, ctx: c.delete_compliance_rule(_id(ctx["rule"]))),
        ("docker_images", lambda c, ctx: c.docker_images()),
        ("create_docker_image", lambda c, ctx: ctx.setdefault("image", c.create_docker_image(
            {"image_name": "library/debian", "image_tag": "parity", "node_id": "1", "docker_registry_id": "1",
             "docker_engine_id": "4"}))),
        ("docker_image", lambda c, ctx: c.docker_image(_id(ctx["image"]))),
        ("update_docker_image", lambda c, ctx: c.update_docker_image(
            _id(ctx["image"]), {"image_tag": "parity-2"})),
        ("delete_docker_image", lambda c, ctx: c.delete_docker_image(_id(ctx["image"]))),
        ("applicative_scans", lambda c, ctx: c.applicative_scans()),
        ("create_applicative_scan", lambda c, ctx: ctx.setdefault("scan", c.create_applicative_scan(
            {"target": "https://parity.example.com", "node_id": "1"}))),
        ("applicative_scan", lambda c, ctx: c.applicative_scan(_id(ctx["scan"]))),
        ("update_applicative_scan", lambda c, ctx: c.update_applicative_scan(
            _id(ctx["scan"]), {"target": "10.9.9.9"})),
        ("delete_applicative_scan", lambda c, ctx: c.delete_applicative_scan(_id(ctx["scan"]))),
        ("operating_systems", lambda c, ctx: c.operating_systems()),
        ("discoveries", lambda c, ctx: ctx.setdefault("discoveries", c.discoveries())),
        ("relaunch_discovery", lambda c, ctx: c.relaunch_discovery(_id(ctx["discoveries"]))),
        ("delete_discovery", lambda c, ctx: c.delete_discovery(_id(ctx["discoveries"]))),
        ("fetch_airgapped_scripts", lambda c, ctx: ctx.setdefault("scripts", c.fetch_airgapped_scripts({"os": "ubuntu_2204_64"}))),
        ("fetch_airgapped_script", lambda c, ctx: c.fetch_airgapped_script(_id(ctx["scripts"]))),
        ("upload_airgapped_results", lambda c, ctx: c.upload_airgapped_results({"output": CHECKS_UPLOAD, "groups": "parity"})),
        ("fetch_compliance_airgapped_scripts", lambda c, ctx: c.fetch_compliance_airgapped_scripts({"os": "ubuntu_2204_64"})),
        ("upload_compliance_airgapped_results", lambda c, ctx: c.upload_compliance_airgapped_results(
            {"output": CHECKS_UPLOAD.replace("IDENTIFIER_SCRIPT:3", "IDENTIFIER_SCRIPT:compliance")})),
        ("delete_node", lambda c, ctx: c.delete_node("3", {"new_id": "1"})),
    ]


def test_every_api_method_answers_without_an_error(sim):
    """cbw-api-toolbox, unchanged, calls each of its public API methods against a fresh simulator: every request it
    sends gets a non-error answer (ERROR_BY_DESIGN lists the exceptions). The methods come from the toolbox by
    introspection (the definition the parity table uses), so a new toolbox method fails this test until it is called."""
    sim.reset()
    module = _toolbox()
    client = module.CBWApi(sim.cyberwatch["api_url"], sim.cyberwatch["api_key"], sim.cyberwatch["secret_key"])
    calls = every_call()
    assert sorted(name for name, _call in calls) == sorted(_parity().api_methods(module.CBWApi)), \
        "every_call() must call each public API method of CBWApi once"
    ctx, failures, since = {}, {}, len(sim.requests())
    for name, call in calls:
        try:
            call(client, ctx)
            error = None
        except (Exception, SystemExit) as exc:  # pylint: disable=broad-except  # the toolbox may sys.exit()
            error = "raised %r" % exc
        answers = sim.requests(since)
        since += len(answers)
        bad = ["%s %s -> %s" % (entry["method"], entry["path"], entry["status"]) for entry in answers
               if entry["status"] >= 400]
        if error or bad or not answers:
            failures[name] = "; ".join(bad or [error or "sent no request"])
    unexpected = {name: why for name, why in failures.items() if name not in ERROR_BY_DESIGN}
    assert not unexpected, "toolbox methods answered with an error:\n  " + "\n  ".join(
        "%s: %s" % item for item in sorted(unexpected.items()))
    assert set(failures) == set(ERROR_BY_DESIGN), "no longer an error: %s" % sorted(set(ERROR_BY_DESIGN) - set(failures))
