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
    "LatexParseError",
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


class LatexParseError(SymproofError):
    """LaTeX that the reader cannot read (or would have to guess at).

    ``column`` is a 0-based offset into the text that was parsed (``None`` when
    no single place is to blame); ``reason`` says what is wrong.

    >>> str(LatexParseError("unbalanced braces", 7))
    'col 7: unbalanced braces'
    """

    def __init__(self, reason: str, column: int | None = None) -> None:
        self.reason = reason
        self.column = column
        super().__init__(f"col {column}: {reason}" if column is not None else reason)

    def shifted(self, offset: int) -> "LatexParseError":
        """The same error with ``column`` moved by ``offset`` (text embedded in a longer line)."""
        return LatexParseError(self.reason, None if self.column is None else self.column + offset)

    def __reduce__(self):
        return (type(self), (self.reason, self.column))


class CheckTimeout(BaseException):
    """A time budget ran out.

    Derives from ``BaseException`` so that an ``except Exception`` inside
    sympy or in a strategy cannot swallow it.
    """
