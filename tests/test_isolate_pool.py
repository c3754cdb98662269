"""WorkerPool: killable, memory-capped forked workers (symproof.isolate.pool)."""
from __future__ import annotations

import faulthandler
import multiprocessing as mp
import os
import signal
import subprocess
import sys
import textwrap
import threading
import time

import pytest
import sympy as sp

from symproof.isolate import Outcome, Task, WorkerPool


# -- task functions (module level: a forked worker finds them by reference) --------------------
def pid() -> int:
    return os.getpid()


def sleep_then(seconds: float, value):
    time.sleep(seconds)
    return value, os.getpid()


def allocate(mb: int) -> int:
    block = bytearray(mb * 2**20)
    return len(block)


def gmp_blowup() -> int:
    import gmpy2

    return int(gmpy2.mpz(3) ** (10**10)).bit_length()  # ~2 GB of limbs: GMP aborts under the cap


def abort() -> None:
    os.abort()


def exit_now(code: int) -> None:
    os._exit(code)


def raise_unpicklable():
    class Local(Exception):  # a class defined in a function cannot be pickled
        pass

    raise Local("it went wrong here")


def raise_with_lock():
    raise ValueError(threading.Lock())  # an argument that cannot be pickled


def return_lambda():
    return lambda: 1


def raise_value_error(msg):
    raise ValueError(msg)


def huge_unevaluated_power():
    return sp.Pow(10, 10**7, evaluate=False)


def describe(expr):
    return type(expr).__name__, expr.exp if isinstance(expr, sp.Pow) else None


# -- helpers ---------------------------------------------------------------------------------
def _alive(p: int) -> bool:
    """A process that exists and is not a zombie."""
    try:
        with open(f"/proc/{p}/stat") as fh:
            return fh.read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False


def _pids(pool: WorkerPool) -> list[int]:
    return [w.proc.pid for w in pool._workers]


@pytest.fixture(autouse=True)
def _no_crash_dumps():
    """Workers fork from this process: pytest's faulthandler would print a dump when one aborts."""
    was = faulthandler.is_enabled()
    faulthandler.disable()
    yield
    if was:
        faulthandler.enable()


# -- tests -----------------------------------------------------------------------------------
def test_run_returns_the_value_and_reuses_the_worker():
    with WorkerPool(1) as pool:
        first = pool.run(pid, (), timeout=5)
        second = pool.run(pid, (), timeout=5)
        assert first.ok and first.kind == "ok" and first.value == second.value != os.getpid()
        assert 0 <= first.seconds < 5
        assert pool.replaced == 0


def test_a_timeout_kills_only_the_offending_worker():
    with WorkerPool(2) as pool:
        before = pool.run(pid, (), timeout=5)  # start the workers
        pids = _pids(pool)
        t0 = time.perf_counter()
        out = dict(pool.map([Task("slow", sleep_then, (60, "never"), 0.5),
                             Task("quick", sleep_then, (0.05, "done"), 5)]))
        elapsed = time.perf_counter() - t0
        assert out["slow"].kind == "timeout" and out["slow"].value is None
        assert 0.5 <= out["slow"].seconds < 2.5 and elapsed < 3
        assert out["quick"].kind == "ok" and out["quick"].value[0] == "done"
        survivor = out["quick"].value[1]
        victim = next(p for p in pids if p != survivor)
        assert survivor in pids and before.value in pids
        assert _alive(survivor) and not _alive(victim)
        assert pool.replaced == 1
        now = _pids(pool)
        assert survivor in now and victim not in now and len(now) == 2 and all(_alive(p) for p in now)
        # the pool keeps working, on both workers
        again = dict(pool.map([Task(k, sleep_then, (0.2, k), 5) for k in range(4)]))
        assert {k: o.value[0] for k, o in again.items()} == {0: 0, 1: 1, 2: 2, 3: 3}
        assert {o.value[1] for o in again.values()} == set(now)


def test_memory_error_becomes_memory_and_the_worker_is_replaced():
    with WorkerPool(1, memory_mb=64) as pool:
        first = pool.run(pid, (), timeout=5).value
        assert pool.run(allocate, (8,), timeout=10).value == 8 * 2**20  # under the cap: fine
        out = pool.run(allocate, (512,), timeout=10)
        assert out.kind == "memory" and not out.ok
        assert pool.replaced == 1
        after = pool.run(pid, (), timeout=5)
        assert after.ok and after.value != first and not _alive(first)


@pytest.mark.parametrize("fn, args", [(abort, ()), (gmp_blowup, ()), (exit_now, (3,))],
                         ids=["os.abort", "gmp-abort-at-the-cap", "os._exit"])
def test_a_worker_that_dies_becomes_memory_and_is_replaced(fn, args):
    with WorkerPool(1, memory_mb=256) as pool:
        first = pool.run(pid, (), timeout=5).value
        out = pool.run(fn, args, timeout=20)
        assert out.kind == "memory", out
        assert isinstance(out.value, str) and "died" in out.value
        assert pool.replaced == 1
        after = pool.run(pid, (), timeout=5)
        assert after.ok and after.value != first


def test_map_keeps_keys_whatever_the_order_and_outcome():
    keys = [("chain", 1), "b", 3, None, frozenset({2}), ("error",), ("slow",)]
    tasks = [Task(("chain", 1), sleep_then, (0.3, "a"), 5),
             Task("b", sleep_then, (0.0, "b"), 5),
             Task(3, sleep_then, (0.15, 3), 5),
             Task(None, sleep_then, (0.05, None), 5),
             Task(frozenset({2}), sleep_then, (0.1, "set"), 5),
             Task(("error",), raise_value_error, ("bad",), 5),
             Task(("slow",), sleep_then, (30, "x"), 0.4)]
    with WorkerPool(3) as pool:
        results = list(pool.map(tasks))
    assert sorted(map(repr, (k for k, _ in results))) == sorted(map(repr, keys))  # each key once
    out = dict(results)
    assert out[("chain", 1)].value[0] == "a" and out["b"].value[0] == "b" and out[3].value[0] == 3
    assert out[None].value[0] is None and out[frozenset({2})].value[0] == "set"
    assert out[("error",)].kind == "error" and isinstance(out[("error",)].value, ValueError)
    assert str(out[("error",)].value) == "bad"
    assert out[("slow",)].kind == "timeout"
    order = [k for k, _ in results]
    assert order != keys  # completion order, not submission order


@pytest.mark.parametrize("fn, name", [(raise_unpicklable, "Local"), (raise_with_lock, "ValueError"),
                                      (return_lambda, "function")])
def test_what_cannot_be_pickled_comes_back_as_text(fn, name):
    with WorkerPool(1) as pool:
        first = pool.run(pid, (), timeout=5).value
        out = pool.run(fn, (), timeout=5)
        assert out.kind == "error" and isinstance(out.value, str), out
        assert name in out.value
        if fn is raise_unpicklable:
            assert "it went wrong here" in out.value
        assert pool.run(pid, (), timeout=5).value == first  # the worker lives on
        assert pool.replaced == 0


def test_an_unevaluated_sympy_result_is_not_evaluated_when_it_comes_back():
    """sympy rebuilds objects from their arguments when unpickling, which evaluates them:
    a worker's unevaluated 10^(10^7) (10^(10^10) from a student's line) would be computed
    in the parent, outside any limit."""
    with WorkerPool(1) as pool:
        out = pool.run(huge_unevaluated_power, (), timeout=10)
        assert out.ok
        assert isinstance(out.value, sp.Pow) and out.value.exp == 10**7  # not an Integer of 10^7 digits
        back = pool.run(describe, (out.value,), timeout=10)  # and the way to the worker
        assert back.value == ("Pow", 10**7)


def test_close_leaves_no_child_processes():
    before = {p.pid for p in mp.active_children()}
    pool = WorkerPool(3)
    pool.run(pid, (), timeout=5)
    list(pool.map([Task(0, sleep_then, (30, 0), 0.3)]))  # one replaced worker too
    pids = _pids(pool)
    assert len(pids) == 3 and all(_alive(p) for p in pids) and pool.replaced == 1
    pool.close()
    assert not any(_alive(p) for p in pids)
    assert {p.pid for p in mp.active_children()} <= before
    with WorkerPool(2) as pool2:
        pool2.run(pid, (), timeout=5)
        pids2 = _pids(pool2)
    assert not any(_alive(p) for p in pids2)


def test_an_abandoned_map_stops_its_running_work():
    with WorkerPool(2) as pool:
        pool.run(pid, (), timeout=5)
        pids = _pids(pool)
        it = pool.map([Task(k, sleep_then, (0.05 if k == 0 else 60, k), 100) for k in range(2)])
        key, first = next(it)
        assert key == 0 and first.ok
        it.close()  # the consumer gives up (Ctrl-C in a batch): the worker still sleeping is replaced
        assert pool.replaced == 1
        assert sum(_alive(p) for p in pids) == 1
        assert pool.run(pid, (), timeout=5).ok


def test_workers_end_when_the_parent_is_killed(tmp_path):
    """A worker must not outlive a parent that died without closing the pool (SIGKILL, OOM
    killer): it sees the end of its pipe, which needs every copy of the parent's end closed."""
    code = textwrap.dedent("""
        import os, time
        from symproof.isolate import WorkerPool, Task
        pool = WorkerPool(3)
        pool.run(os.getpid, (), timeout=5)
        list(pool.map([Task(0, time.sleep, (30,), 0.2)]))  # a replaced worker, forked last
        print(*[w.proc.pid for w in pool._workers], flush=True)
        os.kill(os.getpid(), 9)
    """)
    out, err = tmp_path / "pids.txt", tmp_path / "stderr.txt"
    with open(out, "w") as fo, open(err, "w") as fe:  # files, not pipes: surviving workers would hold a pipe open
        proc = subprocess.run([sys.executable, "-c", code], stdout=fo, stderr=fe, timeout=60)
    assert proc.returncode == -signal.SIGKILL, err.read_text()[-2000:]
    pids = [int(p) for p in out.read_text().split()]
    assert len(pids) == 3
    deadline = time.monotonic() + 10
    while any(_alive(p) for p in pids) and time.monotonic() < deadline:
        time.sleep(0.05)
    survivors = [p for p in pids if _alive(p)]
    for p in survivors:  # do not leave them behind when the test fails
        os.kill(p, signal.SIGKILL)
    assert not survivors, f"workers {survivors} outlived their parent"


def test_outcome_ok_only_for_ok():
    assert Outcome("ok", 1).ok
    assert not any(Outcome(k).ok for k in ("error", "timeout", "memory"))
