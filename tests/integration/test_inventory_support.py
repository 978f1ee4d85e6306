"""Helpers shared by the inventory-plugin integration tests (no tests here)."""

import json
import re

# What AWX sets for an inventory update (awx/main/constants.py STANDARD_INVENTORY_UPDATE_ENV): a failed source is fatal.
AWX_ENV = {'ANSIBLE_INVENTORY_UNPARSED_FAILED': 'True', 'ANSIBLE_INVENTORY_EXPORT': 'True',
           'ANSIBLE_VERBOSE_TO_STDERR': 'True'}
FAIL_ENV = {'ANSIBLE_INVENTORY_UNPARSED_FAILED': 'True'}


def plain(value):
    """ansible-inventory 2.19 marks API strings as {"__ansible_unsafe": ...}: unwrap them."""
    if isinstance(value, dict):
        if set(value) == {'__ansible_unsafe'}:
            return value['__ansible_unsafe']
        return dict((k, plain(v)) for k, v in value.items())
    if isinstance(value, list):
        return [plain(v) for v in value]
    return value


class Inventory:
    """Parsed `ansible-inventory --list` output."""

    def __init__(self, proc):
        self.proc = proc
        self.data = plain(json.loads(proc.stdout))
        self.hostvars = self.data.get('_meta', {}).get('hostvars', {})

    @property
    def hosts(self):
        return set(self.hostvars)

    def group(self, name):
        """Hosts of a group and of its children."""
        entry = self.data.get(name) or {}
        hosts = set(entry.get('hosts', ()))
        for child in entry.get('children', ()):
            hosts |= self.group(child)
        return hosts

    @property
    def groups(self):
        return set(k for k in self.data if k != '_meta')


def source(plugin, **options):
    """YAML text of an inventory source (JSON is YAML)."""
    options = dict({'plugin': 'secops.vulnmgmt.' + plugin}, **options)
    return json.dumps(options, indent=2)


def api_requests(sim, prefix):
    """Logged API requests whose path starts with prefix."""
    return [r for r in sim.requests() if r['path'].startswith(prefix)]


def run_list(ansible, plugin, name='test', args=('--list',), env=None, check=True, warnings=(), **options):
    """Write <name>.<plugin>.yml and run ansible-inventory on it."""
    return ansible.inventory(source(plugin, **options), '%s.%s.yml' % (name, plugin), args=args, env=env,
                             check=check, warnings=warnings)


def source_failed(reason):
    """The warnings of a failed source: ansible-core reports the plugin's error as a warning, then that it could not
    parse the file (and, with ANSIBLE_INVENTORY_UNPARSED_FAILED, stops with `No inventory was parsed`)."""
    return (reason, 'Unable to parse')


def assert_failed_cleanly(proc, *fragments):
    """A failed source: non-zero rc, the message fragments on stderr, no host on stdout."""
    assert proc.returncode != 0, proc.stdout[-2000:]
    text = re.sub(r'\s+', ' ', proc.stderr)
    for fragment in fragments:
        assert fragment in text, proc.stderr[-4000:]
    assert '_meta' not in proc.stdout and 'hostvars' not in proc.stdout


def cyberwatch_servers(sim, client):
    """Every server as the API lists it (reference data); the log is cleared afterwards."""
    servers = client.list('server', per_page=500)
    sim.clear_requests()
    return dict((s['id'], s) for s in servers)
