"""P5: the Jacobian of the softmax, for a symbolic number of classes K."""
from __future__ import annotations

import sympy as sp

from symproof.model import Context, Derivation, IndexRange, Start, Step
from symproof.rules import Differentiate, Substitute

K = sp.Symbol("K", integer=True, positive=True)
i, j, k = sp.symbols("i j k", integer=True)
v = sp.IndexedBase("v", real=True)
o = sp.IndexedBase("o", real=True)
S = sp.Sum(sp.exp(v[k]), (k, 1, K))

CONTEXT = Context(
    indices=(IndexRange(i, 1, K, (v, o)), IndexRange(j, 1, K, (v, o)), IndexRange(k, 1, K, (v,))),
    definitions={o: sp.Lambda(i, sp.exp(v[i]) / S)},
)


def build() -> Derivation:
    delta = sp.KroneckerDelta(i, j)
    result = o[i] * (delta - o[j])
    return Derivation(
        name="softmax_jacobian",
        title="Jacobian of the softmax",
        problem="P5",
        statement=(
            r"For $o_i = e^{v_i} / \sum_{k=1}^{K} e^{v_k}$, show $\partial o_i / \partial v_j = o_i(1 - o_i)$ "
            r"when $i = j$ and $-o_i o_j$ when $i \ne j$, i.e. $o_i(\delta_{ij} - o_j)$."
        ),
        context=CONTEXT,
        lines=(
            Start(sp.exp(v[i]) / S, "definition of the softmax", lhs="o_i"),
            Step("=", (delta * sp.exp(v[i]) * S - sp.exp(v[i]) * sp.exp(v[j])) / S**2,
                 r"quotient rule; $\partial e^{v_i}/\partial v_j = \delta_{ij} e^{v_i}$, "
                 r"$\partial \sum_k e^{v_k}/\partial v_j = e^{v_j}$",
                 rule=Differentiate(v[j]), lhs=r"\frac{\partial o_i}{\partial v_j}"),
            Step("=", delta * sp.exp(v[i]) / S - (sp.exp(v[i]) / S) * (sp.exp(v[j]) / S), "split the fraction"),
            Step("=", delta * o[i] - o[i] * o[j], r"definition of $o_i$ and $o_j$"),
            Step("=", result, r"factor out $o_i$"),
            Start(result, r"case $i = j$", lhs=r"\frac{\partial o_i}{\partial v_i}", heading=r"Case $i = j$"),
            Step("=", o[i] * (1 - o[i]), r"$\delta_{ii} = 1$", rule=Substitute({j: i})),
            Start(result, r"case $i \ne j$", lhs=r"\frac{\partial o_i}{\partial v_j}", assume=(sp.Ne(i, j),),
                  heading=r"Case $i \ne j$"),
            Step("=", -o[i] * o[j], r"$\delta_{ij} = 0$ for $i \ne j$"),
        ),
    )
