"""Spoken corpora through the by-question caller: no wrong decision, and read-backs stay rare on clear English.

The English corpus (tests/corpus_audio/make_corpus.py) never ends wrong. The issue's targets are 59/60
clean and 58/60 phone right, with read-backs on at most 10% of clean answers; reached so far, and kept
here as floors against regressions: 59/60 clean, 57/60 phone, 10.6% read-backs. The Hindi, Hinglish and
Indian-accented English callers (tests/corpus_audio/indian.py) may end incomplete on today's recogniser,
but never with a wrong decision. Figures: docs/speech.md.
"""

from __future__ import annotations

import json

import pytest

from tests.corpus_audio import by_question, scoring
from tests.corpus_audio.indian import ensure_indian_corpus
from tests.corpus_audio.make_corpus import CorpusParams, ensure_corpus
from tests.corpus_audio.run_by_question import report

pytestmark = pytest.mark.slow

ENGLISH_RIGHT = {"clean": 59, "phone": 57}
MAX_CONFIRMATION_RATE = 0.12


def _run(batch_lines: list[dict], batch: object) -> tuple[dict, str]:
    results = scoring.simulate(batch, "--no-record", timeout=7200)  # type: ignore[arg-type]
    return by_question.summary(batch_lines, results), report(batch_lines, results)


@pytest.mark.parametrize("condition", list(ENGLISH_RIGHT))
def test_english_corpus_by_question(condition: str) -> None:
    corpus = ensure_corpus(CorpusParams(conditions=("clean", "phone")))
    batch = corpus.by_question_batch(condition)
    lines = [json.loads(line) for line in batch.read_text().splitlines()]
    figures, failures = _run(lines, batch)
    assert figures["wrong"] == 0, failures
    assert figures["right"] >= ENGLISH_RIGHT[condition], failures
    if condition == "clean":
        assert figures["confirmation_rate"] <= MAX_CONFIRMATION_RATE, figures


@pytest.mark.parametrize("condition", ["clean", "phone"])
def test_hindi_hinglish_and_indian_english_callers_get_no_wrong_decision(condition: str) -> None:
    root = ensure_indian_corpus()
    batch = root / f"by_question_{condition}.jsonl"
    lines = [json.loads(line) for line in batch.read_text(encoding="utf-8").splitlines()]
    figures, failures = _run(lines, batch)
    assert figures["wrong"] == 0, failures
