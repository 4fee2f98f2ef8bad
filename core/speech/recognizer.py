"""faster-whisper, set up for short answers: int8, beam 1, no timestamps, no carried-over text.

Measured on this machine (docs/speech.md): ~340 ms per answer whatever its length (the encoder always
sees a padded 30 s window). Library defaults (beam 5, temperature fallback, fp32) cost 0.5-2.4 s.
Our own VAD gates the audio, so faster-whisper's VAD filter stays off.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from core.speech.models import ensure_offline_env

HALLUCINATIONS = frozenset(
    {
        "you",
        "thank you",
        "thanks",
        "thanks for watching",
        "thank you for watching",
        "bye",
        "bye bye",
        "please subscribe",
        "subscribe",
        "so",
        "the end",
        "i",
        "oh",
        "uh",
        "um",
        "hmm",
    }
)
"""What Whisper says on near-silence or noise; dropped unless the audio clearly held speech."""

_QUIET_DBFS = -40.0
_WORDS = re.compile(r"[a-z0-9]+")


@dataclass(frozen=True, slots=True)
class Transcript:
    """What the recogniser heard, with exp(mean token log-probability) as its confidence."""

    text: str
    confidence: float | None
    no_speech: float


class WhisperRecognizer:
    """One loaded Whisper model; `transcribe` is blocking and meant for a single worker thread."""

    def __init__(self, model_dir: Path, *, threads: int = 2, no_speech_gate: float = 0.6) -> None:
        ensure_offline_env()
        from faster_whisper import WhisperModel

        self.model_dir = model_dir
        self._gate = no_speech_gate
        self._model = WhisperModel(str(model_dir), device="cpu", compute_type="int8", cpu_threads=threads)

    def transcribe(self, audio: np.ndarray, prompt: str | None = None) -> Transcript:
        """Transcribe 16 kHz float32 mono speech; `prompt` lists the words we expect to hear."""
        segments, _ = self._model.transcribe(
            audio,
            language="en",
            beam_size=1,
            temperature=0.0,
            without_timestamps=True,
            condition_on_previous_text=False,
            vad_filter=False,
            initial_prompt=prompt or None,
        )
        kept, logprobs, no_speech = [], [], 0.0
        for segment in segments:
            no_speech = max(no_speech, segment.no_speech_prob)
            if segment.no_speech_prob > self._gate and segment.avg_logprob < -0.7:
                continue
            kept.append(segment.text)
            logprobs.append(segment.avg_logprob)
        text = " ".join(part.strip() for part in kept).strip()
        if is_hallucination(text, audio, no_speech):
            return Transcript("", None, no_speech)
        confidence = math.exp(sum(logprobs) / len(logprobs)) if logprobs else None
        return Transcript(text, confidence, no_speech)


def is_hallucination(text: str, audio: np.ndarray, no_speech: float) -> bool:
    """A stock phrase heard in quiet or speech-less audio, or text made only of punctuation."""
    words = " ".join(_WORDS.findall(text.lower()))
    if not words:
        return True
    if words not in HALLUCINATIONS:
        return False
    return no_speech > 0.3 or level_dbfs(audio) < _QUIET_DBFS


def level_dbfs(audio: np.ndarray) -> float:
    """Level of the loudest 100 ms of the clip (float samples), in dB full scale."""
    if audio.size == 0:
        return -120.0
    block = 1600
    usable = audio[: audio.size - audio.size % block] if audio.size >= block else audio
    rms = np.sqrt(np.mean(np.square(usable.reshape(-1, min(block, usable.size))), axis=1)).max()
    return 20.0 * math.log10(max(float(rms), 1e-6))
