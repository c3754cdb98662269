"""P1 (a), (b): a small gradient step decreases L; a large one can go either way."""
from __future__ import annotations

import sympy as sp

from symproof.claims import Limit
from symproof.model import Context, Derivation, Start, Step
from symproof.rules import Differentiate, Substitute

x, y, u, v = sp.symbols("x y u v", real=True)
a, b, c, r, s = sp.symbols("a b c r s", real=True)
eps = sp.Symbol("epsilon", positive=True)
g1, g2 = sp.symbols("g_1 g_2", real=True)  # ∇L(w_t), L any smooth function
q1, q2 = sp.symbols("q_1 q_2", real=True)  # ∇Q(w_t), Q a general quadratic
w = sp.Symbol("w", real=True, nonzero=True)  # the current point of part (b)
L, Q, L1, L2 = sp.Function("L"), sp.Function("Q"), sp.Function("L_1"), sp.Function("L_2")
_X, _Y = sp.Dummy("X", real=True), sp.Dummy("Y", real=True)

LARGE = sp.Integer(10)  # the large step of part (b)

CONTEXT = Context(
    symbols=(x, y, u, v, a, b, c, r, s, eps, g1, g2, q1, q2, w),
    definitions={
        g1: sp.Derivative(L(x, y), x),
        g2: sp.Derivative(L(x, y), y),
        Q: sp.Lambda((_X, _Y), (a * _X**2 + 2 * c * _X * _Y + b * _Y**2) / 2 + r * _X + s * _Y),
        q1: sp.Derivative(Q(x, y), x),
        q2: sp.Derivative(Q(x, y), y),
        L1: sp.Lambda(_X, _X**2),
        L2: sp.Lambda(_X, _X**2 / 40),
    },
)


def _at(expr: sp.Basic) -> sp.Subs:
    """``expr`` (in u, v) evaluated at the point w_t − ε∇L(w_t)."""
    return sp.Subs(expr, (u, v), (x - eps * g1, y - eps * g2))


def build() -> Derivation:
    dphi = -g1 * _at(sp.Derivative(L(u, v), u)) - g2 * _at(sp.Derivative(L(u, v), v))
    change = -eps * (q1**2 + q2**2) + eps**2 * (a * q1**2 + 2 * c * q1 * q2 + b * q2**2) / 2
    return Derivation(
        name="gd_step_size",
        title="Gradient descent: small and large steps",
        problem="P1",
        statement=(
            r"Gradient descent updates $w_{t+1} = w_t - \epsilon \nabla L(w_t)$ for a differentiable $L$. "
            r"(a) For a very small $\epsilon > 0$, is $L(w_{t+1}) \le L(w_t)$? (b) And for a very large "
            r"$\epsilon$? For (a), write $w_t = (x, y)$, $\nabla L(w_t) = (g_1, g_2)$ and "
            r"$\varphi(\epsilon) = L(w_t - \epsilon \nabla L(w_t))$, so that $\varphi(0) = L(w_t)$ and "
            r"$\varphi(\epsilon) = L(w_{t+1})$."
        ),
        context=CONTEXT,
        lines=(
            Start(L(x - eps * g1, y - eps * g2), r"one step from $w_t = (x, y)$, for any smooth $L$",
                  lhs=r"\varphi(\epsilon)", heading=r"(a) A small step: the first-order term"),
            Step("=", dphi, r"chain rule in $\epsilon$", rule=Differentiate(eps), lhs=r"\varphi'(\epsilon)"),
            Step("=", -(g1**2 + g2**2), r"at $\epsilon = 0$ the point is $w_t$ itself", rule=Substitute({eps: 0}),
                 lhs=r"\varphi'(0)"),
            Step("<=", sp.S.Zero, r"minus a squared norm, $-\|\nabla L(w_t)\|^2$"),
            Start(Q(x + u, y + v) - Q(x, y), r"for a general quadratic "
                  r"$Q(x, y) = \frac{1}{2}(ax^2 + 2cxy + by^2) + rx + sy$ the expansion is exact",
                  heading=r"(a) The whole expansion, for a quadratic"),
            Step("=", q1 * u + q2 * v + (a * u**2 + 2 * c * u * v + b * v**2) / 2,
                 r"expand; $(q_1, q_2) = \nabla Q(x, y)$ collects the linear terms"),
            Step("=", change, r"the gradient step $(u, v) = -\epsilon\, (q_1, q_2)$",
                 rule=Substitute({u: -eps * q1, v: -eps * q2}), lhs=r"Q(w_{t+1}) - Q(w_t)"),
            Start(L1(w - eps * sp.Derivative(L1(w), w)), r"one step from $w_t = w \ne 0$ on $L_1(w) = w^2$",
                  lhs=r"L_1(w_{t+1})", heading=r"(b) A large step, $\epsilon = 10$, on two quadratics"),
            Step("=", (1 - 2 * eps) ** 2 * w**2, r"$L_1'(w) = 2w$; factor out $w$"),
            Step("=", 361 * w**2, r"the large step $\epsilon = 10$", rule=Substitute({eps: LARGE})),
            Step(">", L1(w), r"$w \ne 0$: the step increased $L_1$ 361-fold"),
            Start(L2(w - eps * sp.Derivative(L2(w), w)), r"one step from the same $w_t = w$ on $L_2(w) = w^2/40$",
                  lhs=r"L_2(w_{t+1})"),
            Step("=", (1 - eps / 20) ** 2 * w**2 / 40, r"$L_2'(w) = w/20$; factor out $w$"),
            Step("=", w**2 / 160, r"the same step $\epsilon = 10$", rule=Substitute({eps: LARGE})),
            Step("<", L2(w), r"$w \ne 0$: the same step decreased $L_2$ to a quarter"),
        ),
        claims=(
            Limit((Q(x - eps * q1, y - eps * q2) - Q(x, y)) / eps, eps, 0, -(q1**2 + q2**2), "+"),
        ),
        notes=(
            r"(a) By the first-order Taylor expansion of $\varphi$ at $0$, "
            r"$L(w_{t+1}) = \varphi(\epsilon) = \varphi(0) + \epsilon\varphi'(0) + o(\epsilon) "
            r"= L(w_t) - \epsilon\|\nabla L(w_t)\|^2 + o(\epsilon)$: the change divided by $\epsilon$ tends to "
            r"$-\|\nabla L(w_t)\|^2 \le 0$ as $\epsilon \to 0^+$ (for the quadratic, the limit above, where the "
            r"rest is exactly $\frac{\epsilon^2}{2}\nabla Q^\top H \nabla Q$). So for every small enough "
            r"$\epsilon > 0$, $L(w_{t+1}) \le L(w_t)$, strictly unless $\nabla L(w_t) = 0$.",
            r"(b) Nothing can be said in general: with the same large step $\epsilon = 10$ from the same "
            r"$w_t \ne 0$, gradient descent increases $L_1(w) = w^2$ and decreases $L_2(w) = w^2/40$. "
            r"Whether a step is too large depends on the curvature of $L$ (here $L_1'' = 2$, $L_2'' = 1/20$), "
            r"not on $\epsilon$ alone.",
        ),
    )
