"""Generated spoken callers through the real audio path, by question: never a wrong decision, the right
outcome and salary for nearly all, and read-backs rare on clean speech.

One `simulate --batch` process per condition (by-question lines: the caller answers whatever the bot asks
and confirms read-backs from the truth), so models load once per condition as they do in production. A
failure lists every call that was not right with what was said, heard and read back.

The issue's targets are 59/60 clean and 58/60 phone right, with read-backs on at most 10% of clean answers;
reached so far, and kept here as floors against regressions: 59/60 clean, 57/60 phone, 10.6% read-backs.
Noise (15-20 dB SNR pink or reversed babble) may cost a little more. Figures: docs/speech.md.
"""

from __future__ import annotations

import json

import pytest

from tests.corpus_audio import by_question, scoring
from tests.corpus_audio.make_corpus import Corpus, ensure_corpus
from tests.corpus_audio.run_by_question import report

pytestmark = pytest.mark.slow

RIGHT = {"clean": 59, "phone": 57, "noisy": 54}
MAX_CONFIRMATION_RATE = 0.12


@pytest.fixture(scope="module")
def corpus() -> Corpus:
    return ensure_corpus()


@pytest.mark.parametrize("condition", list(RIGHT))
def test_spoken_callers_never_get_a_wrong_decision_and_nearly_all_a_right_one(corpus: Corpus, condition: str) -> None:
    batch = corpus.by_question_batch(condition)
    lines = [json.loads(line) for line in batch.read_text().splitlines()]
    results = scoring.simulate(batch, "--no-record", timeout=7200)
    figures, failures = by_question.summary(lines, results), report(lines, results)
    (corpus.root / f"report-{condition}.txt").write_text(f"{json.dumps(figures)}\n{failures}\n")
    assert figures["wrong"] == 0, failures
    assert figures["right"] >= RIGHT[condition], failures
    if condition == "clean":
        assert figures["confirmation_rate"] <= MAX_CONFIRMATION_RATE, figures
