"""Per-question recognition context: what words to expect, and whether a reply is already complete.

Whisper tiny.en hears "Mumbai" as "Bye bye" and "salaried" as "celery" without context; an
initial_prompt listing the expected words fixes most of it at no latency cost (docs/speech.md).
The same object tells the listener when the words so far are a complete, confident answer (end the
turn early) and when the caller stopped mid-number (wait longer).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from core.policy import Policy
from core.prompts import speakable_rupees
from core.speech.amounts import heard_amounts, repair_amounts
from core.speech.engine import Expectation
from core.understanding.text import normalise, tokens_of
from core.understanding.types import Intent, Question, Understanding
from core.understanding.yesno import yes_or_no

Understander = Callable[[Question, str, Policy], Understanding]

COMPLETE_CONFIDENCE = 0.8
"""Understanding confidence at or above which a reply may end the turn before the full silence."""

OTHER_CITIES = ("Pune", "Chennai", "Hyderabad", "Kolkata", "Ahmedabad", "Jaipur", "Lucknow")
"""Cities callers often name that we do not serve: in the prompt so they are heard, and refused right."""

YES_NO = ("yes", "no", "haan", "nahi", "yeah", "nope")
READ_BACK_PROMPT = "Is that right? Yes, that is right. No, that is wrong. Haan. Nahi."

_NUMBER_WORDS = (
    "one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|"
    "seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred|and|point"
)
_UNIT_AFTER = re.compile(r"\b(thousand|k|lakh|lakhs|lac|crore|rupees|rs|per|month|monthly|salary)\b")
_TAIL_NUMBER = re.compile(r"(\d[\d,.]*|\b(?:" + _NUMBER_WORDS + r"))\W*$")


class QuestionContext:
    """Builds the recogniser's `Expectation` for each question from the policy and the understander."""

    def __init__(self, policy: Policy, understand: Understander, language: str = "en") -> None:
        """`language`: the call's language; a Hindi call gets a Devanagari recognition context."""
        self.policy = policy
        self.language = language
        self._understand = understand
        self._cities = _city_names(policy)
        for question in Question:  # the first call loads the gazetteer (~0.25 s): not in a caller's turn
            understand(question, "yes", policy)

    def understand(self, question: Question, text: str) -> Understanding:
        return self._understand(question, text, self.policy)

    def expect(self, question: Question, *, confirming: bool = False) -> Expectation:
        """What to expect in reply to `question`, or (`confirming`) to the read-back of its answer."""
        if confirming:
            return self.expect_yes_no(question)
        return Expectation(
            question=question,
            prompt=self.prompt(question),
            vocabulary=self.vocabulary(question),
            is_complete=lambda text: self.is_complete(question, text),
            is_answer=lambda text: self.understand(question, text).intent is Intent.ANSWER,
            expects_more=lambda text: expects_more(question, text),
            repair=repair_amounts,  # an amount may be over-answered at any question
            vote_key=heard_amounts if question is Question.SALARY else None,
        )

    def expect_yes_no(self, question: Question) -> Expectation:
        """A read-back awaits a yes or no: that is complete as soon as it is heard plainly."""
        return Expectation(
            question=question,
            prompt=READ_BACK_PROMPT,
            vocabulary=YES_NO,
            is_complete=lambda text: _plain_yes_no(text) is True,
            is_answer=lambda text: _plain_yes_no(text) is not None,
            expects_more=lambda text: False,
        )

    def prompt(self, question: Question) -> str:
        """The Whisper initial_prompt: a short made-up exchange using the words we expect."""
        if self.language == "hi":
            from core.speech import hindi_context

            return hindi_context.prompt(question, self.policy)
        if question is Question.EMPLOYMENT:
            return "Are you a salaried employee? Yes, I am salaried. No, I am self-employed. Haan. Nahi."
        if question is Question.SALARY:
            minimum = self.policy.min_monthly_salary
            return (
                f"Is your monthly salary at least {minimum:,} rupees? Yes. No. Haan. Nahi. "
                f"My salary is {speakable_rupees(minimum)} rupees. 40,000 rupees. Forty thousand. "
                "One lakh. 1.5 lakh."
            )
        spoken = [name for city in self.policy.serviceable_cities for name in city.names()[:3]]
        return "Which city do you live in? " + ", ".join((*spoken, *OTHER_CITIES)) + "."

    def vocabulary(self, question: Question) -> tuple[str, ...]:
        """Words a misheard reply may be corrected to (only whole names, never numbers)."""
        if question is Question.CITY:
            return self._cities
        if question is Question.EMPLOYMENT:
            return (*YES_NO, "salaried", "self-employed", "business")
        return YES_NO

    def is_complete(self, question: Question, text: str) -> bool:
        """A confident answer to this very question that does not stop mid-number."""
        if not text.strip() or expects_more(question, text):
            return False
        heard = self.understand(question, text)
        slot = heard.slot_for(question)
        return heard.intent is Intent.ANSWER and slot is not None and slot.confidence >= COMPLETE_CONFIDENCE


def _plain_yes_no(text: str) -> bool | None:
    """True for a plain yes or no (complete), False for a guessed one, None for neither."""
    said = yes_or_no(" ".join(tokens_of(normalise(text))))
    return None if said is None else said.confidence >= COMPLETE_CONFIDENCE


def _city_names(policy: Policy) -> tuple[str, ...]:
    names: list[str] = []
    for city in policy.serviceable_cities:
        names.extend(name for name in city.names() if name not in names)
    names.extend(name for name in OTHER_CITIES if name not in names)
    return tuple(names)


def expects_more(question: Question, text: str) -> bool:
    """The salary reply so far ends in a bare number ("thirty", "one lakh twenty"): the caller may go on."""
    if question is not Question.SALARY:
        return False
    lowered = text.lower().strip()
    match = _TAIL_NUMBER.search(lowered)
    if match is None:
        return False
    if _UNIT_AFTER.search(lowered[match.start() :]):
        return False
    number = match.group(1).replace(",", "")
    if number[:1].isdigit():
        return float(number.rstrip(".") or 0) < 1000
    return True
