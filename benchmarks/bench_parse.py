"""How long does reading one line of student LaTeX take?

    python benchmarks/bench_parse.py

Prints the import cost, the first (cold) pass over ~20 typical lines (ANTLR
builds its prediction tables on first use), and the per-line median over
repeated warm calls with the result cache bypassed.
"""
from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

t0 = time.perf_counter()
from symproof.parse import parse_declaration, table_of  # noqa: E402
from symproof.parse.reader import read  # noqa: E402
from symproof.model.context import Context  # noqa: E402
import latex2sympy2_extended  # noqa: E402,F401

IMPORT = time.perf_counter() - t0

from test_parse_latex import TYPICAL, TYPICAL_DECLARATIONS  # noqa: E402

EXTRA = [
    r"\sigma(z) = \frac{1}{1 + e^{-z}}",
    r"(X\theta - y)^T (X\theta - y)",
    r"w^T X^T X w \le \lambda \|w\|^2",
    r"\frac{\partial}{\partial \mu} \left( \sum_{i=1}^{n} (x_i - \mu)^2 \right) = 0",
]


def main() -> None:
    ctx = Context()
    for decl in TYPICAL_DECLARATIONS + (r"assume \lambda > 0",):
        ctx = parse_declaration(decl, ctx)
    table = table_of(ctx)
    lines = TYPICAL + EXTRA
    rels = frozenset({"Eq", "Le", "Lt", "Ge", "Gt"})
    t = time.perf_counter()
    for line in lines:
        read(line, ctx, table, rels)
    cold = time.perf_counter() - t
    medians = []
    for line in lines:
        times = []
        for _ in range(15):
            t = time.perf_counter()
            read(line, ctx, table, rels)
            times.append(time.perf_counter() - t)
        medians.append(statistics.median(times))
        print(f"{medians[-1] * 1000:7.2f} ms  {line}")
    print(f"import symproof.parse + latex2sympy2_extended: {IMPORT * 1000:.0f} ms")
    print(f"first pass over {len(lines)} lines (cold): {cold * 1000:.0f} ms")
    print(f"warm per-line median: {statistics.median(medians) * 1000:.2f} ms "
          f"(max {max(medians) * 1000:.2f} ms) over {len(lines)} lines")


if __name__ == "__main__":
    main()
