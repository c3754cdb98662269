"""Vocabularies of the LaTeX reader: letters, accents, fonts, commands."""
from __future__ import annotations

__all__ = [
    "GREEK", "GREEK_VARIANTS", "ACCENTS", "TYPO_FONTS", "SEMANTIC_FONTS", "WORD_CMDS",
    "PARSER_FUNCS", "SPACES", "RELATIONS", "UNSUPPORTED", "FUNCTION_LIKE",
]

GREEK = {
    rf"\{g}": g for g in (
        "alpha beta gamma delta epsilon varepsilon zeta eta theta vartheta iota kappa lambda mu nu xi "
        "pi varpi rho varrho sigma varsigma tau upsilon phi varphi chi psi omega "
        "Gamma Delta Theta Lambda Xi Pi Sigma Upsilon Phi Psi Omega ell"
    ).split()
}

# the same letter in another glyph: looked up when the written form is not declared
GREEK_VARIANTS = {
    "varepsilon": "epsilon", "epsilon": "varepsilon", "varphi": "phi", "phi": "varphi",
    "vartheta": "theta", "theta": "vartheta", "varrho": "rho", "rho": "varrho",
    "varsigma": "sigma", "varpi": "pi",
}

# accent command -> sympy's name modifier (Symbol("muhat") prints as \hat{\mu})
ACCENTS = {
    r"\hat": "hat", r"\widehat": "hat", r"\bar": "bar", r"\overline": "bar", r"\tilde": "tilde",
    r"\widetilde": "tilde", r"\dot": "dot", r"\ddot": "ddot", r"\check": "check", r"\breve": "breve",
    r"\acute": "acute", r"\grave": "grave", r"\mathring": "mathring",
}

# typography only: \mathbf{x} is the same name as x
TYPO_FONTS = {r"\mathbf", r"\boldsymbol", r"\bm", r"\mathit", r"\mathrm", r"\mathsf", r"\vec", r"\pmb",
              r"\mathnormal"}
# a different letter: \mathcal{L} is "Lcal"
SEMANTIC_FONTS = {r"\mathcal": "cal", r"\mathscr": "scr", r"\mathfrak": "frak"}
# commands whose argument is a word (an operator name when followed by parentheses)
WORD_CMDS = {r"\operatorname", r"\text", r"\textrm", r"\textit", r"\textnormal", r"\mathrm", r"\mathit",
             r"\mathsf", r"\mathbf"}

# handed to latex2sympy2_extended as they are (\log is rewritten to \ln: natural)
PARSER_FUNCS = {
    r"\sin", r"\cos", r"\tan", r"\sec", r"\csc", r"\cot", r"\arcsin", r"\arccos", r"\arctan",
    r"\sinh", r"\cosh", r"\tanh", r"\exp", r"\ln", r"\log", r"\max", r"\min",
}

SPACES = {r"\,", r"\;", r"\:", r"\!", "\\ ", r"\quad", r"\qquad", r"\displaystyle", r"\textstyle",
          r"\limits", r"\nolimits", r"\enspace", r"\thinspace", r"\medspace", r"\thickspace",
          r"\negthinspace", r"\negmedspace", r"\negthickspace", r"\big", r"\Big", r"\bigg", r"\Bigg"}

# relation token(s) -> sympy class name
RELATIONS = {
    "=": "Eq", "<": "Lt", ">": "Gt", r"\lt": "Lt", r"\gt": "Gt",
    r"\le": "Le", r"\leq": "Le", r"\leqslant": "Le", r"\ge": "Ge", r"\geq": "Ge", r"\geqslant": "Ge",
    r"\ne": "Ne", r"\neq": "Ne",
}

UNSUPPORTED = {
    r"\int": "integrals are not supported", r"\iint": "integrals are not supported",
    r"\oint": "integrals are not supported", r"\lim": "limits are not supported",
    r"\binom": "binomial coefficients are not supported", r"\choose": "binomial coefficients are not supported",
    r"\gcd": r"\gcd is not supported", r"\lcm": r"\lcm is not supported",
    r"\mathbb": r"\mathbb (sets, expectations) is not supported",
    r"\pm": r"\pm stands for two expressions: write one line for each",
    r"\mp": r"\mp stands for two expressions: write one line for each",
    r"\cdots": "an ellipsis cannot be checked: write the sum with \\sum",
    r"\ldots": "an ellipsis cannot be checked: write the sum with \\sum",
    r"\dots": "an ellipsis cannot be checked: write the sum with \\sum",
    r"\dotsb": "an ellipsis cannot be checked: write the sum with \\sum",
    r"\vdots": "an ellipsis cannot be checked", r"\ddots": "an ellipsis cannot be checked",
    r"\approx": "≈ is not a checkable relation", r"\equiv": "≡ is not supported",
    r"\sim": "~ is not a checkable relation", r"\simeq": "≃ is not a checkable relation",
    r"\propto": "∝ is not a checkable relation", r"\to": "→ is not supported",
    r"\rightarrow": "→ is not supported", r"\mapsto": "↦ is not supported",
    r"\in": "∈ is not supported here", r"\notin": "∉ is not supported",
    r"\iff": r"\iff links two lines: put it at the start of a line",
    r"\Leftrightarrow": r"\Leftrightarrow links two lines: put it at the start of a line",
    r"\implies": r"\implies links two lines: put it at the start of a line",
    r"\Rightarrow": r"\Rightarrow links two lines: put it at the start of a line",
    r"\Longrightarrow": r"\Longrightarrow links two lines: put it at the start of a line",
    r"\det": None,  # handled, listed so it is never passed to the parser
    r"\floor": r"use \lfloor x \rfloor", r"\ceil": r"use \lceil x \rceil",
    r"\lfloor": "floor is not supported", r"\lceil": "ceiling is not supported",
    r"\boxed": r"\boxed is not supported", r"\underbrace": r"\underbrace is not supported",
    r"\overbrace": r"\overbrace is not supported", r"\stackrel": r"\stackrel is not supported",
    r"\cup": "set operations are not supported", r"\cap": "set operations are not supported",
    r"\setminus": "set operations are not supported", r"\forall": "quantifiers are not supported",
    r"\exists": "quantifiers are not supported", r"\land": "logic is not supported",
    r"\lor": "logic is not supported", r"\neg": "logic is not supported",
    r"\mod": "modular arithmetic is not supported", r"\bmod": "modular arithmetic is not supported",
    r"\pmod": "modular arithmetic is not supported", r"\degree": "degrees are not supported",
    r"\circ": "composition is not supported", r"\otimes": "⊗ is not supported", r"\odot": "⊙ is not supported",
    r"\oplus": "⊕ is not supported", r"\star": "⋆ is not supported here", r"\ast": None,
}

# single letters that are usually functions: f(x+1) read as a product gets a note
FUNCTION_LIKE = {"f", "g", "h", "F", "G", "H", "sigma", "phi", "varphi", "psi", "ell", "p", "q", "L", "J",
                 "Phi", "Psi"}
