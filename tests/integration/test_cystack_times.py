"""The scan list prints start_time as a local (UTC+7) string, the detail as epoch: the client must agree on both."""


def test_list_and_detail_start_times_agree(cystack_api):
    scans = cystack_api.scans()
    assert scans, 'the seeded account has scans'
    for listed in scans[:5]:
        detail = cystack_api.scan(listed['id'])
        assert listed['start_time_epoch'] == detail['start_time_epoch']
        assert listed['start_time'] == detail['start_time']
        assert detail['start_time'].endswith('Z')
