"""Derivations as data: lines, relations, claims."""
from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Any, Iterator, Protocol, Union, runtime_checkable

import sympy as sp

from symproof.errors import DerivationError
from symproof.model.context import Context

__all__ = ["Relation", "Start", "Step", "Line", "Derivation", "Rule", "Claim", "Chain", "Figure"]


class Relation(str, enum.Enum):
    """How a line relates to the previous one."""

    EQ = "="
    LE = "<="
    LT = "<"
    GE = ">="
    GT = ">"
    IFF = "<=>"
    IMPLIES = "=>"

    @classmethod
    def parse(cls, text: "str | Relation") -> "Relation":
        if isinstance(text, Relation):
            return text
        key = text.strip()
        for rel, spellings in _SPELLINGS.items():
            if key in spellings:
                return rel
        raise DerivationError(f"unknown relation {text!r}")

    @property
    def latex(self) -> str:
        return _LATEX[self]

    @property
    def is_order(self) -> bool:
        return self in (Relation.LE, Relation.LT, Relation.GE, Relation.GT)

    @property
    def is_logical(self) -> bool:
        return self in (Relation.IFF, Relation.IMPLIES)


_SPELLINGS = {
    Relation.EQ: {"=", "=="},
    Relation.LE: {"<=", "≤", r"\le", r"\leq"},
    Relation.LT: {"<"},
    Relation.GE: {">=", "≥", r"\ge", r"\geq"},
    Relation.GT: {">"},
    Relation.IFF: {"<=>", "⇔", "iff", r"\iff", r"\Leftrightarrow"},
    Relation.IMPLIES: {"=>", "⇒", "implies", r"\implies", r"\Rightarrow"},
}
_LATEX = {
    Relation.EQ: "=",
    Relation.LE: r"\le",
    Relation.LT: "<",
    Relation.GE: r"\ge",
    Relation.GT: ">",
    Relation.IFF: r"\iff",
    Relation.IMPLIES: r"\implies",
}


@runtime_checkable
class Rule(Protocol):
    """A machine-checked justification: applied to the previous line, its
    result is compared with the written line."""

    def apply(self, previous: sp.Basic, context: Context) -> sp.Basic: ...

    def describe(self) -> str: ...


@runtime_checkable
class Claim(Protocol):
    """A conclusion about the derivation (argmax, monotone, ...)."""

    def describe(self) -> str: ...

    def check(self, context: Context, options: Any = ...) -> Any:
        """Return a :class:`~symproof.check.verdict.Verdict` (``options``:
        :class:`~symproof.check.engine.Options`)."""


Label = Union[sp.Basic, str, None]


def _as_sympy(expr: object, what: str) -> sp.Basic:
    try:
        return sp.sympify(expr, strict=True)  # strict: never parses strings
    except (sp.SympifyError, TypeError) as exc:
        raise DerivationError(f"{what} must be a sympy object, got {expr!r}") from exc


@dataclass(frozen=True)
class Start:
    """The first line of a chain (not a step; it gets no verdict).

    ``assume`` adds constraints for this chain only (a case such as ``i ≠ j``).
    ``lhs`` is the label printed left of the line (``ℓ(μ)``, ``∂o_i/∂v_j``).
    """

    expr: sp.Basic
    why: str = ""
    lhs: Label = None
    assume: tuple[sp.Basic, ...] = ()
    heading: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "expr", _as_sympy(self.expr, "a line"))
        object.__setattr__(self, "assume", tuple(self.assume))


@dataclass(frozen=True)
class Step:
    """A line related to the previous one by ``relation``.

    Without a rule the written ``expr`` is compared with the previous line.
    With a rule, the rule is applied to the previous line and its result is
    compared with ``expr`` (so ``Differentiate(mu)`` followed by ``=`` reads
    "the derivative of the previous line equals this line").
    """

    relation: Relation
    expr: sp.Basic
    why: str = ""
    rule: Rule | None = None
    lhs: Label = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "relation", Relation.parse(self.relation))
        object.__setattr__(self, "expr", _as_sympy(self.expr, "a line"))
        if self.rule is not None and not isinstance(self.rule, Rule):
            raise DerivationError(f"{self.rule!r} is not a rule")
        if self.rule is not None and self.relation.is_order:
            raise DerivationError("a rule step must use =, <=> or =>")


Line = Union[Start, Step]


@dataclass(frozen=True)
class Chain:
    """One chain of a derivation: its start, its steps and their positions."""

    start: Start
    start_position: int
    steps: tuple[tuple[int, Step], ...]


@dataclass(frozen=True)
class Figure:
    """A plot of ``expr`` over ``var`` in [``lower``, ``upper``] for the sheet.

    ``name`` is the file stem of the rendered image; ``marks`` are horizontal
    reference lines (e.g. the limits ``log 10`` and ``log(10/9)``).
    """

    name: str
    expr: sp.Basic
    var: sp.Symbol
    lower: float
    upper: float
    caption: str = ""
    xlabel: str = ""
    ylabel: str = ""
    marks: tuple[tuple[sp.Basic, str], ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "expr", _as_sympy(self.expr, "a figure's expression"))
        object.__setattr__(self, "marks", tuple(self.marks))
        if not self.name.replace("_", "").replace("-", "").isalnum():
            raise DerivationError(f"figure name {self.name!r} must be a plain file stem")


@dataclass(frozen=True)
class Derivation:
    """A named derivation: one or more chains of lines, and claims.

    Positions (``line`` in reports) are 1-based over ``lines``; a chain's
    :class:`Start` has a position but no verdict.
    """

    name: str
    title: str
    statement: str
    context: Context
    lines: tuple[Line, ...]
    claims: tuple[Claim, ...] = ()
    problem: str = ""
    notes: tuple[str, ...] = field(default=())
    figures: tuple[Figure, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "lines", tuple(self.lines))
        object.__setattr__(self, "claims", tuple(self.claims))
        object.__setattr__(self, "figures", tuple(self.figures))
        object.__setattr__(self, "notes", tuple(self.notes))
        if not self.lines or not isinstance(self.lines[0], Start):
            raise DerivationError(f"{self.name}: the first line must be a Start")
        for line in self.lines:
            if not isinstance(line, (Start, Step)):
                raise DerivationError(f"{self.name}: {line!r} is not a Start or Step")
        for claim in self.claims:
            if not isinstance(claim, Claim):
                raise DerivationError(f"{self.name}: {claim!r} is not a claim")

    def chains(self) -> Iterator[Chain]:
        start, start_pos, steps = None, 0, []
        for pos, line in enumerate(self.lines, 1):
            if isinstance(line, Start):
                if start is not None:
                    yield Chain(start, start_pos, tuple(steps))
                start, start_pos, steps = line, pos, []
            else:
                steps.append((pos, line))
        yield Chain(start, start_pos, tuple(steps))

    @property
    def steps(self) -> tuple[Step, ...]:
        return tuple(line for line in self.lines if isinstance(line, Step))

    def previous(self, position: int) -> Line:
        """The line a step at ``position`` (1-based) is compared with."""
        return self.lines[position - 2]

    def _repr_latex_(self) -> str:  # Jupyter; a rendering error is shown, never raised
        from symproof.render import jupyter

        return jupyter.derivation_latex(self)

    def _repr_html_(self) -> str:
        from symproof.render import jupyter

        return jupyter.derivation_html(self)
