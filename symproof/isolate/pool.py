"""Forked worker processes that can be killed and replaced one at a time.

sympy has no timeouts of its own and ``signal.alarm`` cannot interrupt a
long GMP call, so untrusted checks run in workers: the parent waits on a
pipe with a wall-time budget and, when it runs out, kills that worker
(SIGKILL) and forks a fresh one. ``RLIMIT_AS`` caps each worker's memory.
Workers are reused across tasks, so isolation costs a pipe round trip, not
a process start. (``concurrent.futures.ProcessPoolExecutor`` cannot do this:
one killed worker breaks the whole pool.)
"""
from __future__ import annotations

import multiprocessing as mp
import os
import resource
import signal
import time
import traceback
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from typing import Any, Callable, Iterable, Iterator

__all__ = ["Outcome", "Task", "WorkerPool"]


@dataclass(frozen=True)
class Outcome:
    """How a task ended: ``ok`` (``value``), ``error`` (``value`` is the
    exception, or its text when it cannot be pickled), ``timeout``,
    ``memory`` (MemoryError or the worker died, e.g. a GMP abort)."""

    kind: str
    value: Any = None
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return self.kind == "ok"


@dataclass(frozen=True)
class Task:
    key: Any
    fn: Callable
    args: tuple
    timeout: float


def _vm_bytes() -> int:
    try:
        with open("/proc/self/statm") as fh:
            return int(fh.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError):
        return 0


def _worker_main(conn: Connection, memory_mb: int | None) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    if memory_mb:
        cap = _vm_bytes() + memory_mb * 2**20
        try:
            resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
        except (ValueError, OSError):
            pass
    while True:
        try:
            msg = conn.recv()
        except (EOFError, OSError):
            return
        if msg is None:
            return
        fn, args = msg
        try:
            result: tuple = ("ok", fn(*args))
        except MemoryError:
            result = ("memory", None)
        except BaseException as exc:  # noqa: BLE001 - every failure is reported, the worker lives on
            result = ("error", exc)
        try:
            conn.send(result)
        except MemoryError:
            os._exit(3)
        except Exception:  # an unpicklable result or exception: send its text
            conn.send(("error", f"{type(result[1]).__name__}: {result[1]}\n{traceback.format_exc(limit=2)}"))
        if result[0] == "memory":
            os._exit(0)  # a worker that ran out of memory is not reused


class _Worker:
    def __init__(self, ctx, memory_mb: int | None) -> None:
        self.conn, child = ctx.Pipe(duplex=True)
        self.proc = ctx.Process(target=_worker_main, args=(child, memory_mb), daemon=True)
        self.proc.start()
        child.close()
        self.task: Task | None = None
        self.started = 0.0

    def send(self, task: Task) -> None:
        self.task = task
        self.started = time.perf_counter()
        self.conn.send((task.fn, task.args))

    def kill(self) -> None:
        try:
            self.proc.kill()
        except (OSError, AttributeError):
            pass
        self.proc.join(timeout=5)
        self.conn.close()

    def stop(self) -> None:
        try:
            self.conn.send(None)
        except (OSError, BrokenPipeError):
            pass
        self.proc.join(timeout=1)
        if self.proc.is_alive():
            self.kill()
        else:
            self.conn.close()


class WorkerPool:
    """``size`` workers; ``memory_mb`` caps each one's address space growth.

    >>> with WorkerPool(1) as pool:
    ...     pool.run(pow, (2, 10), timeout=5).value
    1024
    """

    def __init__(self, size: int = 1, memory_mb: int | None = 1024) -> None:
        self.size = max(1, size)
        self.memory_mb = memory_mb
        self._ctx = mp.get_context("fork")
        self._workers: list[_Worker] = []
        self.replaced = 0

    def __enter__(self) -> WorkerPool:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def _spawn(self) -> _Worker:
        return _Worker(self._ctx, self.memory_mb)

    def _ensure(self) -> None:
        while len(self._workers) < self.size:
            self._workers.append(self._spawn())

    def _replace(self, w: _Worker) -> _Worker:
        """Kill ``w`` and put a fresh worker in its place."""
        w.kill()
        fresh = self._spawn()
        self._workers[self._workers.index(w)] = fresh
        self.replaced += 1
        return fresh

    def run(self, fn: Callable, args: tuple, timeout: float) -> Outcome:
        """Run one task and wait for it."""
        ((_, outcome),) = list(self.map([Task(None, fn, args, timeout)]))
        return outcome

    def map(self, tasks: Iterable[Task]) -> Iterator[tuple[Any, Outcome]]:
        """Run tasks on the workers, yielding ``(key, outcome)`` as they finish."""
        pending = iter(tasks)
        return self.serve(lambda: next(pending, None))

    def serve(self, next_task: Callable[[], Task | None]) -> Iterator[tuple[Any, Outcome]]:
        """Keep the workers busy with ``next_task()`` (None: nothing to run
        right now), yielding ``(key, outcome)`` as tasks finish; stops when
        nothing is running and ``next_task()`` has nothing. The consumer may
        make new tasks available before it asks for the next result."""
        self._ensure()
        idle = list(self._workers)
        busy: dict[Connection, _Worker] = {}
        try:
            while True:
                while idle:
                    task = next_task()
                    if task is None:
                        break
                    w = idle.pop()
                    w.send(task)
                    busy[w.conn] = w
                if not busy:
                    return
                now = time.perf_counter()
                deadline = min(w.started + w.task.timeout for w in busy.values())
                ready = wait(list(busy), timeout=max(deadline - now, 0))
                now = time.perf_counter()
                for conn in ready:
                    w = busy.pop(conn)
                    task, spent = w.task, now - w.started
                    try:
                        kind, value = conn.recv()
                    except (EOFError, OSError):
                        kind, value = "memory", f"the worker died (exit code {w.proc.exitcode})"
                    if kind == "memory" or not w.proc.is_alive():
                        w = self._replace(w)
                    idle.append(w)
                    yield task.key, Outcome(kind, value, spent)
                for conn, w in list(busy.items()):
                    if now - w.started >= w.task.timeout:
                        busy.pop(conn)
                        task = w.task
                        idle.append(self._replace(w))
                        yield task.key, Outcome("timeout", None, now - w.started)
        finally:
            for conn, w in busy.items():  # interrupted: do not leave work running
                self._replace(w)

    def close(self) -> None:
        for w in self._workers:
            w.stop()
        self._workers = []
