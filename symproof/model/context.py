"""The assumed domain of a derivation: symbols, constraints, indices, functions."""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Iterable, Mapping

import sympy as sp
from sympy.core.function import AppliedUndef, UndefinedFunction

from symproof.errors import DerivationError

__all__ = ["IndexRange", "Context"]


@dataclass(frozen=True)
class IndexRange:
    """``index`` runs from ``lower`` to ``upper``; ``sequences`` are indexed by it.

    >>> import sympy as sp
    >>> i = sp.Symbol("i", integer=True); N = sp.Symbol("N", integer=True, positive=True)
    >>> x = sp.IndexedBase("x", real=True)
    >>> IndexRange(i, 1, N, (x,)).upper
    N
    """

    index: sp.Symbol
    lower: sp.Expr
    upper: sp.Expr
    sequences: tuple[sp.IndexedBase, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "lower", sp.sympify(self.lower, strict=True))
        object.__setattr__(self, "upper", sp.sympify(self.upper, strict=True))
        object.__setattr__(self, "sequences", tuple(self.sequences))
        if not self.index.is_integer:
            raise DerivationError(f"index {self.index} must be declared integer=True")


def _pairs(value: Mapping | Iterable | None) -> tuple:
    if value is None:
        return ()
    if isinstance(value, Mapping):
        return tuple(value.items())
    return tuple(value)


@dataclass(frozen=True)
class Context:
    """Everything a check may assume.

    - ``constraints``: relations such as ``0 < b``, ``b <= 1``, ``Ne(i, j)``
      (symbols' own sympy assumptions — ``positive=True`` … — count too);
    - ``indices``: :class:`IndexRange` declarations (``x_i``, ``i = 1..N``);
    - ``definitions``: abbreviations unfolded before checking, keyed by a
      Symbol, an ``IndexedBase`` (value a ``Lambda`` of the index) or an
      undefined function (value a ``Lambda``), e.g. ``σ ↦ 1/(1+e^{-z})``;
    - ``unit_vectors``: vector symbols with ‖r‖ = 1;
    - ``sizes``: concrete values for symbolic sizes (N, K, d) in the numeric
      screen; sizes not listed default to 3.
    """

    constraints: tuple[sp.Basic, ...] = ()
    indices: tuple[IndexRange, ...] = ()
    symbols: tuple[sp.Basic, ...] = ()
    definitions: tuple[tuple[sp.Basic, sp.Basic], ...] = ()
    unit_vectors: tuple[sp.MatrixSymbol, ...] = ()
    sizes: tuple[tuple[sp.Symbol, int], ...] = ()

    def __post_init__(self) -> None:
        # a constraint that sympy already decided True says nothing
        object.__setattr__(self, "constraints", tuple(c for c in self.constraints if c is not sp.true))
        object.__setattr__(self, "indices", tuple(self.indices))
        object.__setattr__(self, "symbols", tuple(self.symbols))
        object.__setattr__(self, "definitions", _pairs(self.definitions))
        object.__setattr__(self, "unit_vectors", tuple(self.unit_vectors))
        object.__setattr__(self, "sizes", _pairs(self.sizes))
        for c in self.constraints:
            if c is sp.false:
                raise DerivationError("a constraint is false: the assumed domain is empty")
            if not isinstance(c, (sp.Rel, sp.And)):
                raise DerivationError(f"constraint {c!r} is not a relation")

    # -- derived views -------------------------------------------------
    def merged(self, other: Context) -> Context:
        """Everything of ``self`` and of ``other`` (``other``'s sizes win)."""
        return Context(
            constraints=self.constraints + tuple(c for c in other.constraints if c not in self.constraints),
            indices=self.indices + tuple(r for r in other.indices if r not in self.indices),
            symbols=self.symbols + tuple(s for s in other.symbols if s not in self.symbols),
            definitions=self.definitions + tuple(d for d in other.definitions if d not in self.definitions),
            unit_vectors=self.unit_vectors + tuple(u for u in other.unit_vectors if u not in self.unit_vectors),
            sizes={**dict(self.sizes), **dict(other.sizes)},
        )

    def with_symbols(self, *extra: sp.Basic) -> Context:
        return replace(self, symbols=self.symbols + tuple(extra)) if extra else self

    def symbol_table(self) -> dict[str, sp.Basic]:
        """Every name the context knows, by its sympy name: declared symbols,
        and those used in constraints, index ranges, definitions, unit vectors."""
        table: dict[str, sp.Basic] = {}

        def add(obj: sp.Basic) -> None:
            if isinstance(obj, (sp.Symbol, sp.MatrixSymbol)):
                table.setdefault(obj.name, obj)
            elif isinstance(obj, sp.IndexedBase):
                table.setdefault(str(obj.label), obj)
            elif isinstance(obj, UndefinedFunction):
                table.setdefault(obj.__name__, obj)

        for obj in self.symbols:
            add(obj)
        for r in self.indices:
            add(r.index)
            for seq in r.sequences:
                add(seq)
            for s in r.lower.free_symbols | r.upper.free_symbols:
                add(s)
        for c in self.constraints:
            for s in c.free_symbols:
                add(s)
        for key, value in self.definitions:
            add(key)
        for u in self.unit_vectors:
            add(u)
            for s in u.free_symbols:
                add(s)
        return table

    def with_constraints(self, *extra: sp.Basic) -> Context:
        """A copy with more constraints (a case split such as ``i ≠ j``)."""
        return replace(self, constraints=self.constraints + tuple(extra)) if extra else self

    def flat_constraints(self) -> tuple[sp.Rel, ...]:
        out: list[sp.Rel] = []
        for c in self.constraints:
            out.extend(c.args if isinstance(c, sp.And) else (c,))
        return tuple(out)

    def index_range(self, index: sp.Symbol) -> IndexRange | None:
        for r in self.indices:
            if r.index == index:
                return r
        return None

    def range_of(self, index: sp.Symbol) -> tuple[sp.Expr, sp.Expr] | None:
        r = self.index_range(index)
        return (r.lower, r.upper) if r else None

    def size_value(self, sym: sp.Symbol, default: int = 3) -> int:
        return dict(self.sizes).get(sym, default)

    def distinct(self, a: sp.Basic, b: sp.Basic) -> bool:
        """True when the constraints say ``a ≠ b``."""
        for c in self.flat_constraints():
            if isinstance(c, sp.Ne) and set(c.args) == {a, b}:
                return True
        return False

    def interval(self, sym: sp.Symbol) -> sp.Interval:
        """The interval the constraints and assumptions allow for ``sym``."""
        return _interval(self, sym)

    def _interval(self, sym: sp.Symbol) -> sp.Interval:
        if sym.is_positive:
            iv = sp.Interval.open(0, sp.oo)
        elif sym.is_nonnegative:
            iv = sp.Interval(0, sp.oo)
        elif sym.is_negative:
            iv = sp.Interval.open(-sp.oo, 0)
        elif sym.is_nonpositive:
            iv = sp.Interval(-sp.oo, 0)
        else:
            iv = sp.Interval(-sp.oo, sp.oo)
        for c in self.flat_constraints():
            if isinstance(c, sp.Ne) or c.free_symbols != {sym}:
                continue
            s = _simple_bound(c, sym)
            if s is None:
                try:
                    s = c.as_set()
                except (NotImplementedError, TypeError, ValueError):
                    continue
            iv = iv.intersect(s)
        if not isinstance(iv, sp.Interval):
            raise DerivationError(f"constraints on {sym} do not give an interval: {iv}")
        return iv

    def multi_constraints(self) -> tuple[sp.Rel, ...]:
        """Constraints that involve more than one symbol (checked by rejection)."""
        return tuple(c for c in self.flat_constraints() if len(c.free_symbols) > 1)

    # -- definitions ---------------------------------------------------
    def unfold(self, expr: sp.Basic) -> sp.Basic:
        """Replace every defined name in ``expr`` by its definition."""
        if not self.definitions:
            return expr
        by_symbol = {k: v for k, v in self.definitions if isinstance(k, sp.Symbol)}
        by_base = {k: v for k, v in self.definitions if isinstance(k, sp.IndexedBase)}
        by_func = {k: v for k, v in self.definitions if isinstance(k, UndefinedFunction)}

        def query(e: sp.Basic) -> bool:
            if isinstance(e, sp.Indexed):
                return e.base in by_base
            if isinstance(e, AppliedUndef):
                return e.func in by_func
            return False

        def value(e: sp.Basic) -> sp.Basic:
            if isinstance(e, sp.Indexed):
                return by_base[e.base](*e.indices)
            return by_func[e.func](*e.args)

        for _ in range(8):  # definitions may refer to other definitions
            new = expr.xreplace(by_symbol) if by_symbol else expr
            if by_base or by_func:
                new = new.replace(query, value)
            if new == expr:
                return new
            expr = new
        raise DerivationError("definitions refer to each other in a cycle")


@lru_cache(maxsize=4096)
def _interval(ctx: Context, sym: sp.Symbol) -> sp.Interval:
    return ctx._interval(sym)


def _simple_bound(c: sp.Rel, sym: sp.Symbol) -> sp.Interval | None:
    """``sym < 3``, ``-1 <= sym`` … directly (``as_set`` costs milliseconds)."""
    if c.lhs == sym and c.rhs.is_number:
        bound, flipped = c.rhs, False
    elif c.rhs == sym and c.lhs.is_number:
        bound, flipped = c.lhs, True
    else:
        return None
    op = c.rel_op
    if flipped:
        op = {"<": ">", "<=": ">=", ">": "<", ">=": "<=", "==": "=="}.get(op, op)
    if op == "<":
        return sp.Interval.open(-sp.oo, bound)
    if op == "<=":
        return sp.Interval(-sp.oo, bound)
    if op == ">":
        return sp.Interval.open(bound, sp.oo)
    if op == ">=":
        return sp.Interval(bound, sp.oo)
    if op == "==":
        return sp.Interval(bound, bound)
    return None
