"""Meta-tests that keep the collection honest: every module is in its action group and has an integration test.

The files are read from the collection this file belongs to (found from __file__), so the tests work from the
repository root and in the copy ansible-test units runs in. Module and doc fragment sources are parsed, not
imported: nothing here depends on ansible-core's plugin loader.
"""

import ast
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[3]
NAMESPACE = 'secops.vulnmgmt'
MODULES = ROOT / 'plugins' / 'modules'
FRAGMENTS = ROOT / 'plugins' / 'doc_fragments'
INTEGRATION = ROOT / 'tests' / 'integration'
# Module name prefix -> action group in meta/runtime.yml; None: modules that call no API (gate_report_files writes
# report files), so no module_defaults group gives them connection options.
GROUP_OF_PREFIX = {'cyberwatch': 'cyberwatch', 'cystack': 'cystack', 'gate': None}
# Task keywords that hold a list of tasks.
BLOCK_KEYS = ('block', 'rescue', 'always')


def module_names():
    return sorted(p.stem for p in MODULES.glob('*.py') if p.stem != '__init__')


def expected_group(module):
    return GROUP_OF_PREFIX.get(module.split('_', 1)[0])


def action_groups():
    runtime = yaml.safe_load((ROOT / 'meta' / 'runtime.yml').read_text()) or {}
    # An entry may also be a {'metadata': ...} dict (extend_group); only the names are members.
    return {group: [m for m in (members or []) if isinstance(m, str)]
            for group, members in (runtime.get('action_groups') or {}).items()}


def offenders_message(what, offenders):
    return '%s:\n  %s' % (what, '\n  '.join(offenders))


def test_every_module_is_in_its_action_group_and_every_member_exists():
    modules, groups = module_names(), action_groups()
    offenders = []
    for module in modules:
        group = expected_group(module)
        if module.split('_', 1)[0] not in GROUP_OF_PREFIX:
            offenders.append('%s: no action group for its prefix (known: %s)' % (module, ', '.join(GROUP_OF_PREFIX)))
        elif group is not None and module not in groups.get(group, []):
            offenders.append('%s: missing from action group %s' % (module, group))
    for group, members in sorted(groups.items()):
        for member in members:
            name = member[len(NAMESPACE) + 1:] if member.startswith(NAMESPACE + '.') else member
            if name not in modules:
                offenders.append('%s: action group %s names a module that does not exist' % (member, group))
            elif expected_group(name) != group:
                offenders.append('%s: in action group %s, expected %s' % (member, group, expected_group(name)))
    assert not offenders, offenders_message('meta/runtime.yml action_groups disagree with plugins/modules', offenders)


def string_assignment(path, name, class_name=None):
    """The string literal assigned to `name` at module level (or in class `class_name`) of a Python file."""
    body = ast.parse(path.read_text()).body
    if class_name:
        body = next(node.body for node in body if isinstance(node, ast.ClassDef) and node.name == class_name)
    for node in body:
        if (isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == name for t in node.targets)
                and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str)):
            return node.value.value
    return None


def fragment_doc(reference):
    """The YAML of an extends_documentation_fragment entry of this collection, None for other collections'."""
    if not reference.startswith(NAMESPACE + '.'):
        return None
    name, _dot, variable = reference[len(NAMESPACE) + 1:].partition('.')
    text = string_assignment(FRAGMENTS / ('%s.py' % name), variable or 'DOCUMENTATION', 'ModuleDocFragment')
    assert text is not None, 'doc fragment %s not found' % reference
    return yaml.safe_load(text) or {}


def documented_action_groups(module):
    """The action_group membership a module documents, its fragments included."""
    doc = yaml.safe_load(string_assignment(MODULES / ('%s.py' % module), 'DOCUMENTATION'))
    docs = [doc] + [fragment_doc(ref) for ref in doc.get('extends_documentation_fragment') or []]
    groups = set()
    for part in docs:
        attribute = ((part or {}).get('attributes') or {}).get('action_group') or {}
        groups.update(attribute.get('membership') or [])
    return groups


def test_documented_action_group_agrees_with_runtime_yml():
    groups = action_groups()
    offenders = []
    for module in module_names():
        actual = {'%s.%s' % (NAMESPACE, group) for group, members in groups.items() if module in members}
        documented = documented_action_groups(module)
        if documented != actual:
            offenders.append('%s: documents action_group membership %s, meta/runtime.yml puts it in %s' % (
                module, sorted(documented) or 'none', sorted(actual) or 'none'))
    assert not offenders, offenders_message('action_group attribute disagrees with meta/runtime.yml', offenders)


def task_actions(tasks):
    """The action names of a task list, blocks included: a task's keys, or the module of action/local_action."""
    for task in tasks or []:
        if not isinstance(task, dict):
            continue
        for key, value in task.items():
            if key in BLOCK_KEYS:
                yield from task_actions(value)
            elif key in ('action', 'local_action'):
                if isinstance(value, dict):
                    yield value.get('module')
                elif isinstance(value, str) and value.split():
                    yield value.split()[0]
            else:
                yield key


def docstrings(tree):
    nodes = [n for n in ast.walk(tree) if isinstance(n, (ast.Module, ast.ClassDef, ast.FunctionDef))]
    return {id(n.body[0].value) for n in nodes
            if n.body and isinstance(n.body[0], ast.Expr) and isinstance(n.body[0].value, ast.Constant)}


def python_actions(source, fqcns):
    """Module names a test file uses: a task dict key (FQCN or short name) or an FQCN string literal (a MODULE
    constant, an ad-hoc `-m` argument). Comments and docstrings do not count; names built with % do not either
    (those modules must be used some other way)."""
    tree = ast.parse(source)
    skip = docstrings(tree)
    for node in ast.walk(tree):
        if isinstance(node, ast.Dict):
            for key in node.keys:
                if isinstance(key, ast.Constant) and isinstance(key.value, str):
                    yield key.value
        elif isinstance(node, ast.Constant) and id(node) not in skip and node.value in fqcns:
            yield node.value


def used_modules():
    """{module: [where]} for the modules the integration tests use as task actions."""
    modules = module_names()
    by_action = {}
    for module in modules:
        by_action[module] = by_action['%s.%s' % (NAMESPACE, module)] = module
    used = {}
    for path in sorted(INTEGRATION.glob('targets/*/tasks/*.yml')):
        for action in task_actions(yaml.safe_load(path.read_text())):
            if action in by_action:
                used.setdefault(by_action[action], []).append(str(path.relative_to(ROOT)))
    fqcns = {'%s.%s' % (NAMESPACE, m) for m in modules}
    for path in sorted(INTEGRATION.glob('test_*.py')):
        for action in python_actions(path.read_text(), fqcns):
            if action in by_action:
                used.setdefault(by_action[action], []).append(str(path.relative_to(ROOT)))
    return used


def test_every_module_has_an_integration_test():
    assert INTEGRATION.is_dir(), INTEGRATION
    used = used_modules()
    offenders = [module for module in module_names() if module not in used]
    assert not offenders, offenders_message(
        'modules never used as a task action in tests/integration/targets/*/tasks/*.yml or tests/integration/test_*.py',
        offenders)


def test_the_scan_counts_task_actions_not_comments_or_docstrings():
    source = '\n'.join([
        '"""secops.vulnmgmt.cyberwatch_group"""',
        '# secops.vulnmgmt.cyberwatch_node',
        'MODULE = "secops.vulnmgmt.cyberwatch_host"',
        'ADHOC = ["localhost", "-m", "secops.vulnmgmt.cyberwatch_ping"]',
        'def task():',
        '    """secops.vulnmgmt.cystack_scan"""',
        '    return {"cystack_vulnerability": {}, "register": "result", "name": "cystack_target_info"}',
    ])
    fqcns = {'%s.%s' % (NAMESPACE, m) for m in module_names()}
    assert sorted(python_actions(source, fqcns)) == [
        'cystack_vulnerability', 'name', 'register',
        'secops.vulnmgmt.cyberwatch_host', 'secops.vulnmgmt.cyberwatch_ping']
    tasks = [{'name': 'x', 'block': [{'secops.vulnmgmt.cyberwatch_ping': None}],
              'rescue': [{'action': 'cystack_scan a=1'}, {'local_action': {'module': 'cystack_scan_info'}}]}]
    assert list(task_actions(tasks)) == ['name', 'secops.vulnmgmt.cyberwatch_ping', 'cystack_scan', 'cystack_scan_info']
