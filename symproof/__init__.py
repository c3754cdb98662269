"""symproof: derivations as data, every step checked.

>>> import sympy as sp, symproof
>>> x = sp.Symbol("x", positive=True)
>>> symproof.check_relation(sp.log(x**2), "=", 2*sp.log(x), symproof.Context()).status.value
'proved'
"""
from __future__ import annotations

from symproof.check import (
    Options,
    Report,
    Status,
    Verdict,
    check_derivation,
    check_equations,
    check_relation,
    check_step,
)
from symproof.errors import CheckTimeout, DerivationError, RuleError, SymproofError, UnknownNameError
from symproof.model import Context, Derivation, IndexRange, Relation, Start, Step, inner, norm, sqnorm

__version__ = "0.1.0"

__all__ = [
    "Context", "Derivation", "IndexRange", "Relation", "Start", "Step", "inner", "norm", "sqnorm",
    "Options", "Report", "Status", "Verdict",
    "check_derivation", "check_equations", "check_relation", "check_step",
    "CheckTimeout", "DerivationError", "RuleError", "SymproofError", "UnknownNameError",
]
