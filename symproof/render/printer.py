"""The notation profile of the sheets: a :class:`~sympy.printing.latex.LatexPrinter`.

Every choice is made on the expression tree, never by patching printed text:

- natural log as ``\\log x`` / ``\\log\\left(…\\right)``;
- transpose ``X^\\top`` (``\\theta^{*\\top}`` for a starred symbol), identity ``I``,
  inner products ``r_{1}^\\top r_{2}`` and norms ``\\left\\|v\\right\\|``;
- ``\\mathrm{d}`` for ordinary derivatives, ``\\partial`` for partial ones;
- estimator names such as ``muhat`` print ``\\hat{\\mu}`` (sympy's own naming rule);
- indexed entries ``x_{i}`` (and ``x_{1,i}`` for a base named ``x_1``),
  ``\\delta_{ij}`` with the arguments in their stored order, sums with bounds;
- term order: ``order='none'``, so a line built with an unevaluated ``Add``
  keeps the author's order; an ``Add`` whose terms are in sympy's canonical
  (sorted) order — evaluated, so the author's order is gone — is printed in
  sympy's usual reading order with a positive term moved first
  (``x_{i} - \\mu``, not ``-\\mu + x_{i}``). An unevaluated ``Add`` written in
  exactly the canonical order cannot be told from an evaluated one;
  factors of a canonical ``Mul`` in reading order (``N\\hat{\\mu}``,
  ``o_{i} (\\delta_{ij} - o_{j})``, sums last, ``\\frac{1}{N}\\sum…`` for a sum
  over a short denominator), an unevaluated ``Mul`` as written;
- matrix expressions: a scalar factor common to every term is pulled out
  (``\\frac{1}{2} (…)``) and a difference of transposes is written as the
  transpose of the difference, ``(X\\theta - y)^\\top``.
"""
from __future__ import annotations

from functools import cmp_to_key
from typing import Any

import sympy as sp
from sympy.core.basic import Basic
from sympy.core.function import AppliedUndef
from sympy.printing.conventions import split_super_sub
from sympy.printing.latex import LatexPrinter
from sympy.printing.precedence import PRECEDENCE, precedence_traditional

from symproof.model.linalg import Inner, Norm

__all__ = ["SheetPrinter", "latex", "add_pieces", "PRINTER_SETTINGS"]

PRINTER_SETTINGS: dict[str, Any] = {"order": "none", "diff_operator": "rd", "mul_symbol": None}

_compare_key = cmp_to_key(Basic.compare)


def _canonical(args: tuple) -> bool:
    """True when ``args`` are in the order sympy itself sorts an evaluated
    ``Add``/``Mul`` into (numeric coefficient first, the rest by ``Basic.compare``)."""
    rest = list(args[1:]) if args and args[0].is_Number else list(args)
    if any(a.is_Number for a in rest):  # an evaluated one holds one numeric coefficient, first
        return False
    return all(Basic.compare(a, b) <= 0 for a, b in zip(rest, rest[1:]))


def _is_big_operator(e: sp.Basic) -> bool:
    return isinstance(e, (sp.Sum, sp.Product, sp.Integral))


def _simple_atom(e: sp.Basic) -> bool:
    """Printed as one symbol: ``\\log x`` needs no parentheses."""
    return isinstance(e, (sp.Symbol, sp.Indexed, sp.NumberSymbol)) or (e.is_Integer and e.is_positive)


def _exp_as_function(e: sp.exp) -> bool:
    """``\\exp(…)`` rather than ``e^{…}`` when the exponent is a fraction with symbols below."""
    return not _split_fraction(sp.Mul.make_args(e.args[0]))[1].is_number


def _split_fraction(factors) -> tuple[sp.Basic, sp.Basic]:
    """Numerator and denominator of a product, as written: a power with a
    negative numeric exponent goes below, a rational splits, nothing else
    moves (``sympy.fraction(exact=True)`` calls ``simplify`` on exponents)."""
    num, den = [], []
    for f in factors:
        if f.is_Rational and not f.is_Integer:
            num.append(sp.Integer(f.p))
            den.append(sp.Integer(f.q))
        elif isinstance(f, sp.Pow) and f.exp.is_Number and f.exp.is_negative:
            den.append(f.base if f.exp == -1 else sp.Pow(f.base, -f.exp))
        else:
            num.append(f)
    return sp.Mul(*num), sp.Mul(*den)


def _constant_parts(c: sp.Basic) -> tuple[sp.Basic, sp.Basic]:
    """Numerator and denominator of a constant coefficient, with square roots
    gathered: ``sqrt(2)/(2 sqrt(pi))`` becomes ``(1, sqrt(2 pi))``."""
    factors = sp.Mul.make_args(c)
    has_root = any(isinstance(f, sp.Pow) and f.exp in (sp.S.Half, -sp.S.Half) for f in factors)
    if has_root:
        c2 = c**2
        if all(isinstance(a, (sp.Rational, type(sp.pi))) for a in c2.atoms(sp.Number, sp.NumberSymbol)):
            n2, d2 = _split_fraction(sp.Mul.make_args(c2))
            return _root(n2), _root(d2)
    return _split_fraction(factors)


def _root(x: sp.Basic) -> sp.Basic:
    r = sp.sqrt(x)
    return r if r.is_Rational else sp.Pow(x, sp.S.Half, evaluate=False)


def _factor_rank(e: sp.Basic) -> int:
    if e.is_Number:
        return 0
    if e.is_number:  # pi, sqrt(2 pi): constants come first
        return 1
    if isinstance(e, sp.KroneckerDelta):
        return 2
    base = e.base if isinstance(e, sp.Pow) and e.exp.is_Number else e
    if isinstance(base, (sp.Symbol, sp.Indexed)):
        return 3
    if isinstance(e, sp.Add):
        return 5
    if _is_big_operator(e):
        return 6
    return 4  # functions, roots, powers of compound things


def _factor_key(e: sp.Basic):
    base = e.base if isinstance(e, sp.Pow) and e.exp.is_Number else e
    return (_factor_rank(e), sp.default_sort_key(base))


def _matrix_names(e: sp.Basic) -> list[str]:
    if isinstance(e, sp.MatrixSymbol):
        return [e.name]
    if isinstance(e, sp.Transpose):
        return _matrix_names(e.arg)
    if isinstance(e, sp.MatMul):
        return [n for a in e.args for n in _matrix_names(a)]
    return []


def _matadd_key(e: sp.Basic):
    """Terms of a matrix sum: highest 'degree' (matrix factors) first, then by
    the names of their factors in reading order (θᵀθ, θᵀθ*, θ*ᵀθ, θ*ᵀθ*)."""
    names = _matrix_names(e)
    return (-len(names), names)


def _split_coeff(term: sp.Basic) -> tuple[sp.Basic, sp.Basic]:
    """``(c, M)`` with ``term = c*M`` for a term of a matrix sum."""
    if isinstance(term, sp.MatMul):
        coeff, mats = term.as_coeff_mmul()
        mats = mats.args if isinstance(mats, sp.MatMul) else (mats,)
        scalars = [a for a in mats if not isinstance(a, sp.MatrixExpr)]
        matrices = [a for a in mats if isinstance(a, sp.MatrixExpr)]
        coeff = sp.Mul(coeff, *scalars)
        rest = matrices[0] if len(matrices) == 1 else sp.MatMul(*matrices, evaluate=False)
        return coeff, rest
    return sp.S.One, term


def _as_transpose(m: sp.Basic) -> sp.Basic | None:
    """``A`` when ``m`` is ``A^T`` (``(BA)^T`` for ``A^T B^T``), else None."""
    if isinstance(m, sp.Transpose):
        return m.arg
    if isinstance(m, sp.MatMul) and all(isinstance(a, sp.Transpose) for a in m.args):
        return sp.MatMul(*[a.arg for a in reversed(m.args)], evaluate=False)
    return None


class SheetPrinter(LatexPrinter):
    """symproof's notation profile (see the module docstring)."""

    printmethod = "_latex"

    def __init__(self, settings: dict | None = None) -> None:
        super().__init__({**PRINTER_SETTINGS, **(settings or {})})

    # symproof's own scalar functions define ``_latex``, which a printer
    # consults before its ``_print_<Class>`` methods; this profile prints them
    # itself (with powers, and in the same transpose notation).
    def _print(self, expr: Any, **kwargs: Any) -> str:
        if isinstance(expr, Inner):
            return self._print_Inner(expr, **kwargs)
        if isinstance(expr, Norm):
            return self._print_Norm(expr, **kwargs)
        return super()._print(expr, **kwargs)

    # -- sums ---------------------------------------------------------------
    def ordered_terms(self, expr: sp.Basic) -> list[sp.Basic]:
        """The terms of an ``Add`` in printing order."""
        args = list(expr.args)
        if not _canonical(expr.args):
            return args  # built unevaluated: the author's order
        return self._positive_first(expr.as_ordered_terms())

    @staticmethod
    def _positive_first(terms: list[sp.Basic]) -> list[sp.Basic]:
        if terms and terms[0].could_extract_minus_sign():
            for k, t in enumerate(terms):
                if not t.could_extract_minus_sign():
                    return [t] + terms[:k] + terms[k + 1:]
        return terms

    def add_pieces(self, expr: sp.Basic) -> list[tuple[str, str]]:
        """``[(sign, tex), …]`` of a sum's terms: sign is ``''`` for the first
        term, then ``'+'`` or ``'-'`` (used to break long lines)."""
        return [(sign, tex) for sign, _, tex in self.add_terms(expr)]

    def add_terms(self, expr: sp.Basic) -> list[tuple[str, sp.Basic | None, str]]:
        """``[(sign, term, tex), …]``: :meth:`add_pieces` with the term printed
        (after its sign is taken out), or None where the printed piece is
        bracketed or rewritten and so no single term's own printing."""
        if isinstance(expr, sp.MatAdd):
            return [(sign, None, tex) for sign, tex in self._matadd_pieces(expr)]
        out: list[tuple[str, sp.Basic | None, str]] = []
        for k, term in enumerate(self.ordered_terms(expr)):
            sign = ""
            if k:
                sign = "+"
                if term.could_extract_minus_sign():
                    sign, term = "-", -term
            tex = self._print(term)
            if self._needs_add_brackets(term):
                out.append((sign, None, r"\left(%s\right)" % tex))
            else:
                out.append((sign, term, tex))
        return out

    def mul_pieces(self, expr: sp.Basic) -> list[str] | None:
        """The factors of a product as printed side by side, so that a long
        product can be broken between them; None when ``expr`` does not print
        as factors side by side (a fraction, a leading minus, a matrix product)."""
        if not isinstance(expr, sp.Mul) or not expr.is_commutative:
            return None
        if _canonical(expr.args):
            if expr.could_extract_minus_sign():
                return None
            consts = [f for f in expr.args if f.is_number]
            rest = [f for f in expr.args if not f.is_number]
            cn, cd = _constant_parts(sp.Mul(*consts))
            n, dd = _split_fraction(rest)
            if cd != 1 or dd != 1:
                return None
            factors = self._order_factors([f for g in (cn, n) for f in sp.Mul.make_args(g) if f != 1])
        else:
            factors = list(expr.args)
        if len(factors) < 2:
            return None
        pieces = []
        for k, f in enumerate(factors):
            tex = self._print(f)
            if self._factor_needs_brackets(f, first=k == 0, last=k == len(factors) - 1):
                tex = r"\left(%s\right)" % tex
            pieces.append(tex)
        # only when the pieces are exactly what the whole product prints
        return pieces if " ".join(pieces) == self._print(expr) else None

    def _print_Add(self, expr: sp.Add, order: str | None = None) -> str:
        return _join(self.add_pieces(expr))

    # -- products -----------------------------------------------------------
    def _factor_tex(self, factors: list[sp.Basic]) -> str:
        parts: list[str] = []
        for k, f in enumerate(factors):
            tex = self._print(f)
            last = k == len(factors) - 1
            if self._factor_needs_brackets(f, first=k == 0, last=last):
                tex = r"\left(%s\right)" % tex
            if parts and parts[-1][-1:].isdigit() and tex[:1].isdigit():
                parts.append(r"\cdot")
            parts.append(tex)
        return " ".join(parts)

    @staticmethod
    def _factor_needs_brackets(f: sp.Basic, first: bool, last: bool) -> bool:
        if f.is_Mul:
            return not first and f.could_extract_minus_sign()
        if precedence_traditional(f) < PRECEDENCE["Mul"] or f.is_Relational or f.is_Piecewise:
            return True
        return (not last) and _is_big_operator(f)

    def _order_factors(self, factors: list[sp.Basic]) -> list[sp.Basic]:
        return sorted(factors, key=_factor_key)

    def _print_Mul(self, expr: sp.Mul) -> str:
        if not expr.is_commutative or not isinstance(expr, sp.Mul) or not _canonical(expr.args):
            # matrices, Pow passed in by sympy, or the author's unevaluated order
            if isinstance(expr, sp.Mul) and expr.is_commutative:
                return self._factor_tex(list(expr.args))
            return super()._print_Mul(expr)
        if expr.could_extract_minus_sign():
            pos = -expr
            tex = self._print(pos)
            if pos.is_Add:
                tex = r"\left(%s\right)" % tex
            return "- " + tex
        consts = [f for f in expr.args if f.is_number]
        rest = [f for f in expr.args if not f.is_number]
        cn, cd = _constant_parts(sp.Mul(*consts))
        n, dd = _split_fraction(rest)
        nf = self._order_factors([f for g in (cn, n) for f in sp.Mul.make_args(g) if f != 1])
        df = self._order_factors([f for g in (cd, dd) for f in sp.Mul.make_args(g) if f != 1])
        if not nf:
            nf = [sp.S.One]
        if not df:
            return self._factor_tex(nf)
        sden = self._factor_tex(df) if len(df) > 1 or not df[0].is_Add else self._print(df[0])
        if len(nf) > 0 and self._pull_out(nf[-1]) and not any(_is_big_operator(f) for f in df):
            # \frac{1}{N} \sum_{i} x_i rather than \frac{\sum_i x_i}{N}
            front = nf[:-1]
            coeff = self._factor_tex(front) if front else "1"
            return r"\frac{%s}{%s} %s" % (coeff, sden, self._print(nf[-1]))
        snum = self._factor_tex(nf) if len(nf) > 1 or not nf[0].is_Add else self._print(nf[0])
        return r"\frac{%s}{%s}" % (snum, sden)

    @staticmethod
    def _pull_out(f: sp.Basic) -> bool:
        """A factor written after its coefficient fraction: a big operator or ``\\exp(…)``."""
        return _is_big_operator(f) or (isinstance(f, sp.exp) and _exp_as_function(f))

    # -- powers and functions -----------------------------------------------
    def _print_Pow(self, expr: sp.Pow, **kwargs: Any) -> str:
        if isinstance(expr.base, (Norm, Inner)) and not expr.exp.is_negative:
            base = self._print(expr.base)
            if isinstance(expr.base, Inner):
                base = r"\left(%s\right)" % base
            return "%s^{%s}" % (base, self._print(expr.exp))
        if isinstance(expr.base, sp.log) and not expr.exp.is_negative and expr.exp != sp.S.Half:
            return r"\left(%s\right)^{%s}" % (self._print(expr.base), self._print(expr.exp))
        return super()._print_Pow(expr)

    def _print_exp(self, expr: sp.exp, exp: str | None = None) -> str:
        if not _exp_as_function(expr):
            return super()._print_ExpBase(expr, exp)
        tex = r"\exp\left(%s\right)" % self._print(expr.args[0])
        return r"%s^{%s}" % (tex, exp) if exp is not None else tex

    def _print_log(self, expr: sp.log, exp: str | None = None) -> str:
        arg = expr.args[0]
        tex = r"\log " + self._print(arg) if _simple_atom(arg) else r"\log\left(%s\right)" % self._print(arg)
        return r"\left(%s\right)^{%s}" % (tex, exp) if exp is not None else tex

    def _print_Function(self, expr: sp.Function, exp: str | None = None) -> str:
        if isinstance(expr, AppliedUndef):
            name = self._deal_with_super_sub(expr.func.__name__)
            args = ", ".join(self._print(a) for a in expr.args)
            tex = r"%s\left(%s\right)" % (name, args)
            return r"%s^{%s}" % (tex, exp) if exp is not None else tex
        return super()._print_Function(expr, exp=exp)

    # -- indices --------------------------------------------------------------
    def _index_tex(self, indices: tuple) -> str:
        texts = [self._print(i) for i in indices]
        if all(isinstance(i, sp.Symbol) and len(t) == 1 for i, t in zip(indices, texts)):
            return "".join(texts)
        return ",".join(texts)

    def _print_Subs(self, expr: sp.Subs) -> str:
        """``∂f(u, v)/∂u`` at ``(a, b)`` as ``f_{u}(a, b)``, the tutorial's
        notation (f_x(x_{t+1}, y_{t+1})), when the point fills every argument;
        otherwise sympy's evaluation bar."""
        from sympy.core.function import AppliedUndef

        d, names, point = expr.expr, expr.variables, expr.point
        if (isinstance(d, sp.Derivative) and isinstance(d.expr, AppliedUndef)
                and tuple(d.expr.args) == tuple(names)):
            sub = "".join(self._print(v) * n for v, n in d.variable_count)
            args = ", ".join(self._print(p) for p in point)
            return r"%s_{%s}\left(%s\right)" % (self._print(sp.Symbol(d.expr.func.__name__)), sub, args)
        return super()._print_Subs(expr)

    def _print_Indexed(self, expr: sp.Indexed) -> str:
        label = expr.base.label
        name = label.name if isinstance(label, sp.Symbol) else str(label)
        if "{" in name or "\\" in name:
            return r"{%s}_{%s}" % (name, self._index_tex(expr.indices))
        base, supers, subs = split_super_sub(name)
        tex = self._deal_with_super_sub(base)
        sub = ",".join([self._deal_with_super_sub(s) for s in subs] + [self._index_tex(expr.indices)])
        if supers:
            tex += "^{%s}" % " ".join(self._deal_with_super_sub(s) for s in supers)
        return tex + "_{%s}" % sub

    def _print_KroneckerDelta(self, expr: sp.KroneckerDelta, exp: str | None = None) -> str:
        tex = r"\delta_{%s}" % self._index_tex(expr.args[:2])
        return "%s^{%s}" % (tex, exp) if exp is not None else tex

    # -- vectors and matrices -------------------------------------------------
    def _transpose_tex(self, m: sp.Basic) -> str:
        if isinstance(m, (sp.MatrixSymbol, sp.Symbol)):
            name = m.name
            base, supers, subs = split_super_sub(name)
            if supers and "{" not in name:
                tex = self._deal_with_super_sub(base)
                sup = " ".join(self._deal_with_super_sub(s) for s in supers)
                if subs:
                    tex += "_{%s}" % " ".join(self._deal_with_super_sub(s) for s in subs)
                return r"%s^{%s\top}" % (tex, sup)
            return r"%s^\top" % self._print(m)
        if isinstance(m, sp.Transpose):
            return self._print(m.arg)
        return r"\left(%s\right)^\top" % self._print(m)

    def _print_Transpose(self, expr: sp.Transpose) -> str:
        return self._transpose_tex(expr.arg)

    def _print_Inner(self, expr: Inner, exp: str | None = None) -> str:
        u, v = expr.args
        right = self._print(v)
        if isinstance(v, (sp.MatAdd, sp.Add)) or (isinstance(v, sp.MatMul) and v.could_extract_minus_sign()):
            right = r"\left(%s\right)" % right
        tex = "%s %s" % (self._transpose_tex(u), right)
        return r"\left(%s\right)^{%s}" % (tex, exp) if exp is not None else tex

    def _print_Norm(self, expr: Norm, exp: str | None = None) -> str:
        tex = r"\left\|%s\right\|" % self._print(expr.args[0])
        return "%s^{%s}" % (tex, exp) if exp is not None else tex

    def _print_Identity(self, expr: sp.Identity) -> str:
        return "I"

    def _print_ZeroMatrix(self, expr: sp.ZeroMatrix) -> str:
        return "0"

    def _display_matadd(self, expr: sp.MatAdd) -> tuple[sp.Basic, sp.Basic]:
        """``(c, S)`` with ``expr = c*S`` for display: a scalar common to all
        terms pulled out, and ``A^T - B^T`` written as ``(A - B)^T``."""
        pairs = [_split_coeff(t) for t in expr.args]
        common = sp.S.One
        if len(pairs) > 1:
            mags = {abs(c) for c, _ in pairs if c.is_Number}
            if len(mags) == 1 and all(c.is_Number for c, _ in pairs) and mags != {sp.S.One}:
                common = mags.pop()
                pairs = [(c / common, m) for c, m in pairs]
        inner = [_as_transpose(m) for _, m in pairs]
        if all(i is not None for i in inner):
            body = sp.MatAdd(*[c * i if c != 1 else i for (c, _), i in zip(pairs, inner)], evaluate=False)
            return common, sp.Transpose(body)
        if common != 1:
            return common, sp.MatAdd(*[c * m if c != 1 else m for c, m in pairs], evaluate=False)
        return sp.S.One, expr

    def _matadd_pieces(self, expr: sp.MatAdd) -> list[tuple[str, str]]:
        terms = sorted(expr.args, key=_matadd_key)
        terms = self._positive_first(terms)
        out = []
        for k, term in enumerate(terms):
            sign = ""
            if k:
                sign = "+"
                if term.could_extract_minus_sign():
                    sign, term = "-", -term
            out.append((sign, self._print(term)))
        return out

    def _print_MatAdd(self, expr: sp.MatAdd) -> str:
        common, shown = self._display_matadd(expr)
        if shown is not expr:
            inner = self._print(shown)
            if common == 1:
                return inner
            if isinstance(shown, sp.MatAdd):
                inner = r"\left(%s\right)" % inner
            return "%s %s" % (self._print(common), inner)
        return _join(self._matadd_pieces(expr))

    def _print_MatMul(self, expr: sp.MatMul) -> str:
        coeff, rest = expr.as_coeff_mmul()
        factors = list(rest.args) if isinstance(rest, sp.MatMul) else [rest]
        scalars = [f for f in factors if not isinstance(f, sp.MatrixExpr)]
        coeff = sp.Mul(coeff, *scalars)
        shown = []
        for f in factors:
            if not isinstance(f, sp.MatrixExpr):
                continue
            if isinstance(f, sp.MatAdd):
                c, f = self._display_matadd(f)
                coeff *= c
            shown.append(f)
        parts = []
        for f in shown:
            tex = self._print(f)
            if isinstance(f, sp.MatAdd):
                tex = r"\left(%s\right)" % tex
            parts.append(tex)
        sign = ""
        if coeff.could_extract_minus_sign():
            sign, coeff = "- ", -coeff
        if coeff != 1:
            ctex = self._print(coeff)
            if coeff.is_Add:
                ctex = r"\left(%s\right)" % ctex
            parts.insert(0, ctex)
        return sign + " ".join(parts)


def _join(pieces: list[tuple[str, str]]) -> str:
    out = ""
    for sign, tex in pieces:
        out += f" {sign} {tex}" if sign else tex
    return out


def latex(expr: Any, **settings: Any) -> str:
    """``expr`` in symproof's notation profile.

    >>> import sympy as sp
    >>> x = sp.IndexedBase("x"); i, N = sp.symbols("i N", integer=True)
    >>> latex(sp.Sum(x[i], (i, 1, N)) / N)
    '\\\\frac{1}{N} \\\\sum_{i=1}^{N} x_{i}'
    """
    return SheetPrinter(settings).doprint(expr)


def add_pieces(expr: sp.Basic, **settings: Any) -> list[tuple[str, str]]:
    """The signed terms of a sum as printed (see :meth:`SheetPrinter.add_pieces`)."""
    return SheetPrinter(settings).add_pieces(expr)
