"""Scalar-valued vector operations that mix with ordinary sympy scalars.

sympy refuses ``2 - 2*r1.T*r2`` ("Mix of Matrix and Scalar symbols"), so
inner products and norms of vector symbols are scalar functions here.

>>> import sympy as sp
>>> d = sp.Symbol("d", integer=True, positive=True)
>>> r = sp.MatrixSymbol("r", d, 1); s = sp.MatrixSymbol("s", d, 1)
>>> 2 - 2*inner(r, s)
2 - 2*Inner(r, s)
"""
from __future__ import annotations

import sympy as sp

__all__ = ["Inner", "Norm", "inner", "norm", "sqnorm"]


class Inner(sp.Function):
    """``uᵀv`` of two column vectors, as a real scalar."""

    nargs = 2
    is_real = True

    def doit(self, **hints):
        u, v = (a.doit(**hints) if hints.get("deep", True) else a for a in self.args)
        if isinstance(u, sp.MatrixBase) and isinstance(v, sp.MatrixBase):
            return (u.T * v)[0, 0]
        return Inner(u, v)

    def _eval_is_real(self):
        return True

    def _latex(self, printer):
        return f"{printer.parenthesize(self.args[0], 1000)}^\\top {printer.parenthesize(self.args[1], 1000)}"


class Norm(sp.Function):
    """Euclidean norm ``‖v‖`` of a column vector."""

    nargs = 1
    is_real = True
    is_nonnegative = True

    def doit(self, **hints):
        v = self.args[0].doit(**hints) if hints.get("deep", True) else self.args[0]
        if isinstance(v, sp.MatrixBase):
            return sp.sqrt((v.T * v)[0, 0])
        return Norm(v)

    def _latex(self, printer):
        return r"\left\|" + printer._print(self.args[0]) + r"\right\|"


def inner(u: sp.MatrixExpr, v: sp.MatrixExpr) -> Inner:
    return Inner(u, v)


def norm(v: sp.MatrixExpr) -> Norm:
    return Norm(v)


def sqnorm(v: sp.MatrixExpr) -> sp.Expr:
    return Norm(v) ** 2
