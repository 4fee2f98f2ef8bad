"""Prompts for the phone cached as 8 kHz μ-law: made once, then played with no synthesis or resampling."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from core.audio import ulaw_encode
from core.speech.openai_realtime.phone_voice import MulawPromptVoice
from core.speech.prompt_cache import sentences
from tests.fakes.realtime_server import FakeRealtimeServer
from tests.openai.conftest import offline_engine, openai_engine

PROMPT = "Which city do you live in? Please say the name."


async def test_sentences_are_stored_as_mulaw_and_replayed_byte_exact(tmp_path: Path) -> None:
    voice = MulawPromptVoice(offline_engine().voice, tmp_path)
    first = [chunk async for chunk in voice.speak(PROMPT)]
    assert voice.rendered == 2 and [chunk.sample_rate for chunk in first] == [8000, 8000]
    for sentence, chunk in zip(sentences(PROMPT), first, strict=True):
        stored = voice.path(sentence).read_bytes()
        assert len(stored) == len(chunk.samples)
        assert ulaw_encode(chunk.samples) == stored  # what goes on the wire is exactly what was stored
    again = MulawPromptVoice(offline_engine().voice, tmp_path)  # a new process: the disk cache
    replayed = [chunk async for chunk in again.speak(PROMPT)]
    assert again.rendered == 0
    assert all(np.array_equal(a.samples, b.samples) for a, b in zip(first, replayed, strict=True))


def test_warm_renders_only_what_is_missing(tmp_path: Path) -> None:
    voice = MulawPromptVoice(offline_engine().voice, tmp_path)
    assert voice.warm([PROMPT]) == 2
    assert voice.warm([PROMPT, "Are you still there?"]) == 1


def test_engine_uses_mulaw_prompts_when_asked(
    fake: FakeRealtimeServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("QUICKRUPEE_CACHE_DIR", str(tmp_path))
    engine = openai_engine(fake, OPENAI_PROMPT_AUDIO="pcmu")
    assert isinstance(engine.voice, MulawPromptVoice) and engine.voice.sample_rate == 8000
    assert engine.voice.directory == tmp_path / "pcmu"
    assert openai_engine(fake).voice is offline_engine().voice
