"""The hostile fleet (--hostile, issue 19): the payloads every free-text string of both APIs becomes.

Each platform's resources say which of their fields carry a payload (make_hostile in cyberwatch/fleet.py and
cystack/fleet.py, in one order: a field's offset is given when it is first met, so the order is part of the fleet).
"""

import re

# The hostile fleet (--hostile): every free-text string the APIs serve is one of these payloads. Each kind that runs
# something would create the file <markers>/<field>.<kind> (field: where the string was served, e.g.
# server-3-hostname), so a test that finds the marker directory empty knows that no payload ran.
HOSTILE_KINDS = ("jinja_lookup", "jinja_statement", "jinja_query", "shell_subst", "shell_backtick", "shell_semicolon",
                 "traversal", "localhost", "loopback", "all", "ungrouped", "group", "cystack_group", "comma", "glob",
                 "negation", "dash", "control", "markup", "huge")
HOSTILE_SIZE = 100 * 1024
DEFAULT_MARKERS = "/tmp/vulnmgmt-hostile-markers"
SAFE_MARKERS = re.compile(r"/[A-Za-z0-9_./-]+\Z")  # inserted unquoted into shell payloads


def hostile_string(kind, field, markers=DEFAULT_MARKERS):
    """The payload of a kind, served in field; a payload that ran would create <markers>/<field>.<kind>."""
    touch = "touch %s/%s.%s" % (markers, field, kind)
    payloads = {
        "jinja_lookup": "{{ lookup('ansible.builtin.pipe', '%s') }}" % touch,
        "jinja_statement": "{%% set x = lookup('pipe', '%s') %%}{{ x }}" % touch,
        "jinja_query": "x{{ query('pipe', '%s') | join }}.example.com" % touch,
        "shell_subst": "$(%s)" % touch,
        "shell_backtick": "`%s`" % touch,
        "shell_semicolon": "a;%s;#" % touch.replace(" ", "${IFS}"),
        "traversal": "../../../../etc/passwd",
        "localhost": "localhost",
        "loopback": "127.0.0.1",
        "all": "all",
        "ungrouped": "ungrouped",
        "group": "cyberwatch_vulnerable",  # a group the Cyberwatch inventory plugin makes
        "cystack_group": "cystack_unverified",  # one the CyStack inventory plugin makes
        "comma": "web-01,db-01",
        "glob": "web*",
        "negation": "!db-01",
        "dash": "-oProxyCommand=%s" % touch.replace(" ", "${IFS}"),
        "control": "ctl\x00\x07\x08\x1b[31mred\x1b[0m\x1b]0;title\x07\r\nfatal: [injected]\x7f\u2028\u202eevil",
        "markup": "<b>&amp;</b>]]></failure><!-- | *x* | [l](javascript:alert(1)) <script>alert(1)</script>",
    }
    if kind == "huge":
        head = payloads["jinja_lookup"].replace(".jinja_lookup", ".huge")
        return head + "A" * (HOSTILE_SIZE - len(head))
    return payloads[kind]


class Payloads:
    """Hands out payloads deterministically: record i of a table gets kind (i + field offset) % len(HOSTILE_KINDS),
    so each field holds every kind over len(HOSTILE_KINDS) records. One instance serves a whole fleet."""

    def __init__(self, markers):
        self.markers = markers
        self.offsets = {}

    def payload(self, table, index, field):
        """The payload of record index of table in field."""
        offset = self.offsets.setdefault(field, len(self.offsets) * 7)
        kind = HOSTILE_KINDS[(index + offset) % len(HOSTILE_KINDS)]
        return hostile_string(kind, "%s-%s-%s" % (table, index, field.replace("_", "")), self.markers)

    def replace(self, store, table, fields):
        """Every non-null value of fields in every record of table becomes a payload."""
        for index, record in enumerate(store.tables[table].values()):
            for field in fields:
                if record.get(field) is not None:
                    record[field] = self.payload(table, index, field)
