"""From a derivation to rows of math: the format-independent middle of the pipeline.

``layout(d)`` walks the chains of ``d`` and returns :class:`Block` s of
:class:`Row` s (left column, relation and right-hand side, justification,
verdict) and :class:`Conclusion` s for the claims. The writers (``sheet``,
``markdown``, ``jupyter``) only format these.

- A :class:`~symproof.model.Start` begins a chain; a chain with a heading
  begins a new block. Its ``lhs`` label (sympy or raw LaTeX) is the left
  column of its first row, and a step with its own ``lhs`` starts a new row
  head. A first line printed alone (no relation) starts at the relation
  column, aligned with the ``= …`` lines below it (:attr:`Row.alone`).
- The left column is as wide as the widest head of the block on every row,
  so a right-hand side wider than what ``math_width`` leaves beside it is
  broken into continuation rows: before the ``+``/``-`` of the top-level terms
  of a sum (or of the right side of an equation), and between the factors of
  a product too wide for a row (the next row starting with ``\\cdot``).
- A justification longer than ``why_width`` is wrapped over several rows of
  the justification column.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Sequence

import sympy as sp

from symproof.check.verdict import Report, Verdict
from symproof.model.derivation import Derivation, Figure, Start, Step
from symproof.render.printer import SheetPrinter
from symproof.render.text import MATH_UNIT, escape_text, visual_width, widest_word, wrap

__all__ = ["Row", "Block", "Conclusion", "Layout", "layout", "label_tex", "why_width_for", "math_width_for"]

# Widths in characters of the body text (10 pt Computer Modern: ~4.2 pt each;
# one unit of :func:`visual_width` math is at most ~1.5 of them: measured with
# pdflatex on every row of the tutorial, 5.6 pt per unit typical, 6.3 pt for
# the widest 3 %). The text block leaves ~106 such characters (446 pt) beside
# the display indent and the column gap; the sheets of all derivations, plain
# and marked, first have an overfull row at a budget of 120.
TEXT_BUDGET = 106.0
MARK_WIDTH = 22.0  # the verdict column of a marked sheet
MIN_WHY, MAX_WHY = 26.0, 64.0
CONTINUATION = r"\qquad {}"


@dataclass
class Row:
    """One printed row. ``head`` is the left column, ``body`` the relation and
    right-hand side (``= …``), ``why`` a piece of justification text (with
    ``$…$`` math), ``verdict`` set on the first row of a step when marking."""

    head: str = ""
    body: str = ""
    why: str = ""
    verdict: Verdict | None = None
    kind: str = "line"  # line | continuation | why | evidence
    gap_after: bool = False

    @property
    def alone(self) -> bool:
        """The first line of a chain printed once, without a relation: a LaTeX
        sheet sets it from the relation column rightwards, aligned with the
        lines that follow it (``= …``), so it does not widen the left column."""
        return self.kind == "line" and bool(self.head) and not self.body


@dataclass
class Block:
    heading: str
    rows: list[Row]


@dataclass
class Conclusion:
    """A claim stated after the block: ``lead`` text (with ``$…$``), then
    ``math`` displayed (``boxed`` or not), or only the sentence."""

    lead: str
    math: str = ""
    boxed: bool = False
    verdict: Verdict | None = None


@dataclass
class Layout:
    derivation: Derivation
    blocks: list[Block]
    conclusions: list[Conclusion]
    figures: tuple[Figure, ...] = ()
    marked: bool = False
    report: Report | None = field(default=None, repr=False)


def label_tex(label: Any, printer: SheetPrinter) -> str:
    """A row label: raw LaTeX as written, or a sympy object printed."""
    if label is None or label == "":
        return ""
    if isinstance(label, str):
        return label.strip()
    return printer.doprint(label)


def _chunks(expr: sp.Basic, printer: SheetPrinter, room: float) -> list[tuple[str, str, str]] | None:
    """Where ``expr`` may be broken: ``[(inline, at_row_start, tex), …]``, each
    piece with what joins it to the previous one on the same row and what
    starts a continuation row with it. A sum breaks before a ``+``/``-``; a
    product (or a term of a sum) wider than ``room`` breaks between its factors,
    the continuation row starting with ``\\cdot``. None if ``expr`` cannot break."""
    def factors(sign: str, term: sp.Basic | None, tex: str) -> list[tuple[str, str, str]]:
        if term is not None and visual_width(tex) > room:
            pieces = printer.mul_pieces(term)
            if pieces:
                first = (f" {sign} " if sign else "", f"{sign} " if sign else "", pieces[0])
                return [first] + [(" ", r"\cdot ", p) for p in pieces[1:]]
        return [(f" {sign} " if sign else "", f"{sign} " if sign else "", tex)]

    if isinstance(expr, (sp.Add, sp.MatAdd)):
        terms = printer.add_terms(expr)
        if len(terms) < 2:
            return None
        out = [c for sign, term, tex in terms for c in factors(sign, term, tex)]
    else:
        out = factors("", expr, printer.doprint(expr))
    return out if len(out) > 1 else None


def _pack(prefix: str, chunks: list[tuple[str, str, str]], room: float) -> list[str]:
    """``prefix`` and the chunks packed greedily into rows of at most ``room``
    (a chunk wider than a row gets a row of its own)."""
    rows: list[str] = []
    cur, has_term = prefix, False
    for inline, at_start, tex in chunks:
        joined = f"{cur}{inline}{tex}" if has_term else f"{cur} {at_start}{tex}".strip()
        if has_term and visual_width(joined) > room:
            rows.append(cur)
            cur = f"{CONTINUATION} {at_start}{tex}"
        else:
            cur = joined
        has_term = True
    rows.append(cur)
    return rows


def _bodies(rel: str, expr: sp.Basic, printer: SheetPrinter, room: float) -> list[str]:
    """The relation and right side of one line, over one row or several
    (``room``: math units the body column may take)."""
    full = f"{rel} {printer.doprint(expr)}".strip()
    if visual_width(full) <= room:
        return [full]
    if isinstance(expr, sp.Equality):
        prefix, target = f"{rel} {printer.doprint(expr.lhs)} =".strip(), expr.rhs
    else:
        prefix, target = rel, expr
    chunks = _chunks(target, printer, room - visual_width(CONTINUATION))
    if chunks is None:
        return [full]
    rows = _pack(prefix, chunks, room)
    return rows if len(rows) > 1 else [full]


def _same_tex(a: str, b: str) -> bool:
    """Whether two LaTeX strings typeset the same up to braces, spacing and
    ``\\left``/``\\right`` (a label written as the expression it labels)."""
    def norm(t: str) -> str:
        return "".join(t.replace(r"\left", "").replace(r"\right", "").replace("{", "").replace("}", "").split())
    return norm(a) == norm(b)


def _claim_label(d: Derivation, expr: sp.Basic, printer: SheetPrinter) -> str:
    """The row head under which ``expr`` was written in ``d`` (``\\ell(\\mu)``)."""
    for chain in d.chains():
        head = chain.start.lhs
        if chain.start.expr == expr and head is not None:
            return label_tex(head, printer)
        for _, step in chain.steps:
            if step.lhs is not None:
                head = step.lhs
            if step.expr == expr and head is not None:
                return label_tex(head, printer)
    return ""


def _conclusion(claim: Any, d: Derivation, printer: SheetPrinter, verdict: Verdict | None) -> Conclusion:
    from symproof.claims import ArgMax, ArgMin, HessianIs, Induction, Limit, MatrixIdentity, Monotone, Orthogonal

    p = printer.doprint
    if isinstance(claim, (ArgMax, ArgMin)):
        kind = "max" if isinstance(claim, ArgMax) else "min"
        label = _claim_label(d, claim.objective, printer) or r"\left(%s\right)" % p(claim.objective)
        var = p(claim.var)
        arg = r"\operatorname*{arg\,%s}_{%s} %s" % (kind, var, label)
        shape = "concave" if kind == "max" else "convex"
        word = "maximiser" if kind == "max" else "minimiser"
        if claim.name is not None:
            name = p(claim.name)
            lead = (f"${name}$ is the global {word}: the derivative in ${var}$ vanishes there "
                    f"and the objective is {shape} in ${var}$.")
            return Conclusion(lead, f"{name} = {arg} = {p(claim.at)}", boxed=True, verdict=verdict)
        lead = f"The derivative in ${var}$ vanishes at the point below and the objective is {shape} in ${var}$."
        return Conclusion(lead, f"{arg} = {p(claim.at)}", verdict=verdict)
    if isinstance(claim, HessianIs):
        label = _claim_label(d, claim.objective, printer) or r"\left(%s\right)" % p(claim.objective)
        lead = _sentence(claim.what) if claim.what else f"The Hessian in ${p(claim.var)}$:"
        return Conclusion(lead, r"\nabla_{%s}^{2} %s = %s" % (p(claim.var), label, p(claim.equals)),
                          boxed=True, verdict=verdict)
    if isinstance(claim, MatrixIdentity):
        lead = _sentence(claim.what) if claim.what else "The identity:"
        return Conclusion(lead, f"{p(claim.lhs)} = {p(claim.rhs)}", boxed=True, verdict=verdict)
    if isinstance(claim, Monotone):
        label = _claim_label(d, claim.expr, printer)
        what = f"{label} = {p(claim.expr)}" if label else p(claim.expr)
        return Conclusion(f"${what}$ is strictly {claim.direction} in ${p(claim.var)}$ on "
                          f"${p(claim.interval)}$.", verdict=verdict)
    if isinstance(claim, Limit):
        label = _claim_label(d, claim.expr, printer) or p(claim.expr)
        side = "" if sp.sympify(claim.point).is_infinite else ("^{+}" if claim.direction == "+" else "^{-}")
        return Conclusion("The limit:", r"\lim_{%s \to %s%s} %s = %s"
                          % (p(claim.var), p(claim.point), side, label, p(claim.equals)), verdict=verdict)
    if isinstance(claim, Induction):
        lead = _sentence(claim.what) if claim.what else (
            f"By induction on ${p(claim.k)}$ (base case ${p(claim.k)} = {claim.start}$, then "
            f"${p(claim.k)} \\to {p(claim.k)} + 1$), for every integer ${p(claim.k)} \\ge {claim.start}$:")
        math = r", \quad ".join(f"{p(s)} = {p(f)}" for s, f in zip(claim.state, claim.closed_form))
        return Conclusion(lead, math, boxed=True, verdict=verdict)
    if isinstance(claim, Orthogonal):
        lead = _sentence(claim.what) if claim.what else "The two vectors are orthogonal:"
        dot = " + ".join(f"{printer.parenthesize(a, 50)} \\cdot {printer.parenthesize(b, 50)}"
                         for a, b in zip(claim.u, claim.v))
        return Conclusion(lead, f"{dot} = 0", verdict=verdict)
    # a claim kind this renderer does not know: its description, as plain text
    return Conclusion(_sentence(escape_text(claim.describe())), verdict=verdict)


def _sentence(s: str) -> str:
    s = s.strip()
    if s and s[0].isalpha():
        s = s[0].upper() + s[1:]
    return s if s.endswith((".", ":", "!", "?")) else s + "."


def _why_rows(rows: list[Row], why: str, why_width: float) -> list[Row]:
    """Spread the wrapped justification over ``rows`` (adding rows if needed)."""
    lines = wrap(why, why_width) if why else []
    for k, text in enumerate(lines):
        if k < len(rows):
            rows[k].why = text
        else:
            rows.append(Row(why=text, kind="why"))
    return rows


def _evidence_rows(v: Verdict, printer: SheetPrinter, width: float) -> list[Row]:
    """Counterexample and notes under a marked line."""
    out = []
    if v.counterexample:
        parts = [f"{_name_tex(name, printer)} = {_value_tex(value, printer)}"
                 for name, value in v.counterexample.items()]
        line, lines = [], []
        for part in parts:
            if line and visual_width(r",\ ".join(line + [part])) * MATH_UNIT + 16 > width:
                lines.append(line)
                line = []
            line.append(part)
        lines.append(line)
        for k, chunk in enumerate(lines):
            lead = "counterexample: " if k == 0 else ""
            tail = "," if k < len(lines) - 1 else ""
            out.append(Row(why=lead + "$" + r",\ ".join(chunk) + tail + "$", kind="evidence"))
        if v.values:
            out.append(Row(why=f"left side ${_value_tex(v.values[0], printer)}$, right side "
                               f"${_value_tex(v.values[1], printer)}$", kind="evidence"))
    elif v.status.value in ("refuted", "unknown") and v.message:
        out.extend(Row(why=line, kind="evidence") for line in wrap(_plain(v.message), width))
    for note in v.notes:
        out.extend(Row(why=line, kind="evidence") for line in wrap("note: " + _plain(note), width))
    return out


def _plain(s: str) -> str:
    """Checker messages are plain text: keep ``$`` out of them."""
    return s.replace("$", r"\$")


def _name_tex(name: str, printer: SheetPrinter) -> str:
    return printer.doprint(sp.Symbol(name))


def _value_tex(value: Any, printer: SheetPrinter) -> str:
    try:
        return printer.doprint(sp.sympify(value, rational=True))
    except (sp.SympifyError, TypeError, ValueError, SyntaxError):
        return r"\mathtt{%s}" % str(value).replace("\\", "").replace("{", "").replace("}", "")


def math_width_for(marked: bool, why_min: float = 0.0) -> float:
    """Math units a row may take (left column, relation, right side) before its
    right side is broken: what is left beside the narrowest justification
    (``why_min`` characters when wider than ``MIN_WHY``)."""
    return (TEXT_BUDGET - max(MIN_WHY, why_min) - (MARK_WIDTH if marked else 0.0)) / MATH_UNIT


def why_width_for(math_max: float, marked: bool) -> float:
    """Justification characters that fit beside math ``math_max`` units wide."""
    room = TEXT_BUDGET - MATH_UNIT * math_max - (MARK_WIDTH if marked else 0.0)
    return max(MIN_WHY, min(MAX_WHY, room))


def layout(d: Derivation, report: Report | None = None, math_width: float | None = None,
           why_width: float | None = None) -> Layout:
    """Rows and conclusions of ``d``; with a ``report``, each step's verdict.

    ``why_width`` fixes the justification column (characters); by default it
    takes the room the block's math columns leave on the line.
    """
    printer = SheetPrinter()
    marked = report is not None
    mw = math_width if math_width is not None else math_width_for(marked)
    by_line = {v.line: v for v in report.steps} if report is not None else {}
    grouped: list[tuple[str, list[tuple[Start | Step, int, bool]]]] = []
    for chain in d.chains():
        if chain.start.heading or not grouped:
            grouped.append((chain.start.heading, []))
        lines = grouped[-1][1]
        lines.append((chain.start, chain.start_position, True))
        lines.extend((step, pos, False) for pos, step in chain.steps)
    blocks = []
    for heading, lines in grouped:
        # the left column is as wide as its widest head, on every row of the
        # block: the right sides get what is left of the math width
        heads = [_head(line, printer) for line, _, _ in lines]
        # a first line printed alone starts at the relation column and runs
        # into the right-hand sides' column (see ``Row.alone``)
        head_max = max((visual_width(h) for h, _, e in heads if e is not None), default=0.0)
        alone_max = max((visual_width(h) for h, _, e in heads if e is None), default=0.0)
        # a justification holding a formula wider than the narrowest column
        # (it cannot be wrapped) takes its room from the math
        word = min(max((widest_word(line.why) for line, _, _ in lines), default=0.0), MAX_WHY)
        block_mw = min(mw, math_width_for(marked, word)) if math_width is None else mw
        room = max(block_mw - head_max, 0.5 * block_mw)
        groups = []
        for (line, pos, first), (head, rel, expr) in zip(lines, heads):
            if first and groups:
                groups[-1].gap_after = True
            groups.append(_line_group(line, pos, head, rel, expr, printer, room, by_line))
        body_max = max([alone_max] + [visual_width(r.body) for g in groups for r in g.rows])
        ww = why_width if why_width is not None else max(why_width_for(head_max + body_max, marked), word)
        rows: list[Row] = []
        for g in groups:
            rows.extend(g.flatten(ww, printer))
        blocks.append(Block(heading, rows))
    claim_verdicts: Sequence[Verdict | None] = report.claims if report is not None else ()
    conclusions = [
        _conclusion(c, d, printer, claim_verdicts[k] if k < len(claim_verdicts) else None)
        for k, c in enumerate(d.claims)
    ]
    return Layout(d, blocks, conclusions, d.figures, marked=marked, report=report)


@dataclass
class _Group:
    """The math rows of one line, its justification and its verdict."""

    rows: list[Row]
    why: str
    verdict: Verdict | None
    gap_after: bool = False

    def flatten(self, why_width: float, printer: SheetPrinter) -> list[Row]:
        rows = _why_rows([Row(r.head, r.body, kind=r.kind) for r in self.rows], self.why, why_width)
        if self.verdict is not None:
            rows[0].verdict = self.verdict
            rows.extend(_evidence_rows(self.verdict, printer, why_width + 8))
        rows[-1].gap_after = self.gap_after
        return rows


def _head(line: Start | Step, printer: SheetPrinter) -> tuple[str, str, sp.Basic | None]:
    """``(head, relation, right side)`` of a line; no right side when the
    first line of a chain is printed once, in the left column."""
    head = label_tex(line.lhs, printer)
    if isinstance(line, Step):
        return head, line.relation.latex, line.expr
    expr = line.expr
    if head and _same_tex(head, printer.doprint(expr)):
        return head, "", None  # the label is the expression itself: print it once
    if head:
        return head, "=", expr
    if isinstance(expr, sp.Equality):
        return printer.doprint(expr.lhs), "=", expr.rhs
    return printer.doprint(expr), "", None


def _line_group(line: Start | Step, pos: int, head: str, rel: str, expr: sp.Basic | None,
                printer: SheetPrinter, room: float, by_line: dict) -> _Group:
    bodies = [""] if expr is None else _bodies(rel, expr, printer, room)
    rows = [Row(head=head if k == 0 else "", body=b, kind="line" if k == 0 else "continuation")
            for k, b in enumerate(bodies)]
    verdict = by_line.get(pos) if isinstance(line, Step) else None
    return _Group(rows, line.why, verdict)
