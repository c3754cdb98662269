"""Plots of a derivation's :class:`~symproof.model.Figure` s, with matplotlib when installed.

matplotlib is the optional extra ``symproof[plots]``; without it nothing is
drawn and the sheet says the figure was skipped. Images are written next to
the output (``<stem>.pdf`` for LaTeX, ``<stem>.png`` for Markdown).
"""
from __future__ import annotations

import importlib.util
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

import sympy as sp

from symproof.model.context import Context
from symproof.model.derivation import Figure

__all__ = ["FigureFile", "have_matplotlib", "render_figure", "render_figures", "SKIPPED"]

SKIPPED = "matplotlib is not installed (pip install 'symproof[plots]')"


@dataclass(frozen=True)
class FigureFile:
    """``path`` as written in the sheet (relative to it), or None with ``reason``."""

    path: str | None
    reason: str = ""


def have_matplotlib() -> bool:
    try:
        return importlib.util.find_spec("matplotlib") is not None
    except (ImportError, ValueError):
        return False


def _samples(fig: Figure, context: Context, n: int = 400) -> tuple[list[float], list[float]]:
    expr = context.unfold(fig.expr).doit()
    lo, hi = float(fig.lower), float(fig.upper)
    xs = [lo + (hi - lo) * k / (n - 1) for k in range(n)]
    try:
        f = sp.lambdify(fig.var, expr, modules=["math"])
        ys = []
        for x in xs:
            try:
                y = complex(f(x))
                ys.append(y.real if abs(y.imag) < 1e-12 else float("nan"))
            except (ValueError, ZeroDivisionError, OverflowError):
                ys.append(float("nan"))
    except (TypeError, NameError, SyntaxError, AttributeError):
        ys = []
        for x in xs:
            v = sp.N(expr.subs(fig.var, x))
            ys.append(float(v) if v.is_real else float("nan"))
    return xs, ys


def render_figure(fig: Figure, context: Context, directory: Path, suffix: str = ".pdf",
                  stem_prefix: str = "") -> FigureFile:
    """Draw ``fig`` into ``directory``; the file name is ``stem_prefix + fig.name + suffix``."""
    try:
        import matplotlib

        matplotlib.use("Agg", force=True)
        import matplotlib.pyplot as plt
    except ImportError:
        return FigureFile(None, SKIPPED)
    xs, ys = _samples(fig, context)
    marks = [(float(sp.N(context.unfold(value))), label) for value, label in fig.marks]
    name = f"{stem_prefix}{fig.name}{suffix}"
    with plt.rc_context({"mathtext.fontset": "cm"}):  # $…$ labels in the sheet's Computer Modern
        fig_, ax = plt.subplots(figsize=(5.0, 3.0))
        try:
            ax.plot(xs, ys, color="C0", linewidth=1.6)
            finite = [y for y in ys if y == y and abs(y) != float("inf")] + [y for y, _ in marks]
            if finite:  # room above the top line for its label, so the frame does not cut it
                lo, hi = min(finite), max(finite)
                span = (hi - lo) or 1.0
                ax.set_ylim(lo - 0.06 * span, hi + 0.14 * span)
            for y, label in marks:
                ax.axhline(y, color="0.5", linestyle="--", linewidth=0.9)
                if label:
                    # above the line, at the end of the plot where the curve is farther from it
                    k = max((abs(ys[k] - y) if ys[k] == ys[k] else 0.0, k) for k in (0, -1))[1]
                    ax.annotate(label, xy=(xs[k], y), xytext=(4 if k == 0 else -4, 3),
                                textcoords="offset points", ha="left" if k == 0 else "right", va="bottom",
                                fontsize=9, color="0.3")
            ax.set_xlabel(fig.xlabel or f"${sp.latex(fig.var)}$")
            if fig.ylabel:
                ax.set_ylabel(fig.ylabel)
            ax.grid(True, linewidth=0.3, alpha=0.6)
            fig_.tight_layout()
            directory.mkdir(parents=True, exist_ok=True)
            fig_.savefig(directory / name, dpi=150)
        finally:
            plt.close(fig_)
    return FigureFile(name)


def render_figures(figures: Iterable[Figure], context: Context, directory: Path | None, suffix: str = ".pdf",
                   stem_prefix: str = "") -> dict[str, FigureFile]:
    """Every figure drawn (or the reason it was not), by name."""
    out: dict[str, FigureFile] = {}
    figures = tuple(figures)
    if not figures:
        return out
    if not have_matplotlib():
        return {f.name: FigureFile(None, SKIPPED) for f in figures}
    if directory is None:
        return {f.name: FigureFile(None, "no output directory for images") for f in figures}
    for f in figures:
        out[f.name] = render_figure(f, context, directory, suffix, stem_prefix)
    return out
