"""Keypad fallback for noisy lines: digits become the text answer the dialogue already understands."""

from __future__ import annotations

import time
from collections.abc import Callable

from core.understanding.types import Question

YES_NO = {"1": "yes", "2": "no"}
MAX_AMOUNT_DIGITS = 9
PAUSE_S = 3.0
"""At the salary question, a pause this long ends keypad entry as if # was pressed."""


class Keypad:
    """1 = yes and 2 = no at yes/no questions and read-backs; at the salary question, digits then # give the amount.

    The salary question is also a yes/no question, so a lone 1 or 2 there means yes or no once the
    caller presses # or stops typing (`flush`).
    """

    def __init__(self, pause_s: float = PAUSE_S, clock: Callable[[], float] = time.monotonic) -> None:
        self._digits = ""
        self._pause_s = pause_s
        self._clock = clock
        self._deadline: float | None = None

    @property
    def pending(self) -> bool:
        """Digits typed at the salary question and not yet ended by # or a pause."""
        return bool(self._digits)

    def press(self, digit: str, question: Question | None, *, yes_no: bool = False) -> str | None:
        """The answer text this key completes, if any; digits left pending start the pause timer.
        `yes_no`: the bot read an answer back and awaits a yes or no, whatever the question (1 confirms,
        2 denies)."""
        answer = self._press(digit, question, yes_no)
        self._deadline = self._clock() + self._pause_s if self._digits else None
        return answer

    def wait_s(self) -> float | None:
        """Seconds until a pause ends the pending entry (0: now; None: nothing pending)."""
        if self._deadline is None or not self._digits:
            return None
        return max(0.0, self._deadline - self._clock())

    def _press(self, digit: str, question: Question | None, yes_no: bool) -> str | None:
        if question is Question.EMPLOYMENT or yes_no:
            self._digits = ""
            return YES_NO.get(digit)
        if question is not Question.SALARY:
            self._digits = ""
            return None
        if digit == "#":
            return self.flush()
        if digit == "*":
            self._digits = ""
        elif digit.isdigit() and len(self._digits) < MAX_AMOUNT_DIGITS:
            self._digits += digit
        return None

    def flush(self) -> str | None:
        """End the salary entry: a lone 1/2 is yes/no, anything else an amount in rupees."""
        digits, self._digits = self._digits, ""
        self._deadline = None
        if not digits:
            return None
        if digits in YES_NO:
            return YES_NO[digits]
        return f"{int(digits)} rupees"
