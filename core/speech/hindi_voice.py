"""The bot's Hindi voice: espeak-ng's `hi` voice, cached sentence by sentence like Piper's English.

No installable package ships a Hindi neural voice's weights (docs/speech.md, "Hindi voice"): Piper's
`hi_IN` voices are published only as loose downloads, Kokoro's packaged voices are English and
Japanese only. espeak-ng's Hindi is robotic but clear, offline and fast (~25 ms a sentence); a lender
who wants a human voice ships a voice pack (core/speech/voice_pack.py), which replaces it sentence by
sentence. With the prompt cache warm (the installer ships it) espeak-ng runs only for new sentences.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from core.audio import AudioFrame, read_wav, resample
from core.speech.cached_voice import CachedPromptVoice
from core.speech.engine import EngineUnavailable
from core.speech.prompt_cache import PromptCache
from core.speech.settings import SpeechSettings
from core.speech.voice_pack import VoicePack

ESPEAK_VOICE = "hi"
WORDS_PER_MINUTE = 150
"""espeak-ng's default 175 wpm is hurried in Hindi; 150 matches Piper's pace in English."""
SAMPLE_RATE = 22050


def espeak_binary() -> Path:
    """The espeak-ng program (scripts/setup installs Debian's `espeak-ng`)."""
    found = shutil.which("espeak-ng")
    if found is None:
        raise EngineUnavailable("the Hindi voice needs espeak-ng: install it (apt-get install espeak-ng)")
    return Path(found)


class EspeakHindiVoice(CachedPromptVoice):
    """PromptVoice speaking Hindi with espeak-ng; renders are deterministic, so the cache key is complete."""

    def __init__(self, settings: SpeechSettings, executor: ThreadPoolExecutor, pack: VoicePack | None = None) -> None:
        self.name = f"espeak-ng:{ESPEAK_VOICE}"
        self.sample_rate = SAMPLE_RATE
        self._speed = round(WORDS_PER_MINUTE / settings.tts_length_scale)
        self._program: Path | None = None
        self.cache = PromptCache(
            settings.prompt_cache_dir(), {"voice": self.name, "engine": "espeak-ng", "words_per_minute": self._speed}
        )
        super().__init__(executor, settings.sentence_gap, pack)

    def synthesize(self, sentence: str) -> AudioFrame:
        """Blocking, on the voice thread: one sentence through espeak-ng (found on first use)."""
        if self._program is None:
            self._program = espeak_binary()
        with tempfile.TemporaryDirectory(prefix="quickrupee-espeak-") as folder:
            out = Path(folder) / "sentence.wav"
            done = subprocess.run(
                [str(self._program), "-v", ESPEAK_VOICE, "-s", str(self._speed), "-w", str(out), "--", sentence],
                capture_output=True,
                timeout=30,
                check=False,
            )
            if done.returncode != 0 or not out.is_file():
                message = done.stderr.decode(errors="replace").strip() or f"exit status {done.returncode}"
                raise RuntimeError(f"espeak-ng could not speak {sentence!r}: {message}")
            return resample(read_wav(out), self.sample_rate)
