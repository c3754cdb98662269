"""Grading a whole class: many submissions over one pool of workers.

Every submission is a grading process (:func:`grade_process`); their
requests are interleaved over the pool's workers, so ``--jobs 2`` keeps two
cores busy even within one long submission's steps.
"""
from __future__ import annotations

import collections
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable, Iterator

from symproof.check.engine import DEFAULT, Options
from symproof.grade.grader import Grade, LineError, grade_process
from symproof.isolate.pool import Task, WorkerPool
from symproof.model.context import Context

__all__ = ["Submission", "grade_many", "collect_files", "read_submission"]

MAX_BYTES = 1_000_000
SUFFIXES = (".tex", ".txt", ".md")


@dataclass(frozen=True)
class Submission:
    """One student's file: its name, and its text or why it could not be read."""

    name: str
    text: str | None
    error: str | None = None
    line: int | None = None    # where the error is (1-based), when it is at one place
    column: int | None = None

    def where(self) -> str:
        """``name:line:col: error`` (``name: error`` when no place is to blame)."""
        at = f":{self.line}:{self.column}" if self.line is not None else ""
        return f"{self.name}{at}: {self.error}"


def _place(data: bytes, offset: int) -> tuple[int, int]:
    """1-based line and column (in bytes) of ``offset``."""
    line = data.count(b"\n", 0, offset) + 1
    return line, offset - (data.rfind(b"\n", 0, offset) + 1) + 1


def read_submission(path: Path) -> Submission:
    try:
        data = path.read_bytes()
    except IsADirectoryError:
        return Submission(str(path), None, "is a directory, not a file")
    except OSError as exc:
        return Submission(str(path), None, f"cannot read: {exc.strerror or exc}")
    if len(data) > MAX_BYTES:
        return Submission(str(path), None, f"{len(data)} bytes; submissions are limited to {MAX_BYTES}")
    if b"\x00" in data:
        return Submission(str(path), None, "a NUL byte: this is binary data, not a text file",
                          *_place(data, data.index(b"\x00")))
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        return Submission(str(path), None, f"byte 0x{data[exc.start]:02x} is not UTF-8 text "
                          "(save the file as UTF-8)", *_place(data, exc.start))
    if not text.strip():
        return Submission(str(path), None, "the file is empty: expected lines of LaTeX math", 1, 1)
    return Submission(str(path), text)


def collect_files(paths: Iterable[str]) -> list[Path]:
    """Files given, and the submissions (.tex, .txt, .md) inside directories, sorted."""
    out: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            out += sorted(q for q in p.rglob("*") if q.is_file() and q.suffix in SUFFIXES)
        else:
            out.append(p)
    return out


def grade_many(
    submissions: Iterable[Submission],
    pool: WorkerPool,
    context: Context | None = None,
    options: Options = DEFAULT,
) -> Iterator[tuple[Submission, Grade]]:
    """Grade submissions over ``pool``, yielding each as soon as it is done
    (in completion order). An unreadable submission yields a Grade with one
    error and no parts."""
    ready: collections.deque[Task] = collections.deque()
    running: dict[int, tuple[Submission, object]] = {}
    finished: collections.deque[tuple[Submission, Grade]] = collections.deque()

    def advance(key: int, outcome) -> None:
        sub, process = running[key]
        try:
            request = process.send(outcome) if outcome is not None else next(process)
        except StopIteration as stop:
            del running[key]
            finished.append((sub, stop.value))
            return
        ready.append(Task(key, request.fn, request.args, request.timeout))

    source = iter(enumerate(submissions))

    def next_task() -> Task | None:
        while not ready:
            item = next(source, None)
            if item is None:
                return None
            key, sub = item
            if sub.text is None:
                finished.append((sub, Grade((), (LineError(0, None, sub.error),))))
                continue
            running[key] = (sub, grade_process(sub.text, context, options))
            advance(key, None)
        return ready.popleft()

    for key, outcome in pool.serve(next_task):
        advance(key, outcome)
        while finished:
            yield finished.popleft()
    while finished:
        yield finished.popleft()
