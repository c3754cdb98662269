"""``symproof render NAME --set KEY=LATEX``: template variants, and bad values exit 2 with one line."""
from __future__ import annotations

import shutil
import subprocess
import sys

import pytest
import sympy as sp

from symproof import registry
from symproof.check import Status, check_derivation
from symproof.cli import main
from symproof.cli.render import _tuple_parts

x, y = sp.symbols("x y", real=True)


def run(*args: str, cwd=None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "symproof", *args], capture_output=True, text=True,
                          timeout=300, cwd=cwd)


def test_the_sheet_instance_is_the_default():
    d = registry.get("gd_step")
    values = [line.expr for line in d.lines]
    assert {sp.Integer(4), sp.Integer(8), sp.Rational(2499, 2500), sp.Rational(1249, 1250)} <= set(values)
    assert "illegible" in d.statement and "x^{2} + 2 x y + 3 y^{2}" in d.statement
    assert "(0.9996, 0.9992)" in d.notes[0] and r"\nabla f = (4, 8)" in d.notes[0]


def test_variant_to_tex_uses_the_values_given(tmp_path):
    out = tmp_path / "variant.tex"
    assert main(["render", "gd_step", "--set", r"f=x^3 + \sin(y)", "--set", "start=(2, -1)",
                 "--set", "step=0.5", "-o", str(out)]) == 0
    tex = out.read_text()
    assert r"f(x, y) = x^{3} + \sin{\left(y \right)}" in tex
    assert "illegible" in tex and r"\epsilon = 0.5" in tex
    assert r"(x_1, y_1) = (-4, -1 - \frac{\cos{\left(1 \right)}}{2})" in tex  # x_1 = 2 - 0.5 * 12


def test_a_variant_is_checked_like_the_instance():
    from symproof.cli.render import _value

    ctx = registry.get("gd_step").context
    params = {"f": _value("f", r"x^3 + \sin(y) + 2xy", ctx), "start": _value("start", r"(2, \frac{1}{2})", ctx),
              "step": _value("step", "0.01", ctx)}
    assert params["f"] == x**3 + sp.sin(y) + 2 * x * y  # x, y are the template's symbols
    assert params["start"] == (2, sp.Rational(1, 2)) and params["step"] == sp.Rational(1, 100)
    report = check_derivation(registry.get("gd_step", params))
    assert all(v.status is Status.PROVED for v in report.verdicts), [(v.line, v.status, v.message) for v in report.verdicts]


@pytest.mark.skipif(shutil.which("pdflatex") is None, reason="needs pdflatex")
def test_variant_pdf_from_the_command_line(tmp_path):
    r = run("render", "gd_step", "--set", "f=x^2 + 3y^2 + 2xy", "--set", "start=(1,1)", "-o", "variant.pdf",
            cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert (tmp_path / "variant.pdf").read_bytes().startswith(b"%PDF")


@pytest.mark.parametrize("settings, fragment", [
    (["f"], "expected KEY=LATEX"),
    (["=x"], "expected KEY=LATEX"),
    (["g=x"], "gd_step takes f, start, step"),
    (["f=x^^2"], "cannot read 'x^^2'"),
    ([r"f=\frac{x}{"], "unbalanced braces"),
    (["start=(1,2,3)"], "start must have 2 coordinates"),
    (["start=1"], "start must be a point"),
    (["start=(1,)"], "a coordinate of the tuple is empty"),
    (["f=(x, y)"], "f must be one expression"),
    (["f=x = 2"], "give a value, not a relation"),
    (["step=0"], "step size must be positive"),
    (["f=x", "f=y"], "given twice"),
    ([""], "expected KEY=LATEX"),
])
def test_bad_set_is_exit_2_with_one_line(tmp_path, capsys, settings, fragment):
    args = ["render", "gd_step"]
    for s in settings:
        args += ["--set", s]
    assert main(args + ["-o", str(tmp_path / "bad.pdf")]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and fragment in err[0], err
    assert not list(tmp_path.iterdir()), "nothing written on bad input"


@pytest.mark.parametrize("names, fragment", [
    (["softmax_jacobian"], "softmax_jacobian is not a template"),
    (["--all"], "exactly one template NAME, not --all"),
    (["gd_step", "weights_and_tanh"], "exactly one template NAME"),
    (["no_such_template"], "no derivation named 'no_such_template'"),
])
def test_set_needs_one_named_template(tmp_path, capsys, names, fragment):
    assert main(["render", *names, "--set", "f=x", "-o", str(tmp_path / "bad.tex")]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and fragment in err[0], err
    assert not list(tmp_path.iterdir())


def test_bad_set_from_the_command_line_has_no_traceback(tmp_path):
    r = run("render", "gd_step", "--set", "start=(1, 2, 3)", "-o", "bad.pdf", cwd=tmp_path)
    assert r.returncode == 2 and r.stdout == ""
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and "start must have 2 coordinates" in lines[0] and "Traceback" not in r.stderr
    assert not list(tmp_path.iterdir())


@pytest.mark.parametrize("text, parts", [
    ("(1,1)", ["1", "1"]),
    (r" (\frac{1}{2}, f(x, y)) ", [r"\frac{1}{2}", " f(x, y)"]),
    ("(x + 1)", None),
    ("(a)(b, c)", None),
    ("x, y", None),
    ("(1, 2, 3)", ["1", " 2", " 3"]),
])
def test_tuple_parts_split_at_top_level_commas(text, parts):
    got = _tuple_parts(text)
    assert (None if got is None else [p for _, p in got]) == parts
    for offset, part in got or []:
        assert text[offset:offset + len(part)] == part  # offsets point into the text as given
