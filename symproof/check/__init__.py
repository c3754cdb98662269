"""The checking pipeline: numeric screen, symbolic strategies, verdicts."""
from __future__ import annotations

from symproof.check.engine import DEFAULT, Options, check_derivation, check_equations, check_relation, check_step
from symproof.check.verdict import Report, Status, Verdict

__all__ = [
    "DEFAULT", "Options", "check_derivation", "check_equations", "check_relation", "check_step",
    "Report", "Status", "Verdict",
]
