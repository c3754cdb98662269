"""Forked worker processes that can be killed and replaced one at a time.

sympy has no timeouts of its own and ``signal.alarm`` cannot interrupt a
long GMP call, so untrusted checks run in workers: the parent waits on a
pipe with a wall-time budget and, when it runs out, kills that worker
(SIGKILL) and forks a fresh one. ``RLIMIT_AS`` caps each worker's memory.
Workers are reused across tasks, so isolation costs a pipe round trip, not
a process start. (``concurrent.futures.ProcessPoolExecutor`` cannot do this:
one killed worker breaks the whole pool.)

Messages are unpickled with sympy's evaluation switched off (:func:`_loads`):
sympy rebuilds an object by calling its constructor, so unpickling an
unevaluated ``Pow(10, 10**10)`` that a worker read from a student's line
would compute it — in the parent, where nothing can stop it.
"""
from __future__ import annotations

import multiprocessing as mp
import os
import pickle
import resource
import signal
import threading
import time
import traceback
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from multiprocessing.reduction import ForkingPickler
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


def _loads(buf: bytes) -> Any:
    """Unpickle ``buf`` as it was pickled: sympy objects are rebuilt from their
    arguments without evaluating them again (already-evaluated objects come
    back the same; deliberately unevaluated ones stay unevaluated).

    The flag is set directly, not with ``sympy.core.parameters.evaluate``,
    whose setter clears sympy's whole cache at each change: on every message
    that made a class batch about 1.5 times slower (the workers lost their
    cache between steps). What unpickling leaves in the cache is sound: an
    object rebuilt from an evaluated object's arguments is that object, and
    a deliberately unevaluated one (a huge power) is returned, unevaluated but
    equal in value, to later constructions from the same arguments.
    """
    from sympy.core.parameters import global_parameters

    if not global_parameters.evaluate:
        return pickle.loads(buf)
    set_flag = threading.local.__setattr__  # not _global_parameters.__setattr__, which clears the cache
    set_flag(global_parameters, "evaluate", False)
    try:
        return pickle.loads(buf)
    finally:
        set_flag(global_parameters, "evaluate", True)


def _send(conn: Connection, obj: Any) -> None:
    conn.send_bytes(ForkingPickler.dumps(obj))


def _worker_main(conn: Connection, memory_mb: int | None, inherited: list[Connection]) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    for c in inherited:  # the parent's ends of the pipes: without them, the parent's death is an EOF here
        c.close()
    if memory_mb:
        cap = _vm_bytes() + memory_mb * 2**20
        try:
            resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
        except (ValueError, OSError):
            pass
    while True:
        try:
            buf = conn.recv_bytes()
        except (EOFError, OSError):
            return
        try:
            msg = _loads(buf)
        except Exception as exc:  # noqa: BLE001 - a task that cannot be rebuilt here is its error
            _send(conn, ("error", f"the task could not be unpickled in the worker: {type(exc).__name__}: {exc}"))
            continue
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
            _send(conn, result)
        except MemoryError:
            os._exit(3)
        except Exception:  # an unpicklable result or exception: send its text
            _send(conn, ("error", f"{type(result[1]).__name__}: {result[1]}\n{traceback.format_exc(limit=2)}"))
        if result[0] == "memory":
            os._exit(0)  # a worker that ran out of memory is not reused


class _Worker:
    def __init__(self, ctx, memory_mb: int | None, others: list[Connection]) -> None:
        self.conn, child = ctx.Pipe(duplex=True)
        self.proc = ctx.Process(target=_worker_main, args=(child, memory_mb, [self.conn, *others]), daemon=True)
        self.proc.start()
        child.close()
        self.task: Task | None = None
        self.started = 0.0

    def send(self, task: Task) -> None:
        self.task = task
        self.started = time.perf_counter()
        _send(self.conn, (task.fn, task.args))

    def kill(self) -> None:
        try:
            self.proc.kill()
        except (OSError, AttributeError):
            pass
        self.proc.join(timeout=5)
        self.conn.close()

    def stop(self) -> None:
        try:
            _send(self.conn, None)
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
        return _Worker(self._ctx, self.memory_mb, [w.conn for w in self._workers if not w.conn.closed])

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
                        buf = conn.recv_bytes()
                    except (EOFError, OSError):
                        w.proc.join(timeout=1)
                        kind, value = "memory", f"the worker died (exit code {w.proc.exitcode})"
                    else:
                        try:
                            kind, value = _loads(buf)
                        except Exception as exc:  # noqa: BLE001 - the result is lost, the pool is not
                            kind, value = "error", f"the result could not be unpickled: {type(exc).__name__}: {exc}"
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
