"""P2: the number of weights of a fully connected net, and tanh in terms of the logistic function."""
from __future__ import annotations

import sympy as sp

from symproof.model import Context, Derivation, IndexRange, Start, Step
from symproof.rules import Substitute

layers = sp.Symbol("L", integer=True, positive=True)
l = sp.Symbol("l", integer=True)
n = sp.IndexedBase("n", integer=True, positive=True)
x = sp.Symbol("x", real=True)
sigma = sp.Function("sigma")
_z = sp.Dummy("z", real=True)

WIDTHS = (5, 7, 7, 7, 1)  # input, three hidden layers, output

CONTEXT = Context(
    symbols=(x,),
    indices=(IndexRange(l, 1, layers, (n,)),),
    definitions={sigma: sp.Lambda(_z, 1 / (1 + sp.exp(-_z)))},
    sizes={layers: len(WIDTHS) - 1},
)


def build() -> Derivation:
    depth = len(WIDTHS) - 1
    count = sp.Sum(n[l - 1] * n[l], (l, 1, layers))
    terms = sp.Add(*(n[k - 1] * n[k] for k in range(1, depth + 1)))
    products = " + ".join(rf"{WIDTHS[k - 1]} \cdot {WIDTHS[k]}" for k in range(1, depth + 1))
    E = sp.exp(-2 * x)
    return Derivation(
        name="weights_and_tanh",
        title="Counting weights; tanh and the logistic function",
        problem="P2",
        statement=(
            r"How many weights does a fully connected network with 5 inputs, three hidden layers of 7 units "
            r"and 1 output have (no biases)? Derive the count for layer widths $n_0, \dots, n_L$ first. "
            r"Then relate $\tanh$ to the logistic function $\sigma(z) = 1/(1 + e^{-z})$."
        ),
        context=CONTEXT,
        lines=(
            Start(count, r"layer $l$ has an $n_l \times n_{l-1}$ weight matrix", lhs="W",
                  heading="Number of weights"),
            Step("=", sp.Sum(n[l - 1] * n[l], (l, 1, depth)), rf"input, three hidden layers, output: $L = {depth}$",
                 rule=Substitute({layers: depth})),
            Step("=", terms, "write out the sum"),
            Step("=", sp.Integer(sum(WIDTHS[k - 1] * WIDTHS[k] for k in range(1, depth + 1))),
                 rf"$({', '.join(f'n_{k}' for k in range(depth + 1))}) = {WIDTHS}$: ${products}$",
                 rule=Substitute({n[k]: w for k, w in enumerate(WIDTHS)})),
            Start(2 * sigma(2 * x) - 1, r"the logistic function at $2x$, stretched to $(-1, 1)$",
                  heading=r"$\tanh$ and $\sigma$"),
            Step("=", 2 / (1 + E) - 1, r"definition of $\sigma$"),
            Step("=", (1 - E) / (1 + E), "common denominator"),
            Step("=", (sp.exp(x) - sp.exp(-x)) / (sp.exp(x) + sp.exp(-x)), r"multiply above and below by $e^{x}$"),
            Step("=", sp.tanh(x), r"definition of $\tanh$"),
        ),
        notes=(
            r"Each layer $l = 1, \dots, L$ connects all $n_{l-1}$ units below to all $n_l$ units above, so "
            rf"$W = \sum_{{l=1}}^{{L}} n_{{l-1}} n_l$; here ${products} = 140$ weights.",
            r"$\tanh(x) = 2\sigma(2x) - 1$: a $\tanh$ unit is a logistic unit with its input scaled by 2 and "
            r"its output rescaled from $(0, 1)$ to $(-1, 1)$, so the two give networks of the same expressive power.",
        ),
    )
