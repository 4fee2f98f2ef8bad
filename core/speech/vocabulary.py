"""Second readings of a transcript: a near-miss word replaced by the expected word it sounds like.

Costs microseconds, unlike a second decode; the session tries these only when the transcript itself
does not understand ("Bangler" -> "Banglore", "Nahai" -> "nahi").
"""

from __future__ import annotations

import re

from rapidfuzz import fuzz

MIN_SCORE = 78.0
MIN_LENGTH = 4
"""Shorter words match too much ("no" ~ "so"), so they are never corrected."""
_WORD = re.compile(r"[A-Za-z]+(?:[-'][A-Za-z]+)*")


def corrections(text: str, vocabulary: tuple[str, ...], limit: int = 3) -> tuple[str, ...]:
    """Alternative readings of `text`, best first, each with one word or word pair replaced."""
    spans = [(m.start(), m.end()) for m in _WORD.finditer(text)]
    known = {entry.casefold() for entry in vocabulary}
    scored: dict[str, float] = {}
    for size in (1, 2):
        for i in range(len(spans) - size + 1):
            start, end = spans[i][0], spans[i + size - 1][1]
            heard = text[start:end]
            if len(heard) < MIN_LENGTH or heard.casefold() in known:
                continue
            for entry in vocabulary:
                if len(entry) < MIN_LENGTH:
                    continue
                score = fuzz.ratio(heard.casefold(), entry.casefold())
                if score >= MIN_SCORE:
                    alternative = text[:start] + entry + text[end:]
                    scored[alternative] = max(score, scored.get(alternative, 0.0))
    return tuple(sorted(scored, key=lambda alt: -scored[alt])[:limit])
