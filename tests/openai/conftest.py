"""Fixtures for the OpenAI engine tests: a fake Realtime server on loopback and spoken test audio."""

from __future__ import annotations

from collections.abc import AsyncIterator
from functools import cache

import numpy as np
import pytest

from core.audio import AudioFrame, concat, resample, split, ulaw_decode, ulaw_encode
from core.speech.engine import SpeechEngine
from core.speech.openai_realtime.engine import RealtimeEngine, create_realtime_engine
from core.speech.openai_realtime.keys import ApiKey
from core.speech.openai_realtime.settings import RealtimeSettings
from tests.fakes.realtime_server import FakeRealtimeServer
from tests.fakes.realtime_voice import synthesize

KEY = "sk-test-quickrupee-0123456789abcdef"


@pytest.fixture
async def fake() -> AsyncIterator[FakeRealtimeServer]:
    """The fake server; afterwards, every event exchanged must have passed the GA schema checks."""
    async with FakeRealtimeServer(api_key=KEY, record_audio=True) as server:
        yield server
    assert server.violations == [], server.violations


def settings_for(server: FakeRealtimeServer, **overrides: object) -> RealtimeSettings:
    # A generous transcript timeout: the shared test machine can be slow; one test sets its own.
    base: dict[str, object] = {"url": server.url, "connect_timeout_s": 2.0, "backoff_s": 0.05,
                               "transcript_timeout_s": 20.0}  # fmt: skip
    return RealtimeSettings(**{**base, **overrides})  # type: ignore[arg-type]


def api_key() -> ApiKey:
    return ApiKey(KEY)


@cache
def _spoken(text: str) -> AudioFrame:
    pcm = np.frombuffer(synthesize(text, "audio/pcm"), dtype="<i2").copy()
    return AudioFrame(pcm, 24000)


def spoken(text: str, rate: int, *, after_s: float = 1.2) -> AudioFrame:
    """`text` in the test voice at `rate`, then silence; at 8 kHz it has been through μ-law, as on a phone."""
    audio = concat([resample(_spoken(text), rate), AudioFrame.silence(after_s, rate)])
    if rate == 8000:
        audio = ulaw_decode(ulaw_encode(audio.samples))
    return audio


def frames(audio: AudioFrame) -> list[AudioFrame]:
    return list(split(audio, 0.02))


@cache
def offline_engine() -> SpeechEngine:
    """The offline engine, loaded once for every test here (the fall-back and the prompt voice)."""
    from core.speech.offline import OfflineEngine

    return OfflineEngine()


def openai_engine(server: FakeRealtimeServer, **env: str) -> RealtimeEngine:
    """The openai engine as the factory builds it, pointed at `server`."""
    base = {"OPENAI_API_KEY": KEY, "OPENAI_REALTIME_URL": server.url, "OPENAI_CONNECT_TIMEOUT": "2",
            "OPENAI_TRANSCRIPT_TIMEOUT": "20"}  # fmt: skip
    return create_realtime_engine(offline_engine, {**base, **env})
