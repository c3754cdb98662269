"""symproof.check.mpeval: tree-walking mpmath evaluation of sympy expressions."""
from __future__ import annotations

import mpmath
import pytest
import sympy as sp
from hypothesis import given

from strategies import FAST, X, elementary, small_rationals
from symproof.check.mpeval import MAX_TERMS, Env, Unsupported, compile_expr
from symproof.model import inner, norm

x, y = sp.symbols("x y", real=True)
v = sp.IndexedBase("v", real=True)
i, j = sp.symbols("i j", integer=True)
N = sp.Symbol("N", integer=True, positive=True)


def ev(expr, values=None, dps=30, sample=None):
    """Evaluate at exact values (keys: symbols or (base, (ints...)))."""
    exact = {k: sp.sympify(val) for k, val in (values or {}).items()}
    with mpmath.workdps(dps):
        return compile_expr(expr)(Env(exact, sample))


def close(a, b, digits=25) -> bool:
    with mpmath.workdps(digits + 5):
        return abs(a - b) <= mpmath.mpf(10) ** (-digits) * max(1, abs(b))


def test_polynomial_and_log():
    value = ev(sp.log(x) + x**2, {x: 2})
    with mpmath.workdps(30):
        assert close(value, mpmath.log(2) + 4)


def test_rationals_are_exact_at_the_working_precision():
    value = ev(sp.Rational(1, 3) * x, {x: 1}, dps=60)
    with mpmath.workdps(60):
        assert abs(value - mpmath.mpf(1) / 3) < mpmath.mpf(10) ** -58


def test_environment_values_are_converted_at_the_working_precision():
    value = ev(x, {x: sp.Rational(1, 3)}, dps=80)
    with mpmath.workdps(80):
        assert abs(value - mpmath.mpf(1) / 3) < mpmath.mpf(10) ** -78


def test_constants():
    with mpmath.workdps(30):
        env = Env({})
        assert close(compile_expr(sp.pi)(env), mpmath.pi)
        assert close(compile_expr(sp.E)(env), mpmath.e)
        assert compile_expr(sp.I)(env) == mpmath.mpc(0, 1)
        assert compile_expr(sp.Float("0.25"))(env) == mpmath.mpf("0.25")


@pytest.mark.parametrize("bad", [sp.zoo, sp.oo, -sp.oo, sp.nan])
def test_infinities_raise_zero_division(bad):
    with pytest.raises(ZeroDivisionError):
        compile_expr(bad)(Env({}))


def test_division_by_zero_and_log_zero_raise():
    with pytest.raises(ZeroDivisionError):
        ev(1 / x, {x: 0})
    with pytest.raises(ZeroDivisionError):
        ev(sp.log(x), {x: 0})
    with pytest.raises(ZeroDivisionError):
        ev(x ** sp.Rational(-3, 2), {x: 0})


def test_sqrt_of_a_negative_number_is_complex():
    value = ev(sp.sqrt(x), {x: -4})
    assert isinstance(value, mpmath.mpc)
    assert value == mpmath.mpc(0, 2)


def test_log_of_a_negative_number_is_complex():
    value = ev(sp.log(x), {x: -1})
    assert isinstance(value, mpmath.mpc)
    assert value.real == 0
    assert close(value.imag, mpmath.pi, 14)


def test_symbolic_exponent():
    assert close(ev(x**y, {x: 2, y: 10}), 1024)


def test_indexed_entries_and_kronecker_delta():
    expr = sp.KroneckerDelta(i, j) * v[i] + v[j]
    vals = {i: 1, j: 1, (v, (1,)): 5, (v, (2,)): 3}
    assert ev(expr, vals) == 10
    vals[j] = 2
    assert ev(expr, vals) == 3


def test_entries_not_yet_valued_are_drawn_by_the_sampler():
    drawn = []

    def sample(key):
        drawn.append(key)
        return sp.Integer(7)

    assert ev(v[i] + v[i], {i: 2}, sample=sample) == 14
    assert drawn == [(v, (2,))]  # drawn once, then remembered


def test_non_integer_index_is_unsupported():
    with pytest.raises(Unsupported):
        ev(v[x], {x: sp.Rational(1, 2), (v, (0,)): 1})


def test_sums_and_products_are_looped_over():
    vals = {N: 4, **{(v, (n,)): n for n in range(1, 5)}}
    assert ev(sp.Sum(v[i] ** 2, (i, 1, N)), vals) == 30
    assert ev(sp.Product(v[i], (i, 1, N)), vals) == 24
    assert ev(sp.Sum(v[i], (i, 1, 0)), vals) == 0


def test_sum_with_several_independent_limits():
    assert ev(sp.Sum(i * j, (i, 1, 2), (j, 1, 3)), {}) == 18


def test_sum_with_several_limits_runs_the_first_limit_innermost():
    """sympy: Sum(f, (i, 1, j), (j, 1, N)) = sum_{j=1}^{N} sum_{i=1}^{j} f
    (the first limit is the innermost); N = 5 gives 35 = N(N+1)(N+2)/6.
    A value for a free j elsewhere in the step must not change it."""
    expr = sp.Sum(i, (i, 1, j), (j, 1, N))
    assert expr.subs(N, 5).doit() == 35
    assert ev(expr, {N: 5, j: 2}) == 35


def test_nested_sums_reusing_an_index_name_restore_it():
    inner_sum = sp.Sum(i, (i, 1, 2))
    expr = sp.Sum(i * inner_sum, (i, 1, 3))  # (1+2+3)·3
    assert ev(expr, {}) == 18


def test_a_bound_index_does_not_leak_into_a_free_one():
    expr = sp.Sum(v[i], (i, 1, 3)) + i
    vals = {i: 10, **{(v, (n,)): n for n in range(1, 4)}}
    assert ev(expr, vals) == 16


def test_too_many_terms_is_unsupported():
    with pytest.raises(Unsupported):
        ev(sp.Sum(i, (i, 1, N)), {N: MAX_TERMS + 1})


def test_matrices_inner_products_and_norms():
    d = 3
    r = sp.MatrixSymbol("r", d, 1)
    s = sp.MatrixSymbol("s", d, 1)
    vals = {r: sp.ImmutableMatrix([1, 2, 2]), s: sp.ImmutableMatrix([3, 0, -1])}
    assert ev(inner(r, s), vals) == 1
    assert ev(norm(r), vals) == 3
    m = ev(r.T * s + sp.Identity(1), vals)
    assert m[0, 0] == 2
    m = ev(2 * r, vals)
    assert [m[k, 0] for k in range(3)] == [2, 4, 4]


def test_symbolic_matrix_shape_is_unsupported():
    d = sp.Symbol("d", integer=True, positive=True)
    with pytest.raises(Unsupported):
        compile_expr(sp.MatrixSymbol("r", d, 1))


def test_max_min_abs_sign():
    assert ev(sp.Max(x, y), {x: 2, y: 7}) == 7
    assert ev(sp.Min(x, y), {x: 2, y: 7}) == 2
    assert ev(sp.Abs(x), {x: -3}) == 3
    assert ev(sp.sign(x), {x: -3}) == -1


def test_missing_value_is_unsupported():
    with pytest.raises(Unsupported, match="no value for y"):
        ev(x + y, {x: 1})


def test_piecewise_and_comparisons():
    pw = sp.Piecewise((x, x > 0), (0, True))
    assert ev(pw, {x: 2}) == 2 and ev(pw, {x: -3}) == 0
    assert ev(sp.Piecewise((1, sp.And(x < y, y <= 3)), (0, True)), {x: 1, y: 3}) == 1


@pytest.mark.parametrize("expr", [sp.gamma(x), sp.floor(x), sp.Function("f")(x)])
def test_unknown_nodes_are_unsupported(expr):
    with pytest.raises(Unsupported):
        compile_expr(expr)


def test_unsupported_is_a_value_error():
    assert issubclass(Unsupported, ValueError)


def test_symbol_names_are_never_executed():
    evil = sp.Symbol("__import__('os').system('echo pwned')")
    assert ev(evil + 1, {evil: 1}) == 2


@FAST
@given(elementary(), small_rationals)
def test_agrees_with_sympy_evalf(expr, point):
    got = complex(ev(expr, {X: point}, dps=40))
    want = complex(sp.N(expr.xreplace({X: point}), 40))
    assert abs(got - want) <= 1e-12 * max(1.0, abs(want))
