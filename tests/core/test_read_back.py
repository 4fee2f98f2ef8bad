"""Read-back confirmation: unsure readings are confirmed before the dialogue acts; text is exact."""

from __future__ import annotations

from dataclasses import replace

import pytest

from core.dialogue.conversation import Conversation
from core.dialogue.machine import Context, respond, start
from core.dialogue.table import State, Trigger, follow
from core.dialogue.unsure import Hearing, confirmation, says_yes_and_no, unsure_slots
from core.policy import Policy, load_policy
from core.prompts import PromptKey, load_prompts
from core.understanding import understand
from core.understanding.types import Employment, Intent, Question, Slot, Understanding

POLICY = load_policy()
PROMPTS = load_prompts(POLICY)
SURE = Hearing(confidence=0.9)
"""A clear spoken reading: decoded confidently, one look."""


def talk(**kwargs: object) -> Conversation:
    conversation = Conversation(POLICY, PROMPTS, understand, **kwargs)  # type: ignore[arg-type]
    conversation.start()
    return conversation


def contradicting(question: Question, text: str, policy: Policy) -> Understanding:
    """Understanding as the clause-level reader marks a reply that disagrees with itself."""
    heard = understand(question, text, policy)
    if "contradicts" not in text or heard.employment is None:
        return heard
    return replace(heard, employment=replace(heard.employment, contradicted=True))


# --- text is exact ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "replies",
    [["no"], ["yes", "twenty thousand"], ["yes", "forty thousand", "Pune"], ["haan", "1 lakh", "Mumbai"]],
)
def test_typed_text_is_never_read_back(replies: list[str]) -> None:
    conversation = talk()
    for reply in replies:
        turn = conversation.reply(reply)
        assert not conversation.reading_back
        assert "Is that right" not in turn.text and "Did you say" not in turn.text
    assert conversation.close().confirmations == []
    assert conversation.record.outcome in ("eligible", "not_eligible")


def test_typed_yes_and_no_in_one_reply_is_not_read_back_without_a_contradiction_mark() -> None:
    conversation = talk()
    conversation.reply("yes no")
    assert not conversation.reading_back


def test_text_that_contradicts_itself_is_read_back() -> None:
    conversation = Conversation(POLICY, PROMPTS, contradicting)
    conversation.start()
    turn = conversation.reply("I am salaried contradicts")
    assert conversation.state is State.CONFIRM_EMPLOYMENT
    assert turn.text == "You said you are salaried. Is that right?"
    assert turn.edges == (follow(State.ASK_EMPLOYMENT, Trigger.UNSURE),)
    turn = conversation.reply("yes")
    assert conversation.state is State.ASK_SALARY
    assert conversation.record.confirmations == [{"slot": "employment", "heard": "salaried", "answer": "yes"}]


# --- spoken readings -------------------------------------------------------------------


def test_a_clear_spoken_answer_is_not_read_back() -> None:
    conversation = talk()
    conversation.reply("Yes, I am salaried.", hearing=SURE)
    assert conversation.state is State.ASK_SALARY


def test_haan_nahi_is_read_back_never_acted_on() -> None:
    """The issue's wrong decision: 'Haan. Nahi.' for 'haan ji' ended the call as not salaried."""
    conversation = talk()
    turn = conversation.reply("Haan. Nahi.", hearing=SURE)
    assert conversation.state is State.CONFIRM_EMPLOYMENT
    assert turn.text == PROMPTS[PromptKey.CONFIRM_NOT_SALARIED]
    turn = conversation.reply("No.", hearing=SURE)
    assert conversation.state is State.ASK_EMPLOYMENT
    assert turn.text == f"{PROMPTS[PromptKey.CONFIRM_DENIED]} {PROMPTS[PromptKey.ASK_EMPLOYMENT]}"
    assert conversation.record.confirmations == [{"slot": "employment", "heard": "not_salaried", "answer": "no"}]
    assert conversation.record.outcome is None


def test_a_low_confidence_amount_is_read_back_with_the_amount_spoken() -> None:
    conversation = talk()
    conversation.reply("yes", hearing=SURE)
    turn = conversation.reply("Forty thousand.", hearing=Hearing(confidence=0.42))
    assert conversation.state is State.CONFIRM_SALARY
    assert turn.text == "Did you say forty thousand rupees?"
    conversation.reply("Yes.", hearing=SURE)
    assert conversation.state is State.ASK_CITY
    assert conversation.record.answers["monthly_salary"] == 40_000
    assert conversation.record.confirmations == [{"slot": "monthly_salary", "heard": 40_000, "answer": "yes"}]


def test_an_amount_near_the_minimum_needs_high_confidence() -> None:
    conversation = talk()
    conversation.reply("yes", hearing=SURE)
    conversation.reply("Twenty thousand rupees.", hearing=Hearing(confidence=0.7))
    assert conversation.state is State.CONFIRM_SALARY
    far = talk()
    far.reply("yes", hearing=SURE)
    far.reply("Ninety thousand rupees.", hearing=Hearing(confidence=0.7))
    assert far.state is State.ASK_CITY


def test_looks_that_disagree_are_read_back() -> None:
    conversation = talk()
    conversation.reply("yes", hearing=SURE)
    conversation.reply("Two, no.", hearing=Hearing(confidence=0.9, other_look="Chali is the mark."))
    assert conversation.state is State.CONFIRM_SALARY
    assert conversation.record.outcome is None


def test_a_city_matched_only_by_sound_is_read_back() -> None:
    conversation = talk()
    conversation.reply("yes", hearing=SURE)
    conversation.reply("fifty thousand", hearing=SURE)
    turn = conversation.reply("I stay in Boona.", hearing=SURE)
    assert conversation.state is State.CONFIRM_CITY
    assert turn.text == "Did you say Pune?"
    conversation.reply("yes", hearing=SURE)
    assert conversation.state is State.NOT_ELIGIBLE


def test_injected_words_make_the_reading_unsure() -> None:
    conversation = talk()
    conversation.reply("Yes.", hearing=Hearing(confidence=0.9, injected=True))
    assert conversation.state is State.CONFIRM_EMPLOYMENT


def test_a_new_amount_in_reply_to_a_read_back_is_a_new_answer() -> None:
    conversation = talk()
    conversation.reply("yes", hearing=SURE)
    conversation.reply("Twenty thousand.", hearing=Hearing(confidence=0.6))
    conversation.reply("No, sixty thousand.", hearing=SURE)
    assert conversation.state is State.ASK_CITY
    assert conversation.record.answers["monthly_salary"] == 60_000
    assert conversation.record.confirmations[-1]["answer"] == "new_answer"


def test_no_to_every_read_back_ends_incomplete_never_not_eligible() -> None:
    conversation = talk()
    for _ in range(POLICY.max_attempts):
        conversation.reply("Nahi.", hearing=Hearing(confidence=0.3))
        assert conversation.state is State.CONFIRM_EMPLOYMENT
        conversation.reply("No.", hearing=SURE)
    record = conversation.close()
    assert record.outcome == "incomplete"
    assert [c["answer"] for c in record.confirmations] == ["no"] * POLICY.max_attempts


def test_an_unclear_reply_to_a_read_back_asks_the_question_again() -> None:
    conversation = talk()
    conversation.reply("Nahi.", hearing=Hearing(confidence=0.3))
    turn = conversation.reply("", hearing=None)
    assert conversation.state is State.ASK_EMPLOYMENT
    assert turn.text == PROMPTS[PromptKey.ASK_EMPLOYMENT_RETRY]
    assert conversation.record.confirmations[-1]["answer"] == "unclear"


def test_a_spoken_unsure_yes_to_a_read_back_does_not_confirm() -> None:
    conversation = talk()
    conversation.reply("Nahi.", hearing=Hearing(confidence=0.3))
    conversation.reply("Haan. Nahi.", hearing=SURE)
    assert conversation.state is State.ASK_EMPLOYMENT


def test_repeat_reads_back_again() -> None:
    conversation = talk()
    conversation.reply("Nahi.", hearing=Hearing(confidence=0.3))
    turn = conversation.reply("pardon?")
    assert turn.text == PROMPTS[PromptKey.CONFIRM_NOT_SALARIED]
    assert conversation.state is State.CONFIRM_EMPLOYMENT
    assert conversation.record.confirmations == []


def test_phone_read_back_offers_the_keypad_and_keypad_yes_confirms() -> None:
    conversation = talk(keypad=True)
    turn = conversation.reply("Nahi.", hearing=Hearing(confidence=0.3))
    assert turn.text.endswith(PROMPTS[PromptKey.KEYPAD_YES_NO])
    conversation.reply("yes")  # the bridge's keypad turns 1 into "yes"
    assert conversation.state is State.NOT_ELIGIBLE


def test_hanging_up_during_a_read_back_is_noted() -> None:
    conversation = talk()
    conversation.reply("Nahi.", hearing=Hearing(confidence=0.3))
    conversation.hang_up()
    assert conversation.record.outcome == "incomplete"
    assert conversation.record.confirmations == [{"slot": "employment", "heard": "not_salaried", "answer": None}]


def test_an_unsure_over_answer_is_dropped_and_asked_for() -> None:
    step = start(Context())
    heard = understand(Question.EMPLOYMENT, "yes I earn forty thousand", POLICY)
    moved = respond(step.context, heard, POLICY, unsure=frozenset({Question.SALARY}))
    assert moved.context.state is State.ASK_SALARY
    assert moved.context.answers.salary is None


# --- the rules themselves --------------------------------------------------------------


def test_yes_and_no_in_one_reading() -> None:
    assert says_yes_and_no("Haan. Nahi.")
    assert not says_yes_and_no("No, I run my own business.")
    assert not says_yes_and_no("Yes, I am salaried.")


def test_confirmation_reads_yes_and_no() -> None:
    assert confirmation("haan ji", None) is True
    assert confirmation("No.", SURE) is False
    assert confirmation("Forty thousand.", SURE) is None
    assert confirmation("Yes.", Hearing(confidence=0.2)) is None


def test_text_slots_are_sure_unless_contradicted() -> None:
    heard = Understanding(Intent.ANSWER, employment=Slot(Employment.SALARIED, 0.6))
    reread = lambda text: understand(Question.EMPLOYMENT, text, POLICY)  # noqa: E731
    assert unsure_slots(Question.EMPLOYMENT, "on", heard, None, POLICY, reread) == frozenset()
    assert unsure_slots(Question.EMPLOYMENT, "on", heard, SURE, POLICY, reread) == {Question.EMPLOYMENT}


def test_a_value_the_caller_denied_is_read_back_again_even_when_heard_clearly() -> None:
    """Phone corpus c038: 'I stay in Pune' heard 'New Delhi', denied, then heard 'New Delhi' clearly."""
    conversation = talk()
    conversation.reply("yes", hearing=SURE)
    conversation.reply("fifty thousand", hearing=SURE)
    conversation.reply("I pay in New Delhi.", hearing=Hearing(confidence=0.3))
    conversation.reply("No.", hearing=SURE)
    conversation.reply("I say in New Delhi.", hearing=SURE)
    assert conversation.state is State.CONFIRM_CITY
    conversation.reply("No.", hearing=SURE)
    conversation.reply("I say in New Delhi.", hearing=SURE)
    conversation.reply("No.", hearing=SURE)
    assert conversation.close().outcome == "incomplete"


def test_a_yes_that_would_end_the_call_needs_a_clear_hearing() -> None:
    """Phone corpus hi002: Hindi 'nahi' to 'less than twenty-five thousand?' was heard 'Yeah.' at 0.5."""
    conversation = talk()
    conversation.reply("yes", hearing=SURE)
    conversation.reply("talk to Nahi.", hearing=Hearing(confidence=0.4))
    assert conversation.state is State.CONFIRM_SALARY
    conversation.reply("Yeah.", hearing=Hearing(confidence=0.55))
    assert conversation.state is State.ASK_SALARY
    assert conversation.record.confirmations[-1]["answer"] == "unclear"


def test_a_spoken_failing_answer_needs_a_clear_hearing() -> None:
    """Phone corpus c000: 'seventy three thousand' heard 'family three thousand' at under 0.8."""
    conversation = talk()
    conversation.reply("yes", hearing=SURE)
    conversation.reply("My salary in family three thousand rupees.", hearing=Hearing(confidence=0.65))
    assert conversation.state is State.CONFIRM_SALARY


def test_a_spoken_salary_far_below_the_minimum_is_read_back_but_typed_is_not() -> None:
    """'sixty one thousand' heard 'sixteen one thousand' (1,000): a lost tens word, not a salaried caller's pay."""
    from core.dialogue.unsure import Hearing, unsure_slots
    from core.policy import load_policy
    from core.understanding import understand
    from core.understanding.types import Question

    policy = load_policy()
    text = "My salary is three thousand rupees."
    heard = understand(Question.SALARY, text, policy)
    assert heard.salary is not None and heard.salary.value.monthly == 3000
    reread = lambda other: understand(Question.SALARY, other, policy)  # noqa: E731
    assert unsure_slots(Question.SALARY, text, heard, Hearing(0.95), policy, reread) == {Question.SALARY}
    assert unsure_slots(Question.SALARY, text, heard, None, policy, reread) == frozenset()
