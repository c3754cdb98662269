"""symproof.check.engine: check_relation, check_equations, check_step, check_derivation.

The contract is DESIGN.md, "When a step holds"; the traps are CHECKING_NOTES.md.
"""
from __future__ import annotations

import re

import pytest
import sympy as sp
from hypothesis import given

from strategies import FAST, polynomials, seeds, small_rationals
from symproof.check import Options, Status, check_derivation, check_equations, check_relation, check_step
from symproof.errors import DerivationError
from symproof.model import Context, Derivation, IndexRange, Start, Step, inner, sqnorm
from symproof.rules import Differentiate, Solve

x, y = sp.symbols("x y", real=True)
xp, yp = sp.symbols("x y", positive=True)
b = sp.Symbol("b", positive=True)
k = sp.Symbol("k", integer=True, nonnegative=True)
c = sp.Symbol("c", real=True)
i, j = sp.symbols("i j", integer=True)
N = sp.Symbol("N", integer=True, positive=True)
K = sp.Symbol("K", integer=True, positive=True)
xs = sp.IndexedBase("x", real=True)
v = sp.IndexedBase("v", real=True)
mu = sp.Symbol("mu", real=True)
EMPTY = Context()


def Eq(a, b_):
    return sp.Eq(a, b_, evaluate=False)


def _point_from_note(note: str) -> dict[str, sp.Rational]:
    """'... at x = -31/10, y = -5/8 the left side ...' -> {x: -31/10, y: -5/8}."""
    m = re.search(r" at (.*?) the (left|right) side", note)
    assert m, note
    out = {}
    for part in m.group(1).split(", "):
        name, value = part.split(" = ")
        out[name.strip()] = sp.Rational(value.strip())
    return out


# -- the traps of CHECKING_NOTES ---------------------------------------------------
def test_sum_index_rename_is_proved():
    v_ = check_relation(sp.Sum(xs[i], (i, 1, N)) - sp.Sum(xs[j], (j, 1, N)), "=", 0, EMPTY)
    assert v_.status is Status.PROVED
    assert v_.method == "sum-normalise"
    assert v_.notes == ()


def test_sum_with_constant_pulled_out_and_index_free_summand():
    left = sp.Sum(2 * xs[i] - mu, (i, 1, N))
    right = 2 * sp.Sum(xs[j], (j, 1, N)) - N * mu
    v_ = check_relation(left, "=", right, EMPTY)
    assert v_.status is Status.PROVED
    assert v_.method == "sum-normalise"


@pytest.mark.parametrize("base", [b, sp.Symbol("b", real=True)])
def test_even_symbolic_power_of_a_negated_base_is_proved(base):
    v_ = check_relation((1 - base) ** (2 * k), "=", (base - 1) ** (2 * k), EMPTY)
    assert v_.status is Status.PROVED
    assert v_.method == "integer-powers"


def test_odd_symbolic_power_of_a_negated_base_is_refuted():
    v_ = check_relation((1 - b) ** (2 * k + 1), "=", (b - 1) ** (2 * k + 1), EMPTY)
    assert v_.status is Status.REFUTED
    point = v_.point
    assert point[b] > 0 and point[b] != 1
    assert point[k].is_integer and point[k] >= 0


def test_log_of_product_with_positive_symbols_is_proved_without_notes():
    v_ = check_relation(sp.log(xp * yp), "=", sp.log(xp) + sp.log(yp), EMPTY)
    assert v_.status is Status.PROVED
    assert v_.notes == ()


def test_log_of_product_with_real_symbols_carries_a_domain_note():
    v_ = check_relation(sp.log(x * y), "=", sp.log(x) + sp.log(y), EMPTY)
    assert v_.status is Status.PROVED  # it holds wherever both sides are real
    assert v_.method.startswith("real-domain")
    assert len(v_.notes) == 1
    note = v_.notes[0]
    assert note.startswith("holds where both sides are real")
    assert "left side is real" in note and "right side is not" in note
    at = _point_from_note(note)
    # the named point: x*y > 0 (left real) but x or y negative (right not real)
    assert set(at) == {"x", "y"}
    assert at["x"] * at["y"] > 0
    assert at["x"] < 0 or at["y"] < 0


def test_log_of_product_note_is_in_the_json():
    v_ = check_relation(sp.log(x * y), "=", sp.log(x) + sp.log(y), EMPTY)
    assert v_.to_json()["notes"] == list(v_.notes) != []


def test_sides_never_real_together_is_unknown_never_proved():
    v_ = check_relation(sp.sqrt(-1 - x**2), "=", 5, EMPTY)
    assert v_.status is Status.UNKNOWN
    assert "never real together" in v_.message
    assert v_.counterexample is None


def test_sqrt_of_square_is_refuted_at_a_negative_x():
    v_ = check_relation(sp.sqrt(x**2), "=", x, EMPTY)
    assert v_.status is Status.REFUTED
    assert v_.method == "numeric-screen"
    assert sp.Rational(v_.counterexample["x"]) < 0
    assert v_.point[x] < 0
    left, right = (float(s) for s in v_.values)
    assert left == pytest.approx(-right) and left > 0


def test_removable_singularity_is_proved():
    v_ = check_relation((x**2 - 4) / (x - 2), "=", x + 2, EMPTY)
    assert v_.status is Status.PROVED
    assert v_.method == "cancel"
    # a domain note is allowed (the right side is real at x = 2, the left is not);
    # if there is one it must name that point
    for note in v_.notes:
        assert "x = 2 the right side is real" in note


def test_bare_indexed_entry_as_a_side():
    ctx = Context(indices=(IndexRange(i, 1, K, (v,)),))
    v_ = check_relation(v[i], "=", v[i], ctx)
    assert v_.status is Status.PROVED
    wrong = check_relation(2 * v[i], "=", v[i], ctx)
    assert wrong.status is Status.REFUTED


def test_sqrt_of_reciprocal_is_proved_both_real_only_for_positive_x():
    v_ = check_relation(sp.sqrt(1 / x), "=", 1 / sp.sqrt(x), EMPTY)
    assert v_.status is Status.PROVED
    assert v_.method.startswith("real-domain+")
    assert "x > 0" in v_.message


def test_tanh_against_its_exponential_form_is_proved():
    v_ = check_relation(sp.tanh(x), "=", 2 / (1 + sp.exp(-2 * x)) - 1, EMPTY)
    assert v_.status is Status.PROVED
    assert v_.method == "exp-rewrite"


def test_tanh_against_a_wrong_exponential_form_is_refuted():
    v_ = check_relation(sp.tanh(x), "=", 2 / (1 + sp.exp(-x)) - 1, EMPTY)
    assert v_.status is Status.REFUTED


def test_kronecker_delta_in_a_sum_with_declared_ranges_is_proved():
    kk = sp.Symbol("k", integer=True)
    ctx = Context(indices=(IndexRange(j, 1, K, (v,)), IndexRange(kk, 1, K, (v,))))
    left = sp.Sum(sp.KroneckerDelta(j, kk) * sp.exp(v[kk]), (kk, 1, K))
    v_ = check_relation(left, "=", sp.exp(v[j]), ctx)
    assert v_.status is Status.PROVED
    assert v_.method == "sum-normalise"


def test_kronecker_delta_from_differentiating_a_sum_is_proved():
    kk = sp.Symbol("k", integer=True)
    ctx = Context(indices=(IndexRange(j, 1, K, (v,)), IndexRange(kk, 1, K, (v,))))
    d = sp.diff(sp.Sum(sp.exp(v[kk]), (kk, 1, K)), v[j])
    assert d.has(sp.KroneckerDelta)
    v_ = check_relation(d, "=", sp.exp(v[j]), ctx)
    assert v_.status is Status.PROVED


def test_kronecker_delta_sum_without_declared_range_is_not_accepted():
    kk = sp.Symbol("k", integer=True)
    left = sp.Sum(sp.KroneckerDelta(j, kk) * sp.exp(v[kk]), (kk, 1, K))
    v_ = check_relation(left, "=", sp.exp(v[j]), EMPTY)
    assert v_.status in (Status.UNKNOWN, Status.REFUTED)


def test_kronecker_delta_is_zero_under_a_ne_constraint():
    ctx = Context(indices=(IndexRange(i, 1, K, (v,)), IndexRange(j, 1, K, (v,))), constraints=(sp.Ne(i, j),))
    v_ = check_relation(sp.KroneckerDelta(i, j) * v[i], "=", 0, ctx)
    assert v_.status is Status.PROVED
    wrong = check_relation(sp.KroneckerDelta(i, j) * v[i], "=", 2 * v[i], ctx)
    assert wrong.status is Status.REFUTED
    assert wrong.point[i] != wrong.point[j]


# -- inequalities ----------------------------------------------------------------
def test_am_gm_style_inequality_is_proved():
    v_ = check_relation(x**2 + 1, ">=", 2 * x, EMPTY)
    assert v_.status is Status.PROVED
    assert v_.method.startswith("sign-")


def test_false_inequality_is_refuted_with_a_real_counterexample():
    v_ = check_relation(x**2, ">=", 2 * x, EMPTY)
    assert v_.status is Status.REFUTED
    at = v_.point[x]
    assert at**2 < 2 * at  # really a counterexample, i.e. 0 < x < 2
    assert "fails at" in v_.message


def test_sqrt_is_nonnegative_on_an_interval():
    ctx = Context(constraints=(c >= -1, c <= 1))
    v_ = check_relation(sp.sqrt(2 - 2 * c), ">=", 0, ctx)
    assert v_.status is Status.PROVED
    assert v_.method.startswith("sign-")


def test_strict_inequality_that_is_tight_somewhere_is_not_proved():
    v_ = check_relation(x**2 + 1, ">", 2 * x, EMPTY)
    assert v_.status is not Status.PROVED


def test_le_and_lt():
    assert check_relation(x**2, "<=", x**2 + 1, EMPTY).status is Status.PROVED
    assert check_relation(sp.exp(x), ">", 0, EMPTY).status is Status.PROVED
    assert check_relation(x, "<", x, EMPTY).status is Status.REFUTED


def test_logical_relation_between_expressions_raises():
    with pytest.raises(DerivationError):
        check_relation(x, "<=>", x, EMPTY)


# -- float noise and tiny differences ------------------------------------------------
def test_twelve_term_telescoping_sum_of_logs_is_never_refuted():
    left = sum(sp.log((xp + n + 1) / (xp + n)) for n in range(1, 13))
    v_ = check_relation(left, "=", sp.log(xp + 13) - sp.log(xp + 1), EMPTY)
    assert v_.status is Status.PROVED


def test_telescoping_sum_with_tiny_rational_steps_is_never_refuted():
    """A true identity whose right side cancels 29 digits at 40-digit working precision."""
    eps = sp.Rational(1, 10**30)
    left = sum(1 / ((xp + n * eps) * (xp + (n + 1) * eps)) for n in range(1, 13))
    right = (1 / eps) * (1 / (xp + eps) - 1 / (xp + 13 * eps))
    assert sp.cancel(left - right) == 0  # it is true
    v_ = check_relation(left, "=", right, EMPTY)
    assert v_.status is not Status.REFUTED, v_.message
    assert v_.status is Status.PROVED


def test_true_identity_with_large_cancelling_terms_is_never_refuted():
    big = 10**8
    v_ = check_relation((x + big) ** 2 - 2 * big * x - big**2, "=", x**2, EMPTY)
    assert v_.status is Status.PROVED, v_.message


def test_difference_below_screen_tolerance_is_not_accepted():
    """A wrong step must never be reported proved or numeric (DESIGN, Verdicts)."""
    v_ = check_relation(x + sp.Rational(1, 10**35), "=", x, EMPTY)
    assert v_.status is Status.REFUTED, (v_.status, v_.message)


def test_tiny_violation_of_an_inequality_is_not_accepted():
    v_ = check_relation(x + sp.Rational(1, 10**35), "<=", x, EMPTY)
    assert v_.status is Status.REFUTED, (v_.status, v_.message)


def test_floats_are_converted_to_rationals_with_a_note():
    """DESIGN: floats in input are converted to exact rationals, with a note."""
    v_ = check_relation(sp.Float("0.8") * x, "=", sp.Rational(4, 5) * x, EMPTY)
    assert v_.status is Status.PROVED, (v_.status, v_.message)
    assert v_.notes, "the float conversion must be noted"


# -- counterexamples lie inside the assumed domain -----------------------------------------
@FAST
@given(seeds)
def test_counterexample_respects_an_interval(seed):
    bb = sp.Symbol("b", real=True)
    ctx = Context(constraints=(bb > 0, bb <= 1))
    v_ = check_relation(bb**2, ">=", bb, ctx, Options(seed=seed))
    assert v_.status is Status.REFUTED
    assert 0 < v_.point[bb] <= 1


@FAST
@given(seeds)
def test_counterexample_respects_a_two_symbol_constraint(seed):
    ctx = Context(constraints=(x < y,))
    v_ = check_relation(y - x, ">=", 1, ctx, Options(seed=seed))
    assert v_.status is Status.REFUTED
    assert v_.point[x] < v_.point[y]


def test_true_step_under_a_hard_to_sample_constraint_is_not_refuted():
    """x > y + 50 is rarely met by independent sampling; a counterexample
    outside the assumed domain is not a counterexample."""
    ctx = Context(constraints=(x > y + 50,))
    v_ = check_relation(x - y, ">=", 50, ctx)
    assert v_.status is not Status.REFUTED, v_.message


@FAST
@given(seeds)
def test_counterexample_unit_vectors_have_norm_exactly_one(seed):
    d = sp.Symbol("d", integer=True, positive=True)
    r1, r2 = sp.MatrixSymbol("r_1", d, 1), sp.MatrixSymbol("r_2", d, 1)
    ctx = Context(unit_vectors=(r1, r2), sizes={d: 3})
    v_ = check_relation(sqnorm(r1 - r2), "=", 2 - inner(r1, r2), ctx, Options(seed=seed))
    assert v_.status is Status.REFUTED
    for name in ("r_1", "r_2"):
        vec = v_.point[sp.Symbol(name)]
        assert vec.shape == (3, 1)
        assert sum(e**2 for e in vec) == 1  # exactly, not approximately


def test_unit_vector_identity_is_proved():
    d = sp.Symbol("d", integer=True, positive=True)
    r1, r2 = sp.MatrixSymbol("r_1", d, 1), sp.MatrixSymbol("r_2", d, 1)
    ctx = Context(unit_vectors=(r1, r2), sizes={d: 3})
    v_ = check_relation(sqnorm(r1 - r2), "=", 2 - 2 * inner(r1, r2), ctx)
    assert v_.status is Status.PROVED
    assert v_.method == "inner-products"


@FAST
@given(seeds)
def test_counterexample_indices_lie_in_their_ranges_and_respect_ne(seed):
    ctx = Context(
        indices=(IndexRange(i, 2, K, (v,)), IndexRange(j, 2, K, (v,))),
        sizes={K: 6},
        constraints=(sp.Ne(i, j),),
    )
    v_ = check_relation(v[i] * v[j], "=", v[i] ** 2, ctx, Options(seed=seed))
    assert v_.status is Status.REFUTED
    pi, pj = v_.point[i], v_.point[j]
    assert pi.is_Integer and pj.is_Integer
    assert 2 <= pi <= 6 and 2 <= pj <= 6
    assert pi != pj
    assert v_.point[K] == 6


def test_counterexample_names_only_what_the_step_mentions():
    ctx = Context(indices=(IndexRange(i, 1, K, (v,)), IndexRange(j, 1, K, (v,))), constraints=(sp.Ne(i, j),))
    v_ = check_relation(sp.KroneckerDelta(i, j) * v[i], "=", 2 * v[i] + 1, ctx)
    assert v_.status is Status.REFUTED
    # v is a sequence, not a number: only its entries v_1, v_2, ... have values
    assert "v" not in v_.counterexample, v_.counterexample


@FAST
@given(seeds)
def test_counterexample_integer_symbol_is_an_integer_in_range(seed):
    n = sp.Symbol("n", integer=True, nonnegative=True)
    v_ = check_relation((-1) ** n, "=", 1, EMPTY, Options(seed=seed))
    assert v_.status is Status.REFUTED
    at = v_.point[n]
    assert at.is_Integer and at >= 0 and at % 2 == 1


# -- properties ----------------------------------------------------------------------
@FAST
@given(polynomials(), polynomials())
def test_expanded_product_of_polynomials_is_proved(p, q):
    v_ = check_relation(p * q, "=", sp.expand(p * q), EMPTY)
    assert v_.status is Status.PROVED


@FAST
@given(polynomials(), small_rationals.filter(lambda r: r != 0))
def test_shifted_polynomial_is_refuted(p, shift):
    v_ = check_relation(p, "=", p + shift, EMPTY)
    assert v_.status is Status.REFUTED
    assert set(v_.counterexample) <= {"x", "y"}
    at = v_.point
    assert p.xreplace(at) != (p + shift).xreplace(at)


# -- verdict fields --------------------------------------------------------------------
def test_every_verdict_has_a_method_and_seconds():
    for left, rel, right in [(x, "=", x), (x, "=", x + 1), (sp.sqrt(-1 - x**2), "=", 5), (x**2, ">=", 0)]:
        v_ = check_relation(left, rel, right, EMPTY)
        assert v_.method
        assert v_.seconds >= 0
        assert v_.status in set(Status)


def test_refutation_json_has_counterexample_and_values():
    v_ = check_relation(x**2, "=", 2 * x, EMPTY)
    data = v_.to_json()
    assert data["status"] == "refuted"
    assert data["method"] == "numeric-screen"
    assert set(data["counterexample"]) == {"x"}
    assert set(data["values"]) == {"left", "right"}


def test_unevaluable_step_is_not_proved_unless_identical():
    same = check_relation(sp.gamma(x), "=", sp.gamma(x), EMPTY)
    assert same.status is Status.PROVED
    assert any("no numeric screen" in n for n in same.notes)
    other = check_relation(sp.gamma(x), "=", sp.gamma(x) + 1, EMPTY)
    assert other.status is Status.UNKNOWN


def test_shapes_that_differ_are_refuted():
    d = sp.Symbol("d", integer=True, positive=True)
    th = sp.MatrixSymbol("theta", d, 1)
    v_ = check_relation(th, "=", th.T, EMPTY)
    assert v_.status is Status.REFUTED
    assert v_.method == "shape"


# -- equations -----------------------------------------------------------------------
def test_iff_that_loses_a_root_is_refuted_naming_it():
    v_ = check_equations(Eq(x**2, x), "<=>", Eq(x, 1), EMPTY)
    assert v_.status is Status.REFUTED
    assert v_.method == "solution-sets"
    assert "x = 0" in v_.message
    assert v_.counterexample["x"] == "0"


def test_iff_that_gains_a_root_is_refuted_naming_it():
    v_ = check_equations(Eq(x, 1), "<=>", Eq(x**2, x), EMPTY)
    assert v_.status is Status.REFUTED
    assert "x = 0" in v_.message


def test_implication_in_the_right_direction_is_proved():
    v_ = check_equations(Eq(x, 1), "=>", Eq(x**2, x), EMPTY)
    assert v_.status is Status.PROVED


def test_implication_in_the_wrong_direction_is_refuted():
    v_ = check_equations(Eq(x**2, x), "=>", Eq(x, 1), EMPTY)
    assert v_.status is Status.REFUTED
    assert "x = 0" in v_.message


def test_equations_differing_by_a_constant_factor_are_equivalent():
    v_ = check_equations(Eq(2 * x - 4, 0), "<=>", Eq(x, 2), EMPTY)
    assert v_.status is Status.PROVED


def test_equations_differing_by_a_positive_factor_are_equivalent():
    v_ = check_equations(Eq(sp.exp(x) * (x - 2), 0), "<=>", Eq(x, 2), EMPTY)
    assert v_.status is Status.PROVED


def test_square_root_of_an_equation_depends_on_the_sign_assumption():
    wrong = check_equations(Eq(x**2, 4), "<=>", Eq(x, 2), EMPTY)
    assert wrong.status is Status.REFUTED
    assert "x = -2" in wrong.message
    right = check_equations(Eq(xp**2, 4), "<=>", Eq(xp, 2), EMPTY)
    assert right.status is Status.PROVED


def test_dividing_out_a_factor_that_can_vanish_is_refuted():
    v_ = check_equations(Eq(x * (x - 2), 0), "<=>", Eq(x - 2, 0), EMPTY)
    assert v_.status is Status.REFUTED
    assert "x = 0" in v_.message


def test_iff_must_not_gain_a_root_at_a_removable_singularity():
    """(x²−4)/(x−2) = 4 has no solution (x = 2 is outside its domain);
    x = 2 has one, so ⇔ gains a solution and must not be proved."""
    v_ = check_equations(Eq((x**2 - 4) / (x - 2), 4), "<=>", Eq(x, 2), EMPTY)
    assert v_.status is not Status.PROVED, v_.message
    assert v_.status is not Status.NUMERIC


def test_equations_require_equalities():
    with pytest.raises(DerivationError):
        check_equations(x, "<=>", Eq(x, 1), EMPTY)


# -- steps -------------------------------------------------------------------------
def test_step_with_a_rule_compares_the_rule_result():
    v_ = check_step(x**3, Step("=", 3 * x**2, rule=Differentiate(x)), EMPTY)
    assert v_.status is Status.PROVED
    assert v_.method.startswith("rule:differentiate w.r.t. x|")
    assert v_.relation == "="


def test_step_with_a_rule_and_a_wrong_line_is_refuted():
    v_ = check_step(x**2, Step("=", 3 * x, rule=Differentiate(x)), EMPTY)
    assert v_.status is Status.REFUTED
    assert v_.method == "rule:differentiate w.r.t. x|numeric-screen"


def test_step_whose_rule_cannot_apply_is_unknown():
    v_ = check_step(Eq(sp.exp(x), -1), Step("<=>", Eq(x, 0), rule=Solve(x)), EMPTY)
    assert v_.status is Status.UNKNOWN
    assert v_.method == "rule:solve for x"
    assert "cannot be applied" in v_.message


def test_solve_rule_on_an_unnormalised_sum_in_a_step():
    ctx = Context(indices=(IndexRange(i, 1, N, (xs,)),))
    prev = Eq(sp.Sum(xs[i] - mu, (i, 1, N)), 0)
    ok = check_step(prev, Step("<=>", Eq(mu, sp.Sum(xs[j], (j, 1, N)) / N), rule=Solve(mu)), ctx)
    assert ok.status is Status.PROVED
    bad = check_step(prev, Step("<=>", Eq(mu, sp.Sum(xs[j], (j, 1, N)) / (N + 1)), rule=Solve(mu)), ctx)
    assert bad.status is Status.REFUTED


def test_step_between_equations_needs_a_logical_relation():
    with pytest.raises(DerivationError):
        check_step(Eq(x, 1), Step("=", Eq(x, 1)), EMPTY)


def test_step_mixing_an_equation_and_an_expression_raises():
    with pytest.raises(DerivationError):
        check_step(Eq(x, 1), Step("=", x), EMPTY)


def test_step_between_equations_without_a_rule():
    v_ = check_step(Eq(2 * x, 4), Step("<=>", Eq(x, 2)), EMPTY)
    assert v_.status is Status.PROVED
    assert v_.relation == "<=>"


def test_check_derivation_reports_every_step_with_its_line():
    d = Derivation(
        name="tiny",
        title="tiny",
        statement="",
        context=EMPTY,
        lines=(
            Start((x + 1) ** 2),
            Step("=", x**2 + 2 * x + 1),
            Step("=", x**2 + 1),
            Start(sp.sqrt(x**2)),
            Step("=", x),
        ),
    )
    report = check_derivation(d)
    assert [s.line for s in report.steps] == [2, 3, 5]
    assert [s.status for s in report.steps] == [Status.PROVED, Status.REFUTED, Status.REFUTED]
    assert report.counts() == {"proved": 1, "numeric": 0, "refuted": 2, "unknown": 0}
    assert report.ok is False


def test_chain_assumptions_apply_to_that_chain_only():
    ctx = Context(indices=(IndexRange(i, 1, K, (v,)), IndexRange(j, 1, K, (v,))))
    d = Derivation(
        name="cases",
        title="cases",
        statement="",
        context=ctx,
        lines=(
            Start(sp.KroneckerDelta(i, j) * v[i], assume=(sp.Ne(i, j),)),
            Step("=", 0),
            Start(sp.KroneckerDelta(i, j) * v[i]),
            Step("=", 0),
        ),
    )
    report = check_derivation(d)
    assert report.steps[0].status is Status.PROVED
    assert report.steps[1].status is Status.REFUTED
