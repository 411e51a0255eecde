"""The pool that runs a compute's disk copies off its RPC threads."""

import logging
import threading

import pytest

from migrator.common import workers


def test_a_thread_is_started_only_when_none_is_idle():
    pool = workers.Workers(8, 'test')
    done = threading.Semaphore(0)
    for _ in range(50):
        pool.submit(done.release)
        assert done.acquire(timeout=5)
    # Each call found the thread of the one before idle again (or started
    # one while that thread was still on its way back).
    assert pool.threads <= 2
    pool.shutdown()


def test_calls_beyond_the_size_wait_in_order():
    pool = workers.Workers(2, 'test')
    gate = threading.Event()
    lock = threading.Lock()
    running, peak, started = [0], [0], []

    def work(n):
        with lock:
            running[0] += 1
            peak[0] = max(peak[0], running[0])
            started.append(n)
        gate.wait(5)
        with lock:
            running[0] -= 1

    for n in range(6):
        pool.submit(work, n)
    assert pool.threads == 2
    gate.set()
    pool.shutdown()
    assert peak[0] == 2
    assert set(started[:2]) == {0, 1}
    assert sorted(started[2:]) == [2, 3, 4, 5]  # the waiting ones, after


def test_a_failing_call_is_logged_and_the_thread_goes_on(caplog):
    pool = workers.Workers(1, 'test')
    done = threading.Event()

    def fail():
        raise ValueError('broken copy')

    with caplog.at_level(logging.ERROR, logger='migrator.common.workers'):
        pool.submit(fail)
        pool.submit(done.set)
        assert done.wait(5)
    assert 'test: fail failed' in caplog.text
    assert 'broken copy' in caplog.text
    assert pool.threads == 1
    pool.shutdown()


def test_shutdown_waits_for_the_calls_in_hand_and_waiting():
    pool = workers.Workers(1, 'test')
    gate = threading.Event()
    ended = []
    pool.submit(lambda: (gate.wait(5), ended.append('first')))
    pool.submit(ended.append, 'second')
    stopper = threading.Thread(target=pool.shutdown)
    stopper.start()
    stopper.join(0.2)
    assert stopper.is_alive() and ended == []
    gate.set()
    stopper.join(5)
    assert not stopper.is_alive()
    assert ended == ['first', 'second']
    with pytest.raises(RuntimeError, match='shut down'):
        pool.submit(ended.append, 'third')


def test_the_threads_keep_no_process_alive():
    pool = workers.Workers(1, 'copies')
    gate = threading.Event()
    pool.submit(gate.wait, 5)
    thread, = [t for t in threading.enumerate() if t.name == 'copies-1']
    assert thread.daemon
    gate.set()
    pool.shutdown()


def test_a_pool_needs_a_thread():
    with pytest.raises(ValueError, match='at least one thread'):
        workers.Workers(0, 'test')
