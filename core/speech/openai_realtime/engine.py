"""The OpenAI Realtime speech engine: OpenAI's ears, the offline engine's prompt voice and fall-back.

Prompts are always the exact cached prompt audio (offline voice, or one OpenAI-voiced rendering kept
in the cache); the model never improvises a word. Each call's listener runs on OpenAI and falls back
to the offline recogniser mid-call if OpenAI stays unavailable.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping

from core.speech.engine import EngineUnavailable, Listener, PromptVoice, SpeechEngine, TurnSettings
from core.speech.openai_realtime.failover import FailoverListener
from core.speech.openai_realtime.keys import ApiKey, MissingKeyError, find_api_key
from core.speech.openai_realtime.listener import RealtimeListener
from core.speech.openai_realtime.settings import RealtimeSettings, SettingsError
from core.speech.settings import SpeechSettings


class RealtimeEngine:
    """SpeechEngine whose listeners transcribe on OpenAI; `fallback` is loaded and ready."""

    name = "openai"

    def __init__(
        self, settings: RealtimeSettings, key: ApiKey, fallback: SpeechEngine, voice: PromptVoice | None = None
    ) -> None:
        self.settings = settings
        self._key = key
        self.fallback = fallback
        self.voice = voice or fallback.voice

    def open_listener(self, sample_rate: int, turn: TurnSettings) -> Listener:
        primary = RealtimeListener(self.settings, self._key, sample_rate, turn)
        return FailoverListener(
            primary,
            lambda: self.fallback.open_listener(sample_rate, turn),
            primary_name=self.name,
            fallback_name=self.fallback.name,
        )

    async def aclose(self) -> None:
        await self.fallback.aclose()


def create_realtime_engine(
    load_fallback: Callable[[], SpeechEngine], env: Mapping[str, str] | None = None
) -> RealtimeEngine:
    """The engine from OPENAI_* settings and the key; EngineUnavailable (one line) if either is unusable,
    raised before the fall-back engine's models are loaded."""
    env = os.environ if env is None else env
    try:
        settings = RealtimeSettings.from_env(env)
        key = find_api_key(env)
    except (SettingsError, MissingKeyError) as exc:
        raise EngineUnavailable(f"OpenAI engine: {exc}") from None
    fallback = load_fallback()
    voice = fallback.voice
    if settings.voice_mode == "realtime":
        from core.speech.openai_realtime.voice import RealtimeVoice

        voice = RealtimeVoice(settings, key, voice)
    if settings.prompt_audio == "pcmu":
        from core.speech.openai_realtime.phone_voice import MulawPromptVoice

        voice = MulawPromptVoice(voice, SpeechSettings.from_env().prompt_cache_dir() / "pcmu")
    return RealtimeEngine(settings, key, fallback, voice)
