"""P4 (template): the gradient of f(x, y) at a point, and one gradient-descent step from it.

The source lost the function, so this derivation takes it as a parameter
and derives everything from it; the sheet's instance is
f(x, y) = x² + 3y² + 2xy from (1, 1) with ε = 0.0001.
"""
from __future__ import annotations

from typing import Any

import sympy as sp

from symproof.errors import DerivationError
from symproof.model import Context, Derivation, Start, Step
from symproof.render.printer import SheetPrinter
from symproof.rules import Differentiate, Substitute

x, y = sp.symbols("x y", real=True)
eps = sp.Symbol("epsilon", positive=True)
F = sp.Function("f")  # the declared function, so that lines can say ∂f/∂x
_X, _Y = sp.Dummy("X", real=True), sp.Dummy("Y", real=True)

PARAMETERS = {
    "f": "the function f(x, y), an expression in x and y",
    "start": "the starting point (x_0, y_0)",
    "step": "the step size epsilon",
}

DEFAULT_F = x**2 + 3 * y**2 + 2 * x * y
DEFAULT_START = (sp.Integer(1), sp.Integer(1))
DEFAULT_STEP = sp.Rational(1, 10000)


def _scalar(value: Any, what: str) -> sp.Expr:
    if isinstance(value, str):
        raise DerivationError(f"gd_step: {what} must be a sympy expression, not the string {value!r}")
    if isinstance(value, (tuple, list, sp.Tuple)):
        raise DerivationError(f"gd_step: {what} must be one expression, not a tuple of {len(value)}")
    try:
        e = sp.sympify(value, strict=True)
    except (sp.SympifyError, TypeError) as exc:
        raise DerivationError(f"gd_step: {what} must be a sympy expression, got {value!r}") from exc
    if isinstance(e, sp.Float):
        e = sp.nsimplify(e, rational=True)
    if not isinstance(e, sp.Expr) or isinstance(e, sp.MatrixExpr) or e.is_Relational:
        raise DerivationError(f"gd_step: {what} must be a scalar expression, got {e}")
    if e.has(sp.zoo, sp.nan, sp.oo, -sp.oo):
        raise DerivationError(f"gd_step: {what} is not a finite expression: {e}")
    return e


def _point(value: Any) -> tuple[sp.Expr, sp.Expr]:
    if not isinstance(value, (tuple, list, sp.Tuple)):
        raise DerivationError(f"gd_step: start must be a point (x_0, y_0), got {value}")
    if len(value) != 2:
        raise DerivationError(f"gd_step: start must have 2 coordinates (x_0, y_0), got {len(value)}")
    return _scalar(value[0], "x_0"), _scalar(value[1], "y_0")


def _decimal(value: sp.Expr) -> str | None:
    """``value`` as an exact decimal (0.9996), if it is a rational with a finite one."""
    if not value.is_Rational:
        return None
    q = int(value.q)
    twos = fives = 0
    while q % 2 == 0:
        q, twos = q // 2, twos + 1
    while q % 5 == 0:
        q, fives = q // 5, fives + 1
    if q != 1:
        return None
    places = max(twos, fives)
    if places == 0:
        return str(value)
    scaled = abs(int(value * 10**places))
    digits = str(scaled).rjust(places + 1, "0")
    sign = "-" if value < 0 else ""
    return f"{sign}{digits[:-places]}.{digits[-places:]}"


def _as_decimal(value: sp.Expr) -> str:
    """``"; that is $0.9996$"`` for a fraction with a finite decimal, else ``""``."""
    text = _decimal(value)
    return rf"; that is ${text}$" if text is not None and not value.is_Integer else ""


def _tex(value: sp.Expr, printer: SheetPrinter) -> str:
    return _decimal(value) or printer.doprint(value)


def build(f: Any = DEFAULT_F, start: Any = DEFAULT_START, step: Any = DEFAULT_STEP) -> Derivation:
    fe = _scalar(f, "f")
    x0, y0 = _point(start)
    eps0 = _scalar(step, "step")
    if eps0.is_positive is False:
        raise DerivationError(f"gd_step: the step size must be positive, got {eps0}")
    context = Context(symbols=(x, y, eps), definitions={F: sp.Lambda((_X, _Y), fe.xreplace({x: _X, y: _Y}))})
    at = {x: x0, y: y0}
    fx, fy = sp.diff(fe, x), sp.diff(fe, y)
    gx, gy = fx.xreplace(at), fy.xreplace(at)
    x1, y1 = sp.simplify(x0 - eps0 * gx), sp.simplify(y0 - eps0 * gy)
    p = SheetPrinter()
    point = rf"({_tex(x0, p)}, {_tex(y0, p)})"
    step_tex = _tex(eps0, p)
    where = rf"$(x, y) = {point}$"
    return Derivation(
        name="gd_step",
        title="Gradient and one gradient-descent step",
        problem="P4",
        statement=(
            rf"What is the gradient of $f$ at ${point}$? Starting gradient descent at ${point}$ with "
            rf"$\epsilon = {step_tex}$, what is $(x, y)$ after the first iteration? "
            rf"The source's function was illegible; this sheet uses $f(x, y) = {p.doprint(fe)}$."
        ),
        context=context,
        lines=(
            Start(fe, "the function", lhs=r"f(x, y)", heading=r"The gradient"),
            Step("=", fx, r"differentiate with respect to $x$", rule=Differentiate(x),
                 lhs=r"\frac{\partial f}{\partial x}"),
            Step("=", gx, where, rule=Substitute(at), lhs=rf"\frac{{\partial f}}{{\partial x}}{point}"),
            Start(fe, "the function, again", lhs=r"f(x, y)"),
            Step("=", fy, r"differentiate with respect to $y$", rule=Differentiate(y),
                 lhs=r"\frac{\partial f}{\partial y}"),
            Step("=", gy, where, rule=Substitute(at), lhs=rf"\frac{{\partial f}}{{\partial y}}{point}"),
            Start(x - eps * sp.Derivative(F(x, y), x), r"the update of $x$", heading="One step"),
            Step("=", x - eps * fx, r"the partial derivative above"),
            Step("=", x1, rf"{where}, $\epsilon = {step_tex}${_as_decimal(x1)}", rule=Substitute({**at, eps: eps0}),
                 lhs="x_1"),
            Start(y - eps * sp.Derivative(F(x, y), y), r"the update of $y$"),
            Step("=", y - eps * fy, r"the partial derivative above"),
            Step("=", y1, rf"{where}, $\epsilon = {step_tex}${_as_decimal(y1)}", rule=Substitute({**at, eps: eps0}),
                 lhs="y_1"),
        ),
        notes=(
            rf"The gradient at ${point}$ is $\nabla f = ({_tex(gx, p)}, {_tex(gy, p)})$; after one step "
            rf"$(x_1, y_1) = ({_tex(x1, p)}, {_tex(y1, p)})$.",
        ),
    )
