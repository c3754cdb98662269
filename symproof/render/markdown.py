"""Markdown sheets for GitHub and Jupyter: ``$$`` blocks holding ``aligned``.

Math inside ``$$`` is written for MathJax/KaTeX: justifications as
``\\text{… }x\\text{ …}`` (no ``$`` inside ``\\text``) and colour names those
renderers know.
"""
from __future__ import annotations

from typing import Mapping, Sequence

from symproof.check.verdict import Status
from symproof.render.figures import FigureFile
from symproof.render.layout import Layout
from symproof.render.sheet import environment

__all__ = ["derivation_markdown", "markdown_document", "aligned"]

_TEXT_MARK = {Status.PROVED: "✓ proved", Status.NUMERIC: "≈ numeric", Status.REFUTED: "✗ refuted",
              Status.UNKNOWN: "? unknown"}


def aligned(lay: Layout, block_index: int) -> str:
    return environment(lay.blocks[block_index], "mathjax", lay.marked)


def derivation_markdown(lay: Layout, figures: Mapping[str, FigureFile] | None = None) -> str:
    d = lay.derivation
    parts = [f"## {d.title}"]
    lead = f"**{d.problem}.** " if d.problem else ""
    if d.statement or lead:
        parts.append(lead + " ".join(d.statement.split()))
    for k, block in enumerate(lay.blocks):
        if block.heading:
            parts.append(f"#### {block.heading}")
        parts.append("$$\n%s\n$$" % aligned(lay, k))
    for c in lay.conclusions:
        lead = c.lead
        if lay.marked and c.verdict is not None:
            lead += f" ({_TEXT_MARK[c.verdict.status]})"
        parts.append(lead)
        if c.math:
            parts.append("$$\n%s\n$$" % (r"\boxed{%s}" % c.math if c.boxed else c.math))
    for fig in lay.figures:
        res = (figures or {}).get(fig.name)
        if res is not None and res.path is not None:
            parts.append(f"![{fig.caption or fig.name}]({res.path})")
        else:
            reason = res.reason if res is not None else "not rendered"
            parts.append(f"*[Figure skipped: {fig.caption or fig.name}. {reason}]*")
    for note in d.notes:
        parts.append(f"> {note}")
    return "\n\n".join(parts) + "\n"


def markdown_document(snippets: Sequence[str], title: str = "Solution sheet") -> str:
    return f"# {title}\n\n" + "\n".join(snippets)
