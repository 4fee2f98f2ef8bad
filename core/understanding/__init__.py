"""Answer understanding: understand(question, text, policy) -> Understanding; warm_up(policy) at start-up."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from core.understanding.engine import understand, warm_up

__all__ = ["understand", "warm_up"]


def __getattr__(name: str) -> Any:
    """Import the engine on first use: core.dialogue imports types from here and the engine imports core.dialogue."""
    if name in __all__:
        return getattr(importlib.import_module("core.understanding.engine"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
