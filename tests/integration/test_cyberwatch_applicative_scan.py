"""cyberwatch_applicative_scan(_info) against the simulator: life cycle keyed by target, node by name, the readable
422 for a bad target, check mode."""

from playbook_steps import check, task

SCAN = 'secops.vulnmgmt.cyberwatch_applicative_scan'
INFO = 'secops.vulnmgmt.cyberwatch_applicative_scan_info'
TARGET = 'https://portal.example.com'


def test_life_cycle(sim, ansible):
    ansible.playbook([
        task(SCAN, 'predicted', check_mode=True, target=TARGET),
        task(SCAN, 'created', target=TARGET, node='scanner-dmz'),
        task(SCAN, 'again', target=TARGET, node='scanner-dmz'),
        check('predicted is changed', 'created is changed', 'again is not changed',
              'created.applicative_scan.node_id == 2', "created.applicative_scan.target == '%s'" % TARGET),
        task(SCAN, 'moved_check', check_mode=True, target=TARGET, node='master'),
        task(SCAN, 'moved', target=TARGET, node='master'),
        check('moved_check is changed', "moved.diff == {'before': {'node_id': 2}, 'after': {'node_id': 1}}"),
        task(INFO, 'one', target=TARGET),
        task(INFO, 'every'),
        check('one.applicative_scans | length == 1', 'one.applicative_scans[0].node_id == 1',
              'every.applicative_scans | length == 3'),
        task(SCAN, 'delete_check', check_mode=True, target=TARGET, state='absent'),
        task(SCAN, 'deleted', target=TARGET, state='absent'),
        task(SCAN, 'deleted_again', target=TARGET, state='absent'),
        check('delete_check is changed', 'deleted is changed', 'deleted_again is not changed'),
    ])
    writes = sim.writes()
    assert [w['method'] for w in writes] == ['POST', 'PATCH', 'DELETE'], writes
    assert all(w['path'].startswith('/api/v3/assets/applicative_scans') for w in writes)


def test_bad_target_fails_readably(sim, ansible):
    out = ansible.playbook([
        task(SCAN, 'bad', ignore_errors=True, target='invalid@target'),
        task(SCAN, 'moved', ignore_errors=True, id=1, target='not a host'),
        check('bad.status == 422', "bad.method == 'POST'",
              "bad.msg.startswith(\"Cyberwatch refused the target 'invalid@target' (POST /api/v3/assets/applicative_scans,"
              " HTTP 422): Validation failed: Target must be an IP, an HTTP URL or a successfully resolved domain name.\")",
              "'http:// or https:// URL' in bad.msg", "moved.status == 422", "'not a host' in moved.msg"),
        task(SCAN, 'empty', ignore_errors=True, target=''),
        check("'target must not be empty' in empty.msg"),
    ], ['-vvvv'])
    assert 'Traceback' not in out.stdout
    text = out.stdout + out.stderr
    assert '"target": "invalid@target"' in text  # the module arguments are shown at -vvvv
    for secret in (sim.cyberwatch['api_key'], sim.cyberwatch['secret_key']):
        assert secret not in text
    assert [(w['method'], w['status']) for w in sim.writes()] == [('POST', 422), ('PATCH', 422)]
