"""Discovery of the derivations shipped in the ``derivations`` package.

Every module of ``derivations`` that defines ``build() -> Derivation`` is a
registered derivation named after the module: no hand-kept list to forget.

A *template* is a module whose ``build`` takes keyword parameters (with the
sheet's instance as defaults) and that describes them in ``PARAMETERS =
{"f": "the function f(x, y)", ...}``; ``get(name, {"f": expr})`` builds a
variant.
"""
from __future__ import annotations

import importlib
import pkgutil
from functools import lru_cache
from typing import Mapping

from symproof.errors import DerivationError, UnknownNameError
from symproof.model.derivation import Derivation

__all__ = ["names", "get", "parameters", "all_derivations"]

PACKAGE = "derivations"


@lru_cache(maxsize=None)
def names() -> tuple[str, ...]:
    """Registered names, in the package's order (``ORDER`` if it defines one)."""
    pkg = importlib.import_module(PACKAGE)
    found = []
    for info in pkgutil.iter_modules(pkg.__path__):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{PACKAGE}.{info.name}")
        if callable(getattr(module, "build", None)):
            found.append(info.name)
    order = getattr(pkg, "ORDER", ())
    rank = {n: k for k, n in enumerate(order)}
    return tuple(sorted(found, key=lambda n: (rank.get(n, len(rank)), n)))


def parameters(name: str) -> dict[str, str]:
    """A template's parameters with their descriptions ({} for a plain derivation)."""
    if name not in names():
        raise UnknownNameError(f"no derivation named {name!r} (see `symproof list`)")
    return dict(getattr(importlib.import_module(f"{PACKAGE}.{name}"), "PARAMETERS", {}))


def get(name: str, params: Mapping[str, object] | None = None) -> Derivation:
    """The derivation called ``name`` (a template built with ``params``);
    :class:`UnknownNameError` if none, :class:`DerivationError` for a
    parameter the template does not take."""
    return _get(name, tuple(sorted((params or {}).items(), key=lambda kv: kv[0])))


@lru_cache(maxsize=None)
def _get(name: str, params: tuple) -> Derivation:
    if name not in names():
        raise UnknownNameError(f"no derivation named {name!r} (see `symproof list`)")
    module = importlib.import_module(f"{PACKAGE}.{name}")
    known = getattr(module, "PARAMETERS", {})
    for key, _ in params:
        if key not in known:
            takes = ", ".join(known) if known else "no parameters"
            raise DerivationError(f"{name} takes {takes}, not {key!r}")
    d = module.build(**dict(params))
    if not isinstance(d, Derivation):
        raise DerivationError(f"{PACKAGE}.{name}.build() did not return a Derivation")
    if d.name != name:
        raise DerivationError(f"{PACKAGE}.{name} builds a derivation named {d.name!r}")
    return d


def all_derivations() -> tuple[Derivation, ...]:
    return tuple(get(n) for n in names())
