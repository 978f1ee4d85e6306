"""The simulated Cyberwatch API's one route table: (METHOD, path, handler). Grep a path to find its handler.

A handler is handler(api, request, **path arguments) -> Response (api: the CyberwatchApi, its store and options);
it runs under the store lock and raises core.web.ApiError for an error answer. The current prefixed routes and the
legacy ones serve one store. Trailing slashes are accepted. A path that matches with another method -> 405.
"""

from core.web import json_response
from cyberwatch import (agents, airgap, applicative_scans, assets, compliance_rules, compliance_servers, cves,
                        discoveries, docker_images, groups, hosts, nodes, operating_systems, remote_accesses,
                        security_issues, server_actions, servers, stored_credentials, users)


def ping(api, request):
    """GET /api/v3/ping: {"uuid"}, the request id (also the X-Request-Id header). Answered without the lock."""
    del api
    return json_response({"uuid": request.environ["simulator.request_id"]})


ROUTES = (
    ("GET", "/api/v3/ping", ping),
    # servers (current, then legacy)
    ("GET", "/api/v3/vulnerabilities/servers", servers.index),
    ("GET", "/api/v3/vulnerabilities/servers/<item_id>", servers.show),
    ("PATCH", "/api/v3/vulnerabilities/servers/<item_id>", servers.update),
    ("PUT", "/api/v3/vulnerabilities/servers/<item_id>", servers.update),
    ("DELETE", "/api/v3/vulnerabilities/servers/<item_id>", servers.destroy),
    ("PUT", "/api/v3/vulnerabilities/servers/<item_id>/cve_announcements/<cve>", servers.update_cve),
    ("PUT", "/api/v3/vulnerabilities/servers/<item_id>/refresh", server_actions.refresh),
    ("POST", "/api/v3/vulnerabilities/servers/<item_id>/updates", server_actions.install_updates),
    ("PATCH", "/api/v3/vulnerabilities/servers/<item_id>/reboot", server_actions.reboot),
    ("POST", "/api/v3/vulnerabilities/servers/<item_id>/reboot", server_actions.reboot),
    ("GET", "/api/v3/servers", servers.index),
    ("GET", "/api/v3/servers/<item_id>", servers.show),
    ("PATCH", "/api/v3/servers/<item_id>", servers.update),
    ("PUT", "/api/v3/servers/<item_id>", servers.update),
    ("DELETE", "/api/v3/servers/<item_id>", servers.destroy),
    ("PUT", "/api/v3/servers/<item_id>/cve_announcements/<cve>", servers.update_cve),
    ("PUT", "/api/v3/servers/<item_id>/refresh", server_actions.refresh),
    ("POST", "/api/v3/servers/<item_id>/updates", server_actions.install_updates),
    ("PATCH", "/api/v3/servers/<item_id>/reboot", server_actions.reboot),
    ("POST", "/api/v3/servers/<item_id>/reboot", server_actions.reboot),
    # the asset view of the servers
    ("GET", "/api/v3/assets/servers", assets.index),
    ("GET", "/api/v3/assets/servers/<item_id>", assets.show),
    ("DELETE", "/api/v3/assets/servers/<item_id>", assets.destroy),
    # remote accesses (current, then legacy)
    ("GET", "/api/v3/assets/remote_accesses", remote_accesses.index),
    ("POST", "/api/v3/assets/remote_accesses", remote_accesses.create),
    ("GET", "/api/v3/assets/remote_accesses/<item_id>", remote_accesses.show),
    ("PATCH", "/api/v3/assets/remote_accesses/<item_id>", remote_accesses.update),
    ("DELETE", "/api/v3/assets/remote_accesses/<item_id>", remote_accesses.destroy),
    ("PUT", "/api/v3/assets/remote_accesses/<item_id>/test_deploy", remote_accesses.test_deploy),
    ("POST", "/api/v3/assets/remote_accesses/<item_id>/test_deploy", remote_accesses.test_deploy),
    ("GET", "/api/v3/remote_accesses", remote_accesses.index),
    ("POST", "/api/v3/remote_accesses", remote_accesses.create),
    ("GET", "/api/v3/remote_accesses/<item_id>", remote_accesses.show),
    ("PATCH", "/api/v3/remote_accesses/<item_id>", remote_accesses.update),
    ("DELETE", "/api/v3/remote_accesses/<item_id>", remote_accesses.destroy),
    ("PUT", "/api/v3/remote_accesses/<item_id>/test_deploy", remote_accesses.test_deploy),
    ("POST", "/api/v3/remote_accesses/<item_id>/test_deploy", remote_accesses.test_deploy),
    # groups (current, then legacy)
    ("GET", "/api/v3/assets/groups", groups.index),
    ("POST", "/api/v3/assets/groups", groups.create),
    ("GET", "/api/v3/assets/groups/<item_id>", groups.show),
    ("PUT", "/api/v3/assets/groups/<item_id>", groups.update),
    ("DELETE", "/api/v3/assets/groups/<item_id>", groups.destroy),
    ("GET", "/api/v3/groups", groups.index),
    ("POST", "/api/v3/groups", groups.create),
    ("GET", "/api/v3/groups/<item_id>", groups.show),
    ("PUT", "/api/v3/groups/<item_id>", groups.update),
    ("DELETE", "/api/v3/groups/<item_id>", groups.destroy),
    # CVE announcements (current, then legacy)
    ("GET", "/api/v3/vulnerabilities/cve_announcements", cves.index),
    ("GET", "/api/v3/vulnerabilities/cve_announcements/<item_id>", cves.show),
    ("PUT", "/api/v3/vulnerabilities/cve_announcements/<item_id>", cves.update),
    ("DELETE", "/api/v3/vulnerabilities/cve_announcements/<item_id>", cves.destroy),
    ("GET", "/api/v3/cve_announcements", cves.index),
    ("GET", "/api/v3/cve_announcements/<item_id>", cves.show),
    ("PUT", "/api/v3/cve_announcements/<item_id>", cves.update),
    ("DELETE", "/api/v3/cve_announcements/<item_id>", cves.destroy),
    # security issues (current, then legacy)
    ("GET", "/api/v3/vulnerabilities/security_issues", security_issues.index),
    ("POST", "/api/v3/vulnerabilities/security_issues", security_issues.create),
    ("GET", "/api/v3/vulnerabilities/security_issues/<item_id>", security_issues.show),
    ("PUT", "/api/v3/vulnerabilities/security_issues/<item_id>", security_issues.update),
    ("DELETE", "/api/v3/vulnerabilities/security_issues/<item_id>", security_issues.destroy),
    ("GET", "/api/v3/security_issues", security_issues.index),
    ("POST", "/api/v3/security_issues", security_issues.create),
    ("GET", "/api/v3/security_issues/<item_id>", security_issues.show),
    ("PUT", "/api/v3/security_issues/<item_id>", security_issues.update),
    ("DELETE", "/api/v3/security_issues/<item_id>", security_issues.destroy),
    # agents (current, then legacy)
    ("GET", "/api/v3/assets/agents", agents.index),
    ("GET", "/api/v3/assets/agents/<item_id>", agents.show),
    ("DELETE", "/api/v3/assets/agents/<item_id>", agents.destroy),
    ("GET", "/api/v3/agents", agents.index),
    ("GET", "/api/v3/agents/<item_id>", agents.show),
    ("DELETE", "/api/v3/agents/<item_id>", agents.destroy),
    # hosts, nodes, users
    ("GET", "/api/v3/hosts", hosts.index),
    ("POST", "/api/v3/hosts", hosts.create),
    ("GET", "/api/v3/hosts/<item_id>", hosts.show),
    ("PUT", "/api/v3/hosts/<item_id>", hosts.update),
    ("DELETE", "/api/v3/hosts/<item_id>", hosts.destroy),
    ("GET", "/api/v3/nodes", nodes.index),
    ("GET", "/api/v3/nodes/<item_id>", nodes.show),
    ("DELETE", "/api/v3/nodes/<item_id>", nodes.destroy),
    ("GET", "/api/v3/users", users.index),
    ("GET", "/api/v3/users/<item_id>", users.show),
    # compliance
    ("GET", "/api/v3/compliance/servers", compliance_servers.index),
    ("GET", "/api/v3/compliance/servers/<item_id>", compliance_servers.show),
    ("PUT", "/api/v3/compliance/servers/<item_id>", compliance_servers.update),
    ("PUT", "/api/v3/compliance/servers/<item_id>/recheck_rules", compliance_servers.recheck_rules),
    ("GET", "/api/v3/compliance/rules", compliance_rules.index),
    ("POST", "/api/v3/compliance/rules", compliance_rules.create),
    ("GET", "/api/v3/compliance/rules/<item_id>", compliance_rules.show),
    ("PUT", "/api/v3/compliance/rules/<item_id>", compliance_rules.update),
    ("DELETE", "/api/v3/compliance/rules/<item_id>", compliance_rules.destroy),
    ("PUT", "/api/v3/compliance/rules/<item_id>/recheck_servers", compliance_rules.recheck_servers),
    # docker images, applicative scans, discoveries, stored credentials, the OS list
    ("GET", "/api/v3/assets/docker_images", docker_images.index),
    ("POST", "/api/v3/assets/docker_images", docker_images.create),
    ("GET", "/api/v3/assets/docker_images/<item_id>", docker_images.show),
    ("PATCH", "/api/v3/assets/docker_images/<item_id>", docker_images.update),
    ("DELETE", "/api/v3/assets/docker_images/<item_id>", docker_images.destroy),
    ("GET", "/api/v3/assets/applicative_scans", applicative_scans.index),
    ("POST", "/api/v3/assets/applicative_scans", applicative_scans.create),
    ("GET", "/api/v3/assets/applicative_scans/<item_id>", applicative_scans.show),
    ("PATCH", "/api/v3/assets/applicative_scans/<item_id>", applicative_scans.update),
    ("DELETE", "/api/v3/assets/applicative_scans/<item_id>", applicative_scans.destroy),
    ("GET", "/api/v3/assets/discoveries", discoveries.index),
    ("GET", "/api/v3/assets/discoveries/<item_id>", discoveries.show),
    ("DELETE", "/api/v3/assets/discoveries/<item_id>", discoveries.destroy),
    ("PUT", "/api/v3/assets/discoveries/<item_id>/relaunch", discoveries.relaunch),
    ("GET", "/api/v3/assets/credentials", stored_credentials.index),
    ("POST", "/api/v3/assets/credentials", stored_credentials.create),
    ("GET", "/api/v3/assets/credentials/<item_id>", stored_credentials.show),
    ("PATCH", "/api/v3/assets/credentials/<item_id>", stored_credentials.update),
    ("DELETE", "/api/v3/assets/credentials/<item_id>", stored_credentials.destroy),
    ("GET", "/api/v3/os", operating_systems.index),
    ("GET", "/api/v3/os/<item_id>", operating_systems.show),
    # air-gapped scanning (API v2)
    ("GET", "/api/v2/cbw_scans/scripts", airgap.list_scripts),
    ("POST", "/api/v2/cbw_scans/scripts", airgap.upload),
    ("GET", "/api/v2/cbw_scans/scripts/<item_id>", airgap.show_script),
    ("GET", "/api/v2/compliances/scripts", airgap.compliance_script),
    ("POST", "/api/v2/compliances/scripts", airgap.compliance_upload),
)
