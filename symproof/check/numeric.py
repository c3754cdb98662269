"""The high-precision numeric screen run on every step.

Both sides are evaluated at random exact points of the assumed domain with
40-digit mpmath arithmetic. A disagreement is re-evaluated at 90 digits
before it may count as a counterexample, so float noise never refutes a true
step. Points where only one side is real feed the domain note.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

import mpmath
import sympy as sp

from symproof.check.mpeval import Unsupported, compile_expr
from symproof.check.sampling import Domain, index_symbols, size_symbols
from symproof.model.context import Context

__all__ = ["Point", "Screen", "screen", "fmt_value", "fmt_point", "prepare_numeric"]

DPS = 40
CONFIRM_DPS = 90
_MATH_ERRORS = (ZeroDivisionError, ValueError, OverflowError, TypeError, ArithmeticError)


@dataclass(frozen=True)
class Point:
    """An exact point: ``values`` maps atoms (and sizes, indices, matrix
    symbols) to exact sympy values."""

    values: tuple[tuple[sp.Basic, sp.Basic], ...]

    def as_dict(self) -> dict[sp.Basic, sp.Basic]:
        return dict(self.values)

    def display(self) -> dict[str, str]:
        return fmt_point(self.as_dict())


@dataclass
class Screen:
    agree: int = 0
    tried: int = 0
    counterexample: Point | None = None
    values: tuple[str, str] | None = None
    one_sided: tuple[Point, str] | None = None
    restrict: tuple[sp.Symbol, ...] = ()
    problem: str | None = None
    shape_mismatch: bool = False


def _name(atom: sp.Basic) -> str:
    if isinstance(atom, sp.Indexed):
        return f"{atom.base}_{'_'.join(str(i) for i in atom.indices)}"
    return str(atom)


def fmt_value(v: sp.Basic) -> str:
    if isinstance(v, sp.MatrixBase):
        return "[" + ", ".join(fmt_value(x) for x in v) + "]"
    if isinstance(v, sp.Integer) and abs(v) > 10**60:
        return f"an integer of {len(str(abs(int(v))).lstrip('0')) if abs(v) < 10**4000 else 'over 4000'} digits"
    return str(v)


def fmt_point(point: dict[sp.Basic, sp.Basic]) -> dict[str, str]:
    out = {}
    for k, v in sorted(point.items(), key=lambda kv: _name(kv[0])):
        out[_name(k)] = fmt_value(v)
    return out


def _mp_str(v) -> str:
    if isinstance(v, mpmath.mpc):
        return f"{mpmath.nstr(v.real, 15)} + {mpmath.nstr(v.imag, 15)}i"
    return mpmath.nstr(v, 15)


@dataclass
class _Prepared:
    left: list[Callable]
    right: list[Callable]
    left_exprs: list[sp.Basic]
    right_exprs: list[sp.Basic]
    atoms: list[sp.Basic]
    matrices: list[tuple[str, sp.ImmutableMatrix, bool]]  # name, entry symbols, unit
    fixed: dict[sp.Basic, sp.Basic]


def _concretise(expr: sp.Basic, subs: dict, unit_names: set[str]):
    """Concrete sizes and indices in, sums and derivatives expanded, matrix
    symbols replaced by matrices of entry symbols; returns flat entries."""
    e = expr.xreplace(subs)
    e = e.doit()
    mats = {m for m in e.atoms(sp.MatrixSymbol)}
    groups = []
    if mats:
        repl = {}
        for m in sorted(mats, key=lambda m: m.name):
            rows, cols = int(m.shape[0]), int(m.shape[1])
            entries = sp.ImmutableMatrix(
                rows, cols, [sp.Dummy(f"{m.name}[{r},{c}]", real=True) for r in range(rows) for c in range(cols)]
            )
            repl[m] = entries
            groups.append((m.name, entries, m.name in unit_names))
        e = e.xreplace(repl).doit()
    if isinstance(e, sp.MatrixExpr):
        e = e.as_explicit()  # Identity(2), ZeroMatrix, ... at concrete sizes
    if isinstance(e, sp.MatrixBase):
        entries = list(e)
        shape = e.shape
    else:
        entries = [e]
        shape = None
    return entries, shape, groups


def prepare_numeric(left: sp.Basic, right: sp.Basic, ctx: Context, subs: dict):
    unit_names = {u.name for u in ctx.unit_vectors}
    le, lshape, lg = _concretise(left, subs, unit_names)
    re_, rshape, rg = _concretise(right, subs, unit_names)
    # share the entry symbols of a matrix between both sides
    groups: dict[str, tuple[str, sp.ImmutableMatrix, bool]] = {}
    for name, entries, unit in lg:
        groups[name] = (name, entries, unit)
    rename = {}
    for name, entries, unit in rg:
        if name in groups:
            rename.update(dict(zip(entries, groups[name][1])))
        else:
            groups[name] = (name, entries, unit)
    if rename:
        re_ = [x.xreplace(rename) for x in re_]
    shapes_differ = (lshape or (1, 1)) != (rshape or (1, 1))
    return le, re_, list(groups.values()), shapes_differ


def _classify(v) -> str:
    if isinstance(v, mpmath.mpc):
        if mpmath.isinf(v) or mpmath.isnan(v):
            return "undefined"
        if abs(v.imag) <= mpmath.mpf(10) ** (-(mpmath.mp.dps - 8)) * max(1, abs(v.real)):
            return "real"
        return "complex"
    if isinstance(v, mpmath.mpf):
        return "undefined" if (mpmath.isinf(v) or mpmath.isnan(v)) else "real"
    return "real"


def _evaluate(fns: list[Callable], env) -> tuple[list | None, str]:
    out = []
    for f in fns:
        try:
            v = f(env)
        except _MATH_ERRORS:
            return None, "undefined"
        kind = _classify(v)
        if kind != "real":
            return None, kind
        out.append(mpmath.re(v) if isinstance(v, mpmath.mpc) else mpmath.mpf(v))
    return out, "real"


def _holds(rel: str, a, b, tol) -> bool:
    scale = max(1, abs(a), abs(b))
    d = a - b
    if rel == "=":
        return abs(d) <= tol * scale
    if rel == "<=":
        return d <= tol * scale
    if rel == ">=":
        return -d <= tol * scale
    if rel == "<":
        return d < -tol * scale
    if rel == ">":
        return d > tol * scale
    raise ValueError(rel)


def screen(
    left: sp.Basic,
    right: sp.Basic,
    ctx: Context,
    relation: str = "=",
    points: int = 12,
    max_points: int = 48,
    seed: int = 20261126,
) -> Screen:
    """Evaluate ``left relation right`` at points of the assumed domain."""
    result = Screen()
    domain = Domain(ctx, seed=seed)
    exprs = [left, right]
    sizes = size_symbols(exprs, ctx)
    idx = index_symbols(exprs, ctx)
    ranges = {}
    for i in idx:
        lo, hi = ctx.range_of(i)
        ranges[i] = (int(sp.sympify(lo).xreplace(sizes)), int(sp.sympify(hi).xreplace(sizes)))
    cache: dict[tuple, _Prepared | str] = {}
    seen_sign: dict[sp.Symbol, set[str]] = {}
    both_sign: dict[sp.Symbol, set[str]] = {}

    for attempt in range(max_points):
        if result.agree >= points or result.counterexample is not None:
            break
        if attempt >= points and result.agree == 0 and attempt >= max_points // 2 and result.one_sided is None:
            break
        # indices (rejecting those that violate constraints such as i != j)
        assign = {}
        for _ in range(30):
            assign = {i: domain.index(*ranges[i]) for i in idx}
            if domain.satisfies(assign):
                break
        key = tuple(sorted((str(k), int(v)) for k, v in assign.items()))
        if key not in cache:
            subs = {**sizes, **assign}
            try:
                le, re_, groups, mismatch = prepare_numeric(left, right, ctx, subs)
                if mismatch:
                    result.shape_mismatch = True
                    result.problem = "the two sides have different shapes"
                    return result
                atoms = sorted(
                    {a for e in le + re_ for a in e.free_symbols} - {x for _, m, _ in groups for x in m},
                    key=sp.default_sort_key,
                )
                cache[key] = _Prepared(
                    [compile_expr(e) for e in le], [compile_expr(e) for e in re_], le, re_, atoms, groups, subs
                )
            except Unsupported as exc:
                cache[key] = str(exc)
            except _MATH_ERRORS + (NotImplementedError, AttributeError) as exc:
                cache[key] = f"cannot evaluate: {type(exc).__name__}: {exc}"
        prep = cache[key]
        if isinstance(prep, str):
            result.problem = prep
            return result
        result.tried += 1
        exact: dict[sp.Basic, sp.Basic] = {}
        for _ in range(30):
            exact = {}
            for name, entries, unit in prep.matrices:
                m = domain.matrix(entries.rows, entries.cols, unit)
                exact.update(zip(entries, m))
            for a in prep.atoms:
                exact[a] = domain.scalar(a)
            if domain.satisfies({**exact, **assign}):
                break
        env = {a: mpmath.mpf(v.p) / v.q if v.is_Rational else mpmath.mpf(str(v)) for a, v in exact.items()}
        with mpmath.workdps(DPS):
            env = {a: +v for a, v in env.items()}
            lv, lk = _evaluate(prep.left, env)
            rv, rk = _evaluate(prep.right, env)
        point = _display_point(prep, exact)
        for a in prep.atoms:
            if isinstance(a, sp.Symbol) and not a.is_positive:
                sign = "pos" if exact[a] > 0 else "nonpos"
                seen_sign.setdefault(a, set()).add(sign)
                if lv is not None and rv is not None:
                    both_sign.setdefault(a, set()).add(sign)
        if lv is None or rv is None:
            if (lv is None) != (rv is None) and result.one_sided is None:
                result.one_sided = (point, "left" if lv is not None else "right")
            continue
        tol = mpmath.mpf(10) ** (-(DPS - 10))
        if all(_holds(relation, a, b, tol) for a, b in zip(lv, rv)):
            result.agree += 1
            continue
        # confirm at high precision before calling it a counterexample
        with mpmath.workdps(CONFIRM_DPS):
            env2 = {a: (mpmath.mpf(v.p) / v.q if v.is_Rational else mpmath.mpf(str(v))) for a, v in exact.items()}
            lv2, _ = _evaluate(prep.left, env2)
            rv2, _ = _evaluate(prep.right, env2)
            tol2 = mpmath.mpf(10) ** (-(CONFIRM_DPS - 10))
            if lv2 is None or rv2 is None or all(_holds(relation, a, b, tol2) for a, b in zip(lv2, rv2)):
                result.agree += 1  # float noise, not a counterexample
                continue
            result.counterexample = point
            result.values = (_join(lv2), _join(rv2))
    result.restrict = tuple(
        sorted(
            (s for s, signs in both_sign.items() if signs == {"pos"} and "nonpos" in seen_sign.get(s, ())),
            key=str,
        )
    )
    return result


def _join(vals) -> str:
    if len(vals) == 1:
        return _mp_str(vals[0])
    return "[" + ", ".join(_mp_str(v) for v in vals) + "]"


def _display_point(prep: _Prepared, exact: dict) -> Point:
    values: dict[sp.Basic, sp.Basic] = {}
    for k, v in prep.fixed.items():
        values[k] = v
    for name, entries, _ in prep.matrices:
        values[sp.Symbol(name)] = sp.ImmutableMatrix(entries.rows, entries.cols, [exact[e] for e in entries])
    for a in prep.atoms:
        values[a] = exact[a]
    return Point(tuple(values.items()))
