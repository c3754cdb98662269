"""Argument parsing and dispatch; exit 0 all accepted, 1 some step not, 2 bad input."""
from __future__ import annotations

import argparse
import json
import sys
import time
from typing import Sequence, TextIO

from symproof.errors import SymproofError

EXIT_OK, EXIT_FAILED, EXIT_BAD_INPUT = 0, 1, 2


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one line, exit 2, no usage dump
        raise SystemExit(_fail(f"{self.prog}: {message}"))


def _fail(message: str) -> int:
    print(f"symproof: error: {message}" if not message.startswith("symproof") else message, file=sys.stderr)
    return EXIT_BAD_INPUT


def build_parser() -> argparse.ArgumentParser:
    p = _Parser(prog="symproof", description="Check derivations step by step.")
    sub = p.add_subparsers(dest="command", required=True, parser_class=_Parser)
    sub.add_parser("list", help="registered derivations: name, title, step count")
    c = sub.add_parser("check", help="verify derivations (all when none is named)")
    c.add_argument("names", nargs="*", metavar="NAME")
    c.add_argument("--json", action="store_true", help="one JSON object on stdout")
    c.add_argument("--step-seconds", type=float, default=None, help="time budget per step (default 6)")
    return p


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        if args.command == "list":
            return _list(sys.stdout)
        if args.command == "check":
            return _check(args, sys.stdout)
    except SymproofError as exc:
        return _fail(str(exc))
    except KeyboardInterrupt:
        print("symproof: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # e.g. `symproof check --json | head`
        sys.stderr.close()
        return EXIT_OK
    return EXIT_BAD_INPUT


def _list(out: TextIO) -> int:
    from symproof import registry

    rows = [(d.name, d.title, len(d.steps)) for d in registry.all_derivations()]
    width = max(len(r[0]) for r in rows)
    for name, title, steps in rows:
        out.write(f"{name:<{width}}  {steps:>2} steps  {title}\n")
    return EXIT_OK


def _check(args: argparse.Namespace, out: TextIO) -> int:
    from symproof import registry
    from symproof.check import Options, check_derivation
    from symproof.cli.report import human_report

    names = args.names or list(registry.names())
    derivations = [registry.get(n) for n in names]  # unknown names fail before any work
    options = Options() if args.step_seconds is None else Options(step_seconds=args.step_seconds)
    t0 = time.perf_counter()
    reports = [check_derivation(d, options) for d in derivations]
    ok = all(r.ok for r in reports)
    if args.json:
        json.dump({"ok": ok, "parts": [r.to_json() for r in reports]}, out, indent=None)
        out.write("\n")
    else:
        human_report(reports, out, time.perf_counter() - t0, colour=out.isatty())
    return EXIT_OK if ok else EXIT_FAILED


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
