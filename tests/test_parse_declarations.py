"""``% symproof:`` declarations: parse_declaration(body, context) -> Context."""
from __future__ import annotations

import pytest
import sympy as sp
from sympy.core.function import UndefinedFunction

from symproof.errors import LatexParseError
from symproof.model.context import Context, IndexRange
from symproof.model.linalg import Inner
from symproof.parse import parse_declaration, parse_latex


def declare(*bodies: str, ctx: Context | None = None) -> Context:
    ctx = ctx or Context()
    for body in bodies:
        ctx = parse_declaration(body, ctx)
    return ctx


# -- assume --------------------------------------------------------------------
def test_assume_positive_and_chained():
    ctx = declare(r"assume \lambda > 0, 0 < b \le 1")
    t = ctx.symbol_table()
    lam, b = t["lambda"], t["b"]
    assert lam.is_positive and b.is_positive          # re-declared with the sympy assumption
    assert ctx.constraints == (sp.Gt(lam, 0, evaluate=False), sp.Lt(0, b, evaluate=False), sp.Le(b, 1))
    assert ctx.interval(b) == sp.Interval.Lopen(0, 1)
    assert parse_latex(r"\sqrt{\lambda^2}", ctx) == lam
    assert parse_latex(r"\log(\lambda b) = \log \lambda + \log b", ctx).lhs.expand(log=True) == \
        sp.log(lam) + sp.log(b)


@pytest.mark.parametrize("body, fact", [
    ("assume x > 0", "positive"), ("assume 0 < x", "positive"), (r"assume x \ge 0", "nonnegative"),
    ("assume x < 0", "negative"), (r"assume x \le 0", "nonpositive"), (r"assume x \ne 0", "nonzero"),
    (r"assume 0 \geq x", "nonpositive"),
])
def test_sign_constraints_redeclare(body, fact):
    x = declare(body).symbol_table()["x"]
    assert getattr(x, f"is_{fact}") is True


def test_redeclaring_replaces_the_symbol_everywhere():
    ctx = declare("assume a < b", "assume a > 0")
    a = ctx.symbol_table()["a"]
    assert a.is_positive
    assert all(s.is_positive for c in ctx.constraints for s in c.free_symbols if s.name == "a")
    assert len({s for c in ctx.constraints for s in c.free_symbols if s.name == "a"}) == 1


def test_contradictions_are_refused():
    with pytest.raises(LatexParseError):
        declare("assume x > 0", "assume x < 0")


def test_other_constraints():
    ctx = declare(r"assume i \ne j, a < b")
    t = ctx.symbol_table()
    assert ctx.constraints == (sp.Ne(t["i"], t["j"]), sp.Lt(t["a"], t["b"]))
    with pytest.raises(LatexParseError) as err:
        declare("assume a = 2")
    assert "equality" in err.value.reason
    with pytest.raises(LatexParseError):
        declare("assume x")               # not a relation
    with pytest.raises(LatexParseError):
        declare("assume 1 > 0")           # always true


def test_unit_vector():
    ctx = declare("vector r: d", r"assume \|r\| = 1")
    r = ctx.symbol_table()["r"]
    assert ctx.unit_vectors == (r,)
    assert ctx.constraints == ()


def test_positive_sequence_entries():
    ctx = declare("index i from 1 to n: x", "assume x_i > 0")
    x = ctx.indices[0].sequences[0]
    assert x[ctx.indices[0].index].is_positive
    assert parse_latex(r"\log x_i", ctx) == sp.log(x[ctx.indices[0].index])


# -- index ---------------------------------------------------------------------
def test_index_declaration():
    ctx = declare("index i from 1 to n: x, t")
    (r,) = ctx.indices
    assert r.index == sp.Symbol("i", integer=True)
    assert r.lower == 1
    assert r.upper == sp.Symbol("n", integer=True, positive=True)
    assert [str(s.label) for s in r.sequences] == ["x", "t"]
    x, t = r.sequences
    assert parse_latex(r"\sum_{i=1}^{n} x_i t_i", ctx) == sp.Sum(x[r.index] * t[r.index], (r.index, 1, r.upper))
    assert parse_latex("x_1", ctx) == x[1]
    assert parse_latex(r"\sum_i x_i", ctx) == sp.Sum(x[r.index], (r.index, 1, r.upper))


def test_index_forms():
    ctx = declare("index i, j from 1 to K: v_i")
    assert [r.index.name for r in ctx.indices] == ["i", "j"]
    assert all(str(r.sequences[0].label) == "v" for r in ctx.indices)
    # the upper bound keeps a declaration made before
    ctx = declare(r"matrix X: N \times d", "index i from 1 to N: y")
    assert ctx.indices[0].upper == ctx.symbol_table()["N"]
    with pytest.raises(LatexParseError):
        declare("index i to n")
    with pytest.raises(LatexParseError):
        declare("vector x: d", "index i from 1 to n: x")   # x is a vector already


# -- function ------------------------------------------------------------------
def test_function_with_definition():
    ctx = declare(r"function \sigma(z) = \frac{1}{1+e^{-z}}")
    ((key, lam),) = ctx.definitions
    assert isinstance(key, UndefinedFunction) and key.__name__ == "sigma"
    z = sp.Symbol("z", real=True)
    assert lam == sp.Lambda(z, 1 / (1 + sp.exp(-z)))
    w, x, b = (sp.Symbol(s, real=True) for s in "wxb")
    e = parse_latex(r"\sigma(w x + b)", ctx)
    assert e == key(w * x + b)
    assert sp.simplify(ctx.unfold(e) - 1 / (1 + sp.exp(-(w * x + b)))) == 0


def test_function_without_definition_and_redefinition():
    ctx = declare("function f")
    f = ctx.symbol_table()["f"]
    assert isinstance(f, UndefinedFunction)
    x = sp.Symbol("x", real=True)
    assert parse_latex("f(x+1)", ctx) == f(x + 1)
    assert parse_latex("f'(x)", ctx) == sp.Derivative(f(x), x)
    ctx = declare("function f(x) = x^2", "function f(x) = x^3", ctx=ctx)
    assert len(ctx.definitions) == 1 and ctx.definitions[0][1](2) == 8


def test_function_body_uses_the_context():
    ctx = declare(r"assume \lambda > 0", r"function g(x, y) = \lambda x y")
    lam = ctx.symbol_table()["lambda"]
    ((_, body),) = ctx.definitions
    assert body.expr.has(lam) and lam.is_positive


def test_function_conflicts():
    sigma = sp.Symbol("sigma", positive=True)
    with pytest.raises(LatexParseError):
        parse_declaration(r"function \sigma(z) = z", Context(symbols=(sigma,)))
    with pytest.raises(LatexParseError):
        declare("function f = 3")                 # a definition needs parameters
    with pytest.raises(LatexParseError):
        declare("function f(x) = f(x) + 1", ctx=declare("function f"))


# -- matrix / vector -----------------------------------------------------------
def test_matrix_and_vector():
    ctx = declare(r"matrix X: n \times d", r"vector \theta: d")
    t = ctx.symbol_table()
    n, d = t["n"], t["d"]
    assert n.is_integer and n.is_positive and d.is_integer and d.is_positive
    assert t["X"] == sp.MatrixSymbol("X", n, d)
    assert t["theta"] == sp.MatrixSymbol("theta", d, 1)
    assert parse_latex(r"X\theta", ctx) == t["X"] * t["theta"]
    assert parse_latex(r"\theta^T \theta", ctx) == Inner(t["theta"], t["theta"])


def test_several_and_numeric_shapes():
    ctx = declare(r"matrix A, B: 3 \times 3", "vector u, v: 3")
    t = ctx.symbol_table()
    assert t["A"].shape == (3, 3) and t["v"].shape == (3, 1)
    assert parse_latex(r"A B - B A", ctx) == t["A"] * t["B"] - t["B"] * t["A"]
    assert declare("vector u: 3", ctx=ctx) == ctx          # the same declaration again: no change
    with pytest.raises(LatexParseError):
        declare("vector u: 4", ctx=ctx)                      # a different shape
    with pytest.raises(LatexParseError):
        declare("matrix M: 0 \\times 2")


# -- errors ----------------------------------------------------------------------
def test_unknown_keyword_has_a_column():
    with pytest.raises(LatexParseError) as err:
        parse_declaration("  assumee x > 0", Context())
    assert err.value.column == 2
    assert "assumee" in err.value.reason


def test_context_is_not_handled_here():
    with pytest.raises(LatexParseError) as err:
        parse_declaration("context gaussian_mle", Context())
    assert err.value.column == 0


def test_error_columns_are_offsets_into_the_body():
    body = r"assume x > 0, \foo > 1"
    with pytest.raises(LatexParseError) as err:
        parse_declaration(body, Context())
    assert err.value.column == body.index(r"\foo")
    body = r"matrix X: n \times {d"
    with pytest.raises(LatexParseError) as err:
        parse_declaration(body, Context())
    assert err.value.column == body.index("{")


def test_declarations_give_valid_contexts():
    ctx = declare(r"assume \sigma > 0", "index i from 1 to n: x", r"function s(z) = \frac{1}{1+e^{-z}}",
                  r"matrix X: n \times d", r"vector \theta: d", "vector r: d", r"assume \|r\| = 1")
    assert isinstance(ctx, Context)
    assert isinstance(ctx.indices[0], IndexRange)
    # the result can be rebuilt (all fields pass Context's own checks) and hashed
    Context(constraints=ctx.constraints, indices=ctx.indices, symbols=ctx.symbols, definitions=ctx.definitions,
            unit_vectors=ctx.unit_vectors)
    hash(ctx)
