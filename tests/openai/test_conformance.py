"""Conformance: every client event the engine builds is a GA event (unknown fields forbidden), and the
fake answers malformed input with the `error` events the real API sends."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import pytest
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed

from core.speech.openai_realtime import protocol
from core.speech.openai_realtime.settings import RealtimeSettings
from tests.fakes.realtime_conformance import client_event_problems, server_event_problem
from tests.fakes.realtime_server import FakeRealtimeServer
from tests.openai.conftest import KEY

SETTINGS = (
    RealtimeSettings(),
    RealtimeSettings(turn_detection="semantic_vad", eagerness="low", noise_reduction="far_field"),
    RealtimeSettings(transcribe_model="gpt-4o-mini-transcribe", language="hi", noise_reduction="near_field"),
)


def _engine_events() -> list[dict[str, Any]]:
    events: list[dict[str, Any]] = []
    for settings in SETTINGS:
        for fmt in ("audio/pcm", "audio/pcmu"):
            events.append(protocol.transcription_session(settings, fmt, "Which city? Delhi, Mumbai."))  # type: ignore[arg-type]
            events.append(protocol.voice_session(settings, fmt))  # type: ignore[arg-type]
        events.append(protocol.prompt_update(settings, "Yes. No. Haan. Nahi."))
    events.append(json.loads(protocol.append("AAAA")))
    events.append({"type": "input_audio_buffer.clear"})
    events.append(protocol.say_exactly("Which city do you live in?", "r1"))
    return events


@pytest.mark.parametrize("event", _engine_events(), ids=lambda e: e["type"])
def test_every_event_the_engine_builds_is_ga(event: dict[str, Any]) -> None:
    assert client_event_problems(event) == []


@pytest.mark.parametrize(
    ("event", "code", "param"),
    [
        ({"type": "transcription_session.update", "session": {}}, "invalid_value", "type"),
        (
            {"type": "session.update", "session": {"input_audio_format": "pcm16"}},
            "missing_required_parameter",
            "session.type",
        ),
        (
            {"type": "session.update", "session": {"type": "transcription", "input_audio_transcription": {}}},
            "unknown_parameter",
            "session.input_audio_transcription",
        ),
        (
            {
                "type": "session.update",
                "session": {
                    "type": "transcription",
                    "audio": {"input": {"format": {"type": "audio/pcm", "rate": 16000}}},
                },
            },
            "invalid_value",
            "session.audio.input.format.rate",
        ),
        (
            {
                "type": "session.update",
                "session": {
                    "type": "transcription",
                    "audio": {"input": {"transcription": {"model": "whisper-1", "temperature": 0}}},
                },
            },
            "unknown_parameter",
            "session.audio.input.transcription.temperature",
        ),
        ({"type": "input_audio_buffer.append"}, "missing_required_parameter", "audio"),
        ({"type": "input_audio_buffer.append", "audio": "AAAA", "format": "pcm16"}, "unknown_parameter", "format"),
    ],
)
def test_beta_and_malformed_events_are_refused(event: dict[str, Any], code: str, param: str) -> None:
    problems = client_event_problems(event)
    assert (problems[0].code, problems[0].param) == (code, param)


def test_server_event_check_can_fail() -> None:
    assert (
        server_event_problem(
            {"type": "input_audio_buffer.speech_started", "event_id": "e", "item_id": "i", "audio_start_ms": 0}
        )
        is None
    )
    assert server_event_problem({"type": "input_audio_buffer.speech_started", "event_id": "e"}) is not None
    assert server_event_problem({"type": "response.audio.delta", "event_id": "e"}) is not None  # beta name


async def _exchange(
    server: FakeRealtimeServer,
    sent: list[dict[str, Any]],
    headers: dict[str, str] | None = None,
    query: str = "?intent=transcription",
) -> list[dict[str, Any]]:
    """Send raw events and return every server event until the fake goes quiet."""
    received: list[dict[str, Any]] = []
    async with connect(
        server.url + query, additional_headers={"Authorization": f"Bearer {KEY}", **(headers or {})}
    ) as ws:
        received.append(json.loads(await ws.recv()))
        for event in sent:
            await ws.send(json.dumps(event))
        try:
            while True:
                received.append(json.loads(await asyncio.wait_for(ws.recv(), 0.5)))
        except (TimeoutError, ConnectionClosed):
            return received


async def test_fake_answers_bad_events_like_the_api_and_keeps_the_session() -> None:
    bad = [
        {"type": "session.update", "event_id": "evt_1", "session": {"input_audio_format": "pcm16"}},
        {"type": "transcription_session.update", "event_id": "evt_2", "session": {}},
        {"type": "input_audio_buffer.commit", "event_id": "evt_3"},
        {"type": "session.update", "session": {"type": "transcription"}},
    ]
    async with FakeRealtimeServer(api_key=KEY) as fake:  # not the fixture: these violations are the point
        received = await _exchange(fake, bad)
    kinds = [event["type"] for event in received]
    assert kinds == ["session.created", "error", "error", "error", "session.updated"]
    errors = [event["error"] for event in received if event["type"] == "error"]
    assert [(e["code"], e["param"], e["event_id"]) for e in errors] == [
        ("missing_required_parameter", "session.type", "evt_1"),
        ("invalid_value", "type", "evt_2"),
        ("input_audio_buffer_commit_empty", None, "evt_3"),
    ]
    assert len(fake.violations) == 2  # the two schema violations; the empty commit is valid but refused
    assert all(server_event_problem(event) is None for event in received)


async def test_beta_header_gets_the_shutdown_error_and_close(fake: FakeRealtimeServer) -> None:
    received = await _exchange(fake, [], headers={"OpenAI-Beta": "realtime=v1"})
    assert fake.sessions[0].ws.close_code == 4000
    assert received[0]["type"] == "error"
    assert received[0]["error"]["code"] == "beta_api_shape_disabled"
