"""PDF through a real TeX engine: ``latexmk -pdf``, else ``pdflatex``, in a temporary directory."""
from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Callable

from symproof.errors import SymproofError

__all__ = ["TexNotFoundError", "TexCompileError", "find_engine", "compile_pdf", "DEBIAN_PACKAGES"]

DEBIAN_PACKAGES = "texlive-latex-base texlive-latex-recommended latexmk"


class TexNotFoundError(SymproofError):
    """Neither ``latexmk`` nor ``pdflatex`` is on PATH."""


class TexCompileError(SymproofError):
    """The TeX engine ran and failed; the message quotes its first error."""


def find_engine() -> list[str]:
    """The command that turns ``sheet.tex`` into ``sheet.pdf``."""
    if shutil.which("latexmk") and shutil.which("pdflatex"):
        return ["latexmk", "-pdf", "-interaction=nonstopmode", "-halt-on-error", "-file-line-error"]
    if shutil.which("pdflatex"):
        return ["pdflatex", "-interaction=nonstopmode", "-halt-on-error", "-file-line-error"]
    raise TexNotFoundError(
        "PDF output needs a TeX engine (latexmk or pdflatex) and none is installed; "
        f"on Debian/Ubuntu: apt-get install {DEBIAN_PACKAGES} "
        "(or write .tex and compile it elsewhere)"
    )


def _first_error(log: str) -> str:
    m = re.search(r"^(?:\S+:\d+: |! )(.*)$", log, re.MULTILINE)
    return m.group(1).strip() if m else "see the TeX log"


def compile_pdf(tex: str, output: Path, prepare: Callable[[Path], None] | None = None,
                timeout: float = 180.0) -> str:
    """Compile ``tex`` in a temporary directory and copy the PDF to ``output``.

    ``prepare(tmpdir)`` may write extra files (figures) next to the source
    first. Returns the TeX log (tests read it for overfull boxes); raises
    :class:`TexCompileError` quoting the first error on failure.
    """
    engine = find_engine()
    with tempfile.TemporaryDirectory(prefix="symproof-tex-") as tmp:
        tmpdir = Path(tmp)
        (tmpdir / "sheet.tex").write_text(tex, encoding="utf-8")
        if prepare is not None:
            prepare(tmpdir)
        runs = 1 if engine[0] == "latexmk" else 2
        for _ in range(runs):
            try:
                proc = subprocess.run(engine + ["sheet.tex"], cwd=tmpdir, capture_output=True, text=True,
                                      timeout=timeout, stdin=subprocess.DEVNULL)
            except subprocess.TimeoutExpired as exc:
                raise TexCompileError(f"{engine[0]} did not finish within {timeout:.0f} s") from exc
            pdf = tmpdir / "sheet.pdf"
            if proc.returncode != 0 or not pdf.exists():
                log_file = tmpdir / "sheet.log"
                log = log_file.read_text(errors="replace") if log_file.exists() else proc.stdout
                raise TexCompileError(f"{engine[0]} failed: {_first_error(log)}")
        output.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(tmpdir / "sheet.pdf", output)
        log_file = tmpdir / "sheet.log"
        return log_file.read_text(errors="replace") if log_file.exists() else ""
