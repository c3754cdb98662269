"""P3: output activations chosen for a loss or a target, with the identities behind the choices."""
from __future__ import annotations

import sympy as sp

from symproof.model import Context, Derivation, IndexRange, Start, Step
from symproof.rules import Substitute

K = sp.Symbol("K", integer=True, positive=True)
j, k, c = sp.symbols("j k c", integer=True)
s = sp.IndexedBase("s", real=True)  # the K output scores (logits)
z, y, yhat = sp.symbols("z y yhat", real=True)
z1, z2 = sp.symbols("z_1 z_2", real=True)
sigma = sp.Function("sigma")
_t = sp.Dummy("t", real=True)

CONTEXT = Context(
    symbols=(z, y, yhat, z1, z2),
    indices=(IndexRange(j, 1, K, (s,)), IndexRange(k, 1, K, (s,)), IndexRange(c, 1, K, (s,))),
    definitions={sigma: sp.Lambda(_t, 1 / (1 + sp.exp(-_t)))},
)


def build() -> Derivation:
    total = sp.Sum(sp.exp(s[k]), (k, 1, K))
    gauss = sp.exp(-((y - yhat) ** 2) / 2) / sp.sqrt(2 * sp.pi)
    return Derivation(
        name="output_activations",
        title="Choosing the output activation",
        problem="P3",
        statement=(
            r"Which output activation fits each case? (1) The loss is the multiclass negative log-likelihood; "
            r"the loss is the squared error. (2) From the words of a news page, predict the numerical change of "
            r"a stock index. (3) From a satellite image, predict the probability of rain tomorrow. (4) From the "
            r"words of an email, predict which of a fixed set of folders it belongs in. "
            r"Below, the identities behind the choices are checked; the choices themselves, with their reasons, "
            r"follow them."
        ),
        context=CONTEXT,
        lines=(
            Start(sp.Sum(sp.exp(s[j]) / total, (j, 1, K)), r"the $K$ softmax outputs $e^{s_j} / \sum_k e^{s_k}$",
                  lhs=r"\sum_{j=1}^{K} \operatorname{softmax}(s)_j",
                  heading=r"Softmax: a distribution over $K$ classes, for (1) and (4)"),
            Step("=", sp.S.One, r"the denominator does not depend on $j$; each output is positive, "
                 r"so they form a distribution over the classes (folders)"),
            Start(-sp.log(sp.exp(s[c]) / total), r"negative log-likelihood of the true class $c$",
                  lhs=r"-\log \operatorname{softmax}(s)_c"),
            Step("=", sp.log(total) - s[c], r"$\log \frac{e^{u}}{v} = u - \log v$: the multiclass NLL "
                 r"is the natural loss of a softmax output"),
            Start(-sp.log(gauss), r"negative log-likelihood of $y \sim \mathcal{N}(\hat{y}, 1)$",
                  lhs=r"-\log p(y \mid \hat{y})", heading=r"Squared error: a linear output, for (1) and (2)"),
            Step("=", (y - yhat) ** 2 / 2 + sp.log(2 * sp.pi) / 2, r"the squared error up to a constant: "
                 r"$\hat{y}$ is a mean anywhere in $\mathbb{R}$, so the output is linear (a change of a stock "
                 r"index can be any real number)"),
            Start(sp.exp(z1) / (sp.exp(z1) + sp.exp(z2)), "softmax of two scores, first output",
                  lhs=r"\operatorname{softmax}(z_1, z_2)_1",
                  heading=r"Two classes: softmax is the sigmoid, for (3)"),
            Step("=", 1 / (1 + sp.exp(z2 - z1)), r"divide above and below by $e^{z_1}$"),
            Step("=", sigma(z1 - z2), r"definition of $\sigma$: only the difference of the scores matters"),
            Step("=", sigma(z), r"fix the second score at $0$ and call the first $z$",
                 rule=Substitute({z1: z, z2: 0}), lhs=r"\operatorname{softmax}(z, 0)_1"),
            Start(1 / (1 + sp.exp(z)), r"the second output, $e^{0} / (e^{z} + e^{0})$",
                  lhs=r"\operatorname{softmax}(z, 0)_2"),
            Step("=", 1 - sigma(z), r"the two outputs sum to 1: a one-output sigmoid carries the same information"),
        ),
        notes=(
            r"(1) The multiclass negative log-likelihood needs a distribution over the classes: softmax. "
            r"The squared error is the negative log-likelihood of a Gaussian with the output as its mean, and "
            r"the mean can be any real number: a linear (identity) output.",
            r"(2) The change of a stock index is an unbounded real number, positive or negative: linear output, "
            r"trained with the squared error.",
            r"(3) The probability of rain is one number in $(0, 1)$: a sigmoid, $\sigma(z) = "
            r"\operatorname{softmax}(z, 0)_1$, so it is the same model as a two-class softmax.",
            r"(4) One folder out of a fixed set: a distribution over the folders, softmax, trained with the "
            r"multiclass negative log-likelihood.",
        ),
    )
