"""Human-readable check output: one line per step, a summary; colour on a terminal."""
from __future__ import annotations

from typing import Sequence, TextIO

from symproof.check.verdict import Report, Status

_COLOURS = {
    Status.PROVED: "\033[32m",
    Status.NUMERIC: "\033[33m",
    Status.REFUTED: "\033[31m",
    Status.UNKNOWN: "\033[35m",
}
_RESET = "\033[0m"


def _status(s: Status, colour: bool) -> str:
    text = f"{s.value:<8}"
    return f"{_COLOURS[s]}{text}{_RESET}" if colour else text


def human_report(reports: Sequence[Report], out: TextIO, seconds: float, colour: bool = False) -> None:
    totals = {s: 0 for s in Status}
    for r in reports:
        out.write(f"{r.name} — {r.title}\n")
        for v in r.steps:
            out.write(f"  line {v.line:>2} {v.relation or '':>3}  {_status(v.status, colour)} {v.method:<44} {v.seconds:6.3f}s\n")
            _details(v, out)
        for v in r.claims:
            out.write(f"  claim    {_status(v.status, colour)} {v.label}\n           {v.method}  {v.seconds:.3f}s\n")
            _details(v, out)
        for v in r.verdicts:
            totals[v.status] += 1
    n = sum(totals.values())
    summary = ", ".join(f"{totals[s]} {s.value}" for s in Status)
    out.write(f"\n{len(reports)} derivations, {n} steps and claims: {summary} ({seconds:.2f} s)\n")


def _details(v, out: TextIO) -> None:
    if v.status is not Status.PROVED:
        out.write(f"           {v.message}\n")
    for note in v.notes:
        out.write(f"           note: {note}\n")


def human_grade(grade, out: TextIO, colour: bool = False) -> None:
    """One line per graded line: its number, relation, status and why.

    Unreadable lines are listed in place (``error``) within their chain, and
    declarations that could not be applied before the chains.
    """
    totals = {s: 0 for s in Status}
    placed = set()
    rows_by_part = []
    for part in grade.parts:
        span = dict(part.extra).get("span") or (0, -1)
        errs = [e for e in grade.errors if span[0] <= e.line <= span[1]]
        placed.update(id(e) for e in errs)
        rows_by_part.append(sorted([(v.line, 0, v) for v in part.steps] + [(e.line, 1, e) for e in errs],
                                   key=lambda r: (r[0], r[1])))
    for e in grade.errors:
        if id(e) not in placed:
            out.write(f"  line {e.line:>3}      {_error(colour)} {e.reason}\n")
    for part, rows in zip(grade.parts, rows_by_part):
        out.write(f"{part.name}\n")
        for _, kind, item in rows:
            if kind:
                out.write(f"  line {item.line:>3}      {_error(colour)} {item.reason}\n")
                continue
            v = item
            totals[v.status] += 1
            out.write(f"  line {v.line:>3} {v.relation or '':>3}  {_status(v.status, colour)} {v.method}\n")
            if v.status is not Status.PROVED:
                out.write(f"           {v.message}\n")
            for note in v.notes:
                out.write(f"           note: {note}\n")
    n = sum(totals.values())
    summary = ", ".join(f"{totals[s]} {s.value}" for s in Status)
    extra = f", {len(grade.errors)} unreadable" if grade.errors else ""
    out.write(f"\n{len(grade.parts)} chains, {n} steps: {summary}{extra} ({grade.seconds:.2f} s)\n")


def _error(colour: bool) -> str:
    text = f"{'error':<8}"
    return f"\033[1;31m{text}{_RESET}" if colour else text


def batch_line(name: str, grade) -> str:
    """`name: 7/9 steps ok, first wrong line 12`."""
    steps = [v for p in grade.parts for v in p.steps]
    ok = sum(v.ok for v in steps)
    wrong = sorted([v.line for v in steps if not v.ok] + [e.line for e in grade.errors])
    first = f", first wrong line {wrong[0]}" if wrong else ""
    if grade.errors and not grade.parts and grade.errors[0].line == 0:
        return f"{name}: not graded: {grade.errors[0].reason}"
    return f"{name}: {ok}/{len(steps)} steps ok{first}"


def progress(done: int, total: int, out: TextIO) -> None:
    width = 30
    filled = int(width * done / max(total, 1))
    out.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total} submissions")
    out.flush()
