"""``symproof render NAME... | --all [-o FILE] [--marks]``: solution sheets."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from symproof.errors import SymproofError


class RenderArgumentError(SymproofError):
    """Names and ``--all`` both given, or neither."""


def add_parser(sub) -> None:
    r = sub.add_parser("render", help="solution sheet as .tex, .md or .pdf (chosen by FILE's suffix)")
    r.add_argument("names", nargs="*", metavar="NAME")
    r.add_argument("--all", action="store_true",
                   help="every registered derivation, in the tutorial's order, with contents and a verdict table")
    r.add_argument("-o", "--output", metavar="FILE", type=Path, default=None,
                   help="FILE.tex, FILE.md or FILE.pdf; without it LaTeX goes to stdout")
    r.add_argument("--marks", action="store_true",
                   help="check first and mark each line proved/numeric/refuted/unknown")


def run(args: argparse.Namespace) -> int:
    from symproof import registry
    from symproof.render.write import format_of, write

    if args.all and args.names:
        raise RenderArgumentError("render: give derivation names or --all, not both")
    if not args.all and not args.names:
        raise RenderArgumentError("render: name at least one derivation, or use --all (see `symproof list`)")
    if args.output is not None:
        format_of(args.output)  # an unknown suffix fails before any work
    names = list(registry.names()) if args.all else args.names
    derivations = [registry.get(n) for n in names]  # unknown names fail before any work
    if args.all:  # the tutorial's order, P1 … P8
        from symproof.render.summary import problem_key

        derivations.sort(key=problem_key)
    written = write(derivations, args.output, marks=args.marks, stdout=sys.stdout, summary=args.all)
    if written is not None:
        print(f"wrote {written}", file=sys.stderr)
    return 0
