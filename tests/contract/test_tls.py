"""The simulator over TLS: its CA works, another CA fails."""

import pytest
import requests
import trustme

from launcher import Simulator


def test_tls_with_right_and_wrong_ca(tmp_path):
    with Simulator(tls=True, servers=2, targets=1) as sim:
        assert sim.url.startswith("https://") and sim.env()["CYBERWATCH_CA_PATH"] == sim.ca_cert
        headers = {"Authorization": "Bearer " + sim.cystack["api_key"]}
        assert requests.get(sim.cystack["api_url"] + "/targets", headers=headers, verify=sim.ca_cert, timeout=5).ok
        assert sim.control("GET", "state")["targets"] == 1
        wrong = tmp_path / "wrong-ca.pem"
        trustme.CA().cert_pem.write_to_path(str(wrong))
        with pytest.raises(requests.exceptions.SSLError):
            requests.get(sim.cystack["api_url"] + "/targets", headers=headers, verify=str(wrong), timeout=5)
