"""Fixtures shared by the unit tests."""

import pytest

from ansible_collections.secops.vulnmgmt.tests.unit.scripted_server import ScriptedServer


@pytest.fixture
def server():
    srv = ScriptedServer()
    yield srv
    srv.close()


@pytest.fixture
def tls_server():
    trustme = pytest.importorskip('trustme')
    ca = trustme.CA()
    srv = ScriptedServer(tls_cert=ca.issue_cert('127.0.0.1', 'localhost'))
    srv.ca = ca
    yield srv
    srv.close()
