"""P5: backpropagation through a two-input product neuron o = x₁x₂."""
from __future__ import annotations

import sympy as sp

from symproof.model import Context, Derivation, Start, Step
from symproof.rules import Substitute

x1, x2 = sp.symbols("x_1 x_2", real=True)
delta = sp.Symbol("delta", real=True)  # the upstream gradient ∂L/∂o

CONTEXT = Context(symbols=(x1, x2, delta))
GIVEN = {delta: 5, x1: 2, x2: 3}


def _product(*factors) -> sp.Basic:
    return sp.Mul(*factors, evaluate=False)


def build() -> Derivation:
    o = x1 * x2
    return Derivation(
        name="product_neuron",
        title="Backpropagation through a product neuron",
        problem="P5",
        statement=(
            r"A neuron computes $o = x_1 x_2$. Given $\partial L/\partial o = 5$ at $x_1 = 2$, $x_2 = 3$, "
            r"find $\partial L/\partial x_1$ and $\partial L/\partial x_2$. "
            r"Write $\delta = \partial L/\partial o$ for the gradient arriving from above."
        ),
        context=CONTEXT,
        lines=(
            Start(delta * sp.Derivative(o, x1), r"chain rule: $L$ depends on $x_1$ only through $o$",
                  lhs=r"\frac{\partial L}{\partial x_1}", heading=r"$\partial L / \partial x_1$"),
            Step("=", delta * x2, r"$\partial (x_1 x_2) / \partial x_1 = x_2$"),
            Step("=", _product(5, 3), r"$\delta = 5$, $x_2 = 3$", rule=Substitute(GIVEN)),
            Step("=", sp.Integer(15), "multiply"),
            Start(delta * sp.Derivative(o, x2), r"chain rule: $L$ depends on $x_2$ only through $o$",
                  lhs=r"\frac{\partial L}{\partial x_2}", heading=r"$\partial L / \partial x_2$"),
            Step("=", delta * x1, r"$\partial (x_1 x_2) / \partial x_2 = x_1$"),
            Step("=", _product(5, 2), r"$\delta = 5$, $x_1 = 2$", rule=Substitute(GIVEN)),
            Step("=", sp.Integer(10), "multiply"),
        ),
        notes=(
            r"Each input's gradient is the upstream gradient times the \emph{other} input: "
            r"a product neuron swaps the inputs on the way back.",
        ),
    )
