"""symproof.pytest_plugin, run in-process through pytester."""
from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
import sympy  # noqa: F401  -- imported here so the in-process runs below do not re-import it

import symproof.pytest_plugin
from symproof import Context, Derivation, Start, Step, check_derivation

pytest_plugins = ["pytester"]

HEADER = """
import sympy as sp
from symproof import Context, Derivation, Start, Step
from symproof.claims import ArgMax
x = sp.Symbol("x", real=True)
"""
GOOD = HEADER + """
good = Derivation("good", "t", "", Context(), (Start(x + x), Step("=", 2*x), Start(x*x), Step("=", x**2)),
                  claims=(ArgMax(-x**2, x, sp.S.Zero),))

def test_plain():
    pass
"""
BAD = HEADER + """
bad = Derivation("bad", "t", "", Context(), (Start(x**2), Step("=", 2*x)))
"""


@pytest.fixture
def pytester(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> pytest.Pytester:
    # in-process runs drop the modules they import, so hypothesis' plugin would be re-imported (~1 s) by
    # every run; set after pytester's own set-up, which clears PYTEST_ADDOPTS
    monkeypatch.setenv("PYTEST_ADDOPTS", "-p no:hypothesispytest")
    return pytester


def _names(items) -> list[str]:
    return [item.nodeid for item in items]


def test_off_without_the_option(pytester: pytest.Pytester):
    pytester.makepyfile(test_mod=GOOD)
    items, _ = pytester.inline_genitems()
    assert _names(items) == ["test_mod.py::test_plain"]


def test_one_item_per_step_and_claim(pytester: pytest.Pytester):
    pytester.makepyfile(test_mod=GOOD)
    items, _ = pytester.inline_genitems("--symproof")
    assert _names(items) == [
        "test_mod.py::good::line2", "test_mod.py::good::line4", "test_mod.py::good::claim1",
        "test_mod.py::test_plain",
    ]
    path, _, domain = items[0].reportinfo()
    assert Path(path).name == "test_mod.py" and domain == "good: line 2: = 2*x"


def test_correct_derivation_passes(pytester: pytest.Pytester):
    pytester.makepyfile(test_mod=GOOD)
    pytester.inline_run("--symproof").assertoutcome(passed=4)


def test_wrong_step_fails_with_a_readable_report(pytester: pytest.Pytester):
    pytester.makepyfile(test_bad=BAD)
    x = sympy.Symbol("x", real=True)
    expected = check_derivation(Derivation("bad", "t", "", Context(), (Start(x**2), Step("=", 2 * x)))).steps[0]
    result = pytester.runpytest("--symproof")
    result.assert_outcomes(failed=1)
    (name, value), = expected.counterexample.items()
    result.stdout.fnmatch_lines([
        "derivation 'bad', line 2: = 2*x",
        "  status: refuted (method: numeric-screen)",
        "  message: equality fails at *",
        f"  counterexample: {name} = {value}",
        f"  values there: left = {expected.values[0]}, right = {expected.values[1]}",
    ])
    assert "Traceback" not in result.stdout.str() and "engine.py" not in result.stdout.str()


def test_malformed_step_is_an_error_without_traceback(pytester: pytest.Pytester):
    pytester.makepyfile(test_bad=HEADER + """
mixed = Derivation("mixed", "t", "", Context(), (Start(sp.Eq(x, 1)), Step("=", x)))
""")
    result = pytester.runpytest("--symproof")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["derivation 'mixed', line 2: = x", "  error: DerivationError: a step relates *"])
    assert "engine.py" not in result.stdout.str()


def test_numeric_step_passes_with_a_warning(pytester: pytest.Pytester):
    pytester.makepyfile(test_num=HEADER + """
num = Derivation("num", "t", "", Context(), (Start(x**2 - x + 1), Step(">", sp.S.Zero)))
""")
    result = pytester.runpytest("--symproof")
    result.assert_outcomes(passed=1, warnings=1)
    result.stdout.fnmatch_lines(["*SymproofNumericWarning: derivation 'num', line 2: > 0*", "*status: numeric*"])


LIBRARY = HEADER + """
extra = Derivation("extra", "t", "", Context(), (Start(x + x), Step("=", 2*x)))

def build():
    return Derivation("built", "t", "", Context(), (Start(x + x), Step("=", 2*x), Step("=", x + x)))
"""


def test_module_option_collects_module_level_derivations_and_build(pytester: pytest.Pytester):
    pytester.makepyfile(mylib=LIBRARY)
    pytester.syspathinsert()
    items, _ = pytester.inline_genitems("--symproof", "--symproof-module=mylib")
    assert _names(items) == ["mylib::extra::line2", "mylib::built::line2", "mylib::built::line3"]
    assert Path(items[0].reportinfo()[0]).name == "mylib.py"
    pytester.inline_run("--symproof", "--symproof-module=mylib").assertoutcome(passed=3)


def test_module_ini_option(pytester: pytest.Pytester):
    pytester.makepyfile(mylib=LIBRARY)
    pytester.makeini("[pytest]\nsymproof_modules =\n    mylib\n")
    pytester.syspathinsert()
    items, _ = pytester.inline_genitems("--symproof")
    assert len(items) == 3
    items, _ = pytester.inline_genitems()  # off: the ini option alone does nothing
    assert items == []


def test_module_option_needs_symproof(pytester: pytest.Pytester):
    result = pytester.runpytest("--symproof-module=mylib")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*--symproof-module needs --symproof*"])


def test_missing_module_is_a_collection_error(pytester: pytest.Pytester):
    result = pytester.runpytest("--symproof", "--symproof-module=no_such_module_xyz")
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(["*No module named 'no_such_module_xyz'*"])


def test_plugin_module_imports_nothing_heavy():
    # loaded from its file, so the check covers this module and not the package's __init__
    probe = textwrap.dedent(f"""
        import importlib.util, sys
        spec = importlib.util.spec_from_file_location("probe_plugin", {symproof.pytest_plugin.__file__!r})
        spec.loader.exec_module(importlib.util.module_from_spec(spec))
        print(sorted(m for m in sys.modules if m.split(".")[0] in ("sympy", "symproof", "mpmath")))
    """)
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
