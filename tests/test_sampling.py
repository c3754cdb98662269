"""symproof.check.sampling: exact points of the assumed domain."""
from __future__ import annotations

import random

import pytest
import sympy as sp
from hypothesis import given
from hypothesis import strategies as st

from strategies import FAST, integer_intervals, intervals, seeds
from symproof.check.sampling import Domain, _rational_in, _unit_vector, index_symbols, size_symbols
from symproof.model import Context, IndexRange

x, y = sp.symbols("x y", real=True)
i, j, k = sp.symbols("i j k", integer=True)
N = sp.Symbol("N", integer=True, positive=True)
K = sp.Symbol("K", integer=True, positive=True)
d = sp.Symbol("d", integer=True, positive=True)
xs = sp.IndexedBase("x", real=True)


# -- sizes and indices ---------------------------------------------------------------
def test_size_symbols_from_sum_bounds_with_default_three():
    assert size_symbols([sp.Sum(xs[i], (i, 1, N))], Context()) == {N: 3}


def test_size_symbols_use_declared_sizes():
    ctx = Context(sizes={N: 7})
    assert size_symbols([sp.Sum(xs[i], (i, 1, N)) + x], ctx) == {N: 7}


def test_size_symbols_from_matrix_shapes():
    X = sp.MatrixSymbol("X", N, d)
    assert size_symbols([X.T * X], Context(sizes={d: 2})) == {N: 3, d: 2}


def test_size_symbols_from_index_ranges_but_not_the_indices():
    ctx = Context(indices=(IndexRange(i, 1, K), IndexRange(j, 1, i)))
    assert size_symbols([xs[i] + x], ctx) == {K: 3}


def test_size_symbols_only_where_an_index_or_sequence_appears():
    """A counterexample to x² = 2x does not name the unrelated size K."""
    ctx = Context(indices=(IndexRange(i, 1, K, (xs,)),))
    assert size_symbols([x], ctx) == {}
    assert size_symbols([xs[1] + x], ctx) == {K: 3}


def test_index_symbols_are_the_declared_ones_that_occur():
    ctx = Context(indices=(IndexRange(i, 1, K), IndexRange(j, 1, K)))
    assert index_symbols([xs[i] + x], ctx) == [i]
    assert index_symbols([xs[i] * xs[j]], ctx) == [i, j]
    assert index_symbols([xs[k]], ctx) == []


# -- scalars ---------------------------------------------------------------------------
@FAST
@given(intervals(), seeds)
def test_rational_points_lie_in_the_interval(iv, seed):
    rng = random.Random(seed)
    for _ in range(5):
        r = _rational_in(rng, iv, integer=False)
        assert r.is_Rational
        assert iv.contains(r) is sp.true, (iv, r)


@FAST
@given(integer_intervals(), seeds)
def test_integer_points_lie_in_the_interval(iv, seed):
    rng = random.Random(seed)
    for _ in range(5):
        r = _rational_in(rng, iv, integer=True)
        assert r.is_Integer
        assert iv.contains(r) is sp.true, (iv, r)


def test_closed_endpoints_are_sometimes_drawn():
    rng = random.Random(1)
    draws = {_rational_in(rng, sp.Interval(-1, 1), integer=False) for _ in range(400)}
    assert sp.Integer(-1) in draws and sp.Integer(1) in draws
    rng = random.Random(1)
    draws = {_rational_in(rng, sp.Interval.open(-1, 1), integer=False) for _ in range(400)}
    assert sp.Integer(-1) not in draws and sp.Integer(1) not in draws


def test_both_signs_are_drawn_on_the_real_line():
    rng = random.Random(3)
    draws = [_rational_in(rng, sp.Interval(-sp.oo, sp.oo), integer=False) for _ in range(100)]
    assert any(r < 0 for r in draws) and any(r > 0 for r in draws)


@FAST
@given(seeds)
def test_domain_scalars_respect_assumptions_and_constraints(seed):
    b = sp.Symbol("b", real=True)
    p = sp.Symbol("p", positive=True)
    n = sp.Symbol("n", integer=True, nonnegative=True)
    ctx = Context(constraints=(b > 0, b <= 1, p < 2))
    dom = Domain(ctx, seed=seed)
    for _ in range(10):
        assert 0 < dom.scalar(b) <= 1
        assert 0 < dom.scalar(p) < 2
        m = dom.scalar(n)
        assert m.is_Integer and m >= 0


def test_indexed_entries_follow_their_base_assumptions():
    xp = sp.IndexedBase("x", positive=True)
    dom = Domain(Context(), seed=5)
    for n in range(1, 20):
        assert dom.scalar(xp[n]) > 0


def test_same_seed_same_points():
    a = Domain(Context(), seed=42)
    b = Domain(Context(), seed=42)
    assert [a.scalar(x) for _ in range(10)] == [b.scalar(x) for _ in range(10)]
    c = Domain(Context(), seed=43)
    assert [a.scalar(x) for _ in range(10)] != [c.scalar(x) for _ in range(10)]


def test_index_in_range():
    dom = Domain(Context(), seed=0)
    draws = {dom.index(2, 5) for _ in range(200)}
    assert draws == {2, 3, 4, 5}


# -- matrices ----------------------------------------------------------------------------
@FAST
@given(st.integers(1, 6), seeds)
def test_unit_vectors_have_norm_exactly_one(m, seed):
    vec = _unit_vector(random.Random(seed), m)
    assert len(vec) == m
    assert all(e.is_Rational for e in vec)
    assert sum(e**2 for e in vec) == 1


def test_domain_matrix_shapes_and_units():
    dom = Domain(Context(), seed=2)
    m = dom.matrix(3, 2, unit=False)
    assert m.shape == (3, 2) and all(e.is_Rational for e in m)
    u = dom.matrix(4, 1, unit=True)
    assert u.shape == (4, 1)
    assert sum(e**2 for e in u) == 1


# -- multi-symbol constraints -------------------------------------------------------------
def test_satisfies_checks_multi_symbol_constraints_exactly():
    dom = Domain(Context(constraints=(x < y, sp.Ne(i, j))), seed=0)
    assert dom.satisfies({x: sp.Integer(1), y: sp.Integer(2), i: sp.Integer(1), j: sp.Integer(2)})
    assert not dom.satisfies({x: sp.Integer(2), y: sp.Integer(1), i: sp.Integer(1), j: sp.Integer(2)})
    assert not dom.satisfies({x: sp.Integer(1), y: sp.Integer(2), i: sp.Integer(2), j: sp.Integer(2)})


def test_satisfies_skips_constraints_on_symbols_not_in_the_point():
    dom = Domain(Context(constraints=(x < y,)), seed=0)
    assert dom.satisfies({x: sp.Integer(5)})


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_single_symbol_constraints_never_need_rejection(seed):
    dom = Domain(Context(constraints=(x >= 3, x < 4)), seed=seed)
    assert all(3 <= dom.scalar(x) < 4 for _ in range(50))
