"""symproof.check.budget: wall-time limits (SIGALRM) and shared deadlines."""
from __future__ import annotations

import signal
import threading
import time

import pytest

from symproof.check.budget import Deadline, run_limited, time_limit
from symproof.errors import CheckTimeout


def _spin(seconds: float) -> None:
    """Pure-Python busy work, interruptible by SIGALRM."""
    end = time.perf_counter() + seconds
    n = 0
    while time.perf_counter() < end:
        n += 1


@pytest.fixture(autouse=True)
def _no_timer_left_behind():
    assert signal.getitimer(signal.ITIMER_REAL)[0] == 0
    handler = signal.getsignal(signal.SIGALRM)
    yield
    armed = signal.getitimer(signal.ITIMER_REAL)[0]
    signal.setitimer(signal.ITIMER_REAL, 0)
    restored = signal.getsignal(signal.SIGALRM)
    signal.signal(signal.SIGALRM, handler)
    assert armed == 0, "a test left the interval timer armed"
    assert restored == handler, "a test left its SIGALRM handler installed"


def test_check_timeout_is_a_base_exception_not_an_exception():
    assert issubclass(CheckTimeout, BaseException)
    assert not issubclass(CheckTimeout, Exception)


def test_time_limit_raises_check_timeout():
    t0 = time.perf_counter()
    with pytest.raises(CheckTimeout, match="time limit"):
        with time_limit(0.05):
            _spin(5)
    assert time.perf_counter() - t0 < 1.0


def test_time_limit_is_not_swallowed_by_except_exception():
    swallowed = []
    with pytest.raises(CheckTimeout):
        with time_limit(0.05):
            try:
                _spin(5)
            except Exception:  # noqa: BLE001 - this is what sympy code does
                swallowed.append(True)
    assert swallowed == []


def test_time_limit_lets_quick_work_finish_and_disarms():
    with time_limit(2.0):
        value = sum(range(1000))
    assert value == 499500
    assert signal.getitimer(signal.ITIMER_REAL)[0] == 0


@pytest.mark.parametrize("seconds", [None, 0, -1])
def test_no_limit_for_none_or_nonpositive(seconds):
    with time_limit(seconds):
        assert signal.getitimer(signal.ITIMER_REAL)[0] == 0
        _spin(0.01)


def test_inner_limit_restores_the_outer_timer():
    with time_limit(5.0):
        outer_handler = signal.getsignal(signal.SIGALRM)
        with time_limit(0.5):
            assert signal.getsignal(signal.SIGALRM) is not outer_handler
            inner_left = signal.getitimer(signal.ITIMER_REAL)[0]
            assert 0 < inner_left <= 0.5
        left = signal.getitimer(signal.ITIMER_REAL)[0]
        assert 4.0 < left <= 5.0
        assert signal.getsignal(signal.SIGALRM) is outer_handler


def test_outer_limit_still_fires_after_an_inner_one():
    t0 = time.perf_counter()
    with pytest.raises(CheckTimeout):
        with time_limit(0.2):
            with time_limit(10.0):
                pass  # inner block ends at once
            _spin(5)
    assert time.perf_counter() - t0 < 1.5


def test_outer_limit_survives_an_inner_timeout_that_was_caught():
    with time_limit(5.0):
        with pytest.raises(CheckTimeout):
            with time_limit(0.05):
                _spin(5)
        left = signal.getitimer(signal.ITIMER_REAL)[0]
        assert 4.0 < left <= 5.0


def test_tighter_outer_limit_wins_over_a_longer_inner_one():
    t0 = time.perf_counter()
    with pytest.raises(CheckTimeout):
        with time_limit(0.1):
            with time_limit(30.0):
                assert signal.getitimer(signal.ITIMER_REAL)[0] <= 0.1
                _spin(5)
    assert time.perf_counter() - t0 < 1.5


def test_outside_the_main_thread_the_work_simply_runs():
    out: dict[str, object] = {}

    def work():
        try:
            with time_limit(0.01):
                _spin(0.05)
            out["done"] = True
        except BaseException as exc:  # noqa: BLE001
            out["error"] = exc

    t = threading.Thread(target=work)
    t.start()
    t.join(5)
    assert out == {"done": True}


def test_run_limited_returns_the_value_and_enforces_the_limit():
    assert run_limited(lambda: 6 * 7, 1.0) == 42
    with pytest.raises(CheckTimeout):
        run_limited(lambda: _spin(5), 0.05)


def test_deadline_without_seconds_never_expires():
    d = Deadline(None)
    assert d.left() is None
    assert d.expired() is False
    assert d.slice(0.7) == 0.7


def test_deadline_counts_down_and_slices():
    d = Deadline(10.0)
    left = d.left()
    assert 9.0 < left <= 10.0
    assert not d.expired()
    assert d.slice(0.5) == 0.5
    assert 9.0 < d.slice(100.0) <= 10.0


def test_expired_deadline_slices_a_minimum_and_reports_expiry():
    d = Deadline(0.0)
    assert d.left() == 0.0
    assert d.expired() is True
    assert d.slice(0.5) == pytest.approx(1e-3)
