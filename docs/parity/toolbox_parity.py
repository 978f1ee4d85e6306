"""The parity table with cbw-api-toolbox (docs/parity/cbw_api_toolbox.yml): its checks and its docs page.

    python docs/parity/toolbox_parity.py            writes docs/docsite/rst/parity.rst from the table
    python docs/parity/toolbox_parity.py --check    fails when the table or the page disagree with the collection

The toolbox (pinned in tests/simulator/requirements.txt) is read by introspection: its public API methods, and the
verb and route each one sends (from its source, so the page cannot drift from the pinned version). Plugins are read
as files (module DOCUMENTATION, roles' meta/argument_specs.yml), never imported through ansible-core.
"""

import argparse
import ast
import functools
import inspect
import sys
import textwrap
from pathlib import Path

import yaml

COLLECTION = Path(__file__).resolve().parents[2]
TABLE = COLLECTION / 'docs' / 'parity' / 'cbw_api_toolbox.yml'
PAGE = COLLECTION / 'docs' / 'docsite' / 'rst' / 'parity.rst'
NAMESPACE = 'secops.vulnmgmt'
KINDS = ('module', 'inventory', 'role')
SENDERS = ('_request', '_get_pages')  # the CBWApi helpers that send a request


def toolbox_class():
    from cbw_api_toolbox.cbw_api import CBWApi  # pylint: disable=import-outside-toplevel
    return CBWApi


def _sender_calls(function):
    """The calls to self._request / self._get_pages in a function's source."""
    tree = ast.parse(textwrap.dedent(inspect.getsource(function)))
    return [node for node in ast.walk(tree) if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
            and node.func.attr in SENDERS and isinstance(node.func.value, ast.Name) and node.func.value.id == 'self']


def api_methods(cls=None):
    """{name: function} of the public API methods, in source order: public instance methods that send a request."""
    cls = cls or toolbox_class()
    methods = {}
    for name, value in vars(cls).items():
        if name.startswith('_') or not inspect.isfunction(value) or not _sender_calls(value):
            continue
        methods[name] = value
    return methods


def route(function):
    """'VERB /path/{arg}' of the request a toolbox method sends, from its source and the toolbox's route constants."""
    constants = function.__globals__
    call = _sender_calls(function)[0]
    verb, parts = call.args[0].value, []
    for element in call.args[1].elts:
        if isinstance(element, ast.Constant):
            parts.append(element.value)
        elif element.id.startswith('ROUTE_'):
            parts.append(constants[element.id])
        else:
            parts.append('{%s}' % element.id)
    return '%s %s' % (verb, '/'.join(part.strip('/') if index else part.rstrip('/') for index, part in enumerate(parts)))


def load_table(path=TABLE):
    return yaml.safe_load(Path(path).read_text())


def home(entry):
    """(kind, name) of an entry's home, None when it names none or several."""
    found = [(kind, entry[kind]) for kind in KINDS if entry.get(kind)]
    return found[0] if len(found) == 1 else None


def _assigned_string(path, name, class_name=None):
    body = ast.parse(path.read_text()).body
    if class_name:
        body = next((node.body for node in body if isinstance(node, ast.ClassDef) and node.name == class_name), [])
    for node in body:
        if isinstance(node, ast.Assign) and any(getattr(target, 'id', None) == name for target in node.targets):
            return node.value.value
    return None


def _plugin_options(path, root):
    """The documented options of a module or inventory plugin, with this collection's doc fragments."""
    doc = yaml.safe_load(_assigned_string(path, 'DOCUMENTATION') or '') or {}
    options = dict(doc.get('options') or {})
    for reference in doc.get('extends_documentation_fragment') or []:
        if reference.startswith(NAMESPACE + '.'):
            name, _dot, variable = reference[len(NAMESPACE) + 1:].partition('.')
            fragment = root / 'plugins' / 'doc_fragments' / ('%s.py' % name)
            text = _assigned_string(fragment, variable or 'DOCUMENTATION', 'ModuleDocFragment') if fragment.exists() else None
            options.update((yaml.safe_load(text or '') or {}).get('options') or {})
    return options


@functools.lru_cache(maxsize=None)
def home_options(kind, name, root=COLLECTION):
    """The options of a home, or None when the home does not exist (read once per process)."""
    if kind == 'role':
        specs = root / 'roles' / name / 'meta' / 'argument_specs.yml'
        if not (root / 'roles' / name / 'tasks').is_dir():
            return None
        data = yaml.safe_load(specs.read_text()) if specs.exists() else {}
        return dict(((data or {}).get('argument_specs') or {}).get('main', {}).get('options') or {})
    path = root / 'plugins' / ('modules' if kind == 'module' else 'inventory') / ('%s.py' % name)
    return _plugin_options(path, root) if path.exists() else None


def _home_problems(method, entry, airgap, root):
    """The problems of one home of a method (an entry, or one of its `also` homes)."""
    where = home(entry)
    if where is None:
        return ['%s: needs exactly one of %s' % (method, ', '.join(KINDS))]
    kind, name = where
    found = []
    if name in airgap['plugins'] and method not in airgap['methods']:
        found.append('%s: only the air-gapped methods may point to %s' % (method, name))
    try:
        options = home_options(kind, name, root)
    except (SyntaxError, yaml.YAMLError, AttributeError) as exc:
        return found + ['%s: %s %s cannot be read: %s' % (method, kind, name, str(exc).splitlines()[0])]
    if options is None:
        return found + ['%s: %s %s does not exist' % (method, kind, name)]
    for option, value in (entry.get('options') or {}).items():
        if option not in options:
            found.append('%s: %s %s has no option %s' % (method, kind, name, option))
        elif value is not None and options[option].get('choices') and value not in options[option]['choices']:
            found.append('%s: %s %s option %s does not accept %r (choices: %s)' % (
                method, kind, name, option, value, ', '.join(str(c) for c in options[option]['choices'])))
    return found


def problems(table, methods, root=COLLECTION):
    """Every disagreement between the table, the toolbox's methods and the collection, one sentence each."""
    found, seen = [], set()
    airgap = {'methods': set(table.get('airgap_methods') or ()), 'plugins': set(table.get('airgap_plugins') or ())}
    for entry in table.get('methods') or []:
        method = entry.get('method')
        if method in seen:
            found.append('%s: listed twice' % method)
        seen.add(method)
        if method not in methods:
            found.append('%s: not a public API method of CBWApi %s (removed or renamed?)' % (method, table.get('version')))
        for one in [entry] + list(entry.get('also') or []):
            found.extend(_home_problems(method, one, airgap, root))
    found.extend('%s: not mapped' % method for method in methods if method not in seen)
    return found


def _home_text(entry):
    if not entry or home(entry) is None:
        return 'not mapped'
    kind, name = home(entry)
    ref = '%s.%s#%s' % (NAMESPACE, name, kind)
    text = ':ansplugin:`%s.%s <%s>`' % (NAMESPACE, name, ref) if kind == 'role' else ':ansplugin:`%s`' % ref
    options = [':ansopt:`%s:%s`' % (ref, option) if value is None
               else ':ansopt:`%s:%s=%s`' % (ref, option, str(value).lower() if isinstance(value, bool) else value)
               for option, value in (entry.get('options') or {}).items()]
    return text + (' (%s)' % ', '.join(options) if options else '')


def render(table, methods):
    """The RST page: a count per kind of home and one row per toolbox method."""
    entries = {entry['method']: entry for entry in table['methods']}
    counts = {}
    for entry in table['methods']:
        if entry.get('method') in methods and home(entry):
            counts[home(entry)[0]] = counts.get(home(entry)[0], 0) + 1
    lines = [
        '.. _ansible_collections.secops.vulnmgmt.docsite.parity:', '',
        'Parity with cbw-api-toolbox', '===========================', '',
        '.. This page is generated from docs/parity/cbw_api_toolbox.yml by docs/parity/toolbox_parity.py: edit the table.',
        '',
        "Every public API method of Cyberwatch's own Python client, %s %s (``cbw_api_toolbox.cbw_api.CBWApi``), "
        'and the module, option, inventory option or role of this collection that does the same job. '
        'A unit test lists the methods by introspection of the pinned toolbox and fails when one is not mapped, '
        'when the table names a method that no longer exists, or when a mapped plugin or option does not exist.'
        % (table['toolbox'], table['version']), '',
        '%d of %d methods mapped: %s.' % (sum(counts.values()), len(methods), ', '.join(
            '%d to %s%s' % (count, kind if kind != 'inventory' else 'inventory plugin', 's' if count > 1 else '')
            for kind, count in sorted(counts.items()))), '',
        '.. list-table::', '   :header-rows: 1', '   :widths: 22 38 40', '',
        '   * - Toolbox method', '     - API call', '     - Ansible home',
    ]
    for name, function in methods.items():
        entry = entries.get(name) or {}
        lines += ['   * - ``%s``' % name, '     - ``%s``' % route(function), '     - %s' % _home_text(entry)]
        if entry.get('also'):
            lines += ['', '       Also: %s.' % '; '.join(_home_text(one) for one in entry['also'])]
        if entry.get('note'):
            lines += ['', '       %s' % entry['note']]
    return '\n'.join(lines) + '\n'


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--check', action='store_true', help='fail when the table or the page are out of date')
    args = parser.parse_args(argv)
    table, methods = load_table(), api_methods()
    found = problems(table, methods)
    for problem in found:
        print('parity: %s' % problem, file=sys.stderr)
    page = render(table, methods)
    if args.check:
        stale = not PAGE.exists() or PAGE.read_text() != page
        if stale:
            print('parity: %s is out of date: run python docs/parity/toolbox_parity.py' % PAGE, file=sys.stderr)
        return 1 if found or stale else 0
    PAGE.write_text(page)
    print('parity: %d of %d methods mapped, %d problems, %s written' % (
        len(table['methods']), len(methods), len(found), PAGE))
    return 1 if found else 0


if __name__ == '__main__':
    sys.exit(main())
