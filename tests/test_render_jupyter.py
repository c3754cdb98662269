"""Jupyter display: ``_repr_latex_``/``_repr_html_`` of derivations and reports.

The LaTeX must be math a parser can read. Every right-hand side of every
``alignedat`` row goes through the project's own reader,
``symproof.parse.parse_latex``, in the derivation's context with every name
its lines use (``context_of_derivation``), so ``f\\left(x_{t}, y_{t}\\right)``
is the declared function ``f`` applied and ``\\theta^\\top \\theta`` an inner
product of declared vectors. The reader refuses two spellings of the sheet by
design, and ``OWN_SPELLING`` respells exactly those, keeping the meaning:

- a function whose name has a subscript, applied: ``L_{1}\\left(w\\right)``,
  or the tutorial's partial derivative at a point ``f_{u}\\left(a, b\\right)``
  (the reader applies only unsubscripted names). Each such name is renamed,
  one to one, to a fresh word, ``\\operatorname{suba}\\left(…``;
- a starred vector transposed, ``\\theta^{*\\top}`` (the reader takes one
  superscript per name): written ``{\\theta^{*}}^\\top``.

Neither reader has a bar evaluating at a point of several variables, sympy's
``\\left. E \\right|_{\\substack{u=a \\\\ v=b}}``: it is read in parts, ``E``
and each value ``a``, ``b``, and the row around it with ``\\left(E\\right)`` in
its place.

Every derivation's rows also go through latex2sympy2_extended's
``latex2sympy`` except those listed in ``LATEX2SYMPY_CANNOT`` with the
notation it lacks. Its 1.11 grammar has no token for three more notations of
the sheet — ``^\\top`` (its lexer expects ``^{\\\\top}``, with a doubled
backslash), a starred superscript ``\\theta^{*}`` and vector norms (its
``\\|…\\|`` calls ``.norm()`` on a scalar) — so ``READER`` maps exactly those
to spellings it knows before parsing, and nothing else.
"""
from __future__ import annotations

import html
import re

import pytest
import sympy as sp
from latex2sympy2_extended import latex2sympy

from symproof import registry
from symproof.check import Report, Status, Verdict, check_derivation
from symproof.grade.grader import context_of_derivation
from symproof.model import Context, Derivation, Start, Step
from symproof.parse import parse_latex
from symproof.render import jupyter

READER = (
    (r"^{*\top}", r"_{star}^{T}"),
    (r"^{*}", r"_{star}"),
    (r"^\top", r"^{T}"),
    (r"\left\|", r"\left|"),
    (r"\right\|", r"\right|"),
)
_RELATION = re.compile(r"^(=|<|>|\\le|\\ge|\\iff|\\implies)\s*")


def _for_latex2sympy(tex: str) -> str:
    for old, new in READER:
        tex = tex.replace(old, new)
    return tex


def _rows(body: str) -> list[str]:
    """``body`` split at the row ends ``\\\\`` (``\\\\[1.2ex]``) outside braces
    (a ``\\substack`` has its own ``\\\\``)."""
    rows, depth, start, k = [], 0, 0, 0
    while k < len(body):
        ch = body[k]
        if ch == "\\" and body.startswith("\\\\", k) and depth == 0:
            rows.append(body[start:k])
            k += 2
            m = re.match(r"\[[^\]]*\]", body[k:])
            k += m.end() if m else 0
            start = k
            continue
        if ch == "\\":
            k += 2
            continue
        depth += {"{": 1, "}": -1}.get(ch, 0)
        k += 1
    rows.append(body[start:])
    return rows


def right_hand_sides(latex: str) -> list[str]:
    """The right-hand side of every row of every ``alignedat`` in ``latex``."""
    out = []
    for body in re.findall(r"\\begin\{alignedat\}\{\d\}(.*?)\\end\{alignedat\}", latex, re.S):
        for row in _rows(body):
            cells = row.split("&&")[0].split("&")
            if len(cells) < 2:
                continue
            rhs = _RELATION.sub("", cells[1].strip())
            if rhs.startswith(r"\qquad {}"):  # a continuation row: "+ term", or "\cdot factor" of a product
                rhs = rhs[len(r"\qquad {}"):].strip().removeprefix(r"\cdot ")
            rhs = rhs.strip()
            if rhs:
                out.append(rhs)
    return out


# -- the project's reader ------------------------------------------------------------
_SUBSCRIPTED_CALL = re.compile(r"(?<![\\A-Za-z])([A-Za-z])_\{([A-Za-z0-9]+)\}(?=\\left\()")
_STARRED_TRANSPOSE = re.compile(r"(\\[A-Za-z]+|[A-Za-z])\^\{\*\\top\}")


def _own_spelling(rhs: str, renamed: dict[str, str]) -> str:
    """``OWN_SPELLING`` (module docstring): subscripted function names renamed
    one to one (``renamed`` keeps the names across a derivation's rows), a
    starred transpose written with the star braced."""
    def fresh(m: re.Match) -> str:
        word = renamed.setdefault(m.group(0), "sub" + "abcdefghijklmnopqrstuvwxyz"[len(renamed)])
        return r"\operatorname{%s}" % word

    rhs = _SUBSCRIPTED_CALL.sub(fresh, rhs)
    return _STARRED_TRANSPOSE.sub(r"{\1^{*}}^\\top", rhs)


def _group(tex: str, k: int) -> int:
    """The index just past the brace group opening at ``tex[k] == '{'``."""
    depth = 0
    for j in range(k, len(tex)):
        if tex[j] == "\\":
            continue
        if tex[j] == "{" and tex[j - 1] != "\\":
            depth += 1
        elif tex[j] == "}" and tex[j - 1] != "\\":
            depth -= 1
            if depth == 0:
                return j + 1
    raise AssertionError(f"unbalanced braces in {tex!r}")


def _bar(rhs: str) -> tuple[str, list[str]] | None:
    """The first evaluation bar ``\\left. E \\right|_{\\substack{u=a \\\\ …}}`` of
    ``rhs``: the row with ``\\left(E\\right)`` in its place, and the parts ``E``,
    ``a``, … to read on their own; None without a bar."""
    start = rhs.find(r"\left.")
    if start < 0:
        return None
    depth, k = 0, start
    while True:
        m = re.compile(r"\\left|\\right").search(rhs, k)
        assert m is not None, f"\\left. without its \\right in {rhs!r}"
        depth += 1 if m.group(0) == r"\left" else -1
        k = m.end()
        if depth == 0:
            break
    assert rhs.startswith(r"|_", k), f"a \\left. that is no evaluation bar in {rhs!r}"
    inner = rhs[start + len(r"\left."):m.start()]
    sub_end = _group(rhs, k + 2)
    sub = rhs[k + 3:sub_end - 1].strip()
    assert sub.startswith(r"\substack{") and sub.endswith("}"), sub
    values = [part.split("=", 1)[1] for part in sub[len(r"\substack{"):-1].split(r"\\")]
    return rhs[:start] + r"\left(%s\right)" % inner + rhs[sub_end:], [inner, *values]


def read_row(rhs: str, context: Context, renamed: dict[str, str]) -> None:
    """Read ``rhs`` with the project's reader (bars in parts); raise if it cannot."""
    pieces = [rhs]
    while (split := _bar(pieces[0])) is not None:
        pieces[0] = split[0]
        pieces.extend(split[1])
    for piece in pieces:
        parse_latex(_own_spelling(piece, renamed), context)


# the derivations whose rows latex2sympy 1.11 cannot read, and the notation it lacks
LATEX2SYMPY_CANNOT = {
    "recurrence_chain_rule": r"nested functions of several arguments, f\left(f\left(x, y\right), g\left(x, y\right)"
                             r"\right); a bar at a point of two variables",
    "product_neuron": r"a derivative in a subscripted variable, \frac{\partial}{\partial x_{1}}",
}


@pytest.mark.parametrize("name", registry.names())
def test_repr_latex_is_aligned_math_that_parses(name):
    d = registry.get(name)
    out = d._repr_latex_()
    assert out.startswith("$$") and out.rstrip().endswith("$$")
    assert r"\begin{alignedat}" in out and "could not render" not in out
    rows = right_hand_sides(out)
    assert len(rows) >= len(d.steps)
    context, renamed = context_of_derivation(name), {}
    for rhs in rows:
        try:
            read_row(rhs, context, renamed)
        except Exception as exc:  # noqa: BLE001 - report which row
            pytest.fail(f"{name}: {rhs!r} does not parse: {type(exc).__name__}: {exc}")
        if name in LATEX2SYMPY_CANNOT:
            continue
        try:
            latex2sympy(_for_latex2sympy(rhs))
        except Exception as exc:  # noqa: BLE001
            pytest.fail(f"{name}: {rhs!r} does not parse with latex2sympy: {type(exc).__name__}: {exc}")


def test_latex2sympy_really_cannot_read_the_listed_derivations():
    """The exclusions are needed: each listed derivation has a row latex2sympy refuses."""
    for name in LATEX2SYMPY_CANNOT:
        failures = 0
        for rhs in right_hand_sides(registry.get(name)._repr_latex_()):
            try:
                latex2sympy(_for_latex2sympy(rhs))
            except Exception:  # noqa: BLE001
                failures += 1
        assert failures, name


def test_the_readers_respellings_keep_the_meaning():
    """A row read by the project's reader is the line as written: nested
    functions of several arguments, a renamed partial derivative at a point, a bar."""
    d = registry.get("recurrence_chain_rule")
    context = context_of_derivation(d.name)
    rows = right_hand_sides(d._repr_latex_())
    f, g = context.symbol_table()["f"], context.symbol_table()["g"]
    x, y = context.symbol_table()["x_t"], context.symbol_table()["y_t"]
    assert parse_latex(rows[1], context) == f(f(x, y), g(x, y))
    renamed: dict[str, str] = {}
    got = parse_latex(_own_spelling(rows[2], renamed), context)
    assert renamed == {"f_{u}": "suba"}
    fu = sp.Function("suba")
    assert sp.simplify(got - fu(f(x, y), g(x, y)) * sp.Derivative(f(x, y), x)) == 0
    (bar_row,) = [r for r in rows if r.startswith(r"\left.")]
    row, parts = _bar(bar_row)
    assert row.startswith(r"\left( \frac{\partial}{\partial v}") and len(parts) == 3
    assert parse_latex(parts[1], context) == x**2 * y + sp.sin(x)


def test_scalar_derivations_parse_without_any_mapping():
    for name in ("gaussian_mean_mle", "softmax_jacobian", "exponential_rate_mle"):
        for rhs in right_hand_sides(registry.get(name)._repr_latex_()):
            assert _for_latex2sympy(rhs) == rhs
            latex2sympy(rhs)


def test_a_parsed_line_means_what_was_written():
    lam, n = sp.symbols("lambda n")
    (rhs,) = [r for r in right_hand_sides(registry.get("exponential_rate_mle")._repr_latex_())
              if r.startswith(r"- \frac{n}")]
    got = latex2sympy(rhs)
    assert sp.simplify(got + n / lam**2) == 0


def test_a_malformed_line_would_fail_the_parser():
    with pytest.raises(Exception):
        latex2sympy(r"\operatorname{Sum}(x_{i}, i)")


def test_repr_html_has_title_statement_and_math():
    d = registry.get("gaussian_mean_mle")
    out = d._repr_html_()
    assert f"<h4>{html.escape(d.title)}</h4>" in out
    assert "alignedat" in out and "&amp;" in out  # the math, escaped for HTML


def test_a_rendering_error_is_shown_inline_not_raised(monkeypatch):
    def broken(*args, **kwargs):
        raise ValueError("boom")

    monkeypatch.setattr(jupyter, "layout", broken)
    d = registry.get("softmax_jacobian")
    latex = d._repr_latex_()
    assert latex.startswith("$$") and "could not render" in latex and "boom" in latex
    out = d._repr_html_()
    assert "<pre" in out and "ValueError: boom" in out
    positions = [pos for pos, line in enumerate(d.lines, 1) if isinstance(line, Step)]
    report = Report(d.name, tuple(Verdict(Status.PROVED, "m", line=pos, relation="=") for pos in positions))
    assert "could not render" in report._repr_latex_() and "boom" in report._repr_latex_()
    assert "ValueError: boom" in report._repr_html_()


def test_report_of_a_registered_derivation_is_the_marked_sheet():
    report = check_derivation(registry.get("softmax_jacobian"))
    latex = report._repr_latex_()
    assert latex.count(r"\text{proved}") == len(report.steps)
    out = report._repr_html_()
    assert out.count(">proved<") == len(report.steps) and "<table>" in out


def test_report_of_an_unregistered_derivation_lists_verdicts_with_counterexample():
    x = sp.Symbol("x", real=True)
    d = Derivation("wrong_one", "Wrong", "", Context(),
                   (Start(x**2, "s"), Step("=", 2 * x, "wrong")))
    report = check_derivation(d)
    assert report.steps[0].status is Status.REFUTED
    latex = report._repr_latex_()
    assert r"\text{refuted}" in latex and r"\text{line 2}" in latex
    out = report._repr_html_()
    assert "counterexample:" in out and ">refuted<" in out


def test_report_html_escapes_messages():
    v = Verdict(Status.UNKNOWN, "m", message="a <b> & c", line=2, relation="=")
    out = Report("nothing_registered", (v,))._repr_html_()
    assert "a &lt;b&gt; &amp; c" in out
