"""Reading students' LaTeX: ``parse_latex``, ``parse_declaration``.

>>> import sympy as sp
>>> parse_latex(r"\\log(x) + 2\\frac{1}{2}")
log(x) + 1
>>> parse_latex(r"y = w x + b")
Eq(y, b + w*x)
>>> parse_latex_with_notes("0.8 x")
(4*x/5, ('0.8 read as the exact number 4/5',))

Built on latex2sympy2_extended with a normalisation layer
(:mod:`symproof.parse.reader` explains the design,
:mod:`symproof.parse.backend` lists where the parser itself evaluates
strings). Conventions (DESIGN.md, "Student submission format"):

- ``\\log`` and ``\\ln`` are natural; ``\\log_b`` has base b.
- ``e`` is Euler's number, ``\\pi`` is π, unless the context declares them;
  ``i`` and ``I`` are ordinary real symbols (never the imaginary unit);
  ``I`` added to a square matrix is the identity (with a note).
- Names resolve to the context's ``symbol_table()`` objects (so their
  assumptions apply); other names are ``Symbol(name, real=True)``. Sympy's
  naming is used so that printing round-trips: ``\\hat\\mu`` → ``muhat``,
  ``x_1`` → ``x_1``, ``\\theta_{t+1}`` → ``theta_{t+1}``, ``\\theta^*`` →
  ``theta^*``, ``x'`` → ``x'``; ``\\mathbf{x}``, ``\\vec{x}``,
  ``\\boldsymbol{x}`` are the same name as ``x``.
- ``x_i`` is the entry ``x[i]`` of an ``IndexedBase`` when x is a declared
  sequence, or when the subscript involves the bound index of an enclosing
  ``\\sum``/``\\prod`` or a declared index (then every subscripted x in the
  formula is an entry); ``\\delta_{ij}`` is ``KroneckerDelta(i, j)``.
- A single letter followed by ``(`` is multiplication unless it is a
  declared function (a note is added for f, g, σ, ...); declared functions
  and ``\\operatorname{name}`` are applied; ``f'(x)`` is
  ``Derivative(f(x), x)``.
- Matrices and vectors must be declared (``matrix``/``vector``); their
  products are non-commutative and shape-checked, and a product whose shape
  is 1×1 is the scalar ``Inner(u, v)`` (``w^T x`` → ``Inner(w, x)``,
  ``w^T X^T X w`` → ``Inner(w, X^T X w)``). ``X^T`` on an undeclared name is
  an error (it could be a power), unless T is declared.
- ``\\|v\\|`` is ``Norm(v)`` (v a declared vector); ``\\langle u, v\\rangle``
  is ``Inner(u, v)``.
- Derivatives are unevaluated ``Derivative`` objects; in ``\\frac{dy}{dx}``
  an undeclared y is read as a function y(x) (with a note).
- Floats and scientific notation become exact rationals, with a note; a
  number followed directly by ``e`` and digits is scientific notation.
- Refused with a column: unknown commands, ``\\int``, ``\\lim``, ``\\binom``,
  ``\\pm``, ellipses, double superscripts, ``a/bc`` (ambiguous), ``1/0``,
  ``∞ − ∞``, more than one relation, unbalanced delimiters, overly deep
  nesting, literals over 1000 digits, input over 2000 characters.
"""
from __future__ import annotations

from contextlib import contextmanager
from functools import lru_cache

import sympy as sp

from symproof.errors import LatexParseError
from symproof.model.context import Context

__all__ = ["parse_latex", "parse_latex_with_notes", "parse_declaration", "relation_sides", "LatexParseError"]

_EMPTY = Context()
_EXPRESSION_RELATIONS = frozenset({"Eq", "Le", "Lt", "Ge", "Gt"})


@lru_cache(maxsize=256)
def _table(context: Context) -> dict:
    return context.symbol_table()


def table_of(context: Context) -> dict:
    """``context.symbol_table()``, cached per context (contexts are immutable)."""
    try:
        return _table(context)
    except TypeError:  # an unhashable context: no cache
        return context.symbol_table()


@lru_cache(maxsize=2048)
def _cached(text: str, context: Context):
    from symproof.parse.reader import read
    return read(text, context, table_of(context), _EXPRESSION_RELATIONS)


def parse_latex_with_notes(text: str, context: Context | None = None) -> tuple[sp.Basic, tuple[str, ...]]:
    """One expression, or one relation ``a = b`` (``\\le``, ``<``, ``\\ge``, ``>``),
    with the notes the reader made (floats made exact, conventions applied).

    Relations come back unevaluated (``Eq(x, x)`` stays an ``Eq``).
    Raises :class:`LatexParseError` (with ``column`` into ``text``) for
    anything it cannot read without guessing.
    """
    if not isinstance(text, str):
        raise LatexParseError(f"expected a string, got {type(text).__name__}")
    ctx = _EMPTY if context is None else context
    with _no_traceback():
        try:
            return _cached(text, ctx)
        except TypeError as e:
            if "unhashable" not in str(e):
                raise
        from symproof.parse.reader import read
        return read(text, ctx, table_of(ctx), _EXPRESSION_RELATIONS)


def parse_latex(text: str, context: Context | None = None) -> sp.Basic:
    """:func:`parse_latex_with_notes` without the notes."""
    return parse_latex_with_notes(text, context)[0]


def parse_declaration(body: str, context: Context) -> Context:
    """Apply one ``% symproof:`` declaration (the text after the colon).

    See :mod:`symproof.parse.declarations`.
    """
    from symproof.parse.declarations import parse_declaration as _parse
    with _no_traceback():
        return _parse(body, context)


def relation_sides(text: str) -> list[str]:
    """``text`` cut at its top-level relations (``=``, ``\\le``, ...): the sides as written.

    >>> relation_sides(r"\\ell(\\mu) = \\sum_{i=1}^{N} (x_i - \\mu)^2")
    ['\\\\ell(\\\\mu)', '\\\\sum_{i=1}^{N} (x_i - \\\\mu)^2']
    >>> relation_sides("a + b")
    ['a + b']
    >>> relation_sides(r"\\{a = b\\} + c <= d")
    ['\\\\{a = b\\\\} + c', 'd']

    Only tokenises (the lexer, not the parser: cheap to import and to run);
    text that cannot be tokenised comes back whole.
    """
    from symproof.parse.lexer import lex
    from symproof.parse.names import RELATIONS

    try:
        toks = lex(text)
    except LatexParseError:
        return [text.strip()]
    cuts: list[tuple[int, int]] = []  # (start, end) of each relation in text
    depth = 0
    k = 0
    while k < len(toks):
        t = toks[k]
        if (t.kind == "char" and t.text in "([{") or t.kind == "left" or t.is_cmd(r"\{", r"\langle", r"\lbrace"):
            depth += 1
        elif (t.kind == "char" and t.text in ")]}") or t.kind == "right" or t.is_cmd(r"\}", r"\rangle", r"\rbrace"):
            depth -= 1
        elif depth == 0 and ((t.kind == "char" and t.text in "<>=") or (t.kind == "cmd" and t.text in RELATIONS)
                             or (t.is_char("!") and k + 1 < len(toks) and toks[k + 1].is_char("="))):
            width = 1
            if k + 1 < len(toks) and toks[k + 1].is_char("=") and (t.text in "<>" or t.is_char("!")):
                width = 2
            last = toks[k + width - 1]
            cuts.append((t.pos, last.pos + len(last.text)))
            k += width
            continue
        k += 1
    sides, start = [], 0
    for a, b in cuts:
        sides.append(text[start:a].strip())
        start = b
    sides.append(text[start:].strip())
    return sides


@contextmanager
def _no_traceback():
    """Whatever goes wrong while reading becomes a LatexParseError."""
    try:
        yield
    except LatexParseError:
        raise
    except RecursionError:
        raise LatexParseError("formula nested too deeply") from None
    except Exception as e:  # a bug or a sympy corner: still an error message, never a traceback
        detail = str(e).splitlines()[0][:120] if str(e) else ""
        raise LatexParseError(f"cannot read this formula ({type(e).__name__}{': ' + detail if detail else ''})") \
            from e
