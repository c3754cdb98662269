"""symproof.model.context (and the vector helpers of symproof.model.linalg)."""
from __future__ import annotations

import pytest
import sympy as sp

from symproof.errors import DerivationError
from symproof.model import Context, IndexRange, Inner, Norm, inner, norm, sqnorm

x, y = sp.symbols("x y", real=True)
b = sp.Symbol("b", real=True)
i, j = sp.symbols("i j", integer=True)
N = sp.Symbol("N", integer=True, positive=True)
xs = sp.IndexedBase("x", real=True)


# -- IndexRange ------------------------------------------------------------------
def test_index_range_sympifies_bounds_and_keeps_sequences():
    r = IndexRange(i, 1, N, [xs])
    assert r.lower == sp.Integer(1) and isinstance(r.lower, sp.Integer)
    assert r.upper == N
    assert r.sequences == (xs,)


def test_index_must_be_an_integer_symbol():
    with pytest.raises(DerivationError, match="integer=True"):
        IndexRange(sp.Symbol("i"), 1, N)


def test_index_range_never_parses_strings():
    with pytest.raises(sp.SympifyError):
        IndexRange(i, "1", N)


# -- construction ----------------------------------------------------------------
def test_constraint_must_be_a_relation():
    with pytest.raises(DerivationError, match="not a relation"):
        Context(constraints=(x + 1,))


def test_constraint_decided_true_is_dropped_and_false_raises():
    assert Context(constraints=(sp.Integer(1) < 2, x > 0)).constraints == (x > 0,)
    with pytest.raises(DerivationError, match="empty"):
        Context(constraints=(sp.Integer(2) < 1,))


def test_definitions_and_sizes_accept_mappings():
    ctx = Context(definitions={x: y + 1}, sizes={N: 5})
    assert ctx.definitions == ((x, y + 1),)
    assert ctx.sizes == ((N, 5),)
    assert ctx.size_value(N) == 5
    assert ctx.size_value(sp.Symbol("K", integer=True, positive=True)) == 3


def test_context_is_hashable_and_immutable():
    ctx = Context(constraints=(x > 0,), sizes={N: 4})
    assert hash(ctx) == hash(Context(constraints=(x > 0,), sizes={N: 4}))
    with pytest.raises(AttributeError):
        ctx.constraints = ()  # type: ignore[misc]


def test_with_constraints_adds_and_leaves_the_original_alone():
    base = Context(constraints=(x > 0,))
    more = base.with_constraints(sp.Ne(i, j))
    assert more.constraints == (x > 0, sp.Ne(i, j))
    assert base.constraints == (x > 0,)
    assert base.with_constraints() is base


def test_flat_constraints_split_conjunctions():
    ctx = Context(constraints=(sp.And(b > 0, b <= 1), x < y))
    assert set(ctx.flat_constraints()) == {b > 0, b <= 1, x < y}
    assert ctx.multi_constraints() == (x < y,)


def test_index_ranges_are_looked_up_by_index():
    ctx = Context(indices=(IndexRange(i, 1, N, (xs,)),))
    assert ctx.range_of(i) == (1, N)
    assert ctx.index_range(i).sequences == (xs,)
    assert ctx.range_of(j) is None
    assert ctx.index_range(j) is None


def test_distinct_reads_ne_constraints_in_either_order():
    ctx = Context(constraints=(sp.Ne(i, j),))
    assert ctx.distinct(i, j) and ctx.distinct(j, i)
    assert not ctx.distinct(i, N)
    assert not Context().distinct(i, j)


# -- intervals -------------------------------------------------------------------
@pytest.mark.parametrize(
    "sym, expected",
    [
        (sp.Symbol("p", positive=True), sp.Interval.open(0, sp.oo)),
        (sp.Symbol("p", nonnegative=True), sp.Interval(0, sp.oo)),
        (sp.Symbol("p", negative=True), sp.Interval.open(-sp.oo, 0)),
        (sp.Symbol("p", nonpositive=True), sp.Interval(-sp.oo, 0)),
        (sp.Symbol("p", real=True), sp.Interval(-sp.oo, sp.oo)),
    ],
)
def test_interval_from_assumptions(sym, expected):
    assert Context().interval(sym) == expected


def test_interval_from_constraints():
    ctx = Context(constraints=(b > 0, b <= 1))
    assert ctx.interval(b) == sp.Interval.Lopen(0, 1)
    ctx = Context(constraints=(-1 <= b, b < 3))
    assert ctx.interval(b) == sp.Interval.Ropen(-1, 3)


def test_interval_combines_assumption_and_constraint():
    p = sp.Symbol("p", positive=True)
    assert Context(constraints=(p <= 2,)).interval(p) == sp.Interval.Lopen(0, 2)


def test_interval_ignores_other_symbols_and_ne():
    ctx = Context(constraints=(x < y, sp.Ne(b, 0), b >= 2))
    assert ctx.interval(b) == sp.Interval(2, sp.oo)
    assert ctx.interval(x) == sp.Interval(-sp.oo, sp.oo)


def test_interval_from_a_nonlinear_single_symbol_constraint():
    assert Context(constraints=(b**2 < 1,)).interval(b) == sp.Interval.open(-1, 1)


def test_constraints_that_are_not_an_interval_raise():
    with pytest.raises(DerivationError, match="interval"):
        Context(constraints=(b**2 > 1,)).interval(b)


# -- definitions -----------------------------------------------------------------
def test_unfold_symbols_functions_and_sequences():
    sigma = sp.Function("sigma")
    z = sp.Symbol("z", real=True)
    o = sp.IndexedBase("o", real=True)
    S = sp.Symbol("S", positive=True)
    ctx = Context(
        definitions={
            sigma: sp.Lambda(z, 1 / (1 + sp.exp(-z))),
            o: sp.Lambda(i, sp.exp(xs[i]) / S),
            S: sp.exp(xs[1]) + sp.exp(xs[2]),
        }
    )
    assert ctx.unfold(sigma(2 * x)) == 1 / (1 + sp.exp(-2 * x))
    assert ctx.unfold(o[j]) == sp.exp(xs[j]) / (sp.exp(xs[1]) + sp.exp(xs[2]))


def test_unfold_follows_chained_definitions():
    a, c = sp.symbols("a c", real=True)
    ctx = Context(definitions={a: c + 1, c: 2 * x})
    assert ctx.unfold(a**2) == (2 * x + 1) ** 2


def test_unfold_without_definitions_returns_the_same_object():
    e = x + 1
    assert Context().unfold(e) is e


def test_cyclic_definitions_raise():
    a, c = sp.symbols("a c", real=True)
    ctx = Context(definitions={a: c + 1, c: a + 1})
    with pytest.raises(DerivationError, match="cycle"):
        ctx.unfold(a)


# -- linalg ----------------------------------------------------------------------
def test_inner_and_norm_are_real_scalars():
    d = sp.Symbol("d", integer=True, positive=True)
    r, s = sp.MatrixSymbol("r", d, 1), sp.MatrixSymbol("s", d, 1)
    e = 2 - 2 * inner(r, s)
    assert isinstance(inner(r, s), Inner) and inner(r, s).is_real
    assert isinstance(norm(r), Norm) and norm(r).is_nonnegative
    assert sqnorm(r) == Norm(r) ** 2
    assert e.is_real


def test_inner_and_norm_evaluate_on_concrete_vectors():
    u = sp.ImmutableMatrix([1, 2, 2])
    w = sp.ImmutableMatrix([3, 0, -1])
    assert Inner(u, w).doit() == 1
    assert Norm(u).doit() == 3


def test_inner_and_norm_print_as_latex():
    d = sp.Symbol("d", integer=True, positive=True)
    r, s = sp.MatrixSymbol("r", d, 1), sp.MatrixSymbol("s", d, 1)
    text = sp.latex(inner(r, s))
    assert r"^\top" in text and text.index("r") < text.index(r"\top") < text.rindex("s")
    assert sp.latex(norm(r)) == r"\left\|r\right\|"
