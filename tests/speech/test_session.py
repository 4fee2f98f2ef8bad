"""The audio session on real models: event order, latency, barge-in, no-input re-prompts, typed input."""

from __future__ import annotations

import asyncio
import time

import numpy as np
import pytest

from core.audio import AudioFrame, concat, resample, split
from core.events import (
    BotSaid,
    CallFinished,
    EngineChanged,
    FinalTranscript,
    PromptAudio,
    SessionError,
    SessionEvent,
    SpeechStarted,
    SpeechStopped,
    StateChanged,
    StopPlayback,
    TurnEnded,
)
from core.policy import Policy
from core.prompts import PromptBook, PromptKey
from core.session import Session, TurnSettings
from core.speech.context import QuestionContext
from core.speech.simulated_call import simulate_call
from core.understanding import understand
from tests.speech.conftest import Say, new_conversation

pytestmark = pytest.mark.slow
RATE = 16000


class Recorder:
    """Collects a session's events in a background task; `wait_for` blocks until one kind arrives."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.events: list[SessionEvent] = []
        self._arrived = asyncio.Event()
        self.task = asyncio.ensure_future(self._run())

    async def _run(self) -> None:
        async for event in self.session.events():
            self.events.append(event)
            self._arrived.set()

    async def wait_for(self, kind: type, count: int = 1, timeout: float = 20.0) -> None:
        deadline = time.monotonic() + timeout
        while sum(isinstance(e, kind) for e in self.events) < count:
            self._arrived.clear()
            await asyncio.wait_for(self._arrived.wait(), max(0.01, deadline - time.monotonic()))

    def kinds(self) -> list[type]:
        return [type(event) for event in self.events]


def make_session(engine, policy: Policy, prompts: PromptBook, settings: TurnSettings | None = None) -> Session:
    return Session(
        engine,
        new_conversation(policy, prompts),
        settings,
        input_rate=RATE,
        context=QuestionContext(policy, understand),
    )


async def speak_into(session: Session, audio: AudioFrame, trailing: float = 0.0) -> None:
    """Speech as fast as the session takes it; the caller's pauses in real time."""
    line = concat([resample(audio, RATE), AudioFrame.silence(trailing, RATE)])
    due = None
    for frame in split(line):
        await session.push_audio(frame)
        if session.caller_paused:
            due = (time.monotonic() if due is None else due) + frame.duration
            await asyncio.sleep(max(0.0, due - time.monotonic()))
        else:
            due = None
            await asyncio.sleep(0)


async def test_one_spoken_turn_yields_events_in_order(
    engine, policy: Policy, prompts: PromptBook, piper_say: Say
) -> None:
    session = make_session(engine, policy, prompts)
    recorder = Recorder(session)
    await session.start()
    await recorder.wait_for(PromptAudio)
    await asyncio.sleep(0.05)
    greeting = next(e for e in recorder.events if isinstance(e, BotSaid))
    session.playback_finished(greeting.prompt_id)
    await speak_into(session, concat([AudioFrame.silence(0.3, RATE), resample(piper_say("Yes."), RATE)]), trailing=2.0)
    await recorder.wait_for(BotSaid, 2)
    await session.hang_up()
    await recorder.task

    kinds = [kind for kind in recorder.kinds() if kind not in (PromptAudio,)]
    assert kinds[:3] == [EngineChanged, StateChanged, BotSaid]
    turn = [
        k for k in kinds[3:] if k in (SpeechStarted, SpeechStopped, FinalTranscript, TurnEnded, StateChanged, BotSaid)
    ]
    assert turn[:6] == [SpeechStarted, SpeechStopped, FinalTranscript, TurnEnded, StateChanged, BotSaid]
    assert kinds[-2:] == [StateChanged, CallFinished], "the hang-up's edges are announced like any other step"
    second = [e for e in recorder.events if isinstance(e, BotSaid)][1]
    chunks = [e for e in recorder.events if isinstance(e, PromptAudio) and e.prompt_id == second.prompt_id]
    assert chunks and chunks[0].chunk.sample_rate == engine.voice.sample_rate and len(chunks[0].chunk)
    record = recorder.events[-1].record
    assert record.turns[0].caller.lower().startswith("yes") and record.answers["employment"] == "salaried"
    assert 0 < record.turns[0].latency_ms < 1500


async def test_speech_over_a_prompt_interrupts_it(engine, policy: Policy, prompts: PromptBook, piper_say: Say) -> None:
    session = make_session(engine, policy, prompts)
    recorder = Recorder(session)
    await session.start()  # the greeting is ~8 s long and nobody says it finished playing
    await speak_into(
        session, concat([AudioFrame.silence(1.0, RATE), resample(piper_say("Yes, I am salaried."), RATE)]), 2.0
    )
    await recorder.wait_for(BotSaid, 2)
    await session.hang_up()
    await recorder.task

    kinds = recorder.kinds()
    stop = kinds.index(StopPlayback)
    assert SpeechStarted in kinds[:stop] and FinalTranscript not in kinds[:stop]  # cut off while still talking
    assert recorder.events[stop] == StopPlayback(prompt_id=1)
    record = recorder.events[-1].record
    assert record.turns[0].barge_in and record.answers["employment"] == "salaried"


async def test_a_murmur_at_the_start_of_a_prompt_does_not_interrupt(
    engine, policy: Policy, prompts: PromptBook, piper_say: Say
) -> None:
    session = make_session(engine, policy, prompts)
    recorder = Recorder(session)
    await session.start()
    await speak_into(session, concat([AudioFrame.silence(0.1, RATE), resample(piper_say("Hmm."), RATE)]), trailing=1.5)
    await session.hang_up()
    await recorder.task
    assert StopPlayback not in recorder.kinds() and TurnEnded not in recorder.kinds()


async def test_silence_is_reprompted_then_ends_politely(engine, policy: Policy, prompts: PromptBook) -> None:
    quiet = AudioFrame.silence(0.5, RATE)
    started = time.monotonic()
    call = await simulate_call(
        engine, [quiet, quiet, quiet], policy, prompts, understand, settings=TurnSettings(no_input_timeout=2.0)
    )
    record = call.record
    assert [turn.caller for turn in record.turns[:3]] == ["", "", ""]
    assert "still there" in record.turns[2].bot.lower()
    assert record.outcome == "incomplete" and record.turns[-1].bot == prompts[PromptKey.INCOMPLETE]
    assert time.monotonic() - started < 5.0  # silence is fed as fast as it is taken


async def test_typed_replies_and_wrong_rate_audio(engine, policy: Policy, prompts: PromptBook) -> None:
    session = make_session(engine, policy, prompts)
    recorder = Recorder(session)
    await session.start()
    await session.push_audio(AudioFrame(np.zeros(160, np.int16), 8000))
    await session.push_text("yes")
    await recorder.wait_for(BotSaid, 2)
    await session.hang_up()
    await recorder.task
    errors = [e for e in recorder.events if isinstance(e, SessionError)]
    assert errors and errors[0].kind == "audio" and "8000" in errors[0].message
    ended = [e for e in recorder.events if isinstance(e, TurnEnded)]
    assert ended == [TurnEnded("yes", "typed", ended[0].at)]
    assert recorder.events[-1].record.answers["employment"] == "salaried"


async def test_half_duplex_ignores_the_caller_while_a_prompt_plays(
    engine, policy: Policy, prompts: PromptBook, piper_say: Say
) -> None:
    session = make_session(engine, policy, prompts, TurnSettings(half_duplex=True))
    recorder = Recorder(session)
    await session.start()
    await speak_into(
        session, concat([AudioFrame.silence(1.0, RATE), resample(piper_say("Yes, I am salaried."), RATE)]), 1.5
    )
    heard_over_prompt = [kind for kind in recorder.kinds() if kind in (SpeechStarted, StopPlayback, TurnEnded)]
    await session.hang_up()
    await recorder.task
    assert heard_over_prompt == []  # the speaker's own prompt must not be taken for the caller
