"""Grade a submission: every line against the line before it.

Grading is a pure function of (submission text, options) → :class:`Grade`,
so a course can map it over files with any executor.
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

import sympy as sp

from symproof.check.engine import DEFAULT, Options, check_equations, check_relation
from symproof.check.verdict import Report, Status, Verdict
from symproof.errors import DerivationError, LatexParseError, SymproofError, UnknownNameError
from symproof.grade.submission import Declaration, MathLine, split_submission
from symproof.model.context import Context
from symproof.model.derivation import Relation

__all__ = ["LineError", "Grade", "grade_text", "context_of_derivation"]


@dataclass(frozen=True)
class LineError:
    """A line that could not be read: ``file:line:col: reason``."""

    line: int
    column: int | None
    reason: str

    def where(self, filename: str = "<input>") -> str:
        col = f":{self.column + 1}" if self.column is not None else ""
        return f"{filename}:{self.line}{col}: {self.reason}"

    def to_json(self) -> dict[str, Any]:
        return {"line": self.line, "column": None if self.column is None else self.column + 1,
                "status": "error", "message": self.reason}


@dataclass(frozen=True)
class Grade:
    """The graded submission: one report per chain, plus unreadable lines."""

    parts: tuple[Report, ...]
    errors: tuple[LineError, ...] = ()
    notes: tuple[str, ...] = ()
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.errors and all(p.ok for p in self.parts)

    def to_json(self) -> dict[str, Any]:
        parts = []
        for p in self.parts:
            doc = p.to_json()
            doc["steps"] = sorted(
                doc["steps"] + [e.to_json() for e in self.errors if p.extra and _in_part(e.line, p)],
                key=lambda s: s["line"],
            )
            doc.pop("claims", None)
            parts.append(doc)
        return {"ok": self.ok, "parts": parts,
                "errors": [e.to_json() for e in self.errors]}


def _in_part(line: int, part: Report) -> bool:
    span = dict(part.extra).get("span")
    return bool(span) and span[0] <= line <= span[1]


def context_of_derivation(name: str) -> Context:
    """The context of a registered derivation, with every name its lines use."""
    from symproof import registry

    d = registry.get(name)
    names: set[sp.Basic] = set()
    for line in d.lines:
        e = line.expr
        names |= {s for s in e.free_symbols}
        names |= {i.base for i in e.atoms(sp.Indexed)}
        names |= set(e.atoms(sp.MatrixSymbol))
        for f in e.atoms(sp.Function):
            if isinstance(type(f), sp.core.function.UndefinedFunction):
                names.add(type(f))
    names -= {i.base.label for line in d.lines for i in line.expr.atoms(sp.Indexed)}
    return d.context.with_symbols(*sorted(names, key=str))


def _parse(text: str, ctx: Context):
    from symproof.parse import parse_latex_with_notes  # the LaTeX reader: sympy only through it

    return parse_latex_with_notes(text, ctx)


def _comparable(expr: sp.Basic) -> sp.Basic:
    """A chain continues from the right-hand side of a relation line (`L = a`, `= b`)."""
    return expr.rhs if isinstance(expr, sp.Rel) else expr


def _check(prev: sp.Basic, rel: Relation, cur: sp.Basic, ctx: Context, options: Options) -> Verdict:
    if rel.is_logical:
        if not (isinstance(prev, sp.Equality) and isinstance(cur, sp.Equality)):
            return Verdict(Status.UNKNOWN, "none", message=f"{rel.value} is checked between equations; "
                           "this line or the previous one is not an equation")
        return check_equations(prev, rel, cur, ctx, options)
    left, right = _comparable(prev), _comparable(cur)
    if isinstance(cur, sp.Rel):  # `= a = b`: compare with the first member
        right = cur.lhs
    return check_relation(left, rel, right, ctx, options)


def _describe(prev_text: str, rel: Relation, cur_text: str) -> str:
    return f"{prev_text}  {rel.latex}  {cur_text}"


def grade_text(text: str, context: Context | None = None, options: Options = DEFAULT) -> Grade:
    """Grade every chain of a submission (declarations apply to what follows).

    >>> g = grade_text("(a+b)^2\\n= a^2 + b^2")
    >>> g.parts[0].steps[0].status.value, sorted(g.parts[0].steps[0].counterexample)
    ('refuted', ['a', 'b'])
    """
    t0 = time.perf_counter()
    ctx = context or Context()
    sub = split_submission(text)
    parts: list[Report] = []
    errors: list[LineError] = []
    notes: list[str] = []
    for item in sub.items:
        if isinstance(item, Declaration):
            try:
                ctx = _declare(item, ctx)
            except (LatexParseError, UnknownNameError, DerivationError) as exc:
                errors.append(LineError(item.number, item.column + (getattr(exc, "column", None) or 0),
                                        _reason(exc)))
            continue
        parts.append(_grade_chain(item, ctx, options, errors, notes, len(parts) + 1))
    return Grade(tuple(parts), tuple(errors), tuple(notes), time.perf_counter() - t0)


def _reason(exc: Exception) -> str:
    return getattr(exc, "reason", None) or str(exc)


def _declare(decl: Declaration, ctx: Context) -> Context:
    body = decl.body
    if body.startswith("context"):
        name = body[len("context"):].strip()
        if not name:
            raise DerivationError("`context` needs the name of a registered derivation")
        return context_of_derivation(name).merged(ctx)
    from symproof.parse import parse_declaration

    return parse_declaration(body, ctx)


def _grade_chain(chain: list[MathLine], ctx: Context, options: Options, errors: list[LineError],
                 notes: list[str], number: int) -> Report:
    t0 = time.perf_counter()
    verdicts: list[Verdict] = []
    prev: sp.Basic | None = None
    prev_text = ""
    for line in chain:
        if line.relation == "missing":
            errors.append(LineError(line.number, line.column,
                                    "expected a relation (=, \\le, <, \\ge, >, \\iff, \\implies) at the start of "
                                    "this line, or a blank line before a new chain"))
            prev = None
            continue
        try:
            expr, line_notes = _parse(line.math, ctx)
        except LatexParseError as exc:
            col = line.column + exc.column if exc.column is not None else line.column
            errors.append(LineError(line.number, col, f"cannot read this LaTeX: {exc.reason}"))
            prev = None  # the next line has nothing readable to be compared with
            continue
        if line.relation is None or prev is None:
            prev, prev_text = expr, line.math
            continue
        rel = Relation.parse(line.relation)
        try:
            v = _check(prev, rel, expr, ctx, options)
        except (DerivationError, TypeError, ValueError) as exc:
            v = Verdict(Status.UNKNOWN, "none", message=f"cannot compare these lines: {exc}")
        v = v.with_(
            line=line.number,
            relation=rel.value,
            message=f"{v.message} [compared: {_describe(prev_text, rel, line.math)}]",
            notes=v.notes + tuple(line_notes),
        )
        verdicts.append(v)
        prev, prev_text = expr, line.math
    span = (chain[0].number, chain[-1].number)
    return Report(f"chain {number} (line {chain[0].number})", tuple(verdicts), (), time.perf_counter() - t0,
                  extra=(("span", span),))
