"""symproof: derivations as data, every step checked.

>>> import sympy as sp, symproof
>>> x = sp.Symbol("x", positive=True)
>>> symproof.check_relation(sp.log(x**2), "=", 2*sp.log(x), symproof.Context()).status.value
'proved'

Names are imported on first use (PEP 562), so that the pytest plugin, which
every pytest run imports, does not pay for sympy unless it is enabled.
"""
from __future__ import annotations

from symproof._lazy import lazy

from typing import TYPE_CHECKING

__version__ = "0.1.0"

_EXPORTS = {
    "Context": "symproof.model",
    "Derivation": "symproof.model",
    "IndexRange": "symproof.model",
    "Relation": "symproof.model",
    "Start": "symproof.model",
    "Step": "symproof.model",
    "inner": "symproof.model",
    "norm": "symproof.model",
    "sqnorm": "symproof.model",
    "Options": "symproof.check",
    "Report": "symproof.check",
    "Status": "symproof.check",
    "Verdict": "symproof.check",
    "check_derivation": "symproof.check",
    "check_equations": "symproof.check",
    "check_relation": "symproof.check",
    "check_step": "symproof.grade",  # the grading API: LaTeX or sympy in (the engine's is symproof.check.check_step)
    "grade_text": "symproof.grade",
    "parse_latex": "symproof.parse",
    "parse_latex_with_notes": "symproof.parse",
    "LatexParseError": "symproof.errors",
    "CheckTimeout": "symproof.errors",
    "DerivationError": "symproof.errors",
    "RuleError": "symproof.errors",
    "SymproofError": "symproof.errors",
    "UnknownNameError": "symproof.errors",
}

__all__ = sorted(_EXPORTS)


__getattr__, __dir__ = lazy(__name__, globals(), _EXPORTS)


if TYPE_CHECKING:  # pragma: no cover
    from symproof.check import (Options, Report, Status, Verdict, check_derivation, check_equations,
                                check_relation)
    from symproof.errors import (CheckTimeout, DerivationError, LatexParseError, RuleError, SymproofError,
                                 UnknownNameError)
    from symproof.grade import check_step, grade_text
    from symproof.parse import parse_latex, parse_latex_with_notes
    from symproof.model import Context, Derivation, IndexRange, Relation, Start, Step, inner, norm, sqnorm
