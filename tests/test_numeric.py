"""symproof.check.numeric: the high-precision screen run on every step."""
from __future__ import annotations

import mpmath
import pytest
import sympy as sp
from hypothesis import given

from strategies import FAST, polynomials, seeds, small_rationals
from symproof.check.numeric import Point, _classify, _holds, fmt_point, fmt_value, screen
from symproof.model import Context, IndexRange, inner, sqnorm

x, y = sp.symbols("x y", real=True)
xp, yp = sp.symbols("x y", positive=True)
i, j = sp.symbols("i j", integer=True)
N = sp.Symbol("N", integer=True, positive=True)
xs = sp.IndexedBase("x", real=True)
EMPTY = Context()


# -- formatting -----------------------------------------------------------------------
def test_fmt_value_rationals_matrices_and_huge_integers():
    assert fmt_value(sp.Rational(-3, 4)) == "-3/4"
    assert fmt_value(sp.ImmutableMatrix([1, sp.Rational(1, 2)])) == "[1, 1/2]"
    assert fmt_value(sp.Integer(10) ** 61) == "an integer of 62 digits"
    assert fmt_value(sp.Integer(10) ** 5000) == "an integer of over 4000 digits"


def test_fmt_point_names_entries_and_sorts():
    out = fmt_point({y: sp.Integer(2), xs[1]: sp.Rational(1, 3), x: sp.Integer(-1)})
    assert out == {"x": "-1", "x_1": "1/3", "y": "2"}
    assert list(out) == ["x", "x_1", "y"]


def test_point_round_trip():
    p = Point(((x, sp.Integer(1)), (y, sp.Rational(1, 2))))
    assert p.as_dict() == {x: 1, y: sp.Rational(1, 2)}
    assert p.display() == {"x": "1", "y": "1/2"}


# -- classification and comparison ------------------------------------------------------
def test_classify():
    with mpmath.workdps(40):
        assert _classify(mpmath.mpf(2)) == "real"
        assert _classify(mpmath.mpc(2, 0)) == "real"
        assert _classify(mpmath.mpc(2, 1e-45)) == "real"  # rounding residue
        assert _classify(mpmath.mpc(2, 1e-3)) == "complex"
        assert _classify(mpmath.mpf("inf")) == "undefined"
        assert _classify(mpmath.mpf("nan")) == "undefined"
        assert _classify(mpmath.mpc("inf", 0)) == "undefined"


@pytest.mark.parametrize(
    "rel, a, b, expected",
    [
        ("=", 1, 1, True), ("=", 1, 2, False),
        ("<=", 1, 2, True), ("<=", 2, 2, True), ("<=", 3, 2, False),
        (">=", 2, 1, True), (">=", 2, 2, True), (">=", 1, 2, False),
        ("<", 1, 2, True), ("<", 2, 2, False),
        (">", 2, 1, True), (">", 2, 2, False),
    ],
)
def test_holds(rel, a, b, expected):
    with mpmath.workdps(40):
        tol = mpmath.mpf(10) ** -30
        assert _holds(rel, mpmath.mpf(a), mpmath.mpf(b), tol) is expected


def test_holds_rejects_unknown_relations():
    with pytest.raises(ValueError):
        _holds("<=>", mpmath.mpf(1), mpmath.mpf(1), mpmath.mpf(0))


# -- the screen ---------------------------------------------------------------------------
def test_true_identity_agrees_at_every_point():
    sc = screen((x + 1) ** 2, x**2 + 2 * x + 1, EMPTY)
    assert sc.counterexample is None
    assert sc.agree == 12
    assert sc.problem is None and not sc.shape_mismatch


def test_points_parameter():
    assert screen(x, x, EMPTY, points=5).agree == 5


def test_false_identity_has_a_counterexample_with_values():
    sc = screen(sp.sqrt(x**2), x, EMPTY)
    assert sc.counterexample is not None
    at = sc.counterexample.as_dict()[x]
    assert at < 0
    left, right = (float(s) for s in sc.values)
    assert left == pytest.approx(float(-at)) and right == pytest.approx(float(at))


def test_same_seed_same_counterexample():
    a = screen(x**2, 2 * x, EMPTY, ">=", seed=7)
    b = screen(x**2, 2 * x, EMPTY, ">=", seed=7)
    assert a.counterexample == b.counterexample is not None


def test_one_sided_points_are_recorded():
    sc = screen(sp.log(x * y), sp.log(x) + sp.log(y), EMPTY)
    assert sc.counterexample is None
    assert sc.one_sided is not None
    point, side = sc.one_sided
    assert side == "left"
    at = point.as_dict()
    assert at[x] * at[y] > 0 and (at[x] < 0 or at[y] < 0)
    assert set(sc.restrict) == {x, y}


def test_no_one_sided_points_with_positive_symbols():
    sc = screen(sp.log(xp * yp), sp.log(xp) + sp.log(yp), EMPTY)
    assert sc.one_sided is None
    assert sc.restrict == ()
    assert sc.agree == 12


def test_never_real_together():
    sc = screen(sp.sqrt(-1 - x**2), sp.Integer(5), EMPTY)
    assert sc.agree == 0
    assert sc.counterexample is None
    assert sc.one_sided is not None and sc.one_sided[1] == "right"


def test_unevaluable_expression_reports_a_problem():
    sc = screen(sp.gamma(x), sp.gamma(x), EMPTY)
    assert sc.problem is not None and "gamma" in sc.problem
    assert sc.agree == 0 and sc.counterexample is None


def test_shape_mismatch():
    d = sp.Symbol("d", integer=True, positive=True)
    th = sp.MatrixSymbol("theta", d, 1)
    sc = screen(th, th.T, EMPTY)
    assert sc.shape_mismatch
    assert "shapes" in sc.problem


def test_matrix_expressions_are_compared_entrywise():
    n, d = sp.Symbol("n", integer=True, positive=True), sp.Symbol("d", integer=True, positive=True)
    X = sp.MatrixSymbol("X", n, d)
    th = sp.MatrixSymbol("theta", d, 1)
    ok = screen((X * th).T, th.T * X.T, Context(sizes={n: 3, d: 2}))
    assert ok.counterexample is None and ok.agree == 12
    bad = screen(X.T * X, 2 * X.T * X, Context(sizes={n: 3, d: 2}))
    assert bad.counterexample is not None
    assert bad.counterexample.as_dict()[sp.Symbol("X")].shape == (3, 2)


def test_sums_are_evaluated_at_the_declared_size():
    mu = sp.Symbol("mu", real=True)
    ctx = Context(indices=(IndexRange(i, 1, N, (xs,)),), sizes={N: 5})
    ok = screen(sp.Sum(xs[i] - mu, (i, 1, N)), sp.Sum(xs[j], (j, 1, N)) - N * mu, ctx)
    assert ok.counterexample is None and ok.agree == 12
    bad = screen(sp.Sum(xs[i] - mu, (i, 1, N)), sp.Sum(xs[j], (j, 1, N)) - mu, ctx)
    assert bad.counterexample is not None
    at = bad.counterexample.as_dict()
    assert at[N] == 5


def test_unit_vectors_in_the_screen():
    d = sp.Symbol("d", integer=True, positive=True)
    r1, r2 = sp.MatrixSymbol("r_1", d, 1), sp.MatrixSymbol("r_2", d, 1)
    ctx = Context(unit_vectors=(r1, r2), sizes={d: 3})
    sc = screen(sqnorm(r1 - r2), 2 - 2 * inner(r1, r2), ctx)
    assert sc.counterexample is None and sc.agree == 12


# -- float noise ----------------------------------------------------------------------------
def test_many_terms_of_float_noise_never_refute():
    left = sum(sp.log((xp + n + 1) / (xp + n)) for n in range(1, 13))
    sc = screen(left, sp.log(xp + 13) - sp.log(xp + 1), EMPTY)
    assert sc.counterexample is None
    assert sc.agree == 12


def test_noise_from_cancelling_large_terms_never_refutes():
    """(x + 10^8)^2 − 2·10^8·x − 10^16 = x^2 exactly; its 40-digit (and 90-digit)
    evaluation carries rounding noise far above the relative tolerance."""
    big = 10**8
    left = (x + big) ** 2 - 2 * big * x - big**2
    assert sp.expand(left - x**2) == 0
    sc = screen(left, x**2, EMPTY)
    assert sc.counterexample is None, (sc.counterexample, sc.values)


def test_exact_rational_tiny_difference_is_seen():
    """Both sides are exact rationals at a rational point: a difference of
    10^-35 is a difference, not noise."""
    sc = screen(x + sp.Rational(1, 10**35), x, EMPTY)
    assert sc.counterexample is not None, "a difference of 1e-35 was taken for noise"


@FAST
@given(polynomials(), polynomials())
def test_polynomial_identities_never_have_a_counterexample(p, q):
    sc = screen(p * q, sp.expand(p * q), EMPTY, points=4)
    assert sc.counterexample is None


@FAST
@given(polynomials(), small_rationals.filter(lambda r: r != 0), seeds)
def test_shifted_polynomials_always_have_a_counterexample(p, shift, seed):
    sc = screen(p, p + shift, EMPTY, points=4, seed=seed)
    assert sc.counterexample is not None
