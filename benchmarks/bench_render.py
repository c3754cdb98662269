"""Benchmark: what rendering the solution sheet adds to checking it.

Run::

    python benchmarks/bench_render.py [--repeat N]

In one process: build every registered derivation (untimed), then

1. **check** — ``check_derivation`` of every derivation (the engine's default
   options), timed once, as ``symproof check`` would run it;
2. **render, first** — import ``symproof.render`` and render all derivations to
   one ``.tex`` document (``tex_sheet``): the cost a ``symproof render`` run pays
   on top of its imports, cold (imports of the render modules included);
3. **render, warm** — the median of ``--repeat`` further renders, with sympy's
   cache cleared before each (so printing is not served from a cache).

Target (issue 3): rendering adds at most 0.5 s to checking. The script prints
the figures and the ratio, and exits 0 either way.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

_ROOT = Path(__file__).resolve().parent.parent
if str(_ROOT) not in sys.path:
    sys.path.insert(0, str(_ROOT))

from sympy.core.cache import clear_cache  # noqa: E402

from symproof import registry  # noqa: E402
from symproof.check import check_derivation  # noqa: E402

TARGET_SECONDS = 0.5


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--repeat", type=int, default=5, help="warm renders to take the median of (default 5)")
    args = ap.parse_args(argv)

    derivations = registry.all_derivations()
    clear_cache()
    t0 = time.perf_counter()
    reports = [check_derivation(d) for d in derivations]
    check_s = time.perf_counter() - t0

    clear_cache()
    t0 = time.perf_counter()
    from symproof.render.write import tex_sheet

    tex = tex_sheet(derivations)
    first_s = time.perf_counter() - t0

    warm = []
    for _ in range(max(1, args.repeat)):
        clear_cache()
        t0 = time.perf_counter()
        tex_sheet(derivations)
        warm.append(time.perf_counter() - t0)
    warm_s = statistics.median(warm)

    clear_cache()
    t0 = time.perf_counter()
    tex_sheet(derivations, marks=reports)
    marked_s = time.perf_counter() - t0

    steps = sum(len(r.steps) + len(r.claims) for r in reports)
    print(f"derivations: {len(derivations)}, steps and claims: {steps}, sheet: {len(tex)} characters")
    print(f"check all:                 {check_s:8.3f} s")
    print(f"render all to .tex, first: {first_s:8.3f} s  (imports of symproof.render included)")
    print(f"render all to .tex, warm:  {warm_s:8.3f} s  (median of {len(warm)}, sympy cache cleared)")
    print(f"render marked (reports given): {marked_s:8.3f} s")
    print(f"ratio render(first)/check: {first_s / check_s:.3f}")
    verdict = "met" if first_s <= TARGET_SECONDS else "NOT met"
    print(f"target: rendering adds <= {TARGET_SECONDS} s to checking: {verdict} (+{first_s:.3f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
