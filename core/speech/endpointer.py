"""Where speech starts and stops in a stream of VAD windows: time and speech probability in, decisions out.

Pure (no model, no asyncio, no clock of its own), in the style of Home Assistant's
`VoiceCommandSegmenter`, so its rules are tested window by window in milliseconds. The listener feeds
one `step(at, probability)` per VAD window and acts on the decisions; when the turn ends is the
listener's call, since it also depends on the text (complete answers end early).
"""

from __future__ import annotations

from enum import Enum

START_WINDOWS = 2
"""Consecutive speech windows that open speech (64 ms)."""
SOFT_START_WINDOWS = 4
"""Consecutive windows above the closing threshold that also open speech (128 ms): band-limited phone
speech often scores 0.3-0.45 for a whole word ("sixty" in "sixty six thousand")."""
STOP_WINDOWS = 2
"""Consecutive quiet windows that close it (64 ms): the speculative decode starts here."""
CLOSE_MARGIN = 0.15
"""Speech closes below threshold - margin (hysteresis against flicker)."""


class Decision(Enum):
    """What one window changed."""

    QUIET = "quiet"
    """No speech yet in this turn."""
    OPENED = "opened"
    """Speech began at `Endpointer.opened_at`."""
    SPEAKING = "speaking"
    """Speech goes on."""
    CLOSED = "closed"
    """The caller went quiet (speech ended at `speech_end`); speech may resume within the turn."""
    PAUSED = "paused"
    """Still quiet after speech: the turn may end now (see `silence`)."""
    MAX_TURN = "max_turn"
    """The turn has lasted `max_turn` seconds of speech: it ends whatever the caller does."""


class Endpointer:
    """One turn's speech state from per-window speech probabilities (window times in seconds)."""

    def __init__(self, threshold: float, window: float, max_turn: float) -> None:
        self.open_at = threshold
        self.close_at = threshold - CLOSE_MARGIN
        self.window = window
        self.max_turn = max_turn
        self.reset()

    def reset(self) -> None:
        """A fresh turn: nothing heard yet."""
        self.in_speech = False
        self.had_speech = False
        self.stirring = False
        """The last window scored above the closing threshold: the caller may be starting again."""
        self.turn_start = 0.0
        self.speech_end = 0.0
        self.opened_at = 0.0
        self.now = 0.0
        self._run = 0
        self._soft_run = 0
        self._quiet = 0

    @property
    def paused(self) -> bool:
        """Speech was heard and the caller is quiet now."""
        return self.had_speech and not self.in_speech

    @property
    def silence(self) -> float:
        """Seconds since the caller's speech last ended (0 while speaking)."""
        return self.now - self.speech_end

    def step(self, at: float, probability: float) -> tuple[Decision, ...]:
        """The window ending at `at` scored `probability`; usually one decision, CLOSED + MAX_TURN at most."""
        self.now = at
        if not self.in_speech:
            return (self._while_quiet(at, probability),)
        if probability >= self.close_at:
            self._quiet = 0
            self.speech_end = at
            decisions = [Decision.SPEAKING]
        else:
            self._quiet += 1
            decisions = [Decision.SPEAKING]
            if self._quiet >= STOP_WINDOWS:
                self._close()
                decisions = [Decision.CLOSED]
        if at - self.turn_start >= self.max_turn:
            self.in_speech = False
            decisions.append(Decision.MAX_TURN)
        return tuple(decisions)

    def cut_off(self) -> None:
        """The audio ended (the caller hung up): speech still open counts as ended at the last window."""
        if self.in_speech:
            self.speech_end = self.now
            self._close()

    def _while_quiet(self, at: float, probability: float) -> Decision:
        self._run = self._run + 1 if probability >= self.open_at else 0
        self._soft_run = self._soft_run + 1 if probability >= self.close_at else 0
        self.stirring = probability >= self.close_at
        if self._run >= START_WINDOWS or self._soft_run >= SOFT_START_WINDOWS:
            windows = self._soft_run if self._run < START_WINDOWS else START_WINDOWS
            self._open(at, windows)
            return Decision.OPENED
        return Decision.PAUSED if self.had_speech else Decision.QUIET

    def _open(self, at: float, windows: int) -> None:
        """Speech began `windows` windows before `at`."""
        self.in_speech = True
        self._quiet = 0
        self.speech_end = at
        self.opened_at = at - windows * self.window
        if not self.had_speech:
            self.had_speech = True
            self.turn_start = self.opened_at

    def _close(self) -> None:
        self.in_speech = False
        self._run = 0
        self._soft_run = 0
        self.stirring = False
