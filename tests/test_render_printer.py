"""The notation profile (symproof.render.printer): one rule per test, then the
whole library printed with no artefact of sympy's default printer."""
from __future__ import annotations

import re

import pytest
import sympy as sp

from symproof import registry
from symproof.model import inner, norm, sqnorm
from symproof.render.printer import add_pieces, latex

i, j, k = sp.symbols("i j k", integer=True)
N, K = sp.symbols("N K", integer=True, positive=True)
d = sp.Symbol("d", integer=True, positive=True)
x = sp.IndexedBase("x", real=True)
o = sp.IndexedBase("o", real=True)
mu = sp.Symbol("mu", real=True)
sigma = sp.Symbol("sigma", positive=True)
lam = sp.Symbol("lambda", positive=True)
a, b, c = sp.symbols("a b c", real=True)
theta = sp.MatrixSymbol("theta", d, 1)
theta_star = sp.MatrixSymbol("theta^*", d, 1)
X = sp.MatrixSymbol("X", N, d)
y = sp.MatrixSymbol("y", N, 1)
r1, r2 = sp.MatrixSymbol("r_1", d, 1), sp.MatrixSymbol("r_2", d, 1)


@pytest.mark.parametrize("expr, expected", [
    (sp.log(lam), r"\log \lambda"),
    (sp.log(x[i]), r"\log x_{i}"),
    (sp.log(2 * sp.pi * sigma**2), r"\log\left(2 \pi \sigma^{2}\right)"),
    (sp.log(lam) ** 2, r"\left(\log \lambda\right)^{2}"),
])
def test_natural_log_is_log(expr, expected):
    assert latex(expr) == expected
    assert r"\ln" not in latex(expr) and r"\log{" not in latex(expr)


@pytest.mark.parametrize("expr, expected", [
    (X.T, r"X^\top"),
    (theta_star.T, r"\theta^{*\top}"),
    ((X * theta - y).T, r"\left(X \theta - y\right)^\top"),
    (X.T * X, r"X^\top X"),
    (sp.Identity(d), "I"),
])
def test_transpose_is_top(expr, expected):
    assert latex(expr) == expected


def test_difference_of_transposes_is_the_transpose_of_the_difference():
    half = sp.Rational(1, 2)
    g = half * (X * theta - y).T * (X * theta - y)  # sympy distributes the transpose
    assert latex(g) == r"\frac{1}{2} \left(X \theta - y\right)^\top \left(X \theta - y\right)"


def test_matrix_sum_pulls_out_a_common_factor_and_keeps_degree_order():
    half = sp.Rational(1, 2)
    e = half * (theta.T * theta - theta.T * theta_star - theta_star.T * theta + theta_star.T * theta_star)
    assert latex(e) == (r"\frac{1}{2} \left(\theta^\top \theta - \theta^\top \theta^{*} - \theta^{*\top} \theta"
                        r" + \theta^{*\top} \theta^{*}\right)")


def test_derivatives_use_mathrm_d_and_partial():
    f = sp.Function("f")
    assert latex(sp.Derivative(f(a), a)) == r"\frac{\mathrm{d}}{\mathrm{d} a} f\left(a\right)"
    assert latex(sp.Derivative(f(a, b), a)).startswith(r"\frac{\partial}{\partial a}")
    assert latex(sp.Derivative(f(a), (a, 2))).startswith(r"\frac{\mathrm{d}^{2}}{\mathrm{d} a^{2}}")


def test_hatted_estimators():
    assert latex(sp.Symbol("muhat")) == r"\hat{\mu}"
    assert latex(sp.Symbol("lambdahat")) == r"\hat{\lambda}"
    assert latex(N * sp.Symbol("muhat")) == r"N \hat{\mu}"


@pytest.mark.parametrize("expr, expected", [
    (x[i], "x_{i}"),
    (sp.IndexedBase("x_1")[i], "x_{1,i}"),
    (sp.IndexedBase("A")[i, j], "A_{ij}"),
    (x[i + 1], "x_{i + 1}"),
    (sp.IndexedBase("w^*")[i], "w^{*}_{i}"),
])
def test_indexed_entries(expr, expected):
    out = latex(expr)
    assert out == expected
    assert not re.search(r"_\{[^{}]*\}_\{", out), "double subscript"


def test_kronecker_delta_in_stored_order():
    assert latex(sp.KroneckerDelta(i, j)) == r"\delta_{ij}"
    assert latex(sp.KroneckerDelta(i, j + 1)) == r"\delta_{i,j + 1}"
    assert latex(o[i] * (sp.KroneckerDelta(i, j) - o[j])) == r"o_{i} \left(\delta_{ij} - o_{j}\right)"


def test_sums_with_bounds_and_coefficient_in_front():
    s = sp.Sum(x[i], (i, 1, N))
    assert latex(s) == r"\sum_{i=1}^{N} x_{i}"
    assert latex(s / N) == r"\frac{1}{N} \sum_{i=1}^{N} x_{i}"
    assert latex(N / s) == r"\frac{N}{\sum_{i=1}^{N} x_{i}}"
    assert latex(sp.Sum(x[i] - mu, (i, 1, N))) == r"\sum_{i=1}^{N} \left(x_{i} - \mu\right)"
    assert latex(lam * s) == r"\lambda \sum_{i=1}^{N} x_{i}"  # the sum last: no parentheses


def test_unevaluated_add_keeps_the_authors_order():
    assert latex(sp.Add(c, b, a, evaluate=False)) == "c + b + a"
    assert [s for s, _ in add_pieces(sp.Add(c, -b, a, evaluate=False))] == ["", "-", "+"]


def test_evaluated_add_puts_a_positive_term_first():
    assert latex(x[i] - mu) == r"x_{i} - \mu"
    assert latex(sp.Sum(x[i], (i, 1, N)) - N * mu) == r"\sum_{i=1}^{N} x_{i} - N \mu"
    assert latex(2 - 2 * c) == "2 - 2 c"
    assert latex(-a - b) == "- a - b"


def test_unevaluated_mul_keeps_the_authors_order():
    assert latex(sp.Mul(b, a, evaluate=False)) == "b a"


def test_gaussian_constant_is_gathered_under_one_root():
    density = sp.exp(-((x[i] - mu) ** 2) / (2 * sigma**2)) / sp.sqrt(2 * sp.pi * sigma**2)
    assert latex(density) == (r"\frac{1}{\sqrt{2 \pi} \sigma} "
                              r"\exp\left(- \frac{\left(x_{i} - \mu\right)^{2}}{2 \sigma^{2}}\right)")
    assert latex(sp.exp(-lam * x[i])) == r"e^{- \lambda x_{i}}"


def test_inner_products_and_norms():
    assert latex(inner(r1, r2)) == r"r_{1}^\top r_{2}"
    assert latex(inner(r1 - r2, r1 - r2)) == r"\left(r_{1} - r_{2}\right)^\top \left(r_{1} - r_{2}\right)"
    assert latex(2 - 2 * inner(r1, r2)) == r"2 - 2 r_{1}^\top r_{2}"
    assert latex(norm(r1 - r2)) == r"\left\|r_{1} - r_{2}\right\|"
    # sympy's own printer cannot print the power of a norm at all
    with pytest.raises(TypeError):
        sp.latex(sqnorm(r1))
    assert latex(sqnorm(r1)) == r"\left\|r_{1}\right\|^{2}"
    assert latex(inner(r1, r2) ** 2) == r"\left(r_{1}^\top r_{2}\right)^{2}"


def test_a_product_with_a_number_after_a_number_is_dotted():
    assert latex(sp.Mul(2, 3, evaluate=False)) == r"2 \cdot 3"


ARTEFACTS = {
    r"\operatorname{Sum}": "Sum printed as a function",
    r"\operatorname{Norm}": "Norm printed as a function",
    "Inner(": "Inner printed as a call",
    r"\operatorname{Inner}": "Inner printed as a function",
    r"\mathbb{I}": "identity as blackboard I",
    "^{T}": "transpose as a power of T",
    r"\ln": "natural log as ln",
    r"\log{": "sympy's braced log",
    "theta^*": "a raw sympy name",
    "{x}_": "braced indexed base",
    "{o}_": "braced indexed base",
}


def _library_lines():
    for d_ in registry.all_derivations():
        for pos, line in enumerate(d_.lines, 1):
            yield f"{d_.name}:{pos}", line.expr


@pytest.mark.parametrize("where, expr", list(_library_lines()), ids=lambda v: v if isinstance(v, str) else "")
def test_library_lines_have_no_artefacts(where, expr):
    out = latex(expr)
    for bad, why in ARTEFACTS.items():
        assert bad not in out, f"{where}: {why}: {out}"
    assert not re.search(r"_\{[^{}]*\}_\{", out), f"{where}: double subscript: {out}"
    assert out.count("{") == out.count("}")
    assert out.count(r"\left") == out.count(r"\right")
