"""Answer understanding: understand(question, text, policy) -> Understanding."""

from core.understanding.engine import understand

__all__ = ["understand"]
