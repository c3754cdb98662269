"""The end of the pipeline: sheets as strings, and files chosen by suffix."""
from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path
from typing import Sequence, TextIO

from symproof.check.verdict import Report
from symproof.errors import SymproofError
from symproof.model.derivation import Derivation
from symproof.render.figures import render_figures
from symproof.render.layout import layout
from symproof.render.markdown import derivation_markdown, markdown_document
from symproof.render.summary import summary_markdown, summary_tex
from symproof.render.sheet import derivation_tex, document

__all__ = ["FORMATS", "UnknownFormatError", "check_all", "tex_sheet", "markdown_sheet", "write"]

FORMATS = {".tex": "LaTeX", ".pdf": "PDF", ".md": "Markdown"}


class UnknownFormatError(SymproofError):
    """The output file's suffix names no format symproof writes."""


def check_all(derivations: Sequence[Derivation]) -> list[Report]:
    from symproof.check import check_derivation

    return [check_derivation(d) for d in derivations]


def _reports(derivations: Sequence[Derivation], marks: bool | Sequence[Report]) -> list[Report | None]:
    if marks is True:
        return list(check_all(derivations))
    if marks:
        return list(marks)  # reports computed by the caller
    return [None] * len(derivations)


def tex_sheet(derivations: Sequence[Derivation], marks: bool | Sequence[Report] = False,
              figure_dir: Path | None = None, summary: Sequence[Report] | None = None) -> str:
    """A complete LaTeX document; figures drawn into ``figure_dir`` (``<name>.pdf``).

    With ``summary`` (the reports of ``derivations``) the sheet opens with a
    table of contents and closes with a table of every verdict."""
    snippets = []
    reports = _reports(derivations, marks)
    for d, r in zip(derivations, reports):
        figs = render_figures(d.figures, d.context, figure_dir, ".pdf")
        snippets.append(derivation_tex(layout(d, r), figs))
    tail = summary_tex(derivations, summary) if summary is not None else ""
    return document(snippets, marked=any(r is not None for r in reports), contents=summary is not None,
                    tail=tail)


def markdown_sheet(derivations: Sequence[Derivation], marks: bool | Sequence[Report] = False,
                   figure_dir: Path | None = None, summary: Sequence[Report] | None = None) -> str:
    """A Markdown document; figures drawn into ``figure_dir`` (``<name>.png``)."""
    snippets = []
    for d, r in zip(derivations, _reports(derivations, marks)):
        figs = render_figures(d.figures, d.context, figure_dir, ".png")
        snippets.append(derivation_markdown(layout(d, r), figs))
    if summary is not None:
        snippets.append(summary_markdown(derivations, summary))
    return markdown_document(snippets)


def format_of(output: Path) -> str:
    suffix = output.suffix.lower()
    if suffix not in FORMATS:
        known = ", ".join(FORMATS)
        raise UnknownFormatError(f"{output}: unknown output format {suffix or '(no suffix)'!r}; use {known}")
    return suffix


def write(derivations: Sequence[Derivation], output: Path | None, marks: bool = False,
          stdout: TextIO | None = None, summary: bool = False) -> Path | None:
    """Render to ``output`` by its suffix (``.tex``, ``.md``, ``.pdf``), or LaTeX
    to ``stdout`` when ``output`` is None (figures then go to the current directory).

    ``summary``: check everything, open with a table of contents and close
    with the table of verdicts (the instructor's complete sheet)."""
    checked = check_all(derivations) if (marks or summary) else None
    reports: bool | list[Report] = checked if marks else False
    table = checked if summary else None
    if output is None:
        (stdout or sys.stdout).write(tex_sheet(derivations, reports, Path.cwd(), table))
        return None
    suffix = format_of(output)
    if suffix == ".tex":
        text = tex_sheet(derivations, reports, output.parent, table)
    elif suffix == ".md":
        text = markdown_sheet(derivations, reports, output.parent, table)
    else:
        from symproof.render.pdf import compile_pdf, find_engine

        find_engine()  # no TeX engine: fail before any work
        with tempfile.TemporaryDirectory(prefix="symproof-fig-") as figdir:
            tex = tex_sheet(derivations, reports, Path(figdir), table)

            def copy_figures(tmpdir: Path) -> None:
                for f in Path(figdir).iterdir():
                    shutil.copyfile(f, tmpdir / f.name)

            compile_pdf(tex, output, prepare=copy_figures)
        return output
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(text, encoding="utf-8")
    return output
