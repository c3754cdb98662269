"""Mutations of a written line: the slips a wrong derivation would make.

Each mutant is (kind, expression). Mutants structurally equal to the
original are not produced.
"""
from __future__ import annotations

from itertools import combinations
from typing import Iterator

import sympy as sp

from symproof.model.linalg import Inner

MAX_PER_KIND = 4


def _sides(e: sp.Basic):
    """The part of a line to mutate, and how to put it back."""
    if isinstance(e, sp.Equality):
        # mutate the side that is not a bare symbol or zero
        if e.rhs == 0 or (isinstance(e.rhs, sp.Symbol) and not isinstance(e.lhs, sp.Symbol)):
            return e.lhs, lambda x: sp.Eq(x, e.rhs, evaluate=False)
        return e.rhs, lambda x: sp.Eq(e.lhs, x, evaluate=False)
    return e, lambda x: x


def _is_matrix(e: sp.Basic) -> bool:
    return isinstance(e, sp.MatrixExpr)


def _sign(e):
    yield -e


def _factor2(e):
    yield 2 * e


def _exponent(e):
    seen = 0
    for node in sp.preorder_traversal(e):
        if isinstance(node, sp.Pow) and seen < MAX_PER_KIND:
            seen += 1
            yield e.xreplace({node: sp.Pow(node.base, node.exp + 1)})
        elif isinstance(node, sp.MatPow) and seen < MAX_PER_KIND:
            seen += 1
            yield e.xreplace({node: sp.MatPow(node.base, node.exp + 1)})


def _swappable(e: sp.Basic) -> list[tuple[sp.Basic, sp.Basic]]:
    bases = sorted({i.base for i in e.atoms(sp.Indexed)}, key=str)
    labels = {b.label for b in bases}
    scalars = sorted((s for s in e.free_symbols if isinstance(s, sp.Symbol) and s not in labels), key=str)
    mats = sorted(e.atoms(sp.MatrixSymbol), key=str)
    pairs = []
    for group in (scalars, bases):
        pairs += list(combinations(group, 2))
    pairs += [(a, b) for a, b in combinations(mats, 2) if a.shape == b.shape]
    return pairs


def _swap(e):
    for a, b in _swappable(e)[:MAX_PER_KIND]:
        tmp = sp.Dummy()
        if isinstance(a, sp.MatrixSymbol):
            tmp = sp.MatrixSymbol("_tmp", *a.shape)
        yield e.xreplace({a: tmp}).xreplace({b: a}).xreplace({tmp: b})


def _drop(e):
    target = e
    wrap = lambda x: x  # noqa: E731
    if isinstance(e, sp.Mul):  # a term of the sum inside a product: c·(a + b)
        for f in e.args:
            if isinstance(f, (sp.Add, sp.MatAdd)):
                target, wrap = f, (lambda x, f=f: e.xreplace({f: x}))
                break
    elif isinstance(e, sp.Sum) and isinstance(e.function, sp.Add):
        target, wrap = e.function, (lambda x: sp.Sum(x, *e.limits))
    elif isinstance(e, Inner):
        for k, a in enumerate(e.args):
            if isinstance(a, sp.MatAdd):
                target = a
                wrap = (lambda x, k=k: Inner(*(x if j == k else b for j, b in enumerate(e.args))))
                break
    if isinstance(target, (sp.Add, sp.MatAdd)) and len(target.args) >= 2:
        for k in range(min(len(target.args), MAX_PER_KIND)):
            rest = target.args[:k] + target.args[k + 1:]
            yield wrap(target.func(*rest) if len(rest) > 1 else rest[0])


def _constant(e):
    """A number written wrong: the constant term, or a bare number, off by one."""
    if e.is_Number:
        yield e + 1
        return
    if isinstance(e, sp.Add):
        c, rest = e.as_coeff_Add()
        if c != 0:
            yield (c + 1) + rest


KINDS = {
    "sign flipped": _sign,
    "factor 2": _factor2,
    "exponent + 1": _exponent,
    "symbols swapped": _swap,
    "term dropped": _drop,
    "constant + 1": _constant,
}


def mutants(expr: sp.Basic) -> Iterator[tuple[str, sp.Basic]]:
    side, put_back = _sides(expr)
    seen = {expr}
    for kind, make in KINDS.items():
        try:
            produced = list(make(side))
        except (TypeError, ValueError):
            continue  # a mutation that sympy refuses to build (e.g. shapes) is not a slip
        for m in produced:
            try:
                line = put_back(m)
            except (TypeError, ValueError):
                continue
            if line in seen or line == expr:
                continue
            seen.add(line)
            yield kind, line
