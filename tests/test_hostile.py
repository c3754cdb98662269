"""Hostile and pathological input, graded through the worker pool.

Every entry of ``tests/data/hostile.jsonl`` (the 49 inputs of the shared
corpus and symproof's own: deep recursion, huge numbers, sums and matrices,
unicode junk, binary bytes, empty lines, a 1 MB line ...) is graded as a
two-line chain — ``x`` / ``= <input>`` and ``<input>`` / ``= x`` — with a
0.2-second step budget, and must

- end within a stated bound: ``CHEAP_SECONDS`` when its entry cannot need a
  limit; when it may, one worker hard limit (1.5 × 0.2 s + 2 s) per line
  that can reach it, plus ``SLACK`` (a hang that nothing stops — the parent
  computing something — ends the test process through a faulthandler
  watchdog, so it fails instead of hanging);
- come back as a Grade whose lines are verdicts or clean line errors, of a
  kind the entry allows (``expect``: ``error`` — refused with a message,
  ``verdict`` — graded, ``limit`` — stopped at the time/memory limit,
  ``internal`` — the engine failed and said so, ``nothing`` — nothing to
  grade), with the entry's ``message`` when it is refused; the JSON and the
  human report render, and never echo a huge input back;
- leave this process's peak RSS under ``PEAK_RSS_MB``, and less than
  ``PEAK_GROWTH_MB`` above where it started (the work happens in the
  workers, which are separate processes with their own memory cap).

Entries that may run into a limit are graded in the ``x`` / ``= <input>``
form only (the other form reaches the same check), to keep the module fast.
"""
from __future__ import annotations

import faulthandler
import io
import json
import re
import resource
import subprocess
import sys
import time
from pathlib import Path

import pytest

from symproof.check.engine import Options
from symproof.check.verdict import Status
from symproof.cli.report import batch_line, human_grade
from symproof.grade.grader import Grade, _hard_limit, grade_text
from symproof.isolate import WorkerPool

DATA = Path(__file__).parent / "data" / "hostile.jsonl"
OPTIONS = Options(step_seconds=0.2)
HARD = _hard_limit(OPTIONS)          # 2.3 s: when the worker is killed
SLACK = 1.5                          # killing and re-forking a worker, pipes, the grader's own work
CHEAP_SECONDS = 2.0                  # below HARD: an entry that needs no limit must not reach one
HANG_SECONDS = 60                    # the watchdog: a grade still running by then is a hang (the process exits)
PEAK_RSS_MB = 600                    # this (parent) process, over the whole corpus (measured: ~100 MB)
PEAK_GROWTH_MB = 150                 # ... above what it held before the corpus (measured: ~15 MB)
MAX_REPORT_CHARS = 100_000           # a 1 MB input must not be echoed back into the report
KINDS = {"error", "verdict", "limit", "internal", "nothing"}

STEP = "x\n= {}"
FIRST = "{}\n= x"


def _materialise(entry: dict) -> str:
    if "latex" in entry:
        return entry["latex"]
    r = entry["repeat"]
    return r["prefix"] + r["unit"] * r["times"] + r["middle"] + r["close"] * (r["times"] if r["close"] else 0)


def _load() -> list[dict]:
    return [json.loads(line) for line in DATA.read_text(encoding="utf-8").splitlines() if line.strip()]


ENTRIES = _load()


def _cases():
    for e in ENTRIES:
        if "text" in e:
            yield pytest.param(e, e["text"], id=e["id"])
            continue
        yield pytest.param(e, STEP.format(_materialise(e)), id=f"{e['id']}-step")
        if "limit" not in e["expect"]:
            yield pytest.param(e, FIRST.format(_materialise(e)), id=f"{e['id']}-first")


def _bound(entry: dict, text: str) -> float:
    """Seconds the grade may take: each line that may reach the limit costs one hard limit."""
    if "limit" not in entry["expect"]:
        return CHEAP_SECONDS
    heavy = sum(1 for line in text.split("\n") if line.strip()) if "text" in entry else 1
    return heavy * HARD + SLACK


def _status_mb(field: str) -> float | None:
    """``VmHWM`` (peak RSS since the last reset) or ``VmRSS`` from /proc (Linux), in MB."""
    try:
        with open("/proc/self/status") as fh:
            for line in fh:
                if line.startswith(field + ":"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return None


def _maxrss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KB on Linux


@pytest.fixture(scope="module")
def pool():
    # workers are forks of this process: without this, a worker that GMP aborts at its memory
    # cap prints pytest's faulthandler dump (the pool reports it as a memory limit)
    was_enabled = faulthandler.is_enabled()
    faulthandler.disable()
    try:
        with WorkerPool(1, memory_mb=512) as p:
            assert grade_text("x\n= x", options=OPTIONS, pool=p).ok  # warm: the worker has imported the reader
            yield p
    finally:
        if was_enabled:
            faulthandler.enable()


def _graded(text: str, pool) -> tuple[Grade, float]:
    faulthandler.dump_traceback_later(HANG_SECONDS, exit=True)
    try:
        t0 = time.perf_counter()
        grade = grade_text(text, options=OPTIONS, pool=pool)
        return grade, time.perf_counter() - t0
    finally:
        faulthandler.cancel_dump_traceback_later()


@pytest.fixture(scope="module")
def memory_watch():
    """The peak RSS of this process while the corpus is graded."""
    try:  # reset the kernel's high-water mark, so earlier test modules do not count
        with open("/proc/self/clear_refs", "w") as fh:
            fh.write("5")
    except OSError:
        pass
    state = {"start_maxrss": _maxrss_mb(), "start_rss": _status_mb("VmRSS")}
    yield state


_LIMIT_ERROR = re.compile(r"hit the (timeout|memory) limit|stopped: (timeout|memory) limit")


def kinds_of(grade: Grade) -> set[str]:
    out = set()
    for e in grade.errors:
        out.add("limit" if _LIMIT_ERROR.search(e.reason) else "error")
    for part in grade.parts:
        for v in part.steps:
            if v.method in ("time limit", "memory limit"):
                out.add("limit")
            elif v.method == "internal error":
                out.add("internal")
            elif v.status is Status.UNKNOWN and v.message.startswith("not checked"):
                continue  # follows an unreadable line: that line's error says why
            else:
                out.add("verdict")
    return out or {"nothing"}


def assert_clean(grade: Grade, text: str) -> None:
    """A verdict or a clean error on every line; the reports render."""
    assert isinstance(grade, Grade)
    lines = re.split(r"\r\n|\r|\n", text)
    n_lines = len(lines)
    for e in grade.errors:
        assert isinstance(e.reason, str) and e.reason.strip(), e
        assert "Traceback" not in e.reason and len(e.reason) < 2000, e.reason[:300]
        assert 1 <= e.line <= n_lines, e
        assert e.column is None or 0 <= e.column <= len(lines[e.line - 1]), e
    for part in grade.parts:
        for v in part.steps:
            assert isinstance(v.status, Status), v
            assert isinstance(v.message, str) and "Traceback" not in v.message, v.message[:300]
            assert v.line is None or 1 <= v.line <= n_lines, v
    doc = json.dumps(grade.to_json())
    assert len(doc) < MAX_REPORT_CHARS, f"the JSON report is {len(doc)} characters"
    out = io.StringIO()
    human_grade(grade, out, colour=False)
    assert len(out.getvalue()) < MAX_REPORT_CHARS
    batch_line("hostile.tex", grade)


def test_corpus_is_complete_and_well_formed():
    assert len(ENTRIES) >= 50
    ids = [e["id"] for e in ENTRIES]
    assert len(ids) == len(set(ids))
    shared = [e for e in ENTRIES if e["source"].startswith("shared corpus")]
    assert len(shared) == 49  # all of ../shared/corpus/hostile.jsonl, carried into tests/
    for e in ENTRIES:
        assert sum(k in e for k in ("latex", "text", "repeat")) == 1, e["id"]
        assert e["expect"] and set(e["expect"]) <= KINDS, e["id"]
        assert e["why"] and e["category"], e["id"]
    sizes = {e["id"]: len(_materialise(e)) for e in ENTRIES if "text" not in e}
    assert max(sizes.values()) >= 1_000_000  # the 1 MB line
    categories = {e["category"] for e in ENTRIES}
    assert {"parse", "check", "state", "unicode", "binary", "empty", "size"} <= categories


@pytest.mark.parametrize("entry, text", list(_cases()))
def test_hostile_input_is_graded_within_bounds(entry, text, pool, memory_watch):
    grade, seconds = _graded(text, pool)
    bound = _bound(entry, text)
    assert seconds < bound, f"{seconds:.2f} s (bound {bound} s)"
    assert_clean(grade, text)
    kinds = kinds_of(grade)
    assert kinds <= set(entry["expect"]), (
        f"got {sorted(kinds)}, expected {entry['expect']}: "
        f"{[e.reason for e in grade.errors]} {[(v.status.value, v.method, v.message[:120]) for p in grade.parts for v in p.steps]}")
    if "message" in entry and "error" in kinds:
        reasons = " | ".join(e.reason for e in grade.errors)
        assert entry["message"].lower() in reasons.lower(), reasons


def test_peak_memory_of_the_grading_process(memory_watch):
    """Runs after the corpus (same module, file order)."""
    hwm = _status_mb("VmHWM")
    if hwm is not None:
        assert hwm < PEAK_RSS_MB, f"peak RSS {hwm:.0f} MB while grading the corpus"
        assert hwm - memory_watch["start_rss"] < PEAK_GROWTH_MB, (
            f"peak RSS {hwm:.0f} MB, {memory_watch['start_rss']:.0f} MB before the corpus")
    # getrusage's peak is over the whole process life: the corpus must not have raised it above the bound
    assert _maxrss_mb() <= max(memory_watch["start_maxrss"], PEAK_RSS_MB)


def test_the_pool_still_grades_after_the_corpus(pool):
    """No state leaked from the hostile inputs (latex2sympy2 1.9.1 kept `x = 5`, `dx` ...)."""
    g = grade_text("(x+1)^2\n= x^2 + 2x + 1\n= x^2 + 1", options=OPTIONS, pool=pool)
    assert [v.status for v in g.parts[0].steps] == [Status.PROVED, Status.REFUTED]
    assert not g.errors


def test_one_limited_step_does_not_stop_the_rest(pool):
    text = "x\n= x + 0\n= 5^{5^{5^{5^{5}}}}\n\n(a+b)^2\n= a^2 + 2ab + b^2\n= a^2 + b^2"
    g, seconds = _graded(text, pool)
    assert seconds < HARD + SLACK + CHEAP_SECONDS
    first, second = g.parts
    assert first.steps[0].status is Status.PROVED
    assert first.steps[1].status is Status.UNKNOWN and first.steps[1].method == "time limit"
    assert "time limit" in first.steps[1].message
    assert [v.status for v in second.steps] == [Status.PROVED, Status.REFUTED]


def test_line_numbers_count_only_newlines(pool):
    """A form feed or U+2028 inside a line is a character of that line, not a line break."""
    g = grade_text("x\x0c+1\n= x\n\na\u2028= b\n= a", options=OPTIONS, pool=pool)
    assert sorted(e.line for e in g.errors) == [1, 4]
    assert all("unexpected character" in e.reason for e in g.errors)


# -- reader bugs the corpus found ------------------------------------------------------------
@pytest.mark.parametrize("latex", [
    r"10^{10^{10}} + 1", r"-10^{10^{10}}", r"x \cdot 10^{10^{10}}", r"2 \cdot 10^{10^{10}}",
    r"10^{10^{10}} - 10^{10^{10}}", r"\frac{10^{10^{10}}+1}{10^{10^{10}}}", r"\log(10^{10^{10}})",
    r"\log_{2}(10^{10^{10}})", r"10^{10^{10}} \le 10^{10^{10}} + 1", r"0.5 \cdot 10^{10^{10}} x^{2}",
])
def test_the_reader_keeps_huge_powers_unevaluated_in_sums_and_products(latex, pool):
    """Add, Mul and log combine numbers: they computed the 10^(10^10) the reader had left
    unevaluated (the reader hung on a 16-character line)."""
    from symproof.parse import parse_latex

    out = pool.run(parse_latex, (latex,), timeout=HARD)
    assert out.kind == "ok", out


def test_the_reader_reads_double_sums():
    """sympy merges directly nested sums into one Sum with several limits (innermost first);
    the reader expected one limit and refused every double sum."""
    import sympy as sp

    from symproof.parse import parse_latex

    e = parse_latex(r"\sum_{i=1}^{n}\sum_{j=1}^{m} i j")
    assert isinstance(e, sp.Sum) and len(e.limits) == 2
    n, m = sp.Symbol("n", real=True), sp.Symbol("m", real=True)
    assert sp.simplify(e.doit() - n * (n + 1) * m * (m + 1) / 4) == 0
    triangle = parse_latex(r"\sum_{i=1}^{n} \left(\sum_{j=1}^{i} j\right)")  # the inner limit uses i
    assert triangle.subs(n, 5).doit() == 35


# -- the CLI, as a subprocess ---------------------------------------------------------------
CLI_FILES = {
    "nested.tex": "x\n= " + "(" * 990 + "x" + ")" * 990 + "\n",
    "tower.tex": "x\n= 5^{5^{5^{5^{5}}}}\n\n(a+b)^2\n= a^2 + 2ab + b^2\n",
    "huge_decl.tex": "% symproof: assume x < 10^{10^{10}}\nx\n= x\n",
    "unicode.tex": "x + \u202e1\n= \U0001f600\n\u200f= x\n",
    "megabyte.tex": "x+" * 450_000 + "x\n= x\n",
    "good.tex": "(x+1)^2\n= x^2 + 2x + 1\n",
}
CLI_BYTES = {
    "binary.tex": bytes(range(256)) * 8,
    "latin1.tex": "x\n= \xe9\n".encode("latin-1"),
    "empty.tex": b"",
    "nul.tex": b"x\n= x\x00\n",
    "toolarge.tex": b"x+" * 600_000,  # over the 1 MB file limit
}


def _run_cli(args: list[str], timeout: float) -> subprocess.CompletedProcess:
    exe = Path(sys.executable).with_name("symproof")
    cmd = [str(exe)] if exe.exists() else [sys.executable, "-m", "symproof"]
    return subprocess.run(cmd + args, capture_output=True, text=True, timeout=timeout)


@pytest.fixture(scope="module")
def class_dir(tmp_path_factory):
    d = tmp_path_factory.mktemp("hostile_class")
    for name, text in CLI_FILES.items():
        (d / name).write_text(text, encoding="utf-8")
    for name, data in CLI_BYTES.items():
        (d / name).write_bytes(data)
    return d


def test_cli_batch_of_hostile_files(class_dir):
    """huge_decl.tex: the worker returns a context holding an unevaluated 10^(10^10); the
    parent must not compute it when it unpickles the context (it did: the batch hung)."""
    proc = _run_cli(["grade", str(class_dir), "--jobs", "2", "--json", "--step-seconds", "0.2", "--memory-mb", "512"],
                    timeout=60)
    assert proc.returncode in (0, 1, 2), proc.stderr[-2000:]
    assert "Traceback" not in proc.stderr
    doc = json.loads(proc.stdout)
    files = {Path(s["file"]).name: s for s in doc["submissions"]}
    assert set(files) == set(CLI_FILES) | set(CLI_BYTES)  # one bad file never stops the batch
    assert files["good.tex"]["ok"]
    for name in CLI_BYTES:
        assert files[name]["errors"] and not files[name]["ok"], name
    tower = files["tower.tex"]["parts"]
    assert tower[0]["steps"][0]["method"] == "time limit"
    assert tower[1]["steps"][0]["status"] == "proved"  # graded after the limit
    assert len(proc.stdout) < 200_000  # the 1 MB line is not echoed


@pytest.mark.parametrize("name", ["binary.tex", "empty.tex", "megabyte.tex", "unicode.tex"])
def test_cli_one_hostile_file(class_dir, name):
    proc = _run_cli(["grade", str(class_dir / name), "--step-seconds", "0.2"], timeout=30)
    assert proc.returncode in (0, 1, 2), proc.stderr[-2000:]
    assert "Traceback" not in proc.stderr
    assert proc.stderr.strip(), "an unreadable file or line is reported on stderr"
    assert len(proc.stdout) + len(proc.stderr) < 100_000
