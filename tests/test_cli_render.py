"""``symproof render``: formats by suffix, stdout, --marks, exit status 2 on bad input."""
from __future__ import annotations

import shutil
import subprocess
import sys

import pytest
import sympy as sp

from symproof import registry
from symproof.cli import main
from symproof.model import Context, Derivation, Start, Step
from symproof.render import pdf


def run(*args: str, cwd=None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "symproof", *args], capture_output=True, text=True,
                          timeout=300, cwd=cwd)


def test_render_one_name_to_tex(tmp_path, capsys):
    out = tmp_path / "sheet.tex"
    assert main(["render", "softmax_jacobian", "-o", str(out)]) == 0
    tex = out.read_text()
    assert tex.startswith(r"\documentclass") and tex.rstrip().endswith(r"\end{document}")
    assert "Jacobian of the softmax" in tex and "Gaussian" not in tex
    assert str(out) in capsys.readouterr().err


def test_render_several_names_in_the_given_order(tmp_path):
    out = tmp_path / "two.tex"
    assert main(["render", "exponential_rate_mle", "gaussian_mean_mle", "-o", str(out)]) == 0
    tex = out.read_text()
    a = tex.index(registry.get("exponential_rate_mle").title)
    b = tex.index(registry.get("gaussian_mean_mle").title)
    assert a < b and tex.count(r"\section*") == 2


def test_without_output_the_tex_goes_to_stdout(capsys):
    assert main(["render", "distance_dot_product"]) == 0
    captured = capsys.readouterr()
    assert captured.out.startswith(r"\documentclass") and "Distance and dot product" in captured.out
    assert captured.err == ""


def test_render_all_to_markdown(tmp_path):
    out = tmp_path / "sheet.md"
    assert main(["render", "--all", "-o", str(out)]) == 0
    md = out.read_text()
    assert md.count("$$") % 2 == 0
    for d in registry.all_derivations():
        assert f"## {d.title}" in md


@pytest.mark.skipif(shutil.which("pdflatex") is None, reason="needs pdflatex")
def test_render_all_to_pdf(tmp_path):
    r = run("render", "--all", "-o", str(tmp_path / "out" / "sheet.pdf"))
    assert r.returncode == 0, r.stderr
    assert (tmp_path / "out" / "sheet.pdf").read_bytes().startswith(b"%PDF")
    assert not list((tmp_path / "out").glob("*.aux")), "TeX's files stay in the temporary directory"


@pytest.mark.parametrize("args, fragment", [
    (("render", "no_such_derivation"), "no_such_derivation"),
    (("render", "--all", "-o", "sheet.docx"), "unknown output format '.docx'"),
    (("render",), "--all"),
    (("render", "softmax_jacobian", "--all"), "not both"),
])
def test_bad_input_is_exit_2_one_line_no_traceback(tmp_path, args, fragment):
    r = run(*args, cwd=tmp_path)
    assert r.returncode == 2
    assert r.stdout == ""
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and fragment in lines[0], r.stderr
    assert "Traceback" not in r.stderr
    assert not list(tmp_path.iterdir()), "nothing written on bad input"


def test_no_tex_engine_is_exit_2_naming_the_packages(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(pdf.shutil, "which", lambda name: None)
    assert main(["render", "softmax_jacobian", "-o", str(tmp_path / "s.pdf")]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1
    assert "texlive-latex-base texlive-latex-recommended latexmk" in err
    assert not (tmp_path / "s.pdf").exists()


def _wrong() -> Derivation:
    x = sp.Symbol("x", real=True)
    return Derivation(name="wrong", title="A wrong step", statement="", context=Context(),
                      lines=(Start(x**2, "start", lhs="f(x)"), Step("=", x * x, "fine"),
                             Step("=", 2 * x, "wrong")))


def test_marks_put_the_verdict_on_every_line_and_a_counterexample_under_a_wrong_one(monkeypatch, tmp_path):
    monkeypatch.setattr(registry, "names", lambda: ("wrong",))
    monkeypatch.setattr(registry, "get", lambda name: _wrong())
    out = tmp_path / "marked.tex"
    assert main(["render", "--all", "--marks", "-o", str(out)]) == 0
    rows = out.read_text().splitlines()
    fine = next(r for r in rows if r"\text{fine}" in r)
    wrong = next(k for k, r in enumerate(rows) if r"\text{wrong}" in r)
    assert r"\checkmark\ \text{proved}" in fine
    assert r"\times\ \text{refuted}" in rows[wrong]
    assert "counterexample: $" in rows[wrong + 1]


def test_without_marks_nothing_is_checked(monkeypatch, tmp_path):
    import symproof.check as check

    def no_check(*args, **kwargs):
        raise AssertionError("render without --marks must not check")

    monkeypatch.setattr(check, "check_derivation", no_check)
    assert main(["render", "softmax_jacobian", "-o", str(tmp_path / "s.tex")]) == 0
    assert r"\text{proved}" not in (tmp_path / "s.tex").read_text()
