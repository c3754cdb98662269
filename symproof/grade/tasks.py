"""The units of work of grading, run in a worker process for untrusted input.

Each takes only texts, a context and options, so that nothing the parent
holds depends on student math: the parent splits lines, the workers read
and check them. Module-level functions, so they pickle.
"""
from __future__ import annotations

import sympy as sp

from symproof.check.engine import Options, check_equations, check_relation
from symproof.check.verdict import Status, Verdict
from symproof.errors import DerivationError, LatexParseError
from symproof.model.context import Context
from symproof.model.derivation import Relation

__all__ = ["declare_task", "read_task", "step_task", "compare"]


def _parse(text: str, ctx: Context):
    from symproof.parse import parse_latex_with_notes  # student text reaches sympy only through the reader

    return parse_latex_with_notes(text, ctx)


def declare_task(body: str, ctx: Context) -> Context:
    """Apply one ``% symproof:`` declaration."""
    if body.startswith("context"):
        from symproof.grade.grader import context_of_derivation

        name = body[len("context"):].strip()
        if not name:
            raise DerivationError("`context` needs the name of a registered derivation")
        return context_of_derivation(name).merged(ctx)
    from symproof.parse import parse_declaration

    return parse_declaration(body, ctx)


def read_task(text: str, ctx: Context) -> tuple[str, ...]:
    """Read a chain's first line; returns the reader's notes."""
    return _parse(text, ctx)[1]


def _comparable(expr: sp.Basic) -> sp.Basic:
    """A chain continues from the right-hand side of a relation line (`L = a`, `= b`)."""
    return expr.rhs if isinstance(expr, sp.Rel) else expr


def compare(prev: sp.Basic, rel: Relation, cur: sp.Basic, ctx: Context, options: Options) -> Verdict:
    """``prev rel cur`` for two read lines (expressions or relations)."""
    if rel.is_logical:
        if not (isinstance(prev, sp.Equality) and isinstance(cur, sp.Equality)):
            return Verdict(Status.UNKNOWN, "none", message=f"{rel.value} is checked between equations; "
                           "this line or the previous one is not an equation")
        return check_equations(prev, rel, cur, ctx, options)
    left, right = _comparable(prev), _comparable(cur)
    if isinstance(cur, sp.Rel):  # `= a = b`: compare with the first member
        right = cur.lhs
    return check_relation(left, rel, right, ctx, options)


def step_task(prev_text: str, relation: str, cur_text: str, ctx: Context, options: Options):
    """Read both lines and check the step.

    Returns ``("ok", verdict)``, ``("cur", LatexParseError)`` when this line
    cannot be read, or ``("prev", None)`` when the previous one cannot (its
    own task reports that).
    """
    try:
        prev, _ = _parse(prev_text, ctx)
    except LatexParseError:
        return "prev", None
    try:
        cur, notes = _parse(cur_text, ctx)
    except LatexParseError as exc:
        return "cur", exc
    rel = Relation.parse(relation)
    try:
        v = compare(prev, rel, cur, ctx, options)
    except (DerivationError, TypeError, ValueError) as exc:
        v = Verdict(Status.UNKNOWN, "none", message=f"cannot compare these lines: {exc}")
    return "ok", v.with_(notes=v.notes + tuple(notes))
