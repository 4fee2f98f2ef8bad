"""Hindi answers: which recogniser hears them right, wrong, or not at all, and how fast (prints JSON).

Clips: espeak-ng's `hi` voice reading Devanagari answers (yes/no, amounts, cities), clean (16 kHz) and
over a phone line (300-3400 Hz, 8 kHz mu-law). Rendered into bench/out/hindi_clips (never committed).
Configurations, each on the same clips:
- `tiny.en`: today's English model with its English per-question context (what a Hindi caller gets now);
- `base-hi`: multilingual Whisper base, language Hindi, Devanagari per-question context, open reading;
- `base-hi-fast`: the same as the listener's first look (15 s window, greedy) instead of 30 s and beam 5;
- `base-hi-bare`: the same without context;
- `base-hi-ranked`: the same model scoring the answers the question admits (core/speech/answer_scorer.py);
  an unclear ranking counts as no answer (the dialogue asks again), never as a guess.
A reading is judged by what the dialogue's understanding makes of it (Devanagari also romanised, since
understanding here reads Latin-script Hinglish): right value, wrong value (would risk a wrong decision),
or no answer. Usage: python bench/hindi_asr.py [--configs a,b] [--conditions clean,phone] [--limit N]
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import soxr

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench._common import OUT, percentiles
from core.policy import load_policy
from core.speech.models import ensure_offline_env, whisper_model_dir
from core.understanding.types import Question

ensure_offline_env()

E, S, C = Question.EMPLOYMENT, Question.SALARY, Question.CITY
ANSWERS: list[tuple[Question, str, object]] = [
    (E, "हाँ", True), (E, "जी हाँ", True), (E, "हाँ, मैं नौकरी करता हूँ", True), (E, "हाँ जी", True),
    (E, "नहीं", False), (E, "जी नहीं", False), (E, "नहीं, मेरा अपना बिज़नेस है", False), (E, "नहीं जी", False),
    (S, "पचास हज़ार", 50000), (S, "पच्चीस हज़ार", 25000), (S, "चालीस हज़ार रुपये", 40000),
    (S, "बीस हज़ार", 20000), (S, "एक लाख", 100000), (S, "पैंतीस हज़ार", 35000), (S, "पंद्रह हज़ार", 15000),
    (S, "साठ हज़ार रुपये", 60000),
    (C, "दिल्ली", "Delhi"), (C, "मुंबई", "Mumbai"), (C, "बैंगलोर", "Bangalore"), (C, "मैं पुणे में रहता हूँ", "Pune"),
    (C, "चेन्नई", "Chennai"), (C, "मैं दिल्ली में रहता हूँ", "Delhi"), (C, "हैदराबाद", "Hyderabad"),
    (C, "कोलकाता", "Kolkata"),
]  # fmt: skip
RANK_MARGIN = 1.0
"""Mean log-probability lead over the best rival value needed to take a ranked answer."""
RANK_FLOOR = -1.2
"""...and the best answer's own mean log-probability (an utterance that is none of them scores lower)."""


def render_clips(condition: str) -> list[np.ndarray]:
    """Every answer as 16 kHz float32, cached on disk per condition."""
    from tests.corpus_audio.channels import phone_line

    folder = OUT / "hindi_clips" / condition
    folder.mkdir(parents=True, exist_ok=True)
    clips = []
    for index, (_, text, _) in enumerate(ANSWERS):
        path = folder / f"{index:02d}.npy"
        if not path.exists():
            raw = subprocess.run(["espeak-ng", "-v", "hi", "-s", "150", "--stdout", text], check=True,
                                 capture_output=True).stdout  # fmt: skip
            pcm = np.frombuffer(raw[44:], dtype="<i2").astype(np.float32) / 32768.0
            audio, rate = np.concatenate([np.zeros(4410, np.float32), pcm, np.zeros(6615, np.float32)]), 22050
            if condition == "phone":
                audio, rate = phone_line(audio, rate), 8000
            np.save(path, soxr.resample(audio, rate, 16000).astype(np.float32))
        clips.append(np.load(path))
    return clips


def romanised(text: str) -> str:
    """Devanagari as loose Hinglish ("पचास हज़ार" -> "pachas hazar") for an understanding that reads Latin."""
    from indic_transliteration import sanscript

    latin = sanscript.transliterate(text, sanscript.DEVANAGARI, sanscript.ITRANS)
    latin = re.sub(r"M(?=[bp])", "m", latin).replace(".N", "n").replace("M", "n").replace(".h", "")
    latin = latin.replace("~N", "n").replace("^", "").lower()
    return re.sub(r"(?<=[^aeiou\s])a\b", "", latin)


def value_of(question: Question, text: str) -> object | None:
    from core.understanding import understand
    from core.understanding.types import Intent

    policy = load_policy()
    for reading in (text, romanised(text)):
        heard = understand(question, reading, policy)
        slot = heard.slot_for(question)
        if heard.intent is Intent.ANSWER and slot is not None:
            value = slot.value
            if question is E:
                return value.value == "salaried"  # type: ignore[attr-defined]
            if question is S:
                return value.monthly if value.monthly is not None else value.meets_minimum  # type: ignore[attr-defined]
            return value.name  # type: ignore[attr-defined]
    return None


def judge(question: Question, expected: object, value: object | None) -> str:
    if value is None:
        return "none"
    if question is S and isinstance(value, bool):
        return "right" if value == (int(expected) >= 25000) else "wrong"  # type: ignore[call-overload]
    return "right" if value == expected else "wrong"


def run(config: str, clips: list[np.ndarray], recognizers: dict[str, object]) -> dict[str, object]:
    from core.speech.answer_scorer import rank
    from core.speech.context import QuestionContext
    from core.speech.hindi_context import candidates, prompt
    from core.understanding import understand

    policy = load_policy()
    english = QuestionContext(policy, understand)
    counts = {"right": 0, "wrong": 0, "none": 0}
    latencies, readings = [], []
    for (question, text, expected), audio in zip(ANSWERS, clips, strict=True):
        started = time.perf_counter()
        if config == "tiny.en":
            heard = recognizers["en"].transcribe(audio, english.prompt(question)).text  # type: ignore[attr-defined]
        elif config in ("base-hi", "base-hi-bare"):
            context = prompt(question, policy) if config == "base-hi" else None
            heard = recognizers["hi"].transcribe_full(audio, context).text  # type: ignore[attr-defined]
        elif config == "base-hi-fast":
            heard = recognizers["hi"].transcribe(audio, prompt(question, policy)).text  # type: ignore[attr-defined]
        else:
            ranking = rank(recognizers["hi"], audio, candidates(question, policy), prompt(question, policy))  # type: ignore[arg-type]
            confident = ranking.confident(RANK_MARGIN, RANK_FLOOR)
            heard = ranking.best.candidate.text if confident else ""
            text = f"{text} [{ranking.best.candidate.spoken} {ranking.best.logprob:.2f} +{ranking.margin:.2f}]"
        latencies.append((time.perf_counter() - started) * 1000)
        verdict = judge(question, expected, value_of(question, heard) if heard else None)
        counts[verdict] += 1
        readings.append(f"{verdict[0]} {text} -> {heard}")
    return {**counts, "latency_ms": percentiles(latencies), "readings": readings}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--configs", default="tiny.en,base-hi,base-hi-bare,base-hi-ranked")
    parser.add_argument("--conditions", default="clean,phone")
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()
    from core.speech.multilingual_model import multilingual_whisper_dir
    from core.speech.recognizer import WhisperRecognizer

    configs = args.configs.split(",")
    recognizers: dict[str, object] = {}
    if "tiny.en" in configs:
        recognizers["en"] = WhisperRecognizer(whisper_model_dir(), threads=args.threads)
    if any(config.startswith("base") for config in configs):
        recognizers["hi"] = WhisperRecognizer(multilingual_whisper_dir(), threads=args.threads, language="hi")
    results = {}
    for condition in args.conditions.split(","):
        clips = render_clips(condition)
        for config in configs:
            results[f"{config}/{condition}"] = run(config, clips, recognizers)
            summary = {k: v for k, v in results[f"{config}/{condition}"].items() if k != "readings"}
            print(f"{config}/{condition}: {summary}", file=sys.stderr, flush=True)
    print(json.dumps({"clips": len(ANSWERS), "results": results}, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
