"""symproof.check.normalise: content-aware normal forms (every one an identity)."""
from __future__ import annotations

import sympy as sp
from hypothesis import given

from strategies import FAST, small_rationals, sum_summands
from symproof.check.normalise import (
    has_sums,
    normalise_inner,
    normalise_matrix,
    normalise_powers,
    normalise_sums,
    prepare,
    resolve_deltas,
)
from symproof.model import Context, IndexRange, Inner, inner, norm, sqnorm

i, j, k = sp.symbols("i j k", integer=True)
N = sp.Symbol("N", integer=True, positive=True)
K = sp.Symbol("K", integer=True, positive=True)
xs = sp.IndexedBase("x", real=True)
v = sp.IndexedBase("v", real=True)
mu = sp.Symbol("mu", real=True)
a = sp.Symbol("a", real=True)
EMPTY = Context()


def _same(e1, e2) -> bool:
    return sp.expand(e1 - e2) == 0


# -- sums --------------------------------------------------------------------------
def test_has_sums():
    assert has_sums(sp.Sum(xs[i], (i, 1, N)) + 1)
    assert has_sums(sp.KroneckerDelta(i, j))
    assert has_sums(sp.Product(xs[i], (i, 1, N)))
    assert not has_sums(xs[i] + mu)


def test_bound_index_names_are_canonical():
    s_i = normalise_sums(sp.Sum(xs[i], (i, 1, N)), EMPTY)
    s_j = normalise_sums(sp.Sum(xs[j], (j, 1, N)), EMPTY)
    assert s_i == s_j
    assert _same(normalise_sums(sp.Sum(xs[i], (i, 1, N)) - sp.Sum(xs[j], (j, 1, N)), EMPTY), 0)


def test_sum_splits_over_plus_and_pulls_out_constants():
    left = normalise_sums(sp.Sum(3 * xs[i] - mu, (i, 1, N)), EMPTY)
    right = normalise_sums(3 * sp.Sum(xs[j], (j, 1, N)) - N * mu, EMPTY)
    assert _same(left, right)
    assert not any(t.has(mu) for t in left.atoms(sp.Sum))  # the constant is outside every sum


def test_index_free_summand_becomes_a_count():
    assert normalise_sums(sp.Sum(mu, (i, 1, N)), EMPTY) == N * mu
    assert normalise_sums(sp.Sum(mu, (i, 3, N)), EMPTY) == (N - 2) * mu


def test_canonical_index_does_not_capture_a_free_symbol():
    k0 = sp.Symbol("_k0", integer=True)
    out = normalise_sums(sp.Sum(xs[i] ** k0, (i, 1, N)), EMPTY)
    (s,) = out.atoms(sp.Sum)
    bound = s.limits[0][0]
    assert bound != k0
    assert k0 in s.function.free_symbols
    assert k0 in out.free_symbols


def test_log_of_a_sum_of_logs_is_split():
    xp = sp.IndexedBase("x", positive=True)
    sig = sp.Symbol("sigma", positive=True)
    out = normalise_sums(sp.Sum(sp.log(xp[i] / sig), (i, 1, N)), EMPTY)
    want = normalise_sums(sp.Sum(sp.log(xp[j]), (j, 1, N)), EMPTY) - N * sp.log(sig)
    assert _same(out, want)


def test_log_of_a_positive_product_becomes_a_sum():
    xp = sp.IndexedBase("x", positive=True)
    out = normalise_sums(sp.log(sp.Product(xp[i], (i, 1, N))), EMPTY)
    assert not out.has(sp.Product)
    assert _same(out, normalise_sums(sp.Sum(sp.log(xp[j]), (j, 1, N)), EMPTY))


def test_log_of_a_product_of_reals_is_left_alone():
    out = normalise_sums(sp.log(sp.Product(xs[i], (i, 1, N))), EMPTY)
    assert out.has(sp.Product)


def test_delta_in_a_sum_resolves_with_declared_ranges():
    ctx = Context(indices=(IndexRange(j, 1, K, (v,)), IndexRange(k, 1, K, (v,))))
    out = normalise_sums(sp.Sum(sp.KroneckerDelta(j, k) * sp.exp(v[k]), (k, 1, K)), ctx)
    assert out == sp.exp(v[j])


def test_delta_in_a_sum_stays_without_a_declared_range():
    out = normalise_sums(sp.Sum(sp.KroneckerDelta(j, k) * sp.exp(v[k]), (k, 1, K)), EMPTY)
    assert out.has(sp.KroneckerDelta) or out.has(sp.Sum)
    assert out != sp.exp(v[j])


def test_delta_with_a_range_that_differs_from_the_sum_stays():
    ctx = Context(indices=(IndexRange(j, 0, K, (v,)),))  # j may be 0, the sum starts at 1
    out = normalise_sums(sp.Sum(sp.KroneckerDelta(j, k) * sp.exp(v[k]), (k, 1, K)), ctx)
    assert out != sp.exp(v[j])


def test_delta_with_a_concrete_index_in_range():
    out = normalise_sums(sp.Sum(sp.KroneckerDelta(2, k) * v[k], (k, 1, 5)), EMPTY)
    assert out == v[2]


def test_resolve_deltas_uses_ne_constraints():
    ctx = Context(constraints=(sp.Ne(i, j),))
    assert resolve_deltas(sp.KroneckerDelta(i, j) * v[i] + 1, ctx) == 1
    assert resolve_deltas(sp.KroneckerDelta(i, j) * v[i], EMPTY) == sp.KroneckerDelta(i, j) * v[i]


def test_resolve_deltas_reads_j_as_i_in_a_product():
    assert resolve_deltas(sp.KroneckerDelta(i, j) * v[j] - sp.KroneckerDelta(i, j) * v[i], EMPTY) == 0


def test_resolve_deltas_does_not_capture_a_bound_index():
    """delta(i, j)·Σ_j x_j·y_i = delta(i, j)·y_i·Σ_j x_j: reading j as i must
    not rename the bound j of the sum (which would give Σ_i x_i·y_i)."""
    yb = sp.IndexedBase("y", real=True)
    e = sp.KroneckerDelta(i, j) * sp.Sum(xs[j] * yb[i], (j, 1, N))
    out = resolve_deltas(e, EMPTY)
    vals = {**{xs[n]: n for n in range(1, 4)}, **{yb[n]: 10 * n for n in range(1, 4)}}
    at = {i: 1, j: 1, N: 3}
    want = e.subs(at).doit().xreplace(vals)
    assert want == 60
    assert out.subs(at).doit().xreplace(vals) == want, out


@FAST
@given(sum_summands(i, xs, mu), sum_summands(i, xs, mu))
def test_normalised_sums_keep_their_value(f, g):
    expr = sp.Sum(f, (i, 1, N)) - 2 * sp.Sum(g, (i, 1, N))
    out = normalise_sums(expr, EMPTY)
    at = {N: 4}
    vals = {xs[n]: sp.Rational(n + 1, n + 2) for n in range(1, 5)}
    vals[mu] = sp.Rational(-3, 7)
    assert _same(out.xreplace(at).doit().xreplace(vals), expr.xreplace(at).doit().xreplace(vals))


# -- inner products ------------------------------------------------------------------
d = sp.Symbol("d", integer=True, positive=True)
r1, r2 = sp.MatrixSymbol("r_1", d, 1), sp.MatrixSymbol("r_2", d, 1)
UNIT = Context(unit_vectors=(r1, r2))


def test_inner_products_expand_bilinearly_and_symmetrically():
    out = normalise_inner(inner(r1 - r2, r1 - r2), EMPTY)
    want = Inner(r1, r1) - 2 * Inner(r1, r2) + Inner(r2, r2)
    assert _same(out, want)
    assert normalise_inner(inner(r2, r1), EMPTY) == normalise_inner(inner(r1, r2), EMPTY)


def test_unit_vectors_have_unit_norm():
    assert normalise_inner(sqnorm(r1), UNIT) == 1
    assert normalise_inner(norm(r1), UNIT) == 1
    assert _same(normalise_inner(sqnorm(r1 - r2), UNIT), 2 - 2 * Inner(r1, r2))


def test_non_unit_vectors_keep_their_norm():
    out = normalise_inner(sqnorm(r1), EMPTY)
    assert out == Inner(r1, r1)


def test_scalar_coefficients_come_out_of_inner_products():
    assert _same(normalise_inner(inner(3 * r1, r2), EMPTY), 3 * Inner(r1, r2))


def test_expression_without_vectors_is_returned_unchanged():
    e = mu**2 + 1
    assert normalise_inner(e, EMPTY) is e


# -- matrices ------------------------------------------------------------------------
theta = sp.MatrixSymbol("theta", d, 1)
theta_star = sp.MatrixSymbol("theta^*", d, 1)


def test_one_by_one_terms_get_one_orientation():
    e = theta.T * theta_star - theta_star.T * theta
    out = normalise_matrix(e)
    assert out == sp.ZeroMatrix(1, 1) or out.is_ZeroMatrix or out == 0


def test_matrix_expansion():
    n = sp.Symbol("n", integer=True, positive=True)
    X = sp.MatrixSymbol("X", n, d)
    e = X.T * (X * theta - X * theta)
    out = normalise_matrix(e)
    assert out == sp.ZeroMatrix(d, 1) or out.is_ZeroMatrix


def test_non_matrix_is_returned_unchanged():
    assert normalise_matrix(mu + 1) == mu + 1


# -- powers --------------------------------------------------------------------------
b = sp.Symbol("b", positive=True)
br = sp.Symbol("b", real=True)
kk = sp.Symbol("k", integer=True, nonnegative=True)


def test_even_power_of_a_negated_base():
    assert sp.expand(normalise_powers((1 - b) ** (2 * kk) - (b - 1) ** (2 * kk))) == 0
    assert sp.expand(normalise_powers((1 - br) ** (2 * kk) - (br - 1) ** (2 * kk))) == 0


def test_odd_power_of_a_negated_base_keeps_the_sign():
    out = sp.expand(normalise_powers((1 - b) ** (2 * kk + 1) + (b - 1) ** (2 * kk + 1)))
    assert out == 0  # (1-b)^(2k+1) = -(b-1)^(2k+1)
    out = sp.expand(normalise_powers((1 - b) ** (2 * kk + 1) - (b - 1) ** (2 * kk + 1)))
    assert out != 0


def test_products_split_under_an_integer_power():
    q = sp.Symbol("q", real=True)
    assert sp.expand(normalise_powers((2 * q) ** kk - 2**kk * q**kk)) == 0


def test_numeric_and_non_integer_powers_are_untouched():
    e = (1 - b) ** 2 + (1 - b) ** sp.Symbol("t", real=True)
    assert normalise_powers(e) == e


@FAST
@given(small_rationals, small_rationals)
def test_normalised_powers_keep_their_value(p, q):
    n = sp.Symbol("n", integer=True, nonnegative=True)
    z = sp.Symbol("z", real=True)
    e = (p - z) ** (2 * n + 1) * (q * z - 1) ** n
    out = normalise_powers(e)
    for nv in (0, 1, 2, 3):
        for zv in (sp.Rational(1, 3), sp.Rational(-5, 2), sp.Integer(2)):
            at = {n: nv, z: zv}
            assert sp.simplify(out.xreplace(at) - e.xreplace(at)) == 0


# -- prepare --------------------------------------------------------------------------
def test_prepare_unfolds_definitions_and_evaluates_derivatives():
    x = sp.Symbol("x", real=True)
    f = sp.Function("f")
    ctx = Context(definitions={f: sp.Lambda(x, x**3)})
    out = prepare(sp.Derivative(f(a), a) + mu, ctx)
    assert out == 3 * a**2 + mu
