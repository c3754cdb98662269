"""Benchmark: the checking engine against a naive ``sympy.simplify`` baseline.

Run::

    python benchmarks/bench_check.py [--repeat N] [--json] [--baseline-seconds S]

Every step of every registered derivation (``registry.all_derivations()``,
walked with ``engine.step_pairs``) is checked two ways in one process:

(a) **engine** — ``check_step(previous, step, ctx)`` with the default options
    (numeric screen, then the symbolic strategies under the step budget).
    Counted as proved when the verdict is ``proved``; ``numeric`` verdicts are
    counted separately.

(b) **naive baseline** — what a user would write by hand with sympy:

    * if the step has a rule, apply it exactly as the engine does
      (``step.rule.apply(previous, ctx)``; a ``RuleError`` means unproved), and
      then, like the engine, compare with ``=`` (expressions) or ``<=>``
      (equations);
    * ``prepare`` both sides with the context (unfold definitions, evaluate
      written ``Derivative`` objects) — the baseline gets the same context
      unfolding the engine gets, but nothing else from the context: no unit
      vectors, no index ranges, no ``i != j``, no ``-1 <= c <= 1``; only the
      assumptions carried by the symbols themselves;
    * expressions, ``=``: ``simplify(a - b) == 0``; for matrix expressions
      the simplified difference must be a ``ZeroMatrix`` (``is_ZeroMatrix``, or
      an explicit matrix of zeros);
    * order relations: ``<=``: ``simplify(b - a).is_nonnegative is True``,
      ``<``: ``simplify(b - a).is_positive is True``, and mirrored
      (``a - b``) for ``>=`` and ``>``;
    * equations (both lines are ``Eq``; ``<=>`` and ``=>`` are treated alike):
      with ``dA = A.lhs - A.rhs`` and ``dB = B.lhs - B.rhs`` (both prepared),
      proved when ``simplify(dA - dB) == 0`` or ``simplify(dA + dB) == 0`` or
      ``r = simplify(dA / dB)`` has ``r.is_constant() is True`` and ``r != 0``
      (the same equation up to a constant factor), tried in that order;
    * any exception (shape mismatch, sympy error) means unproved, and so does
      running past ``--baseline-seconds`` (default 60 s, a backstop only; the
      engine has its own 6 s budget per step). A timed-out baseline is shown
      as ``timeout``.

Fairness of the timing:

* Warm-up: sympy and the package are imported and one trivial check of each
  kind (expression, order, equation) is run through both methods before
  anything is timed, so import and lazy-import cost is in neither total.
* ``sympy.core.cache.clear_cache()`` is called before *every* timed check of
  either method (outside the timed region), so both start cold-cached and
  neither profits from sympy's cache filled by the other (or by an earlier
  repeat). In addition the order (engine first / baseline first) alternates
  per step and per repeat.
* With ``--repeat N`` every step is timed N times per method; the table
  shows the median, and the totals are sums of the per-step medians. The
  status shown is the first repeat's (a ``*`` marks a status that differed
  between repeats).

The script never asserts timings and always exits 0.
"""
from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

# runnable as a plain script from a checkout
_ROOT = Path(__file__).resolve().parent.parent
if str(_ROOT) not in sys.path:
    sys.path.insert(0, str(_ROOT))

import sympy as sp  # noqa: E402
from sympy.core.cache import clear_cache  # noqa: E402

from symproof import registry  # noqa: E402
from symproof.check.budget import time_limit  # noqa: E402
from symproof.check.engine import check_step, step_pairs  # noqa: E402
from symproof.check.normalise import prepare  # noqa: E402
from symproof.errors import CheckTimeout, RuleError  # noqa: E402
from symproof.model.context import Context  # noqa: E402
from symproof.model.derivation import Relation, Step  # noqa: E402


# -- the naive baseline --------------------------------------------------------
def _is_matrix(e: sp.Basic) -> bool:
    return isinstance(e, (sp.MatrixExpr, sp.MatrixBase))


def _zero(e: sp.Basic) -> bool:
    if isinstance(e, sp.MatrixBase):
        return all(x == 0 for x in e)
    if isinstance(e, sp.MatrixExpr):
        return bool(e.is_ZeroMatrix) or e == sp.ZeroMatrix(*e.shape)
    return e == 0


def _naive_equal(a: sp.Basic, b: sp.Basic) -> bool:
    return _zero(sp.simplify(a - b))


def _naive_order(a: sp.Basic, rel: Relation, b: sp.Basic) -> bool:
    diff = b - a if rel in (Relation.LE, Relation.LT) else a - b
    s = sp.simplify(diff)
    if rel in (Relation.LE, Relation.GE):
        return s.is_nonnegative is True
    return s.is_positive is True


def _naive_equations(A: sp.Equality, B: sp.Equality, ctx: Context) -> bool:
    dA = prepare(A.lhs - A.rhs, ctx)
    dB = prepare(B.lhs - B.rhs, ctx)
    if sp.simplify(dA - dB) == 0 or sp.simplify(dA + dB) == 0:
        return True
    r = sp.simplify(dA / dB)
    return r.is_constant() is True and r != 0


def baseline_step(previous: sp.Basic, step: Step, ctx: Context) -> str:
    """``proved``, ``unproved``, ``rule-error``, ``error`` (an exception)."""
    prev = previous
    rel = step.relation
    if step.rule is not None:
        try:
            prev = step.rule.apply(previous, ctx)
        except RuleError:
            return "rule-error"
    cur = step.expr
    try:
        if isinstance(prev, sp.Equality) and isinstance(cur, sp.Equality):
            ok = _naive_equations(prev, cur, ctx)
        elif isinstance(prev, sp.Equality) or isinstance(cur, sp.Equality):
            return "error"
        else:
            if step.rule is not None:
                rel = Relation.EQ
            a, b = prepare(prev, ctx), prepare(cur, ctx)
            ok = _naive_equal(a, b) if rel is Relation.EQ else _naive_order(a, rel, b)
    except CheckTimeout:
        raise
    except Exception:  # noqa: BLE001 - the naive user gets nothing from a crash
        return "error"
    return "proved" if ok else "unproved"


# -- timing --------------------------------------------------------------------
def _time_engine(previous, step, ctx):
    clear_cache()
    t0 = time.perf_counter()
    try:
        v = check_step(previous, step, ctx)
        status, method = v.status.value, v.method
    except Exception as exc:  # noqa: BLE001 - report, never crash the benchmark
        status, method = "error", f"{type(exc).__name__}: {exc}"
    return time.perf_counter() - t0, status, method


def _time_baseline(previous, step, ctx, seconds):
    clear_cache()
    t0 = time.perf_counter()
    try:
        with time_limit(seconds):
            status = baseline_step(previous, step, ctx)
    except CheckTimeout:
        status = "timeout"
    return time.perf_counter() - t0, status


def _warm_up(seconds: float) -> None:
    x, y = sp.symbols("x y", positive=True)
    ctx = Context()
    cases = (
        (x + x, Step("=", 2 * x)),
        (x, Step("<", x + 1)),
        (sp.Eq(2 * x, 4), Step("<=>", sp.Eq(x, 2))),
    )
    for prev, step in cases:
        check_step(prev, step, ctx)
        with time_limit(seconds):
            baseline_step(prev, step, ctx)
    sp.simplify(sp.sin(y) ** 2 + sp.cos(y) ** 2)


def run(repeat: int, baseline_seconds: float, names: list[str] | None = None) -> dict:
    # built before anything is timed
    derivations = [registry.get(n) for n in names] if names else registry.all_derivations()
    pairs = [(d.name, pos, ctx, prev, step) for d in derivations for pos, ctx, prev, step in step_pairs(d)]
    _warm_up(baseline_seconds)

    samples = [{"engine": [], "baseline": [], "e_status": [], "b_status": [], "method": []} for _ in pairs]
    for r in range(repeat):
        for k, (_, _, ctx, prev, step) in enumerate(pairs):
            s = samples[k]
            engine_first = (r + k) % 2 == 0
            for which in (("engine", "baseline") if engine_first else ("baseline", "engine")):
                if which == "engine":
                    t, st, method = _time_engine(prev, step, ctx)
                    s["engine"].append(t)
                    s["e_status"].append(st)
                    s["method"].append(method)
                else:
                    t, st = _time_baseline(prev, step, ctx, baseline_seconds)
                    s["baseline"].append(t)
                    s["b_status"].append(st)

    rows = []
    for (name, pos, _, _, step), s in zip(pairs, samples):
        rows.append({
            "derivation": name,
            "line": pos,
            "relation": step.relation.value,
            "rule": step.rule.describe() if step.rule is not None else None,
            "engine_seconds": statistics.median(s["engine"]),
            "engine_status": s["e_status"][0],
            "engine_method": s["method"][0],
            "engine_stable": len(set(s["e_status"])) == 1,
            "baseline_seconds": statistics.median(s["baseline"]),
            "baseline_status": s["b_status"][0],
            "baseline_proved": s["b_status"][0] == "proved",
            "baseline_stable": len(set(s["b_status"])) == 1,
            "engine_samples": s["engine"],
            "baseline_samples": s["baseline"],
        })

    e_total = sum(r["engine_seconds"] for r in rows)
    b_total = sum(r["baseline_seconds"] for r in rows)
    statuses = [r["engine_status"] for r in rows]
    slowest = sorted(rows, key=lambda r: r["engine_seconds"], reverse=True)[:5]
    return {
        "repeat": repeat,
        "timing": "median of repeats per step; sympy cache cleared before every timed check",
        "baseline_seconds_limit": baseline_seconds,
        "sympy": sp.__version__,
        "python": sys.version.split()[0],
        "steps": rows,
        "totals": {
            "steps": len(rows),
            "engine_seconds": e_total,
            "baseline_seconds": b_total,
            "ratio_baseline_over_engine": (b_total / e_total) if e_total > 0 else None,
            "engine_proved": statuses.count("proved"),
            "engine_numeric": statuses.count("numeric"),
            "engine_refuted": statuses.count("refuted"),
            "engine_unknown": statuses.count("unknown"),
            "engine_error": statuses.count("error"),
            "baseline_proved": sum(r["baseline_proved"] for r in rows),
        },
        "baseline_failures": [
            {"derivation": r["derivation"], "line": r["line"], "relation": r["relation"],
             "status": r["baseline_status"]}
            for r in rows if not r["baseline_proved"]
        ],
        "slowest_engine_steps": [
            {"derivation": r["derivation"], "line": r["line"], "relation": r["relation"],
             "engine_seconds": r["engine_seconds"], "method": r["engine_method"]}
            for r in slowest
        ],
    }


def _print_table(res: dict) -> None:
    rows = res["steps"]
    w = max([len("derivation")] + [len(r["derivation"]) for r in rows])
    head = (f"{'derivation':<{w}}  {'line':>4}  {'rel':>3}  {'engine s':>9}  {'engine':<9}  "
            f"{'baseline s':>10}  {'baseline':<10}  engine method")
    print(f"symproof check benchmark: sympy {res['sympy']}, python {res['python']}, "
          f"repeat {res['repeat']} ({res['timing']})")
    print(head)
    print("-" * len(head))
    for r in rows:
        e_mark = "" if r["engine_stable"] else "*"
        b_mark = "" if r["baseline_stable"] else "*"
        b = r["baseline_status"]
        print(f"{r['derivation']:<{w}}  {r['line']:>4}  {r['relation']:>3}  {r['engine_seconds']:>9.4f}  "
              f"{r['engine_status'] + e_mark:<9}  {r['baseline_seconds']:>10.4f}  {b + b_mark:<10}  "
              f"{r['engine_method']}")
    t = res["totals"]
    ratio = t["ratio_baseline_over_engine"]
    print()
    print(f"steps: {t['steps']}")
    print(f"engine total:   {t['engine_seconds']:.3f} s  (proved {t['engine_proved']}, numeric {t['engine_numeric']}, "
          f"refuted {t['engine_refuted']}, unknown {t['engine_unknown']}, error {t['engine_error']})")
    print(f"baseline total: {t['baseline_seconds']:.3f} s  (proved {t['baseline_proved']} of {t['steps']})")
    print(f"ratio baseline/engine: {ratio:.2f}" if ratio is not None else "ratio baseline/engine: n/a")
    if res["baseline_failures"]:
        print("baseline fails on: " + ", ".join(
            f"{f['derivation']}:{f['line']} ({f['status']})" for f in res["baseline_failures"]))
    print("slowest engine steps:")
    for s in res["slowest_engine_steps"]:
        print(f"  {s['derivation']}:{s['line']} {s['relation']}  {s['engine_seconds']:.4f} s  {s['method']}")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("names", nargs="*", metavar="NAME", help="derivations to measure (default: all)")
    ap.add_argument("--repeat", type=int, default=1, help="timed runs per step and method (default 1)")
    ap.add_argument("--json", action="store_true", help="print one JSON object instead of the table")
    ap.add_argument("--baseline-seconds", type=float, default=60.0,
                    help="backstop time limit of one baseline check (default 60)")
    args = ap.parse_args(argv)
    res = run(max(1, args.repeat), args.baseline_seconds, args.names)
    if args.json:
        json.dump(res, sys.stdout, indent=2)
        print()
    else:
        _print_table(res)
    return 0


if __name__ == "__main__":
    sys.exit(main())
