"""The P5–P8 derivations: their answers, the SGD template's variants, and wrong claims refuted."""
from __future__ import annotations

import pytest
import sympy as sp

from symproof import registry
from symproof.check import Status, check_derivation
from symproof.claims import Induction, Limit, Monotone, Orthogonal
from symproof.errors import DerivationError


def _answers(name: str) -> list[sp.Basic]:
    """The last line of every chain."""
    d = registry.get(name)
    return [chain.steps[-1][1].expr for chain in d.chains() if chain.steps]


def test_product_neuron_gradients_are_15_and_10():
    assert _answers("product_neuron") == [15, 10]


def test_sgd_instance_numbers():
    d = registry.get("sgd_step")
    values = [line.expr for line in d.lines]
    assert 2 in values and 28 in values and 34 in values
    assert "illegible" in d.notes[0] and r"a = (2, 4, -6)" in d.notes[0]
    assert any(s.relation.value == ">" and s.expr == 28 for s in d.steps)  # f(x_1) = 34 > 28 = f(x_0)


def test_sgd_template_variant_is_checked_and_adapts_its_comparison():
    x = sp.Symbol("x")
    # a small step on the sampled term: here the full objective decreases
    d = registry.get("sgd_step", {"f": (x - sp.Symbol("a")) ** 2, "a": (1, 2), "step": sp.Rational(1, 10),
                                  "sample": 1, "start": 3})
    report = check_derivation(d)
    assert all(v.status is Status.PROVED for v in report.steps)
    assert any(s.relation.value == "<" for s in d.steps)
    assert "this variant uses" in d.notes[0]


@pytest.mark.parametrize("params", [{"sample": 4}, {"step": 0}, {"f": sp.Symbol("y") ** 2}, {"a": ()},
                                    {"a": (1, sp.Symbol("b"))}, {"start": sp.Symbol("x")}])
def test_sgd_template_refuses_bad_values(params):
    with pytest.raises(DerivationError):
        registry.get("sgd_step", params)


def test_label_smoothing_has_the_plot_with_both_limits():
    d = registry.get("label_smoothing")
    (fig,) = d.figures
    assert (fig.lower, fig.upper) == (-8, 8)
    assert {m[0] for m in fig.marks} == {sp.log(10), sp.log(sp.Rational(10, 9))}


def test_wrong_label_smoothing_claims_are_refuted():
    d = registry.get("label_smoothing")
    loss = d.claims[0].expr
    z = sp.Symbol("z", real=True)
    for claim in (Limit(loss, z, -sp.oo, sp.log(9)), Limit(loss, z, sp.oo, 0),
                  Monotone(loss, z, sp.Interval(-sp.oo, sp.oo), "increasing")):
        assert claim.check(d.context).status is Status.REFUTED, claim.describe()


def test_wrong_closed_forms_of_the_line_search_are_refuted():
    from derivations import exact_line_search as m

    b, k, x, y, q = m.b, m.k, m.x, m.y, m.q
    step = (x - m.STEP * x, y - m.STEP * b * y)
    for closed in ((m.X_K, q**k), (b * (-q) ** k, m.Y_K), (b * q ** (k + 1), m.Y_K)):
        v = Induction((x, y), (b, 1), step, closed, k).check(m.CONTEXT)
        assert v.status is Status.REFUTED, closed
    v = Orthogonal((m.X_K, m.Y_K), (m.X_NEXT, m.Y_NEXT)).check(m.CONTEXT)  # forgot the factor b of ∇f
    assert v.status is Status.REFUTED
