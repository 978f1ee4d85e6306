"""cyberwatch_applicative_scan(_info) against the simulator: life cycle keyed by target, node by name, the readable
422 for a bad target, check mode."""

from playbook_steps import task_of, that

SCAN = 'secops.vulnmgmt.cyberwatch_applicative_scan'
INFO = 'secops.vulnmgmt.cyberwatch_applicative_scan_info'
TARGET = 'https://portal.example.com'
task = task_of(SCAN)


def test_life_cycle(sim, ansible):
    ansible.playbook([
        task(SCAN, register='predicted', check=True, target=TARGET),
        task(SCAN, register='created', target=TARGET, node='scanner-dmz'),
        task(SCAN, register='again', target=TARGET, node='scanner-dmz'),
        that('predicted is changed', 'created is changed', 'again is not changed',
             'created.applicative_scan.node_id == 2', "created.applicative_scan.target == '%s'" % TARGET),
        task(SCAN, register='moved_check', check=True, target=TARGET, node='master'),
        task(SCAN, register='moved', target=TARGET, node='master'),
        that('moved_check is changed', "moved.diff == {'before': {'node_id': 2}, 'after': {'node_id': 1}}"),
        task(INFO, register='one', target=TARGET),
        task(INFO, register='every'),
        that('one.applicative_scans | length == 1', 'one.applicative_scans[0].node_id == 1',
             'every.applicative_scans | length == 3'),
        task(SCAN, register='delete_check', check=True, target=TARGET, state='absent'),
        task(SCAN, register='deleted', target=TARGET, state='absent'),
        task(SCAN, register='deleted_again', target=TARGET, state='absent'),
        that('delete_check is changed', 'deleted is changed', 'deleted_again is not changed'),
    ])
    writes = sim.writes()
    assert [w['method'] for w in writes] == ['POST', 'PATCH', 'DELETE'], writes
    assert all(w['path'].startswith('/api/v3/assets/applicative_scans') for w in writes)


def test_bad_target_fails_readably(sim, ansible):
    out = ansible.playbook([
        dict(task(SCAN, register='bad', target='invalid@target'), ignore_errors=True),
        dict(task(SCAN, register='moved', id=1, target='not a host'), ignore_errors=True),
        that('bad.status == 422', "bad.method == 'POST'",
             "bad.msg.startswith(\"Cyberwatch refused the target 'invalid@target' (POST /api/v3/assets/applicative_scans,"
             " HTTP 422): Validation failed: Target must be an IP, an HTTP URL or a successfully resolved domain name.\")",
             "'http:// or https:// URL' in bad.msg", "moved.status == 422", "'not a host' in moved.msg"),
        dict(task(SCAN, register='empty', target=''), ignore_errors=True),
        that("'target must be an IP address, an http:// or https:// URL, or a domain name' in empty.msg"),
    ], ['-vvvv'])
    assert 'Traceback' not in out.stdout
    text = out.stdout + out.stderr
    assert '"target": "invalid@target"' in text  # the module arguments are shown at -vvvv
    for secret in (sim.cyberwatch['api_key'], sim.cyberwatch['secret_key']):
        assert secret not in text
    assert [(w['method'], w['status']) for w in sim.writes()] == [('POST', 422), ('PATCH', 422)]
