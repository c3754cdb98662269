"""The student submission format (DESIGN.md, *Student submission format*): the splitter only."""
from __future__ import annotations

import pytest

from symproof.grade.submission import Declaration, MathLine, split_submission


def lines(text: str) -> list[tuple]:
    """(line, relation, math, why) of every math line, chains flattened."""
    return [(m.number, m.relation, m.math, m.why) for chain in split_submission(text).chains for m in chain]


def chains(text: str) -> list[list[int]]:
    return [[m.number for m in chain] for chain in split_submission(text).chains]


def test_first_line_has_no_relation_and_later_lines_start_with_one():
    assert lines("x^2 - 1\n= (x-1)(x+1)\n\\le x^2") == [
        (1, None, "x^2 - 1", ""), (2, "=", "(x-1)(x+1)", ""), (3, "<=", "x^2", "")]


@pytest.mark.parametrize("spelling, relation", [
    ("=", "="), (r"\le", "<="), (r"\leq", "<="), (r"\leqslant", "<="), ("<", "<"), ("<=", "<="), ("≤", "<="),
    (r"\ge", ">="), (r"\geq", ">="), (r"\geqslant", ">="), (">", ">"), ("≥", ">="),
    (r"\iff", "<=>"), (r"\Leftrightarrow", "<=>"), (r"\Longleftrightarrow", "<=>"), ("⇔", "<=>"),
    (r"\implies", "=>"), (r"\Rightarrow", "=>"), (r"\Longrightarrow", "=>"), ("⇒", "=>"),
])
def test_every_spelling_of_a_relation(spelling, relation):
    [_, second] = split_submission(f"x = 1\n{spelling} y = 2").chains[0]
    assert second.relation == relation
    assert second.math == "y = 2"


def test_leq_is_not_read_as_le_followed_by_q():
    [_, second] = split_submission("a\n\\leq b").chains[0]
    assert (second.relation, second.math) == ("<=", "b")


def test_an_unknown_command_is_not_a_relation():
    [_, second] = split_submission("a\n\\lefteqn b").chains[0]
    assert second.relation == "missing"


def test_align_body_works_as_is():
    text = "\n".join([
        r"\begin{align*}",
        r"f(x) &= (x+1)^2 \\",
        r"     &= x^2 + 2x + 1 \\",
        r"     &\ge 2x",
        r"\end{align*}",
    ])
    assert lines(text) == [(2, None, "f(x)  = (x+1)^2", ""), (3, "=", "x^2 + 2x + 1", ""), (4, ">=", "2x", "")]


@pytest.mark.parametrize("env", ["align", "align*", "alignat*", "aligned", "equation*", "gather*", "split",
                                 "multline*", "eqnarray*"])
def test_environment_lines_are_skipped(env):
    extra = "{2}" if env == "alignat*" else ""
    text = f"\\begin{{{env}}}{extra}\nx\n&= x\n\\end{{{env}}}"
    assert chains(text) == [[2, 3]]


def test_display_math_delimiters_are_skipped():
    assert lines("\\[\nx\n= x\n\\]") == [(2, None, "x", ""), (3, "=", "x", "")]
    assert lines(r"\[ x = 1 \]") == [(1, None, "x = 1", "")]
    assert lines(r"\begin{align*} a &= b \end{align*}") == [(1, None, "a  = b", "")]


def test_trailing_line_break_label_and_full_stop_are_dropped():
    text = "a\n&= b \\\\[1ex]\n&= c \\nonumber \\\\\n&= d \\label{eq:d} \\\\\n&= e.\n&= 2,"
    assert [m for _, _, m, _ in lines(text)] == ["a", "b", "c", "d", "e", "2"]


def test_a_line_with_only_a_line_break_does_not_end_the_chain():
    assert chains("a\n\\\\\n= a") == [[1, 3]]


@pytest.mark.parametrize("written, math, why", [
    (r"= x^2 \quad\text{chain rule}", "x^2", "chain rule"),
    (r"= x^2 \qquad \text{(chain rule)}", "x^2", "chain rule"),
    (r"= x^2 \text{(by parts)}", "x^2", "by parts"),
    (r"= x^2 && \text{by parts}", "x^2", "by parts"),
    (r"= x^2 \quad\text{multiply by } \sigma^2 > 0", "x^2", r"multiply by  \sigma^2 > 0"),
    (r"= x^2 \quad\text{(since } x>0\text{)}", "x^2", "since  x>0"),
    (r"= x^2 \quad\text{using $\log e^u = u$} \\", "x^2", r"using $\log e^u = u$"),
])
def test_justification(written, math, why):
    [_, line] = split_submission(f"y\n{written}").chains[0]
    assert (line.math, line.why) == (math, why)


def test_text_inside_the_math_is_not_a_justification():
    [_, line] = split_submission("y\n= \\frac{1}{\\quad\\text{a}}").chains[0]
    assert line.why == "" and line.math == "\\frac{1}{\\quad\\text{a}}"


def test_a_blank_line_ends_a_chain():
    assert chains("a\n= a\n\nb\n= b\n   \nc") == [[1, 2], [4, 5], [7]]
    # after a blank line, a leading relation is part of the math of a new first line
    [[first]] = split_submission("a\n\n= b").chains[1:]
    assert first.relation is None and first.math == "= b"


def test_comments():
    text = "% a comment line\nx % trailing comment\n% another comment\n= x \\% not a comment\n"
    assert lines(text) == [(2, None, "x", ""), (4, "=", r"x \% not a comment", "")]
    # a comment line neither ends nor continues a chain: the chain goes on past it
    assert chains("a\n% note\n= a") == [[1, 3]]


def test_a_line_without_a_relation_inside_a_chain_is_marked_missing():
    [chain] = split_submission("a\nb").chains
    assert [m.relation for m in chain] == [None, "missing"]


def test_declarations_with_columns():
    text = "% symproof: assume x > 0\n  %   symproof:   index i from 1 to N: x\nx\n% symproof: context gaussian_mean_mle"
    items = split_submission(text).items
    decls = [i for i in items if isinstance(i, Declaration)]
    assert decls == [Declaration(1, 12, "assume x > 0"), Declaration(2, 18, "index i from 1 to N: x"),
                     Declaration(4, 12, "context gaussian_mean_mle")]
    assert text.splitlines()[1][18:].startswith("index")
    # declarations and chains keep file order
    assert [type(i).__name__ for i in items] == ["Declaration", "Declaration", "list", "Declaration"]


def test_columns_point_at_the_math():
    text = "  (a+b)^2\n  &=  a^2 + b^2 \\\\\n\t\\le  c"
    [chain] = split_submission(text).chains
    raw = text.splitlines()
    for m in chain:
        assert raw[m.number - 1][m.column:].startswith(m.math[:3]), m


def test_alignment_marks_become_spaces_but_matrix_columns_stay():
    [[first]] = split_submission(r"A &= \begin{bmatrix} a & b \\ c & d \end{bmatrix}").chains
    assert first.math == r"A  = \begin{bmatrix} a & b \\ c & d \end{bmatrix}"


def test_empty_and_comment_only_text_has_no_chains():
    assert split_submission("").items == []
    assert split_submission("% nothing\n\n   \n").chains == []


def test_windows_line_endings():
    assert lines("a\r\n= a\r\n") == [(1, None, "a", ""), (2, "=", "a", "")]
