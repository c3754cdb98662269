"""pytest plugin: the steps and claims of derivations as test items.

Off unless pytest runs with ``--symproof``. Then

- every :class:`~symproof.model.Derivation` bound at module level of a
  collected test module (``test_*.py``) becomes a collector with one item
  per step (``line3``, named by its line position) and one per claim
  (``claim1``, ...). To test a derivation kept in a library, import it into
  a test module: ``from mylib.proofs import my_derivation``;
- ``--symproof-module=NAME`` (repeatable) and the ini option
  ``symproof_modules`` (one module name per line) add the module-level
  Derivation objects of importable modules, and the result of their
  ``build()`` if they define one, whatever paths pytest was given.

An item fails when its verdict is ``refuted`` or ``unknown`` (the report
shows status, method, message, notes, counterexample and both sides'
values). ``numeric`` passes, as it does for ``symproof check``, with a
:class:`SymproofNumericWarning`; use :func:`symproof.testing.assert_derivation`
to require proofs with explicit, reasoned exceptions.

Every pytest run in an environment with symproof installed imports this
module, so it imports nothing heavy at import time; sympy and symproof's
checking code are imported only once ``--symproof`` is given.
"""
from __future__ import annotations

import importlib
import warnings
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterator

import pytest

if TYPE_CHECKING:
    from symproof.check.verdict import Verdict
    from symproof.model.derivation import Claim, Derivation, Step

__all__ = ["SymproofNumericWarning", "DerivationCollector", "StepItem", "ClaimItem"]


class SymproofNumericWarning(UserWarning):
    """A step or claim held at sampled points only (no symbolic proof)."""


class SymproofFailure(AssertionError):
    """Raised by an item whose verdict is not accepted; its text is the report."""


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("symproof")
    group.addoption(
        "--symproof", action="store_true", default=False,
        help="check module-level symproof Derivation objects of test modules: one test item per step and claim",
    )
    group.addoption(
        "--symproof-module", action="append", default=[], metavar="NAME", dest="symproof_module",
        help="also check the Derivation objects (and build() result) of importable module NAME (repeatable; "
             "needs --symproof)",
    )
    parser.addini("symproof_modules", type="linelist", default=[],
                  help="modules whose derivations are checked under --symproof (one name per line)")


def pytest_configure(config: pytest.Config) -> None:
    if not config.getoption("symproof"):
        if config.getoption("symproof_module"):
            raise pytest.UsageError("--symproof-module needs --symproof")
        return
    config.pluginmanager.register(_Collection(), "symproof-collection")


class _Collection:
    """The hooks active under ``--symproof`` only."""

    def pytest_pycollect_makeitem(self, collector: pytest.Collector, name: str, obj: object) -> Any:
        if not isinstance(collector, pytest.Module):
            return None
        from symproof.model.derivation import Derivation

        if isinstance(obj, Derivation):
            return DerivationCollector.from_parent(collector, name=name, derivation=obj)
        return None

    @pytest.hookimpl(wrapper=True)
    def pytest_make_collect_report(self, collector: pytest.Collector) -> Iterator[Any]:
        report = yield
        if isinstance(collector, pytest.Session) and report.passed:
            config = collector.config
            names = [*config.getini("symproof_modules"), *config.getoption("symproof_module")]
            for name in dict.fromkeys(n.strip() for n in names if n.strip()):
                report.result.append(ModuleDerivations.from_parent(collector, name=name, nodeid=name))
        return report


class ModuleDerivations(pytest.Collector):
    """The derivations of an importable module named by ``--symproof-module``."""

    def collect(self) -> Iterator[pytest.Collector]:
        from symproof.model.derivation import Derivation

        module = importlib.import_module(self.name)
        path = Path(module.__file__) if getattr(module, "__file__", None) else self.path
        found: dict[int, tuple[str, Derivation]] = {}
        for attr, obj in vars(module).items():
            if isinstance(obj, Derivation):
                found.setdefault(id(obj), (attr, obj))
        build = getattr(module, "build", None)
        if callable(build):
            d = build()
            if not isinstance(d, Derivation):
                raise TypeError(f"{self.name}.build() returned {type(d).__name__}, not a Derivation")
            found.setdefault(id(d), (d.name, d))
        for attr, d in found.values():
            yield DerivationCollector.from_parent(self, name=attr, derivation=d, path=path)


class DerivationCollector(pytest.Collector):
    """One derivation: an item per step, then one per claim."""

    def __init__(self, *, derivation: Derivation, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.derivation = derivation

    def collect(self) -> Iterator[pytest.Item]:
        from symproof.check.engine import step_pairs

        for pos, ctx, previous, step in step_pairs(self.derivation):
            yield StepItem.from_parent(self, name=f"line{pos}", position=pos, context=ctx, previous=previous,
                                       step=step)
        for k, claim in enumerate(self.derivation.claims, 1):
            yield ClaimItem.from_parent(self, name=f"claim{k}", claim=claim)

    def reportinfo(self) -> tuple[Path, int | None, str]:
        return self.path, None, f"derivation {self.derivation.name}"


class _VerdictItem(pytest.Item):
    derivation: Derivation
    verdict: Verdict | None = None

    def _check(self) -> Verdict:
        raise NotImplementedError

    def heading(self) -> str:
        raise NotImplementedError

    def runtest(self) -> None:
        from symproof.check.verdict import Status
        from symproof.testing import format_verdict

        self.verdict = v = self._check()
        text = f"derivation {self.derivation.name!r}, " + format_verdict(v, self.heading())
        if v.status is Status.NUMERIC:
            # attributed to the module, not to this file
            warnings.warn_explicit(text, SymproofNumericWarning, str(self.path), 0)
        elif v.status is not Status.PROVED:
            raise SymproofFailure(text)

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None) -> Any:
        from symproof.errors import SymproofError

        if isinstance(excinfo.value, SymproofFailure):
            return str(excinfo.value)
        if isinstance(excinfo.value, SymproofError):  # e.g. a malformed step: no verdict
            return (f"derivation {self.derivation.name!r}, {self.heading()}\n"
                    f"  error: {type(excinfo.value).__name__}: {excinfo.value}")
        return super().repr_failure(excinfo, style)

    def reportinfo(self) -> tuple[Path, int | None, str]:
        return self.path, None, f"{self.derivation.name}: {self.heading()}"


class StepItem(_VerdictItem):
    """``check_step`` of one step against the line before it."""

    def __init__(self, *, position: int, context: Any, previous: Any, step: Step, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.derivation = self.parent.derivation  # type: ignore[union-attr]
        self.position, self.context, self.previous, self.step = position, context, previous, step

    def heading(self) -> str:
        from symproof.testing import step_heading

        return step_heading(self.position, self.step)

    def _check(self) -> Verdict:
        from symproof.check.engine import check_step

        return check_step(self.previous, self.step, self.context).with_(line=self.position)


class ClaimItem(_VerdictItem):
    """``claim.check`` of one claim, in the derivation's context."""

    def __init__(self, *, claim: Claim, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.derivation = self.parent.derivation  # type: ignore[union-attr]
        self.claim = claim

    def heading(self) -> str:
        return f"claim: {self.claim.describe()}"

    def _check(self) -> Verdict:
        from symproof.check.engine import DEFAULT

        return self.claim.check(self.derivation.context, DEFAULT).with_(label=self.claim.describe())
