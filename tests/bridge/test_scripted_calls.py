"""Whole bridge calls on the scripted engine: the real bridge, wire, pacing and records, no models.

Prompts are short tones and replies scripted, so a call takes seconds of real-time pacing rather than
the tens of seconds real prompts and Whisper take; test_twilio_call.py keeps the real-model calls.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bench.call_sim import Press, Say, TwilioCaller
from tests.bridge.harness import AUTH_TOKEN, BridgeUnderTest, FakeTwilio, running_bridge
from tests.fakes.scripted_engine import ScriptedEngine, speech

RATE = 8000
PROMPT_S_PER_CHAR = 0.01
"""Prompts long enough (~0.4-2 s) that some audio still arrives after the simulated caller's answer,
as real prompts do (a prompt shorter than the pacing lead arrives whole before the keypad answer ends)."""


@pytest.fixture
def engine() -> ScriptedEngine:
    return ScriptedEngine(voice_rate=RATE, seconds_per_char=PROMPT_S_PER_CHAR)


@pytest.fixture
async def scripted_bridge(
    engine: ScriptedEngine, tmp_path: Path, fake_twilio: FakeTwilio
) -> AsyncIterator[BridgeUnderTest]:
    async with running_bridge(engine, tmp_path / "records.db", fake_twilio.url) as running:
        yield running


async def test_a_spoken_call_ends_with_the_rest_hang_up(
    scripted_bridge: BridgeUnderTest, engine: ScriptedEngine, fake_twilio: FakeTwilio
) -> None:
    engine.script.extend(engine_readings("Yes I am salaried.", "Forty thousand rupees.", "Mumbai."))
    caller = TwilioCaller(scripted_bridge.url, AUTH_TOKEN)
    result = await caller.run([Say(speech(0.6, RATE)) for _ in range(3)])

    assert result.error is None and result.ended_by == "server" and result.close_code == 1000
    assert fake_twilio.hangups == [(caller.call_sid, {"Status": "completed"})]
    assert result.clears == 0 and len(result.latencies_s) == 3
    record = await scripted_bridge.api(f"/api/calls/{caller.call_sid}")
    assert record["outcome"] == "eligible" and record["engine"] == "scripted"
    assert record["answers"] == {"employment": "salaried", "monthly_salary": 40000, "city": "Mumbai"}


async def test_the_answer_cut_off_by_a_hang_up_is_kept(
    scripted_bridge: BridgeUnderTest, engine: ScriptedEngine
) -> None:
    """The caller's audio ends mid-answer: end_input() ends the turn, no fake silence is pushed."""
    engine.script.extend(engine_readings("Delhi."))
    caller = TwilioCaller(scripted_bridge.url, AUTH_TOKEN)
    result = await caller.run([Press("1"), Press("45000#"), Say(speech(0.5, RATE), then_hang_up=True)])

    assert result.ended_by == "caller"
    record = await wait_for_record(scripted_bridge, caller.call_sid)
    assert record["answers"] == {"employment": "salaried", "monthly_salary": 45000, "city": "Delhi"}
    assert record["outcome"] == "eligible" and "ended: caller_hangup" in record["notes"]


def engine_readings(*texts: str) -> list:
    from tests.fakes.scripted_engine import Reading

    return [Reading(text) for text in texts]


async def wait_for_record(bridge: BridgeUnderTest, call_sid: str) -> dict:
    import asyncio

    import httpx

    for _ in range(200):  # the record is checkpointed while the call runs: wait for the closed one
        try:
            record = await bridge.api(f"/api/calls/{call_sid}")
        except httpx.HTTPStatusError:
            record = None
        if record is not None and record.get("ended_at"):
            return record
        await asyncio.sleep(0.05)
    raise AssertionError("the call's record was never closed")
