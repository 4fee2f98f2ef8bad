"""Rendered prompt sentences on disk, so the bot starts speaking with no synthesis.

One WAV per sentence, named by a hash of the exact text, the voice and the synthesis settings, so a
changed prompt, voice or setting simply misses and is rendered again. Sentences, not whole prompts,
are the unit: the dialogue joins prompts ("Sorry..." + the question) and every join is then cached too.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import tempfile
from pathlib import Path

from core.audio import AudioError, AudioFrame, read_wav, write_wav

CACHE_FORMAT = 1
_SENTENCE_END = re.compile(r"(?<=[.?!।])\s+")
"""After a full stop, question or exclamation mark, or the Devanagari danda (।) that ends a Hindi sentence."""


def sentences(text: str) -> list[str]:
    """The sentences a voice speaks one by one; the unit of caching, of streaming and of voice packs."""
    return [part.strip() for part in _SENTENCE_END.split(text.strip()) if part.strip()]


class PromptCache:
    """Sentence audio keyed by text + voice + settings, in memory and under `directory`."""

    def __init__(self, directory: Path, voice_key: dict[str, object]) -> None:
        self.directory = directory
        self._voice = json.dumps(voice_key, sort_keys=True)
        self._memory: dict[str, AudioFrame] = {}
        self.hits = 0
        self.misses = 0

    def key(self, sentence: str) -> str:
        payload = json.dumps([CACHE_FORMAT, self._voice, sentence], ensure_ascii=False)
        return hashlib.sha256(payload.encode("utf-8")).hexdigest()[:32]

    def path(self, sentence: str) -> Path:
        return self.directory / f"{self.key(sentence)}.wav"

    def get(self, sentence: str) -> AudioFrame | None:
        """Cached audio, or None; an unreadable file counts as a miss and is rendered again."""
        key = self.key(sentence)
        audio = self._memory.get(key)
        if audio is None:
            path = self.directory / f"{key}.wav"
            try:
                audio = read_wav(path) if path.is_file() else None
            except AudioError:
                audio = None
            if audio is not None:
                self._memory[key] = audio
        if audio is None:
            self.misses += 1
        else:
            self.hits += 1
        return audio

    def put(self, sentence: str, audio: AudioFrame) -> None:
        """Store atomically (write a temp file, then rename) so a crash never leaves half a WAV."""
        key = self.key(sentence)
        self._memory[key] = audio
        self.directory.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=self.directory, suffix=".tmp")
        os.close(fd)
        try:
            write_wav(tmp, audio)
            os.replace(tmp, self.directory / f"{key}.wav")
        finally:
            if os.path.exists(tmp):
                os.unlink(tmp)
