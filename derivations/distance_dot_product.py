"""P6: distance between unit word vectors and their dot product."""
from __future__ import annotations

import sympy as sp

from symproof.claims import Monotone
from symproof.model import Context, Derivation, Start, Step, inner, norm, sqnorm
from symproof.rules import Differentiate

d = sp.Symbol("d", integer=True, positive=True)
r1 = sp.MatrixSymbol("r_1", d, 1)
r2 = sp.MatrixSymbol("r_2", d, 1)
c = sp.Symbol("c", real=True)

CONTEXT = Context(unit_vectors=(r1, r2), constraints=(c >= -1, c <= 1), sizes={d: 3})


def build() -> Derivation:
    distance = sp.sqrt(2 - 2 * c)
    return Derivation(
        name="distance_dot_product",
        title="Distance and dot product of unit vectors",
        problem="P6",
        statement=(
            r"For unit vectors $r_1, r_2 \in \mathbb{R}^d$ show $\|r_1 - r_2\|^2 = 2 - 2 r_1^\top r_2$, "
            r"so the distance $\sqrt{2 - 2c}$ decreases monotonically in $c = r_1^\top r_2 \in [-1, 1]$."
        ),
        context=CONTEXT,
        lines=(
            Start(sqnorm(r1 - r2), "squared distance", lhs=r"\|r_1 - r_2\|^2"),
            Step("=", inner(r1 - r2, r1 - r2), r"$\|v\|^2 = v^\top v$"),
            Step("=", inner(r1, r1) - inner(r1, r2) - inner(r2, r1) + inner(r2, r2), "expand the product"),
            Step("=", sqnorm(r1) - 2 * inner(r1, r2) + sqnorm(r2), r"$r_2^\top r_1 = r_1^\top r_2$"),
            Step("=", 2 - 2 * inner(r1, r2), r"$\|r_1\| = \|r_2\| = 1$"),
            Start(inner(r1, r2), "the dot product lies in $[-1, 1]$", lhs=r"r_1^\top r_2"),
            Step("=", 1 - sqnorm(r1 - r2) / 2, "rearrange the identity above"),
            Step("<=", sp.S.One, "a squared norm is nonnegative"),
            Start(norm(r1 - r2), "the distance", lhs=r"\|r_1 - r_2\|"),
            Step("=", sp.sqrt(2 - 2 * inner(r1, r2)), "square root of the identity above; both sides are $\\ge 0$"),
            Start(distance, r"the distance as a function of $c = r_1^\top r_2$", lhs=r"D(c)",
                  assume=(c < 1,), heading=r"Monotone in $c$"),
            Step("=", -1 / sp.sqrt(2 - 2 * c), r"differentiate with respect to $c$", rule=Differentiate(c),
                 lhs=r"D'(c)"),
            Step("<", sp.S.Zero, r"negative for $-1 \le c < 1$; at $c = 1$, $D$ is continuous"),
        ),
        claims=(Monotone(distance, c, sp.Interval(-1, 1), "decreasing"),),
    )
