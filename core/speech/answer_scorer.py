"""Recognition constrained by the question: score the few answers a question admits against the audio.

Open transcription of short Hindi answers with a small multilingual Whisper often fails ("पचास हज़ार"
comes back as "Paisa Zaat", "हाँ" as nothing at all), yet the answers a question admits are few: a yes
or a no, an amount, a city. Whisper can tell us how likely each of those exact texts is for this audio
(the decoder forced along each candidate's tokens, CTranslate2's `align`), so we rank them and keep the
best only when it clearly beats every candidate meaning something else.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Sequence
from dataclasses import dataclass

import numpy as np

from core.speech.recognizer import DITHER, FULL_WINDOW, WINDOW_MARGIN, WhisperRecognizer

BATCH = 24
"""Candidates decoded together: the encoder output is repeated per candidate, so batches stay small."""


@dataclass(frozen=True, slots=True)
class Candidate:
    """One answer the question admits: the words to score, the text understanding reads, its meaning."""

    spoken: str
    """As the recogniser would write it (Devanagari for Hindi)."""
    text: str
    """As the dialogue's understanding reads it ("pachaas hazaar", "haan", "Delhi")."""
    value: Hashable
    """What it means (True/False, an amount, a city): rivals with the same value do not count against it."""


@dataclass(frozen=True, slots=True)
class Scored:
    candidate: Candidate
    logprob: float
    """Mean log-probability of the candidate's tokens (and the end of text) given the audio."""


@dataclass(frozen=True, slots=True)
class Ranking:
    """Candidates best first; `margin` is how far the best leads the best one meaning something else."""

    scored: tuple[Scored, ...]
    margin: float

    @property
    def best(self) -> Scored:
        return self.scored[0]

    def confident(self, margin: float, floor: float) -> bool:
        """Sure enough to act on: a clear lead, and likely enough in itself (not just the least bad)."""
        return self.margin >= margin and self.best.logprob >= floor

    @property
    def confidence(self) -> float:
        return math.exp(self.best.logprob)


def rank(
    recognizer: WhisperRecognizer,
    audio: np.ndarray,
    candidates: Sequence[Candidate],
    prompt: str | None = None,
    window_frames: int = 1500,
) -> Ranking:
    """Blocking (recogniser worker thread): every candidate scored on 16 kHz float32 `audio`, encoded once
    in a window of `window_frames` mel frames (or the clip plus margin, if longer)."""
    if not candidates:
        raise ValueError("no candidate answers to rank")
    logprobs = _score(recognizer, audio, [candidate.spoken for candidate in candidates], prompt, window_frames)
    scored = tuple(sorted((Scored(c, lp) for c, lp in zip(candidates, logprobs, strict=True)),
                          key=lambda s: s.logprob, reverse=True))  # fmt: skip
    best = scored[0]
    rival = next((s.logprob for s in scored[1:] if s.candidate.value != best.candidate.value), None)
    margin = math.inf if rival is None else best.logprob - rival
    return Ranking(scored, margin)


def _score(
    recognizer: WhisperRecognizer, audio: np.ndarray, texts: list[str], prompt: str | None, window_frames: int
) -> list[float]:
    import ctranslate2

    whisper = recognizer._whisper
    model = recognizer._model
    tokenizer = recognizer._tokenizer
    dither = np.random.default_rng(len(audio)).normal(0.0, DITHER, len(audio)).astype(np.float32)
    features = whisper.feature_extractor(audio + dither)
    frames = min(FULL_WINDOW, max(window_frames, features.shape[-1] + WINDOW_MARGIN))
    window = np.zeros((features.shape[0], frames), dtype=np.float32)
    used = min(frames, features.shape[-1])
    window[:, :used] = features[:, :used]
    encoded = np.asarray(model.encode(ctranslate2.StorageView.from_array(window[None]), to_cpu=True))
    start = recognizer._prompt_tokens(prompt)
    tokens = [[*tokenizer.encode(" " + text.strip()), tokenizer.eot] for text in texts]
    scores: list[float] = []
    for first in range(0, len(tokens), BATCH):
        chunk = tokens[first : first + BATCH]
        batch = ctranslate2.StorageView.from_array(np.ascontiguousarray(np.repeat(encoded, len(chunk), axis=0)))
        for result in model.align(batch, start, chunk, [used] * len(chunk)):
            scores.append(float(np.mean(np.log(np.maximum(result.text_token_probs, 1e-12)))))
    return scores
