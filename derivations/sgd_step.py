"""P6 (template): one stochastic-gradient step on f = Σᵢ fᵢ can increase f.

The source sheet lost the terms fᵢ; the derivation takes them as a
parameter (an expression in ``x`` and the data point ``a``), with the data,
the step size, the sampled term and the start point.
"""
from __future__ import annotations

from typing import Iterable

import sympy as sp

from symproof.errors import DerivationError
from symproof.model import Context, Derivation, Start, Step
from symproof.render.printer import latex
from symproof.rules import Differentiate, Expand, Substitute

x = sp.Symbol("x", real=True)
a = sp.Symbol("a", real=True)
eta = sp.Symbol("eta", positive=True)

PARAMETERS = {
    "f": r"one term $f_i(x)$ of the sum, in $x$ and the data point $a$ (standing for $a_i$)",
    "a": r"the data $(a_1, \dots, a_n)$, one number per term",
    "step": r"the step size $\eta > 0$",
    "sample": r"which term the step samples (1-based)",
    "start": r"the starting point $x_0$",
}

DEFAULT_F = sp.Rational(1, 2) * (x - a) ** 2
DEFAULT_A = (2, 4, -6)
CONTEXT = Context(symbols=(x, a, eta))


def _sympy(value: object, what: str) -> sp.Basic:
    try:
        return sp.sympify(value, strict=True)
    except (sp.SympifyError, TypeError) as exc:
        raise DerivationError(f"sgd_step: {what}: cannot use {value!r}") from exc


def _parse(text: str, what: str) -> sp.Basic:
    """A value given as LaTeX text (the command line passes parsed values; this is for scripts)."""
    from symproof.parse import parse_latex

    try:
        return parse_latex(text)
    except Exception as exc:  # the reader's own errors name what is wrong
        raise DerivationError(f"sgd_step: {what}: cannot read {text!r}: {exc}") from exc


def _top_level_parts(text: str) -> list[str]:
    """``2, \\frac{1}{2}, -6`` split at the commas outside braces and brackets."""
    parts, depth, cur = [], 0, ""
    for ch in text:
        depth += ch in "({[" and 1 or (ch in ")}]" and -1 or 0)
        if ch == "," and depth == 0:
            parts.append(cur)
            cur = ""
        else:
            cur += ch
    return parts + [cur]


def _exact(value: object, what: str) -> sp.Basic:
    e = _parse(value, what) if isinstance(value, str) else _sympy(value, what)
    if e.atoms(sp.Float):
        e = e.xreplace({fl: sp.Rational(str(fl)) for fl in e.atoms(sp.Float)})
    if e.free_symbols or not e.is_real:
        raise DerivationError(f"sgd_step: {what} must be a real number, got {value!r}")
    return e


def _term(value: object) -> sp.Basic:
    """The fᵢ family, with its symbols mapped by name onto ``x`` and ``a``."""
    e = _parse(value, "f") if isinstance(value, str) else _sympy(value, "f")
    names = {"x": x, "a": a, "a_i": a, "a_{i}": a}
    repl = {}
    for s in e.free_symbols:
        if s.name not in names:
            raise DerivationError(f"sgd_step: f may use x and a (the data point a_i) only, not {s.name}")
        repl[s] = names[s.name]
    e = e.xreplace(repl)
    if x not in e.free_symbols:
        raise DerivationError("sgd_step: f must depend on x")
    return e.xreplace({fl: sp.Rational(str(fl)) for fl in e.atoms(sp.Float)})


def _data(value: object) -> tuple[sp.Basic, ...]:
    if isinstance(value, str):
        text = value.strip()
        if text.startswith("(") and text.endswith(")"):
            text = text[1:-1]
        value = [_parse(part, "the data a") for part in _top_level_parts(text)]
    items = tuple(value) if isinstance(value, Iterable) else (value,)
    data = tuple(_exact(v, "every data point") for v in items)
    if not data:
        raise DerivationError("sgd_step: the data a must hold at least one number")
    return data


def build(f: object = DEFAULT_F, a: object = DEFAULT_A, step: object = sp.Rational(1, 2),
          sample: object = 2, start: object = 0) -> Derivation:
    fi = _term(f)
    data = _data(a)
    lr = _exact(step, "the step size")
    if not lr.is_positive:
        raise DerivationError("sgd_step: the step size must be positive")
    s = _exact(sample, "sample")
    if not (s.is_integer and 1 <= s <= len(data)):
        raise DerivationError(f"sgd_step: sample must be one of 1..{len(data)}, got {sample!r}")
    s = int(s)
    x0 = _exact(start, "the start point")

    a_sym = globals()["a"]
    terms = [fi.xreplace({a_sym: ai}) for ai in data]
    total = sp.Add(*terms, evaluate=False) if len(terms) > 1 else terms[0]
    expanded = sp.expand(sp.Add(*terms))
    sampled = fi.xreplace({a_sym: data[s - 1]})
    grad = sp.diff(sampled, x)
    update = x - eta * grad
    x1 = sp.simplify(update.xreplace({eta: lr, x: x0}))
    f0 = sp.simplify(expanded.xreplace({x: x0}))
    f1 = sp.simplify(expanded.xreplace({x: x1}))
    if not (f0.is_number and f1.is_number and x1.is_number):
        raise DerivationError("sgd_step: the values f(x_0), x_1, f(x_1) do not come out as numbers")
    if f1 > f0:
        rel, verdict = ">", r"the stochastic step \emph{increased} the full objective"
    elif f1 < f0:
        rel, verdict = "<", r"here the stochastic step decreased the full objective"
    else:
        rel, verdict = "=", r"here the stochastic step left the full objective unchanged"

    n = len(data)
    a_tex = ", ".join(latex(v) for v in data)
    fi_tex = latex(fi.xreplace({a_sym: sp.Symbol("a_i")}))
    is_default = (sp.simplify(fi - DEFAULT_F) == 0 and data == tuple(sp.Integer(v) for v in DEFAULT_A))
    source = (r"The source's $f_i$ was illegible; this sheet uses $f_i(x) = " + fi_tex + r"$ with "
              r"$a = (" + a_tex + r")$." if is_default else
              r"The source's $f_i$ was illegible; this variant uses $f_i(x) = " + fi_tex + r"$ with "
              r"$a = (" + a_tex + r")$.")
    return Derivation(
        name="sgd_step",
        title="One step of stochastic gradient descent",
        problem="P6",
        statement=(
            r"Let $f(x) = \sum_{i=1}^{" + str(n) + r"} f_i(x)$ with $f_i(x) = " + fi_tex + r"$ and "
            r"$a = (" + a_tex + r")$. Starting at $x_0 = " + latex(x0) + r"$, take one stochastic gradient "
            r"step with step size $\eta = " + latex(lr) + r"$ on the sampled term $f_{" + str(s) + r"}$. "
            r"Find $x_1$ and compare $f(x_0)$ with $f(x_1)$."
        ),
        context=CONTEXT,
        lines=(
            Start(x - eta * sp.Derivative(sampled, x),
                  r"the SGD update uses the gradient of the sampled term only",
                  lhs=r"x - \eta f_{" + str(s) + r"}'(x)", heading="The stochastic step"),
            Step("=", update, r"differentiate $f_{" + str(s) + r"}$"),
            Step("=", x1, r"at $x = x_0 = " + latex(x0) + r"$, $\eta = " + latex(lr) + r"$",
                 rule=Substitute({x: x0, eta: lr}), lhs=r"x_1"),
            Start(total, r"the full objective, all " + str(n) + " terms", lhs=r"f(x)",
                  heading="The full objective before and after"),
            Step("=", expanded, "expand and collect", rule=Expand()),
            Step("=", f0, r"at $x_0 = " + latex(x0) + r"$", rule=Substitute({x: x0}), lhs=r"f(x_0)"),
            Start(expanded, r"the full objective, from above", lhs=r"f(x)"),
            Step("=", f1, r"at $x_1 = " + latex(x1) + r"$", rule=Substitute({x: x1}), lhs=r"f(x_1)"),
            Step(rel, f0, r"$f(x_0) = " + latex(f0) + r"$, from above"),
        ),
        notes=(
            source,
            r"$f(x_0) = " + latex(f0) + r"$ and $f(x_1) = " + latex(f1) + r"$: " + verdict + r". "
            r"A step along $-\nabla f_{" + str(s) + r"}$ need not be a descent direction for $f$.",
        ),
    )
