"""The small interface every speech engine implements (offline Silero+Whisper+Piper, OpenAI Realtime).

A `SpeechEngine` is created once per process (it holds the loaded models) and shared by all calls.
Each call opens its own `Listener`; prompts are spoken by the engine's `PromptVoice`.

Listener contract (what `core.session.Session` relies on):
- `set_question(question, expected)` before each caller turn gives recognition context; `None` means no
  reply is expected (the listener still reports speech, for barge-in, but never sends FinalText).
- `await push(frame)` with caller audio at the rate given to `open_listener`, in order, any frame size.
  It must return quickly: heavy work goes to a thread, never onto the event loop.
- `events()` yields, per turn: SpeechStarted -> [PartialText] -> SpeechStopped -> ... -> FinalText.
  Speech may resume after SpeechStopped (SpeechStarted again) within one turn. The listener decides the
  end of the turn itself (its VAD / endpointing, or the server's VAD) using `TurnSettings`, and sends
  exactly one FinalText per turn that contained speech (text "" when nothing usable was heard).
  After FinalText the listener starts a fresh turn. It never sends FinalText for a turn without speech
  (no-input time-outs are the session's job).
- `end_input()` says the caller's audio has ended (hang-up): a turn with speech in it ends now
  (FinalText with reason END_OF_INPUT) instead of waiting for silence that will never come; it returns
  whether such a FinalText is on its way.
- A turn whose decoding fails is reported as RecognitionFailed, then ends with FinalText "".
- `reset()` drops any audio and turn in progress (the session calls it when it answered by other means,
  e.g. typed text, or when a prompt starts in half-duplex mode).
- All times (`at`, `speech_end`) are seconds of audio pushed into this listener so far.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Hashable, Iterable
from dataclasses import dataclass
from typing import Protocol

from core.audio import AudioFrame
from core.events import TurnEndReason
from core.understanding.types import Question


@dataclass(frozen=True, slots=True)
class TurnSettings:
    """When a caller turn ends, when silence counts as no answer, and when speech interrupts a prompt."""

    end_of_turn_silence: float = 0.6
    """Seconds of silence after speech that end the turn."""
    early_end_silence: float = 0.35
    """Silence after which a complete, confident answer ("yes", "Mumbai", "forty thousand") ends the turn;
    longer than the pause after "Yes," in "Yes, I am salaried" (up to ~0.3 s)."""
    mid_number_silence: float = 1.4
    """Silence allowed while the caller is mid-number ("thirty ... five thousand")."""
    no_input_timeout: float = 6.0
    """Seconds after a prompt finished playing with no speech: treated as a silent (unusable) reply."""
    max_turn: float = 15.0
    """A turn this long is ended even if the caller keeps talking."""
    barge_in_min_speech: float = 0.3
    """Sustained speech over a prompt needed to interrupt it."""
    barge_in_grace: float = 0.5
    """Speech in the first seconds of a prompt never interrupts it (echo of our own start, a late 'yes')."""
    half_duplex: bool = False
    """Ignore caller audio while a prompt plays (speaker and mic without echo cancellation)."""


@dataclass(frozen=True, slots=True)
class Expectation:
    """What the caller is likely to say next: recognition context and an early end-of-turn test."""

    question: Question
    prompt: str
    """Recogniser context listing the expected words (Whisper initial_prompt, Realtime instructions)."""
    vocabulary: tuple[str, ...]
    """Words and phrases a misheard reply may be corrected to (city names and aliases, yes/no, amounts)."""
    is_complete: Callable[[str], bool] | None = None
    """True when the text so far is already a complete, confident answer (ends the turn early)."""
    is_answer: Callable[[str], bool] | None = None
    """True when the text is understood as an answer at all; a recogniser may take a second, slower
    look at audio whose text is not."""
    expects_more: Callable[[str], bool] | None = None
    """True when the text so far stops mid-number ("thirty", "one lakh"): allow a longer pause."""
    repair: Callable[[str], str] | None = None
    """Fixes a recogniser's known faults in answers of this kind (amounts written "60, 8,000")."""
    vote_key: Callable[[str], Hashable] | None = None
    """What readings of one turn vote on (the amount said); None: the surest reading wins outright."""


@dataclass(frozen=True, slots=True)
class SpeechStarted:
    at: float


@dataclass(frozen=True, slots=True)
class SpeechStopped:
    at: float


@dataclass(frozen=True, slots=True)
class PartialText:
    text: str


@dataclass(frozen=True, slots=True)
class FinalText:
    """The turn's transcript; `alternatives` are other readings (e.g. vocabulary corrections), best first."""

    text: str
    confidence: float | None
    alternatives: tuple[str, ...]
    speech_end: float
    """End of the caller's last speech in this turn (latency is measured from here)."""
    reason: TurnEndReason = TurnEndReason.SILENCE
    """Why the turn ended: SILENCE, EARLY, MAX_TURN or END_OF_INPUT."""
    other_look: str = ""
    """When the turn was decoded twice and the looks differ: the reading not chosen (the dialogue reads
    an answer back when the looks disagree on it)."""
    injected: bool = False
    """The recogniser dropped context-prompt words it wrote without hearing them: the rest is suspect."""


@dataclass(frozen=True, slots=True)
class EngineSwitched:
    """This call's recogniser is now `name` (a fail-over); `note` says why, for CallRecord.notes."""

    name: str
    note: str


@dataclass(frozen=True, slots=True)
class RecognitionFailed:
    """Decoding this turn's audio failed (`message` says how); the turn still ends, unheard."""

    message: str


ListenerEvent = SpeechStarted | SpeechStopped | PartialText | FinalText | EngineSwitched | RecognitionFailed


class Listener(Protocol):
    """One call's recogniser: caller audio in, speech and transcript events out."""

    sample_rate: int

    def set_question(self, question: Question | None, expected: Expectation | None) -> None: ...

    async def push(self, frame: AudioFrame) -> None: ...

    def events(self) -> AsyncIterator[ListenerEvent]: ...

    def reset(self) -> None: ...

    def end_input(self) -> bool:
        """The caller's audio has ended: finish the turn in progress now; True if a FinalText will follow."""
        ...

    @property
    def paused(self) -> bool:
        """The caller spoke and is now quiet: the turn may end any moment (simulators pace in real time)."""
        ...

    async def aclose(self) -> None: ...


class PromptVoice(Protocol):
    """Speaks the bot's exact prompt text."""

    name: str
    sample_rate: int

    def speak(self, text: str) -> AsyncIterator[AudioFrame]:
        """Audio for `text`, one chunk per sentence in order; cached sentences come with no synthesis,
        the rest are synthesised off the event loop while earlier chunks already play."""
        ...

    def warm(self, texts: Iterable[str]) -> int:
        """Blocking: make sure every sentence of `texts` is cached; returns how many were rendered now."""
        ...


class SpeechEngine(Protocol):
    """Loaded models shared by every call in the process."""

    name: str
    voice: PromptVoice

    def open_listener(self, sample_rate: int, turn: TurnSettings) -> Listener: ...

    async def aclose(self) -> None: ...


class EngineUnavailable(RuntimeError):
    """An engine cannot start (missing model package, no API key); the message is one line for the user."""
