"""The student submission format (a contract: DESIGN.md, *Student submission format*).

Splits a file into declarations and chains of math lines, without reading
any math: each math line keeps its file line number, the column where its
math starts, its leading relation and its trailing justification.

>>> sub = split_submission("x^2 - 1\\n= (x-1)(x+1) \\\\quad\\\\text{difference of squares}\\n")
>>> [(l.number, l.relation, l.math, l.why) for l in sub.chains[0]]
[(1, None, 'x^2 - 1', ''), (2, '=', '(x-1)(x+1)', 'difference of squares')]
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

__all__ = ["MathLine", "Declaration", "Submission", "split_submission", "RELATIONS"]

# longest spellings first, so `\leq` is not read as `\le` + `q`
RELATIONS: tuple[tuple[str, str], ...] = (
    (r"\Longleftrightarrow", "<=>"),
    (r"\Longrightarrow", "=>"),
    (r"\Leftrightarrow", "<=>"),
    (r"\Rightarrow", "=>"),
    (r"\leqslant", "<="),
    (r"\geqslant", ">="),
    (r"\implies", "=>"),
    (r"\iff", "<=>"),
    (r"\leq", "<="),
    (r"\geq", ">="),
    (r"\le", "<="),
    (r"\ge", ">="),
    ("<=", "<="),
    (">=", ">="),
    ("≤", "<="),
    ("≥", ">="),
    ("⇔", "<=>"),
    ("⇒", "=>"),
    ("=", "="),
    ("<", "<"),
    (">", ">"),
)

_ENV_NAMES = r"(?:align\*?|alignat\*?|aligned|alignedat|equation\*?|gather\*?|gathered|multline\*?|flalign\*?|" \
             r"eqnarray\*?|split)"
# display-math delimiters around an align* body: skipped, on their own line or around math on one line
_ENV_OPEN = re.compile(r"^\s*(?:\\begin\{" + _ENV_NAMES + r"\}(?:\{\d+\})?|\\\[|\$\$)")
_ENV_CLOSE = re.compile(r"(?:\\end\{" + _ENV_NAMES + r"\}|\\\]|\$\$)\s*$")
# what ends a line of an align* body without being math: `\\`, `\\[1ex]`, `\nonumber`, `\label{..}`, a full stop
_LINE_END = re.compile(r"(?:\s*(?:\\\\(?:\[[^\]]*\])?|\\nonumber|\\notag|\\label\{[^{}]*\}|(?<!\\)[.,;]))+\s*$")
_JUSTIFY = re.compile(r"(?:\\quad|\\qquad|&&|\\;|\\,|~|\s)*\\text\{(?P<why>(?:[^{}]|\{[^{}]*\})*)\}\s*$")


# `\quad\text{multiply by } \sigma^2 > 0`: a justification that goes on after its text
_SPACED_TEXT = re.compile(r"(?:\\qquad|\\quad|&&)\s*\\text\{")
_TEXT = re.compile(r"\\text\{((?:[^{}]|\{[^{}]*\})*)\}")


def _justification_start(body: str) -> int | None:
    """Where ``\\quad\\text{...}`` starts at brace depth 0, when math follows the text."""
    for m in _SPACED_TEXT.finditer(body):
        if m.start() == 0:
            continue
        depth = 0
        k = 0
        while k < m.start():
            c = body[k]
            if c == "\\":
                k += 2
                continue
            depth += c == "{"
            depth -= c == "}"
            k += 1
        if depth == 0:
            return m.start()
    return None


_ENV_EDGE = re.compile(r"\\(begin|end)\s*\{[^{}]*\}|\\.", re.S)


def _drop_alignment(body: str) -> str:
    """Alignment marks ``&`` become spaces, except inside ``\\begin{bmatrix}...\\end{bmatrix}``
    (and other environments), where ``&`` separates the columns."""
    out, depth, k = [], 0, 0
    for m in _ENV_EDGE.finditer(body):
        chunk = body[k:m.start()]
        out.append(chunk.replace("&", " ") if depth == 0 else chunk)
        out.append(m.group())
        if m.group(1) == "begin":
            depth += 1
        elif m.group(1) == "end":
            depth = max(depth - 1, 0)
        k = m.end()
    tail = body[k:]
    out.append(tail.replace("&", " ") if depth == 0 else tail)
    return "".join(out)


@dataclass(frozen=True)
class MathLine:
    number: int  # 1-based line in the file
    column: int  # 0-based column where ``math`` starts
    relation: str | None  # None on the first line of a chain
    math: str
    why: str = ""


@dataclass(frozen=True)
class Declaration:
    number: int
    column: int
    body: str


@dataclass
class Submission:
    """Declarations and chains in file order (``items`` interleaves them)."""

    items: list = field(default_factory=list)

    @property
    def chains(self) -> list[list[MathLine]]:
        return [i for i in self.items if isinstance(i, list)]


def _strip_comment(line: str) -> str:
    """Drop an unescaped ``%`` and what follows."""
    out = []
    k = 0
    while k < len(line):
        ch = line[k]
        if ch == "\\" and k + 1 < len(line):
            out.append(line[k : k + 2])
            k += 2
            continue
        if ch == "%":
            break
        out.append(ch)
        k += 1
    return "".join(out)


def _leading_relation(text: str) -> tuple[str | None, int]:
    for spelling, rel in RELATIONS:
        if text.startswith(spelling):
            rest = text[len(spelling) :]
            if spelling[0] == "\\" and rest[:1].isalpha():
                continue  # \leqslant, \lefteqn … are not relations we know
            return rel, len(spelling)
    return None, 0


_LINE_BREAK = re.compile(r"\r\n|\r|\n")


def split_submission(text: str) -> Submission:
    sub = Submission()
    chain: list[MathLine] | None = None
    # lines as an editor numbers them: str.splitlines() would also break at \f, \v, U+2028, U+0085 ...,
    # making line numbers disagree with the file and turning one line into two
    for number, raw in enumerate(_LINE_BREAK.split(text), 1):
        stripped = raw.strip()
        if stripped.startswith("%"):
            body = stripped[1:].lstrip()
            if body.startswith("symproof:"):
                col = raw.index("symproof:") + len("symproof:")
                decl_body = raw[col:]
                lead = len(decl_body) - len(decl_body.lstrip())
                sub.items.append(Declaration(number, col + lead, decl_body.strip()))
            continue  # a comment line neither ends nor continues a chain
        line = _strip_comment(raw)
        if not line.strip():
            chain = None  # a blank line ends the chain
            continue
        opened, closed = _ENV_OPEN.search(line), _ENV_CLOSE.search(line)
        if opened or closed:
            # keep the columns: blank out the delimiters
            if opened:
                line = " " * opened.end() + line[opened.end():]
            if closed and closed.start() >= (opened.end() if opened else 0):
                line = line[:closed.start()]
            if not line.strip():
                continue
        col = len(line) - len(line.lstrip())
        body = line.strip()
        if body.startswith("&"):
            body = body[1:].lstrip()
            col = line.index("&") + 1
            col += len(line[col:]) - len(line[col:].lstrip())
        body = _LINE_END.sub("", body).rstrip()
        if not body:
            continue  # a line with only `\\` (a spacer in an align* body) neither ends nor continues a chain
        why = ""
        at = _justification_start(body)
        m = _JUSTIFY.search(body) if at is None else None
        if at is not None:
            why = _TEXT.sub(lambda t: t.group(1), body[at:]).strip()
            why = re.sub(r"^(?:\\qquad|\\quad|&&|\s)+", "", why).strip().strip("()").strip()
            body = body[:at].rstrip()
        elif m and m.start() > 0:
            why = m.group("why").strip().strip("()").strip()
            body = body[: m.start()].rstrip()
        relation, skip = (None, 0)
        if chain is not None:
            relation, skip = _leading_relation(body)
        if skip:
            rest = body[skip:]
            col += skip + (len(rest) - len(rest.lstrip()))
            body = rest.strip()
        body = _drop_alignment(body)  # `L &= x` on a first line
        if chain is None:
            chain = []
            sub.items.append(chain)
        elif relation is None:
            relation = "missing"
        chain.append(MathLine(number, col, relation, body, why))
    return sub
