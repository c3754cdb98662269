"""Rich display in Jupyter: ``_repr_latex_`` and ``_repr_html_`` of derivations and reports.

LaTeX is ``$$\\begin{alignedat}…\\end{alignedat}$$`` (``aligned`` with explicit
columns, which MathJax and KaTeX accept). Nothing here raises: a rendering
error is shown inline in the output cell instead.
"""
from __future__ import annotations

import html
from typing import Callable

from symproof.check.verdict import Report, Status, Verdict
from symproof.model.derivation import Derivation, Step
from symproof.render.layout import Layout, layout
from symproof.render.markdown import aligned
from symproof.render.sheet import mark_math
from symproof.render.text import escape_text, text_in_math

__all__ = ["derivation_latex", "derivation_html", "report_latex", "report_html"]

_HTML_COLOUR = {Status.PROVED: "#1a7f37", Status.NUMERIC: "#b35900", Status.REFUTED: "#cf222e",
                Status.UNKNOWN: "#6e7781"}


def _inline_error(exc: BaseException, what: str, kind: str) -> str:
    msg = f"symproof could not render {what}: {type(exc).__name__}: {exc}"
    if kind == "latex":
        return "$$%s$$" % text_in_math(msg.replace("$", ""), "mathjax")
    return '<pre style="color:#cf222e">%s</pre>' % html.escape(msg)


def _never_raise(kind: str) -> Callable:
    def wrap(fn: Callable) -> Callable:
        def safe(obj, *args, **kwargs) -> str:
            try:
                return fn(obj, *args, **kwargs)
            except Exception as exc:  # noqa: BLE001 - a notebook shows the error, never raises it
                name = getattr(obj, "name", type(obj).__name__)
                return _inline_error(exc, repr(name), kind)

        safe.__name__, safe.__doc__ = fn.__name__, fn.__doc__
        return safe

    return wrap


def _math_blocks(lay: Layout) -> list[str]:
    """``$$…$$`` pieces: one per block (headings as text), then the conclusions."""
    out = []
    for k, block in enumerate(lay.blocks):
        if block.heading:
            out.append("$$%s$$" % text_in_math(block.heading, "mathjax", r"\textbf"))
        out.append("$$%s$$" % aligned(lay, k))
    for c in lay.conclusions:
        lead = text_in_math(c.lead, "mathjax")
        if c.math:
            math = r"\boxed{%s}" % c.math if c.boxed else c.math
            if lay.marked and c.verdict is not None:
                math += r" \qquad " + mark_math(c.verdict, "mathjax")
            out.append("$$%s$$" % lead)
            out.append("$$%s$$" % math)
        else:
            if lay.marked and c.verdict is not None:
                lead += r" \quad " + mark_math(c.verdict, "mathjax")
            out.append("$$%s$$" % lead)
    return out


@_never_raise("latex")
def derivation_latex(d: Derivation) -> str:
    """``$$\\begin{alignedat}…\\end{alignedat}$$`` blocks of ``d``, then its conclusions."""
    return "\n".join(_math_blocks(layout(d)))


def _html(lay: Layout, extra: str = "") -> str:
    d = lay.derivation
    parts = ['<div class="symproof">', f"<h4>{html.escape(d.title)}</h4>"]
    if d.statement:
        lead = f"<b>{html.escape(d.problem)}.</b> " if d.problem else ""
        parts.append(f"<p>{lead}{html.escape(d.statement)}</p>")
    parts.extend(f"<div>{html.escape(b)}</div>" for b in _math_blocks(lay))
    parts.append(extra)
    parts.append("</div>")
    return "\n".join(p for p in parts if p)


@_never_raise("html")
def derivation_html(d: Derivation) -> str:
    """Title, statement and the math of ``d`` (MathJax typesets the ``$$`` blocks)."""
    return _html(layout(d))


def _derivation_of(report: Report) -> Derivation | None:
    """The registered derivation ``report`` was made from, if its lines fit."""
    from symproof import registry
    from symproof.errors import SymproofError

    try:
        d = registry.get(report.name)
    except SymproofError:
        return None
    lines = [v.line for v in report.steps]
    steps = [pos for pos, line in enumerate(d.lines, 1) if isinstance(line, Step)]
    if lines != steps or len(report.claims) != len(d.claims):
        return None
    return d


def _verdict_rows(report: Report) -> list[tuple[str, Verdict]]:
    rows = [(f"line {v.line}" if v.line is not None else "step", v) for v in report.steps]
    rows += [(v.label or "claim", v) for v in report.claims]
    return rows


@_never_raise("latex")
def report_latex(report: Report) -> str:
    """The checked derivation with a mark on every line when ``report`` comes
    from a registered derivation; otherwise one row per verdict."""
    d = _derivation_of(report)
    if d is not None:
        return "\n".join(_math_blocks(layout(d, report)))
    rows = []
    for where, v in _verdict_rows(report):
        msg = text_in_math(v.message.replace("$", ""), "mathjax") if v.message else ""
        rows.append(r"\text{%s} &\quad %s &&\quad %s" % (escape_text(where), mark_math(v, "mathjax"), msg))
    title = text_in_math(report.title or report.name, "mathjax", r"\textbf")
    body = " \\\\\n".join(rows) if rows else r"\text{no steps}"
    return "$$%s$$\n$$\\begin{alignedat}{2}\n%s\n\\end{alignedat}$$" % (title, body)


@_never_raise("html")
def report_html(report: Report) -> str:
    """A table of verdicts (status, method, time, message, counterexample),
    under the marked derivation when it is registered."""
    rows = []
    for where, v in _verdict_rows(report):
        colour = _HTML_COLOUR[v.status]
        detail = html.escape(v.message)
        if v.counterexample:
            point = ", ".join(f"{k} = {val}" for k, val in v.counterexample.items())
            detail += f"<br><b>counterexample:</b> {html.escape(point)}"
        for note in v.notes:
            detail += f"<br><i>note:</i> {html.escape(note)}"
        rows.append(
            f'<tr><td>{html.escape(where)}</td><td>{html.escape(v.relation or "")}</td>'
            f'<td style="color:{colour};font-weight:bold">{v.status.value}</td>'
            f"<td><code>{html.escape(v.method)}</code></td><td>{v.seconds:.3f}&nbsp;s</td>"
            f'<td style="text-align:left">{detail}</td></tr>'
        )
    counts = ", ".join(f"{n} {s}" for s, n in report.counts().items())
    table = (
        f"<p>{html.escape(report.name)}: {counts} ({report.seconds:.2f} s)</p>"
        "<table><thead><tr><th></th><th>rel</th><th>status</th><th>method</th><th>time</th>"
        "<th>message</th></tr></thead><tbody>" + "".join(rows) + "</tbody></table>"
    )
    d = _derivation_of(report)
    if d is not None:
        return _html(layout(d, report), table)
    return f'<div class="symproof">{table}</div>'
