"""Whole calls through `Screening` and `Session` on the scripted engine: real session, dialogue and timers,
turns ended on audio time, so each call runs in milliseconds (tests/speech keeps the real-model ones)."""

from __future__ import annotations

import asyncio
import time

import pytest

from core.audio import AudioFrame
from core.dialogue.table import State
from core.events import (
    BotSaid,
    CallFinished,
    ErrorKind,
    PromptAudio,
    SessionError,
    SessionEvent,
    StateChanged,
    StopPlayback,
    TurnEnded,
    TurnEndReason,
)
from core.screening import Screening
from core.session import Session
from core.understanding.types import Question
from tests.fakes.scripted_engine import Reading, ScriptedEngine, speech

RATE = 16000
FRAME_S = 0.02


@pytest.fixture(scope="module")
def screening() -> Screening:
    return Screening.load()


class Line:
    """A front end in miniature: records events and plays each prompt at once (unless told not to)."""

    def __init__(self, session: Session, *, plays: bool = True) -> None:
        self.session = session
        self.plays = plays
        self.events: list[SessionEvent] = []
        self.task = asyncio.ensure_future(self._run())

    async def _run(self) -> None:
        async for event in self.session.events():
            self.events.append(event)
            if isinstance(event, PromptAudio) and event.last and self.plays:
                self.session.playback_finished(event.prompt_id)

    async def say(self, audio: AudioFrame) -> None:
        """Caller audio in 20 ms frames, letting the session react between frames (no real-time waits)."""
        step = int(RATE * FRAME_S)
        for start in range(0, len(audio), step):
            await self.session.push_audio(AudioFrame(audio.samples[start : start + step], RATE))
            await asyncio.sleep(0)

    async def answer(self, seconds: float = 0.6) -> None:
        """Wait for the prompt to play out, speak, then stay quiet long enough to end the turn."""
        await self.settled()
        await self.say(speech(seconds, RATE))
        await self.say(AudioFrame.silence(1.0, RATE))
        await self.settled()

    async def settled(self) -> None:
        for _ in range(20):
            await asyncio.sleep(0)

    def of(self, kind: type) -> list:
        return [event for event in self.events if isinstance(event, kind)]


async def test_a_spoken_call_runs_on_audio_time(screening: Screening) -> None:
    engine = ScriptedEngine(["Yes I am salaried.", "Forty thousand rupees.", "Mumbai."])
    session = screening.open_session(engine, channel="test", input_rate=RATE)
    line = Line(session)
    started = time.monotonic()
    await session.start()
    assert session.question is Question.EMPLOYMENT
    for _ in range(3):
        await line.answer()
    await asyncio.wait_for(line.task, 5)
    assert time.monotonic() - started < 3.0, "no step waits on the wall clock"

    record = line.of(CallFinished)[0].record
    assert record.outcome == "eligible" and record.engine == "scripted"
    assert record.answers == {"employment": "salaried", "monthly_salary": 40000, "city": "Mumbai"}
    assert [turn.reason for turn in line.of(TurnEnded)] == [TurnEndReason.SILENCE] * 3
    assert all(turn.latency_ms is not None for turn in record.turns[:3])
    assert isinstance(line.events[-2], StateChanged) and line.events[-2].state is State.END
    assert line.events[-2].edges, "closing edges are announced, the diagram need not rebuild them"
    assert session.question is None and session.record is record


async def test_end_input_keeps_the_answer_a_hang_up_cut_off(screening: Screening) -> None:
    engine = ScriptedEngine(["yes", "sixty thousand", "Delhi"])
    session = screening.open_session(engine, channel="test", input_rate=RATE)
    line = Line(session)
    await session.start()
    await line.answer()
    await line.answer()
    await line.settled()
    await line.say(speech(0.5, RATE))  # the caller says "Delhi" and hangs up: no silence ever follows
    await session.end_input()
    await session.hang_up()
    await asyncio.wait_for(line.task, 5)

    last = line.of(TurnEnded)[-1]
    assert last.reason is TurnEndReason.END_OF_INPUT and last.text == "Delhi"
    assert line.of(CallFinished)[0].record.outcome == "eligible"


async def test_end_input_without_speech_returns_at_once(screening: Screening) -> None:
    session = screening.open_session(ScriptedEngine(), channel="test", input_rate=RATE)
    line = Line(session)
    await session.start()
    await line.settled()
    started = time.monotonic()
    await session.end_input()
    assert time.monotonic() - started < 0.1 and not line.of(TurnEnded)
    await session.hang_up()
    await asyncio.wait_for(line.task, 5)


async def test_a_failed_decode_is_a_session_error_and_an_unheard_turn(screening: Screening) -> None:
    engine = ScriptedEngine([Reading("yes", fails=True), "yes"])
    session = screening.open_session(engine, channel="test", input_rate=RATE)
    line = Line(session)
    await session.start()
    await line.answer()
    (error,) = line.of(SessionError)
    assert error.kind is ErrorKind.RECOGNITION and "scripted failure" in error.message
    assert line.of(TurnEnded)[0].text == "" and session.question is Question.EMPLOYMENT, "asked again"
    await line.answer()
    assert session.question is Question.SALARY, "the call went on"
    await session.hang_up()
    await asyncio.wait_for(line.task, 5)


async def test_a_slow_decode_still_ends_the_turn(screening: Screening) -> None:
    engine = ScriptedEngine([Reading("yes", decode_s=0.05)])
    session = screening.open_session(engine, channel="test", input_rate=RATE)
    line = Line(session)
    await session.start()
    await line.answer()
    await asyncio.sleep(0.1)
    await line.settled()
    assert session.question is Question.SALARY
    await session.hang_up()
    await asyncio.wait_for(line.task, 5)


async def test_silence_after_a_prompt_is_no_input_on_audio_time(screening: Screening) -> None:
    session = screening.open_session(ScriptedEngine(), channel="test", input_rate=RATE)
    line = Line(session)
    started = time.monotonic()
    await session.start()
    await line.settled()
    await line.say(AudioFrame.silence(7.0, RATE))
    await line.settled()
    assert [turn.reason for turn in line.of(TurnEnded)] == [TurnEndReason.NO_INPUT]
    assert time.monotonic() - started < 3.0
    await session.hang_up()
    await asyncio.wait_for(line.task, 5)


async def test_speech_over_a_prompt_stops_it(screening: Screening) -> None:
    engine = ScriptedEngine(["yes I am salaried"])
    session = screening.open_session(engine, channel="test", input_rate=RATE)
    line = Line(session, plays=False)  # nobody says the greeting finished: it is still playing
    await session.start()
    await line.settled()
    await line.say(AudioFrame.silence(0.6, RATE))
    await line.say(speech(1.0, RATE))
    assert line.of(StopPlayback) == [StopPlayback(1)]
    await line.say(AudioFrame.silence(1.0, RATE))
    await line.settled()
    await session.hang_up()
    await asyncio.wait_for(line.task, 5)
    record = line.of(CallFinished)[0].record
    assert record.turns[0].barge_in and record.answers["employment"] == "salaried"


async def test_a_typed_call_is_a_session_on_the_text_engine(screening: Screening) -> None:
    session = screening.open_typed_session(channel="kiosk")
    line = Line(session)
    await session.start()
    await line.settled()
    for bot in line.of(BotSaid):
        session.playback_finished(bot.prompt_id)  # shown is played
    await session.push_text("yes I am salaried")
    await line.settled()
    session.note("typed only: no microphone")
    await session.hang_up()
    await asyncio.wait_for(line.task, 5)

    record = line.of(CallFinished)[0].record
    assert record.engine == "text" and record.channel == "kiosk" and record.outcome == "incomplete"
    assert record.answers["employment"] == "salaried" and "typed only: no microphone" in record.notes
    assert [turn.reason for turn in line.of(TurnEnded)] == [TurnEndReason.TYPED]
    assert not any(len(event.chunk) for event in line.of(PromptAudio)), "a typed call plays nothing"
    assert not any(turn.barge_in for turn in record.turns)
    closing = line.of(StateChanged)[-1]
    assert closing.state is State.END and closing.edges


def test_a_call_opens_in_the_language_asked_for_and_an_unknown_one_is_named(screening: Screening) -> None:
    hindi = screening.open_typed_session(channel="kiosk", language="hi")
    assert hindi.record.language == "hi"
    assert screening.open_typed_session(channel="kiosk").record.language == "en"
    assert screening.prompts_for("hi") is screening.prompts_for("hi-IN"), "each language's prompts load once"
    with pytest.raises(ValueError, match="'xx'"):
        screening.open_typed_session(channel="kiosk", language="xx")
