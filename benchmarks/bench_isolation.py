"""What does isolation cost, and does ``--jobs 2`` pay?

    python benchmarks/bench_isolation.py [--steps 200] [--submissions 100] [--runs 3]

(a) **per-step overhead** of the worker pool: ``--steps`` distinct trivial
    steps (``x + k`` / ``= k + x``), each run as the grader's step request
    (read both lines, check) in this process and through a reused
    ``WorkerPool(1)``; the median of the paired differences is the overhead
    per step (target < 5 ms). Also: a whole one-step submission through
    ``grade_text`` both ways, and a bare pool round trip.
(b) **batch throughput**: ``--submissions`` generated submissions (5–10
    lines from templates — binomials, derivatives, sums, logs, fractions,
    the sigmoid — about a quarter of the steps made wrong) in a temporary
    directory, graded by ``symproof grade DIR --json`` with ``--jobs 1`` and
    ``--jobs 2`` as subprocesses; median of ``--runs`` runs each, and the
    speedup (target ≥ 1.7× on two free cores); also the fixed cost of a run
    (interpreter, imports, pool: ``symproof grade`` on one trivial file) and
    the speedup without it. Both runs must give the same verdicts.

Prints figures only; asserts nothing about time.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from symproof.check.engine import DEFAULT
from symproof.grade.grader import Request, grade_text, run_inline
from symproof.grade.tasks import step_task
from symproof.isolate import WorkerPool
from symproof.model.context import Context

ROOT = Path(__file__).resolve().parents[1]


# -- (a) per-step overhead ---------------------------------------------------------------------
def _noop() -> None:
    return None


def _step(k: int) -> Request:
    return Request(step_task, (f"x + {k}", "=", f"{k} + x", Context(), DEFAULT), 30.0)


def _timed(run, request) -> float:
    t0 = time.perf_counter()
    out = run(request)
    dt = time.perf_counter() - t0
    assert out.ok and out.value[0] == "ok" and out.value[1].ok, out
    return dt


def per_step(steps: int) -> dict[str, float]:
    from symproof.parse import _cached

    with WorkerPool(1) as pool:
        def in_pool(r: Request):
            return pool.run(r.fn, r.args, r.timeout)

        for k in range(20):  # warm both: imports, the engine's first calls
            _timed(run_inline, _step(-k - 1))
            _timed(in_pool, _step(-k - 1))
        inline, pooled = [], []
        for k in range(steps):  # distinct texts, each read once in each process; order alternates
            r = _step(1000 + k)
            if k % 2:
                inline.append(_timed(run_inline, r))
                pooled.append(_timed(in_pool, r))
            else:
                pooled.append(_timed(in_pool, r))
                inline.append(_timed(run_inline, r))
        trips = []
        for _ in range(steps):
            t0 = time.perf_counter()
            pool.run(_noop, (), 5)
            trips.append(time.perf_counter() - t0)
        whole_inline, whole_pool = [], []
        for k in range(min(steps, 100)):
            _cached.cache_clear()
            text = f"x^{{2}} + {k}\n= {k} + x^{{2}}"
            t0 = time.perf_counter()
            assert grade_text(text).ok
            whole_inline.append(time.perf_counter() - t0)
            text = f"y^{{2}} + {k}\n= {k} + y^{{2}}"
            t0 = time.perf_counter()
            assert grade_text(text, pool=pool).ok
            whole_pool.append(time.perf_counter() - t0)
    ms = 1000.0
    return {
        "inline": statistics.median(inline) * ms,
        "pooled": statistics.median(pooled) * ms,
        "overhead": statistics.median(p - i for p, i in zip(pooled, inline)) * ms,
        "round_trip": statistics.median(trips) * ms,
        "grade_inline": statistics.median(whole_inline) * ms,
        "grade_pool": statistics.median(whole_pool) * ms,
    }


# -- (b) batch throughput ----------------------------------------------------------------------
def _binomial(r: random.Random) -> tuple[list[str], list[str]]:
    p, q = r.randint(1, 5), r.randint(1, 9)
    return [], [
        f"({p}x + {q})^{{2}}",
        f"({p}x + {q})({p}x + {q})",
        f"{p}x \\cdot {p}x + {p}x \\cdot {q} + {q} \\cdot {p}x + {q}^{{2}}",
        f"{p * p}x^{{2}} + {p * q}x + {p * q}x + {q * q}",
        f"{p * p}x^{{2}} + {2 * p * q}x + {q * q}",
        f"x({p * p}x + {2 * p * q}) + {q * q}",
        f"{p * p}x \\cdot x + {2 * p * q}x + {q * q}",
    ]


def _derivative(r: random.Random) -> tuple[list[str], list[str]]:
    n, c = r.randint(3, 7), r.randint(2, 9)
    return [], [
        f"\\frac{{d}}{{dx}}\\left(x^{{{n}}} + {c}x^{{2}}\\right)",
        f"\\frac{{d}}{{dx}} x^{{{n}}} + \\frac{{d}}{{dx}} {c}x^{{2}}",
        f"{n}x^{{{n - 1}}} + {2 * c}x",
        f"x\\left({n}x^{{{n - 2}}} + {2 * c}\\right)",
        f"{n}x^{{{n - 1}}} + {c}x + {c}x",
        f"{2 * c}x + {n}x^{{{n - 1}}}",
    ]


def _sum(r: random.Random) -> tuple[list[str], list[str]]:
    a, b = r.randint(2, 6), r.randint(1, 9)
    return ["% symproof: assume N > 0"], [
        f"\\sum_{{i=1}}^{{N}} \\left({a}i + {b}\\right)",
        f"{a}\\sum_{{i=1}}^{{N}} i + \\sum_{{i=1}}^{{N}} {b}",
        f"{a}\\cdot\\frac{{N(N+1)}}{{2}} + {b}N",
        f"\\frac{{{a}N^{{2}} + {a}N}}{{2}} + {b}N",
        f"\\frac{{{a}N^{{2}} + {a + 2 * b}N}}{{2}}",
        f"\\frac{{N({a}N + {a + 2 * b})}}{{2}}",
    ]


def _log(r: random.Random) -> tuple[list[str], list[str]]:
    k, m = r.randint(2, 6), r.randint(2, 6)
    return ["% symproof: assume x > 0, y > 0"], [
        f"\\log\\left(x^{{{k}}} y^{{{m}}}\\right)",
        f"\\log\\left(x^{{{k}}}\\right) + \\log\\left(y^{{{m}}}\\right)",
        f"{k}\\log x + {m}\\log y",
        f"{k}\\left(\\log x + \\frac{{{m}}}{{{k}}}\\log y\\right)",
        f"\\log\\left(x^{{{k}}}\\right) + {m}\\log y",
    ]


def _fraction(r: random.Random) -> tuple[list[str], list[str]]:
    a = r.randint(1, 9)
    return [], [
        f"\\frac{{1}}{{x-{a}}} - \\frac{{1}}{{x+{a}}}",
        f"\\frac{{(x+{a}) - (x-{a})}}{{(x-{a})(x+{a})}}",
        f"\\frac{{{2 * a}}}{{(x-{a})(x+{a})}}",
        f"\\frac{{{2 * a}}}{{x^{{2}} - {a * a}}}",
        f"{2 * a}\\left(x^{{2}} - {a * a}\\right)^{{-1}}",
    ]


def _sigmoid(r: random.Random) -> tuple[list[str], list[str]]:
    return ["% symproof: function \\sigma(z) = \\frac{1}{1+e^{-z}}"], [
        "\\sigma'(z)",
        "\\frac{e^{-z}}{\\left(1+e^{-z}\\right)^{2}}",
        "\\frac{1}{1+e^{-z}} \\cdot \\frac{e^{-z}}{1+e^{-z}}",
        "\\sigma(z) \\cdot \\frac{e^{-z}}{1+e^{-z}}",
        "\\sigma(z)\\left(1-\\sigma(z)\\right)",
    ]


TEMPLATES = (_binomial, _derivative, _sum, _log, _fraction, _sigmoid)


def _wrong(line: str, r: random.Random) -> str:
    """A student's slip: one number off by one, or a sign flipped."""
    numbers = list(re.finditer(r"(?<![{^_\\])\b\d+\b", line))
    if numbers:
        m = r.choice(numbers)
        return line[: m.start()] + str(int(m.group()) + 1) + line[m.end():]
    return line.replace("+", "-", 1) if "+" in line else line + " + 1"


def submission(r: random.Random) -> str:
    """5–10 lines: one or two chains, about a quarter of the steps wrong."""
    target = r.randint(5, 10)
    decls: list[str] = []
    blocks: list[str] = []
    used = 0
    while used < target:
        head, lines = r.choice(TEMPLATES)(r)
        take = min(len(lines), max(2, target - used))
        chain = [lines[0]] + [("= " + (_wrong(x, r) if r.random() < 0.25 else x)) for x in lines[1:take]]
        decls += [d for d in head if d not in decls]
        blocks.append("\n".join(chain))
        used += take
    return "\n".join(decls + [""]) + "\n\n".join(blocks) + "\n"


def _symproof() -> list[str]:
    exe = shutil.which("symproof", path=str(Path(sys.executable).parent))
    return [exe] if exe else [sys.executable, "-m", "symproof"]


def _verdicts(doc: dict) -> dict:
    return {s["file"]: [(st["line"], st["status"]) for p in s["parts"] for st in p["steps"]]
            + [(e["line"], "error") for e in s["errors"]] for s in doc["submissions"]}


def batch(n: int, runs: int, seed: int = 7) -> dict[str, object]:
    r = random.Random(seed)
    with tempfile.TemporaryDirectory() as tmp:
        d = Path(tmp) / "class"
        d.mkdir()
        lines = 0
        for k in range(n):
            text = submission(r)
            lines += sum(1 for x in text.splitlines() if x.strip() and not x.startswith("%"))
            (d / f"student{k:03d}.tex").write_text(text, encoding="utf-8")
        one = Path(tmp) / "one.tex"
        one.write_text("x + 1\n= 1 + x\n", encoding="utf-8")
        subprocess.run(_symproof() + ["grade", str(one)], capture_output=True)  # page cache, .pyc files
        startup = []
        times: dict[int, list[float]] = {1: [], 2: []}
        docs: dict[int, dict] = {}
        for _ in range(runs):
            t0 = time.perf_counter()
            subprocess.run(_symproof() + ["grade", str(one), "--json"], capture_output=True)
            startup.append(time.perf_counter() - t0)
            for jobs in (1, 2):
                t0 = time.perf_counter()
                proc = subprocess.run(_symproof() + ["grade", str(d), "--jobs", str(jobs), "--json"],
                                      capture_output=True, text=True)
                times[jobs].append(time.perf_counter() - t0)
                if proc.returncode not in (0, 1, 2) or "Traceback" in proc.stderr:
                    raise SystemExit(f"symproof grade failed ({proc.returncode}): {proc.stderr[-2000:]}")
                docs[jobs] = json.loads(proc.stdout)
        v1, v2 = _verdicts(docs[1]), _verdicts(docs[2])
        statuses = [s for steps in v1.values() for _, s in steps]
    return {
        "lines": lines,
        "jobs1": statistics.median(times[1]),
        "jobs2": statistics.median(times[2]),
        "best1": min(times[1]),
        "best2": min(times[2]),
        "startup": statistics.median(startup),
        "same": v1 == v2,
        "counts": {s: statuses.count(s) for s in sorted(set(statuses))},
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--steps", type=int, default=200)
    ap.add_argument("--submissions", type=int, default=100)
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} CPUs")
    a = per_step(args.steps)
    print(f"(a) trivial step, median of {args.steps}: in process {a['inline']:.2f} ms, "
          f"through a reused worker {a['pooled']:.2f} ms; overhead {a['overhead']:.2f} ms/step (target < 5)")
    print(f"    bare pool round trip {a['round_trip']:.3f} ms; whole one-step submission via grade_text: "
          f"{a['grade_inline']:.2f} ms in process, {a['grade_pool']:.2f} ms with the pool")
    b = batch(args.submissions, args.runs)
    print(f"(b) {args.submissions} submissions ({b['lines']} math lines; verdicts {b['counts']}), "
          f"median of {args.runs} runs:")
    print(f"    --jobs 1: {b['jobs1']:.2f} s   --jobs 2: {b['jobs2']:.2f} s   speedup {b['jobs1'] / b['jobs2']:.2f}x "
          f"(target >= 1.7); same verdicts: {'yes' if b['same'] else 'NO'}")
    print(f"    best of {args.runs}: --jobs 1: {b['best1']:.2f} s   --jobs 2: {b['best2']:.2f} s   "
          f"speedup {b['best1'] / b['best2']:.2f}x")
    s = b["startup"]
    print(f"    fixed cost of a run (one trivial file): {s:.2f} s; without it: {b['jobs1'] - s:.2f} s vs "
          f"{b['jobs2'] - s:.2f} s, speedup {(b['jobs1'] - s) / (b['jobs2'] - s):.2f}x")


if __name__ == "__main__":
    main()
