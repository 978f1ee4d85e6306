"""concurrent_map: the one bounded-concurrency helper (inventory details, info modules, scan expansion)."""

import threading
import time

import pytest

from ansible_collections.secops.vulnmgmt.plugins.module_utils.transport import concurrent_map


def test_concurrent_map_keeps_order_and_bounds_concurrency():
    lock = threading.Lock()
    state = {'running': 0, 'peak': 0}

    def work(item):
        with lock:
            state['running'] += 1
            state['peak'] = max(state['peak'], state['running'])
        time.sleep(0.01)
        with lock:
            state['running'] -= 1
        return item * 2

    assert concurrent_map(work, range(40), 4) == [i * 2 for i in range(40)]
    assert 2 <= state['peak'] <= 4


def test_concurrent_map_raises_the_first_failure_and_stops():
    calls = []

    def work(item):
        calls.append(item)
        if item == 3:
            raise RuntimeError('detail 3 failed')
        time.sleep(0.01)
        return item

    with pytest.raises(RuntimeError, match='detail 3 failed'):
        concurrent_map(work, range(200), 2)
    assert len(calls) < 200  # what had not started was cancelled


def test_concurrent_map_sequential():
    assert concurrent_map(lambda i: i + 1, [1, 2], 1) == [2, 3]


def test_concurrent_map_keeps_order_of_a_range():
    assert concurrent_map(lambda x: x * 2, range(20), 4) == [x * 2 for x in range(20)]
    assert concurrent_map(lambda x: x, [], 4) == []
