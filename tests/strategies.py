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


# -- LaTeX-like text for fuzzing the grader -------------------------------------------------
from functools import lru_cache  # noqa: E402

__all__ += ["LATEX_TOKENS", "latex_like", "latex_lines", "latex_submissions"]

#: the pieces student LaTeX is made of, valid or not, with some junk
LATEX_TOKENS: tuple[str, ...] = (
    # names and numbers
    "x", "y", "a", "b", "n", "i", "e", "f", "X", "\\alpha", "\\theta", "\\lambda", "\\pi", "\\sigma", "\\mu",
    "0", "1", "2", "3", "7", "10", "42", "0.5", "1.5e3", "\\infty",
    # operators and relations
    "+", "-", "\\cdot", "\\times", "/", "=", "<", ">", "\\le", "\\ge", "\\ne", "^", "_", "!", "'", ",", "|", "&",
    "\\\\", "\\iff", "\\implies",
    # commands
    "\\frac", "\\sqrt", "\\sum", "\\prod", "\\sin", "\\cos", "\\tan", "\\log", "\\ln", "\\exp", "\\max", "\\min",
    "\\left(", "\\right)", "\\left|", "\\right|", "\\left[", "\\right]", "\\int", "\\lim", "\\partial", "\\nabla",
    "\\operatorname{f}", "\\mathbf{x}", "\\hat", "\\bar", "\\text{by}", "\\quad", "\\,", "\\det", "\\binom",
    "\\begin{bmatrix}", "\\end{bmatrix}", "\\mathrm{d}", "\\top", "\\|", "\\langle", "\\rangle", "\\dots",
    "\\frac{d}{dx}", "\\sum_{i=1}^{n}", "\\foo",
    # brackets and space
    "{", "}", "(", ")", "[", "]", " ", "  ",
    # unicode and control junk
    "α", "∑", "√", "≤", "·", "−", "é", "😀", "\u200b", "\u202e", "\u200f", "\x00", "\t", "\x7f", "\ufeff",
)

_LEAVES = st.sampled_from(("x", "y", "a", "b", "n", "2", "3", "10", "\\theta", "\\pi", "e", "x_i", "f(x)"))


@lru_cache(maxsize=None)  # one strategy object per size: building st.recursive per draw is slow
def latex_like(max_tokens: int = 24):
    """A formula-ish string: nested well-formed pieces (\\frac, \\sqrt, powers,
    sums, brackets, functions) mixed with free tokens that may break it."""
    def extend(inner):
        return st.one_of(
            st.builds(lambda a, b: f"\\frac{{{a}}}{{{b}}}", inner, inner),
            st.builds(lambda a: f"\\sqrt{{{a}}}", inner),
            st.builds(lambda a, b: f"{a}^{{{b}}}", inner, _LEAVES),
            st.builds(lambda a, b: f"{a}_{{{b}}}", inner, _LEAVES),
            st.builds(lambda a: f"\\left( {a} \\right)", inner),
            st.builds(lambda a: f"({a})", inner),
            st.builds(lambda a: f"\\sum_{{i=1}}^{{n}} {a}", inner),
            st.builds(lambda f, a: f"{f}({a})", st.sampled_from(("\\sin", "\\cos", "\\log", "\\exp", "\\ln")), inner),
            st.builds(lambda a, op, b: f"{a} {op} {b}", inner, st.sampled_from(("+", "-", "\\cdot", "", "/")), inner),
        )

    structured = st.recursive(_LEAVES, extend, max_leaves=6)
    piece = st.one_of(structured, st.sampled_from(LATEX_TOKENS))
    return st.lists(piece, min_size=1, max_size=max_tokens).map(" ".join)


@st.composite
def latex_lines(draw, max_lines: int = 5) -> list[str]:
    """Lines of a submission: a first line, then lines mostly starting with a relation."""
    first = draw(latex_like(12))
    rest = draw(st.lists(st.tuples(_LEADS, latex_like(12)).map("".join), max_size=max_lines - 1))
    return [first, *rest]


_LEADS = st.sampled_from(("= ", "\\le ", "< ", "\\ge ", "\\iff ", "\\implies ", "&= ", "", "= "))


_DECLARATIONS = (
    "% symproof: assume x > 0", "% symproof: function f(x) = x^2", "% symproof: index i from 1 to n: x",
    "% symproof: matrix A: 2 \\times 2", "% symproof: vector w: d", "% symproof: assume 0 < a \\le 1",
    "% symproof: function \\sigma(z) = \\frac{1}{1+e^{-z}}", "% a comment", "% symproof: nonsense {",
)


@st.composite
def latex_submissions(draw) -> str:
    """A whole submission: declarations, chains separated by blank lines, stray junk lines."""
    blocks = []
    for _ in range(draw(st.integers(1, 3))):
        kind = draw(st.sampled_from(("chain", "chain", "chain", "declaration", "junk", "blank")))
        if kind == "chain":
            blocks.append("\n".join(draw(latex_lines())))
        elif kind == "declaration":
            blocks.append(draw(st.sampled_from(_DECLARATIONS)))
        elif kind == "junk":
            blocks.append(draw(st.text(max_size=40)))
        else:
            blocks.append(draw(st.sampled_from(("", " ", "\t", "\n\n"))))
    return draw(st.sampled_from(("\n\n", "\n", "\r\n"))).join(blocks)
