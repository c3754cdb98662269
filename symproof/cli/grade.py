"""``symproof grade FILE [--context NAME] [--json]``: a verdict per line."""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

MAX_BYTES = 1_000_000


def add_parser(sub) -> None:
    g = sub.add_parser("grade", help="check a student's LaTeX steps, line by line")
    g.add_argument("file", metavar="FILE")
    g.add_argument("--context", metavar="NAME", help="borrow the context of a registered derivation")
    g.add_argument("--json", action="store_true", help="one JSON object on stdout")
    g.add_argument("--step-seconds", type=float, default=None, help="time budget per step (default 6)")


def _read(path: Path) -> str:
    from symproof.errors import SymproofError

    try:
        data = path.read_bytes()
    except OSError as exc:
        raise SymproofError(f"{path}: cannot read: {exc.strerror or exc}") from None
    if len(data) > MAX_BYTES:
        raise SymproofError(f"{path}: {len(data)} bytes; submissions are limited to {MAX_BYTES}")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise SymproofError(f"{path}: byte {exc.start} is not UTF-8 text") from None
    if not text.strip():
        raise SymproofError(f"{path}: the file is empty")
    return text


def run(args: argparse.Namespace) -> int:
    from symproof.check.engine import Options
    from symproof.cli.report import human_grade
    from symproof.grade import context_of_derivation, grade_text
    from symproof.model.context import Context

    path = Path(args.file)
    text = _read(path)
    ctx = context_of_derivation(args.context) if args.context else Context()
    options = Options() if args.step_seconds is None else Options(step_seconds=args.step_seconds)
    grade = grade_text(text, ctx, options)
    for err in grade.errors:
        print(f"symproof: {err.where(str(path))}", file=sys.stderr)
    if args.json:
        json.dump(grade.to_json(), sys.stdout)
        sys.stdout.write("\n")
    else:
        human_grade(grade, sys.stdout, colour=sys.stdout.isatty())
    if grade.errors:
        return 2
    return 0 if grade.ok else 1
