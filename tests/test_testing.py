"""symproof.testing: assert_derivation and assert_step."""
from __future__ import annotations

import doctest

import pytest
import sympy as sp

import symproof.testing
from symproof import Context, Derivation, Start, Status, Step, check_derivation, registry
from symproof.claims import ArgMax, Monotone
from symproof.testing import assert_derivation, assert_step

x = sp.Symbol("x", real=True)


def _derivation(*lines, claims=(), name="tiny") -> Derivation:
    return Derivation(name, "a tiny derivation", "", Context(), lines, claims=claims)


# functions, not module-level Derivations: `pytest --symproof` would collect those as items
def _wrong() -> Derivation:
    return _derivation(Start(x + x), Step("=", 2 * x), Start(x**2), Step("=", 2 * x), name="wrong")


def _numeric() -> Derivation:
    """sympy proves no sign for x**2 - x + 1 > 0: the step is only `numeric`."""
    return _derivation(Start(x**2 - x + 1), Step(">", sp.S.Zero), name="numeric")

MONOTONE = Monotone(x + sp.sin(x) / 2, x, sp.Interval(0, 1), "increasing")  # checked `numeric`


def test_wrong_step_names_line_relation_expression_and_counterexample():
    verdict = check_derivation(_wrong()).steps[1]
    assert verdict.status is Status.REFUTED  # the premise of this test
    with pytest.raises(AssertionError) as info:
        assert_derivation(_wrong())
    text = str(info.value)
    assert "'wrong'" in text
    assert "line 4: = 2*x" in text
    assert "line 2" not in text  # the proved step is not reported
    assert "status: refuted (method: numeric-screen)" in text
    (name, value), = verdict.counterexample.items()
    assert f"counterexample: {name} = {value}" in text
    assert f"left = {verdict.values[0]}, right = {verdict.values[1]}" in text
    assert "1 of 2 steps and claims" in text


def test_registered_derivation_passes():
    report = assert_derivation(registry.get("exponential_rate_mle"))
    assert report.ok and report.counts()["proved"] == len(report.verdicts) > 0


def test_numeric_step_fails_unless_allowed_with_a_reason():
    with pytest.raises(AssertionError, match=r"(?s)line 2: > 0.*status: numeric.*allow_numeric="):
        assert_derivation(_numeric())
    report = assert_derivation(_numeric(), allow_numeric={2: "sympy proves no sign of a quadratic"})
    assert report.steps[0].status is Status.NUMERIC


@pytest.mark.parametrize("reason", ["", "   ", None])
def test_empty_reason_is_rejected(reason):
    with pytest.raises(ValueError, match="non-empty reason"):
        assert_derivation(_numeric(), allow_numeric={2: reason})


@pytest.mark.parametrize("position", [1, 3])  # 1 is the Start, 3 does not exist
def test_allowance_for_a_position_that_is_not_a_step_is_rejected(position):
    with pytest.raises(ValueError, match="not a step position"):
        assert_derivation(_numeric(), allow_numeric={position: "stale"})


def test_claims_must_be_proved():
    wrong = _derivation(Start(x + x), Step("=", 2 * x), claims=(ArgMax(-(x**2), x, sp.S.One),))
    with pytest.raises(AssertionError, match=r"(?s)claim: argmax over x is x = 1\n  status: refuted"):
        assert_derivation(wrong)


def test_numeric_claim_allowed_by_description():
    d = _derivation(Start(x + x), Step("=", 2 * x), claims=(MONOTONE,))
    with pytest.raises(AssertionError, match=r"(?s)claim: .* is increasing .*status: numeric"):
        assert_derivation(d)
    with pytest.raises(ValueError, match="non-empty reason"):
        assert_derivation(d, allow_numeric_claims={MONOTONE.describe(): ""})
    with pytest.raises(ValueError, match="not a claim"):
        assert_derivation(d, allow_numeric_claims={"no such claim": "stale"})
    report = assert_derivation(d, allow_numeric_claims={MONOTONE.describe(): "sign of 1 + cos(x)/2 not proved"})
    assert report.claims[0].status is Status.NUMERIC


def test_assert_step():
    assert assert_step(x + x, Step("=", 2 * x), Context()).status is Status.PROVED
    refuted = assert_step(x**2, Step("=", 2 * x), Context(), expect=Status.REFUTED)
    assert refuted.counterexample and set(refuted.counterexample) == {"x"}
    with pytest.raises(AssertionError, match=r"(?s)expected proved, got refuted; previous line: x\*\*2\nstep: = 2\*x"):
        assert_step(x**2, Step("=", 2 * x), Context())
    with pytest.raises(ValueError):
        assert_step(x + x, Step("=", 2 * x), Context(), expect="true")


def test_doctests():
    result = doctest.testmod(symproof.testing)
    assert result.attempted >= 3 and result.failed == 0
