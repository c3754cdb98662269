"""symproof: derivations as data, every step checked."""
from __future__ import annotations

__version__ = "0.1.0"
