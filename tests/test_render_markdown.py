"""Markdown sheets: ``$$`` blocks that GitHub and Jupyter render."""
from __future__ import annotations

import re
import sys

import pytest
import sympy as sp

from symproof import registry
from symproof.model import Context, Derivation, Figure, Start
from symproof.render.write import markdown_sheet


def _blocks(md: str) -> tuple[list[str], str]:
    """Display blocks between ``$$`` lines, and the text outside them."""
    parts = md.split("$$")
    assert len(parts) % 2 == 1, "unbalanced $$"
    return parts[1::2], "".join(parts[0::2])


@pytest.fixture(scope="module")
def md() -> str:
    return markdown_sheet(registry.all_derivations())


def test_display_math_is_balanced(md):
    blocks, text = _blocks(md)
    assert len(blocks) >= len(registry.names())
    for b in blocks:
        assert b.startswith("\n") and b.endswith("\n"), "each $$ on its own line"
        assert "\n\n" not in b, "a blank line ends the math block in Markdown"
        assert b.count("{") == b.count("}")
        assert b.count(r"\begin{alignedat}") == b.count(r"\end{alignedat}")
        assert b.count(r"\left") == b.count(r"\right")
    for para in text.split("\n\n"):
        unescaped = re.sub(r"\\\$", "", para)
        assert unescaped.count("$") % 2 == 0, f"unbalanced inline math: {para!r}"


def test_every_derivation_has_a_heading_and_its_math(md):
    for d in registry.all_derivations():
        assert f"## {d.title}\n" in md
    # one block per chain with a heading, plus one for the chains before the
    # first heading (none when the derivation's first chain has a heading)
    assert md.count(r"\begin{alignedat}{2}") == sum(
        len([c for c in d.chains() if c.start.heading]) + (0 if next(iter(d.chains())).start.heading else 1)
        for d in registry.all_derivations())
    for d in registry.all_derivations():  # every chain heading is shown, the first one too
        for c in d.chains():
            if c.start.heading:
                assert f"#### {c.start.heading}\n\n$$\n" in md, c.start.heading
    assert r"\boxed{\hat{\mu} = \operatorname*{arg\,max}_{\mu} \ell(\mu)" in md


def test_justifications_use_text_without_dollars_inside(md):
    blocks, _ = _blocks(md)
    for b in blocks:
        for arg in re.findall(r"\\text\{([^{}]*)\}", b):
            assert "$" not in arg, "MathJax does not reliably read $ inside \\text"


def test_figures_are_images_or_skipped(tmp_path, monkeypatch):
    z = sp.Symbol("z", real=True)
    d = Derivation("f", "F", "", Context(), (Start(z, "z", lhs="L"),),
                   figures=(Figure("curve", z**2, z, -1, 1, caption="the curve"),))
    if "matplotlib" not in sys.modules:
        pytest.importorskip("matplotlib")
    md = markdown_sheet([d], figure_dir=tmp_path)
    assert "![the curve](curve.png)" in md and (tmp_path / "curve.png").exists()
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    md = markdown_sheet([d], figure_dir=tmp_path)
    assert "*[Figure skipped: the curve. matplotlib is not installed" in md
