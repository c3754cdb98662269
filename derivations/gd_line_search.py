"""P1 (c): exact line search never increases L, because ε = 0 is a candidate."""
from __future__ import annotations

import sympy as sp

from symproof.claims import ArgMin
from symproof.model import Context, Derivation, Start, Step
from symproof.rules import Differentiate, SetToZero, Solve, Substitute

x = sp.Symbol("x", real=True, nonzero=True)  # w_t is not the minimiser (0, 0)
y = sp.Symbol("y", real=True)
a, b = sp.symbols("a b", positive=True)
eps = sp.Symbol("epsilon", real=True)
eps_hat = sp.Symbol("epsilon^*", real=True)
g1, g2 = sp.symbols("g_1 g_2", real=True)
L = sp.Function("L")
phi_ = sp.Function("varphi")
_X, _Y, _E = sp.Dummy("X", real=True), sp.Dummy("Y", real=True), sp.Dummy("E", real=True)

CONTEXT = Context(
    symbols=(x, y, a, b, eps, eps_hat, g1, g2),
    definitions={
        L: sp.Lambda((_X, _Y), (a * _X**2 + b * _Y**2) / 2),
        g1: sp.Derivative(L(x, y), x),
        g2: sp.Derivative(L(x, y), y),
        phi_: sp.Lambda(_E, L(x - _E * g1, y - _E * g2)),
    },
)


def build() -> Derivation:
    phi = (a * (1 - a * eps) ** 2 * x**2 + b * (1 - b * eps) ** 2 * y**2) / 2
    dphi = -(a**2 * x**2 * (1 - a * eps) + b**2 * y**2 * (1 - b * eps))
    grad2 = a**2 * x**2 + b**2 * y**2  # ‖∇L(w_t)‖²
    curv = a**3 * x**2 + b**3 * y**2  # ∇Lᵀ H ∇L
    best = grad2 / curv
    return Derivation(
        name="gd_line_search",
        title="Gradient descent with exact line search",
        problem="P1",
        statement=(
            r"(c) With exact line search the step is $\epsilon^* = \operatorname{arg\,min}_\epsilon "
            r"\varphi(\epsilon)$, $\varphi(\epsilon) = L(w_t - \epsilon \nabla L(w_t))$. Is $L(w_{t+1}) \le L(w_t)$? "
            r"Yes, always: $L(w_{t+1}) = \varphi(\epsilon^*) = \min_\epsilon \varphi(\epsilon) \le \varphi(0) = L(w_t)$, "
            r"because $\epsilon = 0$ is one of the candidates. Below, the argument is carried out for a general "
            r"convex quadratic written in its eigenbasis (gradient descent does not depend on a rotation or "
            r"shift of coordinates), $L(x, y) = \frac{1}{2}(ax^2 + by^2)$ with $a, b > 0$, from any "
            r"$w_t = (x, y)$ with $x \ne 0$ (for $x = 0 \ne y$ swap the roles of $x$ and $y$; at the "
            r"minimiser $(0, 0)$ there is nothing to search)."
        ),
        context=CONTEXT,
        lines=(
            Start(phi_(eps), r"the loss along the negative gradient from $w_t = (x, y)$: "
                  r"$\varphi(\epsilon) = L(w_t - \epsilon \nabla L(w_t))$", heading=r"The best step"),
            Step("=", L(x - eps * a * x, y - eps * b * y), r"$\nabla L(x, y) = (ax, by)$"),
            Step("=", phi, r"definition of $L$; factor out $x$ and $y$"),
            Step("=", dphi, r"differentiate with respect to $\epsilon$", rule=Differentiate(eps),
                 lhs=r"\varphi'(\epsilon)"),
            Step("=>", sp.Eq(0, dphi.subs(eps, eps_hat)), r"first-order condition at $\epsilon = \epsilon^*$",
                 rule=SetToZero({eps: eps_hat})),
            Step("<=>", sp.Eq(eps_hat, best), r"solve for $\epsilon^*$ (the denominator is positive: $x \ne 0$)",
                 rule=Solve(eps_hat)),
            Start(phi, r"$\varphi$, from above", lhs=r"\varphi(\epsilon)", heading=r"$\epsilon = 0$ is a candidate"),
            Step("=", L(x, y) - grad2**2 / (2 * curv), r"the best step $\epsilon = \epsilon^*$",
                 rule=Substitute({eps: best}), lhs=r"L(w_{t+1}) = \varphi(\epsilon^*)"),
            Step("=", a * b * (a - b) ** 2 * x**2 * y**2 / (2 * curv), r"definition of $L$; common denominator"),
            Step("<=", phi_(sp.S.Zero), r"$\varphi(\epsilon^*) = \min_\epsilon \varphi(\epsilon) \le \varphi(0)$: "
                 r"$\epsilon = 0$ is a candidate"),
            Step("=", L(x, y), r"a step of length $0$ stays at $w_t$: $\varphi(0) = L(w_t)$"),
        ),
        claims=(ArgMin(phi, eps, best, name=eps_hat),),
        notes=(
            r"The decrease $L(w_t) - L(w_{t+1}) = \frac{\|\nabla L\|^4}{2\,\nabla L^\top H \nabla L}$ is never "
            r"negative, whatever the curvature: a search over $\epsilon$ that includes $\epsilon = 0$ cannot end "
            r"higher than it started. (One step reaches the minimum exactly when $a = b$ or $w_t$ lies on an axis.) "
            r"The same holds for any $L$, since $\varphi(\epsilon^*) \le \varphi(0)$ uses nothing but the "
            r"definition of the minimum.",
        ),
    )
