"""PDF through a real TeX engine (``.ci/run`` installs TeX Live and poppler).

Skipped only where pdflatex is not installed at all.
"""
from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from symproof import registry
from symproof.render import pdf
from symproof.render.write import tex_sheet

needs_tex = pytest.mark.skipif(shutil.which("pdflatex") is None or shutil.which("pdftotext") is None,
                               reason="needs pdflatex and pdftotext (apt-get install texlive-latex-base "
                                      "texlive-latex-recommended latexmk poppler-utils)")

# a formula from each derivation's rows (not its statement), as pdftotext
# writes it with all white space removed
FORMULAS = {
    "gd_step_size": "=361w2>L1(w)",
    "gd_line_search": "=L(x−aϵx,y−bϵy)",
    "weights_and_tanh": "=n0n1+n1n2+n2n3+n3n4",
    "output_activations": "=σ(z1−z2)",
    "gd_step": "=x−ϵ(2x+2y)",
    "gaussian_mean_mle": "⇐⇒Nµ̂=",
    "recurrence_chain_rule": "=f(f(xt,yt),g(xt,yt))",
    "product_neuron": "=δx2",
    "softmax_jacobian": "=δijoi−oioj",
    "sgd_step": "=x−η(x−4)",
    "distance_dot_product": "=r1⊤r1−r1⊤r2−r2⊤r1+r2⊤r2",
    "label_smoothing": "(1+e−z)(9+e−z)<0",
    "exact_line_search": "=⇒−b2yk2(1−αb)−x2k(1−α)=0",
    "hessian_quadratic_forms": "∇2g(θ)=X⊤X",
    "exponential_rate_mle": "=nlogλ−λ",
}


def _pdflatex_only(monkeypatch):
    real = shutil.which
    monkeypatch.setattr(pdf.shutil, "which", lambda name: None if name == "latexmk" else real(name))


@pytest.fixture(scope="module")
def compiled(tmp_path_factory):
    """The --all sheet compiled with pdflatex (not latexmk): (pdf path, log, text)."""
    if shutil.which("pdflatex") is None or shutil.which("pdftotext") is None:
        pytest.skip("needs pdflatex and pdftotext")
    out = tmp_path_factory.mktemp("pdf") / "sheet.pdf"
    mp = pytest.MonkeyPatch()
    try:
        _pdflatex_only(mp)
        assert pdf.find_engine()[0] == "pdflatex"
        log = pdf.compile_pdf(tex_sheet(registry.all_derivations()), out)
    finally:
        mp.undo()
    text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True, check=True).stdout
    return out, log, text


@needs_tex
def test_every_derivation_has_a_formula_entry():
    assert set(FORMULAS) == set(registry.names())


@needs_tex
@pytest.mark.parametrize("name", registry.names())
def test_pdf_contains_title_and_a_formula(compiled, name):
    _, _, text = compiled
    d = registry.get(name)
    flat = " ".join(text.split())
    assert d.title in flat
    # the formula is searched in this derivation's own section only
    titles = [registry.get(n).title for n in registry.names()]
    start = flat.index(d.title)
    later = [flat.index(t) for t in titles if flat.index(t) > start]
    section = "".join(flat[start:min(later) if later else None].split())
    assert FORMULAS[name] in section, f"{name}: {FORMULAS[name]!r} not in {section[:400]!r}"


@needs_tex
def test_no_overfull_lines_and_no_errors(compiled):
    path, log, _ = compiled
    assert path.read_bytes().startswith(b"%PDF")
    overfull = [line for line in log.splitlines() if line.startswith("Overfull")]
    assert not overfull, overfull
    assert "LaTeX Warning" not in log or "Rerun" in log


@needs_tex
def test_latexmk_is_preferred_and_a_tex_error_is_one_message(tmp_path):
    if shutil.which("latexmk"):
        assert pdf.find_engine()[0] == "latexmk"
    bad = "\\documentclass{article}\\begin{document}\\undefinedmacro\\end{document}\n"
    with pytest.raises(pdf.TexCompileError, match="Undefined control sequence"):
        pdf.compile_pdf(bad, tmp_path / "bad.pdf")
    assert not (tmp_path / "bad.pdf").exists()


def test_without_a_tex_engine_the_error_names_the_debian_packages(monkeypatch):
    monkeypatch.setattr(pdf.shutil, "which", lambda name: None)
    with pytest.raises(pdf.TexNotFoundError) as err:
        pdf.find_engine()
    message = str(err.value)
    for package in ("texlive-latex-base", "texlive-latex-recommended", "latexmk"):
        assert package in message
    assert "\n" not in message


@needs_tex
def test_the_complete_marked_sheet_has_no_overfull_lines(tmp_path):
    """``render --all --marks``: every derivation with its verdict column, the
    table of contents and the closing table of verdicts."""
    from symproof.render.summary import problem_key
    from symproof.render.write import check_all

    ds = sorted(registry.all_derivations(), key=problem_key)
    reports = check_all(ds)
    figures = tmp_path / "figures"
    tex = tex_sheet(ds, reports, figures, summary=reports)

    def copy_figures(tmpdir):
        for f in figures.glob("*"):
            shutil.copyfile(f, tmpdir / f.name)

    log = pdf.compile_pdf(tex, tmp_path / "all.pdf", prepare=copy_figures)
    assert not [line for line in log.splitlines() if line.startswith("Overfull")]


@needs_tex
def test_marked_pdf_compiles_without_overfull_lines(tmp_path):
    from symproof.render.write import check_all

    ds = [registry.get("hessian_quadratic_forms"), registry.get("distance_dot_product")]
    log = pdf.compile_pdf(tex_sheet(ds, check_all(ds)), tmp_path / "marked.pdf")
    assert not [line for line in log.splitlines() if line.startswith("Overfull")]
    assert re.search(rb"%PDF", (tmp_path / "marked.pdf").read_bytes()[:8])
