"""The exception hierarchy.

The rule: *bad input raises* (a malformed derivation, an unknown name, a rule
that cannot be applied); *a failed check is a returned result* (a
:class:`~symproof.check.verdict.Verdict` with status ``refuted`` or
``unknown``), never an exception.
"""
from __future__ import annotations

__all__ = [
    "SymproofError",
    "DerivationError",
    "RuleError",
    "UnknownNameError",
    "CheckTimeout",
]


class SymproofError(Exception):
    """Base class of every error symproof raises on bad input."""


class DerivationError(SymproofError):
    """A derivation, step or context is malformed."""


class RuleError(SymproofError):
    """A rule cannot be applied to the line it follows (e.g. ``solve`` found nothing)."""


class UnknownNameError(SymproofError):
    """No registered derivation has that name."""


class CheckTimeout(BaseException):
    """A time budget ran out.

    Derives from ``BaseException`` so that an ``except Exception`` inside
    sympy or in a strategy cannot swallow it.
    """
