"""The derivation library: one module per problem, each with ``build()``.

``ORDER`` only sorts the listing (the tutorial's order); a module missing
from it is still registered.
"""

ORDER = (
    "gaussian_mean_mle",
    "softmax_jacobian",
    "distance_dot_product",
    "hessian_quadratic_forms",
    "exponential_rate_mle",
)
