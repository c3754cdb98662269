"""Assertions for test suites: a derivation (or one step) must be proved.

``numeric`` (held at random points, no symbolic proof) is accepted only
where the test says why, so a step that silently loses its proof fails.

>>> from symproof import registry
>>> report = assert_derivation(registry.get("exponential_rate_mle"))
>>> report.ok
True
"""
from __future__ import annotations

from typing import Mapping, TypeVar

import sympy as sp

from symproof.check.engine import DEFAULT, Options, check_derivation, check_step
from symproof.check.verdict import Report, Status, Verdict
from symproof.model.context import Context
from symproof.model.derivation import Derivation, Step

__all__ = ["assert_derivation", "assert_step", "format_verdict", "step_heading"]

K = TypeVar("K", int, str)


def format_verdict(v: Verdict, heading: str) -> str:
    """A failed (or unexpected) verdict as indented text under ``heading``.

    >>> print(format_verdict(Verdict(Status.UNKNOWN, "none", message="no proof"), "line 2: = x"))
    line 2: = x
      status: unknown (method: none)
      message: no proof
    """
    out = [heading, f"  status: {v.status.value} (method: {v.method})"]
    if v.message:
        out.append(f"  message: {v.message}")
    out.extend(f"  note: {n}" for n in v.notes)
    if v.counterexample:
        out.append("  counterexample: " + ", ".join(f"{k} = {x}" for k, x in v.counterexample.items()))
    if v.values is not None:
        out.append(f"  values there: left = {v.values[0]}, right = {v.values[1]}")
    return "\n".join(out)


def step_heading(position: int | None, step: Step) -> str:
    """``line 3: = 2*x`` — the step's position, relation and written line."""
    rule = f"  [rule: {step.rule.describe()}]" if step.rule is not None else ""
    where = "step" if position is None else f"line {position}"
    return f"{where}: {step.relation.value} {sp.sstr(step.expr)}{rule}"


def _allowances(allow: Mapping[K, str] | None, known: set[K], param: str, what: str) -> dict[K, str]:
    allow = dict(allow or {})
    for key, reason in allow.items():
        if not isinstance(reason, str) or not reason.strip():
            raise ValueError(f"{param}[{key!r}] needs a non-empty reason, got {reason!r}")
        if key not in known:
            raise ValueError(f"{param}: {key!r} is not {what} of the derivation (known: {sorted(known, key=str)})")
    return allow


def _accepted(v: Verdict, reason: str | None) -> bool:
    return v.status is Status.PROVED or (v.status is Status.NUMERIC and reason is not None)


def assert_derivation(
    d: Derivation,
    allow_numeric: Mapping[int, str] | None = None,
    options: Options | None = None,
    allow_numeric_claims: Mapping[str, str] | None = None,
) -> Report:
    """Check ``d``; raise :class:`AssertionError` unless every step and claim is proved.

    ``allow_numeric`` maps a step's line position (1-based, as in reports) to
    the reason it may be only ``numeric``; ``allow_numeric_claims`` does the
    same for claims, keyed by ``claim.describe()``. A reason must be a
    non-empty string and a key must name a step (claim) of ``d``, else
    :class:`ValueError`. Returns the report when everything is accepted.
    """
    positions = {pos for pos, line in enumerate(d.lines, 1) if isinstance(line, Step)}
    allow = _allowances(allow_numeric, positions, "allow_numeric", "a step position")
    allow_claims = _allowances(allow_numeric_claims, {c.describe() for c in d.claims}, "allow_numeric_claims",
                               "a claim")
    report = check_derivation(d, options or DEFAULT)
    failures = []
    for v in report.steps:
        if not _accepted(v, allow.get(v.line)):
            step = d.lines[v.line - 1]
            assert isinstance(step, Step)
            failures.append(format_verdict(v, step_heading(v.line, step)))
    for v in report.claims:
        if not _accepted(v, allow_claims.get(v.label)):
            failures.append(format_verdict(v, f"claim: {v.label}"))
    if failures:
        hint = ("\n(numeric: held at sampled points only; accept it with allow_numeric={line: 'reason'} "
                "or allow_numeric_claims={description: 'reason'})"
                if any("status: numeric" in f for f in failures) else "")
        raise AssertionError(
            f"derivation {d.name!r} ({d.title}): {len(failures)} of {len(report.verdicts)} "
            f"steps and claims not proved\n" + "\n".join(failures) + hint
        )
    return report


def assert_step(
    previous: sp.Basic,
    step: Step,
    context: Context,
    expect: Status | str = "proved",
    options: Options | None = None,
) -> Verdict:
    """Check ``step`` against ``previous``; raise :class:`AssertionError` unless
    its status is ``expect``. Returns the verdict.

    >>> x = sp.Symbol("x", real=True)
    >>> sorted(assert_step(x**2, Step("=", 2*x), Context(), expect="refuted").counterexample)
    ['x']
    """
    want = Status(expect)
    v = check_step(previous, step, context, options or DEFAULT)
    if v.status is not want:
        raise AssertionError(
            f"expected {want.value}, got {v.status.value}; previous line: {sp.sstr(previous)}\n"
            + format_verdict(v, step_heading(None, step))
        )
    return v
