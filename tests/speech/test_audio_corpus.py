"""Generated spoken callers through the real audio path: the bot must reach the right outcome and salary.

One `simulate --batch` process per condition, so models load once per condition as they do in production.
A failure lists every wrong conversation with what was said and heard, and whether typed text also fails.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.corpus_audio import scoring
from tests.corpus_audio.make_corpus import Corpus, ensure_corpus

pytestmark = pytest.mark.slow

# The bar for clean and phone audio; noise (15-20 dB SNR pink or reversed babble) may cost a little.
TARGETS = {"clean": 0.95, "phone": 0.95, "noisy": 0.90}


@pytest.fixture(scope="module")
def corpus() -> Corpus:
    return ensure_corpus()


@pytest.fixture(scope="module")
def text_results(corpus: Corpus) -> dict[str, dict[str, Any]] | None:
    """The same scripts typed, to tell understanding errors from recognition errors; None if that fails."""
    try:
        return scoring.simulate(corpus.text_batch, timeout=300)
    except RuntimeError:
        return None


@pytest.mark.parametrize("condition", list(TARGETS))
def test_spoken_callers_reach_the_right_outcome_and_salary(
    corpus: Corpus, text_results: dict[str, dict[str, Any]] | None, condition: str
) -> None:
    lines = corpus.lines(condition)
    results = scoring.simulate(corpus.batch(condition))
    report = scoring.failure_report(condition, lines, results, text_results)
    (corpus.root / f"report-{condition}.txt").write_text(report + "\n")  # kept for whoever tunes recognition
    assert scoring.accuracy(lines, results) >= TARGETS[condition], report
