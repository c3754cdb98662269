"""``symproof check [NAME ...] [--json]``."""
from __future__ import annotations

import argparse
import json
import sys
import time


def add_parser(sub) -> None:
    c = sub.add_parser("check", help="verify derivations (all when none is named)")
    c.add_argument("names", nargs="*", metavar="NAME")
    c.add_argument("--json", action="store_true", help="one JSON object on stdout")
    c.add_argument("--step-seconds", type=float, default=None, help="time budget per step (default 6)")


def run(args: argparse.Namespace) -> int:
    from symproof import registry
    from symproof.check import Options, check_derivation
    from symproof.cli.report import human_report

    out = sys.stdout
    names = args.names or list(registry.names())
    derivations = [registry.get(n) for n in names]  # unknown names fail before any work
    options = Options() if args.step_seconds is None else Options(step_seconds=args.step_seconds)
    t0 = time.perf_counter()
    reports = [check_derivation(d, options) for d in derivations]
    ok = all(r.ok for r in reports)
    if args.json:
        json.dump({"ok": ok, "parts": [r.to_json() for r in reports]}, out)
        out.write("\n")
    else:
        human_report(reports, out, time.perf_counter() - t0, colour=out.isatty())
    return 0 if ok else 1
