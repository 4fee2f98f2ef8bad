"""Prompt audio cache: keyed by text + voice + settings, repeatable renders, speaking with no synthesis."""

from __future__ import annotations

import asyncio
from pathlib import Path

import numpy as np
import pytest

from core.audio import AudioFrame, concat
from core.prompts import PromptBook, PromptKey
from core.speech.prompt_cache import PromptCache, sentences

VOICE = {"voice": "v.onnx", "length_scale": 1.0}


def test_sentences_are_the_unit_of_caching() -> None:
    assert sentences("Sure.  First, are you salaried?  Yes! ok") == ["Sure.", "First, are you salaried?", "Yes!", "ok"]


def test_the_key_changes_with_text_voice_and_settings(tmp_path: Path) -> None:
    cache = PromptCache(tmp_path, VOICE)
    assert cache.key("Goodbye.") == PromptCache(tmp_path / "other", VOICE).key("Goodbye.")
    assert cache.key("Goodbye.") != cache.key("Goodbye!")
    assert cache.key("Goodbye.") != PromptCache(tmp_path, {**VOICE, "voice": "w.onnx"}).key("Goodbye.")
    assert cache.key("Goodbye.") != PromptCache(tmp_path, {**VOICE, "length_scale": 1.1}).key("Goodbye.")


def test_miss_then_hit_survives_a_restart_and_ignores_a_broken_file(tmp_path: Path) -> None:
    audio = AudioFrame(np.arange(100, dtype=np.int16), 22050)
    cache = PromptCache(tmp_path, VOICE)
    assert cache.get("Hello.") is None and cache.misses == 1
    cache.put("Hello.", audio)
    reopened = PromptCache(tmp_path, VOICE)
    cached = reopened.get("Hello.")
    assert cached is not None and np.array_equal(cached.samples, audio.samples) and reopened.hits == 1
    cache.path("Broken.").write_bytes(b"RIFF....WAVEjunk")
    assert reopened.get("Broken.") is None
    assert not list(tmp_path.glob("*.tmp"))


@pytest.mark.slow
def test_every_prompt_sentence_is_cached_and_renders_repeat_exactly(engine, prompts: PromptBook) -> None:
    voice = engine.voice
    assert voice.warm(prompts.all_texts()) == 0  # the session fixture already warmed it
    for text in prompts.all_texts():
        for sentence in sentences(text):
            assert voice.cache.path(sentence).is_file()
    sentence = sentences(prompts[PromptKey.ASK_CITY])[0]
    fresh = voice.synthesize_now(sentence)
    assert np.array_equal(fresh.samples, voice.cache.get(sentence).samples)  # noise scales are zero


@pytest.mark.slow
async def test_speaking_joined_prompts_needs_no_synthesis(engine, prompts: PromptBook) -> None:
    voice = engine.voice
    text = f"{prompts[PromptKey.STILL_THERE]} {prompts[PromptKey.ASK_SALARY]}"  # a join the dialogue makes
    misses = voice.cache.misses
    chunks = [chunk async for chunk in voice.speak(text)]
    assert len(chunks) == len(sentences(text)) and voice.cache.misses == misses


@pytest.mark.slow
async def test_new_text_is_spoken_sentence_by_sentence(engine, tmp_path: Path) -> None:
    voice = engine.voice
    text = f"Your reference is {tmp_path.name[-6:]}. Please note it down."
    stream = voice.speak(text)
    first = await anext(stream)
    assert voice.cache.get("Please note it down.") is None  # not rendered before the first sentence played
    rest = [chunk async for chunk in stream]
    assert len(rest) == 1 and concat([first, *rest]).duration > 1.5
    assert voice.cache.get("Please note it down.") is not None
    await asyncio.sleep(0)
