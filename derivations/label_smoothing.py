"""P7: cross-entropy of a label-smoothed logistic output, and its sketch."""
from __future__ import annotations

import sympy as sp

from symproof.claims import Limit, Monotone
from symproof.model import Context, Derivation, Figure, Start, Step
from symproof.rules import Differentiate

z = sp.Symbol("z", real=True)
sigma = sp.Function("sigma")
E = sp.exp(-z)

CONTEXT = Context(symbols=(z,), definitions={sigma: sp.Lambda(z, 1 / (1 + sp.exp(-z)))})


def build() -> Derivation:
    loss = -sp.log(sp.Rational(4, 5) * sigma(z) + sp.Rational(1, 10))
    ten_one = sp.Mul(10, 1 + E, evaluate=False)  # 10(1 + e^{-z}), not 10 + 10e^{-z}
    ratio = sp.log(ten_one / (9 + E))
    split = sp.Add(sp.log(10), sp.log(1 + E), -sp.log(9 + E), evaluate=False)
    return Derivation(
        name="label_smoothing",
        title="Label-smoothed cross-entropy",
        problem="P7",
        statement=(
            r"A prediction squashed to $[0.1, 0.9]$ is $y = 0.8\,\sigma(z) + 0.1$, with "
            r"$\sigma(z) = 1/(1 + e^{-z})$. For a positive example the cross-entropy is "
            r"$L(z) = -\log(0.8\,\sigma(z) + 0.1)$. Sketch $L$: show that it decreases, and find its limits "
            r"as $z \to \pm\infty$."
        ),
        context=CONTEXT,
        lines=(
            Start(loss, r"$0.8 = \frac{4}{5}$ and $0.1 = \frac{1}{10}$ exactly",
                  lhs=r"L(z)"),
            Step("=", -sp.log(sp.Rational(4, 5) / (1 + E) + sp.Rational(1, 10)), r"definition of $\sigma$"),
            Step("=", -sp.log((9 + E) / ten_one), "common denominator"),
            Step("=", ratio, r"$-\log u = \log \frac{1}{u}$"),
            Step("=", split, r"the log of a product (and quotient) of positive numbers"),
            Start(split, "the loss, from above", lhs=r"L(z)", heading="Decreasing"),
            Step("=", -E / (1 + E) + E / (9 + E), r"differentiate with respect to $z$", rule=Differentiate(z),
                 lhs=r"L'(z)"),
            Step("=", -8 * E / ((1 + E) * (9 + E)), "common denominator"),
            Step("<", sp.S.Zero, r"$e^{-z} > 0$: numerator negative, denominator positive"),
            Start(ratio, "the loss, from above", lhs=r"L(z)", heading="Bounded above and below"),
            Step("=", sp.log(10) - sp.log(1 + 8 / (1 + E)), r"$\frac{9 + u}{1 + u} = 1 + \frac{8}{1 + u}$"),
            Step("<", sp.log(10), r"$\frac{8}{1 + e^{-z}} > 0$, so the subtracted log is positive"),
            Start(ratio, "the loss, from above", lhs=r"L(z)"),
            Step("=", sp.log(sp.Rational(10, 9)) + sp.log(1 + 8 * E / (9 + E)),
                 r"$\frac{9(1 + u)}{9 + u} = 1 + \frac{8u}{9 + u}$"),
            Step(">", sp.log(sp.Rational(10, 9)), r"$\frac{8e^{-z}}{9 + e^{-z}} > 0$, so the added log is positive"),
        ),
        claims=(
            Monotone(loss, z, sp.Interval(-sp.oo, sp.oo), "decreasing"),
            Limit(loss, z, -sp.oo, sp.log(10)),
            Limit(loss, z, sp.oo, sp.log(sp.Rational(10, 9))),
        ),
        figures=(
            Figure(
                "label_smoothing_loss", loss, z, -8, 8,
                caption=(r"$L(z) = -\log(0.8\,\sigma(z) + 0.1)$ decreases from $\log 10 \approx 2.30$ to "
                         r"$\log(10/9) \approx 0.105$: bounded, unlike the plain logistic loss $-\log\sigma(z)$, "
                         r"which grows without bound as $z \to -\infty$."),
                xlabel=r"$z$", ylabel=r"$L(z)$",
                marks=((sp.log(10), r"$\log 10$"), (sp.log(sp.Rational(10, 9)), r"$\log(10/9)$")),
            ),
        ),
        notes=(
            r"$L$ decreases on the whole real line, from $\log 10$ (as $z \to -\infty$) to $\log(10/9)$ "
            r"(as $z \to +\infty$). A confidently wrong prediction costs at most $\log 10$, and a confidently "
            r"right one never costs less than $\log(10/9)$: label smoothing caps the loss in both directions.",
        ),
    )
