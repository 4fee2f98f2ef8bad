"""Fixtures: the offline engine and caller voices (once per session), a fake Twilio API, a live bridge."""

from __future__ import annotations

import asyncio
import io
import logging
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from bench.call_sim import synthesize
from bridge.logging import JsonFormatter
from core.audio import AudioFrame
from core.speech.engine import SpeechEngine
from tests.bridge.harness import BridgeUnderTest, FakeTwilio, loopback_socket, running_bridge, serve

ANSWERS = (
    "Yes I am salaried.",
    "Forty thousand rupees.",
    "Mumbai.",
    "No I run my own business.",
    "Delhi.",
)


@pytest.fixture(scope="session")
def engine() -> Iterator[SpeechEngine]:
    """The real offline engine, loaded once and shared by every bridge in the session (as in production)."""
    from core.speech.factory import create_engine

    engine = create_engine("offline")
    yield engine
    asyncio.run(engine.aclose())


@pytest.fixture(scope="session")
def voices() -> dict[str, AudioFrame]:
    """Caller answers spoken by Piper at 8 kHz."""
    return synthesize(ANSWERS)


@pytest.fixture
def json_log() -> Iterator[io.StringIO]:
    """Every JSON log line at INFO and above, as an operator would read them (all loggers)."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    handler.setLevel(logging.INFO)
    root = logging.getLogger()
    level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)  # transcripts are logged at DEBUG: they must not reach this handler
    yield stream
    root.removeHandler(handler)
    root.setLevel(level)


@pytest.fixture
async def fake_twilio() -> AsyncIterator[FakeTwilio]:
    fake = FakeTwilio()
    sock, port = loopback_socket()
    async with serve(fake.app(), sock):
        fake.url = f"http://127.0.0.1:{port}"
        yield fake


@pytest.fixture
async def bridge(engine: SpeechEngine, tmp_path: Path, fake_twilio: FakeTwilio) -> AsyncIterator[BridgeUnderTest]:
    async with running_bridge(engine, tmp_path / "records.db", fake_twilio.url) as running:
        yield running
