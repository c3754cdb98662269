"""Evaluate sympy expressions with mpmath, without generating code.

``lambdify`` pastes symbol names into generated Python source; this walks the
tree instead, so no input text is ever executed, and it is cheaper to build
than ``lambdify`` for the one-shot expressions of a step.

>>> import sympy as sp, mpmath
>>> x = sp.Symbol("x")
>>> f = compile_expr(sp.log(x) + x**2)
>>> with mpmath.workdps(30): print(mpmath.nstr(f({x: mpmath.mpf(2)}), 10))
4.693147181
"""
from __future__ import annotations

from typing import Callable, Mapping

import mpmath
import sympy as sp

__all__ = ["compile_expr", "Unsupported"]

Env = Mapping[sp.Basic, object]
Fn = Callable[[Env], object]


class Unsupported(ValueError):
    """The expression holds a node this evaluator does not know."""


_UNARY: dict[type, Callable] = {
    sp.exp: mpmath.exp,
    sp.log: mpmath.log,
    sp.sin: mpmath.sin,
    sp.cos: mpmath.cos,
    sp.tan: mpmath.tan,
    sp.sinh: mpmath.sinh,
    sp.cosh: mpmath.cosh,
    sp.tanh: mpmath.tanh,
    sp.asin: mpmath.asin,
    sp.acos: mpmath.acos,
    sp.atan: mpmath.atan,
    sp.Abs: abs,
    sp.sign: mpmath.sign,
}


def _power(b, e):
    if b == 0 and mpmath.re(e) < 0:
        raise ZeroDivisionError("0 to a negative power")
    return mpmath.power(b, e)


def compile_expr(expr: sp.Basic) -> Fn:
    """Turn ``expr`` into a function of an environment {atom: mpmath value}."""
    if expr.is_Integer or expr.is_Rational:
        value = expr  # converted at call time, at the working precision

        def const(env, value=value):
            return mpmath.mpf(value.p) / value.q

        return const
    if expr.is_Float:
        return lambda env, v=expr: mpmath.mpf(v._mpf_)
    if expr is sp.pi:
        return lambda env: +mpmath.pi
    if expr is sp.E:
        return lambda env: mpmath.e()
    if expr is sp.I:
        return lambda env: mpmath.mpc(0, 1)
    if expr in (sp.zoo, sp.oo, -sp.oo, sp.nan):
        def bad(env):
            raise ZeroDivisionError("infinite or undefined")

        return bad
    if expr.is_Symbol or isinstance(expr, sp.Indexed):
        def atom(env, key=expr):
            try:
                return env[key]
            except KeyError:
                raise Unsupported(f"no value for {key}") from None

        return atom
    if isinstance(expr, sp.Add):
        parts = [compile_expr(a) for a in expr.args]

        def add(env):
            total = parts[0](env)
            for p in parts[1:]:
                total = total + p(env)
            return total

        return add
    if isinstance(expr, sp.Mul):
        parts = [compile_expr(a) for a in expr.args]

        def mul(env):
            total = parts[0](env)
            for p in parts[1:]:
                total = total * p(env)
            return total

        return mul
    if isinstance(expr, sp.Pow):
        base, exp = compile_expr(expr.base), compile_expr(expr.exp)
        if expr.exp == sp.S.Half:
            return lambda env: mpmath.sqrt(base(env))
        if expr.exp.is_Integer:
            n = int(expr.exp)

            def ipow(env):
                b = base(env)
                if n < 0 and b == 0:
                    raise ZeroDivisionError("division by zero")
                return b**n

            return ipow
        return lambda env: _power(base(env), exp(env))
    func = type(expr)
    if func in _UNARY and len(expr.args) == 1:
        f, arg = _UNARY[func], compile_expr(expr.args[0])

        def unary(env):
            a = arg(env)
            if f is mpmath.log and a == 0:
                raise ZeroDivisionError("log(0)")
            return f(a)

        return unary
    if isinstance(expr, sp.KroneckerDelta):
        i, j = (compile_expr(a) for a in expr.args)
        return lambda env: mpmath.mpf(1) if i(env) == j(env) else mpmath.mpf(0)
    if isinstance(expr, (sp.Max, sp.Min)):
        parts = [compile_expr(a) for a in expr.args]
        pick = max if isinstance(expr, sp.Max) else min
        return lambda env: pick(p(env) for p in parts)
    raise Unsupported(f"cannot evaluate {func.__name__}")
