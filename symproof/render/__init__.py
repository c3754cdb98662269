"""Solution sheets: LaTeX, PDF through a real TeX engine, Markdown, Jupyter.

The pipeline, one module each:

- ``printer``  — the notation profile, a ``LatexPrinter`` subclass;
- ``text``     — justification text with ``$…$`` math; widths of printed math;
- ``layout``   — a derivation as blocks of rows (long lines broken) and conclusions;
- ``sheet``    — LaTeX: ``alignat*`` blocks, boxed results, the ``article`` document;
- ``markdown`` — ``$$`` blocks for GitHub and Jupyter;
- ``figures``  — plots with matplotlib (optional extra ``symproof[plots]``);
- ``pdf``      — ``latexmk -pdf`` (or ``pdflatex``) in a temporary directory;
- ``jupyter``  — ``_repr_latex_``/``_repr_html_`` that never raise;
- ``write``    — strings and files by suffix (``.tex``, ``.md``, ``.pdf``).

Names are imported on first use, so ``Derivation._repr_latex_`` pays only for
what it needs.
"""
from __future__ import annotations

from symproof._lazy import lazy


_EXPORTS = {
    "latex": "symproof.render.printer",
    "SheetPrinter": "symproof.render.printer",
    "layout": "symproof.render.layout",
    "tex_sheet": "symproof.render.write",
    "markdown_sheet": "symproof.render.write",
    "write": "symproof.render.write",
    "UnknownFormatError": "symproof.render.write",
    "compile_pdf": "symproof.render.pdf",
    "TexNotFoundError": "symproof.render.pdf",
    "TexCompileError": "symproof.render.pdf",
}

__all__ = sorted(_EXPORTS)


__getattr__, __dir__ = lazy(__name__, globals(), _EXPORTS)