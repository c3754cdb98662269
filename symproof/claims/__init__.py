"""Higher-level conclusions of a derivation, each checked to one Verdict.

- :class:`ArgMax` / :class:`ArgMin`: the first-order condition holds at the
  stated point and the objective is concave (convex) in the variable under
  the assumptions, so the point is the global maximiser (minimiser).
- :class:`Monotone`: the derivative's sign is proved on the open interval
  and the function is continuous at each closed endpoint (sympy's
  ``is_decreasing`` is wrong at endpoints where the derivative is undefined).
- :class:`MatrixIdentity` / :class:`HessianIs`: proved with matrix symbols,
  and cross-checked entry by entry at a concrete shape.
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field

import sympy as sp

from symproof.check.budget import Deadline, time_limit
from symproof.check.engine import DEFAULT, Options, check_relation, refuted_at
from symproof.check.normalise import has_sums, normalise_sums, prepare
from symproof.check.numeric import screen
from symproof.check.sampling import size_symbols
from symproof.check.strategies import _SYMPY_ERRORS, prove_sign
from symproof.check.verdict import Status, Verdict
from symproof.errors import CheckTimeout, DerivationError
from symproof.model.context import Context

__all__ = ["ArgMax", "ArgMin", "Monotone", "MatrixIdentity", "HessianIs", "Limit", "Induction", "Orthogonal"]

_RANK = {Status.PROVED: 0, Status.NUMERIC: 1, Status.UNKNOWN: 2, Status.REFUTED: 3}


def _weakest(*statuses: Status) -> Status:
    return max(statuses, key=_RANK.__getitem__)


def _normal(e: sp.Basic, ctx: Context) -> sp.Basic:
    return normalise_sums(e, ctx) if has_sums(e) else e


@dataclass(frozen=True)
class _Extremum:
    """``name`` (e.g. μ̂) is how the result is written on the sheet."""

    objective: sp.Basic
    var: sp.Symbol
    at: sp.Basic
    name: sp.Basic | None = None
    kind = "max"

    def describe(self) -> str:
        return f"arg{self.kind} over {self.var} is {self.name or self.var} = {self.at}"

    def check(self, context: Context, options: Options = DEFAULT) -> Verdict:
        t0 = time.perf_counter()
        f = prepare(self.objective, context)
        g = sp.diff(f, self.var)
        foc = check_relation(g.subs(self.var, self.at), "=", 0, context, options)
        if foc.status is Status.REFUTED:
            return foc.with_(method="first-order", seconds=time.perf_counter() - t0,
                             message=f"the derivative is not zero at {self.var} = {self.at}: {foc.message}")
        h = _normal(sp.diff(g, self.var), context)
        want, rel = ("neg", "<") if self.kind == "max" else ("pos", ">")
        sc = screen(h, sp.S.Zero, context, rel, points=options.points, seed=options.seed)
        if sc.counterexample is not None:
            return refuted_at(sc, t0, "second-order",
                              f"the second derivative {h} is not {'negative' if want == 'neg' else 'positive'} "
                              f"everywhere: at {sc.counterexample.display()} it is {sc.values[0]}")
        sign = prove_sign(h, want, context, Deadline(options.step_seconds))
        soc = Status.PROVED if sign else (Status.NUMERIC if sc.agree else Status.UNKNOWN)
        status = _weakest(foc.status, soc)
        shape = "concave" if self.kind == "max" else "convex"
        return Verdict(
            status, f"first-order:{foc.method}+second-order:{sign or 'numeric-screen'}", time.perf_counter() - t0,
            message=(f"d/d{self.var} = 0 at {self.var} = {self.at}; second derivative {h} "
                     f"{'<' if want == 'neg' else '>'} 0, so the objective is {shape} in {self.var}"),
            notes=foc.notes,
        )


@dataclass(frozen=True)
class ArgMax(_Extremum):
    """``at`` maximises ``objective`` over ``var``."""

    kind = "max"


@dataclass(frozen=True)
class ArgMin(_Extremum):
    """``at`` minimises ``objective`` over ``var``."""

    kind = "min"


@dataclass(frozen=True)
class Monotone:
    """``expr`` is strictly increasing/decreasing in ``var`` on ``interval``."""

    expr: sp.Basic
    var: sp.Symbol
    interval: sp.Interval
    direction: str = "decreasing"

    def describe(self) -> str:
        return f"{self.expr} is {self.direction} in {self.var} on {self.interval}"

    def check(self, context: Context, options: Options = DEFAULT) -> Verdict:
        t0 = time.perf_counter()
        iv = self.interval
        f = prepare(self.expr, context)
        g = sp.diff(f, self.var)
        bounds = [sp.StrictGreaterThan(self.var, iv.start)] if iv.start.is_finite else []
        bounds += [sp.StrictLessThan(self.var, iv.end)] if iv.end.is_finite else []
        inside = context.with_constraints(*bounds)
        want = "neg" if self.direction == "decreasing" else "pos"
        # sampled backup: the function's values in order along the interval
        bad = self._sample_order(f, context)
        if bad is not None:
            return Verdict(Status.REFUTED, "sampled-order", time.perf_counter() - t0, message=bad)
        sign = prove_sign(g, want, inside, Deadline(options.step_seconds))
        notes = []
        ends_ok = True
        for end, closed, direction in ((iv.start, not iv.left_open, "+"), (iv.end, not iv.right_open, "-")):
            if not closed or not end.is_finite:
                continue
            try:
                with time_limit(2.0):
                    value = f.subs(self.var, end)
                    lim = sp.limit(f, self.var, end, direction)
                cont = value.is_finite and lim.is_finite and sp.simplify(lim - value) == 0
            except (CheckTimeout,) + _SYMPY_ERRORS:
                cont = False
            if cont:
                notes.append(f"continuous at {self.var} = {end} (value {value}), so the endpoint is included")
            else:
                ends_ok = False
                notes.append(f"continuity at {self.var} = {end} not shown")
        if sign and ends_ok:
            return Verdict(Status.PROVED, f"derivative-sign:{sign}+continuity", time.perf_counter() - t0,
                           message=f"d/d{self.var} = {g} is {'negative' if want == 'neg' else 'positive'} on the "
                                   f"open interval", notes=tuple(notes))
        return Verdict(Status.NUMERIC, "sampled-order", time.perf_counter() - t0,
                       message="values ordered at sampled points; the derivative's sign or an endpoint was not proved",
                       notes=tuple(notes))

    def _sample_order(self, f: sp.Basic, ctx: Context) -> str | None:
        import mpmath

        lo, hi = self.interval.start, self.interval.end
        lo_n = lo if lo.is_finite else sp.Integer(-20)
        hi_n = hi if hi.is_finite else sp.Integer(20)
        xs = [lo_n + (hi_n - lo_n) * sp.Rational(k, 16) for k in range(17)]
        if self.interval.left_open:
            xs = xs[1:]
        if self.interval.right_open:
            xs = xs[:-1]
        others = f.free_symbols - {self.var}
        sub = {}
        if others:
            from symproof.check.sampling import Domain

            dom = Domain(ctx)
            sub = {s: dom.scalar(s) for s in others}
        vals = []
        for x in xs:
            v = sp.N(f.xreplace({**sub, self.var: x}), 30)
            if not v.is_real:
                continue
            vals.append((x, v))
        for (x1, v1), (x2, v2) in zip(vals, vals[1:]):
            ok = v2 < v1 if self.direction == "decreasing" else v2 > v1
            if not ok:
                return f"f({x1}) = {sp.N(v1, 6)} and f({x2}) = {sp.N(v2, 6)} are not {self.direction}"
        return None


def _explicit(e: sp.Basic, sizes: dict) -> sp.Basic:
    """At concrete sizes, matrix symbols become matrices of entry symbols."""
    e = e.xreplace(sizes)
    repl = {m: sp.Matrix(m.rows, m.cols, lambda r, c: sp.Symbol(f"{m.name}_{r}{c}", real=True)) for m in e.atoms(sp.MatrixSymbol)}
    e = e.xreplace(repl).doit()
    return sp.ImmutableMatrix(e.as_explicit() if isinstance(e, sp.MatrixExpr) else e)


def _at_concrete_shape(sym: Verdict, left, right, sizes: dict, t0: float, method: str, differs: str,
                       agrees: str) -> Verdict:
    """Confirm a symbolic matrix verdict entry by entry at concrete sizes:
    ``left(sizes)`` and ``right(sizes)`` give explicit matrices; ``differs``
    and ``agrees`` are message templates taking the shape."""
    if sym.status is Status.REFUTED:
        return sym.with_(seconds=time.perf_counter() - t0)
    shape = ", ".join(f"{k} = {v}" for k, v in sizes.items())
    try:
        same = (left(sizes) - right(sizes)).applyfunc(sp.expand).is_zero_matrix
    except _SYMPY_ERRORS as exc:
        return sym.with_(notes=sym.notes + (f"concrete-shape check failed to run: {exc}",),
                         seconds=time.perf_counter() - t0)
    if not same:
        return Verdict(Status.REFUTED, "concrete-shape", time.perf_counter() - t0,
                       message=differs.format(shape))
    return sym.with_(method=method.format(sym.method), seconds=time.perf_counter() - t0,
                     notes=sym.notes + (agrees.format(shape),))


@dataclass(frozen=True)
class MatrixIdentity:
    """``lhs = rhs`` for matrix expressions, plus an exact concrete-shape check."""

    lhs: sp.Basic
    rhs: sp.Basic
    what: str = ""

    def describe(self) -> str:
        return self.what or f"{self.lhs} = {self.rhs}"

    def check(self, context: Context, options: Options = DEFAULT) -> Verdict:
        t0 = time.perf_counter()
        sym = check_relation(self.lhs, "=", self.rhs, context, options)
        return _at_concrete_shape(sym, lambda z: _explicit(self.lhs, z), lambda z: _explicit(self.rhs, z),
                                  size_symbols([self.lhs, self.rhs], context), t0, "{}+concrete-shape",
                                  "entries differ at the concrete shape {}", "entry by entry equal at {}")


@dataclass(frozen=True)
class HessianIs:
    """The Hessian of the scalar ``objective`` in the vector ``var`` is ``equals``.

    Computed twice: by matrix calculus on the symbols, and at a concrete
    shape with ``sympy.hessian`` of the explicit scalar function.
    """

    objective: sp.Basic
    var: sp.MatrixSymbol
    equals: sp.Basic
    what: str = ""

    def describe(self) -> str:
        return self.what or f"Hessian of {self.objective} in {self.var} is {self.equals}"

    def check(self, context: Context, options: Options = DEFAULT) -> Verdict:
        t0 = time.perf_counter()
        f = prepare(self.objective, context)
        hess = sp.diff(sp.diff(f, self.var), self.var)
        sym = check_relation(hess, "=", self.equals, context, options)

        def explicit_hessian(sizes):
            return sp.hessian(_explicit(f, sizes)[0, 0], list(_explicit(self.var, sizes)))

        return _at_concrete_shape(sym, explicit_hessian, lambda z: _explicit(self.equals, z),
                                  size_symbols([f, self.equals, self.var], context), t0,
                                  "matrix-calculus:{}+concrete-hessian",
                                  "sympy.hessian at {} differs from the claimed matrix",
                                  "sympy.hessian of the explicit function at {} agrees")


@dataclass(frozen=True)
class Limit:
    """``expr → equals`` as ``var → point`` (``direction`` "+" or "-"; ``point`` may be ±oo).

    The limit is computed by sympy under a time limit and compared with
    ``equals``; values of ``expr`` ever closer to ``point`` back it numerically.
    """

    expr: sp.Basic
    var: sp.Symbol
    point: sp.Basic
    equals: sp.Basic
    direction: str = "+"

    def describe(self) -> str:
        return f"{self.expr} -> {self.equals} as {self.var} -> {self.point}"

    def _approach(self) -> list[sp.Basic]:
        p = sp.sympify(self.point)
        if p is sp.oo:
            return [sp.Integer(10) ** k for k in (2, 4, 8, 16)]
        if p is -sp.oo:
            return [-sp.Integer(10) ** k for k in (2, 4, 8, 16)]
        sign = 1 if self.direction == "+" else -1
        return [p + sign * sp.Integer(10) ** -k for k in (2, 4, 8, 16)]

    def check(self, context: Context, options: Options = DEFAULT) -> Verdict:
        t0 = time.perf_counter()
        f = prepare(self.expr, context)
        target = sp.sympify(self.equals)
        # numeric: the gap to the claimed limit must shrink towards 0 (mpmath, so
        # (1 + 10^-16)^(10^16) is a float power, not an exact rational one)
        gaps: list = []
        approach = self._approach()
        if not (f.free_symbols - {self.var}):
            import mpmath

            from symproof.check.mpeval import Env, Unsupported, compile_expr

            try:
                fn, goal = compile_expr(f), compile_expr(target)
                with mpmath.workdps(60):
                    for x in approach:
                        gaps.append(abs(fn(Env({self.var: x})) - goal(Env({}))))
            except (Unsupported, ZeroDivisionError, ValueError, OverflowError, TypeError):
                gaps = []
            if gaps and gaps[-1] > 1e-3 and gaps[-1] >= gaps[0]:
                return Verdict(Status.REFUTED, "numeric-approach", time.perf_counter() - t0,
                               message=f"at {self.var} = {approach[-1]} the expression is {gaps[-1]} away from "
                                       f"{self.equals}, and not getting closer")
        lim = None
        # cancelling first often turns a 1 s limit into a 20 ms one
        for form in (lambda: sp.cancel(sp.together(f)), lambda: f):
            try:
                with time_limit(min(options.step_seconds, 3.0) / 2):
                    lim = sp.limit(form(), self.var, self.point, self.direction)
            except (CheckTimeout,) + _SYMPY_ERRORS:
                lim = None
            if lim is not None and not lim.has(sp.Limit):
                break
        if lim is None or lim.has(sp.Limit):
            status = Status.NUMERIC if gaps and gaps[-1] < 1e-6 else Status.UNKNOWN
            return Verdict(status, "numeric-approach", time.perf_counter() - t0,
                           message="sympy could not compute the limit; values approach it" if status is Status.NUMERIC
                           else "sympy could not compute the limit")
        same = check_relation(lim, "=", target, context, options)
        if same.status is Status.PROVED:
            return Verdict(Status.PROVED, f"limit+{same.method}", time.perf_counter() - t0,
                           message=f"the limit is {lim}")
        if same.status is Status.REFUTED or (lim.is_number and target.is_number and sp.N(lim - target, 30) != 0):
            return Verdict(Status.REFUTED, "limit", time.perf_counter() - t0,
                           message=f"the limit is {lim}, not {self.equals}")
        return same.with_(seconds=time.perf_counter() - t0, message=f"the limit is {lim}: {same.message}")


def _as_tuple(x) -> tuple:
    return tuple(x) if isinstance(x, (tuple, list)) else (x,)


@dataclass(frozen=True)
class Induction:
    """A closed form of a recurrence, proved by induction on ``k``.

    The state ``state`` (symbols) starts at ``initial`` for ``k = start`` and
    moves by ``step`` (expressions in the state, and possibly ``k``). The
    claim: the state at ``k`` is ``closed_form`` (expressions in ``k``) for
    every integer ``k ≥ start``. Checked: base case, inductive step
    ``step(closed_form(k)) = closed_form(k + 1)`` with ``k`` a symbolic
    integer ≥ ``start``, and the recurrence iterated exactly a few times.
    """

    state: tuple
    initial: tuple
    step: tuple
    closed_form: tuple
    k: sp.Symbol
    start: int = 0
    what: str = ""

    def __post_init__(self) -> None:
        for name in ("state", "initial", "step", "closed_form"):
            object.__setattr__(self, name, tuple(sp.sympify(x, strict=True) for x in _as_tuple(getattr(self, name))))
        if not (len(self.state) == len(self.initial) == len(self.step) == len(self.closed_form)):
            raise DerivationError("state, initial, step and closed_form must have the same length")
        if not (self.k.is_integer and self.k.is_nonnegative):
            raise DerivationError(f"{self.k} must be declared integer=True, nonnegative=True")

    def describe(self) -> str:
        return self.what or f"{self.state} at step {self.k} is {self.closed_form}"

    def check(self, context: Context, options: Options = DEFAULT) -> Verdict:
        t0 = time.perf_counter()
        k = self.k
        parts = []
        worst = Status.PROVED
        # base case
        for s, init, form in zip(self.state, self.initial, self.closed_form):
            v = check_relation(form.subs(k, self.start), "=", init, context, options)
            if v.status is not Status.PROVED:
                return v.with_(method=f"base-case:{v.method}", seconds=time.perf_counter() - t0,
                               message=f"base case k = {self.start} for {s}: {v.message}")
        parts.append("base case")
        # inductive step (k ≥ start: shift so that sympy's nonnegativity applies)
        at_k = dict(zip(self.state, (f for f in self.closed_form)))
        for s, nxt, form in zip(self.state, self.step, self.closed_form):
            lhs = nxt.xreplace(at_k)
            v = check_relation(lhs, "=", form.subs(k, k + 1), context, options)
            if v.status is Status.REFUTED or v.status is Status.UNKNOWN:
                return v.with_(method=f"inductive-step:{v.method}", seconds=time.perf_counter() - t0,
                               message=f"inductive step for {s}: {v.message}")
            worst = _weakest(worst, v.status)
        parts.append("inductive step")
        # a few concrete k, iterating the recurrence in exact arithmetic at
        # sampled parameter values (rational functions of b grow fast; numbers do not)
        from symproof.check.sampling import Domain

        exprs = list(self.initial) + list(self.step) + list(self.closed_form)
        params = sorted({x for e in exprs for x in e.free_symbols} - set(self.state) - {k}, key=str)
        domain = Domain(context, seed=options.seed)
        for trial in range(2):
            at = {}
            for _ in range(40):
                at = {p_: domain.scalar(p_) for p_ in params}
                if domain.satisfies(at):
                    break
            values = {s_: sp.sympify(v_).xreplace(at) for s_, v_ in zip(self.state, self.initial)}
            for n in range(self.start + 1, self.start + 5):
                values = {s_: nxt.xreplace({**at, **values, k: n - 1}) for s_, nxt in zip(self.state, self.step)}
                for s_, form in zip(self.state, self.closed_form):
                    want = form.xreplace({**at, k: n})
                    gap = sp.N(values[s_] - want, 50)
                    if not gap.is_number or abs(gap) > sp.Float("1e-40"):
                        shown = ", ".join(f"{a} = {b}" for a, b in at.items())
                        return Verdict(Status.REFUTED, "iterate", time.perf_counter() - t0,
                                       message=f"iterating the recurrence to k = {n} at {shown}: {s_} is "
                                               f"{values[s_]}, the closed form gives {want}",
                                       counterexample={**{str(a): str(b) for a, b in at.items()}, str(k): str(n)},
                                       values=(str(values[s_]), str(want)), point={**at, k: sp.Integer(n)})
        parts.append(f"k = {self.start + 1}..{self.start + 4} iterated exactly at two sampled parameter points")
        return Verdict(worst, "induction", time.perf_counter() - t0, message="; ".join(parts) + " hold")


@dataclass(frozen=True)
class Orthogonal:
    """``u · v = 0`` for vectors given as tuples of expressions (or column matrices)."""

    u: tuple
    v: tuple
    what: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "u", _as_tuple(self.u))
        object.__setattr__(self, "v", _as_tuple(self.v))

    def describe(self) -> str:
        return self.what or f"{self.u} is orthogonal to {self.v}"

    def check(self, context: Context, options: Options = DEFAULT) -> Verdict:
        t0 = time.perf_counter()
        dot = sum((a * b for a, b in zip(self.u, self.v)), sp.S.Zero)
        v = check_relation(dot, "=", 0, context, options)
        return v.with_(method=f"dot-product:{v.method}", seconds=time.perf_counter() - t0,
                       message=f"u·v = {dot}: {v.message}")
