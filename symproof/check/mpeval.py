"""Evaluate sympy expressions with mpmath, without generating code.

``lambdify`` pastes symbol names into generated Python source; this walks the
tree instead, so no input text is ever executed, and it is cheaper to build
than ``lambdify`` for the one-shot expressions of a step.

>>> import sympy as sp, mpmath
>>> x = sp.Symbol("x")
>>> f = compile_expr(sp.log(x) + x**2)
>>> with mpmath.workdps(30): print(mpmath.nstr(f(Env({x: sp.Integer(2)})), 10))
4.693147181

Sums and products with bounds known at evaluation time are looped over
(``Sum.doit`` would first try symbolic summation), and ``x[i]`` reads the
entry of the current value of ``i``; entries not yet valued are drawn by the
environment's sampler.
"""
from __future__ import annotations

from typing import Callable, Mapping

import mpmath
import sympy as sp

__all__ = ["compile_expr", "Unsupported", "Env", "MAX_TERMS"]

MAX_TERMS = 400  # terms of one written-out sum at the sampled sizes


class Unsupported(ValueError):
    """The expression holds a node this evaluator does not know."""


class Env:
    """Exact values of atoms, converted to mpmath at the working precision.

    Keys are Symbols, or ``(IndexedBase, (i, ...))`` for entries; ``sample``
    (optional) draws an exact value for an entry met for the first time.
    """

    def __init__(self, exact: dict, sample: Callable[[object], sp.Rational] | None = None) -> None:
        self.exact = exact
        self.sample = sample
        self._mp: dict = {}

    def value(self, key):
        v = self._mp.get(key)
        if v is None:
            r = self.exact.get(key)
            if r is None:
                if self.sample is None:
                    raise Unsupported(f"no value for {key}")
                r = self.exact[key] = self.sample(key)
            v = self._mp[key] = _to_mp(r)
        return v

    def bind(self, key, value):
        """Give a bound variable a value; returns what to pass to :meth:`unbind`
        (nested sums may reuse the same index name)."""
        previous = self._mp.get(key)
        self._mp[key] = value
        return previous

    def unbind(self, key, previous) -> None:
        if previous is None:
            self._mp.pop(key, None)
        else:
            self._mp[key] = previous


Fn = Callable[[Env], object]


def _to_mp(r):
    if isinstance(r, sp.MatrixBase):
        return mpmath.matrix([[_to_mp(x) for x in row] for row in r.tolist()])
    if r.is_Rational:
        return mpmath.mpf(r.p) / r.q
    return mpmath.mpf(str(sp.N(r, mpmath.mp.dps)))


def _as_int(v) -> int:
    if isinstance(v, mpmath.mpc) or not mpmath.isint(v):
        raise Unsupported(f"index or bound {v} is not an integer")
    return int(v)


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


_COMPARE = {
    sp.StrictLessThan: lambda a, b: a < b,
    sp.LessThan: lambda a, b: a <= b,
    sp.StrictGreaterThan: lambda a, b: a > b,
    sp.GreaterThan: lambda a, b: a >= b,
    sp.Equality: lambda a, b: a == b,
    sp.Unequality: lambda a, b: a != b,
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
    if expr.is_Symbol:
        return lambda env, key=expr: env.value(key)
    if isinstance(expr, sp.Indexed):
        base = expr.base
        idx = [compile_expr(i) for i in expr.indices]
        return lambda env: env.value((base, tuple(_as_int(i(env)) for i in idx)))
    if isinstance(expr, (sp.Sum, sp.Product)):
        return _compile_loop(expr)
    if isinstance(expr, (sp.MatrixExpr, sp.MatrixBase, sp.Determinant, sp.Trace)) or type(expr).__name__ in (
            "Inner", "Norm"):
        return _compile_matrix(expr)
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
    if isinstance(expr, sp.Piecewise):
        pieces = [(compile_expr(e), compile_expr(c) if c is not sp.true else None) for e, c in expr.args]

        def piecewise(env):
            for value, cond in pieces:
                if cond is None or cond(env):
                    return value(env)
            raise ValueError("no piece applies")

        return piecewise
    if isinstance(expr, sp.Rel) and type(expr) in _COMPARE:
        lhs, rhs, op = compile_expr(expr.lhs), compile_expr(expr.rhs), _COMPARE[type(expr)]

        def compare(env):
            a, b = lhs(env), rhs(env)
            if isinstance(a, mpmath.mpc) or isinstance(b, mpmath.mpc):
                raise ValueError("a comparison of non-real numbers")
            return op(a, b)

        return compare
    if isinstance(expr, (sp.And, sp.Or, sp.Not)):
        parts = [compile_expr(a) for a in expr.args]
        kind = type(expr)
        if kind is sp.Not:
            return lambda env: not parts[0](env)
        if kind is sp.And:
            return lambda env: all(p(env) for p in parts)
        return lambda env: any(p(env) for p in parts)
    if isinstance(expr, (sp.Max, sp.Min)):
        parts = [compile_expr(a) for a in expr.args]
        pick = max if isinstance(expr, sp.Max) else min
        return lambda env: pick(p(env) for p in parts)
    raise Unsupported(f"cannot evaluate {func.__name__}")


def _compile_loop(expr: sp.Sum | sp.Product) -> Fn:
    body = compile_expr(expr.function)
    # sympy lists the innermost limit first; loop from the outermost
    limits = [(k, compile_expr(sp.sympify(lo)), compile_expr(sp.sympify(hi))) for k, lo, hi in reversed(expr.limits)]
    is_sum = isinstance(expr, sp.Sum)

    def loop(env, depth=0):
        if depth == len(limits):
            return body(env)
        k, lo, hi = limits[depth]
        a, b = _as_int(lo(env)), _as_int(hi(env))
        if b - a + 1 > MAX_TERMS:
            raise Unsupported(f"a sum or product of {b - a + 1} terms")
        total = mpmath.mpf(0) if is_sum else mpmath.mpf(1)
        previous = env._mp.get(k)
        try:
            for v in range(a, b + 1):
                env.bind(k, mpmath.mpf(v))
                term = loop(env, depth + 1)
                total = total + term if is_sum else total * term
        finally:
            env.unbind(k, previous)
        return total

    return loop


def _dims(expr) -> tuple[int, int]:
    try:
        return int(expr.shape[0]), int(expr.shape[1])
    except TypeError:
        raise Unsupported(f"{expr} has a symbolic shape") from None


def _compile_matrix(expr) -> Fn:
    """Matrix expressions at concrete shapes, evaluated as mpmath matrices."""
    name = type(expr).__name__
    if name == "Inner":
        u, v = (compile_expr(a) for a in expr.args)
        return lambda env: (u(env).T * v(env))[0, 0]
    if name == "Norm":
        v = compile_expr(expr.args[0])
        return lambda env: mpmath.sqrt((v(env).T * v(env))[0, 0])
    if isinstance(expr, sp.MatrixSymbol):
        _dims(expr)
        return lambda env, key=expr: env.value(key)
    if isinstance(expr, sp.Identity):
        n = _dims(expr)[0]
        return lambda env: mpmath.eye(n)
    if isinstance(expr, sp.ZeroMatrix):
        r, c = _dims(expr)
        return lambda env: mpmath.zeros(r, c)
    if isinstance(expr, sp.MatrixBase):
        r, c = expr.shape
        cells = [[compile_expr(x) for x in row] for row in expr.tolist()]
        return lambda env: mpmath.matrix([[f(env) for f in row] for row in cells])
    if isinstance(expr, sp.Transpose):
        a = compile_expr(expr.arg)
        return lambda env: a(env).T
    if isinstance(expr, sp.Determinant):
        a = compile_expr(expr.arg)
        return lambda env: mpmath.det(a(env))
    if isinstance(expr, sp.Trace):
        a = compile_expr(expr.arg)

        def trace(env):
            m = a(env)
            return sum((m[k, k] for k in range(min(m.rows, m.cols))), mpmath.mpf(0))

        return trace
    if isinstance(expr, sp.Inverse):
        a = compile_expr(expr.arg)
        return lambda env: a(env) ** -1
    if isinstance(expr, sp.MatPow) and expr.exp.is_Integer:
        a, n = compile_expr(expr.base), int(expr.exp)
        return lambda env: a(env) ** n
    if isinstance(expr, (sp.MatAdd, sp.MatMul)):
        parts = [compile_expr(a) for a in expr.args]
        add = isinstance(expr, sp.MatAdd)

        def combine(env):
            total = parts[0](env)
            for p in parts[1:]:
                total = total + p(env) if add else total * p(env)
            return total

        return combine
    raise Unsupported(f"cannot evaluate {name}")
