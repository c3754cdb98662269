"""Grade a submission: every line against the line before it.

Grading is a pure function of (submission text, options) → :class:`Grade`,
so a course can map it over files with any executor.
"""
from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Callable, Generator

import sympy as sp

from symproof.check.engine import DEFAULT, Options
from symproof.check.verdict import Report, Status, Verdict
from symproof.errors import DerivationError, LatexParseError, SymproofError, UnknownNameError
from symproof.grade.submission import Declaration, MathLine, split_submission
from symproof.grade.tasks import declare_task, first_task, step_task
from symproof.isolate.pool import Outcome

if TYPE_CHECKING:
    from symproof.isolate.pool import WorkerPool
from symproof.model.context import Context
from symproof.model.derivation import Relation
from symproof.parse import relation_sides

__all__ = ["LineError", "Grade", "Request", "grade_text", "grade_process", "drive", "run_inline", "context_of_derivation"]


@dataclass(frozen=True)
class LineError:
    """A line that could not be read: ``file:line:col: reason``."""

    line: int
    column: int | None
    reason: str

    def where(self, filename: str = "<input>") -> str:
        col = f":{self.column + 1}" if self.column is not None else ""
        return f"{filename}:{self.line}{col}: {self.reason}"

    def to_json(self) -> dict[str, Any]:
        return {"line": self.line, "column": None if self.column is None else self.column + 1,
                "status": "error", "message": self.reason}


@dataclass(frozen=True)
class Grade:
    """The graded submission: one report per chain, plus unreadable lines."""

    parts: tuple[Report, ...]
    errors: tuple[LineError, ...] = ()
    notes: tuple[str, ...] = ()
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.errors and all(p.ok for p in self.parts)

    def to_json(self) -> dict[str, Any]:
        parts = []
        for p in self.parts:
            doc = p.to_json()
            doc["steps"] = sorted(
                doc["steps"] + [e.to_json() for e in self.errors if p.extra and _in_part(e.line, p)],
                key=lambda s: s["line"],
            )
            doc.pop("claims", None)
            parts.append(doc)
        return {"ok": self.ok, "parts": parts,
                "errors": [e.to_json() for e in self.errors]}


def _in_part(line: int, part: Report) -> bool:
    span = dict(part.extra).get("span")
    return bool(span) and span[0] <= line <= span[1]


def context_of_derivation(name: str) -> Context:
    """The context of a registered derivation, with every name its lines use."""
    from symproof import registry

    d = registry.get(name)
    names: set[sp.Basic] = set()
    for line in d.lines:
        e = line.expr
        names |= {s for s in e.free_symbols}
        names |= {i.base for i in e.atoms(sp.Indexed)}
        names |= set(e.atoms(sp.MatrixSymbol))
        for f in e.atoms(sp.Function):
            if isinstance(type(f), sp.core.function.UndefinedFunction):
                names.add(type(f))
    names -= {i.base.label for line in d.lines for i in line.expr.atoms(sp.Indexed)}
    return d.context.with_symbols(*sorted(names, key=str))


@dataclass(frozen=True)
class Request:
    """A unit of work the grading process asks its driver to run."""

    fn: Callable
    args: tuple
    timeout: float


GradeProcess = Generator[Request, Outcome, Grade]


def _describe(prev_text: str, rel: Relation, cur_text: str) -> str:
    return f"{prev_text}  {rel.latex}  {cur_text}"


def _reason(exc: object) -> str:
    return getattr(exc, "reason", None) or str(exc)


def _hard_limit(options: Options) -> float:
    """The worker's wall-time budget: the engine's own budget, and a margin
    for what SIGALRM cannot interrupt (long GMP calls)."""
    return options.step_seconds * 1.5 + 2.0


def _failed(outcome: Outcome, options: Options) -> Verdict | None:
    if outcome.kind == "timeout":
        return Verdict(Status.UNKNOWN, "time limit", outcome.seconds,
                       message=f"time limit: the check was stopped after {outcome.seconds:.1f} s")
    if outcome.kind == "memory":
        return Verdict(Status.UNKNOWN, "memory limit", outcome.seconds,
                       message="memory limit: the check needed more memory than a worker may use")
    if outcome.kind == "error" and not isinstance(outcome.value, LatexParseError):
        return Verdict(Status.UNKNOWN, "internal error", outcome.seconds,
                       message=f"the check failed: {_reason(outcome.value)}")
    return None


def grade_process(text: str, context: Context | None = None, options: Options = DEFAULT) -> GradeProcess:
    """Grading as a generator: it yields the work to run (declarations,
    line reads, steps) and receives each :class:`Outcome`; its return value
    is the :class:`Grade`. A driver decides where the work runs."""
    t0 = time.perf_counter()
    ctx = context or Context()
    sub = split_submission(text)
    parts: list[Report] = []
    errors: list[LineError] = []
    limit = _hard_limit(options)
    for item in sub.items:
        if isinstance(item, Declaration):
            out = yield Request(declare_task, (item.body, ctx), limit)
            if out.ok:
                ctx = out.value
            else:
                exc = out.value
                col = getattr(exc, "column", None)
                errors.append(LineError(item.number, item.column + (col or 0),
                                        _reason(exc) if out.kind == "error" else f"declaration stopped: {out.kind} limit"))
            continue
        parts.append((yield from _grade_chain(item, ctx, options, errors, len(parts) + 1, limit)))
    return Grade(tuple(parts), tuple(errors), (), time.perf_counter() - t0)


def _grade_chain(chain: list[MathLine], ctx: Context, options: Options, errors: list[LineError],
                 number: int, limit: float):
    t0 = time.perf_counter()
    verdicts: list[Verdict] = []
    prev: MathLine | None = None
    unreadable: int | None = None  # the last line of this chain that could not be read
    for pos, line in enumerate(chain):
        if line.relation == "missing":
            errors.append(LineError(line.number, line.column,
                                    "expected a relation (=, \\le, <, \\ge, >, \\iff, \\implies) at the start of "
                                    "this line, or a blank line before a new chain"))
            prev, unreadable = None, line.number
            continue
        if line.relation is None or prev is None:
            following = chain[pos + 1].relation if pos + 1 < len(chain) else None
            out = yield Request(first_task, (line.math, following, ctx, options), limit)
            if not out.ok:
                prev, unreadable = None, line.number
                _line_error(errors, line, out)
                continue
            notes, first = out.value
            if line.relation is not None and unreadable is not None:
                verdicts.append(_not_checked(line, unreadable, notes))
            elif line.relation is None and first is not None:  # `(a+b)^2 &= a^2 + 2ab + b^2`: a step
                sides = relation_sides(line.math)
                verdicts.append(_feedback(first, sides[0], Relation.parse(first.relation), sides[-1]).with_(
                    line=line.number, seconds=out.seconds))
            prev, unreadable = line, None
            continue
        out = yield Request(step_task, (prev.math, line.relation, line.math, ctx, options), limit)
        rel = Relation.parse(line.relation)
        failed = _failed(out, options)
        if failed is None and out.kind == "error":  # a parse error escaped as an exception
            _line_error(errors, line, out)
            prev, unreadable = None, line.number
            continue
        if failed is not None:
            v = failed
        else:
            kind, value = out.value
            if kind == "cur":
                _line_error(errors, line, Outcome("error", value))
                prev, unreadable = None, line.number
                continue
            if kind == "prev":
                prev = line  # the previous line's own task reported it
                continue
            v = value.with_(seconds=out.seconds)
        verdicts.append(_feedback(v, _shown(prev.math, rel), rel, line.math).with_(line=line.number,
                                                                                  relation=rel.value))
        prev = line
    span = (chain[0].number, chain[-1].number)
    return Report(f"chain {number} (line {chain[0].number})", tuple(verdicts), (), time.perf_counter() - t0,
                  extra=(("span", span),))


_ASSIGNED = re.compile(r"(?<![\\\w])([A-Za-z][A-Za-z0-9]*)(?=(?:_\w+|_\{[^{}]*\})? (?:=|<|>|<=|>=|≤|≥) )")


def _student_names(text: str) -> str:
    """``mu = 0``, ``muhat = 1`` → ``\\mu = 0``, ``\\hat{\\mu} = 1``: points named as the student writes them."""
    def latex(m: re.Match) -> str:
        name = m.group(1)
        shown = sp.latex(sp.Symbol(name))
        return shown if shown.startswith("\\") else name
    return _ASSIGNED.sub(latex, text)


def _feedback(v: Verdict, left: str, rel: Relation, right: str) -> Verdict:
    """The verdict in the student's notation, with what was compared (as written)."""
    message = _student_names(v.message.replace(" fails at : ", " fails: "))
    return v.with_(message=f"{message} [compared: {_describe(left, rel, right)}]",
                   notes=tuple(_student_names(n) for n in v.notes))


def _not_checked(line: MathLine, unreadable: int | None, notes: tuple[str, ...] = ()) -> Verdict:
    return Verdict(Status.UNKNOWN, "none", line=line.number, relation=Relation.parse(line.relation).value,
                   message=f"not checked: line {unreadable} could not be read, so this line has nothing to be "
                           "compared with", notes=tuple(notes))


def _shown(prev_text: str, rel: Relation) -> str:
    """The previous line as it takes part in the comparison: R of ``L = R`` in a chain of ``=``."""
    if rel.is_logical:
        return prev_text
    return relation_sides(prev_text)[-1]


def _line_error(errors: list[LineError], line: MathLine, out: Outcome) -> None:
    exc = out.value
    if isinstance(exc, LatexParseError):
        col = line.column + exc.column if exc.column is not None else line.column
        reason = exc.reason if exc.reason.startswith("one step per line") else f"cannot read this LaTeX: {exc.reason}"
        errors.append(LineError(line.number, col, reason))
    elif out.kind in ("timeout", "memory"):
        errors.append(LineError(line.number, line.column, f"reading or checking this line hit the {out.kind} limit"))
    else:
        errors.append(LineError(line.number, line.column, f"cannot read this line: {_reason(exc)}"))


def run_inline(request: Request) -> Outcome:
    """Run a request in this process (trusted input: the engine's own
    SIGALRM budgets apply, but nothing can stop a long GMP call)."""
    t0 = time.perf_counter()
    try:
        return Outcome("ok", request.fn(*request.args), time.perf_counter() - t0)
    except MemoryError:
        return Outcome("memory", None, time.perf_counter() - t0)
    except (SymproofError, ArithmeticError, ValueError, TypeError, RecursionError) as exc:
        return Outcome("error", exc, time.perf_counter() - t0)


def drive(process: GradeProcess, run: Callable[[Request], Outcome]) -> Grade:
    """Run a grading process to the end, each request through ``run``."""
    try:
        request = next(process)
        while True:
            request = process.send(run(request))
    except StopIteration as stop:
        return stop.value


def grade_text(text: str, context: Context | None = None, options: Options = DEFAULT,
               pool: "WorkerPool | None" = None) -> Grade:
    """Grade every chain of a submission (declarations apply to what follows).

    Without ``pool`` the work runs in this process; with a
    :class:`~symproof.isolate.WorkerPool`, every read and check runs in a
    worker that is killed and replaced when it exceeds its time or memory.
    Either way the result depends only on (text, context, options).

    >>> g = grade_text("(a+b)^2\\n= a^2 + b^2")
    >>> g.parts[0].steps[0].status.value, sorted(g.parts[0].steps[0].counterexample)
    ('refuted', ['a', 'b'])
    """
    if pool is None:
        return drive(grade_process(text, context, options), run_inline)
    return drive(grade_process(text, context, options),
                 lambda r: pool.run(r.fn, r.args, r.timeout))
