"""Running untrusted checks in killable, memory-capped worker processes."""
from __future__ import annotations

from symproof.isolate.pool import Outcome, Task, WorkerPool

__all__ = ["Outcome", "Task", "WorkerPool"]
