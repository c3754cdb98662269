r"""The one place that calls latex2sympy2_extended.

What the normalisation layer hands to the parser is already *neutral*: every
name and every number has been replaced by a placeholder ``\variable{pN}``
(which the parser turns into ``Symbol('pN')``), so the parser only decides
structure — precedence of ``+ - \cdot /``, juxtaposition, ``\frac``, powers,
``\sqrt``, ``\sum``/``\prod`` scopes, ``\sin``/``\ln``/``\exp`` arguments,
``|..|``, ``\max``/``\min``, ``bmatrix``. It never sees ``=``, a letter, a
digit, ``\operatorname``, ``\det``, ``\binom`` or ``\int``.

Where latex2sympy2_extended 1.11.0 itself evaluates (audit list, by line
of ``latex2sympy2.py``), and why none of it is reachable from here:

- l.72 ``_Latex2Sympy.__init__``: ``parse_expr`` (→ ``eval``) on string
  values of ``variable_values`` — we never pass that argument.
- l.47 ``convert_number`` and l.1026 ``parse_number``: ``sympy.Number(text)``
  → ``sympify`` → ``parse_expr`` → ``eval`` of a literal made of digits,
  ``.``, ``,``, ``e`` (and ~0.5 ms each). Unreachable: numbers are
  placeholders, converted by our lexer with ``int()``.
- ``sets.py`` / ``logic.py``: ``sympify`` of already-built sympy objects (no
  strings), for set and chained-relation syntax — the grammar is entered at
  ``expr``, below sets and relations.
- l.1395 ``handle_gcd_lcm``: ``nsimplify`` (evaluates huge powers) —
  ``\gcd``/``\lcm`` and every ``\operatorname`` are refused or handled
  before parsing.
- l.873 ``\det``/``vmatrix`` (``.det()``), ``\operatorname{eye, rank, rref,
  eigenvals, zeros, diag, ...}`` (``convert_func``), ``\binom``
  (``sympy.binomial`` evaluated): computed at parse time — never passed.
- l.775/779/1322 ``.subs`` in ``\Big|_{x=a}`` evaluation and integrals;
  ``Derivative``/``Integral``/``Limit`` from ``d``/``\int``/``\lim`` tokens —
  letters never reach the parser, ``\int``/``\lim`` are refused, our
  layer reads derivatives itself.
- the default ``normalize_latex`` pass (regular expressions that delete
  ``'`` primes, rewrite units, ...) is switched off: ``normalization_config``
  is not used because we call the converter directly.
We never call ``sympify``/``parse_expr``/``eval`` on input text ourselves.

Speed: ANTLR's adaptive prediction dominates the cost, so (1) the grammar is
entered at ``expr`` rather than ``math`` (whose set/relation alternatives
need lookahead over the whole input), and (2) each parse first runs in SLL
mode (ANTLR documents that an SLL parse which succeeds gives the same tree
as LL; ``tests/test_parse_latex.py`` checks it) and falls back to LL only on
a syntax error. Every call builds a fresh converter: no state survives a call.
"""
from __future__ import annotations

import sympy as sp
from antlr4 import Token
from antlr4.atn.PredictionMode import PredictionMode
from antlr4.error.ErrorListener import ErrorListener
from latex2sympy2_extended.latex2sympy2 import ConversionConfig, _Latex2Sympy

__all__ = ["ParserSyntaxError", "run_parser", "CONFIG"]

CONFIG = ConversionConfig(
    interpret_as_mixed_fractions=False,     # 2\frac{1}{2} is 2 * 1/2
    interpret_simple_eq_as_assignment=False,
    interpret_contains_as_eq=False,
    lowercase_symbols=False,                # X - x is not 0
)


class ParserSyntaxError(Exception):
    """The parser rejected the text at ``offset`` (into the text it was given)."""

    def __init__(self, offset: int | None, message: str) -> None:
        super().__init__(message)
        self.offset = offset


class _Listener(ErrorListener):
    def syntaxError(self, recognizer, offendingSymbol, line, column, msg, e):  # noqa: N802 (ANTLR API)
        offset = getattr(offendingSymbol, "start", None)
        if offset is None or offset < 0:
            offset = column
        raise ParserSyntaxError(offset, msg)


_LISTENER = _Listener()


class _Converter(_Latex2Sympy):
    """latex2sympy2_extended's converter with our error listener and prediction mode."""

    def __init__(self, sll: bool) -> None:
        super().__init__(variable_values=None, is_real=None, convert_degrees=False, config=CONFIG)
        self._sll = sll

    def create_parser(self, latex_str):  # noqa: D102 (overrides the library)
        parser = super().create_parser(latex_str)
        parser.removeErrorListeners()
        parser.addErrorListener(_LISTENER)
        lexer = parser.getTokenStream().tokenSource
        lexer.removeErrorListeners()
        lexer.addErrorListener(_LISTENER)
        if self._sll:
            parser._interp.predictionMode = PredictionMode.SLL
        return parser

    def parse(self, latex_str):  # noqa: D102 (overrides the library)
        # Enter the grammar at ``expr``: relations are split before parsing and sets are not
        # wanted, and the top rule ``math`` (sets, set relations, relations) needs lookahead over
        # the whole input at every decision, which is most of the cost of a first parse.
        parser = self.create_parser(latex_str)
        tree = parser.expr()
        nxt = parser.getTokenStream().LT(1)
        if nxt is not None and nxt.type != Token.EOF:
            raise ParserSyntaxError(nxt.start, f"unexpected {nxt.text!r}")
        return self.convert_expr(tree)


def run_parser(text: str) -> sp.Basic:
    """Parse neutral text (see module docstring) with a fresh converter.

    Raises :class:`ParserSyntaxError` for text the grammar rejects; any other
    exception from the converter propagates (the caller turns it into a
    :class:`~symproof.errors.LatexParseError`).
    """
    try:
        return _Converter(sll=True).parse(text)
    except ParserSyntaxError:
        return _Converter(sll=False).parse(text)
