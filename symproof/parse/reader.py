"""The normalisation layer around latex2sympy2_extended.

Three passes, each owning one kind of decision:

1. **Tokens** (:mod:`symproof.parse.lexer`): every token keeps its column.
2. **Neutral text** (:class:`_Reader`): the token stream is rewritten into
   text for the parser in which *every name and every number* is a
   placeholder ``\\variable{pN}``. Constructs the parser misreads or cannot
   read are recognised here on tokens and become a single placeholder whose
   parts are read recursively: names with accents, subscripts, primes and
   labels (``\\hat\\mu``, ``x_i``, ``\\theta^*``, ``x^{(t)}``); transposes
   (``X^T``, ``X^\\top``, ``(Xw-y)^{\\top}``); applications of declared
   functions and ``\\operatorname{..}`` (``\\sigma(wx+b)``, ``f'(x)``);
   derivatives (``\\frac{\\partial}{\\partial\\mu}(..)``, ``\\frac{dy}{dx}``,
   ``\\nabla_w``); norms ``\\|v\\|``; ``\\langle u, v\\rangle``; ``\\det``,
   ``\\operatorname{tr}``; floats and scientific notation (exact rationals,
   with a note). ``\\log`` is rewritten to ``\\ln``. Commands outside a
   whitelist, TeX errors (double superscripts, unbalanced delimiters) and
   ambiguous input (``1/2x``) are refused with a column.
3. **Build** (:class:`_Builder`): the parser's tree (only +, ·, powers,
   fractions, sums, elementary functions over placeholders) is rebuilt with
   real sympy constructors. Placeholders resolve against the context's
   ``symbol_table()`` — the same objects, so assumptions apply — with the
   bound indices of enclosing sums known, so ``x_i`` under ``\\sum_{i=..}``
   becomes ``x[i]``. Products of matrices are non-commutative ``MatMul`` with
   shapes checked; a product whose shape is 1×1 (``w^T x``,
   ``(Xw-y)^T(Xw-y)``, ``w^T X^T X w``) becomes the scalar
   ``Inner(u, v)`` of :mod:`symproof.model.linalg` (u = the first factor
   transposed back, v = the product of the rest), so it mixes with scalars.
"""
from __future__ import annotations

import operator
from dataclasses import dataclass
from functools import reduce

import sympy as sp
from sympy.core.function import UndefinedFunction
from sympy.matrices.expressions.matexpr import MatrixExpr

from symproof.errors import LatexParseError
from symproof.model.context import Context
from symproof.model.linalg import Inner, Norm
from symproof.parse.backend import ParserSyntaxError, run_parser
from symproof.parse.lexer import Token, lex
from symproof.parse.names import (ACCENTS, FUNCTION_LIKE, GREEK, GREEK_VARIANTS, PARSER_FUNCS, RELATIONS,
                                  SEMANTIC_FONTS, SPACES, TYPO_FONTS, UNSUPPORTED, WORD_CMDS)

__all__ = ["read", "Reader"]

MAX_DEPTH = 24          # nested brackets / braces
MAX_SUP_DEPTH = 5       # nested superscripts (power towers)
MAX_MATRIX_ENTRIES = 36
MAX_INT_BITS = 4_000    # integer powers larger than this stay unevaluated (str() of big ints fails)

_OPEN_CHARS = {"(": ")", "[": "]", "{": "}"}
_OPEN_CMDS = {r"\{": r"\}", r"\lbrace": r"\rbrace", r"\langle": r"\rangle", r"\lvert": r"\rvert",
              r"\lVert": r"\rVert", r"\lbrack": r"\rbrack"}
_CLOSE_CMDS = set(_OPEN_CMDS.values())
_NORM_BARS = {r"\|", r"\Vert"}
_WORD_FUNCS = {"sgn": sp.sign, "sign": sp.sign, "exp": sp.exp, "log": sp.log, "ln": sp.log}
_MATRIX_FUNCS = {"tr": "trace", "Tr": "trace", "trace": "trace", "det": "det"}
_ENVS = {"matrix", "bmatrix", "pmatrix", "Bmatrix"}


# -- placeholders -------------------------------------------------------------
@dataclass
class _Sub:
    items: list            # raw sympy per index
    text: str              # for the name: "1", "i", "ij", "{t+1}"
    letters: bool = False  # "ij": several single letters (several indices when indexed)


@dataclass
class _Ident:
    name: str                       # base name with modifiers and label: "muhat", "theta^*"
    pos: int
    word: bool = False              # a multi-letter name (\operatorname{softmax}, \mathrm{KL})
    operator: bool = False          # written with \operatorname
    sub: _Sub | None = None
    primes: int = 0
    transpose: str | None = None    # "T" (ambiguous with a power), "top", "-T" (inverse transpose)
    power: tuple[int, int] | None = None
    bare: bool = True               # not the base of a power (for the note on e)

    def full_name(self) -> str:
        name = self.name + "'" * self.primes
        return f"{name}_{self.sub.text}" if self.sub is not None else name


@dataclass
class _Const:
    value: sp.Basic
    pos: int


@dataclass
class _Group:           # (..)^T
    raw: sp.Basic
    marker: str
    pos: int


@dataclass
class _NormPh:
    raw: sp.Basic
    pos: int


@dataclass
class _InnerPh:
    u: sp.Basic
    v: sp.Basic
    pos: int


@dataclass
class _MatFn:
    kind: str      # "det" | "trace"
    raw: sp.Basic
    pos: int


@dataclass
class _App:
    ident: _Ident
    fn: object     # UndefinedFunction from the context, or None for an undeclared operator name
    args: list
    pos: int


@dataclass
class _Deriv:
    operand: sp.Basic | None        # raw
    implicit: _Ident | None         # dy/dx: y may be read as y(x)
    wrt: list                       # [(raw, order)]
    pos: int


_Placeholder = _Ident | _Const | _Group | _NormPh | _InnerPh | _MatFn | _App | _Deriv


def _is_matrix(e) -> bool:
    return isinstance(e, (MatrixExpr, sp.MatrixBase))


# -- pass 2: tokens -> neutral text ------------------------------------------
class Reader:
    """Reads one formula (``text``) in ``context``; see the module docstring."""

    def __init__(self, text: str, context: Context, table: dict, offset: int = 0) -> None:
        self.text = text
        self.ctx = context
        self.table = table
        self.offset = offset
        try:
            self.toks: list[Token] = lex(text)
        except LatexParseError as e:
            raise e.shifted(offset) from None
        self.ph: dict[str, _Placeholder] = {}
        self.notes: list[str] = []
        self.match = self._match_brackets()
        self.sup_depth = 0

    # errors carry columns into the caller's text
    def err(self, reason: str, k: int | None = None, pos: int | None = None) -> LatexParseError:
        if pos is None and k is not None:
            pos = self.toks[k].pos if k < len(self.toks) else len(self.text)
        return LatexParseError(reason, None if pos is None else pos + self.offset)

    def note(self, text: str) -> None:
        if text not in self.notes:
            self.notes.append(text)

    # -- brackets ------------------------------------------------------------
    def _match_brackets(self) -> dict[int, int]:
        match: dict[int, int] = {}
        stack: list[int] = []
        for k, t in enumerate(self.toks):
            opener = (t.kind == "char" and t.text in _OPEN_CHARS) or (t.kind == "cmd" and t.text in _OPEN_CMDS) \
                or t.kind == "left"
            closer = (t.kind == "char" and t.text in (")", "]", "}")) or (t.kind == "cmd" and t.text in _CLOSE_CMDS) \
                or t.kind == "right"
            if opener:
                stack.append(k)
                if len(stack) > MAX_DEPTH:
                    raise self.err(f"brackets nested more than {MAX_DEPTH} deep", k)
            elif closer:
                if not stack:
                    raise self.err(f"unbalanced {self._shown(t)}: nothing to close", k)
                o = stack.pop()
                ot = self.toks[o]
                ok = (ot.kind == "left" and t.kind == "right") or \
                    (ot.kind == "char" and t.kind == "char" and _OPEN_CHARS.get(ot.text) == t.text) or \
                    (ot.kind == "cmd" and t.kind == "cmd" and _OPEN_CMDS.get(ot.text) == t.text)
                if not ok:
                    what = "braces" if "{" in (ot.text, t.text) or "}" in (ot.text, t.text) else "brackets"
                    raise self.err(f"unbalanced {what}: {self._shown(ot)} is closed by {self._shown(t)}", k)
                match[o] = k
                match[k] = o
        if stack:
            t = self.toks[stack[-1]]
            what = "braces" if t.text == "{" else "parentheses" if t.text == "(" else "brackets"
            raise self.err(f"unbalanced {what}: {self._shown(t)} is never closed", stack[-1])
        return match

    @staticmethod
    def _shown(t: Token) -> str:
        if t.kind in ("left", "right"):
            return f"{t.text}{t.value}"
        return t.text

    def is_open(self, k: int) -> bool:
        t = self.toks[k]
        return k in self.match and self.match[k] > k and t.kind in ("char", "cmd", "left")

    def is_paren_open(self, k: int) -> bool:
        t = self.toks[k]
        return (t.is_char("(") or (t.kind == "left" and t.value == "(")) and k in self.match

    # -- placeholders --------------------------------------------------------
    def new(self, ph: _Placeholder) -> str:
        name = f"p{len(self.ph)}"
        self.ph[name] = ph
        return name

    def chunk(self, ph: _Placeholder, pos: int) -> tuple[str, int]:
        return (rf"\variable{{{self.new(ph)}}}", pos)

    # -- splitting at relations ----------------------------------------------
    def split_relations(self, allowed: set[str]) -> list:
        """[range, op, range, op, ...] at depth 0; ``op`` is a RELATIONS value."""
        parts: list = []
        start = 0
        k = 0
        n = len(self.toks)
        while k < n:
            t = self.toks[k]
            if self.is_open(k):
                k = self.match[k] + 1
                continue
            op = None
            width = 1
            if t.kind == "char" and t.text in "<>=" or t.kind == "cmd" and t.text in RELATIONS:
                op = RELATIONS[t.text]
                if t.text in "<>" and k + 1 < n and self.toks[k + 1].is_char("="):
                    op, width = ("Le" if t.text == "<" else "Ge"), 2
                elif t.text == "=" and k + 1 < n and self.toks[k + 1].is_char("="):
                    raise self.err("'==' is not LaTeX: write '='", k)
            elif t.is_char("!") and k + 1 < n and self.toks[k + 1].is_char("="):
                op, width = "Ne", 2
            if op is not None:
                if op not in allowed:
                    raise self.err(f"{t.text} is not allowed here", k)
                parts.append((start, k))
                parts.append((op, t.pos))
                start = k + width
                k += width
                continue
            k += 1
        parts.append((start, n))
        return parts

    # -- TeX arguments -------------------------------------------------------
    def arg(self, k: int, j: int, what: str) -> tuple[int, int, int]:
        """One TeX argument at ``k``: (start, end, next) of its content."""
        if k >= j:
            raise self.err(f"{what} is missing", k)
        t = self.toks[k]
        if t.is_char("{"):
            m = self.match[k]
            return k + 1, m, m + 1
        if t.kind in ("num", "letter"):
            return k, k + 1, k + 1
        if t.kind == "cmd":
            if t.text in ACCENTS or t.text in TYPO_FONTS or t.text in SEMANTIC_FONTS or t.text in WORD_CMDS:
                _, _, nxt = self.arg(k + 1, j, f"the argument of {t.text}")
                return k, nxt, nxt
            return k, k + 1, k + 1
        if t.is_char("*", "'"):
            return k, k + 1, k + 1
        raise self.err(f"{what} is missing", k)

    def _strip_braces(self, a: int, b: int) -> tuple[int, int]:
        while b - a >= 2 and self.toks[a].is_char("{") and self.match.get(a) == b - 1:
            a, b = a + 1, b - 1
        return a, b

    def src(self, a: int, b: int) -> str:
        if a >= b:
            return ""
        start = self.toks[a].pos
        last = self.toks[b - 1]
        end = last.pos + len(last.text) + (len(last.value) if last.kind in ("left", "right") else 0)
        return "".join(self.text[start:end].split())

    # -- identifiers ---------------------------------------------------------
    def starts_ident(self, k: int) -> bool:
        t = self.toks[k]
        if t.kind == "letter":
            return True
        if t.kind == "cmd":
            return t.text in GREEK or t.text in ACCENTS or t.text in TYPO_FONTS or t.text in SEMANTIC_FONTS \
                or t.text in WORD_CMDS
        return False

    def read_base(self, k: int, j: int) -> tuple[_Ident, int]:
        t = self.toks[k]
        if t.kind == "letter":
            return _Ident(t.text, t.pos), k + 1
        if t.kind == "cmd" and t.text in GREEK:
            return _Ident(GREEK[t.text], t.pos), k + 1
        if t.kind == "cmd" and t.text in ACCENTS:
            a, b, nxt = self.arg(k + 1, j, f"the argument of {t.text}")
            a, b = self._strip_braces(a, b)
            inner, end = self.read_ident(a, b, allow_power=False)
            if end != b or inner.word:
                raise self.err(f"{t.text} must be applied to a single letter", k)
            inner.name += ACCENTS[t.text]
            inner.pos = t.pos
            return inner, nxt
        if t.kind == "cmd" and (t.text in TYPO_FONTS or t.text in SEMANTIC_FONTS or t.text in WORD_CMDS):
            a, b, nxt = self.arg(k + 1, j, f"the argument of {t.text}")
            a, b = self._strip_braces(a, b)
            toks = self.toks[a:b]
            if toks and all(x.kind == "letter" for x in toks) and (len(toks) > 1 or t.text == r"\operatorname"):
                word = "".join(x.text for x in toks)
                return _Ident(word, t.pos, word=True, operator=t.text == r"\operatorname"), nxt
            if t.text in WORD_CMDS and t.text not in TYPO_FONTS and t.text != r"\operatorname":
                raise self.err(f"{t.text}{{...}} inside a formula: only a function name may be written this way", k)
            if a >= b or not self.starts_ident(a):
                raise self.err(f"{t.text} must be applied to a letter", k)
            inner, end = self.read_ident(a, b, allow_power=False)
            if end != b:
                raise self.err(f"{t.text} must be applied to a single letter", k)
            if t.text in SEMANTIC_FONTS:
                inner.name += SEMANTIC_FONTS[t.text]
            inner.pos = t.pos
            return inner, nxt
        raise self.err("expected a name", k)

    def read_postfix(self, ident: _Ident, k: int, j: int, allow_power: bool = True) -> int:
        sups = 0
        while k < j:
            t = self.toks[k]
            if t.is_char("'"):
                if sups:
                    raise self.err("a prime after a superscript: write x'^2", k)
                ident.primes += 1
                k += 1
            elif t.is_char("_"):
                if ident.sub is not None:
                    raise self.err("double subscript", k)
                a, b, nxt = self.arg(k + 1, j, "the subscript")
                ident.sub = self.subscript(*self._strip_braces(a, b), at=k)
                k = nxt
            elif t.is_char("^"):
                if sups:
                    raise self.err("double superscript: use braces, x^{a^b}", k)
                a, b, nxt = self.arg(k + 1, j, "the superscript")
                a, b = self._strip_braces(a, b)
                kind = self.classify_sup(a, b)
                if kind in ("T", "top", "-T"):
                    ident.transpose = kind
                elif kind == "prime":
                    ident.primes += 1
                elif kind is not None:  # a label: theta^*, x^{(t)}
                    ident.name += "^" + kind
                elif allow_power:
                    ident.power = (a, b)
                    ident.bare = False
                else:
                    break
                sups += 1
                k = nxt
            else:
                break
        return k

    def read_ident(self, k: int, j: int, allow_power: bool = True) -> tuple[_Ident, int]:
        ident, k = self.read_base(k, j)
        k = self.read_postfix(ident, k, j, allow_power)
        return ident, k

    def classify_sup(self, a: int, b: int) -> str | None:
        """'T' | 'top' | '-T' for transposes, 'prime', a label ('*', '(t)') or None (a power)."""
        toks = self.toks[a:b]
        texts = [t.text for t in toks]
        if texts == ["T"] and toks[0].kind == "letter":
            return "T"
        if texts in ([r"\top"], [r"\intercal"], [r"\mathsf", "{", "T", "}"], [r"\mathrm", "{", "T", "}"],
                     [r"\mathsf", "T"], [r"\mathrm", "T"], [r"\text", "{", "T", "}"], [r"\mathbf", "{", "T", "}"]):
            return "top"
        if texts in (["-", "T"], ["-", r"\top"], ["-", r"\intercal"]):
            return "-T"
        if texts in ([r"\prime"],):
            return "prime"
        if texts in (["*"], [r"\star"], [r"\ast"]):
            return "*"
        if len(toks) >= 2 and toks[0].is_char("(") and self.match.get(a) == b - 1:
            return self.src(a, b)
        return None

    def subscript(self, a: int, b: int, at: int) -> _Sub:
        if a >= b:
            raise self.err("empty subscript", at)
        toks = self.toks[a:b]
        if len(toks) == 1 and toks[0].kind == "num":
            if toks[0].note is not None:
                raise self.err("a decimal number as a subscript", a)
            return _Sub([sp.Symbol(self.new(_Const(toks[0].value, toks[0].pos)))], toks[0].text)
        # several indices separated by commas
        pieces = self.split_commas(a, b)
        if len(pieces) > 1:
            items = [self.raw(p, q) for p, q in pieces]
            return _Sub(items, "{" + ",".join(self.src(p, q) for p, q in pieces) + "}")
        if self.starts_ident(a):
            ident, end = self.read_ident(a, b, allow_power=False)
            if end == b:
                return _Sub([sp.Symbol(self.new(ident))], ident.full_name())
        if len(toks) > 1 and all(t.kind == "letter" or (t.kind == "num" and len(t.text) == 1) for t in toks):
            items = [self.raw(p, p + 1) for p in range(a, b)]
            return _Sub(items, "".join(t.text for t in toks), letters=True)
        return _Sub([self.raw(a, b)], "{" + self.src(a, b) + "}")

    def declared_function(self, ident: _Ident):
        """The context's function for this name, if it declares one."""
        if ident.sub is not None or ident.primes and ident.word:
            return None
        obj = self.table.get(ident.name)
        return obj if isinstance(obj, UndefinedFunction) else None

    # -- pass 2 proper -------------------------------------------------------
    def emit(self, i: int, j: int) -> list[tuple[str, int]]:
        out: list[tuple[str, int]] = []
        k = i
        after_sup = False
        while k < j:
            t = self.toks[k]
            was_sup = after_sup
            after_sup = False
            if t.kind == "num":
                if t.note:
                    self.note(t.note)
                out.append(self.chunk(_Const(t.value, t.pos), t.pos))
                k += 1
            elif self.starts_ident(k):
                k = self.emit_ident(k, j, out)
            elif t.kind == "left" or self.is_open(k):
                k = self.emit_group(k, j, out)
            elif t.is_char("|") or t.is_cmd(r"\vert"):
                close = self.find_bar(k, j)
                if close == k + 1:
                    raise self.err("empty |...|; nested absolute values need \\left| ... \\right|", k)
                out.append(("|", t.pos))
                out.extend(self.emit(k + 1, close))
                out.append(("|", self.toks[close].pos))
                k = close + 1
            elif t.kind == "cmd" and t.text in _NORM_BARS:
                close = self.find_bar(k, j)
                k = self.emit_norm(k + 1, close, close + 1, j, out, t.pos)
            elif t.is_char("+", "-"):
                out.append((t.text, t.pos))
                k += 1
            elif t.is_char("*") or t.is_cmd(r"\cdot", r"\times", r"\ast"):
                out.append((r"\cdot", t.pos))
                k += 1
            elif t.is_char("/") or t.is_cmd(r"\div"):
                self.check_division(k, j)
                out.append(("/", t.pos))
                k += 1
            elif t.is_char("!"):
                if not out:
                    raise self.err("'!' needs something before it", k)
                out.append(("!", t.pos))
                k += 1
            elif t.is_char("^"):
                if not out or out[-1][0] in ("+", "-", r"\cdot", "/"):
                    raise self.err("a superscript needs a base", k)
                if was_sup:
                    raise self.err("double superscript: use braces, x^{a^b}", k)
                a, b, nxt = self.arg(k + 1, j, "the superscript")
                out.extend(self.emit_sup(a, b, k))
                after_sup = True
                k = nxt
            elif t.is_char("_"):
                raise self.err("a subscript is only allowed on a name", k)
            elif t.is_char("'"):
                raise self.err("a prime is only allowed on a name", k)
            elif t.is_char("~") or (t.kind == "cmd" and t.text in SPACES):
                k += 1
            elif t.kind == "cmd" and t.text in (r"\frac", r"\dfrac", r"\tfrac", r"\cfrac"):
                k = self.emit_frac(k, j, out)
            elif t.is_cmd(r"\sqrt"):
                k = self.emit_sqrt(k, j, out)
            elif t.is_cmd(r"\sum", r"\prod"):
                k = self.emit_sum(k, j, out)
            elif t.kind == "cmd" and t.text in PARSER_FUNCS:
                k = self.emit_func(k, j, out)
            elif t.is_cmd(r"\det"):
                k = self.emit_matfn("det", k, k + 1, j, out)
            elif t.is_cmd(r"\partial", r"\nabla"):
                k = self.emit_operator(k, j, out)
            elif t.is_cmd(r"\infty"):
                out.append((r"\infty", t.pos))
                k += 1
            elif t.is_cmd(r"\begin"):
                k = self.emit_env(k, j, out)
            elif (t.kind == "char" and t.text in "<>=") or (t.kind == "cmd" and t.text in RELATIONS):
                raise self.err("a relation inside an expression (only one relation per line, "
                               "outside brackets)", k)
            elif t.is_char(","):
                raise self.err("unexpected ','", k)
            elif t.is_char("&") or t.is_cmd("\\\\"):
                raise self.err(f"unexpected {t.text}: alignment marks belong at the start and end of a line", k)
            elif t.kind == "cmd" and t.text in (r"\top", r"\intercal"):
                raise self.err(f"{t.text} outside a superscript", k)
            elif t.kind == "cmd" and UNSUPPORTED.get(t.text):
                raise self.err(UNSUPPORTED[t.text], k)
            elif t.kind == "right" or (t.kind == "char" and t.text in ")]}"):
                raise self.err(f"unexpected {self._shown(t)}", k)
            elif t.kind == "cmd":
                raise self.err(f"unknown command {t.text}", k)
            else:
                raise self.err(f"unexpected {t.text!r}", k)
        return out

    def emit_sup(self, a: int, b: int, at: int) -> list[tuple[str, int]]:
        a, b = self._strip_braces(a, b)
        if a >= b:
            raise self.err("empty superscript", at)
        self.sup_depth += 1
        if self.sup_depth > MAX_SUP_DEPTH:
            raise self.err(f"powers nested more than {MAX_SUP_DEPTH} deep", at)
        try:
            inner = self.emit(a, b)
        finally:
            self.sup_depth -= 1
        return [("^{", self.toks[at].pos), *inner, ("}", self.toks[b - 1].pos)]

    def emit_ident(self, k: int, j: int, out: list) -> int:
        start = k
        ident, k = self.read_ident(k, j)
        fn = self.declared_function(ident)
        if ident.word and ident.name in _MATRIX_FUNCS and ident.sub is None and not ident.primes:
            return self.emit_matfn(_MATRIX_FUNCS[ident.name], start, k, j, out, power=ident.power)
        has_paren = k < j and self.is_paren_open(k)
        if fn is not None or ident.word and has_paren:
            if not has_paren:
                raise self.err(f"{ident.name} is a function: write {ident.name}(...)", start)
            if ident.transpose:
                raise self.err("a transpose on a function name", start)
            m = self.match[k]
            args = self.split_commas(k + 1, m)
            if ident.power is not None:
                ptoks = self.toks[ident.power[0]:ident.power[1]]
                if not (len(ptoks) == 1 and ptoks[0].kind == "num" and ptoks[0].text.isdigit()):
                    raise self.err(f"{self.src(start, m + 1)}: only a positive whole power of a function "
                                   "value is supported (inverse functions are not)", start)
            raws = [self.raw(a, b) for a, b in args]
            out.append(self.chunk(_App(ident, fn, raws, ident.pos), ident.pos))
            if ident.power is not None:
                out.extend(self.emit_sup(*ident.power, at=ident.power[0] - 1))
            return m + 1
        if ident.word and ident.operator:
            raise self.err(f"\\operatorname{{{ident.name}}} must be followed by (...)", start)
        if ident.primes and has_paren:
            raise self.err(f"{ident.name}'(...): {ident.name} is not a declared function "
                           f"(declare it: % symproof: function {ident.name})", start)
        if has_paren and len(self.split_commas(k + 1, self.match[k])) > 1:
            raise self.err(f"{self.src(start, k)}(.., ..): {ident.name} is not a declared function "
                           f"(declare it: % symproof: function {self.src(start, k)})", start)
        if ident.word and self.toks[start].text in (r"\text", r"\textrm", r"\textit", r"\textnormal"):
            raise self.err(f"text inside a formula ({self.src(start, k)}); a justification goes after "
                           r"\quad at the end of the line", start)
        if has_paren and ident.sub is None and not ident.word and ident.name in FUNCTION_LIKE:
            self.note(f"{self.src(start, k)}(...) read as a product: {ident.name} is not a declared function")
        if ident.name == "d" and ident.sub is None and ident.power is None and "d" not in self.table \
                and k < j and self.starts_ident(k) and not self.toks[k].kind == "cmd":
            nxt = self.toks[k]
            if nxt.pos == self.toks[start].pos + 1:
                self.note(f"d{nxt.text} read as the product d·{nxt.text} (differentials are not supported)")
        out.append(self.chunk(ident, ident.pos))
        if ident.power is not None:
            out.extend(self.emit_sup(ident.power[0], ident.power[1], at=ident.power[0] - 1))
        return k

    def split_commas(self, a: int, b: int) -> list[tuple[int, int]]:
        pieces, start, k = [], a, a
        while k < b:
            if self.is_open(k):
                k = self.match[k] + 1
                continue
            if self.toks[k].is_char(","):
                pieces.append((start, k))
                start = k + 1
            k += 1
        pieces.append((start, b))
        for p, q in pieces:
            if p >= q:
                raise self.err("empty argument", p if p < len(self.toks) else None)
        return pieces

    def emit_group(self, k: int, j: int, out: list) -> int:
        t = self.toks[k]
        m = self.match[k]
        delim = t.value if t.kind == "left" else t.text
        if delim in ("|", r"\vert", r"\lvert"):
            out.append(("|", t.pos))
            out.extend(self.emit(k + 1, m))
            out.append(("|", self.toks[m].pos))
            return self.after_group(m + 1, j)
        if delim in (r"\|", r"\Vert", r"\lVert"):
            return self.emit_norm(k + 1, m, m + 1, j, out, t.pos)
        if delim == r"\langle":
            args = self.split_commas(k + 1, m)
            if len(args) != 2:
                raise self.err("⟨u, v⟩ needs exactly two vectors", k)
            out.append(self.chunk(_InnerPh(self.raw(*args[0]), self.raw(*args[1]), t.pos), t.pos))
            return self.after_group(m + 1, j)
        if delim not in ("(", "[", "{", r"\{", r"\lbrace", r"\lbrack"):
            raise self.err(f"unsupported delimiter {self._shown(t)}", k)
        if m == k + 1:
            raise self.err("empty brackets", k)
        # {x}_{i}: braces around a single name
        if t.is_char("{") and self.starts_ident(k + 1):
            ident, end = self.read_ident(k + 1, m)
            if end == m and m + 1 < j and self.toks[m + 1].is_char("_", "^", "'"):
                nxt = self.read_postfix(ident, m + 1, j)
                out.append(self.chunk(ident, ident.pos))
                if ident.power is not None:
                    out.extend(self.emit_sup(*ident.power, at=ident.power[0] - 1))
                return nxt
        # (..)^T
        if m + 1 < j and self.toks[m + 1].is_char("^"):
            a, b, nxt = self.arg(m + 2, j, "the superscript")
            kind = self.classify_sup(*self._strip_braces(a, b))
            if kind in ("T", "top", "-T"):
                out.append(self.chunk(_Group(self.raw(k + 1, m), kind, t.pos), t.pos))
                return self.after_group(nxt, j)
        out.append(("(", t.pos))
        out.extend(self.emit(k + 1, m))
        out.append((")", self.toks[m].pos))
        return self.after_group(m + 1, j)

    def after_group(self, k: int, j: int) -> int:
        if k < j and self.toks[k].is_char("_"):
            raise self.err("a subscript is only allowed on a name", k)
        if k < j and self.toks[k].is_char("'"):
            raise self.err("a prime is only allowed on a name", k)
        return k

    def find_bar(self, k: int, j: int) -> int:
        t = self.toks[k]
        same = (lambda x: x.is_char("|") or x.is_cmd(r"\vert")) if t.kind == "char" or t.text == r"\vert" \
            else (lambda x: x.kind == "cmd" and x.text in _NORM_BARS)
        q = k + 1
        while q < j:
            if self.is_open(q):
                q = self.match[q] + 1
                continue
            if same(self.toks[q]):
                return q
            q += 1
        raise self.err(f"unmatched {t.text}", k)

    def emit_norm(self, a: int, b: int, nxt: int, j: int, out: list, pos: int) -> int:
        if a >= b:
            raise self.err("empty norm", pos=pos)
        out.append(self.chunk(_NormPh(self.raw(a, b), pos), pos))
        if nxt < j and self.toks[nxt].is_char("_"):
            sa, sb, after = self.arg(nxt + 1, j, "the norm's subscript")
            sa, sb = self._strip_braces(sa, sb)
            if [x.text for x in self.toks[sa:sb]] != ["2"]:
                raise self.err("only the Euclidean norm (‖v‖ or ‖v‖_2) is supported", nxt)
            nxt = after
        return nxt

    def check_division(self, k: int, j: int) -> None:
        """``a/bc`` is read as a/(bc) by the parser and as (a/b)c by many: refuse it."""
        q = self.skip_factor(k + 1, j)
        if q is None:
            raise self.err("nothing to divide by", k)
        while q < j and (self.toks[q].is_char("^", "_", "!", "'")):
            q = self.arg(q + 1, j, "the superscript")[2] if not self.toks[q].is_char("!", "'") else q + 1
        if q < j and self.starts_factor(q):
            raise self.err(f"ambiguous division {self.src(k - 1 if k > 0 else k, q + 1)}: "
                           r"use \frac{..}{..} or parentheses", k)

    def starts_factor(self, q: int) -> bool:
        t = self.toks[q]
        if t.kind in ("num", "letter", "left"):
            return True
        if t.is_char("(", "[", "|"):
            return True
        return t.kind == "cmd" and (self.starts_ident(q) or t.text in PARSER_FUNCS or t.text in GREEK
                                    or t.text in (r"\frac", r"\dfrac", r"\tfrac", r"\sqrt", r"\|", r"\Vert",
                                                  r"\sum", r"\prod", r"\langle", r"\det"))

    def skip_factor(self, q: int, j: int) -> int | None:
        if q >= j:
            return None
        t = self.toks[q]
        if t.is_char("-", "+"):
            return self.skip_factor(q + 1, j)
        if t.kind == "num":
            return q + 1
        if self.starts_ident(q):
            return self.read_ident_extent(q, j)
        if self.is_open(q):
            return self.match[q] + 1
        if t.is_char("|") or t.kind == "cmd" and t.text in _NORM_BARS:
            return self.find_bar(q, j) + 1
        if t.kind == "cmd" and t.text in (r"\frac", r"\dfrac", r"\tfrac"):
            _, _, n1 = self.arg(q + 1, j, "the numerator")
            _, _, n2 = self.arg(n1, j, "the denominator")
            return n2
        if t.is_cmd(r"\sqrt"):
            q += 1
            if q < j and self.toks[q].is_char("["):
                q = self.match[q] + 1
            return self.arg(q, j, "the argument of \\sqrt")[2]
        if t.kind == "cmd" and t.text in PARSER_FUNCS:
            q += 1
            while q < j and self.toks[q].is_char("^", "_"):
                q = self.arg(q + 1, j, "the superscript")[2]
            return self.skip_factor(q, j)
        return q + 1

    def read_ident_extent(self, q: int, j: int) -> int:
        saved = len(self.ph)
        _, end = self.read_ident(q, j, allow_power=False)
        # the placeholders made while measuring are never emitted; drop them
        for name in [f"p{n}" for n in range(saved, len(self.ph))]:
            self.ph.pop(name, None)
        return end

    def emit_frac(self, k: int, j: int, out: list) -> int:
        a1, b1, n1 = self.arg(k + 1, j, "the numerator of \\frac")
        a2, b2, n2 = self.arg(n1, j, "the denominator of \\frac")
        a1, b1 = self._strip_braces(a1, b1)
        a2, b2 = self._strip_braces(a2, b2)
        if a1 >= b1 or a2 >= b2:
            raise self.err("\\frac with an empty part", k)
        deriv = self.derivative(a1, b1, a2, b2, k)
        if deriv is None:
            out.append((r"\frac{", self.toks[k].pos))
            out.extend(self.emit(a1, b1))
            out.append(("}{", self.toks[a2].pos))
            out.extend(self.emit(a2, b2))
            out.append(("}", self.toks[b2 - 1].pos))
            return n2
        if deriv.operand is None and deriv.implicit is None:  # operator form: d/dx (...)
            return self.take_operand(deriv, n2, j, out, k)
        out.append(self.chunk(deriv, self.toks[k].pos))
        return n2

    def d_op(self, q: int, b: int) -> tuple[str, int] | None:
        """'d' or 'partial' at q (``d``, ``\\mathrm{d}``, ``\\partial``), and the index after it."""
        if q >= b:
            return None
        t = self.toks[q]
        if t.kind == "letter" and t.text == "d":
            return "d", q + 1
        if t.is_cmd(r"\partial"):
            return "partial", q + 1
        if t.kind == "cmd" and t.text in (r"\mathrm", r"\operatorname", r"\text", r"\mathit"):
            a, c, nxt = self.arg(q + 1, b, "the argument")
            a, c = self._strip_braces(a, c)
            if [x.text for x in self.toks[a:c]] == ["d"]:
                return "d", nxt
        return None

    def order_at(self, q: int, b: int) -> tuple[int, int]:
        if q < b and self.toks[q].is_char("^"):
            a, c, nxt = self.arg(q + 1, b, "the order")
            a, c = self._strip_braces(a, c)
            toks = self.toks[a:c]
            if len(toks) != 1 or toks[0].kind != "num" or not toks[0].text.isdigit() or toks[0].value < 1:
                raise self.err("the order of a derivative must be a positive whole number", q)
            return int(toks[0].value), nxt
        return 1, q

    def derivative(self, a1: int, b1: int, a2: int, b2: int, at: int) -> _Deriv | None:
        top = self.d_op(a1, b1)
        if top is None:
            return None
        kind, q = top
        # denominator: (d var [^k])+
        wrt, p = [], a2
        while p < b2:
            op = self.d_op(p, b2)
            if op is None or op[0] != kind or op[1] >= b2 or not self.starts_ident(op[1]):
                return None
            ident, p2 = self.read_ident(op[1], b2, allow_power=False)
            if ident.power is not None or ident.transpose or ident.word:
                return None
            order, p = self.order_at(p2, b2)
            wrt.append((sp.Symbol(self.new(ident)), order))
        if not wrt:
            return None
        total, q = self.order_at(q, b1)
        if total != sum(n for _, n in wrt):
            raise self.err("the orders of the derivative do not match (numerator and denominator)", at)
        pos = self.toks[at].pos
        if q >= b1:
            return _Deriv(None, None, wrt, pos)
        if self.starts_ident(q):
            ident, end = self.read_ident(q, b1, allow_power=False)
            if end == b1 and not ident.transpose and ident.power is None:
                return _Deriv(None, ident, wrt, pos)
        return _Deriv(self.raw(q, b1), None, wrt, pos)

    def take_operand(self, deriv: _Deriv, k: int, j: int, out: list, at: int) -> int:
        """The operand of d/dx, ∂/∂x, ∇_w: a bracket group, or the rest of the term."""
        while k < j and (self.toks[k].is_char("~") or self.toks[k].kind == "cmd" and self.toks[k].text in SPACES):
            k += 1
        if k >= j:
            raise self.err("nothing to differentiate", at)
        t = self.toks[k]
        if (t.kind == "left" and t.value in ("(", "[")) or (t.is_char("(", "[") and k in self.match):
            m = self.match[k]
            self.set_operand(deriv, k + 1, m)
            out.append(self.chunk(deriv, self.toks[at].pos))
            return self.after_group(m + 1, j)
        end = self.term_end(k, j)
        self.set_operand(deriv, k, end)
        out.append(self.chunk(deriv, self.toks[at].pos))
        return end

    def set_operand(self, deriv: _Deriv, a: int, b: int) -> None:
        """A lone name (d/dx y, ∇_w L) may be read as a function of the variable."""
        if a < b and self.starts_ident(a):
            saved = len(self.ph)
            ident, end = self.read_ident(a, b, allow_power=False)
            if end == b and not ident.transpose and ident.power is None and not ident.word:
                deriv.implicit = ident
                return
            for name in [f"p{n}" for n in range(saved, len(self.ph))]:
                self.ph.pop(name, None)
        deriv.operand = self.raw(a, b)

    def term_end(self, k: int, j: int) -> int:
        q = k
        while q < j:
            t = self.toks[q]
            if self.is_open(q):
                q = self.match[q] + 1
                continue
            if t.is_char("|") or t.kind == "cmd" and t.text in _NORM_BARS:
                q = self.find_bar(q, j) + 1
                continue
            if t.is_char("+", "-") and q > k:
                prev = self.toks[q - 1]
                if not (prev.is_char("^", "_", "/", "*") or prev.is_cmd(r"\cdot", r"\times", r"\div")):
                    return q
            if t.is_char(",", "&", "=", "<", ">") or t.kind == "cmd" and t.text in RELATIONS:
                return q
            q += 1
        return j

    def emit_operator(self, k: int, j: int, out: list) -> int:
        t = self.toks[k]
        if k + 1 >= j or not self.toks[k + 1].is_char("_"):
            if t.is_cmd(r"\nabla"):
                raise self.err(r"\nabla needs the variable as a subscript: \nabla_w L", k)
            raise self.err(r"\partial outside a derivative: write \frac{\partial f}{\partial x} or \partial_x f", k)
        a, b, nxt = self.arg(k + 2, j, "the variable")
        a, b = self._strip_braces(a, b)
        if a >= b or not self.starts_ident(a):
            raise self.err("the variable of a derivative must be a name", a if a < j else k)
        ident, end = self.read_ident(a, b, allow_power=False)
        if end != b:
            raise self.err("the variable of a derivative must be a single name", a)
        deriv = _Deriv(None, None, [(sp.Symbol(self.new(ident)), 1)], t.pos)
        return self.take_operand(deriv, nxt, j, out, k)

    def emit_sqrt(self, k: int, j: int, out: list) -> int:
        t = self.toks[k]
        q = k + 1
        out.append((r"\sqrt", t.pos))
        if q < j and self.toks[q].is_char("["):
            m = self.match[q]
            if m == q + 1:
                raise self.err("empty root index", q)
            out.append(("[", self.toks[q].pos))
            out.extend(self.emit(q + 1, m))
            out.append(("]", self.toks[m].pos))
            q = m + 1
        a, b, nxt = self.arg(q, j, "the argument of \\sqrt")
        a, b = self._strip_braces(a, b)
        if a >= b:
            raise self.err("empty \\sqrt", k)
        out.append(("{", t.pos))
        out.extend(self.emit(a, b))
        out.append(("}", t.pos))
        return nxt

    def emit_sum(self, k: int, j: int, out: list) -> int:
        t = self.toks[k]
        q = k + 1
        lower = upper = None
        while q < j and (self.toks[q].is_char("_", "^") or self.toks[q].is_cmd(r"\limits", r"\nolimits")):
            if self.toks[q].kind == "cmd":
                q += 1
                continue
            a, b, nxt = self.arg(q + 1, j, "the limit")
            if self.toks[q].is_char("_"):
                if lower is not None:
                    raise self.err("double subscript", q)
                lower = self._strip_braces(a, b)
            else:
                if upper is not None:
                    raise self.err("double superscript", q)
                upper = self._strip_braces(a, b)
            q = nxt
        if lower is None:
            raise self.err(f"{t.text} needs its index: {t.text}_{{i=1}}^{{n}}", k)
        a, b = lower
        eq = next((p for p in range(a, b) if self.toks[p].is_char("=")), None)
        if eq is None:
            if a >= b or not self.starts_ident(a):
                raise self.err(f"{t.text}_{{...}} must name its index: {t.text}_{{i=1}}^{{n}}", a if a < j else k)
            ident, end = self.read_ident(a, b, allow_power=False)
            if end != b:
                raise self.err(f"unsupported range for {t.text}: write {t.text}_{{i=1}}^{{n}}", a)
            rng = next((r for r in self.ctx.indices if r.index.name == ident.name), None)
            if rng is None or upper is not None:
                raise self.err(f"{t.text}_{{{ident.name}}} needs limits ({t.text}_{{{ident.name}=1}}^{{n}}) "
                               f"or an index declaration (% symproof: index {ident.name} from 1 to n)", k)
            var = self.chunk(ident, ident.pos)
            lo = [self.chunk(_Const(rng.lower, t.pos), t.pos)]
            hi = [self.chunk(_Const(rng.upper, t.pos), t.pos)]
        else:
            if upper is None:
                raise self.err(f"{t.text} needs an upper limit: {t.text}_{{i=1}}^{{n}}", k)
            if a >= eq or not self.starts_ident(a):
                raise self.err(f"the index of {t.text} must be a name", a)
            ident, end = self.read_ident(a, eq, allow_power=False)
            if end != eq or ident.sub is not None or ident.word:
                raise self.err(f"the index of {t.text} must be a single letter", a)
            if eq + 1 >= b:
                raise self.err(f"{t.text} needs a lower limit", eq)
            var = self.chunk(ident, ident.pos)
            lo = self.emit(eq + 1, b)
            hi = self.emit(*upper)
        if q >= j:
            raise self.err(f"{t.text} of nothing", k)
        out.append((t.text + "_{", t.pos))
        out.append(var)
        out.append(("=", t.pos))
        out.extend(lo)
        out.append(("}^{", t.pos))
        out.extend(hi)
        out.append(("}", t.pos))
        return q

    def emit_func(self, k: int, j: int, out: list) -> int:
        t = self.toks[k]
        name = t.text
        q = k + 1
        has_base = q < j and self.toks[q].is_char("_")
        if name == r"\log" and not has_base:
            name = r"\ln"
        if has_base and name not in (r"\log",):
            raise self.err(f"a subscript on {t.text}", q)
        out.append((name, t.pos))
        seen = set()
        while q < j and self.toks[q].is_char("_", "^"):
            c = self.toks[q].text
            if c in seen:
                raise self.err("double " + ("subscript" if c == "_" else "superscript"), q)
            seen.add(c)
            a, b, nxt = self.arg(q + 1, j, "the " + ("base" if c == "_" else "power"))
            if c == "^":
                out.extend(self.emit_sup(a, b, q))
            else:
                a, b = self._strip_braces(a, b)
                out.append(("_{", self.toks[q].pos))
                out.extend(self.emit(a, b))
                out.append(("}", self.toks[q].pos))
            q = nxt
        if q >= j:
            raise self.err(f"{t.text} of nothing", k)
        if name in (r"\max", r"\min"):
            if not self.is_paren_open(q):
                raise self.err(f"{t.text} needs its arguments in parentheses: {t.text}(a, b)", q)
            m = self.match[q]
            args = self.split_commas(q + 1, m)
            if len(args) < 2:
                raise self.err(f"{t.text} needs at least two arguments", q)
            out.append(("(", self.toks[q].pos))
            for n, (a, b) in enumerate(args):
                if n:
                    out.append((",", self.toks[a - 1].pos))
                out.extend(self.emit(a, b))
            out.append((")", self.toks[m].pos))
            return self.after_group(m + 1, j)
        return q

    def emit_matfn(self, kind: str, start: int, k: int, j: int, out: list, power=None) -> int:
        """\\det X, \\det(X), \\operatorname{tr}(X)."""
        pos = self.toks[start].pos
        if k < j and (self.is_paren_open(k) or self.toks[k].is_char("[") and k in self.match):
            m = self.match[k]
            raw, nxt = self.raw(k + 1, m), m + 1
        elif k < j and self.starts_ident(k):
            ident, nxt = self.read_ident(k, j, allow_power=False)
            raw = sp.Symbol(self.new(ident))
        elif k < j and self.toks[k].is_cmd(r"\begin"):
            mat: list[tuple[str, int]] = []
            nxt = self.emit_env(k, j, mat)
            raw = self.parse_chunks(mat)
        else:
            raise self.err(f"{'det' if kind == 'det' else 'tr'} needs a matrix: write it in parentheses", start)
        out.append(self.chunk(_MatFn(kind, raw, pos), pos))
        if power is not None:
            out.extend(self.emit_sup(*power, at=power[0] - 1))
        return nxt

    def emit_env(self, k: int, j: int, out: list) -> int:
        t = self.toks[k]
        if k + 1 >= j or not self.toks[k + 1].is_char("{"):
            raise self.err("\\begin needs an environment name", k)
        m = self.match[k + 1]
        env = "".join(x.text for x in self.toks[k + 2:m])
        if env not in _ENVS and env != "vmatrix":
            raise self.err(f"environment {env} is not supported here", k)
        # find \end{env}
        q = m + 1
        end = None
        while q < j:
            if self.toks[q].is_cmd(r"\begin"):
                raise self.err("nested environments are not supported", q)
            if self.toks[q].is_cmd(r"\end"):
                end = q
                break
            q = self.match[q] + 1 if self.is_open(q) else q + 1
        if end is None:
            raise self.err(f"\\begin{{{env}}} without \\end{{{env}}}", k)
        em = self.match.get(end + 1)
        if em is None or "".join(x.text for x in self.toks[end + 2:em]) != env:
            raise self.err(f"\\begin{{{env}}} closed by another environment", end)
        rows, row, start, q = [], [], m + 1, m + 1
        while q <= end:
            if q < end and self.is_open(q):
                q = self.match[q] + 1
                continue
            tok = self.toks[q] if q < end else None
            if q == end or tok.is_char("&") or tok.is_cmd("\\\\"):
                if start < q:
                    row.append((start, q))
                elif tok is not None and tok.is_char("&") or row:
                    raise self.err("empty matrix entry", q)
                if q == end or tok.is_cmd("\\\\"):
                    if row:
                        rows.append(row)
                    row = []
                start = q + 1
            q += 1
        if not rows or any(len(r) != len(rows[0]) for r in rows):
            raise self.err("the rows of the matrix have different lengths", k)
        if len(rows) * len(rows[0]) > MAX_MATRIX_ENTRIES:
            raise self.err(f"explicit matrices are limited to {MAX_MATRIX_ENTRIES} entries", k)
        if env == "vmatrix" and (len(rows) != len(rows[0]) or len(rows) > 3):
            raise self.err("determinants (vmatrix) of square matrices up to 3×3 only", k)
        mat: list[tuple[str, int]] = [(r"\begin{bmatrix}", t.pos)]
        for r_i, r in enumerate(rows):
            if r_i:
                mat.append(("\\\\", t.pos))
            for c_i, (p1, p2) in enumerate(r):
                if c_i:
                    mat.append(("&", t.pos))
                mat.extend(self.emit(p1, p2))
        mat.append((r"\end{bmatrix}", self.toks[end].pos))
        if env == "vmatrix":
            out.append(self.chunk(_MatFn("det", self.parse_chunks(mat), t.pos), t.pos))
        else:
            out.extend(mat)
        return em + 1

    # -- calling the parser --------------------------------------------------
    def raw(self, i: int, j: int) -> sp.Basic:
        """The parser's reading of tokens[i:j], with placeholders."""
        if i >= j:
            raise self.err("empty expression", i)
        chunks = self.emit(i, j)
        if not chunks:
            raise self.err("empty expression", i)
        return self.parse_chunks(chunks)

    def parse_chunks(self, chunks: list[tuple[str, int]]) -> sp.Basic:
        if len(chunks) == 1 and chunks[0][0].startswith(r"\variable{"):
            return sp.Symbol(chunks[0][0][len(r"\variable{"):-1])
        pieces, starts, at = [], [], 0
        for text, _ in chunks:
            starts.append(at)
            pieces.append(text)
            at += len(text) + 1
        neutral = " ".join(pieces)
        try:
            result = run_parser(neutral)
        except ParserSyntaxError as e:
            idx = 0
            if e.offset is not None:
                for n, s in enumerate(starts):
                    if s <= e.offset:
                        idx = n
            raise self.err("cannot read the formula here", pos=chunks[idx][1]) from None
        except RecursionError:
            raise self.err("formula nested too deeply", pos=chunks[0][1]) from None
        except Exception as e:  # the converter's own errors: never a traceback
            raise self.err(f"cannot read the formula: {str(e).splitlines()[0] if str(e) else type(e).__name__}",
                           pos=chunks[0][1]) from None
        if isinstance(result, (list, tuple)) or not isinstance(result, (sp.Basic, sp.MatrixBase)):
            raise self.err("not a single expression", pos=chunks[0][1])
        return result


# -- pass 3: build ----------------------------------------------------------
class _Builder:
    """Rebuilds the parser's tree with real constructors and resolves placeholders."""

    def __init__(self, reader: Reader, seq_names: frozenset[str]) -> None:
        self.r = reader
        self.ctx = reader.ctx
        self.table = reader.table
        self.seq_names = seq_names
        self.new_seq: set[str] = set()
        self.scalar_subscripted: set[str] = set()
        self.index_symbols = {r.index for r in reader.ctx.indices}
        self.node = None  # the raw node being built (for error columns)
        self.huge = False  # an integer power was left unevaluated: keep what contains it unevaluated too

    def err(self, reason: str, pos: int | None) -> LatexParseError:
        if pos is None and self.node is not None:
            pos = self.pos_of(self.node)
        return self.r.err(reason, pos=pos)

    def pos_of(self, e) -> int | None:
        """Column of the leftmost placeholder in a raw node."""
        found = [self.r.ph[s.name].pos for s in getattr(e, "free_symbols", ()) if s.name in self.r.ph]
        return min(found) if found else None

    # -- generic -------------------------------------------------------------
    def build(self, e, bound: dict):
        outer, self.node = self.node, e
        try:
            return self._build(e, bound)
        finally:
            self.node = outer

    def _build(self, e, bound: dict):
        if isinstance(e, sp.Symbol):
            ph = self.r.ph.get(e.name)
            if ph is None:
                raise LatexParseError(f"internal: unknown placeholder {e.name}")
            return self.resolve(ph, bound)
        if isinstance(e, sp.MatrixBase):
            return sp.ImmutableMatrix(e.rows, e.cols, [self.scalar(self.build(x, bound), None) for x in e])
        if e.is_Number or e in (sp.oo, -sp.oo, sp.E, sp.pi):
            return e
        if isinstance(e, sp.Add):
            return self.add([self.build(a, bound) for a in e.args])
        if isinstance(e, sp.Mul):
            return self.mul([self.build(a, bound) for a in e.args])
        if isinstance(e, sp.Pow):
            return self.power(self.build(e.base, bound), self.build(e.exp, bound))
        if isinstance(e, (sp.Sum, sp.Product)):
            return self.sum(e, bound)
        if isinstance(e, sp.log):
            args = [self.scalar(self.build(a, bound), None) for a in e.args]
            if self.huge:  # log(10^(10^10)) would compute the power to look for a rational base
                num = sp.log(args[0], evaluate=False)
                if len(args) == 2 and args[1] != sp.E:
                    return sp.Mul(num, sp.Pow(sp.log(args[1], evaluate=False), -1, evaluate=False), evaluate=False)
                return num
            if len(args) == 2 and args[1] != sp.E:
                return sp.log(args[0], args[1])
            return sp.log(args[0])
        if isinstance(e, (sp.exp, sp.sin, sp.cos, sp.tan, sp.sec, sp.csc, sp.cot, sp.asin, sp.acos, sp.atan,
                          sp.sinh, sp.cosh, sp.tanh, sp.Abs, sp.Max, sp.Min)):
            args = [self.scalar(self.build(a, bound), None) for a in e.args]
            # a function of a huge unevaluated number: evaluating would try to compute it
            return e.func(*args, evaluate=not self.huge)
        if isinstance(e, sp.factorial):
            arg = self.scalar(self.build(e.args[0], bound), None)
            if self.huge or arg.is_Integer and arg > 1000:
                return sp.factorial(arg, evaluate=False)
            return sp.factorial(arg)
        raise self.err(f"unsupported construct ({type(e).__name__})", None)

    def scalar(self, e, pos):
        if _is_matrix(e):
            raise self.err("a matrix where a number is expected", pos)
        return e

    def add(self, terms: list):
        mats = [t for t in terms if _is_matrix(t)]
        if not mats:
            # Add and Mul combine numbers: an unevaluated 10^(10^10) next to a number would be computed
            return sp.Add(*terms, evaluate=not self.huge)
        shape = mats[0].shape
        out = []
        for t in terms:
            if not _is_matrix(t):
                ident = self.identity_term(t, shape)
                if ident is None:
                    raise self.err("a matrix plus a number", None)
                t = ident
            if t.shape != shape:
                raise self.err(f"matrices of different shapes added: {_shape(shape)} and {_shape(t.shape)}", None)
            out.append(t)
        return reduce(operator.add, out)

    def identity_term(self, t, shape):
        """λI in a sum of matrices: I (not declared) is the identity."""
        if "I" in self.table or shape[0] != shape[1]:
            return None
        eye = sp.Symbol("I", real=True)
        if not t.has(eye):
            return None
        coeff = sp.cancel(t / eye)
        if coeff.has(eye):
            return None
        self.r.note("I read as the identity matrix")
        return coeff * sp.Identity(shape[0])

    def mul(self, factors: list):
        scalars = [f for f in factors if not _is_matrix(f)]
        mats = [f for f in factors if _is_matrix(f)]
        if not mats:
            return sp.Mul(*scalars, evaluate=not self.huge)
        chain: list = []
        for m in mats:
            if chain and chain[-1].shape[1] != m.shape[0]:
                raise self.err(f"shapes do not match in a product: {_shape(chain[-1].shape)} times "
                               f"{_shape(m.shape)}", None)
            chain.append(m)
            if len(chain) >= 2 and chain[0].shape[0] == 1 and m.shape[1] == 1:
                u = chain[0].T
                v = reduce(operator.mul, chain[1:])
                scalars.append(Inner(u, v))
                chain = []
        coeff = sp.Mul(*scalars)
        if not chain:
            return coeff
        prod = reduce(operator.mul, chain)
        return prod if coeff == 1 else coeff * prod

    def power(self, base, ex):
        if _is_matrix(ex):
            raise self.err("a matrix as an exponent", None)
        if _is_matrix(base):
            if base.shape[0] != base.shape[1]:
                raise self.err(f"a power of a non-square matrix ({_shape(base.shape)})", None)
            if ex == -1:
                return sp.Inverse(base)
            if ex == 1:
                return base
            if ex.is_Integer and ex > 0:
                return sp.MatPow(base, ex)
            raise self.err("matrix powers must be whole numbers (or -1 for the inverse)", None)
        if base.is_Integer and ex.is_Integer and abs(base) > 1:
            if abs(int(ex)) * int(abs(base)).bit_length() > MAX_INT_BITS:
                self.huge = True
                return sp.Pow(base, ex, evaluate=False)
        if self.huge and (base.has(sp.Pow) or ex.has(sp.Pow)):
            return sp.Pow(base, ex, evaluate=False)
        return sp.Pow(base, ex)

    def sum(self, e, bound: dict):
        # sympy merges directly nested sums into one with several limits, innermost first:
        # \sum_{i=1}^{n} \sum_{j=1}^{i} f is Sum(f, (j, 1, i), (i, 1, n)); outer indices are
        # bound in the limits of inner ones
        inner, limits, pos = dict(bound), [], None
        for limit in reversed(e.limits):
            var = limit[0]
            ph = self.r.ph.get(var.name) if isinstance(var, sp.Symbol) else None
            if not isinstance(ph, _Ident) or len(limit) != 3:
                raise self.err("the index of a sum must be a name", None)
            pos = ph.pos if pos is None else pos
            sym = self.bound_symbol(ph.name)
            lo_b = self.scalar(self.build(limit[1], inner), ph.pos)
            hi_b = self.scalar(self.build(limit[2], inner), ph.pos)
            inner = {**inner, ph.name: sym}
            limits.append((sym, lo_b, hi_b))
        body = self.build(e.function, inner)
        if _is_matrix(body):
            raise self.err("sums of matrices are not supported", pos)
        return e.func(body, *reversed(limits))

    def bound_symbol(self, name: str) -> sp.Symbol:
        for r in self.ctx.indices:
            if r.index.name == name:
                return r.index
        obj = self.table.get(name)
        if isinstance(obj, sp.Symbol) and obj.is_integer:
            return obj
        return sp.Symbol(name, integer=True)

    # -- placeholders --------------------------------------------------------
    def resolve(self, ph, bound: dict):
        if isinstance(ph, _Const):
            return ph.value
        if isinstance(ph, _Ident):
            return self.ident(ph, bound)
        if isinstance(ph, _Group):
            return self.transpose(self.build(ph.raw, bound), ph.marker, ph.pos, declared=True)
        if isinstance(ph, _NormPh):
            v = self.build(ph.raw, bound)
            if not _is_matrix(v) or v.shape[1] != 1:
                raise self.err("‖·‖ of something that is not a declared vector "
                               "(declare it: % symproof: vector v: d)", ph.pos)
            return Norm(v)
        if isinstance(ph, _InnerPh):
            u, v = self.build(ph.u, bound), self.build(ph.v, bound)
            if not (_is_matrix(u) and _is_matrix(v) and u.shape[1] == 1 and v.shape == u.shape):
                raise self.err("⟨u, v⟩ needs two vectors of the same size", ph.pos)
            return Inner(u, v)
        if isinstance(ph, _MatFn):
            m = self.build(ph.raw, bound)
            if not _is_matrix(m) or m.shape[0] != m.shape[1]:
                raise self.err(f"{ph.kind} of something that is not a declared square matrix", ph.pos)
            return sp.Determinant(m) if ph.kind == "det" else sp.Trace(m)
        if isinstance(ph, _App):
            return self.app(ph, bound)
        if isinstance(ph, _Deriv):
            return self.derivative(ph, bound)
        raise LatexParseError(f"internal: unknown placeholder {ph!r}")

    def lookup(self, name: str):
        obj = self.table.get(name)
        if obj is None and name in GREEK_VARIANTS:
            obj = self.table.get(GREEK_VARIANTS[name])
        return obj

    def ident(self, ph: _Ident, bound: dict):
        name = ph.name + "'" * ph.primes
        if ph.sub is None:
            if name in bound:
                obj = bound[name]
            else:
                obj = self.lookup(name)
                if obj is None:
                    if name == "e":
                        obj = sp.E
                        if ph.bare:
                            self.r.note("e read as Euler's number")
                    elif name == "pi":
                        obj = sp.pi
                    else:
                        obj = sp.Symbol(name, real=True)
                elif isinstance(obj, UndefinedFunction):
                    raise self.err(f"{name} is a declared function: write {name}(...)", ph.pos)
                elif isinstance(obj, sp.IndexedBase):
                    raise self.err(f"{name} is a declared sequence: write {name}_i", ph.pos)
        else:
            obj = self.subscripted(ph, name, bound)
        if ph.transpose:
            obj = self.transpose(obj, ph.transpose, ph.pos,
                                 declared=(ph.sub is None and self.lookup(name) is not None) or name in bound)
        return obj

    def subscripted(self, ph: _Ident, name: str, bound: dict):
        sub = ph.sub
        full = f"{name}_{sub.text}"
        base = self.lookup(name)
        items = [self.scalar(self.build(x, bound), ph.pos) for x in sub.items]
        if isinstance(base, sp.IndexedBase):
            return base[tuple(items)]
        obj = self.table.get(full)
        if obj is None and not sub.text.startswith("{"):
            obj = self.table.get(f"{name}_{{{sub.text}}}")
        if obj is not None:
            if isinstance(obj, (UndefinedFunction, sp.IndexedBase)):
                raise self.err(f"{full} is declared as a function or sequence", ph.pos)
            return obj
        if isinstance(base, MatrixExpr):
            raise self.err(f"entries of the matrix/vector {name} are not supported "
                           f"(declare a sequence: % symproof: index i from 1 to n: {name})", ph.pos)
        if isinstance(base, UndefinedFunction):
            raise self.err(f"{name} is a declared function: write {name}(...)", ph.pos)
        if base is None and name == "delta" and len(items) == 2:
            return sp.KroneckerDelta(*items)
        indices = set(bound.values()) | self.index_symbols
        free = set().union(*(getattr(x, "free_symbols", set()) for x in items))
        if base is None and (name in self.seq_names or free & indices):
            if name not in self.seq_names:
                self.new_seq.add(name)
            return sp.IndexedBase(name, real=True)[tuple(items)]
        self.scalar_subscripted.add(name)
        return sp.Symbol(full, real=True)

    def transpose(self, obj, marker: str, pos: int, declared: bool):
        if _is_matrix(obj):
            return sp.Inverse(obj).T if marker == "-T" else obj.T
        t = self.lookup("T")
        if marker == "T" and (declared or obj == sp.E or isinstance(t, sp.Symbol)):
            # x^T of a scalar is a power when x is a declared scalar, or T a declared symbol
            return self.power(obj, t if isinstance(t, sp.Symbol) else sp.Symbol("T", real=True))
        raise self.err("transpose of something that is not a declared matrix or vector (declare it: "
                       "% symproof: vector w: d, or % symproof: matrix X: n \\times d)", pos)

    def app(self, ph: _App, bound: dict):
        ident = ph.ident
        fn = ph.fn
        if fn is None:
            if ident.name in _WORD_FUNCS and not ident.primes:
                fn = _WORD_FUNCS[ident.name]
            else:
                fn = sp.Function(ident.name)
                self.r.note(f"{ident.name} is not declared: read as an unknown function {ident.name}(...)")
        args = [self.build(a, bound) for a in ph.args]
        try:
            value = fn(*args)
        except Exception as e:  # wrong number of arguments, ...
            raise self.err(f"cannot apply {ident.name}: {e}", ph.pos) from None
        if ident.primes:
            if len(args) != 1 or _is_matrix(args[0]):
                raise self.err(f"{ident.name}' needs exactly one scalar argument", ph.pos)
            x = args[0]
            if isinstance(x, sp.Symbol) and x not in bound.values():
                return sp.Derivative(value, (x, ident.primes))
            u = sp.Symbol("_xi", real=True)
            return sp.Subs(sp.Derivative(fn(u), (u, ident.primes)), u, x)
        return value

    def derivative(self, ph: _Deriv, bound: dict):
        wrt = []
        for raw, n in ph.wrt:
            v = self.build(raw, bound)
            if isinstance(v, sp.MatrixSymbol):
                raise self.err(f"derivatives with respect to the vector/matrix {v} are not supported "
                               "(their value is not a scalar); differentiate with respect to a scalar", ph.pos)
            if not isinstance(v, (sp.Symbol, sp.Indexed)):
                raise self.err(f"cannot differentiate with respect to {v}", ph.pos)
            wrt.append((v, n))
        variables = [v for v, _ in wrt]
        if ph.implicit is not None:
            expr = self.implicit(ph.implicit, variables, bound)
        else:
            expr = self.build(ph.operand, bound)
        if _is_matrix(expr):
            raise self.err("derivatives of matrix-valued expressions are not supported", ph.pos)
        try:
            return sp.Derivative(expr, *wrt)
        except Exception as e:
            raise self.err(f"cannot form this derivative: {e}", ph.pos) from None

    def implicit(self, ident: _Ident, variables: list, bound: dict):
        """dy/dx: a name that is not declared is read as a function y(x)."""
        name = ident.name + "'" * ident.primes
        if ident.sub is None and not ident.transpose and name not in bound:
            obj = self.lookup(name)
            if isinstance(obj, UndefinedFunction):
                return obj(*variables)
            if obj is None and name not in ("e", "pi"):
                shown = ", ".join(str(v) for v in variables)
                self.r.note(f"{name} read as a function {name}({shown}) in its derivative")
                return sp.Function(name, real=True)(*variables)
        return self.ident(ident, bound)


def _shape(shape) -> str:
    return f"{shape[0]}×{shape[1]}"


# -- entry points -------------------------------------------------------------
_CLASSES = {"Eq": sp.Eq, "Le": sp.Le, "Lt": sp.Lt, "Ge": sp.Ge, "Gt": sp.Gt, "Ne": sp.Ne}


def read(text: str, context: Context, table: dict, allowed: frozenset[str], offset: int = 0,
         chain: bool = False):
    """Read ``text``: an expression, or ``a REL b`` (``chain``: ``a REL b REL c``).

    Returns (value, notes): value is an expression or relation; with
    ``chain`` a tuple of relations between neighbours.
    """
    reader = Reader(text, context, table, offset)
    if not reader.toks:
        raise reader.err("empty formula", pos=0)
    parts = reader.split_relations(set(allowed))
    ranges = parts[0::2]
    ops = parts[1::2]
    if len(ops) > 1 and not chain:
        raise reader.err("more than one relation on a line", pos=ops[1][1])
    for n, (a, b) in enumerate(ranges):
        if a >= b:
            where = ops[n - 1][1] if n else (ops[0][1] if ops else 0)
            raise reader.err("a relation needs an expression on both sides", pos=where)
    raws = [reader.raw(a, b) for a, b in ranges]

    seq: frozenset[str] = frozenset()
    for _ in range(3):
        builder = _Builder(reader, seq)
        sides = [builder.build(r, {}) for r in raws]
        if builder.new_seq & builder.scalar_subscripted:
            seq = seq | builder.new_seq
            continue
        break
    for (a, _b), side in zip(ranges, sides):
        _check_value(reader, side, reader.toks[a].pos)
    if not ops:
        return sides[0], tuple(reader.notes)
    rels = []
    for n, (op, pos) in enumerate(ops):
        lhs, rhs = sides[n], sides[n + 1]
        if op in ("Eq", "Ne") and _is_matrix(lhs) != _is_matrix(rhs):
            # X^T X θ - X^T y = 0: the 0 is the zero matrix of that shape
            if not _is_matrix(lhs) and lhs == 0:
                lhs = sp.ZeroMatrix(*rhs.shape)
            elif not _is_matrix(rhs) and rhs == 0:
                rhs = sp.ZeroMatrix(*lhs.shape)
        if _is_matrix(lhs) or _is_matrix(rhs):
            if op not in ("Eq", "Ne") or not (_is_matrix(lhs) and _is_matrix(rhs)) or lhs.shape != rhs.shape:
                raise reader.err("a relation between a matrix and something of another shape, "
                                 "or an inequality between matrices", pos=pos)
        rels.append(_CLASSES[op](lhs, rhs, evaluate=False))
    if chain:
        return tuple(rels), tuple(reader.notes)
    return rels[0], tuple(reader.notes)


def _check_value(reader: Reader, value, pos: int) -> None:
    if _is_matrix(value):
        return
    if value.has(sp.nan) or value.has(sp.zoo):
        raise reader.err("the expression is undefined (a division by zero or ∞ − ∞)", pos=pos)
    if value.has(sp.Float):
        raise LatexParseError("internal: a float survived parsing")
