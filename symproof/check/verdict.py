"""Verdicts (a contract: see DESIGN.md, *Verdicts*)."""
from __future__ import annotations

import enum
from dataclasses import dataclass, field, replace
from typing import Any, Mapping

__all__ = ["Status", "Verdict", "Report"]


class Status(str, enum.Enum):
    PROVED = "proved"
    NUMERIC = "numeric"
    REFUTED = "refuted"
    UNKNOWN = "unknown"

    @property
    def ok(self) -> bool:
        """Accepted by ``check``'s exit status (numeric is evidence, still accepted)."""
        return self in (Status.PROVED, Status.NUMERIC)


@dataclass(frozen=True)
class Verdict:
    """The outcome of checking one step or claim.

    ``counterexample`` maps names to exact values (strings) of a point of the
    assumed domain; ``values`` gives both sides' values there.
    """

    status: Status
    method: str
    seconds: float = 0.0
    message: str = ""
    notes: tuple[str, ...] = ()
    counterexample: Mapping[str, str] | None = None
    values: tuple[str, str] | None = None
    line: int | None = None
    relation: str | None = None
    label: str = ""
    # the counterexample as exact sympy values (for programs and tests; not in JSON)
    point: Mapping[Any, Any] | None = field(default=None, compare=False, repr=False)

    def with_(self, **changes: Any) -> Verdict:
        return replace(self, **changes)

    @property
    def ok(self) -> bool:
        return self.status.ok

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        if self.line is not None:
            out["line"] = self.line
        if self.relation is not None:
            out["relation"] = self.relation
        if self.label:
            out["claim"] = self.label
        out.update(
            status=self.status.value,
            method=self.method,
            seconds=round(self.seconds, 6),
            message=self.message,
            notes=list(self.notes),
        )
        if self.counterexample is not None:
            out["counterexample"] = dict(self.counterexample)
        if self.values is not None:
            out["values"] = {"left": self.values[0], "right": self.values[1]}
        return out


@dataclass(frozen=True)
class Report:
    """All verdicts of one derivation (or of one graded chain)."""

    name: str
    steps: tuple[Verdict, ...]
    claims: tuple[Verdict, ...] = ()
    seconds: float = 0.0
    title: str = ""
    extra: tuple[tuple[str, Any], ...] = field(default=())

    @property
    def verdicts(self) -> tuple[Verdict, ...]:
        return self.steps + self.claims

    @property
    def ok(self) -> bool:
        return all(v.ok for v in self.verdicts)

    def counts(self) -> dict[str, int]:
        out = {s.value: 0 for s in Status}
        for v in self.verdicts:
            out[v.status.value] += 1
        return out

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "steps": [v.to_json() for v in self.steps],
            "claims": [v.to_json() for v in self.claims],
        }

    def _repr_latex_(self) -> str:  # Jupyter; a rendering error is shown, never raised
        from symproof.render import jupyter

        return jupyter.report_latex(self)

    def _repr_html_(self) -> str:
        from symproof.render import jupyter

        return jupyter.report_html(self)
