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

__all__ = ["segments", "escape_text", "text_in_math", "wrap", "visual_width", "MATH_UNIT"]

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


def wrap(s: str, width: float) -> list[str]:
    """Split ``s`` at spaces outside math into lines of at most ``width``
    (visible characters; math counted by :func:`visual_width`)."""
    words: list[str] = []
    cur = ""
    for is_math, chunk in segments(s):
        if is_math:
            cur += f"${chunk}$"
            continue
        pieces = chunk.split(" ")
        cur += pieces[0]
        for p in pieces[1:]:
            words.append(cur)
            cur = p
    words.append(cur)
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
    return lines or [""]


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
_WIDE = {"quad": 2.0, "qquad": 4.0, ",": 0.3, ";": 0.5, " ": 0.5, "!": 0.0, ":": 0.4, "sum": 1.8, "prod": 1.8,
         "int": 1.2, "log": 2.4, "exp": 2.6, "sin": 2.4, "cos": 2.6, "sqrt": 1.0, "implies": 3.5, "iff": 3.5,
         "Leftrightarrow": 2.5, "Rightarrow": 2.0, "le": 2.0, "ge": 2.0, "leq": 2.0, "geq": 2.0, "ne": 2.0,
         "cdot": 1.0, "top": 0.7, "delta": 0.9, "partial": 0.9, "nabla": 1.1, "|": 0.6, "&": 0.0, "\\": 0.0,
         "max": 2.6, "min": 2.4, "arg": 2.0, "frac": 0.0}
_BINARY = set("+-=<>")


class _Reader:
    def __init__(self, s: str) -> None:
        self.s, self.k = s, 0

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
                return max(self.group(), self.group()) + 0.4
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
                return 0.6
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
            return 2.0
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


def visual_width(tex: str) -> float:
    """Approximate printed width of math ``tex`` in characters of the body font
    (fractions count their wider part, scripts 70 %, ``\\left``/``\\right`` one
    delimiter). Used to decide where to break lines; not exact."""
    return _Reader(tex).run()
