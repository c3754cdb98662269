"""``symproof list``: registered derivations with title and step count."""
from __future__ import annotations

import argparse
import sys


def add_parser(sub) -> None:
    sub.add_parser("list", help="registered derivations: name, title, step count")


def run(args: argparse.Namespace) -> int:
    from symproof import registry

    rows = [(d.name, d.title, len(d.steps)) for d in registry.all_derivations()]
    width = max(len(r[0]) for r in rows)
    for name, title, steps in rows:
        sys.stdout.write(f"{name:<{width}}  {steps:>2} steps  {title}\n")
    return 0
