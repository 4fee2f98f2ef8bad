"""Switching a call to Hindi on its first answer: false switches on English answers, switches on Hindi ones.

English: every first-answer phrase of the audio corpus (tests/corpus_audio/scripts.py, yes/no and job
statements) in its six voices (espeak-ng and Piper); Hindi: espeak-ng `hi` reading Devanagari yes/no
answers (bench/hindi_asr.py). Both clean and over the phone line. For each threshold on Whisper base's
Hindi probability (core/speech/language_id.py) prints how many English answers would switch (false)
and how many Hindi answers would (true), and the detector's latency. Prints JSON.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import numpy as np
import soxr

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench._common import OUT, percentiles
from bench.hindi_asr import ANSWERS, render_clips
from core.speech.models import ensure_offline_env
from core.understanding.types import Question

ensure_offline_env()
THRESHOLDS = (0.5, 0.6, 0.7, 0.8, 0.9, 0.95)


def english_clips(condition: str) -> list[np.ndarray]:
    from tests.corpus_audio.channels import phone_line
    from tests.corpus_audio.scripts import NOT_SALARIED, SALARIED
    from tests.corpus_audio.voices import SAMPLE_RATE, VOICES, speak

    folder = OUT / "language_switch" / condition
    folder.mkdir(parents=True, exist_ok=True)
    clips = []
    for v, voice in enumerate(VOICES):
        for p, phrase in enumerate((*SALARIED, *NOT_SALARIED)):
            path = folder / f"{v}-{p}.npy"
            if not path.exists():
                audio = np.concatenate([np.zeros(4410, np.float32), speak(voice, phrase), np.zeros(6615, np.float32)])
                rate = SAMPLE_RATE
                if condition == "phone":
                    audio, rate = phone_line(audio, rate), 8000
                np.save(path, soxr.resample(audio, rate, 16000).astype(np.float32))
            clips.append(np.load(path))
    return clips


def main() -> None:
    from core.speech.language_id import hindi_probability
    from core.speech.multilingual_model import multilingual_whisper_dir
    from core.speech.recognizer import WhisperRecognizer

    recognizer = WhisperRecognizer(multilingual_whisper_dir(), language="hi")
    hindi_first = [i for i, (question, _, _) in enumerate(ANSWERS) if question is Question.EMPLOYMENT]
    results = {}
    for condition in ("clean", "phone"):
        latencies: list[float] = []
        scores: dict[str, list[float]] = {"english": [], "hindi": []}
        clips = {"english": english_clips(condition), "hindi": [render_clips(condition)[i] for i in hindi_first]}
        for kind, audio_list in clips.items():
            for audio in audio_list:
                started = time.perf_counter()
                scores[kind].append(hindi_probability(recognizer, audio))
                latencies.append((time.perf_counter() - started) * 1000)
        results[condition] = {
            "english_answers": len(scores["english"]),
            "hindi_answers": len(scores["hindi"]),
            "switches": {
                str(t): {"false": sum(s >= t for s in scores["english"]), "true": sum(s >= t for s in scores["hindi"])}
                for t in THRESHOLDS
            },
            "english_max": round(max(scores["english"]), 3),
            "hindi_scores": [round(s, 3) for s in scores["hindi"]],
            "latency_ms": percentiles(latencies),
        }
        print(condition, json.dumps(results[condition]), file=sys.stderr, flush=True)
    print(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
