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
from enum import StrEnum

from core.audio import AudioFrame
from core.dialogue.table import Edge, State
from core.record import CallRecord


class TurnEndReason(StrEnum):
    """Why a caller turn ended (a StrEnum: compares equal to its value, logs and serialises as one)."""

    SILENCE = "silence"
    """End-of-turn silence after speech."""
    EARLY = "early"
    """A complete, confident answer before the full silence."""
    MAX_TURN = "max_turn"
    """The caller talked too long."""
    NO_INPUT = "no_input"
    """Nothing said in time after the prompt."""
    TYPED = "typed"
    """Typed text or keypad digits (`Session.push_text`)."""
    END_OF_INPUT = "end_of_input"
    """The caller's audio ended mid-answer (hang-up): what they said so far is the reply."""


class ErrorKind(StrEnum):
    """What a SessionError is about, for the front end's message and metric label."""

    ENGINE = "engine"
    """The speech engine failed (prompt synthesis, a remote recogniser)."""
    RECOGNITION = "recognition"
    """Decoding one caller turn failed; the turn counts as unheard and the call goes on."""
    AUDIO = "audio"
    """Caller audio the session cannot take (wrong rate)."""
    INTERNAL = "internal"
    """A bug caught so the call stays alive."""


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
    silence); `reason` says why the turn ended (`TurnEndReason`).
    """

    text: str
    reason: TurnEndReason
    at: float


@dataclass(frozen=True, slots=True)
class StateChanged:
    """The dialogue moved: the table edges taken (for the UI diagram), the new state, the path so far.
    Also sent when the call is hung up or closed, with the closing edges, so a diagram never has to
    rebuild them from `path`."""

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
    """Something went wrong that the front end should show or log. The session keeps going when it can."""

    kind: ErrorKind
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
