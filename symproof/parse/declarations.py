"""``% symproof:`` declarations: each one returns a new, larger Context.

>>> from symproof.model.context import Context
>>> ctx = parse_declaration(r"assume \\lambda > 0, 0 < b \\le 1", Context())
>>> ctx.constraints
(lambda > 0, 0 < b, b <= 1)
>>> ctx.symbol_table()["lambda"].is_positive
True

Forms (columns in errors are 0-based offsets into ``body``):

- ``assume REL, REL, ...`` — relations ``< \\le > \\ge \\ne``; a chain
  ``0 < b \\le 1`` gives one constraint per neighbouring pair. A plain symbol
  compared with 0 (``\\lambda > 0``, ``x \\ge 0``, ``x < 0``, ``x \\le 0``,
  ``x \\ne 0``) is **re-declared** with that sympy assumption (positive,
  nonnegative, negative, nonpositive, nonzero), everywhere in the context,
  and the constraint is kept as well — sympy's own simplification then knows
  the sign (``\\sqrt{\\lambda^2} = \\lambda``, ``\\log`` rules). ``\\|r\\| = 1``
  declares r a unit vector; other equalities are refused (substitute them).
- ``index i[, j] from LO to HI[: x, t]`` — i is an integer symbol ranging
  over LO..HI; x, t are real sequences (``IndexedBase``) indexed by it. A
  plain symbol as HI is re-declared a positive integer.
- ``function \\sigma(z) = BODY`` — a definition ``sigma ↦ Lambda(z, BODY)``
  keyed by an undefined function (real-valued); ``function f`` (or
  ``function f(x)``) declares f a function without a definition.
- ``matrix X[, Y]: n \\times d``, ``vector \\theta: d`` — ``MatrixSymbol``
  with shape (n, d) and (d, 1); plain symbols as sizes are re-declared
  positive integers.
- ``context NAME`` is resolved by the grader, not here.
"""
from __future__ import annotations

import re
from dataclasses import replace

import sympy as sp
from sympy.core.function import UndefinedFunction

from symproof.errors import LatexParseError
from symproof.model.context import Context, IndexRange
from symproof.model.linalg import Norm
from symproof.parse import table_of
from symproof.parse.reader import Reader, read

__all__ = ["parse_declaration"]

_KEYWORDS = ("assume", "index", "function", "matrix", "vector")
_CONSTRAINT_RELATIONS = frozenset({"Eq", "Le", "Lt", "Ge", "Gt", "Ne"})


def parse_declaration(body: str, context: Context) -> Context:
    """Apply one declaration (the text after ``% symproof:``) to ``context``."""
    if not isinstance(body, str):
        raise LatexParseError("a declaration must be text")
    m = re.match(r"\s*([A-Za-z]+)", body)
    if not m:
        col = len(body) - len(body.lstrip())
        raise LatexParseError("expected a declaration: assume, index, function, matrix or vector", col)
    keyword, rest = m.group(1), m.end()
    if keyword == "context":
        raise LatexParseError("'context NAME' is resolved by the grader, not by parse_declaration", m.start(1))
    if keyword not in _KEYWORDS:
        raise LatexParseError(f"unknown declaration {keyword!r}: expected one of {', '.join(_KEYWORDS)}",
                              m.start(1))
    if not body[rest:].strip():
        raise LatexParseError(f"'{keyword}' needs something to declare", rest)
    return {"assume": _assume, "index": _index, "function": _function,
            "matrix": _matrix, "vector": _vector}[keyword](body, rest, context)


# -- helpers -----------------------------------------------------------------
def _split_top(body: str, start: int, end: int, sep: str) -> list[tuple[int, int]]:
    """Split body[start:end] at ``sep`` outside (), [], {}: [(a, b), ...] offsets."""
    out, depth, a, k = [], 0, start, start
    while k < end:
        c = body[k]
        if c == "\\":
            k += 2
            continue
        if c in "([{":
            depth += 1
        elif c in ")]}":
            depth -= 1
        elif c == sep and depth == 0:
            out.append((a, k))
            a = k + 1
        k += 1
    out.append((a, end))
    return out


def _strip(body: str, a: int, b: int, what: str) -> tuple[int, int]:
    while a < b and body[a].isspace():
        a += 1
    while b > a and body[b - 1].isspace():
        b -= 1
    if a >= b:
        raise LatexParseError(f"{what} is missing", a)
    return a, b


def _word(body: str, word: str, start: int, end: int) -> int | None:
    """Offset of ``word`` as a whole word (not a LaTeX command) in body[start:end]."""
    for m in re.finditer(rf"(?<![\\A-Za-z]){word}(?![A-Za-z])", body[start:end]):
        return start + m.start()
    return None


def _name(body: str, a: int, b: int, ctx: Context) -> tuple[str, Reader]:
    """A single name (``\\sigma``, ``x``, ``\\hat\\theta``, ``r_1``) at body[a:b]."""
    a, b = _strip(body, a, b, "a name")
    reader = Reader(body[a:b], ctx, table_of(ctx), offset=a)
    if not reader.toks or not reader.starts_ident(0):
        raise LatexParseError("expected a name", a)
    ident, end = reader.read_ident(0, len(reader.toks), allow_power=False)
    if end != len(reader.toks) or ident.transpose or ident.power is not None:
        raise LatexParseError("expected a single name", a)
    return ident.full_name(), reader


def _names(body: str, a: int, b: int, ctx: Context) -> list[tuple[str, int]]:
    out = []
    for p, q in _split_top(body, a, b, ","):
        p, q = _strip(body, p, q, "a name")
        out.append((_name(body, p, q, ctx)[0], p))
    return out


def _expr(body: str, a: int, b: int, ctx: Context):
    a, b = _strip(body, a, b, "an expression")
    value, _notes = read(body[a:b], ctx, table_of(ctx), frozenset(), offset=a)
    return value


def _substitute(ctx: Context, old: sp.Basic, new: sp.Basic) -> Context:
    """``ctx`` with ``old`` replaced by ``new`` everywhere."""
    rep = {old: new}

    def x(e):
        return e.xreplace(rep) if isinstance(e, sp.Basic) else e

    indices = tuple(IndexRange(x(r.index), x(r.lower), x(r.upper), r.sequences) for r in ctx.indices)
    return replace(
        ctx,
        constraints=tuple(x(c) for c in ctx.constraints),
        indices=indices,
        symbols=tuple(x(s) for s in ctx.symbols),
        definitions=tuple((x(k), x(v)) for k, v in ctx.definitions),
        unit_vectors=tuple(x(u) for u in ctx.unit_vectors),
        sizes=tuple((x(k), v) for k, v in ctx.sizes),
    )


def _redeclare(ctx: Context, sym: sp.Symbol, pos: int, **facts) -> tuple[Context, sp.Symbol]:
    """``sym`` with more assumptions, replaced throughout ``ctx`` (added if new)."""
    base = dict(getattr(sym, "_assumptions_orig", {}) or {})
    if all(getattr(sym, f"is_{k}") is v for k, v in facts.items()):
        new = sym
    else:
        try:
            new = sp.Symbol(sym.name, **{**base, **facts})
        except Exception:
            raise LatexParseError(f"{sym.name} cannot be {', '.join(facts)}: it contradicts its declaration",
                                  pos) from None
        if any(getattr(new, f"is_{k}") is not v for k, v in facts.items()):
            raise LatexParseError(f"{sym.name} cannot be {', '.join(facts)}: it contradicts its declaration", pos)
    table = table_of(ctx)
    if table.get(sym.name) == sym:
        ctx = _substitute(ctx, sym, new) if new != sym else ctx
        if new not in ctx.symbols:
            ctx = replace(ctx, symbols=ctx.symbols + (new,))
    else:
        ctx = replace(ctx, symbols=ctx.symbols + (new,))
    return ctx, new


def _declared(ctx: Context, name: str):
    return table_of(ctx).get(name)


# -- assume ------------------------------------------------------------------
_SIGN = {("Gt", False): "positive", ("Lt", True): "positive", ("Ge", False): "nonnegative",
         ("Le", True): "nonnegative", ("Lt", False): "negative", ("Gt", True): "negative",
         ("Le", False): "nonpositive", ("Ge", True): "nonpositive", ("Ne", False): "nonzero",
         ("Ne", True): "nonzero"}


def _assume(body: str, start: int, ctx: Context) -> Context:
    for a, b in _split_top(body, start, len(body), ","):
        a, b = _strip(body, a, b, "a constraint")
        rels, _notes = read(body[a:b], ctx, table_of(ctx), _CONSTRAINT_RELATIONS, offset=a, chain=True)
        if isinstance(rels, sp.Basic) or not rels:
            raise LatexParseError("expected a relation such as x > 0", a)
        for rel in rels:
            ctx = _constraint(ctx, rel, a)
    return ctx


def _constraint(ctx: Context, rel: sp.Rel, pos: int) -> Context:
    op = type(rel).__name__
    op = {"StrictGreaterThan": "Gt", "StrictLessThan": "Lt", "GreaterThan": "Ge", "LessThan": "Le",
          "Equality": "Eq", "Unequality": "Ne"}.get(op, op)
    # symbols re-declared by an earlier part of the same line (0 < b \le 1): use the new ones
    table = table_of(ctx)
    rep = {s: table[s.name] for s in rel.free_symbols
           if isinstance(s, sp.Symbol) and isinstance(table.get(s.name), sp.Symbol) and table[s.name] != s}
    lhs, rhs = rel.lhs.xreplace(rep), rel.rhs.xreplace(rep)
    rel = type(rel)(lhs, rhs, evaluate=False)
    if not rel.free_symbols:
        raise LatexParseError("a constraint without a variable", pos)
    if op == "Eq":
        for vec, one in ((lhs, rhs), (rhs, lhs)):
            if isinstance(vec, Norm) and one == 1 and isinstance(vec.args[0], sp.MatrixSymbol):
                v = vec.args[0]
                if v not in ctx.unit_vectors:
                    ctx = replace(ctx, unit_vectors=ctx.unit_vectors + (v,))
                return ctx
        raise LatexParseError("equality constraints are not supported (substitute the value instead); "
                              "\\|r\\| = 1 declares a unit vector", pos)
    if isinstance(lhs, sp.MatrixExpr) or isinstance(rhs, sp.MatrixExpr):
        raise LatexParseError("a constraint between matrices", pos)
    for sym, other, flipped in ((lhs, rhs, False), (rhs, lhs, True)):
        if isinstance(sym, sp.Indexed) and other == 0 and isinstance(sym.base, sp.IndexedBase) \
                and all(i in {r.index for r in ctx.indices} for i in sym.indices):
            # x_i > 0 for the declared index i: every entry of x is positive (an assumption, no constraint)
            return _sequence_sign(ctx, sym.base, _SIGN[(op, flipped)], pos)
        if isinstance(sym, sp.Symbol) and other == 0:
            ctx, new = _redeclare(ctx, sym, pos, **{_SIGN[(op, flipped)]: True})
            # kept unevaluated: with the assumption it would evaluate to True
            rel = type(rel)(lhs.xreplace({sym: new}), rhs.xreplace({sym: new}), evaluate=False)
            ctx = _substitute(ctx, sym, new)
            if rel not in ctx.constraints:
                ctx = replace(ctx, constraints=ctx.constraints + (rel,))
            return ctx
    if rel in (sp.true, sp.false):
        raise LatexParseError("the constraint is " + ("always true" if rel == sp.true else "never true"), pos)
    if rel not in ctx.constraints:
        ctx = replace(ctx, constraints=ctx.constraints + (rel,))
    return ctx


def _sequence_sign(ctx: Context, base: sp.IndexedBase, fact: str, pos: int) -> Context:
    name = str(base.label)
    facts = {k: v for k, v in base.label.assumptions0.items() if k in ("real", "integer", "positive",
                                                                       "negative", "nonnegative", "nonpositive",
                                                                       "nonzero")}
    try:
        new = sp.IndexedBase(name, **{**facts, fact: True})
    except Exception:
        raise LatexParseError(f"{name} cannot be {fact}: it contradicts its declaration", pos) from None
    if new == base:
        return ctx
    ctx = _substitute(ctx, base, new)
    indices = tuple(IndexRange(r.index, r.lower, r.upper, tuple(new if s == base else s for s in r.sequences))
                    for r in ctx.indices)
    return replace(ctx, indices=indices)


# -- index -------------------------------------------------------------------
def _index(body: str, start: int, ctx: Context) -> Context:
    end = len(body)
    colon = next((b for a, b in _split_top(body, start, end, ":")[:-1]), None)
    seq_part = None
    if colon is not None:
        seq_part = (colon + 1, end)
        end = colon
    f = _word(body, "from", start, end)
    if f is None:
        raise LatexParseError("expected: index i from 1 to n: x, t", start)
    t = _word(body, "to", f + 4, end)
    if t is None:
        raise LatexParseError("expected 'to' after 'from': index i from 1 to n", f)
    names = _names(body, start, f, ctx)
    lower = _expr(body, f + 4, t, ctx)
    upper = _expr(body, t + 2, end, ctx)
    for bound, at in ((lower, f + 4), (upper, t + 2)):
        if isinstance(bound, sp.MatrixExpr) or bound.is_extended_real is False or bound.is_integer is False:
            raise LatexParseError("an index bound must be a whole number or a name", at)
    if isinstance(upper, sp.Symbol) and not upper.is_integer:
        ctx, upper = _redeclare(ctx, upper, t + 2, integer=True, positive=True)
    if isinstance(lower, sp.Symbol) and not lower.is_integer:
        ctx, lower = _redeclare(ctx, lower, f + 4, integer=True)
    seqs: list[sp.IndexedBase] = []
    if seq_part is not None:
        index_names = {name for name, _ in names}
        for name, pos in _names(body, *seq_part, ctx):
            base, _, sub = name.partition("_")
            if sub in index_names:  # "x_i" names the sequence x
                name = base
            old = _declared(ctx, name)
            if isinstance(old, sp.IndexedBase):
                seqs.append(old)
            elif old is not None:
                raise LatexParseError(f"{name} is already declared as something else than a sequence", pos)
            else:
                seqs.append(sp.IndexedBase(name, real=True))
    for name, pos in names:
        old = _declared(ctx, name)
        if isinstance(old, sp.Symbol):
            ctx, sym = _redeclare(ctx, old, pos, integer=True)
        elif old is not None:
            raise LatexParseError(f"{name} is already declared as something else than an index", pos)
        else:
            sym = sp.Symbol(name, integer=True)
        kept = [r for r in ctx.indices if r.index != sym]
        prior = next((r for r in ctx.indices if r.index == sym), None)
        merged = tuple(prior.sequences if prior else ()) + tuple(s for s in seqs if not prior or
                                                                  s not in prior.sequences)
        ctx = replace(ctx, indices=tuple(kept) + (IndexRange(sym, lower, upper, merged),))
        ctx = replace(ctx, symbols=tuple(s for s in ctx.symbols if s != sym))
    return ctx


# -- function ----------------------------------------------------------------
def _function(body: str, start: int, ctx: Context) -> Context:
    parts = _split_top(body, start, len(body), "=")
    if len(parts) > 2:
        raise LatexParseError("one '=' only: function f(x) = ...", parts[2][0] - 1)
    ha, hb = _strip(body, *parts[0], "the function's name")
    paren = body.find("(", ha, hb)
    name_end = paren if paren >= 0 else hb
    name, _ = _name(body, ha, name_end, ctx)
    params: list[tuple[str, int]] = []
    if paren >= 0:
        close = body.rfind(")", paren, hb)
        if close < 0 or body[close + 1:hb].strip():
            raise LatexParseError("expected function f(x, y) = ...", paren)
        params = _names(body, paren + 1, close, ctx)
    old = _declared(ctx, name)
    if old is not None and not isinstance(old, UndefinedFunction):
        raise LatexParseError(f"{name} is already declared as a symbol; it cannot also be a function", ha)
    fn = old if old is not None else sp.Function(name, real=True)
    if len(parts) == 1:
        if old is None:
            ctx = replace(ctx, symbols=ctx.symbols + (fn,))
        return ctx
    if not params:
        raise LatexParseError(f"a definition needs parameters: function {name}(x) = ...", ha)
    table = table_of(ctx)
    syms = []
    for pname, pos in params:
        obj = table.get(pname)
        if isinstance(obj, sp.Symbol):
            syms.append(obj)
        elif obj is None:
            syms.append(sp.Symbol(pname, real=True))
        else:
            raise LatexParseError(f"the parameter {pname} is already declared as something else", pos)
    if len(set(syms)) != len(syms):
        raise LatexParseError("repeated parameter", paren)
    inner_ctx = ctx.with_symbols(*[s for s in syms if s.name not in table])
    value = _expr(body, *parts[1], inner_ctx)
    if isinstance(value, sp.MatrixExpr):
        raise LatexParseError("functions must have scalar values", parts[1][0])
    if value.has(fn):
        raise LatexParseError(f"{name} is defined in terms of itself", parts[1][0])
    lam = sp.Lambda(tuple(syms), value)
    defs = tuple((k, v) for k, v in ctx.definitions if k != fn) + ((fn, lam),)
    ctx = replace(ctx, definitions=defs, symbols=tuple(s for s in ctx.symbols if s != fn))
    return ctx


# -- matrix / vector -----------------------------------------------------------
def _size(body: str, a: int, b: int, ctx: Context) -> tuple[Context, sp.Expr]:
    value = _expr(body, a, b, ctx)
    if isinstance(value, sp.Symbol):
        if not (value.is_integer and value.is_positive):
            ctx, value = _redeclare(ctx, value, a, integer=True, positive=True)
        return ctx, value
    if isinstance(value, sp.Integer) and value > 0:
        return ctx, value
    if isinstance(value, sp.Expr) and not isinstance(value, sp.MatrixExpr) and value.free_symbols \
            and all(s.is_integer for s in value.free_symbols):
        return ctx, value
    raise LatexParseError("a size must be a positive whole number or a name", a)


def _shaped(body: str, start: int, ctx: Context, vector: bool) -> Context:
    parts = _split_top(body, start, len(body), ":")
    if len(parts) != 2:
        example = "vector \\theta: d" if vector else "matrix X: n \\times d"
        raise LatexParseError(f"expected {example}", start)
    names = _names(body, *parts[0], ctx)
    a, b = _strip(body, *parts[1], "the size")
    if vector:
        ctx, rows = _size(body, a, b, ctx)
        cols = sp.Integer(1)
    else:
        m = re.search(r"\\times|×|(?<![A-Za-z\\])x(?![A-Za-z])", body[a:b])
        if m is None:
            raise LatexParseError("expected rows \\times columns", a)
        ctx, rows = _size(body, a, a + m.start(), ctx)
        ctx, cols = _size(body, a + m.end(), b, ctx)
    for name, pos in names:
        old = _declared(ctx, name)
        new = sp.MatrixSymbol(name, rows, cols)
        if old == new:
            continue
        if old is not None:
            raise LatexParseError(f"{name} is already declared (as {old!r})", pos)
        ctx = replace(ctx, symbols=ctx.symbols + (new,))
    return ctx


def _matrix(body: str, start: int, ctx: Context) -> Context:
    return _shaped(body, start, ctx, vector=False)


def _vector(body: str, start: int, ctx: Context) -> Context:
    return _shaped(body, start, ctx, vector=True)
