"""``symproof grade FILE... [--context NAME] [--json | --csv FILE] [--jobs N]``.

One file: a verdict per line (the JSON of DESIGN.md). Several files or a
directory: a class batch over ``--jobs`` workers, one summary line per
submission, and every step in the JSON/CSV report. Every read and check runs
in a worker that is killed and replaced at its time or memory limit.
"""
from __future__ import annotations

import argparse
import csv
import json
import sys
from pathlib import Path


def add_parser(sub) -> None:
    g = sub.add_parser("grade", help="check students' LaTeX steps, line by line (one file, or a class)")
    g.add_argument("files", nargs="+", metavar="FILE_OR_DIR")
    g.add_argument("--context", metavar="NAME", help="borrow the context of a registered derivation")
    out = g.add_mutually_exclusive_group()
    out.add_argument("--json", action="store_true", help="one JSON object on stdout")
    out.add_argument("--csv", metavar="FILE", type=Path, help="a CSV report with every step (batch)")
    g.add_argument("--jobs", type=int, default=1, metavar="N", help="workers grading in parallel (default 1)")
    g.add_argument("--step-seconds", type=float, default=None, metavar="S",
                   help="time budget per step (default 6; the worker is stopped at 1.5 S + 2)")
    g.add_argument("--memory-mb", type=int, default=1024, metavar="MB",
                   help="memory a worker may add before it is stopped (default 1024)")


def run(args: argparse.Namespace) -> int:
    from symproof.check.engine import Options
    from symproof.errors import SymproofError
    from symproof.grade.batch import collect_files, read_submission
    from symproof.grade.grader import context_of_derivation
    from symproof.model.context import Context

    if args.jobs < 1:
        raise SymproofError("--jobs must be at least 1")
    ctx = context_of_derivation(args.context) if args.context else Context()
    options = Options() if args.step_seconds is None else Options(step_seconds=args.step_seconds)
    paths = collect_files(args.files)
    single = len(args.files) == 1 and len(paths) == 1 and not Path(args.files[0]).is_dir()
    if single:
        sub = read_submission(paths[0])
        if sub.text is None:
            raise SymproofError(sub.where())
        return _one(paths[0], sub.text, ctx, options, args)
    if not paths:
        raise SymproofError(f"no submissions (.tex, .txt, .md) in {', '.join(args.files)}")
    return _batch(paths, ctx, options, args)


def _one(path: Path, text: str, ctx, options, args) -> int:
    from symproof.cli.report import human_grade
    from symproof.grade.grader import grade_text
    from symproof.isolate import WorkerPool

    import symproof.parse.reader  # noqa: F401 - imported before the worker forks, so that it inherits it

    with WorkerPool(1, memory_mb=args.memory_mb) as pool:
        grade = grade_text(text, ctx, options, pool=pool)
    for err in grade.errors:
        print(f"symproof: {err.where(str(path))}", file=sys.stderr)
    if args.json:
        json.dump(grade.to_json(), sys.stdout)
        sys.stdout.write("\n")
    elif args.csv:
        _write_csv(args.csv, [(str(path), grade)])
    else:
        human_grade(grade, sys.stdout, colour=sys.stdout.isatty())
    if grade.errors:
        return 2
    return 0 if grade.ok else 1


def _batch(paths: list[Path], ctx, options, args) -> int:
    from symproof.cli.report import batch_line, progress
    from symproof.grade.batch import grade_many, read_submission
    from symproof.isolate import WorkerPool

    results: dict[str, object] = {}
    interrupted = False
    show = sys.stderr.isatty()
    try:
        with WorkerPool(args.jobs, memory_mb=args.memory_mb) as pool:
            subs = (read_submission(p) for p in paths)
            for sub, grade in grade_many(subs, pool, ctx, options):
                results[sub.name] = grade
                if show:
                    progress(len(results), len(paths), sys.stderr)
    except KeyboardInterrupt:
        interrupted = True
    if show:
        sys.stderr.write("\n")
    ordered = [(str(p), results[str(p)]) for p in paths if str(p) in results]
    if args.json:
        json.dump({"ok": all(g.ok for _, g in ordered) and not interrupted, "interrupted": interrupted,
                   "submissions": [{"file": name, **g.to_json()} for name, g in ordered]}, sys.stdout)
        sys.stdout.write("\n")
    else:
        for name, g in ordered:
            sys.stdout.write(batch_line(name, g) + "\n")
        sys.stdout.write(f"\n{len(ordered)} of {len(paths)} submissions graded"
                         + (" (interrupted)" if interrupted else "") + "\n")
    if args.csv:
        _write_csv(args.csv, ordered)
    if interrupted:
        print("symproof: interrupted; the results so far are above", file=sys.stderr)
        return 130
    if any(g.errors for _, g in ordered):
        return 2
    return 0 if all(g.ok for _, g in ordered) else 1


def _write_csv(target: Path, graded) -> None:
    from symproof.errors import SymproofError

    try:
        with open(target, "w", newline="", encoding="utf-8") as fh:
            w = csv.writer(fh)
            w.writerow(["file", "chain", "line", "relation", "status", "method", "seconds", "message"])
            for name, g in graded:
                for part in g.parts:
                    for v in part.steps:
                        w.writerow([name, part.name, v.line, v.relation, v.status.value, v.method,
                                    f"{v.seconds:.4f}", v.message])
                for e in g.errors:
                    w.writerow([name, "", e.line, "", "error", "", "", e.reason])
    except OSError as exc:
        raise SymproofError(f"{target}: cannot write the CSV report: {exc.strerror or exc}") from None
