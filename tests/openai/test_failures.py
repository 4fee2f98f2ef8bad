"""Every way OpenAI fails, against the fake: what the listener does and how fast it gives up."""

from __future__ import annotations

import asyncio
import logging
import time

import pytest

from core.speech.engine import Expectation, FinalText, TurnSettings
from core.speech.openai_realtime.errors import RealtimeUnavailable
from core.speech.openai_realtime.keys import ApiKey
from core.speech.openai_realtime.listener import RealtimeListener
from core.speech.openai_realtime.settings import RealtimeSettings
from core.understanding.types import Question
from tests.fakes.realtime_server import FakeRealtimeServer
from tests.openai.conftest import KEY, api_key, frames, settings_for, spoken

EMPLOYMENT = Expectation(Question.EMPLOYMENT, "Are you salaried? Yes, I am salaried.", ())


@pytest.fixture(autouse=True)
def _voice_ready() -> None:
    """Synthesize the answer before any timing starts."""
    spoken("Yes, I am salaried.", 16000)


def _listener(settings: RealtimeSettings, key: ApiKey | None = None) -> RealtimeListener:
    listener = RealtimeListener(settings, key or api_key(), 16000, TurnSettings())
    listener.set_question(Question.EMPLOYMENT, EMPLOYMENT)
    return listener


async def _outcome(
    listener: RealtimeListener, text: str = "Yes, I am salaried.", *, pace: bool = False
) -> FinalText | Exception:
    """Speak one answer (in real time with `pace`); the turn's FinalText, or the exception events() ended with."""

    async def first_final() -> FinalText | Exception:
        try:
            async for event in listener.events():
                if isinstance(event, FinalText):
                    return event
        except RealtimeUnavailable as exc:
            return exc
        raise AssertionError("events() ended without a transcript or an error")

    reader = asyncio.create_task(first_final())
    for frame in frames(spoken(text, 16000)):
        await listener.push(frame)
        await asyncio.sleep(frame.duration if pace else 0)
    try:
        return await asyncio.wait_for(reader, 20)
    finally:
        await listener.aclose()


async def test_bad_key_gives_up_at_once_without_showing_the_key(fake: FakeRealtimeServer) -> None:
    wrong = "sk-wrong-key-9f8e7d6c5b4a"
    started = time.monotonic()
    result = await _outcome(_listener(settings_for(fake), ApiKey(wrong)))
    assert isinstance(result, RealtimeUnavailable)
    assert "401" in str(result)
    assert wrong not in str(result) and KEY not in str(result)
    assert fake.handshakes == 1  # a refused key is not retried
    assert time.monotonic() - started < 1.0


async def test_refused_connection_retries_with_backoff_then_gives_up(fake: FakeRealtimeServer) -> None:
    settings = settings_for(fake, reconnect_attempts=2, backoff_s=0.1)
    await fake.stop()
    started = time.monotonic()
    result = await _outcome(_listener(settings))
    elapsed = time.monotonic() - started
    assert isinstance(result, RealtimeUnavailable)
    assert "cannot connect" in str(result)
    assert 0.3 <= elapsed < 2.0  # backoff 0.1 + 0.2 s, then fail-over


async def test_service_unavailable_is_retried(fake: FakeRealtimeServer) -> None:
    fake.faults.reject_status = 503
    result = await _outcome(_listener(settings_for(fake, reconnect_attempts=2)))
    assert isinstance(result, RealtimeUnavailable) and "503" in str(result)
    assert fake.handshakes == 3


async def test_socket_dropped_mid_turn_reconnects_and_replays_the_turn(fake: FakeRealtimeServer) -> None:
    fake.faults.drop_at_speech = 1
    listener = _listener(settings_for(fake))
    result = await _outcome(listener)
    assert isinstance(result, FinalText), result
    assert "salaried" in result.text.lower()
    assert fake.drops == 1 and listener.reconnects == 1 and len(fake.sessions) == 2
    assert fake.violations == []


async def test_error_event_mid_turn_is_logged_and_the_turn_still_completes(
    fake: FakeRealtimeServer, caplog: pytest.LogCaptureFixture
) -> None:
    fake.faults.error_after_audio_ms = 500
    listener = _listener(settings_for(fake))
    with caplog.at_level(logging.WARNING, logger="quickrupee.openai"):
        result = await _outcome(listener)
    assert isinstance(result, FinalText) and "salaried" in result.text.lower()
    assert "server_error" in caplog.text
    assert listener.reconnects == 0


async def test_session_time_limit_reconnects_without_losing_the_turn(fake: FakeRealtimeServer) -> None:
    fake.faults.expire_after_s = 0.8  # the 60-minute limit, made short: close 1001 with OpenAI's reason
    listener = _listener(settings_for(fake, backoff_s=5.0))  # expiry must not wait for backoff
    started = time.monotonic()
    result = await _outcome(listener, pace=True)  # the answer takes longer than the session lives
    assert isinstance(result, FinalText) and "salaried" in result.text.lower()
    assert listener.reconnects == 1 and fake.expiries == 1
    assert time.monotonic() - started < 6.0


async def test_no_transcript_in_time_gives_up(fake: FakeRealtimeServer) -> None:
    fake.faults.silent_transcriber = True
    started = time.monotonic()
    result = await _outcome(_listener(settings_for(fake, transcript_timeout_s=1.0)))
    assert isinstance(result, RealtimeUnavailable) and "no transcript within 1 s" in str(result)
    assert time.monotonic() - started < 6.0


async def test_slow_service_still_transcribes(fake: FakeRealtimeServer) -> None:
    fake.faults.delay_s = 0.05
    result = await _outcome(_listener(settings_for(fake)))
    assert isinstance(result, FinalText) and "salaried" in result.text.lower()


async def test_the_key_never_reaches_the_logs(fake: FakeRealtimeServer, caplog: pytest.LogCaptureFixture) -> None:
    """websockets logs handshake headers at DEBUG: they pass through the redacting logger."""
    with caplog.at_level(logging.DEBUG):
        good = await _outcome(_listener(settings_for(fake)))
        bad = await _outcome(_listener(settings_for(fake), ApiKey("sk-bad-0000111122223333")))
    assert isinstance(good, FinalText) and isinstance(bad, RealtimeUnavailable)
    assert "Bearer [redacted]" in caplog.text  # the header lines were logged, and redacted
    assert KEY not in caplog.text and "sk-bad-0000111122223333" not in caplog.text
    assert "sk-bad" not in repr(ApiKey("sk-bad-0000111122223333"))


async def test_a_burst_of_error_events_restarts_the_session(fake: FakeRealtimeServer) -> None:
    fake.faults.error_after_audio_ms = 500
    fake.faults.error_count = 3
    listener = _listener(settings_for(fake))
    result = await _outcome(listener)
    assert isinstance(result, FinalText) and "salaried" in result.text.lower()
    assert listener.reconnects == 1 and len(fake.sessions) == 2
