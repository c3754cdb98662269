"""``symproof render NAME... | --all [-o FILE] [--marks] [--set KEY=LATEX ...]``: solution sheets."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from symproof.errors import DerivationError, SymproofError


class RenderArgumentError(SymproofError):
    """Names and ``--all`` both given, or neither."""


class SetValueError(RenderArgumentError):
    """A ``--set KEY=LATEX`` that cannot be used: malformed, unknown key, unreadable LaTeX, no template."""


def add_parser(sub) -> None:
    r = sub.add_parser("render", help="solution sheet as .tex, .md or .pdf (chosen by FILE's suffix)")
    r.add_argument("names", nargs="*", metavar="NAME")
    r.add_argument("--all", action="store_true",
                   help="every registered derivation, in the tutorial's order, with contents and a verdict table")
    r.add_argument("-o", "--output", metavar="FILE", type=Path, default=None,
                   help="FILE.tex, FILE.md or FILE.pdf; without it LaTeX goes to stdout")
    r.add_argument("--marks", action="store_true",
                   help="check first and mark each line proved/numeric/refuted/unknown")
    r.add_argument("--set", action="append", default=[], metavar="KEY=LATEX", dest="settings",
                   help="a parameter of a template, in LaTeX (repeatable): --set 'f=x^2 + 3y^2' --set 'start=(1,1)'")


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
    if args.settings:  # one template, built with the values given
        params = _settings(args, names)
        try:
            derivations = [registry.get(names[0], params)]
        except DerivationError as exc:  # the template refuses a value (e.g. a point with 3 coordinates)
            raise SetValueError(f"render: --set: {exc}") from None
    else:
        derivations = [registry.get(n) for n in names]  # unknown names fail before any work
    if args.all:  # the tutorial's order, P1 … P8
        from symproof.render.summary import problem_key

        derivations.sort(key=problem_key)
    written = write(derivations, args.output, marks=args.marks, stdout=sys.stdout, summary=args.all)
    if written is not None:
        print(f"wrote {written}", file=sys.stderr)
    return 0


# -- --set KEY=LATEX: the parameters of a template ------------------------------------
_OPEN, _CLOSE = "([{", ")]}"


def _settings(args: argparse.Namespace, names: list[str]) -> dict:
    """The ``--set`` values of the one template named, read as LaTeX in its context."""
    from symproof import registry

    if args.all or len(names) != 1:
        raise SetValueError("render: --set needs exactly one template NAME" + (", not --all" if args.all else ""))
    (name,) = names
    known = registry.parameters(name)  # an unknown name fails here
    if not known:
        templates = [n for n in registry.names() if registry.parameters(n)]
        raise SetValueError(f"render: --set: {name} is not a template (templates: {', '.join(templates) or 'none'})")
    try:
        context = registry.get(name).context  # names such as x, y resolve to the template's symbols
    except DerivationError as exc:
        raise SetValueError(f"render: --set: {exc}") from None
    params: dict = {}
    for setting in args.settings:
        key, sep, text = setting.partition("=")
        key = key.strip()
        if not sep or not key:
            raise SetValueError(f"render: --set '{setting}': expected KEY=LATEX, e.g. --set 'f=x^2 + 3y^2'")
        if key not in known:
            raise SetValueError(f"render: --set {key}: {name} takes {', '.join(known)}")
        if key in params:
            raise SetValueError(f"render: --set {key} given twice")
        params[key] = _value(key, text, context)
    return params


def _value(key: str, text: str, context):
    """One expression, or a tuple ``(a, b, ...)`` split at its top-level commas."""
    from symproof.parse import LatexParseError, parse_latex

    parts = _tuple_parts(text)
    values = []
    for offset, part in parts or [(0, text)]:
        if not part.strip():
            what = "a coordinate of the tuple" if parts else "the value"
            raise SetValueError(f"render: --set {key}: {what} is empty")
        try:
            value = parse_latex(part, context)
        except LatexParseError as exc:
            err = exc.shifted(offset)
            where = f"col {err.column}: " if err.column is not None else ""
            raise SetValueError(f"render: --set {key}: cannot read '{text}' ({where}{err.reason})") from None
        if value.is_Relational:
            raise SetValueError(f"render: --set {key}: give a value, not a relation ({part.strip()})")
        values.append(value)
    return tuple(values) if parts else values[0]


def _tuple_parts(text: str) -> list[tuple[int, str]] | None:
    """``(a, b)`` → [(offset, "a"), (offset, " b")] when the parentheses enclose
    the whole text and it has a comma at their top level; else None."""
    s = text.strip()
    lead = len(text) - len(text.lstrip())
    if not (s.startswith("(") and s.endswith(")")):
        return None
    depth, cuts = 0, []
    for k, ch in enumerate(s):
        if ch in _OPEN:
            depth += 1
        elif ch in _CLOSE:
            depth -= 1
            if depth == 0 and k != len(s) - 1:
                return None  # "(a)(b)": the first parenthesis closes early
        elif ch == "," and depth == 1:
            cuts.append(k)
    if not cuts:
        return None
    bounds = [0, *cuts, len(s) - 1]
    return [(lead + lo + 1, s[lo + 1:hi]) for lo, hi in zip(bounds, bounds[1:])]
