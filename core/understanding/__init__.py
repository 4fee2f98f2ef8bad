"""Answer understanding: understand(question, text, policy) -> Understanding; warm_up(policy) at start-up."""

from core.understanding.engine import understand, warm_up

__all__ = ["understand", "warm_up"]
