"""The scan list prints start_time as a local (UTC+7) string, the detail as epoch: the client must agree on both."""

import pytest


@pytest.mark.usefixtures('collection_on_path')
def test_list_and_detail_start_times_agree(sim):
    from ansible_collections.secops.vulnmgmt.plugins.module_utils.cystack import CyStackClient
    client = CyStackClient(sim.cystack['api_key'], api_url=sim.cystack['api_url'])
    scans = client.scans()
    assert scans, 'the seeded account has scans'
    for listed in scans[:5]:
        detail = client.scan(listed['id'])
        assert listed['start_time_epoch'] == detail['start_time_epoch']
        assert listed['start_time'] == detail['start_time']
        assert detail['start_time'].endswith('Z')
