"""Optional: an OpenAI voice reads the exact prompt text once, and the rendering is cached.

Each sentence is requested as an out-of-band `response.create` told to say exactly that text. The
rendering is kept only if the model's own transcript matches the text word for word; otherwise that
sentence is spoken by the offline voice, so the bot's words, and the record of them, stay exact.
"""

from __future__ import annotations

import asyncio
import base64
import logging
import re
import secrets
from collections.abc import AsyncIterator, Iterable

import numpy as np

from core.audio import AudioFrame
from core.speech.engine import PromptVoice
from core.speech.openai_realtime import protocol
from core.speech.openai_realtime.client import RealtimeConnection, session_url
from core.speech.openai_realtime.errors import RealtimeError, ServiceError
from core.speech.openai_realtime.keys import ApiKey
from core.speech.openai_realtime.settings import RealtimeSettings
from core.speech.prompt_cache import PromptCache, sentences
from core.speech.settings import SpeechSettings

log = logging.getLogger("quickrupee.openai")
_WORDS = re.compile(r"[a-z0-9]+")


class RealtimeVoice:
    """PromptVoice: cached OpenAI renderings at 24 kHz, the offline voice for anything not exact."""

    sample_rate = protocol.PCM_RATE

    def __init__(self, settings: RealtimeSettings, key: ApiKey, offline: PromptVoice) -> None:
        self.name = f"openai:{settings.voice_model}:{settings.voice}"
        self._settings = settings
        self._key = key
        self._offline = offline
        self.cache = PromptCache(
            SpeechSettings.from_env().prompt_cache_dir(),
            {"voice": "openai-realtime", "model": settings.voice_model, "name": settings.voice},
        )
        self.rejected: list[tuple[str, str]] = []
        """(text, what the model said instead) for renderings that were not exact."""

    async def speak(self, text: str) -> AsyncIterator[AudioFrame]:
        for sentence in sentences(text):
            audio = self.cache.get(sentence)
            if audio is None:
                audio = await self._render_or_none(sentence)
            if audio is None:
                async for chunk in self._offline.speak(sentence):
                    yield chunk
            else:
                yield audio

    def warm(self, texts: Iterable[str]) -> int:
        """Blocking: render every uncached sentence now (call outside a running event loop)."""
        missing = [s for text in texts for s in sentences(text) if self.cache.get(s) is None]
        return asyncio.run(self._render_many(missing)) if missing else 0

    async def _render_many(self, missing: list[str]) -> int:
        rendered = [await self._render_or_none(sentence) for sentence in missing]
        return sum(audio is not None for audio in rendered)

    async def _render_or_none(self, sentence: str) -> AudioFrame | None:
        try:
            audio, said = await self.render(sentence)
        except RealtimeError as exc:
            log.warning("OpenAI voice unavailable, using the offline voice: %s", exc)
            return None
        if _words(said) != _words(sentence):
            self.rejected.append((sentence, said))
            log.warning("OpenAI voice did not say the prompt exactly; using the offline voice for it")
            return None
        self.cache.put(sentence, audio)
        return audio

    async def render(self, sentence: str) -> tuple[AudioFrame, str]:
        """One rendering: the audio and the model's transcript of what it said."""
        url = session_url(self._settings.url, model=self._settings.voice_model)
        setup = protocol.voice_session(self._settings, "audio/pcm")
        conn = await RealtimeConnection.open(url, self._key, setup, timeout=self._settings.connect_timeout_s)
        request_id = secrets.token_hex(8)
        chunks: list[bytes] = []
        said = ""
        try:
            await conn.send(protocol.say_exactly(sentence, request_id))
            async with asyncio.timeout(30):
                async for event in conn.events():
                    kind = event["type"]
                    if kind == "response.output_audio.delta":
                        chunks.append(base64.b64decode(event.get("delta") or ""))
                    elif kind == "response.output_audio_transcript.done":
                        said = str(event.get("transcript") or "")
                    elif kind == "error":
                        raise ServiceError(self._key.redact(protocol.error_summary(event)))
                    elif kind == "response.done":
                        status = (event.get("response") or {}).get("status")
                        if status != "completed":
                            raise ServiceError(f"voice response ended {status}")
                        break
        except TimeoutError:
            raise ServiceError("the voice response took longer than 30 s") from None
        finally:
            await conn.close()
        samples = np.frombuffer(b"".join(chunks), dtype="<i2").astype(np.int16)
        return AudioFrame(samples, self.sample_rate), said


def _words(text: str) -> list[str]:
    return _WORDS.findall(text.lower())
