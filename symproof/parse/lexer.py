"""Tokens of a LaTeX formula, each with its 0-based column in the input.

The normalisation layer works on these tokens, never on the raw string, so
every error it raises can point at the place that is wrong.

>>> [t.text for t in lex(r"\\frac12 + x_{i}^2")]
['\\\\frac', '1', '2', '+', 'x', '_', '{', 'i', '}', '^', '2']
>>> lex("0.8")[0].value
4/5
"""
from __future__ import annotations

import re
from dataclasses import dataclass

import sympy as sp

from symproof.errors import LatexParseError

__all__ = ["Token", "lex", "MAX_CHARS", "MAX_DIGITS"]

MAX_CHARS = 2000        # one step of a derivation; longer input is refused before any parsing
MAX_DIGITS = 1000       # per number literal (Python refuses str -> int beyond 4300 digits)
MAX_EXPONENT = 1000     # |k| in scientific notation 1.5e{k}

# kinds: num, letter, cmd, char, left, right
@dataclass(frozen=True)
class Token:
    kind: str
    text: str
    pos: int
    value: object = None    # num: the exact Rational; left/right: the delimiter
    note: str | None = None  # num: how a float / scientific literal was read

    def is_char(self, *chars: str) -> bool:
        return self.kind == "char" and self.text in chars

    def is_cmd(self, *names: str) -> bool:
        return self.kind == "cmd" and self.text in names


_UNICODE = {
    "α": r"\alpha", "β": r"\beta", "γ": r"\gamma", "δ": r"\delta", "ε": r"\epsilon", "ϵ": r"\epsilon",
    "ζ": r"\zeta", "η": r"\eta", "θ": r"\theta", "ι": r"\iota", "κ": r"\kappa", "λ": r"\lambda",
    "μ": r"\mu", "ν": r"\nu", "ξ": r"\xi", "π": r"\pi", "ρ": r"\rho", "σ": r"\sigma", "τ": r"\tau",
    "υ": r"\upsilon", "φ": r"\phi", "ϕ": r"\phi", "χ": r"\chi", "ψ": r"\psi", "ω": r"\omega",
    "Γ": r"\Gamma", "Δ": r"\Delta", "Θ": r"\Theta", "Λ": r"\Lambda", "Ξ": r"\Xi", "Π": r"\Pi",
    "Σ": r"\Sigma", "Φ": r"\Phi", "Ψ": r"\Psi", "Ω": r"\Omega", "ℓ": r"\ell",
    "−": "-", "·": r"\cdot", "×": r"\times", "÷": r"\div", "≤": r"\le", "≥": r"\ge", "≠": r"\ne",
    "∞": r"\infty", "∂": r"\partial", "∇": r"\nabla", "∑": r"\sum", "∏": r"\prod", "√": r"\sqrt",
    "′": "'", "⊤": r"\top", "‖": r"\|",
}

_NUM = re.compile(r"(\d+)(?:\.(\d+))?|\.(\d+)")
_SCI = re.compile(r"[eE]([+-]?)(\d+)")
_SIZE = re.compile(r"\\(?:left|right|middle|[bB]igg?[lrm]?)(?![a-zA-Z])")
_DELIMS = {"(", ")", "[", "]", "|", ".", "<", ">", "/"}
_CMD_DELIMS = {r"\{", r"\}", r"\|", r"\langle", r"\rangle", r"\lvert", r"\rvert", r"\lVert", r"\rVert",
               r"\vert", r"\Vert", r"\lbrace", r"\rbrace", r"\lbrack", r"\rbrack", r"\lfloor",
               r"\rfloor", r"\lceil", r"\rceil"}


def _number(text: str, pos: int, whole: str | None, frac: str | None, sci: re.Match | None) -> Token:
    digits = (whole or "") + (frac or "")
    if len(digits) > MAX_DIGITS:
        raise LatexParseError(f"number literal longer than {MAX_DIGITS} digits", pos)
    value = sp.Integer(int(digits)) if digits else sp.Integer(0)
    note = None
    if frac is not None:
        value = sp.Rational(int(digits), 10 ** len(frac))
    if sci is not None:
        k = int(sci.group(2))
        if k > MAX_EXPONENT:
            raise LatexParseError(f"exponent of {text} is larger than {MAX_EXPONENT}", pos)
        value = value * sp.Integer(10) ** (-k if sci.group(1) == "-" else k)
        note = f"{text} read as scientific notation: {value}"
    elif frac is not None:
        note = f"{text} read as the exact number {value}"
    return Token("num", text, pos, value, note)


def lex(text: str) -> list[Token]:
    """Split ``text`` into tokens; whitespace is dropped.

    Raises :class:`LatexParseError` for characters that have no meaning in a
    formula (control characters, bidi overrides, unknown unicode), for
    literals that are too long, and for input longer than ``MAX_CHARS``.
    """
    if len(text) > MAX_CHARS:
        raise LatexParseError(f"formula longer than {MAX_CHARS} characters", MAX_CHARS)
    toks: list[Token] = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c in " \t\r\n":
            i += 1
            continue
        if c == "\\":
            m = _SIZE.match(text, i)
            if m:
                kind = "right" if m.group().startswith(r"\right") or m.group().endswith("r") else "left"
                if m.group() == r"\middle":
                    raise LatexParseError(r"\middle is not supported", i)
                j = m.end()
                while j < n and text[j] in " \t":
                    j += 1
                if j < n and text[j] == "\\":
                    cm = re.match(r"\\([a-zA-Z]+|.)", text[j:])
                    delim = cm.group() if cm else "\\"
                elif j < n:
                    delim = text[j]
                else:
                    delim = ""
                if delim not in _DELIMS and delim not in _CMD_DELIMS:
                    raise LatexParseError(f"{m.group()} must be followed by a delimiter", i)
                if m.group()[1:].startswith(("big", "Big")) and not m.group().endswith(("l", "r")):
                    # \big( ... \big): only a size; the delimiter itself decides
                    toks.append(_delim_token(delim, i))
                else:
                    toks.append(Token(kind, m.group(), i, delim))
                i = j + len(delim)
                continue
            m = re.match(r"\\([a-zA-Z]+|.)", text[i:])
            if not m:
                raise LatexParseError("a lone backslash", i)
            toks.append(Token("cmd", m.group(), i))
            i += len(m.group())
            continue
        if c.isdigit() or (c == "." and i + 1 < n and text[i + 1].isdigit()):
            m = _NUM.match(text, i)
            whole, frac = (m.group(1), m.group(2)) if m.group(1) is not None else ("0", m.group(3))
            j = m.end()
            sci = _SCI.match(text, j)
            if sci is not None:
                j = sci.end()
            toks.append(_number(text[i:j], i, whole, frac, sci))
            i = j
            continue
        if "a" <= c <= "z" or "A" <= c <= "Z":
            toks.append(Token("letter", c, i))
            i += 1
            continue
        if c in "+-*/^_()[]{}|'!,=<>&~:;.":
            toks.append(Token("char", c, i))
            i += 1
            continue
        if c in _UNICODE:
            sub = _UNICODE[c]
            if sub.startswith("\\"):
                toks.append(Token("cmd", sub, i))
            else:
                toks.append(Token("char", sub, i))
            i += 1
            continue
        if c == "%":
            raise LatexParseError("'%' starts a comment; comments belong on their own line", i)
        if c == "$":
            i += 1  # inline-math delimiters are harmless
            continue
        raise LatexParseError(f"unexpected character {c!r}", i)
    return _split_digits(toks)


def _delim_token(delim: str, pos: int) -> Token:
    if delim.startswith("\\"):
        return Token("cmd", delim, pos)
    return Token("char", delim, pos)


_FRACS = (r"\frac", r"\dfrac", r"\tfrac", r"\cfrac", r"\binom")


def _split_digits(toks: list[Token]) -> list[Token]:
    """TeX takes one digit as an unbraced argument: ``x^23`` is x²·3, ``\\frac12`` is ½."""
    out: list[Token] = []
    pending = 0  # unbraced \frac arguments still to come
    i = 0
    toks = list(toks)
    while i < len(toks):
        t = toks[i]
        takes_digit = bool(out) and (out[-1].is_char("^", "_") or pending > 0)
        if t.kind == "num" and takes_digit and len(t.text) > 1 and t.text.isdigit():
            head = Token("num", t.text[0], t.pos, sp.Integer(int(t.text[0])))
            rest_text = t.text[1:]
            rest = Token("num", rest_text, t.pos + 1, sp.Integer(int(rest_text)))
            toks[i:i + 1] = [head, rest]
            t = head
        if pending > 0:
            if t.is_char("{"):
                # skip the braced argument as a whole
                depth = 0
                j = i
                while j < len(toks):
                    if toks[j].is_char("{"):
                        depth += 1
                    elif toks[j].is_char("}"):
                        depth -= 1
                        if depth == 0:
                            break
                    j += 1
                out.extend(toks[i:j + 1])
                i = j + 1
                pending -= 1
                continue
            pending -= 1
        out.append(t)
        if t.kind == "cmd" and t.text in _FRACS:
            pending = 2
        i += 1
    return out
