"""What a `Session` tells its front end, in order, as small frozen dataclasses.

Front ends (kiosk, bridge, simulator) iterate `Session.events()` and match on these types. Times are
seconds on the session clock (0 at `Session.start`), the same clock the audio is on.

Order within one caller turn:
    SpeechStarted -> [PartialTranscript ...] -> SpeechStopped -> (speech may resume: SpeechStarted ...)
    -> FinalTranscript -> TurnEnded -> StateChanged -> BotSaid -> PromptAudio ... (last=True)
and, when the caller talks over a prompt: SpeechStarted -> StopPlayback (the prompt id cut off).
The call ends with the closing prompt, then CallFinished once that prompt has played.
"""

from __future__ import annotations

from dataclasses import dataclass

from core.audio import AudioFrame
from core.dialogue.table import Edge, State
from core.record import CallRecord


@dataclass(frozen=True, slots=True)
class SpeechStarted:
    """The caller started speaking (VAD opened)."""

    at: float


@dataclass(frozen=True, slots=True)
class SpeechStopped:
    """The caller went quiet; the turn may still continue if they resume."""

    at: float


@dataclass(frozen=True, slots=True)
class PartialTranscript:
    """Text recognised so far in this turn (may change); for live captions only."""

    text: str


@dataclass(frozen=True, slots=True)
class FinalTranscript:
    """What the recogniser heard for the whole turn ("" when nothing usable was heard)."""

    text: str
    confidence: float | None
    alternatives: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class TurnEnded:
    """The caller's turn is over and was handed to the dialogue.

    `text` is what the caller said as the dialogue recorded it (the transcript, typed text, or "" for
    silence); `reason` is one of "silence" (end-of-turn silence), "early" (a complete answer before the
    full silence), "max_turn" (the caller talked too long), "no_input" (nothing said in time) or
    "typed" (push_text).
    """

    text: str
    reason: str
    at: float


@dataclass(frozen=True, slots=True)
class StateChanged:
    """The dialogue moved: the table edges taken (for the UI diagram), the new state, the path so far."""

    edges: tuple[Edge, ...]
    state: State
    path: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class BotSaid:
    """The exact text of the prompt about to play, with the id its PromptAudio chunks carry."""

    text: str
    prompt_id: int
    closing: bool
    """This is the last prompt: the call finishes after it has played."""


@dataclass(frozen=True, slots=True)
class PromptAudio:
    """One chunk of prompt audio to play, in order (a sentence at a time, at the session's output rate);
    `last` marks the prompt's final chunk, which is empty.

    After playing the last chunk, the front end calls `Session.playback_finished(prompt_id)`
    (Twilio: when the mark comes back; kiosk: when the speaker buffer drained).
    """

    chunk: AudioFrame
    prompt_id: int
    last: bool


@dataclass(frozen=True, slots=True)
class StopPlayback:
    """Barge-in: the caller talks over this prompt; stop playing it now and drop queued chunks."""

    prompt_id: int


@dataclass(frozen=True, slots=True)
class EngineChanged:
    """The speech engine now serving this session (at start, and on fail-over)."""

    name: str


@dataclass(frozen=True, slots=True)
class SessionError:
    """Something went wrong that the front end should show or log; `kind` is a short tag
    ("engine", "audio", "internal"). The session keeps going when it can."""

    kind: str
    message: str


@dataclass(frozen=True, slots=True)
class CallFinished:
    """The call is over; the record is final (store it). No events follow."""

    record: CallRecord


SessionEvent = (
    SpeechStarted
    | SpeechStopped
    | PartialTranscript
    | FinalTranscript
    | TurnEnded
    | StateChanged
    | BotSaid
    | PromptAudio
    | StopPlayback
    | EngineChanged
    | SessionError
    | CallFinished
)
