"""Fuzzing the grader with LaTeX-like submissions (strategies.latex_submissions).

Whatever the text, ``grade_text`` through a worker pool returns a Grade
whose every line is a verdict or an error entry, and never raises; the JSON
and the human report render. A bounded number of examples, one pool for the
module (its workers are reused across examples, as in a class batch).
"""
from __future__ import annotations

import faulthandler
import io
import json
import re

import pytest
from hypothesis import HealthCheck, given, settings

from strategies import latex_like, latex_submissions
from symproof.check.engine import Options
from symproof.check.verdict import Status
from symproof.cli.report import batch_line, human_grade
from symproof.grade.grader import Grade, LineError, grade_text
from symproof.isolate import WorkerPool

OPTIONS = Options(step_seconds=0.5)
FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@pytest.fixture(scope="module")
def pool():
    was_enabled = faulthandler.is_enabled()
    faulthandler.disable()  # a worker that GMP aborts at its cap must not print pytest's crash dump
    try:
        with WorkerPool(1, memory_mb=512) as p:
            yield p
    finally:
        if was_enabled:
            faulthandler.enable()


def _check(grade: object, text: str) -> None:
    assert isinstance(grade, Grade), type(grade)
    lines = re.split(r"\r\n|\r|\n", text)
    graded_lines = set()
    for e in grade.errors:
        assert isinstance(e, LineError)
        assert isinstance(e.reason, str) and e.reason.strip() and "Traceback" not in e.reason
        assert 1 <= e.line <= len(lines), (e, len(lines))
        assert e.column is None or 0 <= e.column <= len(lines[e.line - 1]), e
    for part in grade.parts:
        for v in part.steps:
            assert isinstance(v.status, Status)
            assert isinstance(v.message, str) and "Traceback" not in v.message
            assert v.line is not None and 1 <= v.line <= len(lines), v
            assert v.line not in graded_lines, f"line {v.line} has two verdicts"
            graded_lines.add(v.line)
    json.dumps(grade.to_json())
    human_grade(grade, io.StringIO(), colour=False)
    batch_line("fuzz.tex", grade)


@FUZZ
@given(text=latex_submissions())
def test_any_submission_gets_verdicts_or_clean_errors(pool, text):
    faulthandler.dump_traceback_later(60, exit=True)  # a hang in this process fails the run instead of stalling it
    try:
        grade = grade_text(text, options=OPTIONS, pool=pool)
    finally:
        faulthandler.cancel_dump_traceback_later()
    _check(grade, text)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(left=latex_like(), right=latex_like())
def test_any_two_formulas_as_a_step(pool, left, right):
    """The common shape, without the chain splitter: `L` then `= R` (no newlines inside)."""
    left, right = left.replace("\n", " "), right.replace("\n", " ")
    text = f"{left}\n= {right}"
    grade = grade_text(text, options=OPTIONS, pool=pool)
    _check(grade, text)
    # line 2 is accounted for: a verdict, or an error on it or on line 1
    lines_seen = {v.line for p in grade.parts for v in p.steps} | {e.line for e in grade.errors}
    assert lines_seen & {1, 2}, (grade.errors, [p.steps for p in grade.parts])
