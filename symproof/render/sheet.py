"""LaTeX solution sheets: ``align*`` blocks, conclusions, figures, the document.

A derivation renders as its title and statement, then for each block (a
chain with a heading starts one) an ``align*`` whose first line is printed
once and every further line is a ``&= …`` (``&\\le``, ``&\\iff`` …)
continuation with the justification in a right-hand column
(``&& \\text{…}``), then the claims' conclusions (boxed for estimators,
Hessians and matrix identities, a sentence for monotonicity).
"""
from __future__ import annotations

from typing import Mapping, Sequence

from symproof.check.verdict import Status, Verdict
from symproof.render.figures import FigureFile
from symproof.render.layout import Block, Conclusion, Layout, Row
from symproof.render.text import escape_text, segments, text_in_math, unbreakable_width

__all__ = ["PREAMBLE", "mark_math", "mark_text", "block_rows", "environment", "derivation_tex", "document"]

PREAMBLE = r"""\documentclass[10pt,fleqn]{article}
\usepackage[a4paper,margin=2cm]{geometry}
\usepackage{amsmath,amssymb}
\usepackage{graphicx}
\usepackage{xcolor}
\usepackage{longtable,array}
\definecolor{symproofproved}{rgb}{0,0.45,0}
\definecolor{symproofnumeric}{rgb}{0.75,0.45,0}
\definecolor{symproofrefuted}{rgb}{0.8,0,0}
\definecolor{symproofunknown}{rgb}{0.4,0.4,0.4}
\setlength{\parindent}{0pt}
\setlength{\parskip}{0.5ex}
\setlength{\mathindent}{1.5em}
\setlength{\emergencystretch}{3em}
\allowdisplaybreaks
"""

_SYMBOL = {Status.PROVED: r"\checkmark", Status.NUMERIC: r"\approx", Status.REFUTED: r"\times",
           Status.UNKNOWN: "?"}
_MATHJAX_COLOUR = {Status.PROVED: "green", Status.NUMERIC: "orange", Status.REFUTED: "red",
                   Status.UNKNOWN: "gray"}


def _colour(status: Status, style: str) -> str:
    return f"symproof{status.value}" if style == "tex" else _MATHJAX_COLOUR[status]


def mark_math(v: Verdict, style: str = "tex") -> str:
    """The verdict as a coloured math-mode mark: ``✓ proved``, ``≈ numeric`` …"""
    return r"\textcolor{%s}{%s\ \text{%s}}" % (_colour(v.status, style), _SYMBOL[v.status], v.status.value)


def mark_text(v: Verdict) -> str:
    """The verdict as a text-mode mark (LaTeX)."""
    return r"\textcolor{%s}{$%s$\,%s}" % (_colour(v.status, "tex"), _SYMBOL[v.status], v.status.value)


def _row(row: Row, style: str, marked: bool) -> str:
    if row.alone and style == "tex":
        # from the relation column rightwards, without widening the left column
        cells = r"\rlap{$\displaystyle %s$} &" % row.head
    else:
        cells = f"{row.head} & {row.body}".rstrip()
    why = text_in_math(row.why, style) if row.why else ""
    if row.kind == "evidence" and why:
        why = r"\textcolor{%s}{%s}" % ("symproofunknown" if style == "tex" else "gray", why)
    mark = marked and row.verdict is not None
    if why or mark:
        cells += r" && \qquad " + why if why else " &&"
    if mark:
        cells += r" && \quad " + mark_math(row.verdict, style)
    return cells.rstrip()


def block_rows(block: Block, style: str = "tex", marked: bool = False) -> list[str]:
    """The rows of a block, each without its ``\\\\``."""
    return [_row(r, style, marked) for r in block.rows]


def environment(block: Block, style: str = "tex", marked: bool = False) -> str:
    """The block as ``alignat*`` (LaTeX) or ``alignedat`` (MathJax/KaTeX, inside
    ``$$``): columns for the left side, the relation and right side, the
    justification and, when marked, the verdict."""
    rows = block_rows(block, style, marked)
    out = []
    for k, (text, row) in enumerate(zip(rows, block.rows)):
        if k == len(rows) - 1:
            end = ""
        elif row.gap_after:
            end = r" \\[1.2ex]"
        elif style == "tex" and (block.rows[k + 1].kind != "line" or (row.kind == "line" and not row.body)):
            # no page break inside a line (its continuation, wrapped justification and
            # evidence rows) nor right after the first line of a chain printed alone
            end = r" \\*"
        else:
            end = r" \\"
        out.append(f"  {text}{end}")
    env = "alignat*" if style == "tex" else "alignedat"
    pairs = 3 if marked else 2
    return "\\begin{%s}{%d}\n%s\n\\end{%s}" % (env, pairs, "\n".join(out), env)


def _conclusion_tex(c: Conclusion, marked: bool) -> str:
    mark = marked and c.verdict is not None
    lead = c.lead + (f" {mark_text(c.verdict)}" if mark and not c.math else "")
    out = [r"\medskip" + "\n" + lead]
    if c.math:
        math = r"\boxed{%s}" % c.math if c.boxed else c.math
        if mark:
            math += r" \qquad " + mark_math(c.verdict)
        out.append("\\[\n  %s\n\\]" % math)
    if mark and c.verdict.status in (Status.REFUTED, Status.UNKNOWN) and c.verdict.message:
        out.append(r"{\small\color{symproofunknown} %s}" % escape_text(c.verdict.message.replace("$", "")))
    return "\n".join(out)


# a piece of inline math TeX cannot break wider than this (math units, about
# a fifth of the line) leaves a justified line overfull or with gaping spaces:
# such a paragraph is set ragged right
RAGGED_FORMULA = 18.0


def paragraph(text: str) -> str:
    """Text with ``$…$`` math as a paragraph: ragged right when it holds a
    formula with a long stretch TeX cannot break (``(f(x_t, y_t), g(x_t, y_t))``)."""
    widest = max((unbreakable_width(chunk) for is_math, chunk in segments(text) if is_math), default=0.0)
    return "{\\raggedright %s\\par}" % text if widest > RAGGED_FORMULA else text


def _figure_tex(name: str, caption: str, result: FigureFile | None) -> str:
    label = caption or name
    if result is None or result.path is None:
        reason = result.reason if result is not None else "not rendered"
        return r"\medskip" + "\n" + r"\emph{[Figure skipped: %s. %s]}" % (escape_text(label), escape_text(reason))
    body = r"\includegraphics[width=0.6\linewidth]{%s}" % result.path
    if caption:
        body += "\\\\\n{\\small %s}" % caption
    return "\\begin{center}\n%s\n\\end{center}" % body


def derivation_tex(lay: Layout, figures: Mapping[str, FigureFile] | None = None) -> str:
    """The LaTeX of one derivation (no preamble): the snippet the golden tests pin."""
    d = lay.derivation
    parts = [r"\section*{%s}" % escape_text(d.title)
             + "\n" + r"\addcontentsline{toc}{section}{%s}" % escape_text(f"{d.problem} {d.title}".strip())]
    lead = r"\textbf{%s.} " % escape_text(d.problem) if d.problem else ""
    if d.statement or lead:
        parts.append(paragraph(lead + d.statement.strip()))
    for block in lay.blocks:
        if block.heading:
            parts.append(r"\subsubsection*{%s}" % block.heading)
        parts.append(environment(block, "tex", lay.marked))
    for c in lay.conclusions:
        parts.append(_conclusion_tex(c, lay.marked))
    for fig in lay.figures:
        parts.append(_figure_tex(fig.name, fig.caption, (figures or {}).get(fig.name)))
    if d.notes:
        items = "\n".join(r"  \item %s" % paragraph(n) for n in d.notes)
        parts.append("\\paragraph{Notes}\n\\begin{itemize}\n%s\n\\end{itemize}" % items)
    return "\n\n".join(parts) + "\n"


def document(snippets: Sequence[str], title: str = "Solution sheet", marked: bool = False,
             contents: bool = False, tail: str = "") -> str:
    """A complete, compilable ``article`` around the derivations' snippets
    (``contents``: a table of contents first; ``tail``: e.g. the summary table)."""
    head = r"{\Large\bfseries %s}" % escape_text(title)
    if contents:
        head += "\n\n" + r"\tableofcontents"
    if marked:
        head += ("\n\n" + r"{\small Every line is marked with its verdict: "
                 r"\textcolor{symproofproved}{$\checkmark$\,proved} (a symbolic argument), "
                 r"\textcolor{symproofnumeric}{$\approx$\,numeric} (held at random points; evidence, not proof), "
                 r"\textcolor{symproofrefuted}{$\times$\,refuted} (with a counterexample), "
                 r"\textcolor{symproofunknown}{?\,unknown}.}")
    body = "\n\n".join(s.rstrip() for s in snippets)
    if tail:
        body += "\n\n" + tail.rstrip()
    return f"{PREAMBLE}\n\\begin{{document}}\n\n{head}\n\n{body}\n\n\\end{{document}}\n"
