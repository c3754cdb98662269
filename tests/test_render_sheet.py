"""LaTeX sheets: golden snippets of every derivation, and the layout rules.

The golden files are ``tests/golden/<name>.tex``. After an intended change of
the output, regenerate them and review the diff::

    SYMPROOF_UPDATE_GOLDEN=1 pytest tests/test_render_sheet.py
"""
from __future__ import annotations

import difflib
import os
import re
import sys
from pathlib import Path

import pytest
import sympy as sp

from symproof import registry
from symproof.check import Report, Status, Verdict
from symproof.claims import ArgMax, ArgMin, HessianIs, MatrixIdentity, Monotone
from symproof.model import Context, Derivation, Figure, Start, Step
from symproof.render.layout import layout
from symproof.render.sheet import derivation_tex, document
from symproof.render.text import text_in_math, visual_width
from symproof.render.write import tex_sheet

GOLDEN = Path(__file__).parent / "golden"
UPDATE = os.environ.get("SYMPROOF_UPDATE_GOLDEN") == "1"


def _snippet(name: str) -> str:
    return derivation_tex(layout(registry.get(name)))


@pytest.mark.parametrize("name", registry.names())
def test_golden_snippet(name):
    path = GOLDEN / f"{name}.tex"
    got = _snippet(name)
    if UPDATE:
        GOLDEN.mkdir(exist_ok=True)
        path.write_text(got, encoding="utf-8")
    assert path.exists(), f"no golden file {path}; run with SYMPROOF_UPDATE_GOLDEN=1 and review it"
    want = path.read_text(encoding="utf-8")
    if got != want:
        diff = "".join(difflib.unified_diff(want.splitlines(True), got.splitlines(True),
                                            f"golden/{name}.tex", "rendered now"))
        pytest.fail(f"{name}: the sheet differs from its golden snippet "
                    f"(SYMPROOF_UPDATE_GOLDEN=1 regenerates after review):\n{diff}", pytrace=False)


def test_every_golden_file_belongs_to_a_derivation():
    stale = {p.stem for p in GOLDEN.glob("*.tex")} - set(registry.names())
    assert not stale, f"golden files without a derivation: {sorted(stale)}"


def _rows(tex: str) -> list[list[str]]:
    """The rows of every alignat* block, split at ``&``."""
    out = []
    for body in re.findall(r"\\begin\{alignat\*\}\{\d\}\n(.*?)\n\\end\{alignat\*\}", tex, re.S):
        for row in re.split(r" \\\\\*?(?:\[[^\]]*\])?\n", body):
            out.append([c.strip() for c in row.split("&")])
    return out


@pytest.mark.parametrize("name", registry.names())
def test_first_line_once_then_one_continuation_per_step(name):
    d = registry.get(name)
    rows = [r for r in _rows(_snippet(name)) if len(r) > 1 and (r[0] or r[1]) and not r[1].startswith(r"\qquad {}")]
    assert len(rows) == len(d.lines)
    for (head, body, *_), line in zip(rows, d.lines):
        if isinstance(line, Step):
            assert body.startswith(line.relation.latex + " "), (head, body)
            assert bool(head) == (line.lhs is not None)
        else:
            assert head, "a chain's first line is printed in the left column"


@pytest.mark.parametrize("name", registry.names())
def test_justifications_are_in_their_own_column(name):
    d = registry.get(name)
    tex = _snippet(name)
    for line in d.lines:
        first_words = line.why.split("$")[0].split()[:2]
        if first_words:
            assert re.search(r"&& \\qquad \\text\{" + re.escape(" ".join(first_words)), tex), line.why


def test_text_with_math_is_converted_properly():
    assert text_in_math(r"multiply by $\sigma^2 > 0$ & rearrange") == \
        r"\text{multiply by $\textstyle \sigma^2 > 0$ \& rearrange}"
    assert text_in_math(r"solve for $\hat{\mu}$", "mathjax") == r"\text{solve for } \hat{\mu}"
    assert text_in_math(r"100% of x_1") == r"\text{100\% of x\_1}"
    assert text_in_math(r"a \$5 bill") == r"\text{a \$5 bill}"


x = sp.Symbol("x", real=True)
t = sp.Symbol("t", real=True)
p = sp.Symbol("p", positive=True)


def _poly(n: int, name: str = "a"):
    return sum(sp.Symbol(f"{name}_{k}", real=True) * x**k for k in range(n))


def test_long_right_hand_sides_are_broken_into_continuation_rows():
    long = _poly(16)
    d = Derivation("long", "Long", "", Context(), (
        Start(long, "start", lhs="p(x)"),
        Step("=", long + 0, "same"),
        Start(sp.Eq(t, 0), "eq", lhs=None),
        Step("=>", sp.Eq(t, _poly(16, "b")), "an equation"),
    ))
    lay = layout(d)
    (block,) = lay.blocks
    conts = [r for r in block.rows if r.kind == "continuation"]
    assert len(conts) >= 3
    assert all(r.body.startswith(r"\qquad {} + ") for r in conts)
    assert any(r.body.startswith(r"\implies t = ") for r in block.rows)
    budget = 49.0
    for r in block.rows:
        assert visual_width(r.head) + visual_width(r.body) <= budget + 12, r.body
    # every term is still there, once
    tex = derivation_tex(lay)
    for k in range(16):
        assert tex.count(f"a_{{{k}}}") == 2 and tex.count(f"b_{{{k}}}") == 1


def test_the_widest_head_narrows_every_row_of_its_block():
    """The left column is as wide as its widest head on every row: a long right
    side under a short head is broken as if beside the widest head."""
    from symproof.render.layout import math_width_for

    wide_head = r"\frac{\partial^2 L}{\partial w_1 \partial w_2}(w_1, w_2, w_3) - L(w_1)"
    d = Derivation("cols", "Cols", "", Context(), (
        Start(x, "s", lhs=wide_head),
        Step("=", _poly(9), "long", lhs="g"),
    ))
    (block,) = layout(d).blocks
    head_max = max(visual_width(r.head) for r in block.rows)
    assert head_max == visual_width(wide_head)
    assert all(visual_width(r.body) <= math_width_for(False) - head_max for r in block.rows)
    assert any(r.kind == "continuation" for r in block.rows)


def test_a_long_product_breaks_between_its_factors():
    a, b = sp.Symbol("a", real=True), sp.Symbol("b", real=True)
    first, second = _poly(9), _poly(9, "b") + 1
    product = sp.Mul(first, second, evaluate=False)
    d = Derivation("prod", "Prod", "", Context(), (Start(a * b, "s", lhs="p"), Step("=", product, "a product")))
    rows = layout(d).blocks[0].rows
    assert [r.body.split(" ")[2] for r in rows if r.kind == "continuation"][:1] == [r"\cdot"]
    tex = derivation_tex(layout(d))
    for k in range(9):  # every factor's terms still there, once
        assert tex.count(f"a_{{{k}}}") == 1 and tex.count(f"b_{{{k}}}") == 1


def test_a_first_line_alone_starts_at_the_relation_column():
    d = Derivation("alone", "Alone", "", Context(), (
        Start(x**2 + 2 * x + 1, "start"), Step("=", (x + 1) ** 2, "factor"), Step("=", (x + 1) * (x + 1), "again",
                                                                              lhs="q")))
    tex = derivation_tex(layout(d))
    assert r"\rlap{$\displaystyle x^{2} + 2 x + 1$} & && \qquad \text{start} \\*" in tex
    assert "\n  q & = " in tex


def test_long_justifications_wrap_over_rows():
    why = "a very long justification " * 6 + r"with $x^2$ at the end"
    d = Derivation("w", "W", "", Context(), (Start(x**2, "s", lhs="f"), Step("=", x * x, why)))
    rows = layout(d).blocks[0].rows
    pieces = [r.why for r in rows[1:]]
    assert len(pieces) >= 3 and " ".join(pieces) == why.strip()


def test_a_label_equal_to_its_expression_is_printed_once():
    tex = _snippet("distance_dot_product")
    assert r"\|r_1 - r_2\|^2 & = \left\|r_{1}" not in tex
    # printed alone, from the relation column on (\rlap: it does not widen the left column)
    assert re.search(r"\\rlap\{\$\\displaystyle \\\|r_1 - r_2\\\|\^2\$\} & && \\qquad \\text\{squared distance\}", tex)


def test_headings_start_a_new_block():
    tex = _snippet("softmax_jacobian")
    assert tex.count(r"\begin{alignat*}") == 3
    assert r"\subsubsection*{Case $i = j$}" in tex and r"\subsubsection*{Case $i \ne j$}" in tex


def _claim_tex(*claims, lines=None) -> str:
    lines = lines or (Start(sp.log(p) - p, "objective", lhs=r"\ell(p)"), Step("=", -p + sp.log(p), "same"))
    return derivation_tex(layout(Derivation("c", "C", "", Context(), lines, claims)))


def test_argmax_with_a_name_is_boxed():
    tex = _claim_tex(ArgMax(sp.log(p) - p, p, sp.S.One, name=sp.Symbol("phat")))
    assert r"\boxed{\hat{p} = \operatorname*{arg\,max}_{p} \ell(p) = 1}" in tex


def test_argmin_without_a_name_is_displayed_not_boxed():
    tex = _claim_tex(ArgMin(p - sp.log(p), p, sp.S.One))
    assert r"\operatorname*{arg\,min}_{p}" in tex and r"\boxed" not in tex


def test_hessian_and_matrix_identity_are_boxed_and_monotone_is_a_sentence():
    assert r"\boxed{\nabla_{\theta}^{2} f(\theta) = I}" in _snippet("hessian_quadratic_forms")
    assert r"\boxed{\nabla_{\theta}^{2} g(\theta) = X^\top X}" in _snippet("hessian_quadratic_forms")
    d = sp.Symbol("d", integer=True, positive=True)
    A = sp.MatrixSymbol("A", d, d)
    tex = _claim_tex(MatrixIdentity(A.T.T, A, "transposing twice"))
    assert "Transposing twice." in tex and r"\boxed{A = A}" in tex
    mono = _snippet("distance_dot_product")
    assert r"$D(c) = \sqrt{2 - 2 c}$ is strictly decreasing in $c$ on $\left[-1, 1\right]$." in mono
    assert r"\boxed" not in mono


def test_marks_and_counterexample_under_a_refuted_line():
    d = Derivation("m", "Marked", "", Context(), (
        Start((x + 1) ** 2, "start", lhs="f(x)"),
        Step("=", x**2 + 2 * x + 1, "expand"),
        Step("=", x**2 + x + 1, "wrong"),
    ), (ArgMin((x - 1) ** 2, x, sp.S.One, name=sp.Symbol("xhat")),))
    report = Report("m", (
        Verdict(Status.PROVED, "expand", line=2, relation="="),
        Verdict(Status.REFUTED, "numeric-screen", line=3, relation="=", counterexample={"x": "1"},
                values=("4", "3"), notes=("a note_with underscore",)),
    ), (Verdict(Status.NUMERIC, "sampled"),))
    tex = derivation_tex(layout(d, report))
    rows = tex.splitlines()
    k = next(n for n, r in enumerate(rows) if r"\text{wrong}" in r)
    assert r"\textcolor{symproofrefuted}{\times\ \text{refuted}}" in rows[k]
    assert r"counterexample: $\textstyle x = 1$" in rows[k + 1]
    assert r"left side $\textstyle 4$, right side $\textstyle 3$" in rows[k + 2]
    assert r"note\_with underscore" in rows[k + 3]
    assert r"\textcolor{symproofproved}{\checkmark\ \text{proved}}" in tex
    assert r"\boxed{\hat{x} = \operatorname*{arg\,min}_{x}" in tex and r"\approx\ \text{numeric}" in tex
    assert r"\begin{alignat*}{3}" in tex  # a column for the marks


def test_marked_sheet_of_the_library_is_all_proved():
    tex = tex_sheet([registry.get("softmax_jacobian")], marks=True)
    assert tex.count(r"\checkmark\ \text{proved}") == len(registry.get("softmax_jacobian").steps)
    assert r"\text{refuted}" not in tex and r"\text{unknown}" not in tex


def _figure_derivation() -> Derivation:
    z = sp.Symbol("z", real=True)
    return Derivation("fig", "With a figure", "", Context(), (Start(z, "z", lhs="L"),),
                      figures=(Figure("loss_curve", sp.log(1 + sp.exp(-z)), z, -4, 4, caption=r"$L(z)$",
                                      marks=((sp.log(2), r"$\log 2$"),)),))


def test_figure_is_drawn_next_to_the_sheet_and_included(tmp_path):
    pytest.importorskip("matplotlib")
    tex = tex_sheet([_figure_derivation()], figure_dir=tmp_path)
    assert (tmp_path / "loss_curve.pdf").stat().st_size > 1000
    assert r"\includegraphics[width=0.6\linewidth]{loss_curve.pdf}" in tex


def test_without_matplotlib_the_sheet_says_the_figure_was_skipped(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "matplotlib", None)  # import matplotlib now fails
    tex = tex_sheet([_figure_derivation()], figure_dir=tmp_path)
    assert not list(tmp_path.iterdir())
    assert r"\emph{[Figure skipped: $L(z)$. matplotlib is not installed (pip install 'symproof[plots]')]}" in tex
    assert r"\includegraphics" not in tex


def test_document_is_complete_and_balanced():
    tex = tex_sheet(registry.all_derivations())
    assert tex.startswith(r"\documentclass") and tex.rstrip().endswith(r"\end{document}")
    assert tex.count(r"\begin{alignat*}") == tex.count(r"\end{alignat*}") > 0
    assert tex.count("{") == tex.count("}")
    for name in registry.names():
        assert registry.get(name).title in tex
    assert document(["x"]).count(r"\begin{document}") == 1
