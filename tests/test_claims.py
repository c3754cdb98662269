"""symproof.claims: argmax/argmin, monotone, matrix identities, Hessians, limits, induction, orthogonality."""
from __future__ import annotations

import subprocess
import sys

import pytest
import sympy as sp

from symproof.check import Status
from symproof.claims import ArgMax, ArgMin, HessianIs, Induction, Limit, MatrixIdentity, Monotone, Orthogonal
from symproof.errors import DerivationError
from symproof.model import Claim, Context

x = sp.Symbol("x", real=True)
c = sp.Symbol("c", real=True)
lam = sp.Symbol("lambda", positive=True)
n = sp.Symbol("n", positive=True)
s = sp.Symbol("s", positive=True)
EMPTY = Context()

nn = sp.Symbol("n", integer=True, positive=True)
d = sp.Symbol("d", integer=True, positive=True)
theta = sp.MatrixSymbol("theta", d, 1)
theta_star = sp.MatrixSymbol("theta^*", d, 1)
X = sp.MatrixSymbol("X", nn, d)
yv = sp.MatrixSymbol("y", nn, 1)
half = sp.Rational(1, 2)
SHAPES = Context(sizes={nn: 3, d: 2})
LEAST_SQUARES = half * (X * theta - yv).T * (X * theta - yv)


@pytest.mark.parametrize("claim", [ArgMax(x, x, 0), Monotone(x, x, sp.Interval(0, 1)),
                                   MatrixIdentity(theta, theta), HessianIs(LEAST_SQUARES, theta, X.T * X)])
def test_claims_satisfy_the_protocol(claim):
    assert isinstance(claim, Claim)
    assert claim.describe()


# -- ArgMax / ArgMin -------------------------------------------------------------------
def test_argmax_of_the_exponential_log_likelihood_is_proved():
    v = ArgMax(n * sp.log(lam) - lam * s, lam, n / s).check(EMPTY)
    assert v.status is Status.PROVED
    assert v.method.startswith("first-order:") and "second-order:sign" in v.method
    assert "concave" in v.message


def test_argmax_at_a_wrong_point_is_refuted():
    v = ArgMax(n * sp.log(lam) - lam * s, lam, s / n).check(EMPTY)
    assert v.status is Status.REFUTED
    assert v.method == "first-order"
    assert "not zero" in v.message
    assert v.counterexample is not None


def test_argmin_of_a_concave_objective_is_refuted_by_the_second_order_test():
    v = ArgMin(n * sp.log(lam) - lam * s, lam, n / s).check(EMPTY)
    assert v.status is Status.REFUTED
    assert v.method == "second-order"
    assert "not positive" in v.message


def test_argmin_of_a_convex_quadratic_is_proved():
    mu = sp.Symbol("mu", real=True)
    v = ArgMin((mu - 3) ** 2 + 1, mu, 3).check(EMPTY)
    assert v.status is Status.PROVED
    assert "convex" in v.message


def test_a_local_maximum_that_is_not_global_is_refuted():
    # f'(-1) = 0 and f''(-1) < 0, but f = x^3 - 3x is not concave: no global max
    v = ArgMax(x**3 - 3 * x, x, -1).check(EMPTY)
    assert v.status is Status.REFUTED
    assert v.method == "second-order"


def test_extremum_describe():
    assert ArgMax(x, x, 0).describe() == "argmax over x is x = 0"
    assert ArgMin(x, x, 0).describe() == "argmin over x is x = 0"


# -- Monotone ---------------------------------------------------------------------------
def test_distance_is_decreasing_on_the_closed_interval():
    """sympy's is_decreasing says False on [-1, 1] (derivative undefined at c = 1)."""
    ctx = Context(constraints=(c >= -1, c <= 1))
    v = Monotone(sp.sqrt(2 - 2 * c), c, sp.Interval(-1, 1), "decreasing").check(ctx)
    assert v.status is Status.PROVED
    assert v.method.startswith("derivative-sign:") and v.method.endswith("+continuity")
    assert len(v.notes) == 2
    assert all("continuous at c = " in note for note in v.notes)


def test_distance_claimed_increasing_is_refuted():
    ctx = Context(constraints=(c >= -1, c <= 1))
    v = Monotone(sp.sqrt(2 - 2 * c), c, sp.Interval(-1, 1), "increasing").check(ctx)
    assert v.status is Status.REFUTED
    assert v.method == "sampled-order"
    assert "not increasing" in v.message


@pytest.mark.parametrize("direction", ["increasing", "decreasing"])
def test_non_monotone_function_is_refuted_either_way(direction):
    # x^2 on [-1, 1] takes the exact value 0 at a sampled point
    v = Monotone(x**2, x, sp.Interval(-1, 1), direction).check(EMPTY)
    assert v.status is Status.REFUTED
    assert v.method == "sampled-order"


def test_increasing_on_a_half_line():
    v = Monotone(sp.sqrt(x), x, sp.Interval(0, sp.oo), "increasing").check(EMPTY)
    assert v.status is Status.PROVED


def test_exponential_is_increasing_on_the_whole_line():
    v = Monotone(sp.exp(x), x, sp.Interval(-sp.oo, sp.oo), "increasing").check(EMPTY)
    assert v.status is Status.PROVED
    assert v.notes == ()


def test_constant_is_not_strictly_monotone():
    v = Monotone(x - x + 1, x, sp.Interval(0, 1), "increasing").check(EMPTY)
    assert v.status is Status.REFUTED


def test_endpoint_discontinuity_is_not_proved():
    # 1/x on (0, 1]: fine; on [0, 1] the value at 0 is undefined
    v = Monotone(1 / x, x, sp.Interval(0, 1), "decreasing").check(EMPTY)
    assert v.status is not Status.PROVED


# -- MatrixIdentity / HessianIs -----------------------------------------------------------
def test_matrix_identity_with_concrete_cross_check():
    v = MatrixIdentity((X * theta).T, theta.T * X.T).check(SHAPES)
    assert v.status is Status.PROVED
    assert v.method.endswith("+concrete-shape")
    assert any("entry by entry equal at" in note for note in v.notes)


def test_wrong_matrix_identity_is_refuted():
    v = MatrixIdentity(X.T * X * theta, 2 * X.T * X * theta).check(SHAPES)
    assert v.status is Status.REFUTED


def test_hessian_of_least_squares_is_xtx():
    v = HessianIs(LEAST_SQUARES, theta, X.T * X).check(SHAPES)
    assert v.status is Status.PROVED
    assert v.method.startswith("matrix-calculus:") and v.method.endswith("+concrete-hessian")
    assert any("sympy.hessian" in note for note in v.notes)


def test_hessian_claimed_twice_xtx_is_refuted():
    v = HessianIs(LEAST_SQUARES, theta, 2 * X.T * X).check(SHAPES)
    assert v.status is Status.REFUTED
    assert v.counterexample is not None or v.method == "concrete-shape"


def test_hessian_of_half_squared_distance_is_identity():
    f = half * (theta - theta_star).T * (theta - theta_star)
    v = HessianIs(f, theta, sp.Identity(d)).check(SHAPES)
    assert v.status is Status.PROVED
    wrong = HessianIs(f, theta, 2 * sp.Identity(d)).check(SHAPES)
    assert wrong.status is Status.REFUTED


# -- Limit -----------------------------------------------------------------------------------
def test_limit_of_sinc_at_zero():
    v = Limit(sp.sin(x) / x, x, 0, 1).check(EMPTY)
    assert v.status is Status.PROVED
    assert v.method.startswith("limit+")


def test_wrong_limit_is_refuted():
    v = Limit(sp.sin(x) / x, x, 0, 2).check(EMPTY)
    assert v.status is Status.REFUTED


def test_limit_at_infinity():
    assert Limit(1 / x, x, sp.oo, 0).check(EMPTY).status is Status.PROVED
    assert Limit(1 / x, x, sp.oo, 1).check(EMPTY).status is Status.REFUTED


_COMPOUND_INTEREST = """
import sympy as sp
from symproof.claims import Limit
from symproof.model import Context
x = sp.Symbol("x", real=True)
print(Limit((1 + 1 / x) ** x, x, sp.oo, sp.E).check(Context()).status.value)
"""


def test_limit_of_compound_interest_terminates():
    """(1 + 1/x)^x -> e: the numeric approach must not evaluate (1 + 10^-16)^(10^16)
    exactly (a GMP power that no SIGALRM interrupts). Run in a subprocess so a
    hang fails this test instead of the whole run."""
    try:
        out = subprocess.run([sys.executable, "-c", _COMPOUND_INTEREST], capture_output=True, text=True, timeout=8)
    except subprocess.TimeoutExpired:
        pytest.fail("Limit((1 + 1/x)**x, x, oo, E).check() did not finish in 8 s")
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "proved"


def test_one_sided_limits_differ():
    assert Limit(sp.Abs(x) / x, x, 0, 1, "+").check(EMPTY).status is Status.PROVED
    assert Limit(sp.Abs(x) / x, x, 0, 1, "-").check(EMPTY).status is Status.REFUTED


# -- Induction -------------------------------------------------------------------------------
kk = sp.Symbol("k", integer=True, nonnegative=True)
a = sp.Symbol("a", real=True)
q = sp.Symbol("q", real=True)


def test_induction_geometric_sequence():
    v = Induction(state=(a,), initial=(1,), step=(q * a,), closed_form=(q**kk,), k=kk).check(EMPTY)
    assert v.status is Status.PROVED
    assert v.method == "induction"


def test_induction_exact_line_search_style_closed_form():
    bb = sp.Symbol("b", positive=True)
    x0 = sp.Symbol("x_0", real=True)
    v = Induction(state=(a,), initial=(x0,), step=((1 - bb) ** 2 * a,),
                  closed_form=(x0 * (bb - 1) ** (2 * kk),), k=kk).check(EMPTY)
    assert v.status is Status.PROVED


def test_induction_with_a_wrong_base_case_is_refuted():
    v = Induction(state=(a,), initial=(1,), step=(a + 2,), closed_form=(2 * kk,), k=kk).check(EMPTY)
    assert v.status is Status.REFUTED
    assert v.method.startswith("base-case:")


def test_induction_with_a_wrong_step_is_refuted():
    v = Induction(state=(a,), initial=(1,), step=(a + 2,), closed_form=(kk**2 + 1,), k=kk).check(EMPTY)
    assert v.status is Status.REFUTED
    assert v.method.startswith("inductive-step:")


def test_induction_arithmetic_sequence():
    v = Induction(state=(a,), initial=(1,), step=(a + 2,), closed_form=(2 * kk + 1,), k=kk).check(EMPTY)
    assert v.status is Status.PROVED


def test_induction_needs_a_nonnegative_integer_and_matching_lengths():
    with pytest.raises(DerivationError):
        Induction(state=(a,), initial=(1,), step=(a,), closed_form=(1,), k=sp.Symbol("k", integer=True))
    with pytest.raises(DerivationError):
        Induction(state=(a, q), initial=(1,), step=(a,), closed_form=(1,), k=kk)


# -- Orthogonal -----------------------------------------------------------------------------
def test_orthogonal_vectors():
    assert Orthogonal((1, 2), (2, -1)).check(EMPTY).status is Status.PROVED
    v = Orthogonal((x, 1), (1, -x)).check(EMPTY)
    assert v.status is Status.PROVED
    assert v.method.startswith("dot-product:")


def test_non_orthogonal_vectors_are_refuted():
    v = Orthogonal((x, 1), (1, x)).check(EMPTY)
    assert v.status is Status.REFUTED
    assert v.counterexample is not None
