"""Points of the assumed domain, with exact (rational) coordinates.

Symbolic sizes (N, K, d) become small concrete sizes, declared indices
become integers in their range, matrix symbols become rational matrices
(unit vectors: rational points of the unit sphere), scalars rationals in the
interval their assumptions and constraints allow.
"""
from __future__ import annotations

import random
from dataclasses import dataclass, field

import sympy as sp

from symproof.model.context import Context

__all__ = ["Domain", "size_symbols", "index_symbols"]


def size_symbols(exprs: list[sp.Basic], ctx: Context) -> dict[sp.Symbol, int]:
    """Symbols used as sizes: sum bounds, matrix shapes, index-range bounds."""
    found: set[sp.Symbol] = set()
    for e in exprs:
        for node in sp.preorder_traversal(e):
            if isinstance(node, (sp.Sum, sp.Product)):
                for _, lo, hi in node.limits:
                    found |= sp.sympify(lo).free_symbols | sp.sympify(hi).free_symbols
            elif isinstance(node, sp.MatrixExpr):
                for dim in node.shape:
                    found |= sp.sympify(dim).free_symbols
    free = set().union(*(e.free_symbols for e in exprs)) if exprs else set()
    bases = {i.base for e in exprs for i in e.atoms(sp.Indexed)}
    for r in ctx.indices:  # a declared range matters only where its index or sequences appear
        if r.index in free or bases & set(r.sequences):
            found |= r.lower.free_symbols | r.upper.free_symbols
    found -= {r.index for r in ctx.indices}
    found |= {s for s in free if s in dict(ctx.sizes)}
    return {s: ctx.size_value(s) for s in found}


def index_symbols(exprs: list[sp.Basic], ctx: Context) -> list[sp.Symbol]:
    free: set[sp.Basic] = set()
    for e in exprs:
        free |= e.free_symbols
    return [r.index for r in ctx.indices if r.index in free]


def _rational_in(rng: random.Random, iv: sp.Interval, integer: bool) -> sp.Rational:
    lo, hi = iv.start, iv.end
    if integer:
        a = int(sp.ceiling(lo)) if lo.is_finite else -4
        b = int(sp.floor(hi)) if hi.is_finite else 6
        if lo.is_finite and iv.left_open and a == lo:
            a += 1
        if hi.is_finite and iv.right_open and b == hi:
            b -= 1
        if not lo.is_finite:
            a = min(a, b - 6) if hi.is_finite else a
        if not hi.is_finite:
            b = max(b, a + 6)
        return sp.Integer(rng.randint(a, b))
    denominators = (1, 2, 3, 4, 5, 8)
    if lo.is_finite and hi.is_finite:
        if not iv.left_open and rng.random() < 0.08:
            return sp.Rational(lo)
        if not iv.right_open and rng.random() < 0.08:
            return sp.Rational(hi)
        return lo + (hi - lo) * sp.Rational(rng.randint(1, 99), 100)
    # a mixture of scales: values close together and near the ends matter as
    # much as spread-out ones (y − x ≥ 1 fails only for close x < y)
    small = rng.random() < 0.5
    top = 8 if small else 40
    if lo.is_finite:
        step = sp.Rational(rng.randint(1, top), rng.choice(denominators))
        if not iv.left_open and rng.random() < 0.05:
            step = sp.Integer(0)
        return lo + step
    if hi.is_finite:
        step = sp.Rational(rng.randint(1, top), rng.choice(denominators))
        return hi - step
    return sp.Rational(rng.randint(-top, top), rng.choice(denominators) * (2 if not small else 1))


def _unit_vector(rng: random.Random, m: int) -> list[sp.Rational]:
    """A rational point of the unit sphere in R^m (inverse stereographic)."""
    if m == 1:
        return [sp.Integer(rng.choice((-1, 1)))]
    t = [sp.Rational(rng.randint(-9, 9), rng.randint(1, 5)) for _ in range(m - 1)]
    s = sum(x * x for x in t)
    return [2 * x / (s + 1) for x in t] + [(s - 1) / (s + 1)]


@dataclass
class Domain:
    """Draws points for a set of atoms under a context."""

    ctx: Context
    seed: int = 20261126
    rng: random.Random = field(init=False)

    def __post_init__(self) -> None:
        self.rng = random.Random(self.seed)
        self._intervals: dict[sp.Basic, sp.Interval] = {}
        self._checked = tuple(self.ctx.multi_constraints()) + tuple(
            c for c in self.ctx.flat_constraints() if isinstance(c, sp.Ne) and len(c.free_symbols) == 1
        )

    def interval(self, atom: sp.Basic) -> sp.Interval:
        key = atom.base if isinstance(atom, sp.Indexed) else atom  # entries share their base's domain
        if key not in self._intervals:
            if isinstance(atom, sp.Symbol):
                self._intervals[key] = self.ctx.interval(atom)
            elif atom.is_positive:
                self._intervals[key] = sp.Interval.open(0, sp.oo)
            elif atom.is_nonnegative:
                self._intervals[key] = sp.Interval(0, sp.oo)
            else:
                self._intervals[key] = sp.Interval(-sp.oo, sp.oo)
        return self._intervals[key]

    def scalar(self, atom: sp.Basic) -> sp.Rational:
        return _rational_in(self.rng, self.interval(atom), bool(atom.is_integer))

    def index(self, lo: int, hi: int) -> sp.Integer:
        return sp.Integer(self.rng.randint(lo, hi))

    def matrix(self, rows: int, cols: int, unit: bool) -> sp.ImmutableMatrix:
        if unit and cols == 1:
            return sp.ImmutableMatrix(_unit_vector(self.rng, rows))
        entries = [
            sp.Rational(self.rng.randint(-12, 12), self.rng.choice((1, 2, 3, 4)))
            for _ in range(rows * cols)
        ]
        return sp.ImmutableMatrix(rows, cols, entries)

    def satisfies(self, point: dict[sp.Basic, sp.Basic]) -> bool:
        """Does ``point`` lie in the assumed domain (exactly)? Intervals are
        drawn from directly; this checks what they cannot say: constraints on
        several symbols, ``≠`` constraints and ``nonzero`` assumptions."""
        for key, value in point.items():
            if isinstance(key, sp.Symbol) and key.is_nonzero and value == 0:
                return False
        for c in self._checked:
            if not c.free_symbols <= set(point):
                continue
            value = c.xreplace(point)
            if value is not sp.true:
                return False
        return True
