"""The derivation library: one module per problem, each with ``build()``.

``ORDER`` only sorts listings (the tutorial's order, P1 … P8); a module
missing from it is still registered, after the listed ones.
"""

ORDER = (
    "gd_step_size",  # P1 (a), (b)
    "gd_line_search",  # P1 (c)
    "weights_and_tanh",  # P2
    "output_activations",  # P3
    "gd_step",  # P4
    "gaussian_mean_mle",  # P5
    "recurrence_chain_rule",
    "product_neuron",
    "softmax_jacobian",
    "sgd_step",  # P6
    "distance_dot_product",
    "label_smoothing",  # P7
    "exact_line_search",  # P8
    "hessian_quadratic_forms",
    "exponential_rate_mle",
)
