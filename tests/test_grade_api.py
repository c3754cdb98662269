"""The grading API for programs: ``symproof.check_step`` and ``symproof.grade_text``."""
from __future__ import annotations

import pytest
import sympy as sp

import symproof
from symproof import LatexParseError, check_step, grade_text
from symproof.check.verdict import Report, Status, Verdict
from symproof.model.context import Context
from symproof.parse import parse_declaration


def steps(grade) -> dict[int, Verdict]:
    return {v.line: v for part in grade.parts for v in part.steps}


# -- check_step ----------------------------------------------------------------
def test_the_api_is_exported_at_the_top_level():
    assert symproof.check_step is check_step
    assert symproof.grade_text is grade_text
    assert symproof.parse_latex(r"\log x") == sp.log(sp.Symbol("x", real=True))


def test_check_step_on_latex():
    v = check_step("(a+b)^2", "a^2 + 2ab + b^2")
    assert isinstance(v, Verdict) and v.status is Status.PROVED and v.relation == "="


def test_check_step_refutes_with_a_counterexample_and_both_values():
    v = check_step("(a+b)^2", "a^2 + b^2")
    assert v.status is Status.REFUTED
    a, b = sp.Rational(v.counterexample["a"]), sp.Rational(v.counterexample["b"])
    left, right = (a + b) ** 2, a ** 2 + b ** 2
    assert left != right
    assert [float(x) for x in v.values] == pytest.approx([float(left), float(right)])


def test_check_step_on_sympy_objects():
    x = sp.Symbol("x", positive=True)
    assert check_step(sp.log(x ** 2), 2 * sp.log(x)).status is Status.PROVED
    assert check_step(sp.exp(x + 1), sp.exp(x) + sp.E).status is Status.REFUTED


def test_check_step_mixes_latex_and_sympy_when_names_agree():
    ctx = Context(symbols=(sp.Symbol("theta", real=True),))
    theta = sp.Symbol("theta", real=True)
    assert check_step(r"\sin^2\theta + \cos^2\theta", sp.Integer(1), context=ctx).status is Status.PROVED
    assert check_step(r"(\theta + 1)^2", theta ** 2 + 2 * theta + 1, context=ctx).status is Status.PROVED


@pytest.mark.parametrize("relation, status", [("=", Status.REFUTED), ("<=", Status.PROVED), (r"\le", Status.PROVED),
                                              ("<", Status.REFUTED), (">=", Status.REFUTED), (r"\ge", Status.REFUTED)])
def test_check_step_relations(relation, status):
    assert check_step("2ab", "a^2 + b^2", relation).status is status


def test_check_step_between_equations_names_the_lost_solution():
    v = check_step("x^2 = x", "x = 1", r"\iff")
    assert v.status is Status.REFUTED and v.relation == "<=>"
    assert v.counterexample["x"] == "0"
    assert "x = 0" in v.message
    assert check_step("x^2 = x", "x(x-1) = 0", r"\iff").status is Status.PROVED
    assert check_step("x = 2", "x^2 = 4", r"\implies").status is Status.PROVED
    assert check_step("x^2 = 4", "x = 2", r"\implies").status is Status.REFUTED
    x = sp.Symbol("x", real=True)
    assert check_step(sp.Eq(x ** 2, x), sp.Eq(x, 1), "<=>").status is Status.REFUTED


def test_check_step_domain_note_and_declaring_the_assumption_removes_it():
    v = check_step(r"\log(xy)", r"\log x + \log y")
    assert v.status is Status.PROVED
    [note] = v.notes
    assert "left side is real and the right side is not" in note
    assert "x = -" in note and "y = -" in note
    ctx = parse_declaration(r"assume x > 0, y > 0", Context())
    v = check_step(r"\log(xy)", r"\log x + \log y", context=ctx)
    assert v.status is Status.PROVED and v.notes == ()


def test_check_step_notes_floats_made_exact():
    v = check_step("0.5x + 0.25", r"\frac{2x+1}{4}")
    assert v.status is Status.PROVED
    assert any("1/2" in n for n in v.notes) and any("1/4" in n for n in v.notes)


def test_check_step_raises_on_unreadable_latex():
    with pytest.raises(LatexParseError) as info:
        check_step(r"\frac{1}{", "x")
    assert info.value.column is not None


# -- grade_text ------------------------------------------------------------------
SLIP = r"""
\begin{align*}
(a+b)^2 &= a^2 + b^2 \\
&= b^2 + a^2 \\
&= (a-b)^2 + 2ab
\end{align*}
"""


def test_grade_text_returns_engine_verdicts_per_chain():
    g = grade_text("x\n= x\n\ny\n= 2y")
    assert len(g.parts) == 2 and all(isinstance(p, Report) for p in g.parts)
    assert [[v.line for v in p.steps] for p in g.parts] == [[2], [5]]
    assert not g.ok


def test_steps_after_a_wrong_line_are_checked_against_their_own_previous_line():
    v = steps(grade_text(SLIP))
    assert v[3].status is Status.REFUTED       # the slip
    assert v[4].status is Status.PROVED        # b^2 + a^2 follows from the (wrong) line 3
    assert v[5].status is Status.PROVED
    assert "a^2 + b^2" in v[4].message and "b^2 + a^2" in v[4].message  # what was compared, as written


def test_first_line_that_is_itself_a_step_is_checked():
    """`(a+b)^2 &= a^2 + b^2` followed by `&= ...` claims its own equation."""
    v = steps(grade_text("(a+b)^2 = a^2 + b^2\n= b^2 + a^2"))
    assert v[1].status is Status.REFUTED and v[2].status is Status.PROVED


def test_first_line_naming_its_right_side_is_not_a_step():
    text = "\\ell(\\mu) = (x - \\mu)^2\n= x^2 - 2x\\mu + \\mu^2"
    assert sorted(steps(grade_text(text))) == [2]
    text = "\\hat\\mu = \\frac{a+b}{2}\n= \\frac{a}{2} + \\frac{b}{2}"
    assert sorted(steps(grade_text(text))) == [2]
    # `0 = ...` is an equation being solved (a first-order condition), not a claim that the sum is 0
    text = "% symproof: index i from 1 to N: x\n0 = \\sum_{i=1}^{N} (x_i - \\mu)\n= \\sum_{i=1}^{N} x_i - N\\mu"
    v = steps(grade_text(text))
    assert sorted(v) == [3] and v[3].status is Status.PROVED


def test_first_equation_of_an_iff_chain_is_a_premise():
    v = steps(grade_text("x^2 = x\n\\iff x = 1"))
    assert sorted(v) == [2] and v[2].status is Status.REFUTED


def test_feedback_names_the_students_symbols():
    text = "% symproof: index i from 1 to N: x\n\\sum_{i=1}^{N} (x_i - \\hat\\mu)^2\n= \\sum_{i=1}^{N} x_i^2 - \\hat\\mu^2"
    [v] = steps(grade_text(text)).values()
    assert v.status is Status.REFUTED
    assert set(v.counterexample) == {"N", "muhat", "x_1", "x_2", "x_3"}
    assert "\\hat{\\mu} = " in v.message and "x_1 = " in v.message
    assert "Dummy" not in v.message and "_k" not in v.message
    theta = steps(grade_text(r"(\theta + 1)^2" + "\n= \\theta^2 + 1"))[2]
    assert set(theta.counterexample) == {"theta"} and "\\theta = " in theta.message


def test_domain_note_in_a_graded_line():
    [v] = steps(grade_text(r"\log(xy)" + "\n= \\log x + \\log y")).values()
    assert v.status is Status.PROVED
    assert any("left side is real and the right side is not" in n for n in v.notes)
    [v] = steps(grade_text("% symproof: assume x > 0, y > 0\n\\log(xy)\n= \\log x + \\log y")).values()
    assert v.status is Status.PROVED and v.notes == ()


def test_grade_text_with_a_context():
    x = sp.Symbol("x", positive=True)
    [v] = steps(grade_text("\\sqrt{x^2}\n= x", Context(symbols=(x,)))).values()
    assert v.status is Status.PROVED
    [v] = steps(grade_text("\\sqrt{x^2}\n= x")).values()
    assert v.status is Status.REFUTED and v.counterexample["x"].startswith("-")


def test_declarations_apply_to_what_follows_only():
    g = steps(grade_text("\\sqrt{x^2}\n= x\n\n% symproof: assume x > 0\n\\sqrt{x^2}\n= x"))
    assert g[2].status is Status.REFUTED and g[6].status is Status.PROVED


def test_unreadable_lines_are_errors_and_the_rest_is_graded():
    g = grade_text("x\n= \\frac{1}{\n= x\n= 2x\n\n(a+b)^2\n= a^2 + b^2")
    [err] = g.errors
    assert (err.line, err.column) == (2, 10)          # 0-based: the `{` that is never closed
    assert err.where("hw.tex").startswith("hw.tex:2:11: ")
    v = steps(g)
    assert v[3].status is Status.UNKNOWN and "line 2" in v[3].message   # nothing readable to compare with
    assert v[4].status is Status.REFUTED                                # x = 2x, against line 3
    assert v[7].status is Status.REFUTED
    assert not g.ok


def test_two_relations_on_a_continuation_line_are_an_error():
    g = grade_text("a\n= b = a")
    [err] = g.errors
    assert err.line == 2 and err.column == 4 and "one step per line" in err.reason


def test_a_missing_relation_is_an_error_at_the_start_of_the_line():
    g = grade_text("a\n  b")
    [err] = g.errors
    assert (err.line, err.column) == (2, 2) and "expected a relation" in err.reason


def test_setting_an_expression_to_zero_is_not_a_logical_step():
    [v] = steps(grade_text("x - 1\n\\iff x - 1 = 0")).values()
    assert v.status is Status.UNKNOWN and "not an equation" in v.message


def test_grade_json_shape():
    doc = grade_text(SLIP).to_json()
    assert doc["ok"] is False
    [part] = doc["parts"]
    assert [s["line"] for s in part["steps"]] == [3, 4, 5]
    assert {"line", "relation", "status", "method", "seconds", "message", "notes"} <= set(part["steps"][0])
    assert part["steps"][0]["counterexample"] and set(part["steps"][0]["values"]) == {"left", "right"}
