"""Every step of every derivation, mutated the way a wrong derivation would
be, must be refuted with a counterexample inside the assumed domain.

A mutant that the engine proves equal (or equivalent) to the written line is
an *equivalent mutant* (e.g. swapping r₁ and r₂ in 2 − 2r₁ᵀr₂); those are
counted and shown, never silently dropped. Zero false accepts.
"""
from __future__ import annotations

import dataclasses

import pytest
import sympy as sp

from symproof import registry
from symproof.check import Status, check_equations, check_relation, check_step
from symproof.check.engine import step_pairs
from symproof.model import Context, Relation

from mutate import mutants
from stats import MUTATIONS

FLIP = {Relation.LT: Relation.GT, Relation.LE: Relation.GT, Relation.GT: Relation.LT, Relation.GE: Relation.LT}


def _cases():
    for name in registry.names():
        for pos, ctx, previous, step in step_pairs(registry.get(name)):
            yield pytest.param(name, pos, id=f"{name}-line{pos}")


def _pair(name, pos):
    for p, ctx, previous, step in step_pairs(registry.get(name)):
        if p == pos:
            return ctx, previous, step
    raise LookupError(pos)


def in_domain(point: dict, ctx: Context) -> list[str]:
    """Reasons why ``point`` is outside the assumed domain (empty: inside)."""
    problems = []
    units = {u.name for u in ctx.unit_vectors}
    for key, value in point.items():
        if isinstance(value, sp.Lambda):
            continue  # a concrete stand-in for an undefined function: any function is in the domain
        if isinstance(value, sp.MatrixBase):
            if str(key) in units and sum(x**2 for x in value) != 1:
                problems.append(f"{key} is not a unit vector")
            continue
        if isinstance(key, sp.Symbol):
            if not ctx.interval(key).contains(value) is sp.true:
                problems.append(f"{key} = {value} outside {ctx.interval(key)}")
            r = ctx.range_of(key)
            if r is not None:
                lo, hi = (sp.sympify(b).xreplace(point) for b in r)
                if not (lo <= value <= hi):
                    problems.append(f"index {key} = {value} outside {lo}..{hi}")
        elif isinstance(key, sp.Indexed):
            if key.is_positive and not value > 0:
                problems.append(f"{key} = {value} is not positive")
    for c in ctx.multi_constraints():
        if c.free_symbols <= set(point) and c.xreplace(point) is not sp.true:
            problems.append(f"constraint {c} violated")
    return problems


def _equivalent(original, mutant, ctx) -> bool:
    if isinstance(original, sp.Equality):
        v = check_equations(original, "<=>", mutant, ctx)
    else:
        v = check_relation(original, "=", mutant, ctx)
    return v.status is Status.PROVED


def _still_true(step, bad, previous, ctx) -> bool:
    """A mutated bound that is still true: between numbers, decided exactly
    (34 > 29); otherwise one that the written bound implies (x ≤ 1 ⇒ x ≤ 2)."""
    if not previous.free_symbols and not bad.expr.free_symbols and step.rule is None:
        rel = {Relation.LT: sp.Lt, Relation.LE: sp.Le, Relation.GT: sp.Gt, Relation.GE: sp.Ge}[bad.relation]
        return bool(rel(previous, bad.expr))
    if step.rule is None:  # sympy's own sign reasoning on the difference, independent of the engine
        d = sp.simplify(ctx.unfold(previous) - ctx.unfold(bad.expr))
        sign = {Relation.LT: d.is_negative, Relation.LE: d.is_nonpositive,
                Relation.GT: d.is_positive, Relation.GE: d.is_nonnegative}[bad.relation]
        if sign is True:
            return True
    if step.relation in (Relation.LE, Relation.LT):
        return check_relation(step.expr, "<=", bad.expr, ctx).status is Status.PROVED
    return check_relation(step.expr, ">=", bad.expr, ctx).status is Status.PROVED


@pytest.mark.parametrize("name,pos", list(_cases()))
def test_mutants_are_refuted(name, pos):
    ctx, previous, step = _pair(name, pos)
    variants = [(kind, dataclasses.replace(step, expr=m)) for kind, m in mutants(step.expr)]
    if step.relation in FLIP:
        variants.append(("relation flipped", dataclasses.replace(step, relation=FLIP[step.relation])))
    assert variants, "no mutant could be built for this step"
    false_accepts = []
    for kind, bad in variants:
        v = check_step(previous, bad, ctx)
        MUTATIONS["total"] += 1
        if v.status is Status.REFUTED:
            assert v.counterexample is not None and v.values, f"{kind}: refuted without a counterexample"
            if bad.expr.free_symbols:  # a constant line (15 = -15) needs no point; others name one
                assert v.counterexample, f"{kind}: refuted without naming a point"
            if v.point is not None:
                outside = in_domain(v.point, ctx)
                assert not outside, f"{kind}: counterexample outside the domain: {outside}"
            MUTATIONS["refuted"] += 1
            continue
        if kind != "relation flipped" and v.status is Status.PROVED and _equivalent(step.expr, bad.expr, ctx):
            MUTATIONS["equivalent"] += 1
            continue
        if step.relation.is_order and v.status is Status.PROVED and _still_true(step, bad, previous, ctx):
            MUTATIONS["weaker, still true"] += 1
            continue
        if v.status is Status.UNKNOWN and "never real together" in v.message:
            # DESIGN: a line never real together with the previous one is unknown, never vacuously true
            MUTATIONS["never real"] += 1
            continue
        false_accepts.append(f"{kind}: {bad.expr} -> {v.status.value} ({v.method}: {v.message})")
        if v.ok:
            MUTATIONS["false accepts"] += 1
        else:
            MUTATIONS["not refuted"] += 1
    assert not false_accepts, "\n".join(false_accepts)
