"""The units of work of grading, run in a worker process for untrusted input.

Each takes only texts, a context and options, so that nothing the parent
holds depends on student math: the parent splits lines, the workers read
and check them. Module-level functions, so they pickle.
"""
from __future__ import annotations

import sympy as sp
from sympy.core.function import AppliedUndef

from symproof.check.engine import Options, check_equations, check_inequalities, check_relation
from symproof.check.verdict import Status, Verdict
from symproof.errors import DerivationError, LatexParseError
from symproof.model.context import Context
from symproof.model.derivation import Relation

__all__ = ["declare_task", "read_task", "first_task", "step_task", "compare", "is_label", "is_relation"]


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


_CHAIN_RELATIONS = frozenset({"=", "<=", "<", ">=", ">"})
_REL_OF = {sp.Equality: "=", sp.LessThan: "<=", sp.StrictLessThan: "<", sp.GreaterThan: ">=",
           sp.StrictGreaterThan: ">"}


def is_relation(expr: sp.Basic) -> bool:
    """An equation or inequality (``\\ne`` is not a line of a chain)."""
    return isinstance(expr, tuple(_REL_OF))


def _comparable(expr: sp.Basic) -> sp.Basic:
    """A chain continues from the right-hand side of a relation line (`L = a`, `= b`)."""
    return expr.rhs if is_relation(expr) else expr


def compare(prev: sp.Basic, rel: Relation, cur: sp.Basic, ctx: Context, options: Options) -> Verdict:
    """``prev rel cur`` for two read lines (expressions or relations)."""
    if rel.is_logical:
        if not (isinstance(prev, sp.Equality) and isinstance(cur, sp.Equality)):
            if not is_relation(prev) and is_relation(cur):
                why = ("the previous line is an expression, not an equation (setting an expression to zero is "
                       "not a logical step: start a new chain with the equation, e.g. `... = 0`)")
            elif not is_relation(cur):
                why = "this line is an expression, not an equation"
            else:
                return check_inequalities(prev, rel, cur, ctx, options)
            return Verdict(Status.UNKNOWN, "none", message=f"{rel.latex} relates two equations: {why}")
        return check_equations(prev, rel, cur, ctx, options)
    if is_relation(cur):
        raise DerivationError("one step per line: this line starts with a relation and has another one inside")
    return check_relation(_comparable(prev), rel, cur, ctx, options)


def is_label(rel: sp.Basic, ctx: Context) -> bool:
    """Is the left side of a first line ``L = R`` a *name* for R rather than an expression?

    ``\\ell(\\mu) = \\sum ...``, ``L(w) = \\|Xw - y\\|^2``, ``\\hat\\mu = \\frac1N\\sum x_i``,
    ``\\frac{\\partial \\ell}{\\partial \\mu} = ...``: the left side uses a name the right
    side does not, or applies a function that has no definition. Such a line
    introduces its right side; ``(a+b)^2 = a^2 + 2ab + b^2`` is a step. A
    constant left side (``0 = \\sum_i (x_i - \\mu)``) writes an equation to solve.
    """
    lhs, rhs = rel.lhs, rel.rhs

    def names(e: sp.Basic) -> set:
        out = {s for s in e.free_symbols if isinstance(s, (sp.Symbol, sp.Indexed))}
        return out | set(e.atoms(sp.MatrixSymbol))

    defined = {k for k, _ in ctx.definitions}
    if any(type(f) not in defined for f in lhs.atoms(AppliedUndef)):
        return True
    if not isinstance(lhs, sp.MatrixExpr) and not lhs.free_symbols:
        return True  # `0 = \\sum (x_i - \\mu)` then `= ...`: an equation being solved, not a claim
    return not names(lhs) <= names(rhs)


def first_task(text: str, next_relation: str | None, ctx: Context, options: Options):
    """Read a chain's first line; check it when it is itself a step.

    A first line ``L = R`` (or ``L \\le R`` ...) followed by a line starting with
    ``=``, ``\\le``, ... — or standing alone — claims ``L = R``, unless L is a
    name for R (:func:`is_label`). Followed by ``\\iff``/``\\implies`` it is a
    premise. Returns ``(notes, verdict or None)``.
    """
    expr, notes = _parse(text, ctx)
    if not is_relation(expr) or (next_relation is not None and next_relation not in _CHAIN_RELATIONS) \
            or is_label(expr, ctx):
        return notes, None
    rel = Relation.parse(_REL_OF[type(expr)])
    try:
        v = check_relation(expr.lhs, rel, expr.rhs, ctx, options)
    except (DerivationError, TypeError, ValueError) as exc:
        v = Verdict(Status.UNKNOWN, "none", message=f"cannot compare the two sides: {exc}")
    return notes, v.with_(relation=rel.value, notes=v.notes + tuple(n for n in notes if n not in v.notes))


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
    if not rel.is_logical and is_relation(cur):
        # `= a = b`: two steps on one line
        from symproof.parse import relation_sides

        first = relation_sides(cur_text)[0]
        at = cur_text.find(first) + len(first) if first else 0
        at += len(cur_text[at:]) - len(cur_text[at:].lstrip())
        return "cur", LatexParseError("one step per line: this line starts with a relation and has another one "
                                      "here; put it at the start of the next line", at)
    try:
        v = compare(prev, rel, cur, ctx, options)
    except (DerivationError, TypeError, ValueError) as exc:
        v = Verdict(Status.UNKNOWN, "none", message=f"cannot compare these lines: {exc}")
    return "ok", v.with_(notes=v.notes + tuple(n for n in notes if n not in v.notes))
