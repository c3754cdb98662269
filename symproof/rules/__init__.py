"""Machine-checked justifications.

A rule is applied to the previous line; the engine then compares the rule's
result with the written line. Rules raise :class:`RuleError` when they
cannot be applied — never return a "fact" such as an empty solution set.

>>> import sympy as sp
>>> from symproof.model import Context
>>> x = sp.Symbol("x", real=True)
>>> Differentiate(x).apply(x**3, Context())
3*x**2
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Mapping

import sympy as sp

from symproof.check.normalise import has_sums, normalise_sums, prepare, solve_linear
from symproof.errors import RuleError
from symproof.model.context import Context

__all__ = ["Differentiate", "Substitute", "Solve", "SetToZero", "TakeLog", "TakeExp", "Expand", "Simplify"]


def _both_sides(expr: sp.Basic, fn) -> sp.Basic:
    if isinstance(expr, sp.Equality):
        return sp.Eq(fn(expr.lhs), fn(expr.rhs), evaluate=False)
    return fn(expr)


@dataclass(frozen=True)
class Differentiate:
    """d/dvar of the previous line (scalar, indexed entry ``v[j]`` or matrix symbol).

    For a matrix symbol, differentiating a scalar gives the gradient and
    differentiating the gradient again gives the Hessian.
    """

    var: sp.Basic
    times: int = 1

    def apply(self, previous: sp.Basic, context: Context) -> sp.Basic:
        expr = prepare(previous, context)

        def d(e: sp.Basic) -> sp.Basic:
            try:
                out = e
                for _ in range(self.times):
                    out = sp.diff(out, self.var)
                return out
            except (TypeError, ValueError, NotImplementedError) as exc:
                raise RuleError(f"cannot differentiate with respect to {self.var}: {exc}") from exc

        return _both_sides(expr, d)

    def describe(self) -> str:
        return f"differentiate w.r.t. {self.var}" + (f" ({self.times} times)" if self.times > 1 else "")


@dataclass(frozen=True)
class Substitute:
    """Replace symbols by values (``{mu: mu_hat}``, ``{j: i}``)."""

    mapping: tuple[tuple[sp.Basic, sp.Basic], ...]

    def __init__(self, mapping: Mapping | tuple) -> None:
        pairs = tuple(mapping.items()) if isinstance(mapping, Mapping) else tuple(mapping)
        object.__setattr__(self, "mapping", pairs)

    def apply(self, previous: sp.Basic, context: Context) -> sp.Basic:
        subs = dict(self.mapping)
        try:
            return previous.subs(subs)
        except (TypeError, ValueError) as exc:
            raise RuleError(f"cannot substitute {subs}: {exc}") from exc

    def describe(self) -> str:
        return "substitute " + ", ".join(f"{k} = {v}" for k, v in self.mapping)


@dataclass(frozen=True)
class Solve:
    """Solve the previous equation for ``var``; the result reads ``name = solution``.

    Sums are normalised first (sympy's ``solve`` returns [] on an
    un-normalised sum). An empty or multiple solution set is an error.
    """

    var: sp.Symbol
    name: sp.Basic | None = None

    def apply(self, previous: sp.Basic, context: Context) -> sp.Basic:
        if not isinstance(previous, sp.Equality):
            raise RuleError("solve needs an equation on the previous line")
        residual = prepare(previous.lhs - previous.rhs, context)
        if has_sums(residual):
            residual = normalise_sums(residual, context)
        residual = sp.expand(residual)
        linear = solve_linear(residual, self.var)
        if linear is not None:
            return sp.Eq(self.name if self.name is not None else self.var, linear, evaluate=False)
        try:
            sols = sp.solve(residual, self.var, dict=False)
        except (NotImplementedError, TypeError, ValueError) as exc:
            raise RuleError(f"sympy cannot solve for {self.var}: {exc}") from exc
        if not sols:
            raise RuleError(f"solve found no solution for {self.var} (that does not prove there is none)")
        if len(sols) > 1:
            raise RuleError(f"several solutions for {self.var}: {sols}; pick one with Substitute")
        return sp.Eq(self.name if self.name is not None else self.var, sols[0], evaluate=False)

    def describe(self) -> str:
        return f"solve for {self.var}"


@dataclass(frozen=True)
class SetToZero:
    """The first-order condition: previous expression = 0 (at ``at``, e.g. μ = μ̂)."""

    at: tuple[tuple[sp.Basic, sp.Basic], ...] = ()

    def __init__(self, at: Mapping | tuple = ()) -> None:
        pairs = tuple(at.items()) if isinstance(at, Mapping) else tuple(at)
        object.__setattr__(self, "at", pairs)

    def apply(self, previous: sp.Basic, context: Context) -> sp.Basic:
        if isinstance(previous, sp.Equality):
            raise RuleError("set-to-zero needs an expression on the previous line")
        return sp.Eq(previous.subs(dict(self.at)), 0, evaluate=False)

    def describe(self) -> str:
        return "set to zero"


@dataclass(frozen=True)
class TakeLog:
    """Natural log of the previous line (both sides of an equation)."""

    def apply(self, previous: sp.Basic, context: Context) -> sp.Basic:
        return _both_sides(previous, sp.log)

    def describe(self) -> str:
        return "take log"


@dataclass(frozen=True)
class TakeExp:
    """exp of the previous line (both sides of an equation)."""

    def apply(self, previous: sp.Basic, context: Context) -> sp.Basic:
        return _both_sides(previous, sp.exp)

    def describe(self) -> str:
        return "take exp"


@dataclass(frozen=True)
class Expand:
    """Expand the previous line (the written line must equal the expansion)."""

    def apply(self, previous: sp.Basic, context: Context) -> sp.Basic:
        return _both_sides(prepare(previous, context), sp.expand)

    def describe(self) -> str:
        return "expand"


@dataclass(frozen=True)
class Simplify:
    """Simplify the previous line as written (bounded by the step budget)."""

    def apply(self, previous: sp.Basic, context: Context) -> sp.Basic:
        return _both_sides(prepare(previous, context), sp.simplify)

    def describe(self) -> str:
        return "simplify"
