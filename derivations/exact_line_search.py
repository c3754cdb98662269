"""P8: gradient descent with exact line search on ½(x² + by²), in closed form."""
from __future__ import annotations

import sympy as sp

from symproof.claims import Induction, Orthogonal
from symproof.model import Context, Derivation, Start, Step
from symproof.rules import Differentiate, SetToZero, Solve, Substitute

b = sp.Symbol("b", positive=True)
x, y = sp.symbols("x_k y_k", real=True)  # the k-th iterate
alpha = sp.Symbol("alpha", real=True)
k = sp.Symbol("k", integer=True, nonnegative=True)

CONTEXT = Context(constraints=(b <= 1,), symbols=(x, y, alpha, k))

q = (b - 1) / (b + 1)
X_K = b * q**k
Y_K = (-q) ** k
X_NEXT = b * q ** (k + 1)
Y_NEXT = (-q) ** (k + 1)
# the exact line-search step at a point (x, y): α = gᵀg / gᵀAg with g = (x, by), A = diag(1, b)
STEP = (x**2 + b**2 * y**2) / (x**2 + b**3 * y**2)


def build() -> Derivation:
    phi = sp.Mul(sp.Rational(1, 2), sp.Add((x - alpha * x) ** 2, b * (y - alpha * b * y) ** 2, evaluate=False),
                 evaluate=False)
    dphi = -x**2 * (1 - alpha) - b**2 * y**2 * (1 - alpha * b)
    return Derivation(
        name="exact_line_search",
        title="Exact line search on an ill-conditioned quadratic",
        problem="P8",
        statement=(
            r"Minimise $f(x, y) = \frac{1}{2}(x^2 + b y^2)$, $0 < b \le 1$, by gradient descent with exact line "
            r"search from $(x_0, y_0) = (b, 1)$. Find the step, show by induction on $k$ that "
            r"$x_k = b\left(\frac{b - 1}{b + 1}\right)^k$, $y_k = \left(-\frac{b - 1}{b + 1}\right)^k$, "
            r"and that consecutive gradients are orthogonal."
        ),
        context=CONTEXT,
        lines=(
            Start(phi, r"$f$ along $-\nabla f(x_k, y_k) = -(x_k, b y_k)$, a nonzero gradient",
                  lhs=r"\varphi(\alpha)", assume=(x**2 + y**2 > 0,), heading="The exact line-search step"),
            Step("=", dphi, r"differentiate with respect to $\alpha$", rule=Differentiate(alpha),
                 lhs=r"\varphi'(\alpha)"),
            Step("=>", sp.Eq(dphi, 0), r"the minimising step makes $\varphi'(\alpha) = 0$", rule=SetToZero()),
            Step("<=>", sp.Eq(alpha, STEP), r"solve for $\alpha$: $\alpha = g^\top g / g^\top A g$",
                 rule=Solve(alpha)),
            Start(STEP, r"the step at the closed form; take $b < 1$ (for $b = 1$ the first step "
                  r"reaches the minimum)", lhs=r"\alpha_k",
                  assume=(b < 1,)),
            Step("=", (sp.Add(b**2 * q ** (2 * k), b**2 * q ** (2 * k), evaluate=False)
                       / sp.Add(b**2 * q ** (2 * k), b**3 * q ** (2 * k), evaluate=False)),
                 r"closed form, $q = \frac{b-1}{b+1}$: $x_k^2 = b^2 q^{2k}$, "
                 r"$y_k^2 = (-q)^{2k} = q^{2k}$", rule=Substitute({x: X_K, y: Y_K})),
            Step("=", 2 / (1 + b), r"$b^2 q^{2k} \ne 0$ cancels"),
            Start(x - 2 / (1 + b) * x, r"a step of length $\alpha_k = \frac{2}{1+b}$ in $x$", lhs=r"x_{k+1}",
                  heading="One step from the closed form"),
            Step("=", (b - 1) / (b + 1) * x, r"$1 - \frac{2}{1+b} = \frac{b-1}{b+1}$"),
            Start(y - 2 / (1 + b) * b * y, r"the same step in $y$, where the gradient is $b y_k$", lhs=r"y_{k+1}"),
            Step("=", -(b - 1) / (b + 1) * y, r"$1 - \frac{2b}{1+b} = -\frac{b-1}{b+1}$"),
            Start(X_K * X_NEXT, r"first component of $\nabla f(x_k, y_k)^\top \nabla f(x_{k+1}, y_{k+1})$, "
                  r"with $\nabla f = (x, by)$", lhs=r"x_k x_{k+1}", heading="Consecutive gradients"),
            Step("=", b**2 * q ** (2 * k + 1), r"$q^k q^{k+1} = q^{2k+1}$"),
            Start(b**2 * Y_K * Y_NEXT, "second component", lhs=r"b y_k \cdot b y_{k+1}"),
            Step("=", -(b**2) * q ** (2 * k + 1), r"$(-q)^k (-q)^{k+1} = (-q)^{2k+1} = -q^{2k+1}$: "
                 r"the two components cancel, $g_k^\top g_{k+1} = 0$"),
        ),
        claims=(
            Induction(
                state=(x, y), initial=(b, 1),
                step=(x - STEP * x, y - STEP * b * y),
                closed_form=(X_K, Y_K), k=k,
                what=r"from $(b, 1)$, exact line search gives $x_k = b q^k$, $y_k = (-q)^k$ for every $k \ge 0$",
            ),
            Orthogonal((X_K, b * Y_K), (X_NEXT, b * Y_NEXT),
                       r"$\nabla f(x_k, y_k) \perp \nabla f(x_{k+1}, y_{k+1})$"),
        ),
        notes=(
            r"With $q = \frac{b-1}{b+1}$ the error shrinks by $|q|$ per step: close to 1 when $b$ is small "
            r"(an ill-conditioned $f$), and the iterates zig-zag because consecutive gradients are orthogonal. "
            r"For $b = 1$ ($q = 0$) the first step lands on the minimum.",
        ),
    )
