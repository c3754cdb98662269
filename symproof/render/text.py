"""Text with ``$…$`` math inside displays, and the width of printed math.

Justifications, headings and claim sentences are LaTeX text that may hold
``$…$`` math. Inside an ``align*`` row they become ``\\text{… $x$ …}``
(``style="tex"``: amsmath switches back to math inside ``\\text``), or
``\\text{… }x\\text{ …}`` (``style="mathjax"``: MathJax and KaTeX, where a
``$`` inside ``\\text`` is not reliably math). Text parts are escaped where a
character would break the row (``& % #`` and a stray ``_`` or ``^``).
"""
from __future__ import annotations

import re
from typing import Iterator

__all__ = ["segments", "escape_text", "text_in_math", "wrap", "widest_word", "visual_width", "unbreakable_width",
           "math_pieces", "MATH_UNIT"]

_SPECIAL = {"&": r"\&", "%": r"\%", "#": r"\#", "_": r"\_", "^": r"\^{}"}


def segments(s: str) -> Iterator[tuple[bool, str]]:
    """``(is_math, chunk)`` pieces of ``s`` split at unescaped ``$``."""
    buf, math, k = "", False, 0
    while k < len(s):
        ch = s[k]
        if ch == "\\" and k + 1 < len(s):
            buf += s[k:k + 2]
            k += 2
            continue
        if ch == "$":
            if buf:
                yield math, buf
            buf, math = "", not math
        else:
            buf += ch
        k += 1
    if buf:
        yield math, buf


def escape_text(s: str) -> str:
    """Escape the characters that break a row; LaTeX commands pass through."""
    out, k = [], 0
    while k < len(s):
        ch = s[k]
        if ch == "\\" and k + 1 < len(s):
            out.append(s[k:k + 2])
            k += 2
            continue
        out.append(_SPECIAL.get(ch, ch))
        k += 1
    return "".join(out)


def text_in_math(s: str, style: str = "tex", command: str = r"\text") -> str:
    """``s`` (text with ``$…$`` math) as one math-mode item."""
    if style == "tex":
        # amsmath's \text keeps the surrounding (display) style for inner math
        body = "".join(f"$\\textstyle {chunk}$" if is_math else escape_text(chunk) for is_math, chunk in segments(s))
        return f"{command}{{{body}}}"
    parts = []
    for is_math, chunk in segments(s):
        if is_math:
            parts.append(chunk.strip())
        else:
            parts.append(f"{command}{{{escape_text(chunk)}}}")
    return " ".join(parts) if parts else f"{command}{{}}"


def wrap(s: str, width: float, balance: bool = True) -> list[str]:
    """Split ``s`` at spaces outside math into lines of at most ``width``
    (visible characters; math counted by :func:`visual_width`); a word wider
    than ``width`` gets a line of its own. ``balance``: as many lines as
    needed, but of about equal length (no last line of one short word)."""
    words = _words(s, width)
    lines = _greedy(words, width)
    if balance and len(lines) > 1:
        lo, hi = max(_text_width(w) for w in words), width
        while hi - lo > 0.5:  # the narrowest width that needs no more lines
            mid = (lo + hi) / 2
            if len(_greedy(words, mid)) > len(lines):
                lo = mid
            else:
                hi = mid
        lines = _greedy(words, hi)
    return lines or [""]


def widest_word(s: str) -> float:
    """The width of the widest piece of ``s`` :func:`wrap` cannot break."""
    return max((_text_width(w) for w in _words(s, 0.0)), default=0.0)


def _words(s: str, width: float) -> list[str]:
    """The pieces of ``s`` a line may break between: text at spaces, and a
    formula wider than ``width`` after its relations and operators (a
    space then joins its pieces, like the space TeX puts after a relation)."""
    words: list[str] = []
    cur = ""
    for is_math, chunk in segments(s):
        if is_math:
            pieces = [chunk]
            if MATH_UNIT * visual_width(chunk) > width:  # after its relations, and its operators if need be
                pieces = [q for p in math_pieces(chunk, operators=False)
                          for q in (math_pieces(p) if MATH_UNIT * visual_width(p) > width else [p])]
            if len(pieces) < 2:
                cur += f"${chunk}$"
                continue
            cur += f"${pieces[0]}$"
            words.append(cur)
            words.extend(f"${p}$" for p in pieces[1:-1])
            cur = f"${pieces[-1]}$"
            continue
        pieces = chunk.split(" ")
        cur += pieces[0]
        for p in pieces[1:]:
            words.append(cur)
            cur = p
    words.append(cur)
    return [w for w in words if w]


def _greedy(words: list[str], width: float) -> list[str]:
    lines: list[str] = []
    line, used = "", 0.0
    for w in words:
        if not w:
            continue
        wl = _text_width(w)
        if line and used + 1 + wl > width:
            lines.append(line)
            line, used = w, wl
        else:
            line, used = (f"{line} {w}", used + 1 + wl) if line else (w, wl)
    if line:
        lines.append(line)
    return lines


def _text_width(s: str) -> float:
    total = 0.0
    for is_math, chunk in segments(s):
        total += MATH_UNIT * visual_width(chunk) if is_math else len(re.sub(r"\\[a-zA-Z]+\s*", "", chunk))
    return total


# -- width of printed math -------------------------------------------------
MATH_UNIT = 1.5  # one unit of visual_width is about 1.5 characters of 10 pt text

_ZERO = {"left", "right", "displaystyle", "limits", "nolimits", "mathrm", "mathbf", "mathcal", "mathbb",
         "operatorname", "boxed", "hat", "bar", "tilde", "vec", "dot", "big", "Big", "bigl", "bigr", "Bigl",
         "Bigr", "text", "textbf", "small", "color", "textcolor"}
_WIDE = {"quad": 2.0, "qquad": 4.0, ",": 0.3, ";": 0.5, " ": 0.5, "!": 0.0, ":": 0.4, "sum": 2.3, "prod": 2.3,
         "int": 1.2, "log": 2.4, "exp": 2.6, "sin": 2.4, "cos": 2.6, "sqrt": 1.0, "implies": 4.0, "iff": 4.0,
         "Leftrightarrow": 2.5, "Rightarrow": 2.0, "le": 2.3, "ge": 2.3, "leq": 2.3, "geq": 2.3, "ne": 2.3,
         "cdot": 1.0, "top": 1.3, "delta": 0.9, "partial": 0.9, "nabla": 1.1, "|": 0.6, "&": 0.0, "\\": 0.0,
         "max": 2.6, "min": 2.4, "arg": 2.0, "frac": 0.0, "tan": 2.4, "tanh": 3.4, "sinh": 3.4, "cosh": 3.6,
         "det": 2.4, "lim": 2.2, "ln": 1.8, "star": 1.0, "ast": 0.8, "substack": 0.0}
_TALL = ("\\frac", "\\sum", "\\prod", "\\int", "\\substack")
_BINARY = set("+-=<>")


class _Reader:
    def __init__(self, s: str) -> None:
        self.s, self.k = s, 0
        self.text_style = 0  # > 0 inside a fraction: big operators take their limits at the side
        self.delims: list[float] = []  # widths of the open \left delimiters

    def group(self) -> float:
        """Width of the next group ``{…}`` or single token."""
        self.skip()
        if self.k >= len(self.s):
            return 0.0
        if self.s[self.k] == "{":
            self.k += 1
            w = self.run(stop="}")
            self.k += 1
            return w
        return self.token()

    def skip(self) -> None:
        while self.k < len(self.s) and self.s[self.k] == " ":
            self.k += 1

    def token(self) -> float:
        s, k = self.s, self.k
        ch = s[k]
        if ch == "\\":
            m = re.match(r"\\([a-zA-Z]+|.)", s[k:])
            name = m.group(1)
            self.k += len(m.group(0))
            if name == "frac":
                self.text_style += 1
                try:
                    return max(self.group(), self.group()) + 0.4
                finally:
                    self.text_style -= 1
            if name in ("text", "textbf", "mathrm", "operatorname"):
                self.skip()
                if name == "operatorname" and self.k < len(s) and s[self.k] == "*":
                    self.k += 1
                start = self.k
                self.group()
                inner = s[start:self.k].strip("{}")
                return len(re.sub(r"\\[a-zA-Z]+|[{}$]", "", inner)) * (0.9 if name != "text" else 0.85)
            if name in ("left", "right"):
                self.skip()
                if self.k < len(s):
                    self.k += 2 if s[self.k] == "\\" else 1
                if name == "left":  # a delimiter around a fraction or big operator grows
                    w = 1.0 if any(t in _until_right(s, self.k) for t in _TALL) else 0.6
                    self.delims.append(w)
                    return w
                return self.delims.pop() if self.delims else 0.6
            if name in ("hat", "boxed", "mathbf", "mathcal", "mathbb", "bar", "tilde", "sqrt"):
                return self.group() + (1.0 if name == "sqrt" else 0.0)
            if name in ("sum", "prod", "int"):
                w = _WIDE[name]
                limits = 0.0
                while True:
                    self.skip()
                    if self.k < len(s) and s[self.k] in "_^":
                        self.k += 1
                        limits = max(limits, 0.7 * self.group())
                    else:
                        break
                if self.text_style:  # \textstyle: the limits are scripts beside a smaller sign
                    return 0.75 * w + limits + 0.3
                return max(w, limits) + 0.3
            if name in _ZERO:
                return 0.0
            return _WIDE.get(name, 1.0)
        self.k += 1
        if ch in "_^":
            return 0.7 * self.group()
        if ch in "{}":
            return 0.0
        if ch == " ":
            return 0.0
        if ch in _BINARY:
            return 2.1 if ch in "+-" else 2.3
        if ch.isupper():
            return 1.3
        if ch in ",;":
            return 0.8
        return 1.0

    def run(self, stop: str | None = None) -> float:
        w = 0.0
        while self.k < len(self.s):
            if stop and self.s[self.k] == stop:
                return w
            if self.s[self.k] == "{":
                w += self.group()
            else:
                w += self.token()
        return w


def _until_right(s: str, k: int) -> str:
    """``s`` from ``k`` to the ``\\right`` that closes the ``\\left`` just read."""
    depth = 1
    for m in re.finditer(r"\\(left|right)(?![a-zA-Z])", s[k:]):
        depth += 1 if m.group(1) == "left" else -1
        if depth == 0:
            return s[k:k + m.start()]
    return s[k:]


def visual_width(tex: str) -> float:
    """Approximate printed width of math ``tex`` in characters of the body font
    (fractions count their wider part, scripts 70 %, ``\\left``/``\\right`` one
    delimiter). Used to decide where to break lines; not exact."""
    return _Reader(tex).run()


_RELATIONS = r"le|ge|leq|geq|ne|to|approx|iff|implies|in|equiv|perp"
_BREAK_AFTER = re.compile(r"\\(?:%s|cdot|times)(?![a-zA-Z])" % _RELATIONS)
_REL_AFTER = re.compile(r"\\(?:%s)(?![a-zA-Z])" % _RELATIONS)


def unbreakable_width(tex: str) -> float:
    """The :func:`visual_width` of the widest piece of inline math ``tex`` that
    TeX cannot break: it breaks a formula in a paragraph only after a relation
    or binary operator outside braces (and ``\\left…\\right``)."""
    return max(visual_width(p) for p in math_pieces(tex, brackets=False))


def math_pieces(tex: str, brackets: bool = True, operators: bool = True) -> list[str]:
    """``tex`` (inline math) cut after each relation (and, with ``operators``,
    binary operator) outside braces and ``\\left…\\right`` — where TeX may break
    it in a paragraph — and, with ``brackets``, outside ``(…)`` and ``[…]``
    (where a break reads well). A piece ending in a binary operator gets
    ``{}`` after it, so that the operator keeps its spacing when the piece is
    set as a formula of its own."""
    breaks = _BREAK_AFTER if operators else _REL_AFTER
    pieces, depth, start, k = [], 0, 0, 0
    while k < len(tex):
        ch = tex[k]
        if ch == "\\":
            m = breaks.match(tex, k)
            if m and depth == 0:
                pieces.append(tex[start:m.end()])
                start = k = m.end()
                continue
            word = re.match(r"\\([a-zA-Z]+|.)", tex[k:])
            if word.group(1) == "left":
                depth += 1
            elif word.group(1) == "right":
                depth -= 1
            k += len(word.group(0))
            continue
        if ch == "{" or brackets and ch in "([":
            depth += 1
        elif ch == "}" or brackets and ch in ")]":
            depth -= 1
        elif depth == 0 and ch in ("=+-<>" if operators else "=<>") and tex[start:k].strip():
            pieces.append(tex[start:k + 1])
            start = k + 1
        k += 1
    pieces.append(tex[start:])
    out = [p.strip() for p in pieces if p.strip()]
    return [p + "{}" if k < len(out) - 1 and (p[-1] in "+-" or re.search(r"\\(?:cdot|times)$", p)) else p
            for k, p in enumerate(out)]
