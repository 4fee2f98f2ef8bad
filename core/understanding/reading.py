"""What one statement says about one slot, before a reply's statements are weighed against each other."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Generic, TypeVar

from core.understanding.types import Slot

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Reading(Generic[T]):
    """A statement's value for a slot, or None when it speaks of the slot without deciding it
    ('between 20 and 30 thousand' against a 25,000 minimum)."""

    slot: Slot[T] | None
    weight: int = 0
    """Among current statements the heavier wins without a contradiction: where the caller lives over a
    place merely named, the salary basis the policy counts (take-home or CTC) over the other."""
