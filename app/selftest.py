"""`python -m app --self-test`: prove this machine can run calls, and warm the prompt cache while at it.

Loads every model, renders any missing prompt sentences (English and Hindi) into the cache, recognises
speech synthesised right now (Hindi too), runs one spoken call end to end, and prints the timings as one
JSON object (exit 0).
Any failure is one line on stderr and exit 1. Installers run this once after installing.
"""

from __future__ import annotations

import asyncio
import json
import time
from dataclasses import replace
from typing import Any

from app.cli_errors import OneLineParser, fail

SAMPLE = "Yes, I am salaried."
CALL = ("Yes.", "My salary is forty thousand rupees.", "Mumbai.")
EXPECTED_ANSWERS = {"employment": "salaried", "monthly_salary": 40000, "city": "Mumbai"}


def main(argv: list[str]) -> int:
    parser = OneLineParser(prog="python -m app --self-test", description="Check and warm the speech engine.")
    parser.add_argument("--engine", choices=("offline", "openai"), help="default: $QUICKRUPEE_ENGINE or offline")
    args = parser.parse_args(argv)
    try:
        report = run(args.engine)
    except SelfTestError as exc:
        return fail(f"self-test failed: {exc}", status=1)
    print(json.dumps(report, indent=2))
    return 0


class SelfTestError(Exception):
    """A check that did not pass; the message says which and what was seen."""


def run(engine_name: str | None) -> dict[str, Any]:
    """Every check in order, timed; raises SelfTestError on the first failure."""
    from core.audio import resample
    from core.policy import PolicyError, load_policy
    from core.prompts import load_prompts
    from core.speech.context import QuestionContext
    from core.speech.engine import EngineUnavailable
    from core.speech.factory import create_engine
    from core.speech.prompt_cache import sentences
    from core.speech.settings import SpeechSettings
    from core.speech.simulated_call import simulate_call
    from core.understanding import understand
    from core.understanding.types import Employment, Question

    timings: dict[str, float] = {}
    started = time.perf_counter()
    try:
        policy = load_policy()
        prompts = load_prompts(policy)
        engine = create_engine(engine_name, replace(SpeechSettings.from_env(), language="en"))
    except (EngineUnavailable, PolicyError) as exc:
        raise SelfTestError(str(exc)) from None
    timings["engine_load_s"] = time.perf_counter() - started

    voice: Any = engine.voice
    step = time.perf_counter()
    rendered = voice.warm(prompts.all_texts())
    timings["prompt_cache_s"] = time.perf_counter() - step
    if not hasattr(voice, "synthesize_now"):
        raise SelfTestError(f"the voice {voice.name} cannot synthesise sample speech")
    step = time.perf_counter()
    replies = [voice.synthesize_now(text) for text in (SAMPLE, *CALL)]
    timings["sample_synthesis_s"] = time.perf_counter() - step

    recognizer = getattr(engine, "recognizer", None)
    heard = None
    if recognizer is not None:
        sample = resample(replies[0], 16000).to_float32()
        context = QuestionContext(policy, understand).prompt(Question.EMPLOYMENT)
        recognizer.transcribe(sample, context)  # the first decode allocates
        step = time.perf_counter()
        heard = recognizer.transcribe(sample, context).text
        timings["recognise_sample_s"] = time.perf_counter() - step
        # judged as the dialogue would judge it: the wording may vary with the CPU's maths kernels
        employment = understand(Question.EMPLOYMENT, heard, policy).employment
        if employment is None or employment.value is not Employment.SALARIED:
            raise SelfTestError(f"the recogniser heard {heard!r} for {SAMPLE!r}")

    step = time.perf_counter()
    call = asyncio.run(simulate_call(engine, replies[1:], policy, prompts, understand, channel="self-test"))
    timings["spoken_call_s"] = time.perf_counter() - step
    record = call.record
    if record.outcome != "eligible" or record.answers != EXPECTED_ANSWERS:
        heard_turns = [turn.caller for turn in record.turns]
        raise SelfTestError(f"the spoken call ended {record.outcome} with {record.answers}; heard {heard_turns}")
    hindi = hindi_check(engine, policy, timings)
    asyncio.run(engine.aclose())
    return {
        "ok": True,
        "engine": engine.name,
        "voice": voice.name,
        "timings_s": {name: round(value, 3) for name, value in timings.items()},
        "prompt_cache": {
            "dir": str(voice.cache.directory) if hasattr(voice, "cache") else None,
            "sentences": len({s for text in prompts.all_texts() for s in sentences(text)}),
            "rendered_now": rendered,
        },
        "sample": {"said": SAMPLE, "heard": heard},
        "hindi": hindi,
        "call": {
            "outcome": record.outcome,
            "heard": [turn.caller for turn in record.turns if turn.caller is not None],
            "latency_ms": [turn.latency_ms for turn in record.turns if turn.latency_ms is not None],
            "errors": call.errors,
        },
    }


HINDI_SAMPLE = "मैं दिल्ली में रहता हूँ।"


def hindi_check(engine: Any, policy: Any, timings: dict[str, float]) -> dict[str, Any] | None:
    """Hindi prompts cached in the Hindi voice, and the multilingual recogniser writing Hindi for Hindi
    speech (None for an engine without languages)."""
    from core.audio import resample
    from core.language import is_hindi
    from core.prompts import load_prompts
    from core.speech.context import QuestionContext
    from core.speech.engine import EngineUnavailable
    from core.understanding import understand
    from core.understanding.types import Question

    if not hasattr(engine, "for_language"):
        return None
    step = time.perf_counter()
    try:
        hindi = engine.for_language("hi")
    except EngineUnavailable as exc:  # e.g. an installer built without the Hindi model: English still works
        return {"available": False, "reason": str(exc)}
    timings["hindi_load_s"] = time.perf_counter() - step
    rendered = hindi.voice.warm(load_prompts(policy, language="hi").all_texts())
    sample = resample(hindi.voice.synthesize_now(HINDI_SAMPLE), 16000).to_float32()
    context = QuestionContext(policy, understand, "hi").prompt(Question.CITY)
    step = time.perf_counter()
    heard = hindi.recognizer.transcribe_full(sample, context).text
    timings["recognise_hindi_s"] = time.perf_counter() - step
    if not is_hindi(heard):
        raise SelfTestError(f"the Hindi recogniser heard {heard!r} for {HINDI_SAMPLE!r}")
    return {"available": True, "voice": hindi.voice.name, "rendered_now": rendered, "said": HINDI_SAMPLE,
            "heard": heard}
