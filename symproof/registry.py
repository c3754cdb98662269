"""Discovery of the derivations shipped in the ``derivations`` package.

Every module of ``derivations`` that defines ``build() -> Derivation`` is a
registered derivation named after the module: no hand-kept list to forget.
"""
from __future__ import annotations

import importlib
import pkgutil
from functools import lru_cache

from symproof.errors import DerivationError, UnknownNameError
from symproof.model.derivation import Derivation

__all__ = ["names", "get", "all_derivations"]

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


@lru_cache(maxsize=None)
def get(name: str) -> Derivation:
    """The derivation called ``name``; :class:`UnknownNameError` if none."""
    if name not in names():
        raise UnknownNameError(f"no derivation named {name!r} (see `symproof list`)")
    module = importlib.import_module(f"{PACKAGE}.{name}")
    d = module.build()
    if not isinstance(d, Derivation):
        raise DerivationError(f"{PACKAGE}.{name}.build() did not return a Derivation")
    if d.name != name:
        raise DerivationError(f"{PACKAGE}.{name} builds a derivation named {d.name!r}")
    return d


def all_derivations() -> tuple[Derivation, ...]:
    return tuple(get(n) for n in names())
