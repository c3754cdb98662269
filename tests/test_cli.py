"""The command line contract: list, check, --json, exit statuses 0/1/2."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest
import sympy as sp

from symproof import registry
from symproof.check.engine import step_pairs
from symproof.cli import main
from symproof.model import Context, Derivation, Start, Step


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "symproof", *args], capture_output=True, text=True, timeout=300)


def test_list_shows_every_registered_derivation(capsys):
    assert main(["list"]) == 0
    out = capsys.readouterr().out
    for name in registry.names():
        d = registry.get(name)
        line = next(l for l in out.splitlines() if l.startswith(name + " "))
        assert f"{len(d.steps)} steps" in line and d.title in line


def test_check_one_name_human_output(capsys):
    assert main(["check", "exponential_rate_mle"]) == 0
    out = capsys.readouterr().out
    d = registry.get("exponential_rate_mle")
    step_lines = [l for l in out.splitlines() if l.strip().startswith("line")]
    assert len(step_lines) == len(d.steps)
    assert all("proved" in l and l.rstrip().endswith("s") for l in step_lines)
    assert "\033[" not in out  # no colour when not on a terminal
    assert "1 derivations" in out and "0 refuted, 0 unknown" in out


def test_check_json_contract(capsys):
    assert main(["check", "softmax_jacobian", "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["ok"] is True
    (part,) = doc["parts"]
    assert part["name"] == "softmax_jacobian"
    positions = [pos for pos, *_ in step_pairs(registry.get("softmax_jacobian"))]
    assert [s["line"] for s in part["steps"]] == positions
    for s in part["steps"]:
        assert set(s) >= {"line", "relation", "status", "method", "seconds", "message", "notes"}
        assert s["status"] == "proved" and isinstance(s["seconds"], float)


def test_unknown_name_is_exit_2_one_line_no_traceback():
    r = run("check", "no_such_derivation")
    assert r.returncode == 2
    assert r.stdout == ""
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and "no_such_derivation" in lines[0]
    assert "Traceback" not in r.stderr


def test_bad_arguments_are_exit_2_without_traceback():
    r = run("frobnicate")
    assert r.returncode == 2 and "Traceback" not in r.stderr and r.stderr.strip()


def _wrong() -> Derivation:
    x = sp.Symbol("x", real=True)
    return Derivation(
        name="wrong", title="A wrong step", statement="", context=Context(),
        lines=(Start(x**2, "start"), Step("=", x**2 + 0, "fine"), Step("=", 2 * x, "wrong")),
    )


def test_a_refuted_step_is_exit_1_with_counterexample(monkeypatch, capsys):
    monkeypatch.setattr(registry, "names", lambda: ("wrong",))
    monkeypatch.setattr(registry, "get", lambda name: _wrong())
    assert main(["check", "--json"]) == 1
    doc = json.loads(capsys.readouterr().out)
    assert doc["ok"] is False
    bad = doc["parts"][0]["steps"][1]
    assert bad["line"] == 3 and bad["status"] == "refuted" and "x" in bad["counterexample"]
    assert main(["check"]) == 1
    out = capsys.readouterr().out
    assert "refuted" in out and "fails at x =" in out


def test_check_all_from_a_fresh_process_is_exit_0():
    r = run("check")
    assert r.returncode == 0, r.stdout[-2000:] + r.stderr[-2000:]
    assert f"{len(registry.names())} derivations" in r.stdout
