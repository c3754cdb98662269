"""The student corpus: tests/data/chains/*.tex, every graded line with its expected verdict.

Each line that gets a verdict (or an ``error``) ends with ``% expect: STATUS``
(proved, numeric, refuted, unknown, error); a ``numeric`` expectation says
why sympy cannot prove it (``% expect: numeric — sympy cannot ...``). Text in
square brackets must appear in the feedback (message or notes):
``% expect: refuted [x = 0]`` — the lost root is named.
Expectations are honest: a line the engine gets wrong keeps its true
verdict and is marked ``xfail`` below, naming the bug.

Two properties are asserted separately:
- every line's status equals its expectation (per file);
- zero false accepts: no line expected ``refuted`` is ``proved`` or ``numeric``.
"""
from __future__ import annotations

import functools
import re
from pathlib import Path

import pytest

from stats import CORPUS
from symproof.grade import grade_text
from symproof.grade.submission import split_submission

CHAINS = Path(__file__).parent / "data" / "chains"
FILES = sorted(CHAINS.glob("*.tex"))
STATUSES = {"proved", "numeric", "refuted", "unknown", "error"}
_EXPECT = re.compile(r"%\s*expect:\s*(?P<status>[a-z]+)(?P<why>.*)$")

# (file name, line) -> reason: the engine gets this line wrong; the expectation stays the true verdict
# Lines the engine gets wrong today, each naming the bug. None at present.
KNOWN_ENGINE_BUGS: dict[tuple[str, int], str] = {}


def expectations(path: Path) -> dict[int, tuple[str, str]]:
    out = {}
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        m = _EXPECT.search(line)
        if m:
            out[number] = (m.group("status"), m.group("why").strip(" -—–:"))
    return out


@functools.lru_cache(maxsize=None)
def graded(path: Path) -> dict[int, tuple[str, str]]:
    """line -> (status, feedback) for every line with a verdict or an error."""
    g = grade_text(path.read_text(encoding="utf-8"))
    out: dict[int, tuple[str, str]] = {}
    for part in g.parts:
        for v in part.steps:
            assert v.line not in out, f"{path.name}:{v.line}: two verdicts for one line"
            out[v.line] = (v.status.value, " | ".join((v.message,) + v.notes))
    for e in g.errors:
        out[e.line] = ("error", e.reason)
    return out


def test_corpus_is_large_enough():
    chains = sum(len(split_submission(p.read_text(encoding="utf-8")).chains) for p in FILES)
    assert len(FILES) >= 6
    assert chains >= 60, f"only {chains} chains in {CHAINS}"


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_expectations_are_well_formed(path):
    for number, (status, why) in expectations(path).items():
        assert status in STATUSES, f"{path.name}:{number}: unknown expectation {status!r}"
        if status == "numeric":
            assert len(why) > 10, f"{path.name}:{number}: a numeric expectation must say why sympy cannot prove it"


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_every_line_gets_its_expected_verdict(path):
    expected = expectations(path)
    actual = graded(path)
    assert set(actual) <= set(expected), \
        f"{path.name}: lines graded without an expectation: {sorted(set(actual) - set(expected))}"
    assert set(expected) <= set(actual), \
        f"{path.name}: expectations on lines that were not graded: {sorted(set(expected) - set(actual))}"
    wrong = []
    for number in sorted(expected):
        (want, why), (got, feedback) = expected[number], actual[number]
        if (path.name, number) in KNOWN_ENGINE_BUGS:
            continue
        if want != got:
            wrong.append(f"{path.name}:{number}: expected {want}, got {got}: {feedback[:200]}")
        for shown in re.findall(r"\[([^\]]+)\]", why):
            if shown not in feedback:
                wrong.append(f"{path.name}:{number}: the feedback does not show {shown!r}: {feedback[:200]}")
    assert not wrong, "\n".join(wrong)


def test_zero_false_accepts():
    """No line that is wrong (expected refuted) is accepted (proved or numeric)."""
    CORPUS.clear()
    false_accepts = []
    for path in FILES:
        expected, actual = expectations(path), graded(path)
        CORPUS["files"] += 1
        CORPUS["chains"] += len(split_submission(path.read_text(encoding="utf-8")).chains)
        for number, (want, _) in expected.items():
            got = actual.get(number, ("missing", ""))[0]
            CORPUS["lines"] += 1
            CORPUS[f"expected {want}"] += 1
            CORPUS[got] += 1
            if want == "refuted" and got in ("proved", "numeric"):
                false_accepts.append(f"{path.name}:{number}: a wrong line was {got}")
            if want != got:
                CORPUS["mismatches"] += 1
    CORPUS["false accepts"] = len(false_accepts)
    assert not false_accepts, "\n".join(false_accepts)


@pytest.mark.parametrize("key", sorted(KNOWN_ENGINE_BUGS) or [None])
def test_known_engine_bugs(key):
    """Lines the engine gets wrong today must still be wrong (strict), so a fix shows up as a
    failure to update; with none listed, this checks that every expectation of the corpus holds."""
    if key is None:
        assert not KNOWN_ENGINE_BUGS
        return
    path = CHAINS / key[0]
    assert graded(path)[key[1]][0] != expectations(path)[key[1]][0], f"{key} is fixed: remove it from the list"
