"""Wall-time limits for pure-Python sympy work.

``SIGALRM`` interrupts sympy's Python code (not long GMP calls, and only in
the main thread: elsewhere the limit is not enforced and the work simply
runs). The process-level backstop for hostile input is a separate concern.
"""
from __future__ import annotations

import contextlib
import signal
import threading
import time
from typing import Callable, Iterator, TypeVar

from symproof.errors import CheckTimeout

__all__ = ["time_limit", "run_limited", "Deadline"]

T = TypeVar("T")


def _can_alarm() -> bool:
    return hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()


@contextlib.contextmanager
def time_limit(seconds: float | None) -> Iterator[None]:
    """Raise :class:`CheckTimeout` in the block after ``seconds``.

    Nested limits keep the tighter outer deadline.
    """
    if not seconds or seconds <= 0 or not _can_alarm():
        yield
        return
    remaining, _ = signal.getitimer(signal.ITIMER_REAL)
    if remaining and remaining < seconds:
        seconds = remaining  # an outer, tighter limit wins
    previous = signal.getsignal(signal.SIGALRM)

    def _raise(signum, frame):  # noqa: ARG001
        raise CheckTimeout(f"time limit of {seconds:.3g} s")

    started = time.perf_counter()
    signal.signal(signal.SIGALRM, _raise)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        if remaining:  # re-arm the outer limit with what is left of it
            left = remaining - (time.perf_counter() - started)
            signal.setitimer(signal.ITIMER_REAL, max(left, 1e-4))


def run_limited(fn: Callable[[], T], seconds: float | None) -> T:
    """Call ``fn`` under :func:`time_limit`."""
    with time_limit(seconds):
        return fn()


class Deadline:
    """A budget shared by several strategies."""

    def __init__(self, seconds: float | None) -> None:
        self.seconds = seconds
        self.start = time.perf_counter()

    def left(self) -> float | None:
        if self.seconds is None:
            return None
        return max(self.seconds - (time.perf_counter() - self.start), 0.0)

    def expired(self) -> bool:
        left = self.left()
        return left is not None and left <= 0

    def slice(self, cap: float) -> float:
        left = self.left()
        return cap if left is None else max(min(cap, left), 1e-3)
