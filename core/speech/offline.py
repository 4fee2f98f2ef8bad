"""The offline engine: Silero VAD + faster-whisper + a cached prompt voice, loaded once per process,
shared by calls.

Two single-worker executors keep model work off the event loop: one for Whisper (decodes queue
rather than fight over the 2 cores) and one for the voice (a prompt is never stuck behind a decode).
Each language is its own engine (recogniser, voice, prompt cache entries); `for_language` gives the
sibling for another language on the same VAD and executors, loaded on first use (a phone call that
switches to Hindi, a batch that mixes languages).
"""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from pathlib import Path

import numpy as np

from core.language import check_language
from core.speech.cached_voice import CachedPromptVoice
from core.speech.engine import TurnSettings
from core.speech.models import ensure_offline_env, piper_voice_files, silero_vad_file, whisper_model_dir
from core.speech.offline_listener import OfflineListener
from core.speech.recognizer import WhisperRecognizer
from core.speech.settings import SpeechSettings
from core.speech.vad import SileroModel
from core.speech.voice_pack import VoicePack

ensure_offline_env()


class OfflineEngine:
    """SpeechEngine with every model on this machine; raises EngineUnavailable naming a missing package."""

    name = "offline"

    def __init__(self, settings: SpeechSettings | None = None, *, shared: OfflineEngine | None = None) -> None:
        """`shared`: an engine of another language whose VAD and executors this one uses."""
        self.settings = settings or SpeechSettings.from_env()
        self.language = check_language(self.settings.language)
        self.load_seconds: dict[str, float] = {}
        self._siblings: dict[str, OfflineEngine] = {self.language: self}
        self._sibling_lock = threading.Lock()
        """One sibling build at a time: the kiosk preloads a language on a thread while a call may ask too."""
        self._shared = shared
        vad_file = silero_vad_file()
        if shared is None:
            self.tts_executor = ThreadPoolExecutor(1, thread_name_prefix="voice")
            self.asr_executor = ThreadPoolExecutor(self.settings.asr_workers, thread_name_prefix="whisper")
            started = time.perf_counter()
            self.vad = SileroModel(vad_file)
            self.load_seconds["vad"] = time.perf_counter() - started
        else:
            self.tts_executor, self.asr_executor, self.vad = shared.tts_executor, shared.asr_executor, shared.vad
            self._siblings = shared._siblings  # for_language registers this engine once it is fully built
            self._sibling_lock = shared._sibling_lock
        self.voice = self._voice()
        started = time.perf_counter()
        self.recognizer = WhisperRecognizer(
            self._whisper_dir(),
            threads=self.settings.asr_threads,
            workers=self.settings.asr_workers,
            no_speech_gate=self.settings.no_speech_gate,
            window_seconds=self.settings.asr_window,
            language=self.language,
        )
        self.load_seconds["whisper"] = time.perf_counter() - started
        self.asr_executor.submit(self.recognizer.transcribe, np.zeros(8000, np.float32))  # warm-up

    def _whisper_dir(self) -> Path:
        if self.language == "en":
            return whisper_model_dir(self.settings.whisper_model)
        from core.speech.multilingual_model import multilingual_whisper_dir

        return multilingual_whisper_dir()

    def _voice(self) -> CachedPromptVoice:
        pack = None
        if self.settings.voice_pack is not None:
            from core.policy import load_policy
            from core.prompts import load_prompts

            pack = VoicePack.load(self.settings.voice_pack, load_prompts(load_policy(), language=self.language))
        if self.language == "hi":
            from core.speech.hindi_voice import EspeakHindiVoice

            return EspeakHindiVoice(self.settings, self.tts_executor, pack)
        from core.speech.piper_voice import PiperPromptVoice

        piper_model, piper_config = piper_voice_files()
        return PiperPromptVoice(piper_model, piper_config, self.settings, self.tts_executor, pack)

    def for_language(self, language: str) -> OfflineEngine:
        """This engine in `language` (itself, or a sibling sharing VAD and executors, loaded once)."""
        code = check_language(language)
        ready = self._siblings.get(code)
        if ready is not None:  # registered only once fully built: no lock (a call's start never waits here)
            return ready
        with self._sibling_lock:
            sibling = self._siblings.get(code)
            if sibling is None:
                sibling = self._siblings[code] = OfflineEngine(replace(self.settings, language=code), shared=self)
        return sibling

    def open_listener(self, sample_rate: int, turn: TurnSettings) -> OfflineListener:
        return OfflineListener(
            sample_rate, turn, self.vad, self.recognizer, self.asr_executor, self.settings.vad_threshold
        )

    async def aclose(self) -> None:
        if self._shared is not None:
            return  # the executors belong to the engine this one was made from
        self.asr_executor.shutdown(wait=False, cancel_futures=True)
        self.tts_executor.shutdown(wait=False, cancel_futures=True)
