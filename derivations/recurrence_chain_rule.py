"""P5: the chain rule through two steps of a recurrence, with undefined f and g."""
from __future__ import annotations

import sympy as sp

from symproof.model import Context, Derivation, Start, Step
from symproof.rules import Differentiate, Substitute

x, y = sp.symbols("x_t y_t", real=True)
x1, y1 = sp.symbols("x_{t+1} y_{t+1}", real=True)
u, v = sp.symbols("u v", real=True)
f, g = sp.Function("f"), sp.Function("g")

CONTEXT = Context(symbols=(x, y, x1, y1, f, g))

# the concrete pair of the cross-check
F = sp.Lambda((u, v), u**2 * v + sp.sin(u))
G = sp.Lambda((u, v), u * v - v**3)


def _partial(fn, wrt, at):
    """``fn_u(a, b)`` (``wrt`` is u or v): the partial derivative evaluated at ``at``."""
    return sp.Subs(sp.Derivative(fn(u, v), wrt), (u, v), at)


def _chain(fn, gn, at) -> sp.Basic:
    """f_x(at) ∂f/∂x_t + f_y(at) ∂g/∂x_t, kept in this reading order."""
    return sp.Add(sp.Mul(_partial(fn, u, at), sp.Derivative(fn(x, y), x), evaluate=False),
                  sp.Mul(_partial(fn, v, at), sp.Derivative(gn(x, y), x), evaluate=False), evaluate=False)


def build() -> Derivation:
    inner = (f(x, y), g(x, y))
    general = _chain(f, g, inner)
    # the same formula for the concrete pair, partials worked out by hand
    X1, Y1 = F(x, y), G(x, y)
    with sp.evaluate(False):
        by_formula = (2 * X1 * Y1 + sp.cos(X1)) * (2 * x * y + sp.cos(x)) + X1**2 * y
    return Derivation(
        name="recurrence_chain_rule",
        title="Chain rule through a recurrence",
        problem="P5",
        statement=(
            r"Let $(x_{t+1}, y_{t+1}) = (f(x_t, y_t), g(x_t, y_t))$. Show that "
            r"$\partial x_{t+2}/\partial x_t = f_x(x_{t+1}, y_{t+1})\, f_x(x_t, y_t) + "
            r"f_y(x_{t+1}, y_{t+1})\, g_x(x_t, y_t)$, written in $x_t, y_t$ only, and check it on "
            r"$f(x, y) = x^2 y + \sin x$, $g(x, y) = xy - y^3$."
        ),
        context=CONTEXT,
        lines=(
            Start(f(x1, y1), "the recurrence one step on", lhs=r"x_{t+2}"),
            Step("=", f(*inner), r"substitute $x_{t+1} = f(x_t, y_t)$, $y_{t+1} = g(x_t, y_t)$",
                 rule=Substitute({x1: inner[0], y1: inner[1]})),
            Step("=", general, r"chain rule, $\partial / \partial x_t$", rule=Differentiate(x),
                 lhs=r"\frac{\partial x_{t+2}}{\partial x_t}"),
            Start(general, "the general formula, from above", lhs=r"\frac{\partial x_{t+2}}{\partial x_t}",
                  heading=r"Check: $f(x, y) = x^2 y + \sin x$, $g(x, y) = xy - y^3$"),
            Step("=", _chain(F, G, (X1, Y1)), r"put in the concrete $f$ and $g$", rule=Substitute({f: F, g: G})),
            Step("=", by_formula, r"$f_x = 2xy + \cos x$, $f_y = x^2$, $g_x = y$, evaluated at the two points"),
            Start(F(X1, Y1), r"the concrete recurrence composed directly", lhs=r"x_{t+2}"),
            Step("=", by_formula, r"differentiate with respect to $x_t$: the same as by the formula",
                 rule=Differentiate(x), lhs=r"\frac{\partial x_{t+2}}{\partial x_t}"),
        ),
        notes=(
            r"Here $f_x$ is $\partial f/\partial x$ evaluated at the point written after it. The first chain "
            r"holds for every differentiable $f$ and $g$; the second puts in the concrete pair, and the third "
            r"differentiates the concrete composition directly, reaching the same expression.",
        ),
    )
