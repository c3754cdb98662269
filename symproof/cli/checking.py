"""``symproof check [NAME ...] [--json]``."""
from __future__ import annotations

import argparse
import json
import os
import sys
import time


def add_parser(sub) -> None:
    c = sub.add_parser("check", help="verify derivations (all when none is named)")
    c.add_argument("names", nargs="*", metavar="NAME")
    c.add_argument("--json", action="store_true", help="one JSON object on stdout")
    c.add_argument("--step-seconds", type=float, default=None, help="time budget per step (default 6)")
    c.add_argument("--jobs", type=int, default=None, metavar="N",
                   help="derivations checked in parallel (default: the number of CPUs, at most 4)")


def run(args: argparse.Namespace) -> int:
    from symproof import registry
    from symproof.check import Options, check_derivation
    from symproof.cli.report import human_report

    out = sys.stdout
    names = args.names or list(registry.names())
    derivations = [registry.get(n) for n in names]  # unknown names fail before any work
    options = Options() if args.step_seconds is None else Options(step_seconds=args.step_seconds)
    t0 = time.perf_counter()
    jobs = args.jobs if args.jobs is not None else min(os.cpu_count() or 1, 4)
    if jobs < 1:
        from symproof.errors import SymproofError

        raise SymproofError("--jobs must be at least 1")
    reports = _check_all(names, derivations, options, jobs)
    ok = all(r.ok for r in reports)
    if args.json:
        json.dump({"ok": ok, "parts": [r.to_json() for r in reports]}, out)
        out.write("\n")
    else:
        human_report(reports, out, time.perf_counter() - t0, colour=out.isatty())
    return 0 if ok else 1


def _check_one(name: str, options):
    from symproof import registry
    from symproof.check import check_derivation

    return check_derivation(registry.get(name), options)


def _check_all(names, derivations, options, jobs: int):
    """Derivations are independent: with ``jobs`` > 1 they are checked in
    forked workers (after imports, so a worker costs milliseconds), in the
    order given. The reports do not depend on ``jobs``."""
    from symproof.check import check_derivation

    if jobs == 1 or len(derivations) == 1:
        return [check_derivation(d, options) for d in derivations]
    from symproof.isolate import Task, WorkerPool

    # a derivation's own step budgets bound the work; the pool's limit is a backstop
    limit = options.step_seconds * 1.5 * (len(max(derivations, key=lambda d: len(d.lines)).lines) + 8) + 10
    by_name = {}
    # the longest first, so that two workers finish together (claims cost the most)
    cost = {d.name: len(d.lines) + 6 * len(d.claims) for d in derivations}
    order = sorted(names, key=lambda n: -cost.get(n, 0))
    with WorkerPool(min(jobs, len(derivations)), memory_mb=None) as pool:
        for name, outcome in pool.map(Task(n, _check_one, (n, options), limit) for n in order):
            if not outcome.ok:
                from symproof.errors import SymproofError

                raise SymproofError(f"checking {name} failed in its worker: {outcome.kind} {outcome.value}")
            by_name[name] = outcome.value
    return [by_name[n] for n in names]
