"""Answer understanding: understand(question, text, policy) -> Understanding."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from core.understanding.engine import understand

__all__ = ["understand"]


def __getattr__(name: str) -> Any:
    """Import the engine on first use: core.dialogue imports types from here and the engine imports core.dialogue."""
    if name == "understand":
        from core.understanding.engine import understand

        return understand
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
