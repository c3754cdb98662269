"""No code execution from student input.

Student text reaches sympy only through the LaTeX reader: its normalisation
layer replaces every name and number by a placeholder ``\\variable{pN}``,
so latex2sympy2_extended sees structure only, and nothing on the path calls
``eval``, ``exec``, ``sympify`` of a string or ``parse_expr``
(:mod:`symproof.parse.backend` lists where latex2sympy2 itself would).

- Injection-style inputs (``\\operatorname{__import__}``, ``\\text{...}`` with
  Python, dunder names, ``eval``/``exec``/``lambda``, names crafted to break
  generated code, TeX primitives) are graded through the worker pool, in
  process and by the CLI; the sentinel file they try to create never exists.
- With ``eval``, ``exec`` and ``parse_expr`` patched to raise, grading the
  same inputs (and every kind of number literal) gives the same result as
  without the patch: the student path never reaches them.
- The text handed to latex2sympy2 never holds a digit or a name, and its
  number parsers (``sympy.Number(text)`` → ``sympify`` → ``eval``) are never
  called.
"""
from __future__ import annotations

import builtins
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import sympy.parsing.sympy_parser as sympy_parser
from latex2sympy2_extended import latex2sympy2 as l2s

from symproof.check.engine import Options
from symproof.check.verdict import Status
from symproof.grade.grader import Grade, grade_text
from symproof.isolate import WorkerPool

OPTIONS = Options(step_seconds=0.5)

#: {S} is the sentinel's absolute path; SENTINEL (relative) would land in the current directory
PAYLOADS = [
    r"\operatorname{__import__}('os').system('touch {S}')",
    r'\text{__import__("os").system("touch {S}")}',
    r"__import__('os').system('touch {S}')",
    "eval(\"__import__('os').system('touch {S}')\")",
    "exec(\"import os; os.system('touch {S}')\")",
    "lambda: __import__('os').system('touch {S}')",
    r"\operatorname{eval}(x) + \operatorname{exec}(y)",
    r"\operatorname{__class__}(x)",
    r"\mathrm{__builtins__}",
    r"x.__class__.__mro__[1].__subclasses__()",
    r"().__class__.__bases__[0].__subclasses__()",
    r"x_{__import__('os').system('touch {S}')}",
    r"\operatorname{os.system}('touch {S}')",
    r"\variable{__import__('os').system('touch {S}')}",  # latex2sympy2's own command for a symbol
    r"\variable{p0} + \variable{p1}",                    # the reader's placeholders
    r"\operatorname{sympify}('__import__(\"os\").system(\"touch {S}\")')",
    r"\input{/etc/passwd}",
    r"\write18{touch {S}}",
    r"\immediate\write18{touch SENTINEL}",
    r"\def\x{__import__('os')}\x",
    r"\newcommand{\x}{y}\x",
    r"\verb|__import__('os')|",
    r"1e__import__",
    r"0x1F + 1_000",
    # names crafted to break code generated from symbol names (lambdify pastes them into source)
    r"\operatorname{a); __import__('os').system('touch {S}'); (b}(x)",
    r"x_{a); __import__('os').system('touch {S}'); (b}",
    r"\mathrm{a=__import__('os').system('touch {S}')}",
    r"\operatorname{lambda}(x) + \operatorname{import}(y) + \mathrm{None} + \mathrm{if} + x_{def}",
    r"\operatorname{print}(x) \cdot \operatorname{open}(y) \cdot \operatorname{Symbol}(x) \cdot \operatorname{Dummy}(y)",
    r"\mathit{lambda} + \lambda + \mathrm{import}\ \mathrm{os}",
    r"\mathbf{__globals__} \cdot \boldsymbol{__code__}",
]
DECLARATIONS = [
    r"% symproof: function \operatorname{__import__}(z) = z",
    r"% symproof: assume __import__('os').system('touch {S}') > 0",
    r"% symproof: context os",
    r"% symproof: context ../../etc/passwd",
    r"% symproof: context __init__",
    r"% symproof: matrix __class__: n \times d",
    r"% symproof: index i from 1 to __import__('os').system('touch {S}'): x",
    r"% symproof: function f(x) = __import__('os').system('touch {S}')",
    r"% symproof: function \operatorname{lambda}(x) = x^2",
]
#: names that pass the reader but are Python keywords or builtins: they must be graded like any name
KEYWORD_NAMES = PAYLOADS.index(r"\operatorname{lambda}(x) + \operatorname{import}(y) + \mathrm{None} + \mathrm{if} + x_{def}")

#: every way a number can be written, and ordinary chains: the patched run must grade them the same
ORDINARY = [
    "0.8 x + 12345678901234567890\n= 1.5e3 + 2\\frac{1}{2}",
    "\\frac{d}{dx} x^{3}\n= 3x^{2}",
    "\\sum_{i=1}^{10} i^{2}\n= 385",
    "\\sum_{i=1}^{n}\\sum_{j=1}^{m} i j\n= \\frac{n(n+1)}{2} \\cdot \\frac{m(m+1)}{2}",
    "% symproof: assume \\lambda > 0\n% symproof: function \\sigma(z) = \\frac{1}{1+e^{-z}}\n"
    "\\sigma'(z)\n= \\sigma(z)(1-\\sigma(z))",
    "% symproof: matrix X: n \\times d\n% symproof: vector w: d\n\\|Xw\\|^2\n= w^T X^T X w",
    "\\sin^{2}(x) + \\cos^{2}(x)\n= 1\n\\le 2",
    "10^{-3} x\n= 0.001 x\n= 1E-3 x",
    "\\log_{2} 8\n= 3",
    "x^{0.5}\n= \\sqrt{x}",
    "\\begin{bmatrix}1&2\\\\3&4\\end{bmatrix} + \\begin{bmatrix}1&0\\\\0&1\\end{bmatrix}\n= \\begin{bmatrix}2&2\\\\3&5\\end{bmatrix}",
    "007 + 0\n= 7",
    "(a+b)^{2}\n= a^{2} + 2ab + b^{2}",
    "x_1 + x_{10}\n= x_{10} + x_1",
]


def _texts(sentinel: Path) -> list[str]:
    out = []
    for p in PAYLOADS:
        p = p.replace("{S}", str(sentinel))
        out += [f"x\n= {p}", f"{p}\n= x"]
    for d in DECLARATIONS:
        out.append(d.replace("{S}", str(sentinel)) + "\nx + 1\n= 1 + x")
    return out


def _summary(g: Grade) -> tuple:
    steps = tuple((v.line, v.status.value, v.method) for p in g.parts for v in p.steps)
    return steps, tuple((e.line, e.reason) for e in g.errors)


@pytest.fixture(scope="module")
def sentinel(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("injection") / "SENTINEL"


@pytest.fixture(scope="module")
def pool():
    with WorkerPool(1, memory_mb=512) as p:
        yield p


@pytest.mark.parametrize("k", range(len(PAYLOADS) + len(DECLARATIONS)))
def test_injection_through_the_pool_runs_nothing(k, pool, sentinel):
    texts = _texts(sentinel)
    mine = texts[2 * k: 2 * k + 2] if k < len(PAYLOADS) else [texts[2 * len(PAYLOADS) + k - len(PAYLOADS)]]
    cwd = os.getcwd()
    for text in mine:
        g = grade_text(text, options=OPTIONS, pool=pool)
        assert isinstance(g, Grade)
        assert not sentinel.exists(), f"{text!r} ran code"
        for p in g.parts:
            for v in p.steps:
                assert v.method != "internal error", v.message
                assert v.method not in ("time limit", "memory limit"), v.message
        if k == KEYWORD_NAMES:  # keywords as names: read and checked, not refused or crashed
            assert not g.errors and [v.status for p in g.parts for v in p.steps] == [Status.REFUTED]
        json.dumps(g.to_json())
    assert os.getcwd() == cwd and not Path("SENTINEL").exists()
    assert grade_text("x + 1\n= 1 + x", options=OPTIONS, pool=pool).ok  # the worker is fine


def test_the_student_path_never_reaches_eval_exec_or_parse_expr(monkeypatch, sentinel):
    """In process (pool=None), so that the patches apply to everything grading runs."""
    from symproof.parse import _cached

    texts = _texts(sentinel) + ORDINARY
    # a first pass imports what grading imports lazily (sympy.physics.units, for one, sympifies
    # constant strings such as 'yotta' when it is imported) and builds sympy's generated helpers
    first = [_summary(grade_text(t, options=OPTIONS)) for t in texts]
    assert any(s[0] for s in first) and any(s[1] for s in first)
    _cached.cache_clear()  # read every line again
    reached: list[str] = []

    def forbidden(name):
        def refuse(*args, **kwargs):
            reached.append(f"{name}({str(args[:1])[:200]})")
            raise AssertionError(f"{name} was called on the student path")
        return refuse

    monkeypatch.setattr(builtins, "eval", forbidden("eval"))
    monkeypatch.setattr(builtins, "exec", forbidden("exec"))
    monkeypatch.setattr(sympy_parser, "parse_expr", forbidden("parse_expr"))  # sympify(str) imports it per call
    monkeypatch.setattr(l2s, "parse_expr", forbidden("parse_expr"))
    try:
        second = [_summary(grade_text(t, options=OPTIONS)) for t in texts]
    finally:
        monkeypatch.undo()
    assert reached == []
    assert second == first
    assert not sentinel.exists()


def test_the_parser_sees_no_digit_and_no_name(monkeypatch):
    """Numbers are placeholders converted by the reader's lexer with int(): latex2sympy2's
    number parsing (sympy.Number(text) → sympify → eval) is unreachable."""
    from symproof.parse import _cached, parse_latex_with_notes
    from symproof.parse import backend
    from symproof.errors import LatexParseError

    seen: list[str] = []
    numbers: list[str] = []
    parse = backend._Converter.parse

    def spy(self, text):
        seen.append(text)
        return parse(self, text)

    def number_spy(*args):
        numbers.append(repr(args[-1]))
        raise AssertionError("latex2sympy2 parsed a number")

    monkeypatch.setattr(backend._Converter, "parse", spy)
    monkeypatch.setattr(l2s._Latex2Sympy, "parse_number", number_spy)
    monkeypatch.setattr(l2s, "convert_number", number_spy)
    _cached.cache_clear()
    sources = [line for t in ORDINARY for line in t.split("\n") if not line.startswith("%")] + [
        "3.14159 + 2.5e-3 + 6.02E23", "1,5", "0.000001", "10^{10^{10}}", r"\frac{1}{3}", r"x^{-2} y_{3}",
        r"\sqrt[3]{27}", r"\sum_{k=0}^{100} k", r"\operatorname{eval}(2)", r"\alpha_{12} \beta^{3}",
    ]
    for s in sources:
        text = s.lstrip("=").strip()
        try:
            parse_latex_with_notes(text)
        except LatexParseError:
            pass
    _cached.cache_clear()
    assert numbers == []
    assert len(seen) >= len(sources) // 2
    for text in seen:
        rest = re.sub(r"\\variable\{p\d+\}", " ", text)
        rest = re.sub(r"\\[A-Za-z]+", " ", rest)                 # commands: \frac, \sqrt, \sum ...
        rest = re.sub(r"\{(bmatrix|pmatrix|vmatrix)\}", " ", rest)
        assert not re.search(r"[A-Za-z0-9]", rest), f"the parser was given {text!r}"


def test_injection_through_the_cli(tmp_path, sentinel):
    subs = tmp_path / "class"
    subs.mkdir()
    for k, text in enumerate(_texts(sentinel)):
        (subs / f"s{k:03d}.tex").write_text(text + "\n", encoding="utf-8")
    cwd = tmp_path / "cwd"
    cwd.mkdir()
    exe = Path(sys.executable).with_name("symproof")
    cmd = [str(exe)] if exe.exists() else [sys.executable, "-m", "symproof"]
    proc = subprocess.run(cmd + ["grade", str(subs), "--jobs", "2", "--json", "--step-seconds", "0.5"],
                          cwd=cwd, capture_output=True, text=True, timeout=120)
    assert proc.returncode in (0, 1, 2), proc.stderr[-2000:]
    assert "Traceback" not in proc.stderr
    doc = json.loads(proc.stdout)
    assert len(doc["submissions"]) == len(_texts(sentinel))
    assert not sentinel.exists()
    assert list(cwd.iterdir()) == []  # nothing written where the grader runs (touch SENTINEL)
