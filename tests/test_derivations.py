"""Every step and claim of every registered derivation is `proved`.

Allowances: a step that can only reach `numeric` is listed here by name
with the reason. There are none today; an entry must say why.
"""
from __future__ import annotations

import pytest

from symproof import registry
from symproof.check import Status, check_step
from symproof.check.engine import step_pairs

ALLOW_NUMERIC: dict[tuple[str, int], str] = {}


def _steps():
    for name in registry.names():
        for pos, ctx, previous, step in step_pairs(registry.get(name)):
            yield pytest.param(name, pos, id=f"{name}-line{pos}")


def _claims():
    for name in registry.names():
        for k, claim in enumerate(registry.get(name).claims):
            yield pytest.param(name, k, id=f"{name}-claim{k}")


@pytest.mark.parametrize("name,pos", list(_steps()))
def test_step_is_proved(name, pos):
    d = registry.get(name)
    ((ctx, previous, step),) = [(c, p, s) for q, c, p, s in step_pairs(d) if q == pos]
    v = check_step(previous, step, ctx)
    expected = {Status.PROVED, Status.NUMERIC} if (name, pos) in ALLOW_NUMERIC else {Status.PROVED}
    assert v.status in expected, f"line {pos} ({step.why}): {v.status.value} by {v.method}: {v.message} {v.notes}"
    assert not v.notes or all("holds where both sides are real" not in n for n in v.notes), v.notes


@pytest.mark.parametrize("name,k", list(_claims()))
def test_claim_is_proved(name, k):
    d = registry.get(name)
    claim = d.claims[k]
    v = claim.check(d.context)
    assert v.status is Status.PROVED, f"{claim.describe()}: {v.status.value} by {v.method}: {v.message} {v.notes}"


def test_allowances_name_real_steps_with_reasons():
    for (name, pos), reason in ALLOW_NUMERIC.items():
        assert reason.strip(), (name, pos)
        assert any(q == pos for q, *_ in step_pairs(registry.get(name)))


def test_every_derivation_is_a_worked_solution():
    """5–12 steps, a justification on every line, at least one chain."""
    for d in registry.all_derivations():
        assert 5 <= len(d.steps) <= 12, (d.name, len(d.steps))
        assert all(line.why.strip() for line in d.lines), d.name
        assert d.title and d.statement


def test_registry_discovers_the_five_core_derivations():
    assert {"gaussian_mean_mle", "exponential_rate_mle", "hessian_quadratic_forms", "softmax_jacobian",
            "distance_dot_product"} <= set(registry.names())
