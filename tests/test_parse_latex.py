"""The LaTeX reader: every misreading of the corpus and of CHECKING_NOTES.md.

Expected values are written here as sympy objects (never by sympifying the
corpus strings); comparisons are structural (``==``) unless the structure is
arbitrary, where ``simplify(a - b) == 0`` is used.
"""
from __future__ import annotations

import json
import statistics
import time
from pathlib import Path

import pytest
import sympy as sp
from sympy.core.function import UndefinedFunction

from symproof.errors import LatexParseError, SymproofError
from symproof.model.context import Context, IndexRange
from symproof.model.linalg import Inner, Norm
from symproof.parse import parse_declaration, parse_latex, parse_latex_with_notes

CORPUS = [json.loads(line) for line in (Path(__file__).parent / "data" / "misparse.jsonl").read_text().splitlines()
          if line.strip()]


def R(name: str) -> sp.Symbol:
    return sp.Symbol(name, real=True)


a, b, w, x, y, z, mu, A_, X_ = (R(s) for s in ("a", "b", "w", "x", "y", "z", "mu", "A", "X"))
i = sp.Symbol("i", integer=True)
n = R("n")
d = sp.Symbol("d", integer=True, positive=True)


def ctx_of(*declarations: str) -> Context:
    ctx = Context()
    for decl in declarations:
        ctx = parse_declaration(decl, ctx)
    return ctx


def same(got, expected) -> bool:
    return sp.simplify(got - expected) == 0


# -- the corpus ----------------------------------------------------------------
VECTORS = r"vector w, x, y: d"
MATRICES = r"matrix A, B: n \times n"
LOGISTIC = r"function \sigma(z) = \frac{1}{1+e^{-z}}"


def _vec(name):
    return sp.MatrixSymbol(name, d, 1)


def _check_not_commuting(e):
    """A^T B - B^T A with concrete 2×2 matrices is not zero."""
    nn = sp.Symbol("n", integer=True, positive=True)
    A, B = sp.MatrixSymbol("A", nn, nn), sp.MatrixSymbol("B", nn, nn)
    assert e == A.T * B - B.T * A
    concrete = e.subs(nn, 2).xreplace({sp.MatrixSymbol("A", 2, 2): sp.ImmutableMatrix([[1, 2], [3, 4]]),
                                       sp.MatrixSymbol("B", 2, 2): sp.ImmutableMatrix([[0, 1], [1, 0]])})
    assert sp.ImmutableMatrix(concrete.doit()) != sp.zeros(2, 2)
    return True


def _logistic_of(arg):
    def check(e, ctx):
        sigma = next(k for k, _ in ctx.definitions if isinstance(k, UndefinedFunction))
        assert e == sigma(arg)
        assert same(ctx.unfold(e), 1 / (1 + sp.exp(-arg)))
        return True
    return check


# For every corpus entry (latex, parser, after): (declarations, expectation).
# An expectation is a sympy object (compared with ==), a callable check(e, ctx),
# or ("refused", column) for input the reader must refuse with a column.
def _refused(column):
    return ("refused", column)


Lf, yf, ff, gf = (sp.Function(s, real=True) for s in ("L", "y", "f", "g"))
EXPECTED = {
    (r"\log(x)", None): ((), sp.log(x)),
    (r"\sum_{i=1}^{n} x_i", None): ((), sp.Sum(sp.IndexedBase("x", real=True)[i], (i, 1, n))),
    (r"\sum_{i=1}^{3} x_i", None): ((), lambda e, c: e == sp.Sum(sp.IndexedBase("x", real=True)[i], (i, 1, 3))
                                    and e.doit() == sum(sp.IndexedBase("x", real=True)[k] for k in (1, 2, 3))),
    (r"\sum_{i=1}^{n} (y_i - w x_i)^2", None): (
        (), sp.Sum((sp.IndexedBase("y", real=True)[i] - w * sp.IndexedBase("x", real=True)[i]) ** 2, (i, 1, n))),
    (r"\prod_{i=1}^{n} p_i", None): ((), sp.Product(sp.IndexedBase("p", real=True)[i], (i, 1, n))),
    (r"w^T x", None): ((VECTORS,), Inner(_vec("w"), _vec("x"))),
    (r"A^T B - B^T A", None): ((MATRICES,), lambda e, c: _check_not_commuting(e)),
    (r"X^{\top} X", None): ((r"matrix X: n \times d",),
                           sp.MatrixSymbol("X", sp.Symbol("n", integer=True, positive=True), d).T
                           * sp.MatrixSymbol("X", sp.Symbol("n", integer=True, positive=True), d)),
    (r"\mathbf{x}^T \mathbf{y}", None): ((VECTORS,), Inner(_vec("x"), _vec("y"))),
    (r"\frac{\partial L}{\partial w}", None): ((), lambda e, c: e == sp.Derivative(Lf(w), w) and e.doit() != 0),
    (r"\frac{dy}{dx}", None): ((), lambda e, c: e == sp.Derivative(yf(x), x) and e.doit() != 0),
    (r"f'(x)", None): (("function f",), sp.Derivative(ff(x), x)),
    (r"x'", None): ((), lambda e, c: e == R("x'") and e != x),
    (r"f(x+1)", None): (("function f",), ff(x + 1)),
    (r"f(g(x))", None): (("function f", "function g"), ff(gf(x))),
    (r"\sigma(w x + b)", None): ((LOGISTIC,), _logistic_of(w * x + b)),
    (r"\sigma(-z)", None): ((LOGISTIC,), _logistic_of(-z)),
    (r"\sigma(z) - \sigma (z)", None): ((LOGISTIC,), sp.S.Zero),
    (r"a e", None): ((), sp.E * a),  # DESIGN.md: e is Euler's number (the corpus' "meant" differs)
    (r"1.5e3", None): ((), sp.Integer(1500)),
    (r"3e-4", None): ((), sp.Rational(3, 10000)),
    (r"I^2", None): ((), R("I") ** 2),
    (r"y = wx + b", None): ((), sp.Eq(y, w * x + b, evaluate=False)),
    (r"2x + 3 = 7", None): ((), sp.Eq(2 * x + 3, 7, evaluate=False)),
    (r"(x+1)^2 = x^2 + 2x + 1", None): ((), sp.Eq((x + 1) ** 2, x ** 2 + 2 * x + 1, evaluate=False)),
    # \nabla without its variable cannot be read: refused at \nabla
    (r"\theta_{t+1} = \theta_t - \eta \nabla L", None): ((), _refused(31)),
    (r"\nabla_w L", None): ((), sp.Derivative(Lf(w), w)),
    (r"1/2x", None): ((), _refused(1)),    # ambiguous: x/2 or 1/(2x)
    (r"2^3^2", None): ((), _refused(3)),   # a TeX error: double superscript
    (r"\infty - \infty", None): ((), _refused(0)),
    (r"\begin{vmatrix} x & 1 \\ 1 & 1\end{vmatrix}", "x = 5"): (
        (), lambda e, c: e == sp.Determinant(sp.ImmutableMatrix([[x, 1], [1, 1]])) and e.doit() == x - 1),
    (r"A + 1", r"A = \begin{bmatrix}1&2\\3&4\end{bmatrix}"): ((), A_ + 1),
    (r"x + 1", r"f(x) dx"): ((), x + 1),
    (r"X - x", None): ((), lambda e, c: e == X_ - x and e != 0),
    (r"2\frac{1}{2}", None): ((), sp.S.One),
}


def _key(entry):
    after = entry.get("after")
    if after:
        after = after.split(" (")[0]  # "x = 5 (another student's input, same process)"
    return entry["latex"], after


def test_every_corpus_entry_has_an_expectation():
    missing = [e["latex"] for e in CORPUS if _key(e) not in EXPECTED]
    assert not missing
    assert len(CORPUS) == 37


@pytest.mark.parametrize("entry", CORPUS, ids=[f"{k}:{e['latex'][:30]}" for k, e in enumerate(CORPUS)])
def test_corpus_entry(entry):
    latex, after = _key(entry)
    declarations, expected = EXPECTED[(latex, after)]
    ctx = ctx_of(*declarations)
    if after is not None:  # another input first, in the same process: nothing may leak
        try:
            parse_latex(after, ctx)
        except LatexParseError:
            pass
    if isinstance(expected, tuple) and expected and expected[0] == "refused":
        with pytest.raises(LatexParseError) as err:
            parse_latex(latex, ctx)
        assert err.value.column == expected[1]
        return
    got = parse_latex(latex, ctx)
    if callable(expected):
        assert expected(got, ctx)
    else:
        assert got == expected, f"{latex}: {got!r} != {expected!r}"


# -- conventions and the notes' list -------------------------------------------
def test_log_is_natural_ln_too_and_explicit_base_kept():
    assert parse_latex(r"\log x") == sp.log(x)
    assert parse_latex(r"\ln(x)") == sp.log(x)
    assert parse_latex(r"\log_{2} x") == sp.log(x) / sp.log(2)
    assert parse_latex(r"\log_2 x") == sp.log(x, 2)
    assert parse_latex(r"\log x^2") == sp.log(x ** 2)
    assert parse_latex(r"\log^2 x") == sp.log(x) ** 2


def test_declared_sequence_entries():
    ctx = ctx_of("index i from 1 to n: x")
    xs = next(r for r in ctx.indices).sequences[0]
    assert parse_latex("x_1", ctx) == xs[1]
    assert parse_latex("x_i", ctx) == xs[next(r for r in ctx.indices).index]
    assert parse_latex("x_{i+1}", ctx).indices[0] == next(r for r in ctx.indices).index + 1
    # undeclared: x_1 is a name of its own
    assert parse_latex("x_1") == R("x_1")


def test_bound_index_makes_entries_even_undeclared():
    k, K = sp.Symbol("k", integer=True), R("K")
    zb = sp.IndexedBase("z", real=True)
    # every subscripted z of a formula that indexes z under a sum is an entry, z_j included
    assert parse_latex(r"\frac{e^{z_j}}{\sum_{k=1}^{K} e^{z_k}}") == \
        sp.exp(zb[R("j")]) / sp.Sum(sp.exp(zb[k]), (k, 1, K))
    e = parse_latex(r"\frac{e^{z_1}}{\sum_{k=1}^{K} e^{z_k}}")
    assert e == sp.exp(zb[1]) / sp.Sum(sp.exp(zb[k]), (k, 1, K))
    assert parse_latex(r"\sum_{k=1}^{K} e^{z_k}") != parse_latex(r"K e^{z_k}")


def test_sum_equals_its_terms_in_one_formula():
    e = parse_latex(r"\sum_{i=1}^{3} x_i = x_1 + x_2 + x_3")
    xb = sp.IndexedBase("x", real=True)
    assert e.rhs == xb[1] + xb[2] + xb[3]
    assert sp.simplify(e.lhs.doit() - e.rhs) == 0


def test_sum_without_limits_takes_the_declared_range():
    ctx = ctx_of("index i from 1 to N: x")
    r = ctx.indices[0]
    assert parse_latex(r"\sum_i x_i", ctx) == sp.Sum(r.sequences[0][r.index], (r.index, 1, r.upper))
    with pytest.raises(LatexParseError):
        parse_latex(r"\sum_i x_i")


def test_declared_functions_from_python_contexts():
    sig = sp.Function("sigma")
    zz = sp.Symbol("z")
    ctx = Context(definitions={sig: sp.Lambda(zz, 1 / (1 + sp.exp(-zz)))})
    assert parse_latex(r"\sigma(2x)", ctx) == sig(2 * x)
    ctx2 = Context(symbols=(sp.Function("f"),))
    assert parse_latex(r"f(x+1)", ctx2) == sp.Function("f")(x + 1)
    # sigma declared as a (positive) symbol: sigma(z) is a product
    s = sp.Symbol("sigma", positive=True)
    assert parse_latex(r"\sigma(z)", Context(symbols=(s,))) == s * z


def test_undeclared_letter_before_parenthesis_is_a_product_with_a_note():
    e, notes = parse_latex_with_notes("f(x+1)")
    assert e == R("f") * (x + 1)
    assert any("product" in note for note in notes)
    e, notes = parse_latex_with_notes("a(b+c)")
    assert e == a * (b + R("c")) and not notes
    with pytest.raises(LatexParseError):  # several arguments: not a product
        parse_latex(r"\ell(\mu, \sigma)")


def test_prime_on_undeclared_function_is_refused():
    with pytest.raises(LatexParseError) as err:
        parse_latex("f'(x)")
    assert "function f" in err.value.reason


def test_prime_of_declared_function_at_an_expression():
    ctx = ctx_of("function f")
    e = parse_latex("f'(2x)", ctx)
    f = ctx.symbol_table()["f"]
    assert e.doit() == sp.Subs(sp.Derivative(f(R("_xi")), R("_xi")), R("_xi"), 2 * x).doit()


@pytest.mark.parametrize("latex", [r"X^T", r"X^\top", r"X^{\top}", r"X^{T}", r"X^\intercal", r"X^{\mathsf{T}}"])
def test_transpose_spellings(latex):
    ctx = ctx_of(r"matrix X: n \times d")
    X = ctx.symbol_table()["X"]
    assert parse_latex(latex, ctx) == X.T


def test_transpose_of_undeclared_is_refused_not_guessed():
    for latex in (r"w^T x", r"A^T B - B^T A", r"X^{\top} X"):
        with pytest.raises(LatexParseError) as err:
            parse_latex(latex)
        assert err.value.column == 0 and "declare" in err.value.reason
    # but a power T is read when T is declared, and e^T is exp(T)
    T = R("T")
    assert parse_latex(r"\gamma^T", Context(symbols=(T,))) == R("gamma") ** T
    assert parse_latex(r"e^T") == sp.exp(T)


def test_inner_products_are_scalars():
    ctx = ctx_of(VECTORS, r"matrix M: d \times d")
    t = ctx.symbol_table()
    W, V, M = t["w"], t["x"], t["M"]
    assert parse_latex(r"2 - 2 w^T x", ctx) == 2 - 2 * Inner(W, V)
    assert parse_latex(r"w^T M x", ctx) == Inner(W, M * V)
    assert parse_latex(r"(w - x)^T (w - x)", ctx) == Inner(W - V, W - V)
    assert parse_latex(r"w^T x \, x^T w", ctx) == Inner(W, V) * Inner(V, W)
    assert parse_latex(r"w x^T", ctx) == W * V.T
    assert parse_latex(r"\langle w, x \rangle", ctx) == Inner(W, V)


def test_normal_equations_with_identity_and_zero():
    ctx = ctx_of(r"matrix X: n \times d", r"vector \theta: d", r"vector y: n", r"assume \lambda > 0")
    t = ctx.symbol_table()
    X, th, yy, lam = t["X"], t["theta"], t["y"], t["lambda"]
    e, notes = parse_latex_with_notes(r"(X^T X + \lambda I)^{-1} X^T y", ctx)
    assert e == sp.Inverse(X.T * X + lam * sp.Identity(d)) * X.T * yy
    assert any("identity" in note for note in notes)
    e = parse_latex(r"X^T X\theta - X^T y = 0", ctx)
    assert e == sp.Eq(X.T * X * th - X.T * yy, sp.ZeroMatrix(d, 1), evaluate=False)


def test_shapes_are_checked():
    ctx = ctx_of(r"matrix X: n \times d", r"vector w: d")
    for bad in (r"X X", r"w^T X", r"w + 1", r"X^{-1}", r"\sin(w)"):
        with pytest.raises(LatexParseError):
            parse_latex(bad, ctx)


def test_norms():
    ctx = ctx_of("vector v, u: d")
    v, u = ctx.symbol_table()["v"], ctx.symbol_table()["u"]
    assert parse_latex(r"\|v\|", ctx) == Norm(v)
    assert parse_latex(r"\|v\|^2", ctx) == Norm(v) ** 2
    assert parse_latex(r"\left\| v - u \right\|^2", ctx) == Norm(v - u) ** 2
    assert parse_latex(r"\lVert v \rVert_2", ctx) == Norm(v)
    assert parse_latex(r"\|v - u\|^2 = \|v\|^2 - 2 v^T u + \|u\|^2", ctx) == \
        sp.Eq(Norm(v - u) ** 2, Norm(v) ** 2 - 2 * Inner(v, u) + Norm(u) ** 2, evaluate=False)
    with pytest.raises(LatexParseError):
        parse_latex(r"\|v\|")          # v not declared a vector
    with pytest.raises(LatexParseError):
        parse_latex(r"\|v\|_1", ctx)   # not the Euclidean norm


def test_derivatives_are_unevaluated():
    xb = sp.IndexedBase("x", real=True)
    e = parse_latex(r"\frac{\partial}{\partial \mu}\left(\sum_{i=1}^{n} (x_i - \mu)^2\right)")
    assert e == sp.Derivative(sp.Sum((xb[i] - mu) ** 2, (i, 1, n)), mu)
    assert parse_latex(r"\frac{\partial}{\partial \mu}(\mu^2 \sigma)") == sp.Derivative(mu ** 2 * R("sigma"), mu)
    assert parse_latex(r"\frac{d}{dz} z^2 + 1") == sp.Derivative(z ** 2, z) + 1
    assert parse_latex(r"\frac{\mathrm{d}}{\mathrm{d}z} z^2") == sp.Derivative(z ** 2, z)
    assert parse_latex(r"\frac{\partial^2 f}{\partial x \partial y}") == \
        sp.Derivative(sp.Function("f", real=True)(x, y), x, y)
    assert parse_latex(r"\frac{d^2}{dx^2} x^3") == sp.Derivative(x ** 3, (x, 2))
    assert parse_latex(r"\partial_x (x y)") == sp.Derivative(x * y, x)
    with pytest.raises(LatexParseError):
        parse_latex(r"\frac{d^2}{dx} x^3")  # orders do not match


def test_derivative_of_declared_logistic():
    ctx = ctx_of(LOGISTIC)
    e = parse_latex(r"\frac{d}{dz} \sigma(z) = \sigma(z)(1 - \sigma(z))", ctx)
    assert same(ctx.unfold(e.lhs).doit(), ctx.unfold(e.rhs))
    assert parse_latex(r"\frac{d\sigma}{dz}", ctx) == e.lhs
    assert parse_latex(r"\sigma'(z)", ctx) == e.lhs


def test_derivative_with_respect_to_a_vector_is_refused():
    ctx = ctx_of("vector w: d")
    with pytest.raises(LatexParseError):
        parse_latex(r"\nabla_w \|w\|^2", ctx)


@pytest.mark.parametrize("latex", [r"2 \cdot x \times y", r"2 x y", r"2*x*y", r"2\,x\;y"])
def test_products(latex):
    assert parse_latex(latex) == 2 * x * y


def test_brackets():
    assert parse_latex(r"\left(x+1\right)^2") == (x + 1) ** 2
    assert parse_latex(r"\left[ x \left( 1 + y \right) \right]") == x * (1 + y)
    assert parse_latex(r"\bigl( x + 1 \bigr) y") == (x + 1) * y
    assert parse_latex(r"\{ [ (x) ] \}") == x
    assert parse_latex(r"|x - 1|") == sp.Abs(x - 1)
    assert parse_latex(r"\left| x \right|") == sp.Abs(x)


def test_exponentials():
    assert parse_latex("e^{x}") == sp.exp(x)
    assert parse_latex("e^x") == sp.exp(x)
    assert parse_latex(r"\exp(x)") == sp.exp(x)
    assert parse_latex(r"\exp x") == sp.exp(x)
    assert parse_latex(r"e^{x} - \exp(x)") == 0
    e, notes = parse_latex_with_notes("a e")
    assert e == sp.E * a and any("Euler" in note for note in notes)
    # i is an ordinary real symbol: e^{i\pi} + 1 is not 0
    assert parse_latex(r"e^{i \pi} + 1") == sp.exp(R("i") * sp.pi) + 1
    assert parse_latex(r"e", Context(symbols=(R("e"),))) == R("e")


def test_hats_and_sympy_naming_round_trip():
    muhat = R("muhat")
    assert parse_latex(r"\hat\mu") == muhat
    assert parse_latex(r"\hat{\mu}") == muhat
    for sym in (muhat, R("xbar"), R("theta_t"), R("x_1"), R("theta^*"), R("sigma_mu"), R("lambda"), R("x'"),
                R("varepsilon"), R("Sigma"), R("ell")):
        assert parse_latex(sp.latex(sym)) == sym, sp.latex(sym)
    assert parse_latex(r"\theta_{t+1}") == R("theta_{t+1}")
    assert parse_latex(r"\mathbf{x} + \vec{x} + \boldsymbol{x}") == 3 * x


def test_round_trip_of_printed_expressions():
    xb = sp.IndexedBase("x", real=True)
    sigma = sp.Symbol("sigma", positive=True)
    ctx = Context(symbols=(sigma,), indices=(IndexRange(i, 1, n, (xb,)),))
    u = R("u")
    exprs = [
        -n / 2 * sp.log(2 * sp.pi * sigma ** 2) - sp.Sum((xb[i] - mu) ** 2, (i, 1, n)) / (2 * sigma ** 2),
        sp.Sum(xb[i], (i, 1, n)) / n,
        (u + 1) ** 2 - u ** 2 - 2 * u - 1,
        sp.exp(-(u - mu) ** 2 / (2 * sigma ** 2)) / sp.sqrt(2 * sp.pi * sigma ** 2),
        sp.tanh(u) - (sp.exp(u) - sp.exp(-u)) / (sp.exp(u) + sp.exp(-u)),
        sp.log(u * y) - sp.log(u) - sp.log(y),
    ]
    for expr in exprs:
        assert parse_latex(sp.latex(expr), ctx) == expr, sp.latex(expr)


def test_greek_names():
    assert parse_latex(r"\mu") == mu
    assert parse_latex(r"\lambda + \Sigma + \varepsilon") == R("lambda") + R("Sigma") + R("varepsilon")
    assert parse_latex(r"\gamma") == R("gamma")   # not the Euler–Mascheroni constant
    assert parse_latex(r"\pi") == sp.pi
    assert parse_latex("μ + λ") == mu + R("lambda")


def test_operatorname():
    e, notes = parse_latex_with_notes(r"\operatorname{softmax}(z)")
    assert e == sp.Function("softmax")(z)
    assert notes
    assert parse_latex(r"\mathrm{softmax}(z)") == e
    assert parse_latex(r"\operatorname{sgn}(x)") == sp.sign(x)


def test_i_and_I_are_real_symbols():
    assert parse_latex("I^2") == R("I") ** 2
    assert parse_latex("I^2") != -1
    assert parse_latex("i^2 + 1") == R("i") ** 2 + 1
    assert parse_latex("i").is_real


def test_floats_become_rationals_with_a_note():
    e, notes = parse_latex_with_notes("0.8 x")
    assert e == sp.Rational(4, 5) * x and not e.has(sp.Float)
    assert notes == ("0.8 read as the exact number 4/5",)
    e, notes = parse_latex_with_notes("1.5e3")
    assert e == 1500 and "scientific" in notes[0]
    e = parse_latex("0.1 + 0.2 = 0.3")
    assert isinstance(e, sp.Eq) and e.lhs == sp.Rational(3, 10) and e.rhs == sp.Rational(3, 10)
    assert parse_latex(".5") == sp.Rational(1, 2)
    assert parse_latex("2e") == 2 * sp.E
    assert parse_latex("2e^{x}") == 2 * sp.exp(x)


def test_mixed_fraction_is_a_product():
    assert parse_latex(r"2\frac{1}{2}") == 1
    assert parse_latex(r"3\frac{x}{2}") == sp.Rational(3, 2) * x
    assert parse_latex(r"\frac12 x") == x / 2


def test_names_are_the_context_objects():
    sigma = sp.Symbol("sigma", positive=True)
    ctx = Context(symbols=(sigma,))
    got = parse_latex(r"\sigma", ctx)
    assert got == sigma and got.is_positive
    assert parse_latex(r"\sqrt{\sigma^2}", ctx) == sigma
    assert parse_latex(r"\sqrt{\sigma^2}") == sp.Abs(R("sigma"))
    assert parse_latex("q").is_real and parse_latex("q") == R("q")
    assert parse_latex(r"\varepsilon", Context(symbols=(sp.Symbol("epsilon", positive=True),))).is_positive


def test_relations():
    assert parse_latex(r"x \le 3") == sp.Le(x, 3)
    assert parse_latex(r"x \leq 3") == sp.Le(x, 3)
    assert parse_latex(r"x < 3") == sp.Lt(x, 3)
    assert parse_latex(r"x \ge 3") == sp.Ge(x, 3)
    assert parse_latex(r"x \geq 3") == sp.Ge(x, 3)
    assert parse_latex(r"x > 3") == sp.Gt(x, 3)
    e = parse_latex("x = x")
    assert isinstance(e, sp.Eq) and e.lhs == e.rhs == x   # unevaluated, not True
    assert isinstance(parse_latex("1 < 2"), sp.Lt)
    e = parse_latex(r"\sum_{i=1}^{n} i = \frac{n(n+1)}{2}")  # '=' inside the limits does not split
    assert isinstance(e, sp.Eq) and isinstance(e.lhs, sp.Sum)
    for bad, col in ((r"a < b < c", 6), (r"a = b = c", 6), (r"x \approx 2", 2), (r"x \ne 2", 2)):
        with pytest.raises(LatexParseError) as err:
            parse_latex(bad)
        assert err.value.column == col, bad


def test_errors_have_a_column_and_a_reason():
    with pytest.raises(LatexParseError) as err:
        parse_latex(r"x + \frac{1}{2")
    assert err.value.column == 12 and "unbalanced" in err.value.reason
    assert str(err.value) == f"col 12: {err.value.reason}"
    assert isinstance(err.value, SymproofError)
    cases = {r"x + \foo": 4, r"\int_0^1 x": 0, r"x^{2}^{3}": 5, r"(x + 1": 0, r"x + 1)": 5, r"x +": None,
             r"\frac{}{2}": 0, r"x_": 2, "x + \u202e1": 4, r"\cdots": 0, r"x \pm 1": 2, "": 0,
             r"\lim_{x \to 0} x": 0, r"\binom{4}{2}": 0}
    for latex, col in cases.items():
        with pytest.raises(LatexParseError) as err:
            parse_latex(latex)
        if col is not None:
            assert err.value.column == col, (latex, err.value)
        assert err.value.reason


def test_never_a_silent_nan():
    for latex in (r"\frac{1}{0}", r"\frac{0}{0}", r"\infty - \infty", r"0^{-1}"):
        with pytest.raises(LatexParseError):
            parse_latex(latex)


def test_limits_on_size():
    with pytest.raises(LatexParseError):
        parse_latex("1" * 1500)               # a literal over 1000 digits
    with pytest.raises(LatexParseError):
        parse_latex("x+" * 1500 + "x")        # over 2000 characters
    with pytest.raises(LatexParseError):
        parse_latex("(" * 30 + "x" + ")" * 30)
    with pytest.raises(LatexParseError):
        parse_latex("1E100000000")
    # huge powers stay unevaluated (and printable)
    e = parse_latex(r"10^{5000}")
    assert isinstance(e, sp.Pow) and len(str(e)) < 20


# -- state, evaluation, robustness --------------------------------------------
def test_parser_state_does_not_leak_between_calls():
    assert parse_latex("x = 5") == sp.Eq(x, 5, evaluate=False)
    assert parse_latex("x + 1") == x + 1
    assert parse_latex(r"\begin{vmatrix} x & 1 \\ 1 & 1\end{vmatrix}").doit() == x - 1
    try:
        parse_latex(r"A = \begin{bmatrix}1&2\\3&4\end{bmatrix}")
    except LatexParseError:
        pass
    assert parse_latex("A + 1") == A_ + 1
    parse_latex("f(x) dx")
    assert parse_latex("x + 1") == x + 1
    # a declared context for one call does not change the next call
    ctx = ctx_of("vector x: d")
    assert isinstance(parse_latex("x", ctx), sp.MatrixSymbol)
    assert parse_latex("x") == x


def test_no_string_evaluation_reaches_eval(monkeypatch):
    import sympy.parsing.sympy_parser as sympy_parser
    from latex2sympy2_extended import latex2sympy2 as l2s

    def forbidden(*args, **kwargs):
        raise AssertionError(f"parse_expr called with {args!r}")

    monkeypatch.setattr(sympy_parser, "parse_expr", forbidden)
    monkeypatch.setattr(l2s, "parse_expr", forbidden)
    from symproof.parse.reader import read
    from symproof.parse import table_of
    ctx = ctx_of("index i from 1 to n: x", LOGISTIC)
    for latex in (r"2\frac{1}{2} + 0.5 + 123", r"\sum_{i=1}^{n} (x_i - \mu)^2 = 7", r"\sigma(3z) + \log 10",
                  r"\sqrt[3]{27} + \max(1, 2) + 4!", r"\begin{bmatrix} 1 & 2 \end{bmatrix}"):
        read(latex, ctx, table_of(ctx), frozenset({"Eq"}))  # bypass the result cache


def test_sll_and_ll_give_the_same_tree():
    from symproof.parse.backend import _Converter
    import symproof.parse.reader as reader

    texts = []
    real = reader.run_parser

    def spy(text):
        texts.append(text)
        return real(text)

    reader.run_parser = spy
    try:
        ctx = ctx_of("index i from 1 to n: x", "vector w, v: d")
        for latex in (r"-\frac{n}{2}\log(2\pi\sigma^2) - \frac{1}{2\sigma^2}\sum_{i=1}^{n}(x_i-\mu)^2",
                      r"\frac{e^{a}}{\sum_{k=1}^{K} e^{b}} \cdot 3 - |u - 1|!", r"\sqrt[3]{a^{2}} + \sin^2 u \cos u",
                      r"2 - 2 w^T v + \max(a, b)", r"\tanh(u) (1 - \tanh(u)^2) / 2"):
            reader.read(latex, ctx, __import__("symproof.parse", fromlist=["x"]).table_of(ctx), frozenset({"Eq"}))
    finally:
        reader.run_parser = real
    assert len(texts) >= 5
    for text in texts:
        assert sp.srepr(_Converter(sll=True).parse(text)) == sp.srepr(_Converter(sll=False).parse(text))


FRAGMENTS = [
    "x", "y", "e", "I", "1", "2", "0.5", "3e-4", r"\mu", r"\hat\mu", "x_i", "x_1", "w^T", r"X^\top", r"\|w\|",
    "+", "-", r"\cdot", "/", "^2", "^{-1}", "(", ")", "{", "}", r"\frac{", "}{", r"\sqrt{", r"\sum_{i=1}^{n}",
    r"\log", r"\exp", r"\left(", r"\right)", "|", "'", "_", "^", "=", r"\le", ",", r"\frac{d}{dx}",
    r"\partial", r"\nabla_w", "!", r"\langle w, v\rangle", r"\det", r"\operatorname{tr}", r"\max(a,b)", " ",
    r"\sigma(", r"\begin{bmatrix}", r"\end{bmatrix}", "&", r"\\", r"\int", r"\|", r"\left\|", r"\right\|",
]


def test_fuzz_only_latex_parse_errors_escape():
    from hypothesis import given, settings, HealthCheck
    from hypothesis import strategies as st

    ctx = ctx_of("index i from 1 to n: x", "vector w, v: d", r"matrix X: d \times d", LOGISTIC, "function f")

    @settings(max_examples=400, deadline=None, suppress_health_check=list(HealthCheck))
    @given(st.lists(st.sampled_from(FRAGMENTS), min_size=1, max_size=10))
    def run(parts):
        text = "".join(parts)
        try:
            parse_latex_with_notes(text, ctx)
        except LatexParseError as e:
            assert e.reason and (e.column is None or 0 <= e.column <= len(text))

    run()


TYPICAL = [
    r"-\frac{n}{2}\log(2\pi\sigma^2) - \frac{1}{2\sigma^2}\sum_{i=1}^{n}(x_i-\mu)^2",
    r"\frac{\partial \ell}{\partial \mu} = \frac{1}{\sigma^2}\sum_{i=1}^{n}(x_i - \mu)",
    r"\sum_{i=1}^{n} x_i - n\mu = 0",
    r"\hat\mu = \frac{1}{n}\sum_{i=1}^{n} x_i",
    r"(a+b)^2 = a^2 + 2ab + b^2",
    r"\log(ab) = \log a + \log b",
    r"e^{a+b} = e^a e^b",
    r"\frac{d}{dz} s(z) = s(z)(1-s(z))",
    r"\tanh(u) = \frac{e^u - e^{-u}}{e^u + e^{-u}}",
    r"\frac{1}{2}\|X\theta - y\|^2",
    r"X^T X\theta - X^T y = 0",
    r"\|w - v\|^2 = \|w\|^2 - 2 w^T v + \|v\|^2",
    r"\frac{e^{z_j}}{\sum_{k=1}^{K} e^{z_k}}",
    r"\frac{a^2-4}{a-2} = a + 2",
    r"\sqrt{\frac{1}{b}} = \frac{1}{\sqrt{b}}",
    r"3c + 0.5 = 2",
]
TYPICAL_DECLARATIONS = ("index i from 1 to n: x", r"matrix X: n \times d", r"vector \theta: d", "vector y: n",
                        "vector w, v: d", r"function s(z) = \frac{1}{1+e^{-z}}", r"assume \sigma > 0")


def test_parse_speed_is_a_few_milliseconds():
    """Median warm parse per line (result cache bypassed); generous bound for loaded CI machines."""
    from symproof.parse import table_of
    from symproof.parse.reader import read

    ctx = ctx_of(*TYPICAL_DECLARATIONS)
    table = table_of(ctx)
    for line in TYPICAL:
        read(line, ctx, table, frozenset({"Eq"}))
    times = []
    for line in TYPICAL:
        t = time.perf_counter()
        read(line, ctx, table, frozenset({"Eq"}))
        times.append(time.perf_counter() - t)
    assert statistics.median(times) < 0.025
