# Sphinx configuration of the secops.vulnmgmt documentation site (built by docs/build_site.py, `make docs`).
# Started from `antsibull-docs sphinx-init --use-current`; intersphinx reads a local, generated inventory of the
# ansible-core pages our plugin docs link to, so the build works offline and warns about nothing.

import os

project = 'secops.vulnmgmt'
copyright = 'secops.vulnmgmt contributors'  # pylint: disable=redefined-builtin
title = 'secops.vulnmgmt documentation'
html_short_title = 'secops.vulnmgmt'

extensions = ['sphinx.ext.intersphinx', 'sphinx_antsibull_ext']

pygments_style = 'ansible'
highlight_language = 'YAML+Jinja'

html_theme = 'sphinx_ansible_theme'
html_show_sphinx = False
display_version = False
html_use_smartypants = True
html_use_modindex = False
html_use_index = False
html_copy_source = False
html_theme_options = {'collapse_navigation': False, 'analytics_id': '', 'style_nav_header_background': '#5bbdbf',
                      'style_external_links': True, 'vcs_pageview_mode': 'edit', 'navigation_depth': 3}

# Only the local inventory: no network access during the build (see docs/build_site.py).
intersphinx_mapping = {
    'ansible_devel': ('https://docs.ansible.com/projects/ansible/devel/',
                      os.environ.get('VULNMGMT_ANSIBLE_INVENTORY', 'ansible_devel.inv')),
}
intersphinx_disabled_reftypes = []
intersphinx_timeout = 1

default_role = 'any'
nitpicky = True
