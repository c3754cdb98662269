"""symproof.check.strategies: symbolic equality strategies and sign proofs."""
from __future__ import annotations

import pytest
import sympy as sp
from hypothesis import given

from strategies import FAST, X, polynomials, small_rationals
from symproof.check.budget import Deadline
from symproof.check.strategies import EQUALITY_STRATEGIES, is_zero, prove_equal, prove_sign
from symproof.model import Context, inner, sqnorm

x, y = sp.symbols("x y", real=True)
xp, yp = sp.symbols("x y", positive=True)
c = sp.Symbol("c", real=True)
i, j = sp.symbols("i j", integer=True)
N = sp.Symbol("N", integer=True, positive=True)
xs = sp.IndexedBase("x", real=True)
EMPTY = Context()


def eq(a, b, ctx=EMPTY, seconds=5.0):
    return prove_equal(a, b, ctx, Deadline(seconds))


def sign(e, want, ctx=EMPTY, seconds=5.0):
    return prove_sign(e, want, ctx, Deadline(seconds))


def test_strategy_names_are_unique_and_ordered_cheap_first():
    names = [s.name for s in EQUALITY_STRATEGIES]
    assert len(names) == len(set(names))
    assert names[0] == "identical"
    assert names[-1] == "simplify"
    assert all(s.cap > 0 for s in EQUALITY_STRATEGIES)


def test_is_zero():
    assert is_zero(sp.S.Zero)
    assert not is_zero(x)
    assert is_zero(sp.zeros(2, 2))
    assert not is_zero(sp.Matrix([0, 1]))
    assert is_zero(sp.ZeroMatrix(2, 3))


@pytest.mark.parametrize(
    "a, b, method",
    [
        (x + 1, x + 1, "identical"),
        ((x + 1) ** 2, x**2 + 2 * x + 1, "expand"),
        ((x**2 - 4) / (x - 2), x + 2, "cancel"),
        (sp.Sum(xs[i], (i, 1, N)), sp.Sum(xs[j], (j, 1, N)), "sum-normalise"),
        (sp.tanh(x), 2 / (1 + sp.exp(-2 * x)) - 1, "exp-rewrite"),
        ((1 - xp) ** (2 * sp.Symbol("k", integer=True, nonnegative=True)),
         (xp - 1) ** (2 * sp.Symbol("k", integer=True, nonnegative=True)), "integer-powers"),
    ],
)
def test_first_strategy_that_proves(a, b, method):
    assert eq(a, b) == method


def test_inner_product_strategy():
    d = sp.Symbol("d", integer=True, positive=True)
    r1, r2 = sp.MatrixSymbol("r_1", d, 1), sp.MatrixSymbol("r_2", d, 1)
    ctx = Context(unit_vectors=(r1, r2))
    assert eq(sqnorm(r1 - r2), 2 - 2 * inner(r1, r2), ctx) == "inner-products"
    assert eq(sqnorm(r1 - r2), 2 - 2 * inner(r1, r2), EMPTY) is None  # not unit vectors


def test_matrix_strategy_orients_scalars():
    d = sp.Symbol("d", integer=True, positive=True)
    th, ts = sp.MatrixSymbol("theta", d, 1), sp.MatrixSymbol("theta^*", d, 1)
    assert eq(th.T * ts, ts.T * th) == "matrix-expand"
    assert eq(th.T * ts, 2 * ts.T * th) is None


def test_logs_split_only_under_positivity():
    assert eq(sp.log(xp * yp), sp.log(xp) + sp.log(yp)) is not None
    assert eq(sp.log(x * y), sp.log(x) + sp.log(y)) is None  # no force=True


def test_no_unsound_power_base_expansion():
    assert eq(sp.sqrt(x * y), sp.sqrt(x) * sp.sqrt(y)) is None
    assert eq(sp.sqrt(xp * yp), sp.sqrt(xp) * sp.sqrt(yp)) is not None


def test_sqrt_of_square_is_not_proved():
    assert eq(sp.sqrt(x**2), x) is None
    assert eq(sp.sqrt(x**2), sp.Abs(x)) is not None


def test_expired_deadline_proves_nothing():
    assert prove_equal(x + 1, x + 1, EMPTY, Deadline(0.0)) is None


def test_false_equalities_are_never_proved():
    for a, b in [(x, x + 1), (sp.exp(x), x + 1), (sp.sin(x) ** 2, 1 - sp.cos(x)), (sp.log(x**2), 2 * sp.log(x))]:
        assert eq(a, b) is None, (a, b)


@FAST
@given(polynomials(), polynomials())
def test_polynomial_identities_are_proved(p, q):
    assert eq(p * q + q, sp.expand(q * (p + 1))) is not None


@FAST
@given(polynomials(), small_rationals.filter(lambda r: r != 0))
def test_polynomials_differing_by_a_constant_are_not_proved(p, shift):
    assert eq(p, sp.expand(p) + shift) is None


# -- signs -------------------------------------------------------------------------
def test_sign_from_assumptions():
    assert sign(sp.exp(x), "pos") == "sign-assumptions"
    assert sign(xp**2 + 1, "pos") == "sign-assumptions"
    assert sign(-xp, "neg") == "sign-assumptions"


def test_sign_from_factoring():
    assert sign(x**2 - 2 * x + 1, "nonneg") == "sign-factor"


def test_sign_not_proved_when_false_or_undecided():
    assert sign(x - 1, "nonneg") is None
    assert sign(x**2 - 2 * x + 1, "pos") is None  # zero at x = 1
    assert sign(x**2, "pos") is None


def test_sign_on_an_interval_by_substitution():
    ctx = Context(constraints=(c >= -1, c <= 1))
    assert sign(sp.sqrt(2 - 2 * c), "nonneg", ctx) == "sign-interval-substitution"
    assert sign(1 - c, "nonneg", ctx) is not None
    assert sign(1 + c, "nonneg", ctx) is not None


def test_closed_endpoints_are_checked_separately():
    ctx = Context(constraints=(c >= -1, c <= 1))
    assert sign(1 - c, "pos", ctx) is None  # zero at c = 1
    open_ctx = Context(constraints=(c > -1, c < 1))
    assert sign(1 - c, "pos", open_ctx) is not None


def test_derivative_of_the_distance_is_negative_inside():
    ctx = Context(constraints=(c > -1, c < 1))
    assert sign(-1 / sp.sqrt(2 - 2 * c), "neg", ctx) is not None
    assert sign(-1 / sp.sqrt(2 - 2 * c), "pos", ctx) is None


def test_sign_with_an_expired_deadline():
    assert prove_sign(sp.exp(x), "pos", EMPTY, Deadline(0.0)) is None


@FAST
@given(polynomials(symbols=(X,), max_terms=3, max_degree=2))
def test_squares_are_nonnegative_and_never_shown_negative(p):
    assert sign(sp.expand(p**2), "neg") is None
    assert sign(-(p**2) - 1, "pos") is None
