"""Symbolic strategies, cheap first, each under its own time limit.

A strategy takes the difference (or the pair) and returns True when it
shows the two sides equal. It never returns True on a guess: every
transformation is an identity under the declared assumptions.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import sympy as sp

from symproof.check.budget import Deadline, time_limit
from symproof.check.normalise import (
    has_sums,
    normalise_inner,
    normalise_derivatives,
    normalise_matrix,
    normalise_powers,
    normalise_sums,
    resolve_deltas,
)
from symproof.errors import CheckTimeout
from symproof.model.context import Context
from symproof.model.linalg import Inner, Norm

__all__ = ["Strategy", "EQUALITY_STRATEGIES", "prove_equal", "prove_sign", "is_zero"]

_SYMPY_ERRORS = (TypeError, ValueError, NotImplementedError, AttributeError, sp.PolynomialError,
                 RecursionError, ZeroDivisionError, IndexError, KeyError, OverflowError)


def is_zero(e: sp.Basic) -> bool:
    if isinstance(e, sp.MatrixBase):
        return all(is_zero(x) for x in e)
    if isinstance(e, sp.MatrixExpr):
        return bool(e.is_ZeroMatrix) or e == sp.ZeroMatrix(*e.shape)
    return e == 0


@dataclass(frozen=True)
class Strategy:
    name: str
    applies: Callable[[sp.Basic, sp.Basic], bool]
    run: Callable[[sp.Basic, sp.Basic, Context], bool]
    cap: float  # seconds


def _scalar(a, b) -> bool:
    return not isinstance(a, sp.MatrixExpr) and not isinstance(b, sp.MatrixExpr) and not isinstance(
        a, sp.MatrixBase
    )


def _diff(a, b):
    return a - b


def _identical(a, b, ctx) -> bool:
    return a == b


def _expand(a, b, ctx) -> bool:
    return is_zero(sp.expand(_diff(a, b)))


def _matrix(a, b, ctx) -> bool:
    return is_zero(normalise_matrix(a - b))


def _cancel(a, b, ctx) -> bool:
    d = _diff(a, b)
    if is_zero(sp.cancel(d)):
        return True
    return is_zero(sp.cancel(sp.together(d, deep=True)))


def _sums(a, b, ctx) -> bool:
    d = normalise_sums(_diff(a, b), ctx)
    d = sp.expand(d)
    if is_zero(d):
        return True
    if d.has(sp.KroneckerDelta):
        d = sp.expand(resolve_deltas(d, ctx))
        if is_zero(d):
            return True
    return is_zero(sp.cancel(sp.together(d)))


def _inner(a, b, ctx) -> bool:
    d = normalise_inner(_diff(a, b), ctx)
    return is_zero(sp.expand(d))


def _exp_rewrite(a, b, ctx) -> bool:
    d = _diff(a, b).rewrite(sp.exp)
    d = sp.expand(d)
    return is_zero(d) or is_zero(sp.cancel(sp.together(d)))


def _powers(a, b, ctx) -> bool:
    d = normalise_powers(_diff(a, b))
    return is_zero(sp.expand(d)) or is_zero(sp.cancel(d))


def _logs(a, b, ctx) -> bool:
    d = sp.expand_log(_diff(a, b))  # no force: only splits where assumptions allow
    return is_zero(sp.expand(d))


def _combined(a, b, ctx) -> bool:
    d = _diff(a, b)
    d = normalise_inner(d, ctx)
    if has_sums(d):
        d = normalise_sums(d, ctx)
    d = normalise_powers(d)
    if d.has(sp.exp, sp.tanh, sp.sinh, sp.cosh):
        d = d.rewrite(sp.exp)
    d = sp.expand_log(sp.expand(d))
    return is_zero(sp.expand(d)) or is_zero(sp.cancel(sp.together(d, deep=True)))


def _derivatives(a, b, ctx) -> bool:
    d = normalise_derivatives(_diff(a, b))
    return is_zero(sp.expand(d))


def _simplify(a, b, ctx) -> bool:
    d = sp.simplify(_diff(a, b))
    return is_zero(d) or is_zero(sp.expand(d))  # simplify can leave an uncollected zero


def _has(*types):
    return lambda a, b: a.has(*types) or b.has(*types)


def _has_symbolic_power(a, b) -> bool:
    for e in (a, b):
        for p in e.atoms(sp.Pow):
            if p.exp.is_integer and not p.exp.is_Number:
                return True
    return False


EQUALITY_STRATEGIES: tuple[Strategy, ...] = (
    Strategy("identical", lambda a, b: True, _identical, 0.05),
    Strategy("matrix-expand", lambda a, b: isinstance(a, sp.MatrixExpr) or isinstance(b, sp.MatrixExpr), _matrix, 1.0),
    Strategy("expand", _scalar, _expand, 0.5),
    Strategy("inner-products", _has(Inner, Norm), _inner, 0.5),
    Strategy("sum-normalise", _has(sp.Sum, sp.Product, sp.KroneckerDelta), _sums, 1.0),
    Strategy("cancel", _scalar, _cancel, 0.5),
    Strategy("exp-rewrite", _has(sp.exp, sp.tanh, sp.sinh, sp.cosh, sp.sin, sp.cos), _exp_rewrite, 0.5),
    Strategy("integer-powers", _has_symbolic_power, _powers, 0.5),
    Strategy("expand-log", _has(sp.log), _logs, 0.5),
    Strategy("derivative-normalise", _has(sp.Derivative), _derivatives, 0.5),
    Strategy("combined-normalise", _scalar, _combined, 1.0),
    Strategy("simplify", _scalar, _simplify, 1.5),
)


def prove_equal(
    a: sp.Basic, b: sp.Basic, ctx: Context, deadline: Deadline, cheap: bool = False
) -> str | None:
    """The name of the first strategy that shows ``a = b``, else None.

    ``cheap`` skips ``simplify`` (for speculative comparisons)."""
    for s in EQUALITY_STRATEGIES:
        if cheap and s.name == "simplify":
            continue
        if deadline.expired():
            return None
        try:
            if not s.applies(a, b):
                continue
            with time_limit(deadline.slice(s.cap)):
                if s.run(a, b, ctx):
                    return s.name
        except CheckTimeout:
            if deadline.expired():
                return None
        except _SYMPY_ERRORS:
            continue
    return None


# -- signs ---------------------------------------------------------------------
def _sign_of(expr: sp.Basic, want: str) -> bool:
    attr = {"nonneg": "is_nonnegative", "pos": "is_positive", "nonpos": "is_nonpositive", "neg": "is_negative"}[want]
    return getattr(expr, attr) is True


def _bounded_substitutions(expr: sp.Basic, ctx: Context):
    """For each side (lower, upper): {s: lo + u} (resp. hi − u) with u > 0
    for every symbol bounded on that side, and the closed endpoints that
    substitution leaves out. This makes sympy's sign reasoning decidable
    (c = 1 − u, u > 0)."""
    for side in ("lower", "upper"):
        subs, closed = {}, []
        for s in sorted((x for x in expr.free_symbols if isinstance(x, sp.Symbol)), key=str):
            iv = ctx.interval(s)
            end = iv.start if side == "lower" else iv.end
            is_open = iv.left_open if side == "lower" else iv.right_open
            if not end.is_finite or (side == "lower" and end == 0 and s.is_positive):
                continue
            u = sp.Dummy(f"u_{s}", positive=True)
            subs[s] = end + u if side == "lower" else end - u
            if not is_open:
                closed.append((s, end))
        if subs:
            yield subs, closed


def _real_atoms(expr: sp.Basic, ctx: Context) -> sp.Basic:
    """What sympy's sign reasoning cannot see, made visible: values of
    undefined functions and their derivatives become real symbols (functions
    are real-valued by convention: DESIGN, symbols are real), and a symbol
    constrained ``≠ 0`` becomes a nonzero symbol."""
    from sympy.core.function import AppliedUndef

    repl: dict = {}
    stack = [expr]
    while stack:  # outermost function values only: ∂L/∂x holds L inside
        node = stack.pop()
        if isinstance(node, (sp.Derivative, sp.Subs, AppliedUndef)):
            repl.setdefault(node, sp.Dummy(f"v{len(repl)}", real=True))
        else:
            stack.extend(node.args)
    for c in ctx.flat_constraints():
        if isinstance(c, sp.Ne) and 0 in c.args:
            s = c.args[0] if c.args[1] == 0 else c.args[1]
            if isinstance(s, sp.Symbol) and s.is_nonzero is None:
                repl[s] = sp.Symbol(s.name, nonzero=True, **{k: v for k, v in s.assumptions0.items()
                                                             if k in ("real", "integer", "rational")})
    return expr.xreplace(repl) if repl else expr


def prove_sign(expr: sp.Basic, want: str, ctx: Context, deadline: Deadline, depth: int = 0) -> str | None:
    """Show ``expr`` is nonneg / pos / nonpos / neg under the assumptions."""
    expr = _real_atoms(expr, ctx)
    forms: list[tuple[str, Callable[[], sp.Basic]]] = [
        ("sign-assumptions", lambda: expr),
        ("sign-factor", lambda: sp.factor(sp.cancel(expr))),
        ("sign-expand", lambda: sp.expand(expr)),
    ]
    for name, make in forms:
        if deadline.expired():
            return None
        try:
            with time_limit(deadline.slice(0.5)):
                if _sign_of(make(), want):
                    return name
        except CheckTimeout:
            if deadline.expired():
                return None
        except _SYMPY_ERRORS:
            continue
    if depth < 3:
        for subs, closed in _bounded_substitutions(expr, ctx):
            try:
                with time_limit(deadline.slice(0.5)):
                    e = expr.xreplace(subs)
                    shown = _sign_of(e, want) or _sign_of(sp.factor(sp.cancel(e)), want)
            except CheckTimeout:
                if deadline.expired():
                    return None
                continue
            except _SYMPY_ERRORS:
                continue
            # the substitution covers the open interval; closed ends separately
            if shown and all(
                prove_sign(expr.xreplace({s: end}), want, ctx, deadline, depth + 1) for s, end in closed
            ):
                return "sign-interval-substitution"
    try:
        with time_limit(deadline.slice(1.0)):
            e = sp.simplify(expr)
            if _sign_of(e, want) or _sign_of(sp.factor(e), want):
                return "sign-simplify"
    except CheckTimeout:
        pass
    except _SYMPY_ERRORS:
        pass
    return None
