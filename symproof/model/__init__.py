"""Derivations as immutable data."""
from __future__ import annotations

from symproof.model.context import Context, IndexRange
from symproof.model.derivation import Chain, Claim, Derivation, Figure, Line, Relation, Rule, Start, Step
from symproof.model.linalg import Inner, Norm, inner, norm, sqnorm

__all__ = [
    "Context", "IndexRange", "Chain", "Claim", "Derivation", "Figure", "Line", "Relation",
    "Rule", "Start", "Step", "Inner", "Norm", "inner", "norm", "sqnorm",
]
