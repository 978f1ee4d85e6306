# -*- coding: utf-8 -*-
# Copyright: secops.vulnmgmt contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A file replaced in one step: on the controller (reports, event source state) or on a managed node (air-gap
scripts)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os
import tempfile


def replace_file(path, content, mode):
    """Write content (bytes) to a new private temporary file beside path (O_EXCL, 0600), give it mode, then rename it
    over path: a reader sees the old file or the new one, and a link planted at path is replaced, never followed. The
    temporary file is removed when anything fails, and the error is raised."""
    handle, temporary = tempfile.mkstemp(dir=os.path.dirname(path) or '.', prefix='.%s.' % os.path.basename(path))
    try:
        with os.fdopen(handle, 'wb') as stream:
            stream.write(content)
            os.fchmod(stream.fileno(), mode)
        os.replace(temporary, path)
    except BaseException:
        if os.path.lexists(temporary):
            os.unlink(temporary)
        raise
