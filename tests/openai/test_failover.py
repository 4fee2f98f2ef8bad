"""Fail-over: OpenAI goes away mid-call (or never comes) and the call finishes on the offline engine."""

from __future__ import annotations

import asyncio

from core.policy import load_policy
from core.prompts import load_prompts
from core.speech.engine import EngineSwitched, FinalText, SpeechStarted, TurnSettings
from core.speech.simulated_call import SimulatedCall, simulate_call
from core.understanding import understand
from core.understanding.types import Question
from tests.fakes.realtime_server import FakeRealtimeServer
from tests.openai.conftest import frames, openai_engine, spoken

ANSWERS = ("Yes, I am salaried.", "My salary is forty five thousand rupees.", "I live in Mumbai.")


async def _call(fake: FakeRealtimeServer, **env: str) -> SimulatedCall:
    policy = load_policy()
    replies = [spoken(text, 16000) for text in ANSWERS]
    engine = openai_engine(fake, OPENAI_RECONNECT_ATTEMPTS="2", **env)
    return await simulate_call(engine, replies, policy, load_prompts(policy), understand)


def _assert_eligible(call: SimulatedCall) -> None:
    record = call.record
    assert record.outcome == "eligible", record.to_json()
    assert record.answers["employment"] == "salaried"
    assert record.answers["monthly_salary"] == 45000
    assert record.answers["city"] == "Mumbai"


async def test_drop_mid_call_with_reconnects_refused_finishes_offline(fake: FakeRealtimeServer) -> None:
    fake.faults.drop_at_speech = 2  # the salary answer has just started
    fake.faults.refuse_after_drop = True
    call = await _call(fake)

    _assert_eligible(call)
    assert fake.drops == 1 and fake.handshakes == 3  # the first session, then two refused reconnects
    assert fake.utterances == 2  # OpenAI heard the first answer and the start of the second, no more
    salary_turn = call.record.turns[1]
    assert "forty" in (salary_turn.caller or "").lower() or "45" in (salary_turn.caller or "")
    assert salary_turn.latency_ms is not None and salary_turn.latency_ms < 3000  # "a short pause"
    assert fake.violations == []


async def test_bad_key_runs_the_whole_call_offline(fake: FakeRealtimeServer) -> None:
    call = await _call(fake, OPENAI_API_KEY="sk-revoked-key-000")
    _assert_eligible(call)
    assert fake.handshakes == 1 and fake.sessions == []


async def test_fail_over_is_noted_in_the_record(fake: FakeRealtimeServer) -> None:
    call = await _call(fake, OPENAI_API_KEY="sk-revoked-key-000")
    assert any("fail-over" in note and "offline" in note for note in call.record.notes)


async def test_listener_switches_and_replays_the_unfinished_answer(fake: FakeRealtimeServer) -> None:
    """The answer OpenAI was hearing when it dropped is recognised offline, on the call's own clock."""
    fake.faults.drop_at_speech = 1
    fake.faults.refuse_after_drop = True
    engine = openai_engine(fake, OPENAI_RECONNECT_ATTEMPTS="1")
    listener = engine.open_listener(16000, TurnSettings())
    context_prompt = "Which city do you live in? Delhi, Mumbai, Bangalore."
    from core.speech.engine import Expectation

    listener.set_question(Question.CITY, Expectation(Question.CITY, context_prompt, ("Mumbai",)))
    lead = spoken("", 16000, after_s=1.0)
    answer = spoken("I live in Mumbai.", 16000)
    seen: list[object] = []

    async def collect() -> None:
        async for event in listener.events():
            seen.append(event)
            if isinstance(event, FinalText):
                return

    reader = asyncio.create_task(collect())
    for frame in frames(lead) + frames(answer):
        await listener.push(frame)
        await asyncio.sleep(0.002)
    await asyncio.wait_for(reader, 20)
    await listener.aclose()

    switched = [event for event in seen if isinstance(event, EngineSwitched)]
    assert len(switched) == 1 and switched[0].name == "offline"
    assert "openai -> offline" in switched[0].note and "503" in switched[0].note
    final = seen[-1]
    assert isinstance(final, FinalText) and "mumbai" in final.text.lower()
    starts = [event.at for event in seen if isinstance(event, SpeechStarted)]
    total = lead.duration + answer.duration
    assert all(lead.duration - 0.5 <= at <= total for at in starts), (starts, lead.duration)
    assert lead.duration < final.speech_end <= total
