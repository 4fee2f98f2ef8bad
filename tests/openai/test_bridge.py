"""Phone calls through the real telephony bridge on the openai engine: Twilio μ-law in, pcmu to OpenAI."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bench.call_sim import BargeIn, Say, TwilioCaller
from core.audio import AudioFrame
from tests.bridge.harness import AUTH_TOKEN, BridgeUnderTest, FakeTwilio, loopback_socket, running_bridge, serve
from tests.fakes.realtime_server import FakeRealtimeServer
from tests.openai.conftest import openai_engine, spoken

ANSWERS = ("Yes, I am salaried.", "My salary is forty thousand rupees.", "I live in Mumbai.")


@pytest.fixture
async def twilio_api() -> AsyncIterator[FakeTwilio]:
    fake = FakeTwilio()
    sock, port = loopback_socket()
    async with serve(fake.app(), sock):
        fake.url = f"http://127.0.0.1:{port}"
        yield fake


@pytest.fixture
async def bridge(fake: FakeRealtimeServer, tmp_path: Path, twilio_api: FakeTwilio) -> AsyncIterator[BridgeUnderTest]:
    engine = openai_engine(fake, OPENAI_RECONNECT_ATTEMPTS="2", OPENAI_PROMPT_AUDIO="pcmu")
    async with running_bridge(engine, tmp_path / "records.db", twilio_api.url) as running:
        yield running


def _voice(text: str) -> AudioFrame:
    return spoken(text, 8000, after_s=0.0)


async def test_phone_call_on_openai_is_decided_and_recorded(bridge: BridgeUnderTest, fake: FakeRealtimeServer) -> None:
    caller = TwilioCaller(bridge.url, AUTH_TOKEN)
    result = await caller.run([Say(_voice(text)) for text in ANSWERS])

    assert result.error is None and result.ended_by == "server"
    record = await bridge.api(f"/api/calls/{caller.call_sid}")
    assert record["outcome"] == "eligible", record
    assert record["answers"] == {"employment": "salaried", "monthly_salary": 40000, "city": "Mumbai"}
    assert record["engine"] == "openai" and record["channel"] == "twilio"
    (session,) = fake.sessions
    assert session.decoder.fmt == "audio/pcmu"  # μ-law straight through, never resampled
    assert bridge.runtime.engine is not None and bridge.runtime.engine.voice.sample_rate == 8000  # μ-law prompts
    assert fake.utterances == 3
    assert fake.violations == []


async def test_caller_talking_over_a_prompt_clears_twilio_playback(
    bridge: BridgeUnderTest, fake: FakeRealtimeServer
) -> None:
    """OpenAI's speech_started during the greeting is a barge-in: the bridge sends Twilio `clear`."""
    caller = TwilioCaller(bridge.url, AUTH_TOKEN)
    script = [BargeIn(_voice(ANSWERS[0]), after_s=2.0), Say(_voice(ANSWERS[1])), Say(_voice(ANSWERS[2]))]
    result = await caller.run(script)

    assert result.clears >= 1
    record = await bridge.api(f"/api/calls/{caller.call_sid}")
    assert record["turns"][0]["barge_in"] is True
    assert record["outcome"] == "eligible", record


async def test_openai_dropping_mid_call_finishes_the_phone_call_offline(
    bridge: BridgeUnderTest, fake: FakeRealtimeServer
) -> None:
    fake.faults.drop_at_speech = 2
    fake.faults.refuse_after_drop = True
    caller = TwilioCaller(bridge.url, AUTH_TOKEN)
    result = await caller.run([Say(_voice(text)) for text in ANSWERS])

    assert result.error is None and result.ended_by == "server"
    record = await bridge.api(f"/api/calls/{caller.call_sid}")
    assert record["outcome"] == "eligible", record
    assert record["answers"] == {"employment": "salaried", "monthly_salary": 40000, "city": "Mumbai"}
    assert fake.drops == 1 and fake.utterances == 2
    assert all(latency is not None and latency < 3.0 for latency in result.latencies_s), result.latencies_s
