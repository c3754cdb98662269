"""P8: maximum-likelihood estimate of the rate of an exponential distribution."""
from __future__ import annotations

import sympy as sp

from symproof.claims import ArgMax
from symproof.model import Context, Derivation, IndexRange, Start, Step
from symproof.rules import Differentiate, SetToZero, Solve, TakeLog

lam = sp.Symbol("lambda", positive=True)
lam_hat = sp.Symbol("lambdahat", positive=True)
n = sp.Symbol("n", integer=True, positive=True)
i = sp.Symbol("i", integer=True)
t = sp.IndexedBase("t", positive=True)

CONTEXT = Context(indices=(IndexRange(i, 1, n, (t,)),), sizes={n: 4})


def build() -> Derivation:
    total = sp.Sum(t[i], (i, 1, n))
    log_lik = n * sp.log(lam) - lam * total
    score = n / lam - total
    return Derivation(
        name="exponential_rate_mle",
        title="MLE of the rate of an exponential distribution",
        problem="P8",
        statement=(
            r"Let $t_1, \dots, t_n > 0$ be iid samples of the density $p(t) = \lambda e^{-\lambda t}$. "
            r"Write the log-likelihood and find $\hat{\lambda}_{\mathrm{MLE}}$, with the second-order check."
        ),
        context=CONTEXT,
        lines=(
            Start(sp.Product(lam * sp.exp(-lam * t[i]), (i, 1, n)), "likelihood of n iid samples",
                  lhs=r"p(T \mid \lambda)"),
            Step("=", sp.Sum(sp.log(lam * sp.exp(-lam * t[i])), (i, 1, n)),
                 "take the log; the log of a product is the sum of the logs", rule=TakeLog(),
                 lhs=r"\log p(T \mid \lambda)"),
            Step("=", sp.Sum(sp.log(lam) - lam * t[i], (i, 1, n)), r"$\log(\lambda e^{u}) = \log\lambda + u$"),
            Step("=", log_lik, r"split the sum; $\log\lambda$ does not depend on $i$"),
            Step("=", score, r"differentiate with respect to $\lambda$", rule=Differentiate(lam),
                 lhs=r"\frac{\partial}{\partial \lambda} \log p"),
            Step("=>", sp.Eq(0, n / lam_hat - total), r"first-order condition at $\lambda = \hat{\lambda}$",
                 rule=SetToZero({lam: lam_hat})),
            Step("<=>", sp.Eq(lam_hat, n / total), r"solve for $\hat{\lambda}$", rule=Solve(lam_hat)),
            Start(score, "the first derivative, from above", lhs=r"\frac{\partial}{\partial \lambda} \log p"),
            Step("=", -n / lam**2, r"differentiate again with respect to $\lambda$", rule=Differentiate(lam),
                 lhs=r"\frac{\partial^2}{\partial \lambda^2} \log p"),
            Step("<", sp.S.Zero, r"$n > 0$: the log-likelihood is concave, the root is the maximum"),
        ),
        claims=(ArgMax(log_lik, lam, n / total, name=lam_hat),),
    )
