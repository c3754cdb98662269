"""The sheet's closing table: every step's and claim's verdict, per derivation."""
from __future__ import annotations

import re
from typing import Sequence

import sympy as sp

from symproof.check.verdict import Report, Status
from symproof.model.derivation import Derivation
from symproof.render.text import escape_text, segments

__all__ = ["problem_key", "summary_tex", "summary_markdown", "counts"]


def problem_key(d: Derivation) -> tuple[int, str]:
    """Sort key in the tutorial's order: P1 < P2 < … < P10; unnumbered last."""
    m = re.match(r"P(\d+)", d.problem or "")
    return (int(m.group(1)) if m else 10**6, "")


def counts(reports: Sequence[Report]) -> dict[Status, int]:
    out = {s: 0 for s in Status}
    for r in reports:
        for v in r.verdicts:
            out[v.status] += 1
    return out


def _text(s: str) -> str:
    """Text with ``$…$`` math, for a text-mode table cell (wrapped by TeX)."""
    def plain(t: str) -> str:  # < and > are not characters of the default text font
        return escape_text(t).replace("<", r"\textless{}").replace(">", r"\textgreater{}")

    return "".join(f"${chunk}$" if is_math else plain(chunk) for is_math, chunk in segments(s))


def _line_text(d: Derivation, line: int) -> str:
    return _text(d.lines[line - 1].why)


def _method(m: str) -> str:
    """The deciding strategy, for ``\\texttt``: ``rule:differentiate w.r.t. mu|sum-normalise``
    → ``sum-normalise``; a line may break after each ``:`` and ``+``
    (``first-order:cancel+second-order:sign-assumptions``)."""
    m = escape_text(m.split("|")[-1])
    return m.replace(":", r":\allowbreak ").replace("+", r"+\allowbreak ")


def _claim_text(claim) -> str:
    """A claim's own wording when it has one, else what it states, short."""
    from symproof.claims import Limit, Monotone
    from symproof.render.printer import latex

    what = getattr(claim, "what", "")
    if what:
        return _text(what)
    if isinstance(claim, Limit):
        side = "" if sp.sympify(claim.point).is_infinite else ("^{+}" if claim.direction == "+" else "^{-}")
        return _text(f"limit as ${latex(claim.var)} \\to {latex(claim.point)}{side}$: ${latex(claim.equals)}$")
    if isinstance(claim, Monotone):
        return _text(f"{claim.direction} in ${latex(claim.var)}$ on ${latex(claim.interval)}$")
    kind = type(claim).__name__
    return {"ArgMax": "argmax (first- and second-order conditions)", "ArgMin": "argmin (first- and second-order "
            "conditions)", "Induction": "closed form by induction", "Orthogonal": "orthogonality"}.get(
                kind, escape_text(kind))


def summary_tex(derivations: Sequence[Derivation], reports: Sequence[Report]) -> str:
    """A ``longtable`` of every verdict, grouped by derivation, and the totals."""
    rows = []
    for d, r in zip(derivations, reports):
        title = escape_text(f"{d.problem} {d.title}".strip())
        rows.append(r"\multicolumn{4}{@{}l}{\textbf{%s}} \\" % title)
        for v in r.steps:
            rows.append(r"%s & %s & \texttt{%s} & %s \\"
                        % (v.line, v.status.value, _method(v.method), _line_text(d, v.line)))
        for claim, v in zip(d.claims, r.claims):
            rows.append(r"claim & %s & \texttt{%s} & %s \\"
                        % (v.status.value, _method(v.method), _claim_text(claim)))
    total = counts(reports)
    n = sum(total.values())
    line = ", ".join(f"{total[s]} {s.value}" for s in Status)
    head = (r"\section*{Summary of verdicts}" "\n" r"\addcontentsline{toc}{section}{Summary of verdicts}" "\n"
            + f"{n} steps and claims: {line}. " + r"A \emph{numeric} verdict is evidence at random points, "
            "never a proof.\n\n")
    # rows a little apart, so that a fraction in one does not touch the next
    table = (r"{\small\renewcommand{\arraystretch}{1.2}" "\n"
             r"\begin{longtable}{@{}r l >{\raggedright\arraybackslash}p{0.28\linewidth} "
             r">{\raggedright\arraybackslash}p{0.48\linewidth}@{}}" "\n"
             r"line & verdict & method & justification \\" "\n" r"\hline" "\n" r"\endhead" "\n"
             + "\n".join(rows) + "\n" r"\end{longtable}" "\n}\n")
    return head + table


def summary_markdown(derivations: Sequence[Derivation], reports: Sequence[Report]) -> str:
    rows = ["| derivation | line | verdict | method |", "|---|---|---|---|"]
    for d, r in zip(derivations, reports):
        for v in r.steps:
            rows.append(f"| {d.problem} {d.name} | {v.line} | {v.status.value} | `{v.method}` |")
        for v in r.claims:
            rows.append(f"| {d.problem} {d.name} | claim | {v.status.value} | `{v.method}` |")
    total = counts(reports)
    head = ", ".join(f"{total[s]} {s.value}" for s in Status)
    return "## Summary of verdicts\n\n" + head + "\n\n" + "\n".join(rows) + "\n"
