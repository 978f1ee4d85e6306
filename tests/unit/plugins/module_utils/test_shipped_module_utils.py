"""What a module ships to a managed node: ansible-core packs every module_utils file the module imports, directly or
through another module_utils file, wherever the import statement is (recursive_finder reads them all, in functions
and try blocks too). A CyStack module ships no Cyberwatch code, and a Cyberwatch module no CyStack code."""

import ast
from pathlib import Path

import pytest

COLLECTION = Path(__file__).resolve().parents[4]
MODULE_UTILS = COLLECTION / 'plugins' / 'module_utils'
PACKAGE = 'ansible_collections.secops.vulnmgmt.plugins.module_utils'
MODULES = sorted(path.stem for path in (COLLECTION / 'plugins' / 'modules').glob('*.py'))


def imported_names(path):
    """Every dotted name an import statement of the file names: a module, and a module plus each imported name (a
    `from package import submodule` imports a file)."""
    in_module_utils = path.parent == MODULE_UTILS
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name
        elif isinstance(node, ast.ImportFrom):
            module = node.module or ''
            if node.level:
                assert node.level == 1 and in_module_utils, '%s: relative import this test cannot follow' % path
                module = '%s.%s' % (PACKAGE, module) if module else PACKAGE
            yield module
            for alias in node.names:
                yield '%s.%s' % (module, alias.name)


def shipped_module_utils(module):
    """The names of the collection's module_utils files that the module plugins/modules/<module>.py ships."""
    found = set()
    pending = [COLLECTION / 'plugins' / 'modules' / (module + '.py')]
    while pending:
        for name in imported_names(pending.pop()):
            if not name.startswith(PACKAGE + '.'):
                continue
            util = name[len(PACKAGE) + 1:].split('.')[0]
            if util not in found and (MODULE_UTILS / (util + '.py')).is_file():
                found.add(util)
                pending.append(MODULE_UTILS / (util + '.py'))
    return found


def test_every_module_belongs_to_one_platform_or_ships_nothing():
    assert MODULES and all(name.startswith(('cyberwatch_', 'cystack_')) for name in MODULES if name != 'gate_report_files')
    assert shipped_module_utils('gate_report_files') == set()   # docs only: its action plugin runs on the controller


@pytest.mark.parametrize('module', [name for name in MODULES if name.startswith('cystack_')])
def test_a_cystack_module_ships_no_cyberwatch_code(module):
    shipped = shipped_module_utils(module)
    assert {'api_module', 'cystack', 'cystack_module', 'transport'} <= shipped
    assert sorted(util for util in shipped if util.startswith('cyberwatch')) == []


@pytest.mark.parametrize('module', [name for name in MODULES if name.startswith('cyberwatch_')])
def test_a_cyberwatch_module_ships_no_cystack_code(module):
    shipped = shipped_module_utils(module)
    assert {'api_module', 'cyberwatch', 'cyberwatch_module', 'transport'} <= shipped
    assert sorted(util for util in shipped if util.startswith('cystack')) == []
