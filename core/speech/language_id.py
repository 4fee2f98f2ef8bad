"""Which language a caller's answer is in, by the multilingual Whisper's own language detector.

On the phone the greeting offers Hindi (keypad 2, or saying "Hindi"); a caller who simply answers in
Hindi may be switched too. Only a multilingual model can tell (tiny.en writes Hindi as English
look-alikes), and a switch must be rare on English callers: an Indian-English "yes" must not flip the
call. `SWITCH_AT` was chosen on bench/language_switch.py (docs/speech.md, "Switching to Hindi").
"""

from __future__ import annotations

import numpy as np

from core.speech.recognizer import DITHER, FULL_WINDOW, WhisperRecognizer

SWITCH_AT = 0.8
"""Probability of Hindi (against every other language) at which a first answer switches the call."""


def language_probabilities(recognizer: WhisperRecognizer, audio: np.ndarray) -> dict[str, float]:
    """Blocking (recogniser worker thread): Whisper's language probabilities for 16 kHz float32 speech."""
    import ctranslate2

    model = recognizer._model
    if not model.is_multilingual:
        raise ValueError("language detection needs a multilingual Whisper model")
    dither = np.random.default_rng(len(audio)).normal(0.0, DITHER, len(audio)).astype(np.float32)
    features = recognizer._whisper.feature_extractor(audio + dither)
    window = np.zeros((features.shape[0], FULL_WINDOW), dtype=np.float32)
    used = min(FULL_WINDOW, features.shape[-1])
    window[:, :used] = features[:, :used]
    result = model.detect_language(ctranslate2.StorageView.from_array(window[None]))[0]
    return {token.strip("<|>"): float(probability) for token, probability in result}


def hindi_probability(recognizer: WhisperRecognizer, audio: np.ndarray) -> float:
    """How sure the detector is that `audio` is Hindi (Urdu, which Whisper confuses with it, counts too)."""
    probabilities = language_probabilities(recognizer, audio)
    return probabilities.get("hi", 0.0) + probabilities.get("ur", 0.0)


def should_switch_to_hindi(recognizer: WhisperRecognizer, audio: np.ndarray) -> bool:
    return hindi_probability(recognizer, audio) >= SWITCH_AT
