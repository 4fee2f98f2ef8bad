"""When a reading is too unsure to act on, from what the recogniser and understanding know (pure rules).

A wrong decision is the worst outcome, so an unsure answer is read back and the caller's yes or no
decides. Typed text is exact: only a reply that contradicts itself is read back. Spoken readings are
also unsure when they hold both a yes and a no, were decoded or understood below a floor, when the
recogniser's two looks disagree, when an amount near the minimum was not heard with high confidence,
when a city was matched only by sound, or when the recogniser had to drop context words it wrote
without hearing them (core/speech/recognizer.py).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from core.dialogue.decide import Answers
from core.policy import Policy
from core.understanding.text import normalise, tokens_of
from core.understanding.types import Employment, Intent, Question, Understanding
from core.understanding.yesno import yes_or_no

DECODE_FLOOR = 0.5
"""Decoder confidence (exp mean token log-probability) below which a spoken answer is unsure."""
ANSWER_FLOOR = 0.7
"""Understanding confidence below which a spoken answer is unsure: a guessed 'haan' (0.6), a bare
'thirty five' taken as thousands (0.5), a city matched by sound or a nearby place (0.6)."""
HIGH_DECODE = 0.8
"""Decoder confidence an amount near the minimum needs to be acted on without a read-back."""
NEAR_MINIMUM = 0.4
"""'Near the minimum': within this fraction of it (15,000-35,000 for a 25,000 minimum)."""
FAILING_DECODE = 0.7
"""A spoken answer that would end the call not eligible needs this decoder confidence to be acted on
without a read-back (phone corpus: "seventy three thousand" heard "family three thousand")."""
CONFIRM_FAILING_DECODE = 0.6
"""A spoken yes confirming a value that ends the call not eligible needs this decoder confidence (phone
"Yes." decodes at 0.64-0.8; Hindi "nahi" was once heard "Yeah.")."""
CONFIRM_FLOOR = 0.7
IMPLAUSIBLY_LOW = 0.4
"""A spoken monthly salary below this fraction of the minimum (10,000 for 25,000) is read back: a lost tens
word ("sixty one thousand" heard "sixteen one thousand", "eighty three" heard "made it 3,000") is far likelier
than a salaried caller earning that little."""
"""A spoken yes/no to a read-back below this understanding confidence does not count."""


@dataclass(frozen=True, slots=True)
class Hearing:
    """What the recogniser knows about a spoken reply; typed text has none."""

    confidence: float | None = None
    """Decoder confidence of the reading acted on."""
    other_look: str = ""
    """The other look's reading when the turn was decoded twice and the looks differ in wording."""
    injected: bool = False
    """The recogniser dropped context-prompt words the audio did not hold: the rest is suspect too."""


Reread = Callable[[str], Understanding]
"""Understands another reading of the same audio as an answer to the same question."""


def unsure_slots(
    question: Question, text: str, heard: Understanding, hearing: Hearing | None, policy: Policy, reread: Reread
) -> frozenset[Question]:
    """The slots of this reply that must be confirmed before the dialogue acts on them."""
    if heard.intent is not Intent.ANSWER:
        return frozenset()
    filled = [q for q in Question if heard.slot_for(q) is not None]
    unsure = {q for q in filled if heard.slot_for(q).contradicted}  # type: ignore[union-attr]
    if hearing is None:
        return frozenset(unsure)
    if hearing.injected or says_yes_and_no(text):
        return frozenset(filled)
    other = reread(hearing.other_look) if hearing.other_look else None
    unsure.update(q for q in filled if _unsure_spoken(q, heard, hearing, other, policy))
    return frozenset(unsure)


def _unsure_spoken(
    question: Question, heard: Understanding, hearing: Hearing, other: Understanding | None, policy: Policy
) -> bool:
    slot = heard.slot_for(question)
    assert slot is not None
    if slot.confidence < ANSWER_FLOOR:
        return True
    decoded = hearing.confidence if hearing.confidence is not None else 1.0
    if decoded < DECODE_FLOOR:
        return True
    if other is not None:
        again = other.slot_for(question)
        if again is None or again.value != slot.value:
            return True
    if _fails_policy(question, heard) and decoded < FAILING_DECODE:
        return True  # a spoken reading that would end the call not eligible must be heard clearly
    if question is Question.SALARY and heard.salary is not None and heard.salary.value.monthly is not None:
        minimum = policy.min_monthly_salary
        if heard.salary.value.monthly < IMPLAUSIBLY_LOW * minimum:
            return True
        near = abs(heard.salary.value.monthly - minimum) <= NEAR_MINIMUM * minimum
        return near and decoded < HIGH_DECODE
    return False


def _fails_policy(question: Question, heard: Understanding | Answers) -> bool:
    """This answer ends the call not eligible."""
    if question is Question.EMPLOYMENT and heard.employment is not None:
        return heard.employment.value is Employment.NOT_SALARIED
    if question is Question.SALARY and heard.salary is not None:
        return not heard.salary.value.meets_minimum
    if question is Question.CITY and heard.city is not None:
        return not heard.city.value.serviceable
    return False


def says_yes_and_no(text: str) -> bool:
    """A reading holding both a yes and a no word ("Haan. Nahi."), whatever understanding made of it."""
    said = {found.yes for word in tokens_of(normalise(text)) if (found := yes_or_no(word)) is not None}
    return said == {True, False}


def confirmation(
    text: str, hearing: Hearing | None, question: Question | None = None, read_back: Answers | None = None
) -> bool | None:
    """The caller's yes or no to a read-back; None when the reply held neither, or (spoken) not surely. A
    spoken yes that would end the call not eligible must be decoded with high confidence (phone corpus:
    Hindi "nahi" to "less than twenty-five thousand?" was heard "Yeah.")."""
    said = yes_or_no(" ".join(tokens_of(normalise(text))))
    if said is None:
        return None
    if hearing is not None:
        decoded = hearing.confidence if hearing.confidence is not None else 1.0
        unsure = hearing.injected or says_yes_and_no(text) or decoded < DECODE_FLOOR
        if unsure or said.confidence < CONFIRM_FLOOR:
            return None
        failing = question is not None and read_back is not None and _fails_policy(question, read_back)
        if said.yes and failing and decoded < CONFIRM_FAILING_DECODE:
            return None
    return said.yes
