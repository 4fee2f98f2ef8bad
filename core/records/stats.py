"""Analytics over stored calls: outcomes, funnel, drop-off, rejection reasons and latency, by day and
by language."""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from datetime import UTC, date, datetime, timedelta, tzinfo
from typing import Any

OUTCOMES = ("eligible", "not_eligible", "incomplete")
QUESTIONS = ("employment", "salary", "city")
FUNNEL = ("started", "employment_answered", "salary_answered", "city_answered", "eligible")


def summarise(
    calls: Iterable[Mapping[str, Any]],
    latencies: Iterable[tuple[datetime, float]],
    *,
    since: datetime | None,
    tz: tzinfo = UTC,
) -> dict[str, Any]:
    """Stats from `calls` rows (started_at, outcome, reasons, channel, language, answered_*, dropped_at)
    and turn latencies.

    Days are calendar days in `tz` (a lender in India counts its day in IST, not UTC).
    Eligibility rate is eligible / calls that reached a decision (incomplete calls are excluded).
    """
    by_outcome: Counter[str] = Counter()
    reasons: Counter[str] = Counter()
    drop_off: Counter[str] = Counter({question: 0 for question in QUESTIONS})
    funnel: Counter[str] = Counter({step: 0 for step in FUNNEL})
    channels: Counter[str] = Counter()
    days: dict[str, Counter[str]] = defaultdict(Counter)
    languages: dict[str, Counter[str]] = defaultdict(Counter)
    for call in calls:
        outcome = call["outcome"] or "unfinished"
        by_outcome[outcome] += 1
        languages[call.get("language") or "en"][outcome] += 1
        channels[call["channel"]] += 1
        reasons.update(call["reasons"])
        funnel["started"] += 1
        for question in QUESTIONS:
            funnel[f"{question}_answered"] += bool(call[f"answered_{question}"])
        funnel["eligible"] += outcome == "eligible"
        if call["dropped_at"]:
            drop_off[call["dropped_at"]] += 1
        day = days[call["started_at"].astimezone(tz).date().isoformat()]
        day["calls"] += 1
        day[outcome] += 1
    day_latencies: dict[str, list[float]] = defaultdict(list)
    for started_at, latency in latencies:
        day_latencies[started_at.astimezone(tz).date().isoformat()].append(latency)
    every_latency = [value for values in day_latencies.values() for value in values]
    return {
        "since": since.isoformat() if since else None,
        "timezone": str(tz),
        "calls": funnel["started"],
        "by_outcome": {outcome: by_outcome[outcome] for outcome in (*OUTCOMES, *sorted(by_outcome))},
        "eligibility_rate": _rate(by_outcome["eligible"], by_outcome["eligible"] + by_outcome["not_eligible"]),
        "rejection_reasons": dict(reasons.most_common()),
        "funnel": {step: funnel[step] for step in FUNNEL},
        "drop_off": dict(drop_off),
        "median_turn_latency_ms": _median(every_latency),
        "by_channel": dict(channels.most_common()),
        "by_language": {language: _outcomes(counts) for language, counts in sorted(languages.items())},
        "by_day": [
            {
                "day": day,
                "calls": counts["calls"],
                **{outcome: counts[outcome] for outcome in OUTCOMES},
                "median_turn_latency_ms": _median(day_latencies.get(day, [])),
            }
            for day, counts in _every_day(days)
        ],
    }


def _outcomes(counts: Counter[str]) -> dict[str, Any]:
    """One group's calls, outcomes and eligibility rate (a language's, in `by_language`)."""
    decided = counts["eligible"] + counts["not_eligible"]
    return {
        "calls": sum(counts.values()),
        **{outcome: counts[outcome] for outcome in OUTCOMES},
        "eligibility_rate": _rate(counts["eligible"], decided),
    }


def _every_day(days: dict[str, Counter[str]]) -> list[tuple[str, Counter[str]]]:
    """Days in order, with the quiet days between the first and the last as zeros (charts stay honest)."""
    if not days:
        return []
    first, last = date.fromisoformat(min(days)), date.fromisoformat(max(days))
    every = (first + timedelta(days=n) for n in range((last - first).days + 1))
    return [(day.isoformat(), days.get(day.isoformat(), Counter())) for day in every]


def _rate(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def _median(values: list[float]) -> float | None:
    return round(statistics.median(values), 1) if values else None
