"""The documentation site renders in a real browser (headless Chromium from Debian, no Selenium).

Needs docs/build/html (built here if missing: `make docs`) and a `chromium` binary (`make browser-deps` installs
it with apt-get). Each page is loaded by Chromium and checked in the DOM Chromium produced after running the
theme's JavaScript (`--dump-dom`), and once as a screenshot.
"""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
HTML = REPO / 'docs' / 'build' / 'html'
MODULE_PAGE = HTML / 'collections' / 'secops' / 'vulnmgmt' / 'cystack_scan_module.html'
FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
         '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-dev-shm-usage']


@pytest.fixture(scope='module')
def site():
    if not (HTML / 'index.html').exists():
        subprocess.run([sys.executable, str(REPO / 'docs' / 'build_site.py')], check=True)
    return HTML


@pytest.fixture(scope='module')
def browser(tmp_path_factory):
    binary = next((shutil.which(n) for n in ('chromium', 'chromium-browser', 'google-chrome') if shutil.which(n)),
                  None)
    assert binary, 'no Chromium on PATH: run `make browser-deps` (apt-get install -y chromium chromium-driver)'
    profile = tmp_path_factory.mktemp('chromium-profile')

    def run(page, *extra):
        proc = subprocess.run([binary] + FLAGS + ['--user-data-dir=%s' % profile] + list(extra) + [page.as_uri()],
                              capture_output=True, text=True, timeout=120, check=False)
        assert proc.returncode == 0, proc.stderr[-3000:]
        return proc.stdout
    return run


def test_index_renders_with_navigation(site, browser):
    dom = browser(site / 'index.html', '--dump-dom')
    assert '<title>' in dom and 'secops.vulnmgmt' in dom
    assert 'wy-nav-side' in dom                          # the Ansible theme's side navigation
    assert 'collections/secops/vulnmgmt/index.html' in dom   # the collection (and its plugin pages) is reachable
    assert 'collections/index_module.html' in dom            # the module index
    assert 'user_guide.html' in dom                          # the user guide


def test_module_page_has_its_options_table(site, browser):
    dom = browser(MODULE_PAGE, '--dump-dom')
    assert 'secops.vulnmgmt.cystack_scan module' in dom
    table = dom.split('ansible-option-table', 1)[1]
    for option in ('max_age', 'wait_timeout', 'api_key', 'validate_certs'):
        anchor = 'id="ansible-collections-secops-vulnmgmt-cystack-scan-module-parameter-%s"' % option.replace('_', '-')
        assert anchor in table, option
    assert 'Return Values' in dom


def test_module_page_paints(site, browser, tmp_path):
    shot = tmp_path / 'module.png'
    browser(MODULE_PAGE, '--screenshot=%s' % shot, '--window-size=1280,2000', '--hide-scrollbars')
    data = shot.read_bytes()
    assert data[:8] == b'\x89PNG\r\n\x1a\n' and len(data) > 20000   # a blank page compresses to a few KB
