"""The checking pipeline: one :class:`Verdict` per step and claim.

For every step: the numeric screen first (it refutes, and it finds where
only one side is real), then the symbolic strategies cheap-first under a
time budget. What "holds" means is fixed in DESIGN.md, *When a step holds*.
"""
from __future__ import annotations

import itertools
import time
from dataclasses import dataclass

import sympy as sp

from symproof.check.budget import Deadline, time_limit
from symproof.check.normalise import exact_floats, has_sums, normalise_inner, normalise_sums, prepare, solve_linear
from symproof.check.numeric import Screen, screen
from symproof.check.strategies import _SYMPY_ERRORS, prove_equal, prove_sign
from symproof.check.verdict import Report, Status, Verdict
from symproof.errors import CheckTimeout, DerivationError, RuleError
from symproof.model.context import Context
from symproof.model.derivation import Derivation, Relation, Start, Step

__all__ = ["step_pairs", "check_inequalities", "refuted_at", "Options", "check_relation", "check_equations", "check_step", "check_derivation", "DEFAULT"]


@dataclass(frozen=True)
class Options:
    """Budgets of one check (seconds) and the size of the numeric screen."""

    step_seconds: float = 6.0
    points: int = 12
    seed: int = 20261126


DEFAULT = Options()
EXTENDED_POINTS = 150  # points tried before a step without a proof is called `numeric`

_ORDER_WANT = {
    Relation.LE: ("nonneg", 1),  # right − left ≥ 0
    Relation.LT: ("pos", 1),
    Relation.GE: ("nonneg", -1),
    Relation.GT: ("pos", -1),
}


def _names(point) -> str:
    return ", ".join(f"{k} = {v}" for k, v in point.display().items())


def _domain_note(sc: Screen) -> tuple[str, ...]:
    if sc.one_sided is None:
        return ()
    point, real_side = sc.one_sided
    other = "right" if real_side == "left" else "left"
    return (
        f"holds where both sides are real; at {_names(point)} the {real_side} side is real "
        f"and the {other} side is not",
    )


def refuted_at(sc: Screen, t0: float, method: str, message: str, notes=()) -> Verdict:
    """The ``refuted`` verdict for a screen that found a counterexample."""
    return Verdict(
        Status.REFUTED,
        method,
        time.perf_counter() - t0,
        message=message,
        notes=tuple(notes),
        counterexample=sc.counterexample.display(),
        values=sc.values,
        point=sc.counterexample.as_dict(),
    )


def _refuted(sc: Screen, t0: float, what: str, notes=()) -> Verdict:
    return refuted_at(sc, t0, "numeric-screen",
                      f"{what} fails at {_names(sc.counterexample)}: left = {sc.values[0]}, right = {sc.values[1]}",
                      notes)


def _non_real(side: sp.Basic) -> bool:
    if side.has(sp.zoo, sp.nan, sp.oo, -sp.oo):
        return True
    if side.is_extended_real is False:
        return True
    try:
        return bool(sp.im(side).is_nonzero)
    except _SYMPY_ERRORS:
        return False


def _restriction_implied(a: sp.Basic, b: sp.Basic, symbols: tuple[sp.Symbol, ...]) -> bool:
    """Show that wherever some symbol of ``symbols`` is ≤ 0, a side is not real."""
    if len(symbols) > 3:
        return False
    for choice in itertools.product(("pos", "zero", "neg"), repeat=len(symbols)):
        if all(c == "pos" for c in choice):
            continue
        subs = {}
        for s, c in zip(symbols, choice):
            p = sp.Dummy(s.name, positive=True)
            subs[s] = p if c == "pos" else (sp.S.Zero if c == "zero" else -p)
        if not (_non_real(a.subs(subs)) or _non_real(b.subs(subs))):
            return False
    return True


def _positive_version(expr: sp.Basic, symbols) -> tuple[sp.Basic, dict]:
    subs = {s: sp.Symbol(s.name, positive=True) for s in symbols}
    return expr.xreplace(subs), subs


def check_relation(
    left: sp.Basic,
    relation: Relation | str,
    right: sp.Basic,
    ctx: Context,
    options: Options = DEFAULT,
) -> Verdict:
    """Check ``left relation right`` for expressions (=, ≤, <, ≥, >).

    >>> import sympy as sp
    >>> x, y = sp.symbols("x y", positive=True)
    >>> check_relation(sp.log(x*y), "=", sp.log(x) + sp.log(y), Context()).status.value
    'proved'
    """
    rel = Relation.parse(relation)
    if rel.is_logical:
        raise DerivationError(f"{rel.value} relates equations, not expressions")
    t0 = time.perf_counter()
    deadline = Deadline(options.step_seconds)
    a, fa = exact_floats(prepare(sp.sympify(left, strict=True), ctx))
    b, fb = exact_floats(prepare(sp.sympify(right, strict=True), ctx))
    float_notes = fa + fb
    sc = screen(a, b, ctx, "=" if rel is Relation.EQ else _screen_rel(rel), points=options.points, seed=options.seed)
    notes = list(float_notes) + list(_domain_note(sc))
    if sc.shape_mismatch:
        return Verdict(Status.REFUTED, "shape", time.perf_counter() - t0, message=sc.problem)
    if sc.counterexample is not None:
        return _refuted(sc, t0, "the relation" if rel is not Relation.EQ else "equality", notes)
    if sc.problem is None and sc.agree == 0:
        return Verdict(
            Status.UNKNOWN,
            "numeric-screen",
            time.perf_counter() - t0,
            message="the two sides are never real together at the sampled points of the assumed domain",
            notes=tuple(notes),
        )
    if sc.problem is not None:
        notes.append(f"no numeric screen: {sc.problem}")

    method = None
    try:
        if rel is Relation.EQ:
            method = prove_equal(a, b, ctx, deadline)
        else:
            want, sgn = _ORDER_WANT[rel]
            method = prove_sign(sgn * (b - a), want, ctx, deadline)
    except CheckTimeout:
        method = None
    if method:
        return Verdict(Status.PROVED, method, time.perf_counter() - t0, message=_proved_msg(rel), notes=tuple(notes))

    if rel is Relation.EQ and sc.restrict and not deadline.expired():
        a2, subs = _positive_version(a, sc.restrict)
        b2, _ = _positive_version(b, sc.restrict)
        try:
            method = prove_equal(a2, b2, ctx, deadline)
        except CheckTimeout:
            method = None
        if method:
            cond = ", ".join(f"{s} > 0" for s in sc.restrict)
            if _restriction_implied(a, b, sc.restrict):
                return Verdict(
                    Status.PROVED,
                    f"real-domain+{method}",
                    time.perf_counter() - t0,
                    message=f"equal where both sides are real (which needs {cond})",
                    notes=tuple(notes),
                )
            notes.append(f"proved for {cond}; that both sides are real only there was seen at sampled points")
    if sc.agree:
        # no proof: before calling it evidence, look much harder for a counterexample
        wide = screen(a, b, ctx, "=" if rel is Relation.EQ else _screen_rel(rel), points=EXTENDED_POINTS,
                      max_points=3 * EXTENDED_POINTS, seed=options.seed + 1)
        if wide.counterexample is not None:
            return _refuted(wide, t0, "the relation" if rel is not Relation.EQ else "equality", notes)
        return Verdict(
            Status.NUMERIC,
            "numeric-screen",
            time.perf_counter() - t0,
            message=f"held at {sc.agree + wide.agree} random points of the assumed domain (40 digits); "
                    "no symbolic proof found",
            notes=tuple(notes),
        )
    return Verdict(
        Status.UNKNOWN,
        "none",
        time.perf_counter() - t0,
        message="no proof and no counterexample within the budget",
        notes=tuple(notes),
    )


def _screen_rel(rel: Relation) -> str:
    return {Relation.LE: "<=", Relation.LT: "<", Relation.GE: ">=", Relation.GT: ">"}[rel]


def _proved_msg(rel: Relation) -> str:
    return "the two sides are equal" if rel is Relation.EQ else f"left {rel.value} right under the assumptions"


# -- equations ---------------------------------------------------------------
def _residual(eq: sp.Basic, ctx: Context) -> sp.Basic:
    if not isinstance(eq, sp.Equality):
        raise DerivationError(f"{eq} is not an equation")
    r, _ = exact_floats(prepare(eq.lhs - eq.rhs, ctx))
    r = normalise_inner(r, ctx)
    return normalise_sums(r, ctx) if has_sums(r) else r


def _lone_symbol(eq: sp.Equality) -> sp.Symbol | None:
    for side, other in ((eq.lhs, eq.rhs), (eq.rhs, eq.lhs)):
        if isinstance(side, sp.Symbol) and side not in other.free_symbols:
            return side
    return None


def _never_zero(e: sp.Basic, ctx: Context, deadline: Deadline) -> bool:
    """``e`` is finite and nonzero on the assumed domain (signs under the
    context's intervals, not only the symbols' own assumptions)."""
    if e.is_nonzero and e.is_finite:
        return True
    if e.free_symbols and not deadline.expired():
        sub = Deadline(deadline.slice(0.5))
        return bool(prove_sign(e, "pos", ctx, sub) or prove_sign(e, "neg", ctx, sub))
    return False


def _complete(residual: sp.Basic, var: sp.Symbol) -> bool:
    """Is sympy's ``solve`` known to return every real root here? Only for a
    polynomial in ``var`` alone; with parameters it answers for generic ones
    (``a·x = a`` gives x = 1, forgetting a = 0)."""
    if residual.free_symbols - {var}:
        return False
    try:
        return sp.Poly(residual, var).degree() > 0
    except sp.PolynomialError:
        return False


def _solve(residual: sp.Basic, var: sp.Symbol, deadline: Deadline) -> list[sp.Basic] | None:
    linear = solve_linear(residual, var)  # complete: the coefficient is provably nonzero
    if linear is not None:
        return [linear]
    try:
        with time_limit(deadline.slice(1.5)):
            sols = sp.solve(residual, var, dict=False)
    except CheckTimeout:
        return None
    except _SYMPY_ERRORS:
        return None
    if not isinstance(sols, list):
        return None
    return [s for s in sols if not isinstance(s, (tuple, dict))]


def check_equations(
    before: sp.Equality,
    relation: Relation | str,
    after: sp.Equality,
    ctx: Context,
    options: Options = DEFAULT,
    variable: sp.Symbol | None = None,
) -> Verdict:
    """Check ``before ⇔ after`` (same solutions) or ``before ⇒ after``.

    Proved when the residuals agree up to a factor that is never zero (or by
    comparing solution sets); refuted with a solution that one equation has
    and the other lacks.
    """
    rel = Relation.parse(relation)
    t0 = time.perf_counter()
    deadline = Deadline(options.step_seconds)
    ra, rb = _residual(before, ctx), _residual(after, ctx)
    # an identity (every point solves it) against an equation that is not one
    for has, other, has_name, lacks_name in ((ra, rb, "the previous line", "this line"),
                                             (rb, ra, "this line", "the previous line")):
        if has is rb and rel is Relation.IMPLIES:
            continue
        if prove_equal(has, sp.S.Zero, ctx, Deadline(deadline.slice(0.5)), cheap=True):
            sc = screen(other, sp.S.Zero, ctx, "=", points=options.points, seed=options.seed)
            if sc.counterexample is not None:
                return refuted_at(sc, t0, "solution-sets", f"every point solves {has_name} (it is an identity), "
                                  f"but at {_names(sc.counterexample)} {lacks_name} fails")
            break
    # a root of one equation where the other is undefined: (x²−4)/(x−2) = 4 ⇔ x = 2 gains x = 2
    gained = _root_where_undefined(ra, rb, ctx, options, rel)
    if gained is not None:
        return gained.with_(seconds=time.perf_counter() - t0)
    # 1. the same equation up to a factor that is never zero (cheap: one cancel)
    try:
        with time_limit(deadline.slice(0.5)):
            ratio = sp.cancel(sp.together(sp.expand(ra) / sp.expand(rb))) if rb != 0 else None
    except (CheckTimeout,) + _SYMPY_ERRORS:
        ratio = None
    if ratio is not None and not ratio.has(sp.zoo, sp.nan) and _never_zero(ratio, ctx, deadline):
        if rel is Relation.IMPLIES or (1 / ratio).is_finite or _never_zero(1 / ratio, ctx, deadline):
            what = "the same residual" if ratio == 1 else (
                "the same residual up to sign" if ratio == -1 else f"residuals that differ by the factor {ratio}, "
                "never zero under the assumptions")
            return Verdict(Status.PROVED, "same-equation" if ratio in (1, -1) else "nonzero-factor",
                           time.perf_counter() - t0, message=f"the two equations have {what}")
    for sgn in (1, -1):
        if prove_equal(ra, sgn * rb, ctx, Deadline(deadline.slice(1.0)), cheap=True):
            return Verdict(Status.PROVED, "same-equation", time.perf_counter() - t0,
                           message="the two equations have the same residual" + (" up to sign" if sgn < 0 else ""))
    # 2. compare solution sets for one unknown
    var = variable or _lone_symbol(after) or _lone_symbol(before)
    candidates = [var] if var is not None else sorted(
        (s for s in (ra.free_symbols & rb.free_symbols) if isinstance(s, sp.Symbol)), key=str
    )[:3]
    for v in candidates:
        degenerate = _degenerate_parameters(ra, rb, v, rel, ctx)
        if degenerate is not None:
            return degenerate.with_(seconds=time.perf_counter() - t0)
        sa, sb = _solve(ra, v, deadline), _solve(rb, v, deadline)
        if sa is None or sb is None or (not sa and not sb):
            continue  # an empty solution set is not a fact
        verdict = _compare_solutions(v, sa, sb, ra, rb, rel, ctx, options, t0)
        if verdict is not None:
            complete = all(solve_linear(r, v) is not None or _complete(r, v)
                           for r in ((ra, rb) if rel is Relation.IFF else (ra,)))
            if verdict.status is Status.PROVED and not complete:
                return verdict.with_(
                    status=Status.NUMERIC,
                    message=verdict.message + "; sympy's solution sets hold for generic parameter values, "
                            "and the special values tried (0, ±1) agree",
                )
            return verdict
    return Verdict(Status.UNKNOWN, "none", time.perf_counter() - t0,
                   message="could not relate the solution sets of the two equations")


def _degenerate_parameters(ra, rb, v, rel, ctx) -> Verdict | None:
    """At special parameter values (0, ±1 inside their intervals) one
    equation may hold for every ``v`` while the other does not (a·x = a at
    a = 0): a root the other equation lacks."""
    params = sorted((s for s in (ra.free_symbols | rb.free_symbols) - {v} if isinstance(s, sp.Symbol)), key=str)
    directions = [(ra, rb, "the previous line", "this line")]
    if rel is Relation.IFF:
        directions.append((rb, ra, "this line", "the previous line"))
    for p in params[:4]:
        for value in (0, 1, -1):
            if ctx.interval(p).contains(value) is not sp.true:
                continue
            for has, other, has_name, lacks_name in directions:
                try:
                    h = sp.expand(has.xreplace({p: value}))
                    o = sp.expand(other.xreplace({p: value}))
                except _SYMPY_ERRORS:
                    continue
                if h == 0 and o != 0 and v in o.free_symbols:
                    iv = ctx.interval(v) if isinstance(v, sp.Symbol) else sp.Interval(-sp.oo, sp.oo)
                    x = next((sp.Integer(c) for c in (0, 1, 2, -1, 3) if iv.contains(c) is sp.true
                              and sp.expand(o.xreplace({v: c})) != 0), None)
                    if x is None:
                        continue
                    left = "0" if has is ra else str(sp.expand(o.xreplace({v: x})))
                    right = str(sp.expand(o.xreplace({v: x}))) if has is ra else "0"
                    return Verdict(
                        Status.REFUTED, "solution-sets",
                        message=f"at {p} = {value} every {v} solves {has_name}, but {v} = {x} does not solve "
                                f"{lacks_name}",
                        counterexample={str(p): str(value), str(v): str(x)}, point={p: sp.Integer(value), v: x},
                        values=(left, right),
                    )
    return None


def _point_in(S: sp.Set) -> sp.Basic | None:
    """A simple rational point of a nonempty real set, or None."""
    if isinstance(S, sp.FiniteSet):
        return next(iter(sorted(S, key=sp.default_sort_key)), None)
    if isinstance(S, sp.Union):
        for part in S.args:
            p = _point_in(part)
            if p is not None:
                return p
        return None
    if isinstance(S, sp.Interval):
        lo, hi = S.start, S.end
        if lo.is_finite and hi.is_finite:
            mid = (lo + hi) / 2
            return sp.nsimplify(mid) if not mid.is_Rational else mid
        if lo.is_finite:
            return sp.floor(lo) + 1
        if hi.is_finite:
            return sp.ceiling(hi) - 1
        return sp.Integer(0)
    return None


def _as_less(r: sp.Basic) -> tuple[sp.Basic, str] | None:
    """``a < b`` as ``(a − b, "<")``, ``a ≥ b`` as ``(b − a, "<=")``."""
    if isinstance(r, (sp.StrictLessThan, sp.LessThan)):
        return r.lhs - r.rhs, r.rel_op
    if isinstance(r, (sp.StrictGreaterThan, sp.GreaterThan)):
        return r.rhs - r.lhs, "<" if r.rel_op == ">" else "<="
    return None


def check_inequalities(
    before: sp.Basic, relation: Relation | str, after: sp.Basic, ctx: Context, options: Options = DEFAULT
) -> Verdict:
    """``⇔``/``⇒`` when a side is an inequality: in one unknown, the
    solution sets are compared exactly (a point of their difference refutes);
    otherwise truth values are compared at sampled points."""
    rel = Relation.parse(relation)
    t0 = time.perf_counter()
    deadline = Deadline(options.step_seconds)
    a, b = prepare(before, ctx), prepare(after, ctx)
    syms = sorted((s for s in a.free_symbols | b.free_symbols if isinstance(s, sp.Symbol)), key=str)
    if len(syms) == 1:
        (v,) = syms
        try:
            with time_limit(deadline.slice(2.0)):
                dom = ctx.interval(v)
                Sa = sp.solveset(a, v, sp.S.Reals).intersect(dom)
                Sb = sp.solveset(b, v, sp.S.Reals).intersect(dom)
                lost, gained = sp.Complement(Sa, Sb), sp.Complement(Sb, Sa)
                lost_empty, gained_empty = lost is sp.S.EmptySet, gained is sp.S.EmptySet
        except (CheckTimeout,) + _SYMPY_ERRORS:
            lost_empty = gained_empty = None
        if lost_empty is not None:
            if lost_empty and (gained_empty or rel is Relation.IMPLIES):
                return Verdict(Status.PROVED, "solution-sets", time.perf_counter() - t0,
                               message=f"the solution sets are {Sa} and {Sb}")
            for missing, has, lacks in ((lost, "the previous line", "this line"),
                                        (gained, "this line", "the previous line")):
                if missing is sp.S.EmptySet or (rel is Relation.IMPLIES and has == "this line"):
                    continue
                x = _point_in(missing)
                if x is not None:
                    return Verdict(Status.REFUTED, "solution-sets", time.perf_counter() - t0,
                                   message=f"{v} = {x} satisfies {has} but not {lacks} "
                                           f"(solution sets {Sa} and {Sb})",
                                   counterexample={str(v): str(x)}, point={v: x},
                                   values=(str(a.subs(v, x)), str(b.subs(v, x))))
    # the same inequality up to a positive factor (x + y < 1 ⇔ y < 1 − x)
    na, nb = _as_less(a), _as_less(b)
    if na and nb and na[1] == nb[1]:
        try:
            with time_limit(deadline.slice(0.5)):
                ratio = sp.cancel(sp.together(na[0] / nb[0]))
        except (CheckTimeout,) + _SYMPY_ERRORS:
            ratio = None
        if ratio is not None and prove_sign(ratio, "pos", ctx, Deadline(deadline.slice(0.5))):
            return Verdict(Status.PROVED, "same-inequality", time.perf_counter() - t0,
                           message=f"the same inequality, multiplied by {ratio} > 0")
    # several unknowns: compare truth values at sampled points (0/1 indicators)
    ia, ib = sp.Piecewise((1, a), (0, True)), sp.Piecewise((1, b), (0, True))
    sc = screen(ia, ib, ctx, "=" if rel is Relation.IFF else "<=", points=options.points, seed=options.seed)
    if sc.counterexample is not None:
        return refuted_at(sc, t0, "numeric-screen", f"at {_names(sc.counterexample)} the previous line is "
                          f"{'true' if sc.values[0].startswith('1') else 'false'} and this line is not")
    if sc.agree:
        return Verdict(Status.NUMERIC, "numeric-screen", time.perf_counter() - t0,
                       message=f"the two lines are true at the same sampled points ({sc.agree}); no proof")
    return Verdict(Status.UNKNOWN, "none", time.perf_counter() - t0,
                   message="could not compare the solution sets of the two lines")


def _denominator_roots(r: sp.Basic) -> list[tuple[sp.Symbol, sp.Basic]]:
    """Points where ``r`` is undefined through a linear one-symbol denominator."""
    out = []
    for p in r.atoms(sp.Pow):
        if p.exp.is_negative and len(p.base.free_symbols) == 1:
            (v,) = p.base.free_symbols
            root = solve_linear(p.base, v)
            if root is not None:
                out.append((v, root))
    return out


def _root_where_undefined(ra, rb, ctx, options, rel) -> Verdict | None:
    directions = [(rb, ra, "this line", "the previous line")]  # after has a root before lacks
    if rel is Relation.IFF:
        directions.append((ra, rb, "the previous line", "this line"))
    for has, undefined_in, has_name, lacks_name in directions:
        for v, root in _denominator_roots(undefined_in):
            if v in ctx.symbol_table().values() and not ctx.interval(v).contains(root) is sp.true:
                continue
            try:
                value = sp.cancel(has.xreplace({v: root})) if not has.has(sp.Sum) else has.xreplace({v: root})
            except _SYMPY_ERRORS:
                continue
            if value == 0:
                return Verdict(
                    Status.REFUTED, "solution-sets",
                    message=f"{v} = {root} solves {has_name}, but {lacks_name} is undefined there "
                            f"(a division by zero)",
                    counterexample={str(v): str(root)}, point={v: root},
                )
    return None


def _compare_solutions(v, sa, sb, ra, rb, rel, ctx, options, t0) -> Verdict | None:
    """Each solution of the first must solve the second (and, for ⇔, back)."""
    directions = [(sa, rb, "the previous line", "this line")]
    if rel is Relation.IFF:
        directions.append((sb, ra, "this line", "the previous line"))
    weakest = Status.PROVED
    for sols, other, has, lacks in directions:
        if not sols:
            if rel is Relation.IFF:
                return None
            continue
        for s in sols:
            sub = sp.expand(other.xreplace({v: s})) if not other.has(sp.Sum) else other.xreplace({v: s})
            vd = check_relation(sub, Relation.EQ, sp.S.Zero, ctx, options)
            if vd.status is Status.REFUTED:
                return Verdict(
                    Status.REFUTED, "solution-sets", time.perf_counter() - t0,
                    message=f"{v} = {_pretty(s)} solves {has} but not {lacks}"
                            + (f" (at {_names_dict(vd.counterexample)})" if vd.counterexample else ""),
                    counterexample={**(vd.counterexample or {}), str(v): str(s)},
                    values=vd.values,
                    point=vd.point,
                )
            if vd.status is Status.UNKNOWN:
                return None
            if vd.status is Status.NUMERIC:
                weakest = Status.NUMERIC
    return Verdict(weakest, "solution-sets", time.perf_counter() - t0,
                   message=f"the same solutions for {v}" if rel is Relation.IFF else f"every solution for {v} carries over")


def _pretty(e: sp.Basic) -> sp.Basic:
    """Canonical bound indices (_k0, _k1 …) renamed to letters the expression does not use."""
    canon = sorted((x for x in e.atoms(sp.Symbol) if x.name.startswith("_k")), key=str)
    if not canon:
        return e
    used = {str(x) for x in e.free_symbols} | {str(i.base) for i in e.atoms(sp.Indexed)}
    letters = [c for c in "ijklmnpq" if c not in used]
    return e.xreplace({k: sp.Symbol(letters[n], integer=True) for n, k in enumerate(canon[: len(letters)])})


def _names_dict(d) -> str:
    return ", ".join(f"{k} = {v}" for k, v in (d or {}).items())


# -- steps and derivations -----------------------------------------------------
def _is_equation(e: sp.Basic) -> bool:
    return isinstance(e, sp.Equality)


def check_step(previous: sp.Basic, step: Step, ctx: Context, options: Options = DEFAULT) -> Verdict:
    """Check one step against the line before it."""
    t0 = time.perf_counter()
    prev = previous
    prefix = ""
    if step.rule is not None:
        try:
            prev = step.rule.apply(previous, ctx)
        except RuleError as exc:
            return Verdict(Status.UNKNOWN, f"rule:{step.rule.describe()}", time.perf_counter() - t0,
                           message=f"the rule cannot be applied: {exc}")
        prefix = f"rule:{step.rule.describe()}|"
    cur = step.expr
    if _is_equation(prev) and _is_equation(cur):
        rel = step.relation if step.rule is None else Relation.IFF
        if not rel.is_logical:
            raise DerivationError(f"between equations use <=> or =>, not {step.relation.value}")
        v = check_equations(prev, rel, cur, ctx, options)
    elif _is_equation(prev) or _is_equation(cur):
        raise DerivationError("a step relates two expressions or two equations, not one of each")
    else:
        rel = step.relation if step.rule is None else Relation.EQ
        v = check_relation(prev, rel, cur, ctx, options)
    return v.with_(method=prefix + v.method, seconds=time.perf_counter() - t0, relation=step.relation.value)


def step_pairs(d: Derivation):
    """Yield ``(position, context, previous line, step)`` for every step of ``d``,
    with the chain's own assumptions in the context."""
    for chain in d.chains():
        ctx = d.context.with_constraints(*chain.start.assume)
        previous = chain.start.expr
        for pos, step in chain.steps:
            yield pos, ctx, previous, step
            previous = step.expr


def _guarded(fn, *args) -> Verdict:
    """A bug in a strategy or claim is a visible ``unknown`` verdict naming it,
    not a crash that loses the other steps' verdicts. Bad input still raises."""
    t0 = time.perf_counter()
    try:
        return fn(*args)
    except (DerivationError, RuleError):
        raise
    except Exception as exc:  # noqa: BLE001 - reported in the verdict
        return Verdict(Status.UNKNOWN, "internal error", time.perf_counter() - t0,
                       message=f"the check itself failed ({type(exc).__name__}: {exc}); please report this")


def check_derivation(d: Derivation, options: Options = DEFAULT) -> Report:
    """Check every step and claim of ``d``."""
    t0 = time.perf_counter()
    verdicts = []
    for pos, ctx, previous, step in step_pairs(d):
        verdicts.append(_guarded(check_step, previous, step, ctx, options).with_(line=pos))
    claims = []
    for claim in d.claims:
        v = _guarded(claim.check, d.context, options)
        claims.append(v.with_(label=claim.describe()))
    return Report(d.name, tuple(verdicts), tuple(claims), time.perf_counter() - t0, title=d.title)
