"""Grading students' step-by-step LaTeX, line by line."""
from __future__ import annotations

from symproof.grade.api import check_step
from symproof.grade.grader import Grade, LineError, context_of_derivation, grade_text
from symproof.grade.submission import split_submission

__all__ = ["Grade", "LineError", "check_step", "context_of_derivation", "grade_text", "split_submission"]
