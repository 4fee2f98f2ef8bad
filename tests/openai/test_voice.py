"""Optional OpenAI voice: exact prompt text read once by a Realtime voice, kept only if it was exact."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.audio import AudioFrame, concat
from core.speech.openai_realtime.voice import RealtimeVoice
from tests.fakes.realtime_server import FakeRealtimeServer
from tests.openai.conftest import api_key, offline_engine, settings_for

PROMPT = "Which city do you live in?"


@pytest.fixture
def voice(fake: FakeRealtimeServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> RealtimeVoice:
    monkeypatch.setenv("QUICKRUPEE_CACHE_DIR", str(tmp_path))
    return RealtimeVoice(settings_for(fake, voice_mode="realtime"), api_key(), offline_engine().voice)


async def _spoken(voice: RealtimeVoice, text: str) -> list[AudioFrame]:
    return [chunk async for chunk in voice.speak(text)]


async def test_exact_rendering_is_cached_and_reused(voice: RealtimeVoice, fake: FakeRealtimeServer) -> None:
    first = await _spoken(voice, PROMPT)
    assert [chunk.sample_rate for chunk in first] == [24000]
    assert 1.0 < concat(first).duration < 4.0
    assert voice.rejected == []
    again = await _spoken(voice, PROMPT)
    assert fake.handshakes == 1  # the second time comes from the cache
    assert (again[0].samples == first[0].samples).all()
    request = next(event for event in fake.client_events if event["type"] == "response.create")
    assert request["response"]["conversation"] == "none" and request["response"]["input"] == []
    assert request["response"]["instructions"].endswith("\n" + PROMPT)
    update = next(event for event in fake.client_events if event["type"] == "session.update")
    assert update["session"]["type"] == "realtime"
    assert update["session"]["audio"]["input"]["turn_detection"] is None  # never answers on its own
    assert fake.violations == []


async def test_a_voice_that_goes_off_script_is_not_used(voice: RealtimeVoice, fake: FakeRealtimeServer) -> None:
    fake.faults.improvise = "Have a wonderful day."
    chunks = await _spoken(voice, PROMPT)
    assert voice.rejected == [(PROMPT, f"{PROMPT} Have a wonderful day.")]
    assert {chunk.sample_rate for chunk in chunks} == {offline_engine().voice.sample_rate}  # the offline voice
    assert voice.cache.get(PROMPT) is None


async def test_voice_unavailable_falls_back_to_the_offline_voice(
    voice: RealtimeVoice, fake: FakeRealtimeServer
) -> None:
    await fake.stop()
    chunks = await _spoken(voice, PROMPT)
    assert chunks and {chunk.sample_rate for chunk in chunks} == {offline_engine().voice.sample_rate}
