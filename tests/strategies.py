"""Hypothesis strategies shared by the test modules (one place for all of them).

Imported as ``from strategies import ...``: pytest puts ``tests/`` on
``sys.path`` for modules of a directory without ``__init__.py``.
"""
from __future__ import annotations

import sympy as sp
from hypothesis import settings
from hypothesis import strategies as st

__all__ = [
    "FAST",
    "X",
    "Y",
    "seeds",
    "rationals",
    "small_rationals",
    "polynomials",
    "elementary",
    "intervals",
    "integer_intervals",
    "sum_summands",
]

#: settings for every property test: bounded and without a deadline
FAST = settings(max_examples=25, deadline=None)

X = sp.Symbol("x", real=True)
Y = sp.Symbol("y", real=True)

seeds = st.integers(min_value=0, max_value=2**31 - 1)

rationals = st.builds(sp.Rational, st.integers(-60, 60), st.integers(1, 12))
small_rationals = st.builds(sp.Rational, st.integers(-6, 6), st.integers(1, 4))


@st.composite
def polynomials(draw, symbols=(X, Y), max_terms: int = 4, max_degree: int = 3) -> sp.Expr:
    """A polynomial with small rational coefficients in ``symbols``."""
    n = draw(st.integers(1, max_terms))
    total = sp.S.Zero
    for _ in range(n):
        term = draw(small_rationals.filter(lambda c: c != 0))
        for s in symbols:
            term *= s ** draw(st.integers(0, max_degree))
        total += term
    return total


_UNARY = (
    sp.sin,
    sp.cos,
    sp.atan,
    sp.tanh,
    lambda e: sp.sqrt(1 + e**2),
    lambda e: sp.log(2 + e**2),
    lambda e: sp.exp(sp.sin(e)),
    sp.Abs,
)


def elementary(symbol: sp.Symbol = X):
    """Real-valued elementary expressions of ``symbol``, defined everywhere."""
    leaves = st.one_of(st.just(symbol), small_rationals, st.just(sp.pi))

    def extend(children):
        return st.one_of(
            st.builds(lambda a, b: a + b, children, children),
            st.builds(lambda a, b: a * b, children, children),
            st.builds(lambda a, b: a / (2 + b**2), children, children),
            st.builds(lambda f, a: f(a), st.sampled_from(_UNARY), children),
            st.builds(lambda a, n: a**n, children, st.integers(2, 3)),
        )

    return st.recursive(leaves, extend, max_leaves=6)


@st.composite
def intervals(draw) -> sp.Interval:
    """A nonempty real interval, bounded or not, open or closed at each end."""
    lo = draw(st.one_of(st.just(-sp.oo), rationals))
    hi = draw(st.one_of(st.just(sp.oo), rationals))
    if lo.is_finite and hi.is_finite:
        lo, hi = min(lo, hi), max(lo, hi)
        if lo == hi:
            hi = lo + 1
    return sp.Interval(lo, hi, draw(st.booleans()), draw(st.booleans()))


@st.composite
def integer_intervals(draw) -> sp.Interval:
    """An interval that holds at least one integer."""
    a = draw(st.integers(-10, 10))
    width = draw(st.integers(1, 8))
    lo = draw(st.one_of(st.just(-sp.oo), st.just(sp.Integer(a)), st.just(sp.Integer(a) - sp.Rational(1, 2))))
    hi = draw(st.one_of(st.just(sp.oo), st.just(sp.Integer(a + width)), st.just(sp.Integer(a + width) + sp.Rational(1, 2))))
    left_open = draw(st.booleans()) if lo.is_finite and not lo.is_integer else False
    right_open = draw(st.booleans()) if hi.is_finite and not hi.is_integer else False
    return sp.Interval(lo, hi, left_open, right_open)


@st.composite
def sum_summands(draw, index: sp.Symbol, seq: sp.IndexedBase, constant: sp.Symbol) -> sp.Expr:
    """A summand of a finite sum: a small polynomial in ``seq[index]``,
    ``index`` and an index-free ``constant``."""
    atoms = [seq[index], index, constant]
    n = draw(st.integers(1, 4))
    total = sp.S.Zero
    for _ in range(n):
        term = draw(small_rationals.filter(lambda c: c != 0))
        for a in atoms:
            term *= a ** draw(st.integers(0, 2))
        total += term
    return total
