"""Properties of whole conversations with the real answer understanding: no crash, bounded, policy-true."""

from __future__ import annotations

import itertools
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.dialogue.conversation import Conversation
from core.policy import Policy, load_policy
from core.prompts import load_prompts
from core.record import CallRecord

try:
    from core.understanding import understand
except ImportError as exc:  # the parser lands separately; this file must run once it exists
    pytest.skip(f"core.understanding.understand is not importable yet: {exc}", allow_module_level=True)

POLICY = load_policy()
PROMPTS = load_prompts(POLICY)
CORPUS = Path(__file__).resolve().parents[1] / "corpus" / "conversations.jsonl"
MAX_REPLIES = 3 * 2 * POLICY.max_attempts
"""Per question: at most max_attempts honoured repeats, then max_attempts failures end the call."""

CORPUS_REPLIES = sorted(
    {turn for line in CORPUS.read_text(encoding="utf-8").splitlines() for turn in json.loads(line)["turns"]}
)
ODDITIES = [
    "",
    "   ",
    "\t\n",
    "₹",
    "/-",
    "0",
    "-5000",
    "1e9",
    "99999999999999999999999999",
    "lakh lakh lakh",
    "crore",
    "k",
    "0.0000001 lakh",
    "yes no yes no",
    "haan nahi",
    "Delhi Mumbai Bangalore Pune",
    "पच्चीस हज़ार",
    "😀",
    "\x00",
    "pardon? pardon?",
    "12 LPA 9 lakh per annum 60k",
]
phrase = st.sampled_from(CORPUS_REPLIES + ODDITIES)
amount = st.builds(
    "{}{}{}".format,
    st.sampled_from(["", "Rs ", "₹", "INR ", "about ", "between 10 and ", "CTC of "]),
    st.one_of(st.integers(-(10**12), 10**30), st.floats(allow_nan=True, allow_infinity=True)),
    st.sampled_from(["", "k", " k", " lakh", " lakhs", " LPA", " lakh per annum", " crore", " hazaar", "/-"]),
)
"""Numbers of every size and shape, where a parser might overflow or divide badly."""
reply = st.one_of(
    phrase,
    amount,
    st.text(max_size=60),
    st.tuples(phrase, phrase).map(" ".join),
    st.tuples(phrase, st.text(max_size=10), phrase).map("".join),
)
FAST = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def run(replies: list[str]) -> tuple[CallRecord, int]:
    """Play replies until the call ends or they run out; the record and how many replies were heard."""
    talk = Conversation(POLICY, PROMPTS, understand)
    talk.start()
    heard = 0
    for text in replies:
        if not talk.awaiting_reply:
            break
        talk.reply(text)
        heard += 1
    talk.hang_up()
    return talk.close(), heard


def independent_verdict(record: CallRecord, policy: Policy) -> tuple[str | None, list[str]]:
    """The policy applied to the recorded answers, rebuilt without core.dialogue: (outcome or None, reasons)."""
    answers = record.answers
    meets: bool | None = None
    for turn in record.turns:
        if turn.parsed and "meets_minimum" in turn.parsed:
            meets = turn.parsed["meets_minimum"]
    if answers["monthly_salary"] is not None:
        meets = answers["monthly_salary"] >= policy.min_monthly_salary
    employment, city = answers["employment"], answers["city"]
    served = None if city is None else policy.city_for(city) is not None
    failing = [
        reason
        for reason, failed in (
            ("not_salaried", employment == "not_salaried"),
            ("salary_below_minimum", meets is False),
            ("city_not_serviceable", served is False),
        )
        if failed
    ]
    for known, passed in ((employment, employment == "salaried"), (meets, meets), (served, served)):
        if known is None:
            return None, failing
        if not passed:
            return "not_eligible", failing
    return "eligible", failing


@FAST
@given(st.lists(reply, max_size=25))
def test_any_replies_end_without_error_within_the_bound(replies: list[str]) -> None:
    record, heard = run(replies)
    assert record.outcome in {"eligible", "not_eligible", "incomplete"}
    assert heard <= MAX_REPLIES
    assert len(record.turns) == heard + 1
    assert record.path[0] == "INIT" and record.path[-1] == "END"


@FAST
@given(st.lists(reply, min_size=1, max_size=8))
def test_endless_replies_always_end_the_call(replies: list[str]) -> None:
    """A caller who never stops talking (the same few replies forever) still gets an ending in bounded turns."""
    talk = Conversation(POLICY, PROMPTS, understand)
    talk.start()
    heard = 0
    for text in itertools.cycle(replies):
        if not talk.awaiting_reply or heard > MAX_REPLIES:
            break
        talk.reply(text)
        heard += 1
    assert not talk.awaiting_reply, f"still asking after {heard} replies"
    assert heard <= MAX_REPLIES


@FAST
@given(st.lists(reply, max_size=25))
def test_decision_is_the_policy_applied_to_the_parsed_answers(replies: list[str]) -> None:
    record, _ = run(replies)
    verdict, failing = independent_verdict(record, POLICY)
    if record.outcome == "incomplete":
        assert verdict is None, f"answers {record.answers} already decide {verdict}"
        assert record.reasons == []
    else:
        assert record.outcome == verdict
        assert record.reasons == failing


@FAST
@given(st.lists(reply, max_size=25))
def test_answers_are_well_typed(replies: list[str]) -> None:
    record, _ = run(replies)
    answers: dict[str, Any] = record.answers
    assert answers["employment"] in {None, "salaried", "not_salaried"}
    salary = answers["monthly_salary"]
    assert salary is None or (isinstance(salary, int) and salary >= 0)
    city = answers["city"]
    assert city is None or (isinstance(city, str) and city.strip() == city and city)
    served = POLICY.city_for(city) if city else None
    assert served is None or served.name == city, "a serviceable city is recorded by its canonical name"
