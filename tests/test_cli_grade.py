"""``symproof grade FILE [--context NAME] [--json]``: exit statuses, JSON, bad input (DESIGN.md)."""
from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from symproof.cli import main

GOOD = r"""% a correct chain
\begin{align*}
(a+b)^2 &= (a+b)(a+b) \\
&= a^2 + 2ab + b^2
\end{align*}
"""

SLIP = r"""(x+1)^2
= x^2 + 1 \quad\text{square each term}
= 1 + x^2

x^2 = x
\iff x = 1
"""

SEVERAL = r"""x^2 - 1
= (x-1)(x+1)

y
= \frac{1}{
= y

e^{a+b}
= e^a + e^b
"""

MLE = r"""\frac{\partial}{\partial \mu}\left(-\frac{1}{2\sigma^2}\sum_{i=1}^{N}(x_i-\mu)^2\right)
= \frac{1}{\sigma^2}\sum_{i=1}^{N}(x_i - \mu)
= \frac{1}{\sigma^2}\left(\sum_{i=1}^{N} x_i - N\mu\right)

\frac{1}{\sigma^2}\left(\sum_{i=1}^{N} x_i - N\hat\mu\right) = 0
\iff \hat\mu = \frac{1}{N}\sum_{i=1}^{N} x_i

\sqrt{\sigma^2}
= \sigma
"""

LOCATION = re.compile(r"^symproof: (error: )?(?P<file>[^:]+):(?P<line>\d+):(?P<col>\d+): \S")


def write(tmp_path: Path, text: str | bytes, name: str = "hw.tex") -> Path:
    p = tmp_path / name
    if isinstance(text, bytes):
        p.write_bytes(text)
    else:
        p.write_text(text, encoding="utf-8")
    return p


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "symproof", *args], capture_output=True, text=True, timeout=300)


def grade_json(capsys, *args) -> tuple[int, dict, str]:
    code = main(["grade", *map(str, args), "--json"])
    captured = capsys.readouterr()
    return code, json.loads(captured.out), captured.err


# -- exit statuses -------------------------------------------------------------
def test_exit_0_when_every_step_holds(tmp_path, capsys):
    assert main(["grade", str(write(tmp_path, GOOD))]) == 0
    out = capsys.readouterr().out
    assert "line   3   =  proved" in out and "line   4   =  proved" in out
    assert "0 refuted" in out and "\033[" not in out


def test_exit_1_when_a_step_is_refuted(tmp_path, capsys):
    assert main(["grade", str(write(tmp_path, SLIP))]) == 1
    out = capsys.readouterr().out
    assert "line   2   =  refuted" in out and "line   3   =  proved" in out
    assert "x = 0 solves the previous line but not this line" in out
    assert "compared: (x+1)^2  =  x^2 + 1" in out


def test_exit_2_for_an_unreadable_line(tmp_path, capsys):
    path = write(tmp_path, SEVERAL)
    assert main(["grade", str(path)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err == [f"symproof: {path}:5:11: cannot read this LaTeX: unbalanced braces: {{ is never closed"]


# -- JSON ------------------------------------------------------------------------
def test_json_one_part_per_chain_with_file_line_numbers(tmp_path, capsys):
    code, doc, _ = grade_json(capsys, write(tmp_path, SLIP))
    assert code == 1 and doc["ok"] is False
    assert [[s["line"] for s in p["steps"]] for p in doc["parts"]] == [[2, 3], [6]]  # first lines: no entry
    first, second = doc["parts"][0]["steps"]
    assert first["relation"] == "=" and first["status"] == "refuted" and first["method"] == "numeric-screen"
    assert isinstance(first["seconds"], float) and isinstance(first["notes"], list)
    assert set(first["counterexample"]) == {"x"} and set(first["values"]) == {"left", "right"}
    assert second["status"] == "proved"
    [iff] = doc["parts"][1]["steps"]
    assert iff["relation"] == "<=>" and iff["status"] == "refuted" and iff["counterexample"]["x"] == "0"


def test_json_for_a_correct_file(tmp_path, capsys):
    code, doc, err = grade_json(capsys, write(tmp_path, GOOD))
    assert code == 0 and doc["ok"] is True and err == ""
    [part] = doc["parts"]
    # `(a+b)^2 &= (a+b)(a+b)` claims an equation of its own: it is a step on its own line
    assert [(s["line"], s["status"]) for s in part["steps"]] == [(3, "proved"), (4, "proved")]


def test_several_chains_are_graded_and_the_bad_line_is_an_error_in_json(tmp_path, capsys):
    code, doc, err = grade_json(capsys, write(tmp_path, SEVERAL))
    assert code == 2 and doc["ok"] is False
    assert len(doc["parts"]) == 3
    by_line = {s["line"]: s for p in doc["parts"] for s in p["steps"]}
    assert by_line[2]["status"] == "proved"
    assert by_line[5]["status"] == "error" and by_line[5]["column"] == 11 and "unbalanced" in by_line[5]["message"]
    assert by_line[6]["status"] == "unknown"       # nothing readable before it
    assert by_line[9]["status"] == "refuted"       # e^{a+b} = e^a + e^b
    assert [e["line"] for e in doc["errors"]] == [5]
    assert len(err.strip().splitlines()) == 1


def test_context_lets_a_student_use_the_derivations_names(tmp_path, capsys):
    path = write(tmp_path, MLE)
    code, doc, err = grade_json(capsys, path, "--context", "gaussian_mean_mle")
    assert code == 0 and err == "", doc
    statuses = {s["line"]: s["status"] for p in doc["parts"] for s in p["steps"]}
    assert statuses == {2: "proved", 3: "proved", 6: "proved", 9: "proved"}
    # without the context, sigma is any real number: sqrt(sigma^2) = sigma fails at sigma < 0
    code, doc, _ = grade_json(capsys, path)
    assert code == 1
    [last] = doc["parts"][-1]["steps"]
    assert last["status"] == "refuted" and last["counterexample"]["sigma"].startswith("-")


def test_context_declared_in_the_file(tmp_path, capsys):
    path = write(tmp_path, "% symproof: context gaussian_mean_mle\n" + MLE)
    code, doc, _ = grade_json(capsys, path)
    assert code == 0


# -- bad input: one clear message, exit 2, no traceback ----------------------------
def test_missing_file(tmp_path):
    r = run("grade", str(tmp_path / "nope.tex"))
    assert r.returncode == 2 and r.stdout == "" and "Traceback" not in r.stderr
    [line] = r.stderr.strip().splitlines()
    assert "nope.tex" in line and "No such file" in line


def test_a_directory_without_submissions(tmp_path):
    (tmp_path / "empty_class").mkdir()
    r = run("grade", str(tmp_path / "empty_class"))
    assert r.returncode == 2 and "Traceback" not in r.stderr
    [line] = r.stderr.strip().splitlines()
    assert "empty_class" in line and "no submissions" in line


@pytest.mark.parametrize("content, where, what", [
    ("", (1, 1), "the file is empty"),
    ("\n  \n\n", (1, 1), "the file is empty"),
    ("x\n= x\n\x00\x01ELF", (3, 1), "NUL byte"),
    (b"x\n= x\ny\xff\n", (3, 2), "not UTF-8"),
])
def test_unreadable_files(tmp_path, capsys, content, where, what):
    path = write(tmp_path, content if isinstance(content, bytes) else content.encode("utf-8"))
    assert main(["grade", str(path)]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    [line] = captured.err.strip().splitlines()
    m = LOCATION.match(line)
    assert m and (int(m["line"]), int(m["col"])) == where and what in line, line


@pytest.mark.parametrize("text, where, what", [
    ("x + 1\n= \\frac{x}{\n", (2, 11), "unbalanced braces"),
    ("x + 1\n= x \\int_0^1 t\n", (2, 5), "integrals are not supported"),
    ("x\n= x\n\n1 + 2 + \\dots + n\n", (4, 9), "ellipsis"),
    ("% symproof: frobnicate x\nx\n= x\n", (1, 13), "unknown declaration 'frobnicate'"),
    ("% symproof: context no_such_derivation\nx\n= x\n", (1, 13), "no_such_derivation"),
    ("% symproof: assume x >\nx\n= x\n", (1, 22), ""),
    ("x\n  y\n", (2, 3), "expected a relation"),
])
def test_bad_lines_name_file_line_and_column(tmp_path, capsys, text, where, what):
    path = write(tmp_path, text)
    assert main(["grade", str(path)]) == 2
    [line] = capsys.readouterr().err.strip().splitlines()
    m = LOCATION.match(line)
    assert m and m["file"] == str(path), line
    assert (int(m["line"]), int(m["col"])) == where and what in line, line


def test_unknown_context_on_the_command_line(tmp_path):
    r = run("grade", str(write(tmp_path, "x\n= x\n")), "--context", "no_such_derivation")
    assert r.returncode == 2 and r.stdout == "" and "Traceback" not in r.stderr
    [line] = r.stderr.strip().splitlines()
    assert "no_such_derivation" in line and "symproof list" in line


def test_bad_input_never_shows_a_traceback(tmp_path):
    path = write(tmp_path, "% symproof: vector v: d\n\\|v\\|^2\n= v^T v^T\n\n\\frac{1}{0}\n= 1\n\nx^{2^{3^{4^{5^{6^{7}}}}}}\n= x\n")
    r = run("grade", str(path), "--json")
    assert r.returncode == 2 and "Traceback" not in r.stderr
    doc = json.loads(r.stdout)
    assert {e["line"] for e in doc["errors"]} <= {3, 5, 8}
    for line in r.stderr.strip().splitlines():
        assert LOCATION.match(line), line
