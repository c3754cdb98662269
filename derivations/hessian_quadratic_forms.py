"""P8: Hessians of ½‖θ − θ*‖² and ½‖Xθ − y‖², with matrix symbols."""
from __future__ import annotations

import sympy as sp

from symproof.claims import HessianIs
from symproof.model import Context, Derivation, Start, Step
from symproof.rules import Differentiate

n = sp.Symbol("n", integer=True, positive=True)
d = sp.Symbol("d", integer=True, positive=True)
theta = sp.MatrixSymbol("theta", d, 1)
theta_star = sp.MatrixSymbol("theta^*", d, 1)
X = sp.MatrixSymbol("X", n, d)
y = sp.MatrixSymbol("y", n, 1)
half = sp.Rational(1, 2)

CONTEXT = Context(sizes={n: 3, d: 2})


def build() -> Derivation:
    f = half * (theta - theta_star).T * (theta - theta_star)
    g = half * (X * theta - y).T * (X * theta - y)
    return Derivation(
        name="hessian_quadratic_forms",
        title="Hessians of two quadratic forms",
        problem="P8",
        statement=(
            r"Show that $f(\theta) = \frac{1}{2}\|\theta - \theta^*\|^2$ has Hessian $I$ and that "
            r"$g(\theta) = \frac{1}{2}\|X\theta - y\|^2$, $X \in \mathbb{R}^{n \times d}$, has Hessian $X^\top X$."
        ),
        context=CONTEXT,
        lines=(
            Start(f, r"$\|v\|^2 = v^\top v$", lhs=r"f(\theta)"),
            Step("=", half * (theta.T * theta - theta.T * theta_star - theta_star.T * theta + theta_star.T * theta_star),
                 "expand the product"),
            Step("=", half * theta.T * theta - theta_star.T * theta + half * theta_star.T * theta_star,
                 r"$\theta^\top\theta^* = \theta^{*\top}\theta$ (a scalar is its own transpose)"),
            Step("=", theta - theta_star, r"gradient: $\nabla_\theta \theta^\top\theta = 2\theta$, "
                 r"$\nabla_\theta a^\top\theta = a$", rule=Differentiate(theta), lhs=r"\nabla f(\theta)"),
            Step("=", sp.Identity(d), "differentiate the gradient", rule=Differentiate(theta), lhs=r"\nabla^2 f(\theta)"),
            Start(g, r"$\|v\|^2 = v^\top v$", lhs=r"g(\theta)"),
            Step("=", half * (theta.T * X.T * X * theta - theta.T * X.T * y - y.T * X * theta + y.T * y),
                 r"expand the product, $(X\theta)^\top = \theta^\top X^\top$"),
            Step("=", half * theta.T * X.T * X * theta - y.T * X * theta + half * y.T * y,
                 r"$\theta^\top X^\top y = y^\top X\theta$ (a scalar is its own transpose)"),
            Step("=", X.T * X * theta - X.T * y, r"gradient: $\nabla_\theta \theta^\top A\theta = 2A\theta$ "
                 r"for symmetric $A$", rule=Differentiate(theta), lhs=r"\nabla g(\theta)"),
            Step("=", X.T * (X * theta - y), r"factor out $X^\top$"),
            Step("=", X.T * X, "differentiate the gradient", rule=Differentiate(theta), lhs=r"\nabla^2 g(\theta)"),
        ),
        claims=(
            HessianIs(f, theta, sp.Identity(d), r"the Hessian of $f$ is $I$"),
            HessianIs(g, theta, X.T * X, r"the Hessian of $g$ is $X^\top X$"),
        ),
    )
