"""The offline engine: Silero VAD + faster-whisper + Piper, loaded once per process, shared by calls.

Two single-worker executors keep model work off the event loop: one for Whisper (decodes queue
rather than fight over the 2 cores) and one for Piper (a prompt is never stuck behind a decode).
"""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor

import numpy as np

from core.speech.engine import TurnSettings
from core.speech.models import ensure_offline_env, piper_voice_files, silero_vad_file, whisper_model_dir
from core.speech.offline_listener import OfflineListener
from core.speech.piper_voice import PiperPromptVoice
from core.speech.recognizer import WhisperRecognizer
from core.speech.settings import SpeechSettings
from core.speech.vad import SileroModel

ensure_offline_env()


class OfflineEngine:
    """SpeechEngine with every model on this machine; raises EngineUnavailable naming a missing package."""

    name = "offline"

    def __init__(self, settings: SpeechSettings | None = None) -> None:
        self.settings = settings or SpeechSettings.from_env()
        self.load_seconds: dict[str, float] = {}
        whisper_dir = whisper_model_dir(self.settings.whisper_model)
        piper_model, piper_config = piper_voice_files()
        vad_file = silero_vad_file()
        self.tts_executor = ThreadPoolExecutor(1, thread_name_prefix="piper")
        self.asr_executor = ThreadPoolExecutor(self.settings.asr_workers, thread_name_prefix="whisper")
        self.voice = PiperPromptVoice(piper_model, piper_config, self.settings, self.tts_executor)
        started = time.perf_counter()
        self.vad = SileroModel(vad_file)
        self.load_seconds["vad"] = time.perf_counter() - started
        started = time.perf_counter()
        self.recognizer = WhisperRecognizer(
            whisper_dir,
            threads=self.settings.asr_threads,
            workers=self.settings.asr_workers,
            no_speech_gate=self.settings.no_speech_gate,
            window_seconds=self.settings.asr_window,
        )
        self.load_seconds["whisper"] = time.perf_counter() - started
        self.asr_executor.submit(self.recognizer.transcribe, np.zeros(8000, np.float32))  # warm-up

    def open_listener(self, sample_rate: int, turn: TurnSettings) -> OfflineListener:
        return OfflineListener(
            sample_rate, turn, self.vad, self.recognizer, self.asr_executor, self.settings.vad_threshold
        )

    async def aclose(self) -> None:
        self.asr_executor.shutdown(wait=False, cancel_futures=True)
        self.tts_executor.shutdown(wait=False, cancel_futures=True)
