"""Package attributes imported on first use (PEP 562).

``symproof`` is imported by the pytest plugin in every pytest run and
``symproof.render`` by ``Derivation._repr_latex_``; neither should pay for
sympy or TeX until a name is actually used.
"""
from __future__ import annotations

import importlib
from typing import Any, Callable, Mapping


def lazy(package: str, namespace: dict, exports: Mapping[str, str]) -> tuple[Callable[[str], Any], Callable[[], list]]:
    """``__getattr__`` and ``__dir__`` for ``package`` whose names live in ``exports`` (name → module)."""

    def __getattr__(name: str) -> Any:
        if name in exports:
            value = getattr(importlib.import_module(exports[name]), name)
            namespace[name] = value  # the next access is an ordinary attribute
            return value
        raise AttributeError(f"module {package!r} has no attribute {name!r}")

    def __dir__() -> list[str]:
        return sorted(set(namespace) | set(exports))

    return __getattr__, __dir__
