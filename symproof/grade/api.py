"""The grading API for programs (graders, notebooks)."""
from __future__ import annotations

import sympy as sp

from symproof.check.engine import DEFAULT, Options
from symproof.check.verdict import Verdict
from symproof.errors import LatexParseError
from symproof.grade.grader import Grade, grade_text
from symproof.grade.tasks import compare
from symproof.model.context import Context
from symproof.model.derivation import Relation

__all__ = ["check_step", "grade_text"]


def _read(value: str | sp.Basic, ctx: Context) -> tuple[sp.Basic, tuple[str, ...]]:
    if isinstance(value, str):
        from symproof.parse import parse_latex_with_notes

        return parse_latex_with_notes(value, ctx)
    return sp.sympify(value, strict=True), ()


def check_step(
    before: str | sp.Basic,
    after: str | sp.Basic,
    relation: str | Relation = "=",
    context: Context | None = None,
    options: Options = DEFAULT,
) -> Verdict:
    """Check one step; ``before``/``after`` are LaTeX strings or sympy objects.

    Raises :class:`~symproof.errors.LatexParseError` for unreadable LaTeX.

    >>> check_step(r"\\log(x^2)", r"2\\log x").status.value  # x real: where both sides are real
    'proved'
    >>> check_step("(a+b)^2", "a^2+b^2").status.value
    'refuted'
    """
    ctx = context or Context()
    b, nb = _read(before, ctx)
    a, na = _read(after, ctx)
    rel = Relation.parse(relation)
    v = compare(b, rel, a, ctx, options)
    return v.with_(relation=rel.value, notes=v.notes + nb + na)
