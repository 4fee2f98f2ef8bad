"""By-question batch lines (`simulate --batch`, app/by_question.py) for a spoken corpus, and their scoring.

A caller's clips go to the question they answer, read-backs are answered with "yes"/"no" clips in the
caller's own voice and condition, and `truth` says what the caller meant, so the simulator confirms
only what was really said. Scoring counts right calls, incomplete calls, WRONG decisions (an
eligible/not-eligible outcome other than the caller's) and read-backs per call and per answer.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from core.policy import Policy
from core.understanding import understand
from core.understanding.types import Question
from tests.corpus_audio.scoring import mismatches

QUESTIONS = ("employment", "salary", "city")


def truth_of(texts: Sequence[str], expected: dict[str, Any], policy: Policy) -> dict[str, Any]:
    """What a scripted caller meant, from the exact typed text of its answers."""
    answers = expected["answers"]
    truth: dict[str, Any] = {"employment": answers["employment"], "monthly_salary": answers["monthly_salary"]}
    if len(texts) > 1:
        salary = understand(Question.SALARY, texts[1], policy).salary
        truth["meets_minimum"] = salary.value.meets_minimum if salary is not None else None
    if len(texts) > 2:
        city = understand(Question.CITY, texts[2], policy).city
        truth["city"] = city.value.name if city is not None else answers["city"]
    return truth


def line_for(
    caller_id: str, clips: Sequence[str], confirm: dict[str, str], truth: dict[str, Any], meta: dict[str, Any]
) -> dict[str, Any]:
    """One by-question batch line: clip i answers question i, in question order."""
    return {
        "id": caller_id,
        "audio": True,
        "by_question": {question: [clip] for question, clip in zip(QUESTIONS, clips, strict=False)},
        "confirm": confirm,
        "truth": truth,
        **meta,
    }


def wrong_decision(expected: dict[str, Any], result: dict[str, Any] | None) -> bool:
    """A decision was made and it is not the caller's: the worst outcome."""
    outcome = (result or {}).get("outcome")
    return outcome in ("eligible", "not_eligible") and (
        outcome != expected["outcome"] or (result or {}).get("reasons") != expected["reasons"]
    )


def summary(lines: Sequence[dict[str, Any]], results: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """Right / incomplete / wrong decisions and read-backs, per call and per answer given."""
    right = incomplete = wrong = confirmations = answers = 0
    wrong_ids = []
    for line in lines:
        result = results.get(str(line["id"]))
        right += not mismatches(line["expected"], result)
        incomplete += (result or {}).get("outcome") == "incomplete"
        if wrong_decision(line["expected"], result):
            wrong += 1
            wrong_ids.append(line["id"])
        confirmations += len((result or {}).get("confirmations", []))
        answers += sum(
            1
            for turn in (result or {}).get("turns", [])
            if turn.get("caller") and turn.get("state", "").startswith("ASK_")
        )
    calls = len(lines)
    return {
        "calls": calls,
        "right": right,
        "incomplete": incomplete,
        "wrong": wrong,
        "wrong_ids": wrong_ids,
        "confirmations_per_call": round(confirmations / calls, 2) if calls else 0.0,
        "confirmation_rate": round(confirmations / answers, 3) if answers else 0.0,
    }
