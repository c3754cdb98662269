"""Argument parsing and dispatch; exit 0 all accepted, 1 some step not, 2 bad input.

Each command lives in its own module of this package with ``add_parser(sub)``
and ``run(args) -> int``; ``COMMANDS`` lists them.
"""
from __future__ import annotations

import argparse
import importlib
import sys
from typing import Sequence

from symproof.errors import SymproofError

EXIT_OK, EXIT_FAILED, EXIT_BAD_INPUT = 0, 1, 2

COMMANDS = ("list", "check", "grade", "render")  # module names under symproof.cli (list -> listing)
_MODULES = {"list": "listing", "check": "checking"}


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one line, exit 2, no usage dump
        raise SystemExit(fail(f"{self.prog}: {message}"))


def fail(message: str) -> int:
    """Print a one-line error; the exit status for bad input."""
    print(message if message.startswith("symproof") else f"symproof: error: {message}", file=sys.stderr)
    return EXIT_BAD_INPUT


def _module(command: str):
    return importlib.import_module(f"symproof.cli.{_MODULES.get(command, command)}")


def build_parser() -> argparse.ArgumentParser:
    p = _Parser(prog="symproof", description="Check derivations step by step.")
    sub = p.add_subparsers(dest="command", required=True, parser_class=_Parser)
    for command in COMMANDS:
        _module(command).add_parser(sub)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return _module(args.command).run(args)
    except SymproofError as exc:
        return fail(str(exc))
    except KeyboardInterrupt:
        print("symproof: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # e.g. `symproof check --json | head`
        sys.stderr.close()
        return EXIT_OK


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
