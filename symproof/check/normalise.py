"""Content-aware normal forms that sympy lacks.

Every transform here is an identity under the declared assumptions (no
``force=True``): sums split over ``+`` with constants pulled out and one
canonical bound-index name, Kronecker deltas resolved with declared index
ranges, inner products expanded bilinearly, 1×1 matrix terms put in one
orientation, signs pulled out of integer powers.
"""
from __future__ import annotations

import sympy as sp

from symproof.model.context import Context
from symproof.model.linalg import Inner, Norm

__all__ = [
    "has_sums",
    "normalise_sums",
    "resolve_deltas",
    "normalise_inner",
    "normalise_matrix",
    "normalise_powers",
    "prepare",
    "solve_linear",
    "exact_floats",
    "normalise_derivatives",
]


def exact_floats(expr: sp.Basic) -> tuple[sp.Basic, tuple[str, ...]]:
    """Floats become the exact rationals of their decimal digits, with a note
    (0.8 is not 4/5 in binary; a 40-digit check would see the difference).

    >>> exact_floats(sp.Float("0.8") * sp.Symbol("x"))
    (4*x/5, ('the number 0.8 was read as the exact rational 4/5',))
    """
    floats = expr.atoms(sp.Float)
    if not floats:
        return expr, ()
    repl = {f: sp.Rational(str(f)) for f in floats}  # str of a sympy Float: its own digits, not user text
    notes = tuple(f"the number {_short(f)} was read as the exact rational {r}"
                  for f, r in sorted(repl.items(), key=lambda kv: kv[1]))
    return expr.xreplace(repl), notes


def _short(f: sp.Float) -> str:
    text = str(f)
    return text.rstrip("0").rstrip(".") if "." in text and "e" not in text else text


def prepare(expr: sp.Basic, ctx: Context) -> sp.Basic:
    """Unfold definitions and evaluate written derivatives (and the ``Subs``
    that hold them: ∂f/∂u at u = a, once f is known)."""
    expr = ctx.unfold(expr)
    if expr.has(sp.Derivative, sp.Subs):
        expr = expr.replace(lambda e: isinstance(e, (sp.Derivative, sp.Subs)), lambda e: e.doit())
    return expr


def has_sums(expr: sp.Basic) -> bool:
    return expr.has(sp.Sum, sp.Product, sp.KroneckerDelta)


def _canonical_index(body: sp.Basic) -> sp.Symbol:
    """The first of _k0, _k1, ... not used anywhere in ``body`` (free or bound),
    so equal sums get equal names and no index is captured."""
    n = 0
    while body.has(sp.Symbol(f"_k{n}", integer=True)):
        n += 1
    return sp.Symbol(f"_k{n}", integer=True)


def _delta_partner(term: sp.Basic, k: sp.Symbol) -> tuple[sp.Basic, sp.Basic] | None:
    """If ``term`` = δ(k, j)·rest with j free of k, return (j, rest)."""
    for f in sp.Mul.make_args(term):
        if isinstance(f, sp.KroneckerDelta) and k in f.args:
            other = f.args[0] if f.args[1] == k else f.args[1]
            if k not in other.free_symbols:
                return other, sp.Mul(*[g for g in sp.Mul.make_args(term) if g is not f])
    return None


def _in_range(j: sp.Basic, lo: sp.Basic, hi: sp.Basic, ctx: Context) -> bool:
    r = ctx.range_of(j) if isinstance(j, sp.Symbol) else None
    if r is not None and sp.simplify(r[0] - lo) == 0 and sp.simplify(r[1] - hi) == 0:
        return True
    if j.is_integer and lo.is_number and hi.is_number and j.is_number:
        return bool(lo <= j <= hi)
    return False


def _split_sum(summand: sp.Basic, limit: tuple, ctx: Context, depth: int) -> sp.Basic:
    k, lo, hi = limit
    summand = sp.expand(summand)
    out = []
    for term in sp.Add.make_args(summand):
        partner = _delta_partner(term, k)
        if partner is not None and _in_range(partner[0], lo, hi, ctx):
            out.append(partner[1].xreplace({k: partner[0]}))
            continue
        coeff, dep = term.as_independent(k, as_Add=False)
        if dep == 1:
            out.append(coeff * (hi - lo + 1))
            continue
        kk = _canonical_index(dep.xreplace({k: sp.Dummy()}))
        out.append(coeff * sp.Sum(dep.xreplace({k: kk}), (kk, lo, hi)))
    return sp.Add(*out)


def normalise_sums(expr: sp.Basic, ctx: Context, depth: int = 0) -> sp.Basic:
    """Split sums over ``+``, pull out index-free factors, rename bound indices.

    >>> import sympy as sp
    >>> i, j = sp.symbols("i j", integer=True); N = sp.Symbol("N", integer=True, positive=True)
    >>> x = sp.IndexedBase("x"); mu = sp.Symbol("mu")
    >>> a = normalise_sums(sp.Sum(x[i] - mu, (i, 1, N)), Context())
    >>> b = normalise_sums(sp.Sum(x[j], (j, 1, N)) - N*mu, Context())
    >>> sp.expand(a - b)
    0
    """
    if not expr.args or not has_sums(expr):
        return expr
    if isinstance(expr, sp.log) and isinstance(expr.args[0], sp.Product):
        prod = expr.args[0]
        if prod.function.is_positive:
            return normalise_sums(sp.Sum(sp.expand_log(sp.log(prod.function)), *prod.limits), ctx, depth)
    if isinstance(expr, (sp.Sum, sp.Product)) and _short_and_concrete(expr):
        terms = _written_out(expr)
        return normalise_sums(terms, ctx, depth) if has_sums(terms) else terms
    if isinstance(expr, sp.Sum):
        inner = normalise_sums(expr.function, ctx, depth + 1)
        inner = sp.expand_log(inner) if inner.has(sp.log) else inner
        limits = list(expr.limits)
        # innermost limit first
        body = inner
        for limit in reversed(limits[1:]):
            body = sp.Sum(body, limit)
        return _split_sum(body, limits[0], ctx, depth)
    if isinstance(expr, sp.KroneckerDelta):
        return resolve_deltas(expr, ctx)
    args = [normalise_sums(a, ctx, depth) for a in expr.args]
    return expr.func(*args)


def _short_and_concrete(e: sp.Sum | sp.Product, most: int = 50) -> bool:
    total = 1
    for _, lo, hi in e.limits:
        lo, hi = sp.sympify(lo), sp.sympify(hi)
        if not (lo.is_Integer and hi.is_Integer):
            return False
        total *= max(int(hi) - int(lo) + 1, 0)
    return total <= most


def _written_out(e: sp.Sum | sp.Product) -> sp.Basic:
    """Σ/Π with small numeric bounds, term by term (``doit`` first tries closed forms)."""
    body = e.function
    for k, lo, hi in e.limits:  # innermost first
        terms = [body.xreplace({k: sp.Integer(v)}) for v in range(int(lo), int(hi) + 1)]
        body = sp.Add(*terms) if isinstance(e, sp.Sum) else sp.Mul(*terms)
    return body


def resolve_deltas(expr: sp.Basic, ctx: Context) -> sp.Basic:
    """δ(i, j) → 0 where the context says ``i ≠ j``; in a product with δ(i, j)
    the other factors may read j as i (δ vanishes unless i = j).

    >>> import sympy as sp
    >>> i, j = sp.symbols("i j", integer=True); v = sp.IndexedBase("v")
    >>> resolve_deltas(sp.KroneckerDelta(i, j)*v[j] - sp.KroneckerDelta(i, j)*v[i], Context())
    0
    """

    def value(d: sp.KroneckerDelta) -> sp.Basic:
        i, j = d.args[:2]
        if ctx.distinct(i, j):
            return sp.S.Zero
        return d

    expr = expr.replace(lambda e: isinstance(e, sp.KroneckerDelta), value)

    def is_delta_product(e: sp.Basic) -> bool:
        return isinstance(e, sp.Mul) and any(
            isinstance(f, sp.KroneckerDelta) and all(isinstance(a, sp.Symbol) for a in f.args[:2]) for f in e.args
        )

    def collapse(e: sp.Mul) -> sp.Basic:
        delta = next(f for f in e.args if isinstance(f, sp.KroneckerDelta) and all(isinstance(a, sp.Symbol) for a in f.args[:2]))
        keep, drop = sorted(delta.args[:2], key=str)
        rest = sp.Mul(*[f for f in e.args if f is not delta])
        return delta * rest.subs(drop, keep)  # subs, not xreplace: leaves bound indices alone

    if expr.has(sp.KroneckerDelta):
        expr = sp.expand(expr).replace(is_delta_product, collapse)
    return expr


# -- vectors -----------------------------------------------------------------
def _vector_terms(v: sp.Basic) -> list[tuple[sp.Expr, sp.Basic]]:
    """Write a vector expression as a sum of (scalar coefficient, matrix term)."""
    v = sp.expand(v) if isinstance(v, sp.MatrixExpr) else v
    out = []
    for term in (v.args if isinstance(v, sp.MatAdd) else (v,)):
        if isinstance(term, sp.MatMul):
            coeff, mats = term.as_coeff_mmul()
            mat = sp.MatMul(*mats.args) if len(mats.args) > 1 else mats.args[0]
            out.append((coeff, mat))
        else:
            out.append((sp.S.One, term))
    return out


def _inner_atom(u: sp.Basic, v: sp.Basic, ctx: Context) -> sp.Basic:
    """One name for uᵀv: the unit vectors' 1, else the product ``uᵀv``
    multiplied out (``(Xw)ᵀy`` = ``wᵀXᵀy``) in the orientation that sorts
    first (uᵀv = vᵀu), as a scalar."""
    if u == v and u in ctx.unit_vectors:
        return sp.S.One
    if isinstance(u, sp.MatrixSymbol) and isinstance(v, sp.MatrixSymbol):
        a, b = sorted((u, v), key=sp.default_sort_key)
        return Inner(a, b)
    forms = []
    for a, b in ((u, v), (v, u)):
        m = sp.MatMul(sp.transpose(a), b).doit()
        forms.append(sp.MatMul(*m.args).doit() if isinstance(m, sp.MatMul) else m)
    return sp.Trace(min(forms, key=sp.default_sort_key))  # the trace of a 1×1 matrix: a scalar atom


def normalise_inner(expr: sp.Basic, ctx: Context) -> sp.Basic:
    """Expand inner products and norms bilinearly; ‖r‖ = 1 for unit vectors."""
    if not expr.has(Inner, Norm):
        return expr

    def norm_value(n: Norm) -> sp.Basic:
        return sp.sqrt(Inner(n.args[0], n.args[0]))

    expr = expr.replace(lambda e: isinstance(e, Norm), norm_value)

    def inner_value(e: Inner) -> sp.Basic:
        total = sp.S.Zero
        for cu, tu in _vector_terms(e.args[0]):
            for cv, tv in _vector_terms(e.args[1]):
                total += cu * cv * _inner_atom(tu, tv, ctx)
        return total

    return expr.replace(lambda e: isinstance(e, Inner), inner_value)


# -- matrices ----------------------------------------------------------------
def _orient(term: sp.Basic) -> sp.Basic:
    """One orientation for a 1×1 term: uᵀv and vᵀu are the same number."""
    if getattr(term, "shape", None) != (1, 1):
        return term
    coeff, mats = term.as_coeff_mmul() if isinstance(term, sp.MatMul) else (sp.S.One, term)
    flipped = sp.transpose(mats).doit()
    if isinstance(flipped, sp.MatMul):
        flipped = sp.MatMul(*flipped.args).doit()
    chosen = min((mats, flipped), key=sp.default_sort_key)
    return coeff * chosen


def normalise_matrix(expr: sp.Basic) -> sp.Basic:
    """Expand a matrix expression and orient its 1×1 terms."""
    if not isinstance(expr, sp.MatrixExpr):
        return expr
    expr = sp.expand(expr.doit())
    terms = expr.args if isinstance(expr, sp.MatAdd) else (expr,)
    return sp.MatAdd(*[_orient(t) for t in terms]).doit()


# -- powers ------------------------------------------------------------------
def normalise_powers(expr: sp.Basic) -> sp.Basic:
    """(−q)^n → (−1)^n q^n for integer n; split products under integer powers.

    >>> import sympy as sp
    >>> b = sp.Symbol("b", positive=True); k = sp.Symbol("k", integer=True, nonnegative=True)
    >>> sp.expand(normalise_powers((1 - b)**(2*k) - (b - 1)**(2*k)))
    0
    """

    def is_target(e: sp.Basic) -> bool:
        return isinstance(e, sp.Pow) and e.exp.is_integer and not e.exp.is_Number

    def value(e: sp.Pow) -> sp.Basic:
        base, n = e.base, e.exp
        base = sp.factor_terms(sp.cancel(base))
        num, den = sp.fraction(base)
        out = sp.S.One
        for part, sgn in ((num, 1), (den, -1)):
            for f in sp.Mul.make_args(sp.factor_terms(part)):
                b, m = f.as_base_exp()
                if b.could_extract_minus_sign():
                    out *= (-1) ** (n * m * sgn)
                    b = -b
                out *= b ** (n * m * sgn)
        return out

    new = expr.replace(is_target, value)
    return sp.powsimp(sp.expand(new), combine="exp") if new != expr else expr


def solve_linear(residual: sp.Basic, var: sp.Symbol) -> sp.Basic | None:
    """The root of ``residual = 0`` when it is ``a·var + b`` or ``a/var + b``
    with ``a``, ``b`` free of ``var`` and provably nonzero where needed; else
    None (sympy's ``solve`` costs ~80 ms; this is a few).

    >>> import sympy as sp
    >>> x = sp.Symbol("x"); N = sp.Symbol("N", positive=True)
    >>> solve_linear(N*x - 3, x), solve_linear(N/x - 3, x)
    (3/N, N/3)
    """
    residual = sp.expand(residual)
    if var not in residual.free_symbols:
        return None
    root = _linear_root(residual, var)
    if root is not None:
        return root
    w = sp.Dummy("w")
    root = _linear_root(sp.expand(residual.xreplace({var: 1 / w})), w)
    if root is not None and root.is_nonzero is True:
        return sp.cancel(1 / root)
    return None


def _linear_root(residual: sp.Basic, var: sp.Basic) -> sp.Basic | None:
    a = residual.coeff(var, 1)
    b = residual.coeff(var, 0)
    if a == 0 or var in a.free_symbols or var in b.free_symbols:
        return None
    if sp.expand(residual - (a * var + b)) != 0 or a.is_nonzero is not True:
        return None
    return sp.cancel(-b / a)


def normalise_derivatives(expr: sp.Basic) -> sp.Basic:
    """``∂f(a, b)/∂a`` for a non-symbol argument ``a`` (how sympy writes the
    chain rule) becomes ``Subs(∂f(u₁, u₂)/∂u₁, (u₁, u₂), (a, b))``, the form
    people write; sympy compares Subs up to the names of their variables.

    >>> import sympy as sp
    >>> x = sp.Symbol("x"); f, g = sp.Function("f"), sp.Function("g")
    >>> normalise_derivatives(sp.diff(f(g(x)), x))
    Derivative(g(x), x)*Subs(Derivative(f(_u1), _u1), _u1, g(x))
    """
    from sympy.core.function import AppliedUndef

    def is_target(e: sp.Basic) -> bool:
        return (isinstance(e, sp.Derivative) and isinstance(e.expr, AppliedUndef)
                and any(not isinstance(v, sp.Symbol) for v, _ in e.variable_count))

    def value(e: sp.Derivative) -> sp.Basic:
        f = e.expr
        us = [sp.Symbol(f"_u{k + 1}") for k in range(len(f.args))]
        slot = {a: u for a, u in zip(f.args, us)}
        if len(slot) != len(f.args) or any(v not in slot for v, _ in e.variable_count):
            return e  # repeated arguments, or a variable that is not an argument: leave it
        inner = sp.Derivative(f.func(*us), *[(slot[v], n) for v, n in e.variable_count])
        return sp.Subs(inner, tuple(us), tuple(f.args))

    return expr.replace(is_target, value) if expr.has(sp.Derivative) else expr
