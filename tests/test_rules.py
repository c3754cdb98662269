"""symproof.rules: machine-checked justifications applied to the previous line."""
from __future__ import annotations

import pytest
import sympy as sp

from symproof.errors import RuleError
from symproof.model import Context, IndexRange, Rule
from symproof.rules import Differentiate, Expand, SetToZero, Simplify, Solve, Substitute, TakeExp, TakeLog

x, y = sp.symbols("x y", real=True)
i, j = sp.symbols("i j", integer=True)
N = sp.Symbol("N", integer=True, positive=True)
xs = sp.IndexedBase("x", real=True)
mu = sp.Symbol("mu", real=True)
EMPTY = Context()


def Eq(a, b):
    return sp.Eq(a, b, evaluate=False)


@pytest.mark.parametrize("rule", [Differentiate(x), Substitute({x: 1}), Solve(x), SetToZero(), TakeLog(), TakeExp(),
                                  Expand(), Simplify()])
def test_every_rule_satisfies_the_protocol(rule):
    assert isinstance(rule, Rule)
    assert isinstance(rule.describe(), str) and rule.describe()


# -- Differentiate -------------------------------------------------------------------
def test_differentiate_once_and_twice():
    assert Differentiate(x).apply(x**3, EMPTY) == 3 * x**2
    assert Differentiate(x, 2).apply(x**3, EMPTY) == 6 * x
    assert Differentiate(x).describe() == "differentiate w.r.t. x"
    assert Differentiate(x, 2).describe() == "differentiate w.r.t. x (2 times)"


def test_differentiate_both_sides_of_an_equation():
    out = Differentiate(x).apply(Eq(x**2, y * x), EMPTY)
    assert isinstance(out, sp.Equality)
    assert (out.lhs, out.rhs) == (2 * x, y)


def test_differentiate_unfolds_definitions_first():
    sigma = sp.Function("sigma")
    z = sp.Symbol("z", real=True)
    ctx = Context(definitions={sigma: sp.Lambda(z, 1 / (1 + sp.exp(-z)))})
    out = Differentiate(x).apply(sigma(x), ctx)
    assert not out.has(sigma)
    s = 1 / (1 + sp.exp(-x))
    assert sp.simplify(out - s * (1 - s)) == 0


def test_differentiate_an_indexed_entry_gives_a_kronecker_delta():
    K = sp.Symbol("K", integer=True, positive=True)
    k = sp.Symbol("k", integer=True)
    v = sp.IndexedBase("v", real=True)
    out = Differentiate(v[j]).apply(sp.Sum(sp.exp(v[k]), (k, 1, K)), EMPTY)
    assert out.has(sp.KroneckerDelta)


def test_differentiate_with_respect_to_a_matrix_symbol():
    d = sp.Symbol("d", integer=True, positive=True)
    th = sp.MatrixSymbol("theta", d, 1)
    assert Differentiate(th).apply(th.T * th, EMPTY) == 2 * th


# -- Substitute ---------------------------------------------------------------------
def test_substitute_values_and_describe():
    rule = Substitute({x: 2})
    assert rule.apply(x**2 + y, EMPTY) == 4 + y
    assert rule.describe() == "substitute x = 2"
    assert Substitute(((x, y),)).apply(x + 1, EMPTY) == y + 1


def test_substitute_an_index_resolves_the_delta():
    assert Substitute({j: i}).apply(sp.KroneckerDelta(i, j) * xs[j], EMPTY) == xs[i]


# -- Solve --------------------------------------------------------------------------
def test_solve_a_linear_equation():
    out = Solve(x).apply(Eq(2 * x + 4, 0), EMPTY)
    assert out == sp.Eq(x, -2, evaluate=False)
    assert Solve(x).describe() == "solve for x"


def test_solve_with_a_name_for_the_result():
    mu_hat = sp.Symbol("mu_hat", real=True)
    out = Solve(mu, name=mu_hat).apply(Eq(3 * mu - 6, 0), EMPTY)
    assert out.lhs == mu_hat and out.rhs == 2


def test_sympy_solve_gives_no_solution_on_an_unnormalised_sum():
    """The trap itself: the rule must not rely on this."""
    assert sp.solve(sp.Sum(xs[i] - mu, (i, 1, N)), mu) == []


def test_solve_normalises_a_sum_first():
    ctx = Context(indices=(IndexRange(i, 1, N, (xs,)),))
    out = Solve(mu).apply(Eq(sp.Sum(xs[i] - mu, (i, 1, N)), 0), ctx)
    assert isinstance(out, sp.Equality) and out.lhs == mu
    k = sp.Symbol("k", integer=True)
    expected = sp.Sum(xs[k], (k, 1, N)) / N
    # same value at a concrete N
    concrete = {N: 4}
    vals = {xs[n]: sp.Rational(n * n, 3) for n in range(1, 5)}
    got = out.rhs.xreplace(concrete).doit().xreplace(vals)
    want = expected.xreplace(concrete).doit().xreplace(vals)
    assert got == want == sp.Rational(30, 12)


def test_sympy_gives_an_empty_solution_for_exp_equal_minus_one():
    assert sp.solve(sp.exp(x) + 1, x) == []


def test_empty_solution_set_raises_rule_error():
    with pytest.raises(RuleError, match="no solution"):
        Solve(x).apply(Eq(sp.exp(x), -1), EMPTY)


def test_several_solutions_raise_rule_error():
    with pytest.raises(RuleError, match="several solutions"):
        Solve(x).apply(Eq(x**2, 4), EMPTY)


def test_solve_needs_an_equation():
    with pytest.raises(RuleError, match="needs an equation"):
        Solve(x).apply(x**2 - 4, EMPTY)


def test_solve_of_an_equation_that_sympy_evaluates_to_false_raises():
    # Eq(exp(x), -1) with evaluation is sympy's False, not an equation
    with pytest.raises(RuleError):
        Solve(x).apply(sp.Eq(sp.exp(x), -1), EMPTY)


# -- SetToZero, TakeLog, TakeExp -------------------------------------------------------
def test_set_to_zero_with_and_without_a_point():
    out = SetToZero().apply(2 * x - 4, EMPTY)
    assert isinstance(out, sp.Equality) and (out.lhs, out.rhs) == (2 * x - 4, 0)
    mu_hat = sp.Symbol("mu_hat", real=True)
    out = SetToZero({mu: mu_hat}).apply(3 * mu - 6, EMPTY)
    assert (out.lhs, out.rhs) == (3 * mu_hat - 6, 0)


def test_set_to_zero_needs_an_expression():
    with pytest.raises(RuleError):
        SetToZero().apply(Eq(x, 1), EMPTY)


def test_take_log_and_exp():
    yp = sp.Symbol("y", positive=True)
    out = TakeLog().apply(Eq(yp, 2), EMPTY)
    assert (out.lhs, out.rhs) == (sp.log(yp), sp.log(2))
    assert TakeLog().apply(yp, EMPTY) == sp.log(yp)
    assert TakeExp().apply(sp.log(yp), EMPTY) == yp
    out = TakeExp().apply(Eq(x, 0), EMPTY)
    assert (out.lhs, out.rhs) == (sp.exp(x), 1)


# -- Expand, Simplify -----------------------------------------------------------------
def test_expand_and_simplify():
    assert Expand().apply((x + 1) ** 2, EMPTY) == x**2 + 2 * x + 1
    out = Expand().apply(Eq((x + 1) ** 2, 0), EMPTY)
    assert out.lhs == x**2 + 2 * x + 1
    assert Simplify().apply(sp.sin(x) ** 2 + sp.cos(x) ** 2, EMPTY) == 1
