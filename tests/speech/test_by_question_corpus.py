"""The Hindi, Hinglish and Indian-accented English callers (tests/corpus_audio/indian.py) through the
by-question caller: they may end incomplete on today's recogniser, but never with a wrong decision. (The
English corpus runs by question in test_audio_corpus.py.) Figures: docs/speech.md.
"""

from __future__ import annotations

import json

import pytest

from tests.corpus_audio import by_question, scoring
from tests.corpus_audio.indian import ensure_indian_corpus
from tests.corpus_audio.run_by_question import report

pytestmark = pytest.mark.slow



def _run(batch_lines: list[dict], batch: object) -> tuple[dict, str]:
    results = scoring.simulate(batch, "--no-record", timeout=7200)  # type: ignore[arg-type]
    return by_question.summary(batch_lines, results), report(batch_lines, results)


@pytest.mark.parametrize("condition", ["clean", "phone"])
def test_hindi_hinglish_and_indian_english_callers_get_no_wrong_decision(condition: str) -> None:
    root = ensure_indian_corpus()
    batch = root / f"by_question_{condition}.jsonl"
    lines = [json.loads(line) for line in batch.read_text(encoding="utf-8").splitlines()]
    figures, failures = _run(lines, batch)
    assert figures["wrong"] == 0, failures
