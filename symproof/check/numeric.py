"""The high-precision numeric screen run on every step.

Both sides are evaluated at random exact points of the assumed domain with
40-digit mpmath arithmetic. A disagreement is re-evaluated at two higher
precisions (≥ 90 and ≥ 180 digits) and counts as a counterexample only when
it persists and does not move: rounding noise shrinks as digits are added,
so it never refutes a true step. Points where only one side is real feed the domain note.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

import mpmath
import sympy as sp
from sympy.core.function import AppliedUndef

from symproof.check.mpeval import Env, Unsupported, compile_expr
from symproof.check.normalise import solve_linear
from symproof.check.sampling import Domain, index_symbols, size_symbols
from symproof.model.context import Context

__all__ = ["Point", "Screen", "screen", "fmt_value", "fmt_point"]

DPS = 40
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
    if isinstance(v, sp.Lambda):
        args = ", ".join(str(a) for a in v.variables)
        return f"({args}) -> {v.expr}"
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


def _concretise(expr: sp.Basic, sizes: dict, functions: dict | None = None) -> sp.Basic:
    """Concrete sizes in, undefined functions made concrete, written
    derivatives evaluated. Sums, products, indices and matrices stay
    symbolic: the evaluator handles them."""
    e = expr.xreplace(sizes) if sizes else expr
    if functions:
        e = e.subs(functions)  # subs knows derivatives and Subs of a replaced function
    if e.has(sp.Derivative, sp.Subs):
        e = e.doit()
    return e


def random_functions(exprs, seed: int) -> dict:
    """A concrete smooth stand-in for every undefined function ``f`` in ``exprs``:
    an identity that holds for every ``f`` holds for these; a wrong one is
    refuted by them with a concrete ``f`` to show."""
    import random

    rng = random.Random(seed)
    out = {}
    funcs = sorted({n.func for e in exprs for n in e.atoms(AppliedUndef)}, key=lambda f: f.__name__)
    for f in funcs:
        nargs = len(next(n for e in exprs for n in e.atoms(AppliedUndef) if n.func == f).args)
        us = sp.symbols(f"u1:{nargs + 1}", real=True)

        def c() -> sp.Rational:
            return sp.Rational(rng.choice([-3, -2, -1, 1, 2, 3]), rng.choice([1, 2, 3]))

        body = c() + sum(c() * u for u in us) + sum(c() * a * b for a in us for b in us if str(a) <= str(b))
        body += c() * sp.sin(sum(c() * u for u in us))
        out[f] = sp.Lambda(us, body)
    return out


def _shape(e: sp.Basic) -> tuple[int, int]:
    if isinstance(e, (sp.MatrixExpr, sp.MatrixBase)):
        return int(e.shape[0]), int(e.shape[1])
    return (1, 1)


def _flat(v) -> list:
    if isinstance(v, mpmath.matrix):
        return [v[r, c] for r in range(v.rows) for c in range(v.cols)]
    return [v]


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


def _evaluate(f: Callable, env) -> tuple[list | None, str]:
    try:
        values = _flat(f(env))
    except Unsupported:
        raise  # not a property of the point: the screen cannot evaluate this at all
    except _MATH_ERRORS:
        return None, "undefined"
    out = []
    for v in values:
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
    try:
        functions = random_functions((left, right), seed)
        le, re_ = _concretise(left, sizes, functions), _concretise(right, sizes, functions)
        if _shape(le) != _shape(re_):
            result.shape_mismatch = True
            result.problem = f"the two sides have different shapes ({_shape(le)} and {_shape(re_)})"
            return result
        units = {u.name for u in ctx.unit_vectors}
        groups = sorted(le.atoms(sp.MatrixSymbol) | re_.atoms(sp.MatrixSymbol), key=lambda m: m.name)
        labels = {ix.base.label for e in (le, re_) for ix in e.atoms(sp.Indexed)}
        atoms = sorted(
            {a for e in (le, re_) for a in e.free_symbols if isinstance(a, sp.Symbol)} - set(idx)
            - _bound_symbols([le, re_]) - labels - set(sizes),
            key=sp.default_sort_key,
        )
        lf, rf = compile_expr(le), compile_expr(re_)
    except Unsupported as exc:
        result.problem = str(exc)
        return result
    except _MATH_ERRORS + (NotImplementedError, AttributeError) as exc:
        result.problem = f"cannot evaluate: {type(exc).__name__}: {exc}"
        return result

    def sample_entry(key):
        base, ints = key
        return domain.scalar(sp.Indexed(base, *ints))

    seen_sign: dict[sp.Symbol, set[str]] = {}
    both_sign: dict[sp.Symbol, set[str]] = {}
    # exact inputs with long literals (x + 10^-35) need more digits to be seen
    dps = DPS + _literal_digits(le, re_)
    tol = mpmath.mpf(10) ** (-(dps - 4))
    probes = _probes(atoms, (le, re_), domain)
    rejected = 0
    for attempt in range(max_points):
        if result.agree >= points or result.counterexample is not None:
            break
        if attempt >= max_points // 2 and result.agree == 0 and result.one_sided is None:
            break
        exact = _draw(domain, sizes, idx, ranges, groups, units, atoms,
                      probes[attempt] if attempt < len(probes) else None)
        if exact is None:
            rejected += 1
            continue
        result.tried += 1
        try:
            with mpmath.workdps(dps):
                env = Env(exact, sample_entry)
                lv, lk = _evaluate(lf, env)
                rv, rk = _evaluate(rf, env)
        except Unsupported as exc:
            result.problem = str(exc)
            return result
        for a in atoms:
            if not a.is_positive:
                sign = "pos" if exact[a] > 0 else "nonpos"
                seen_sign.setdefault(a, set()).add(sign)
                if lv is not None and rv is not None:
                    both_sign.setdefault(a, set()).add(sign)
        if lv is None or rv is None:
            if (lv is None) != (rv is None) and result.one_sided is None:
                result.one_sided = (_display_point(exact, functions), "left" if lv is not None else "right")
            continue
        if all(_holds(relation, a, b, tol) for a, b in zip(lv, rv)):
            result.agree += 1
            continue
        confirmed = _confirm(lf, rf, exact, sample_entry, relation, dps)
        if confirmed is None:
            result.agree += 1  # rounding noise of cancelling terms, not a counterexample
            continue
        result.counterexample = _display_point(exact, functions)
        result.values = confirmed
    if result.tried == 0 and rejected:
        result.problem = "could not draw points that satisfy the constraints"
    result.restrict = tuple(
        sorted(
            (s for s, signs in both_sign.items() if signs == {"pos"} and "nonpos" in seen_sign.get(s, ())),
            key=str,
        )
    )
    return result


def _draw(domain, sizes, idx, ranges, groups, units, atoms, probe) -> dict | None:
    """A point of the assumed domain (with ``probe``'s special values if they
    satisfy the constraints), or None when rejection sampling fails."""
    for tries in range(40):
        exact = {s: sp.Integer(v) for s, v in sizes.items()}
        for i in idx:
            exact[i] = domain.index(*ranges[i])
        for m in groups:
            rows, cols = _shape(m)
            exact[m] = domain.matrix(rows, cols, m.name in units)
        for a in atoms:
            exact[a] = domain.scalar(a)
        if probe is not None and tries < 10:
            exact.update(probe)
        if domain.satisfies(exact):
            return exact
    return None


def _literal_digits(*exprs) -> int:
    digits = 0
    for e in exprs:
        for r in e.atoms(sp.Rational):
            if abs(r.p) > 10**6 or r.q > 10**6:
                digits = max(digits, len(str(abs(r.p))) + len(str(r.q)))
    return min(digits, 2000)


def _confirm(lf, rf, exact, sample_entry, relation: str, dps: int) -> tuple[str, str] | None:
    """Re-evaluate a disagreement at two higher precisions. Rounding noise
    shrinks as digits are added; a real difference stays put. Returns both
    sides' values when the disagreement is real."""
    diffs, values = [], None
    for digits in (dps + 50, 2 * dps + 100):
        with mpmath.workdps(digits):
            env = Env(dict(exact), sample_entry)
            lv, _ = _evaluate(lf, env)
            rv, _ = _evaluate(rf, env)
            if lv is None or rv is None:
                return None
            tol = mpmath.mpf(10) ** (-(digits - 10))
            if all(_holds(relation, a, b, tol) for a, b in zip(lv, rv)):
                return None
            diffs.append([a - b for a, b in zip(lv, rv)])
            values = (_join(lv), _join(rv))
    (d1, d2) = diffs
    with mpmath.workdps(2 * dps + 100):
        for a, b in zip(d1, d2):
            scale = max(abs(a), abs(b))
            if scale == 0:
                continue  # equal sides: a real violation only of a strict relation
            if abs(a - b) > mpmath.mpf(10) ** -6 * scale:
                return None  # the difference moved with the precision: noise
    return values


def _probes(atoms: list, exprs, domain: Domain) -> list[dict]:
    """Special points tried first: 0, 1, −1 for every scalar, and the root of
    each linear one-symbol denominator (where a division by zero hides)."""
    probes = []
    for value in (0, 1, -1):
        probe = {a: sp.Integer(value) for a in atoms if domain.interval(a).contains(value) is sp.true}
        if probe:
            probes.append(probe)
    roots = set()
    for e in exprs:
        for p in e.atoms(sp.Pow):
            if p.exp.is_negative and len(p.base.free_symbols) == 1:
                (a,) = p.base.free_symbols
                if a in atoms:
                    r = solve_linear(p.base, a)
                    if r is not None and r.is_Rational and domain.interval(a).contains(r) is sp.true:
                        roots.add((a, r))
    probes += [{a: r} for a, r in sorted(roots, key=str)[:4]]
    return probes


def _bound_symbols(exprs) -> set:
    out = set()
    for e in exprs:
        for node in sp.preorder_traversal(e):
            if isinstance(node, (sp.Sum, sp.Product)):
                out |= {lim[0] for lim in node.limits}
    return out


def _join(vals) -> str:
    if len(vals) == 1:
        return _mp_str(vals[0])
    return "[" + ", ".join(_mp_str(v) for v in vals) + "]"


def _display_point(exact: dict, functions: dict | None = None) -> Point:
    """The point in the user's terms: sizes, indices, scalars, entries x_i,
    matrices, and the concrete functions that stood in for undefined ones."""
    values: dict[sp.Basic, sp.Basic] = {}
    for f, lam in (functions or {}).items():
        values[sp.Symbol(f.__name__)] = lam
    for key, v in exact.items():
        if isinstance(key, tuple):
            key = sp.Indexed(key[0], *key[1])
        elif isinstance(key, sp.MatrixSymbol):
            key = sp.Symbol(key.name)
        values[key] = v
    return Point(tuple(values.items()))
