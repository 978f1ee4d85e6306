"""Build the HTML documentation site: `make docs` (also a CI step). Output: docs/build/html/index.html.

1. `antsibull-docs collection --use-current` renders the plugin, role and extra docs (docs/docsite/) to RST;
2. a local intersphinx inventory of the ansible-core pages those RST files link to is generated from
   ansible-core's own configuration definitions, so the build needs no network;
3. `sphinx-build -W --keep-going`: any warning fails the build.
"""

import os
import shutil
import subprocess
import sys
import tempfile
import zlib
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / 'tests' / 'simulator'))

from launcher import collections_root  # noqa: E402  pylint: disable=wrong-import-position
SPHINX = REPO / 'docs' / 'sphinx'
BUILD = REPO / 'docs' / 'build'
BIN = Path(sys.executable).parent
CONFIG_PAGE = 'reference_appendices/config.html'
LABELS = [  # the ansible-core labels antsibull-docs' templates link to: (name, page#anchor, title)
    ('ansible_configuration_settings', CONFIG_PAGE + '#ansible-configuration-settings', 'Ansible Configuration Settings'),
    ('common_return_values', 'reference_appendices/common_return_values.html#common-return-values', 'Return Values'),
    ('action_plugins', 'plugins/action.html#action-plugins', 'Action plugins'),
    ('callback_plugins', 'plugins/callback.html#callback-plugins', 'Callback plugins'),
    ('list_of_callback_plugins', 'plugins/callback.html#callback-plugin-list', 'Plugin list'),
    ('collections_keyword', 'collections_guide/collections_using_playbooks.html#collections-keyword',
     'Simplifying module names with the collections keyword'),
]


def ansible_inventory(path):
    """Sphinx inventory (v2) of ansible-core's configuration page: every setting's env var, plus its labels."""
    import ansible  # pylint: disable=import-outside-toplevel
    base = yaml.safe_load((Path(ansible.__file__).parent / 'config' / 'base.yml').read_text())
    lines = ['%s std:label -1 %s %s' % label for label in LABELS]
    names = sorted({env['name'] for setting in base.values() for env in setting.get('env') or []})
    lines += ['%s std:envvar 1 %s#envvar-$ -' % (name, CONFIG_PAGE) for name in names]
    header = '# Sphinx inventory version 2\n# Project: Ansible\n# Version: devel\n' \
             '# The remainder of this file is compressed using zlib.\n'
    path.write_bytes(header.encode() + zlib.compress(('\n'.join(lines) + '\n').encode()))


def main():
    rst, html = BUILD / 'rst', BUILD / 'html'
    for path in (rst, html):
        if path.exists():
            shutil.rmtree(path)
    rst.mkdir(parents=True)
    os.chmod(rst, 0o755)  # antsibull-docs wants the directory not writable by others
    inventory = BUILD / 'ansible_devel.inv'
    ansible_inventory(inventory)
    with tempfile.TemporaryDirectory(prefix='vulnmgmt-docs-') as tmp:
        env = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=collections_root(tmp), VULNMGMT_ANSIBLE_INVENTORY=str(inventory),
                   PATH='%s:%s' % (BIN, os.environ.get('PATH', '')))
        cmd = [BIN / 'antsibull-docs', '--config-file', SPHINX / 'antsibull-docs.cfg', 'collection', '--use-current',
               '--cleanup', 'everything', '--dest-dir', rst, 'secops.vulnmgmt']
        print('$ %s' % ' '.join(str(c) for c in cmd), flush=True)
        proc = subprocess.run([str(c) for c in cmd], env=env, capture_output=True, text=True, check=False)
    print(proc.stdout + proc.stderr, end='', flush=True)
    # antsibull-docs replaces a plugin with invalid DOCUMENTATION by an error page and still exits 0: fail here.
    if proc.returncode or 'ERROR:' in proc.stdout + proc.stderr:
        print('antsibull-docs reported errors (see above)')
        return proc.returncode or 1
    shutil.copy(SPHINX / 'index.rst', rst / 'index.rst')
    cmd = [BIN / 'sphinx-build', '-b', 'html', '-c', SPHINX, '-W', '--keep-going', '-q', '-j', '2', rst, html]
    print('$ %s' % ' '.join(str(c) for c in cmd), flush=True)
    code = subprocess.call([str(c) for c in cmd], env=env)
    if code == 0:
        pages = len(list(html.rglob('*.html')))
        print('docs site: %s (%d pages, no warnings)' % (html / 'index.html', pages))
    return code


if __name__ == '__main__':
    sys.exit(main())
