"""The ``symproof`` command (contract: DESIGN.md, *Command line*)."""
from __future__ import annotations

from symproof.cli.main import main

__all__ = ["main"]
