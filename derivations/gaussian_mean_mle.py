"""P5: maximum-likelihood estimate of the mean of a normal distribution."""
from __future__ import annotations

import sympy as sp

from symproof.claims import ArgMax
from symproof.model import Context, Derivation, IndexRange, Start, Step
from symproof.rules import Differentiate, SetToZero, Solve

mu = sp.Symbol("mu", real=True)
mu_hat = sp.Symbol("muhat", real=True)
sigma = sp.Symbol("sigma", positive=True)
N = sp.Symbol("N", integer=True, positive=True)
i = sp.Symbol("i", integer=True)
x = sp.IndexedBase("x", real=True)

CONTEXT = Context(indices=(IndexRange(i, 1, N, (x,)),), sizes={N: 4})


def build() -> Derivation:
    density = sp.exp(-((x[i] - mu) ** 2) / (2 * sigma**2)) / sp.sqrt(2 * sp.pi * sigma**2)
    log_lik = -N / 2 * sp.log(2 * sp.pi * sigma**2) - sp.Sum((x[i] - mu) ** 2, (i, 1, N)) / (2 * sigma**2)
    score = (sp.Sum(x[i], (i, 1, N)) - N * mu) / sigma**2
    mle = sp.Sum(x[i], (i, 1, N)) / N
    return Derivation(
        name="gaussian_mean_mle",
        title="MLE of the mean of a normal distribution",
        problem="P5",
        statement=(
            r"Let $x_1, \dots, x_N$ be iid samples of $\mathcal{N}(\mu, \sigma^2)$ with known $\sigma^2$. "
            r"Find the maximum-likelihood estimate $\hat{\mu}$ and check that it is a maximum."
        ),
        context=CONTEXT,
        lines=(
            Start(sp.log(sp.Product(density, (i, 1, N))), "log-likelihood of N iid samples", lhs=r"\ell(\mu)"),
            Step("=", sp.Sum(sp.log(density), (i, 1, N)), "the log of a product is the sum of the logs"),
            Step("=", sp.Sum(-sp.log(2 * sp.pi * sigma**2) / 2 - (x[i] - mu) ** 2 / (2 * sigma**2), (i, 1, N)),
                 r"$\log e^{u} = u$ and $\log \frac{1}{\sqrt{a}} = -\frac{1}{2}\log a$"),
            Step("=", log_lik, "split the sum; the first term does not depend on $i$"),
            Step("=", sp.Sum(x[i] - mu, (i, 1, N)) / sigma**2, r"differentiate with respect to $\mu$",
                 rule=Differentiate(mu), lhs=r"\frac{\partial \ell}{\partial \mu}"),
            Step("=", score, r"split the sum: $\sum_{i=1}^{N} \mu = N\mu$"),
            Step("=>", sp.Eq(0, (sp.Sum(x[i], (i, 1, N)) - N * mu_hat) / sigma**2),
                 r"first-order condition at $\mu = \hat{\mu}$", rule=SetToZero({mu: mu_hat})),
            Step("<=>", sp.Eq(N * mu_hat, sp.Sum(x[i], (i, 1, N))), r"multiply by $\sigma^2 > 0$ and rearrange"),
            Step("<=>", sp.Eq(mu_hat, mle), r"solve for $\hat{\mu}$ (divide by $N > 0$)", rule=Solve(mu_hat)),
            Start(score, "the first derivative, from above", lhs=r"\frac{\partial \ell}{\partial \mu}"),
            Step("=", -N / sigma**2, r"differentiate again with respect to $\mu$", rule=Differentiate(mu),
                 lhs=r"\frac{\partial^2 \ell}{\partial \mu^2}"),
            Step("<", sp.S.Zero, r"$N > 0$ and $\sigma^2 > 0$: $\ell$ is concave, the root is the maximum"),
        ),
        claims=(ArgMax(log_lik, mu, mle, name=mu_hat),),
    )
