"""Jupyter display: ``_repr_latex_``/``_repr_html_`` of derivations and reports.

The LaTeX must be math a parser can read: every right-hand side of every
``alignedat`` row goes through latex2sympy2_extended's ``latex2sympy``.
latex2sympy2_extended 1.11's grammar has no token for three notations of the
sheet — ``^\\top`` (its lexer expects ``^{\\\\top}``, with a doubled
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
from symproof.model import Context, Derivation, Start, Step
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


def right_hand_sides(latex: str) -> list[str]:
    """The right-hand side of every row of every ``alignedat`` in ``latex``."""
    out = []
    for body in re.findall(r"\\begin\{alignedat\}\{\d\}(.*?)\\end\{alignedat\}", latex, re.S):
        for row in re.split(r"\\\\(?:\[[^\]]*\])?", body):
            cells = row.split("&&")[0].split("&")
            if len(cells) < 2:
                continue
            rhs = _RELATION.sub("", cells[1].strip()).replace(r"\qquad {}", "").strip()
            if rhs:
                out.append(rhs)
    return out


@pytest.mark.parametrize("name", registry.names())
def test_repr_latex_is_aligned_math_that_parses(name):
    d = registry.get(name)
    out = d._repr_latex_()
    assert out.startswith("$$") and out.rstrip().endswith("$$")
    assert r"\begin{alignedat}" in out and "could not render" not in out
    rows = right_hand_sides(out)
    assert len(rows) >= len(d.steps)
    for rhs in rows:
        try:
            latex2sympy(_for_latex2sympy(rhs))
        except Exception as exc:  # noqa: BLE001 - report which row
            pytest.fail(f"{name}: {rhs!r} does not parse: {type(exc).__name__}: {exc}")


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
