"""How fast is ``symproof grade``?

    python benchmarks/bench_grade.py [--runs 5] [--repeat 3]

(a) **fresh process**: ``symproof grade file.tex`` on a 10-line chain (a
    Gaussian-MLE derivation as a student types it: one starting line and nine
    steps), as a new process each time — interpreter start, imports, worker
    pool, reading and checking. Median of ``--runs`` runs (target ≤ 1 s).
(b) **warm, per line**: every graded line of the student corpus
    (tests/data/chains/*.tex) in one process, after a warm-up pass; each
    line's time is its read + check request as the grader issues it (the
    parse cache is cleared before every timed pass, so lines are read again).
    Median over lines and ``--repeat`` passes (target ≤ 50 ms).

Prints figures only; asserts nothing about time.
"""
from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "tests" / "data" / "chains"

TEN_LINES = r"""% symproof: index i from 1 to N: x
% symproof: assume \sigma > 0
\begin{align*}
\ell(\mu) &= \sum_{i=1}^{N} \log\left(\frac{1}{\sqrt{2\pi}\sigma} e^{-\frac{(x_i-\mu)^2}{2\sigma^2}}\right) \\
&= \sum_{i=1}^{N} \left(-\frac{1}{2}\log(2\pi\sigma^2) - \frac{(x_i-\mu)^2}{2\sigma^2}\right) \\
&= -\frac{N}{2}\log(2\pi\sigma^2) - \frac{1}{2\sigma^2}\sum_{i=1}^{N}(x_i-\mu)^2 \\
&= -\frac{N}{2}\log(2\pi\sigma^2) - \frac{1}{2\sigma^2}\sum_{i=1}^{N}\left(x_i^2 - 2x_i\mu + \mu^2\right) \\
&= -\frac{N}{2}\log(2\pi\sigma^2) - \frac{1}{2\sigma^2}\left(\sum_{i=1}^{N}x_i^2 - 2\mu\sum_{i=1}^{N}x_i + N\mu^2\right) \\
&= -\frac{N}{2}\log(2\pi\sigma^2) - \frac{1}{2\sigma^2}\sum_{i=1}^{N}x_i^2 + \frac{\mu}{\sigma^2}\sum_{i=1}^{N}x_i - \frac{N\mu^2}{2\sigma^2} \\
&= -\frac{N}{2}\log(2\pi\sigma^2) - \frac{1}{2\sigma^2}\sum_{i=1}^{N}x_i^2 + \frac{\mu}{\sigma^2}\sum_{i=1}^{N}x_i - \frac{N\mu}{2\sigma^2} \\
&= -\frac{N}{2}\log(2\pi) - N\log\sigma - \frac{1}{2\sigma^2}\sum_{i=1}^{N}x_i^2 + \frac{\mu}{\sigma^2}\sum_{i=1}^{N}x_i - \frac{N\mu}{2\sigma^2} \\
&= -\frac{N}{2}\log(2\pi) - N\log\sigma - \frac{1}{2\sigma^2}\sum_{i=1}^{N}\left(x_i^2 - 2\mu x_i\right) - \frac{N\mu}{2\sigma^2} \\
&< 0
\end{align*}
"""


def _symproof() -> list[str]:
    exe = shutil.which("symproof", path=str(Path(sys.executable).parent))
    return [exe] if exe else [sys.executable, "-m", "symproof"]


def fresh_process(runs: int) -> tuple[list[float], int, str]:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "ten_lines.tex"
        path.write_text(TEN_LINES, encoding="utf-8")
        cmd = _symproof() + ["grade", str(path)]
        subprocess.run(cmd, capture_output=True, text=True)  # page cache, .pyc files
        times, code, out = [], 0, ""
        for _ in range(runs):
            t = time.perf_counter()
            r = subprocess.run(cmd, capture_output=True, text=True)
            times.append(time.perf_counter() - t)
            code, out = r.returncode, r.stdout
    return times, code, out


def warm_per_line(repeat: int) -> tuple[list[float], dict[str, int]]:
    from symproof.grade.grader import drive, grade_process, run_inline
    from symproof.grade.tasks import first_task, step_task
    import symproof.parse as parse

    texts = [p.read_text(encoding="utf-8") for p in sorted(CORPUS.glob("*.tex"))]
    times: list[float] = []

    def timed(request):
        t = time.perf_counter()
        out = run_inline(request)
        graded_line = request.fn is step_task or (
            request.fn is first_task and out.ok and out.value[1] is not None)  # a first line that is a step
        if graded_line:
            samples.append(time.perf_counter() - t)
        return out

    counts: dict[str, int] = {}
    for n in range(repeat + 1):
        samples: list[float] = []
        parse._cached.cache_clear()
        for text in texts:
            g = drive(grade_process(text), timed)
            if n == 0:
                for part in g.parts:
                    for v in part.steps:
                        counts[v.status.value] = counts.get(v.status.value, 0) + 1
        if n:  # pass 0 warms up
            times += samples
    return times, counts


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"machine: {os.cpu_count()} CPUs, load average {load:.2f}, Python {sys.version.split()[0]}")

    times, code, out = fresh_process(args.runs)
    steps = sum(1 for line in out.splitlines() if line.strip().startswith("line"))
    print(f"(a) fresh process, `symproof grade` on a 10-line chain ({steps} steps, exit {code}):")
    print(f"    median {statistics.median(times):.3f} s over {args.runs} runs "
          f"(min {min(times):.3f}, max {max(times):.3f}); target <= 1 s")

    t = time.perf_counter()
    per_line, counts = warm_per_line(args.repeat)
    total = time.perf_counter() - t
    per_line.sort()
    q = statistics.quantiles(per_line, n=20)
    print(f"(b) warm, per line, over the corpus ({len(per_line) // args.repeat} graded lines x {args.repeat} passes; "
          f"{', '.join(f'{v} {k}' for k, v in sorted(counts.items()))}):")
    print(f"    median {1000 * statistics.median(per_line):.1f} ms; p90 {1000 * q[17]:.1f} ms; "
          f"max {1000 * per_line[-1]:.0f} ms; mean {1000 * statistics.mean(per_line):.1f} ms; target median <= 50 ms")
    print(f"    ({total:.1f} s for the warm-up and {args.repeat} timed passes)")


if __name__ == "__main__":
    main()
