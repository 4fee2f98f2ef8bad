"""Replies that fill no slot: silence, filler, unsure, refusal, off-topic, and requests to repeat."""

from __future__ import annotations

import pytest

from core.policy import Policy, load_policy
from core.understanding import understand
from core.understanding.types import Intent, Question, Unusable


@pytest.fixture(scope="module")
def policy() -> Policy:
    return load_policy()


@pytest.mark.parametrize("text", ["", "   ", "\n\t", "...", "?", "[BLANK_AUDIO]", "(music)", "*coughs*"])
@pytest.mark.parametrize("question", list(Question))
def test_empty_text_is_silence(policy: Policy, question: Question, text: str) -> None:
    heard = understand(question, text, policy)
    assert heard.intent is Intent.UNUSABLE
    assert heard.unusable is Unusable.SILENCE
    assert heard.employment is heard.salary is heard.city is None


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("umm", Unusable.FILLER),
        ("Hmm.", Unusable.FILLER),
        ("uh", Unusable.FILLER),
        ("Ummm... uhh", Unusable.FILLER),
        ("Mm-hmm", Unusable.FILLER),
        ("not sure", Unusable.UNSURE),
        ("I'm not sure.", Unusable.UNSURE),
        ("I don't know", Unusable.UNSURE),
        ("I dunno", Unusable.UNSURE),
        ("No idea.", Unusable.UNSURE),
        ("pata nahi", Unusable.UNSURE),
        ("Mujhe pata nahi", Unusable.UNSURE),
        ("maloom nahi", Unusable.UNSURE),
        ("I don't want to say", Unusable.REFUSAL),
        ("I'd rather not tell you.", Unusable.REFUSAL),
        ("Why do you need that?", Unusable.REFUSAL),
        ("why do you want to know", Unusable.REFUSAL),
        ("None of your business.", Unusable.REFUSAL),
        ("Main nahi bataunga", Unusable.REFUSAL),
        ("What is the weather today?", Unusable.OFF_TOPIC),
        ("I like cricket", Unusable.OFF_TOPIC),
        ("Can I get a loan of five lakh for my wedding", Unusable.OFF_TOPIC),
    ],
)
@pytest.mark.parametrize("question", list(Question))
def test_unusable_kinds(policy: Policy, question: Question, text: str, kind: Unusable) -> None:
    heard = understand(question, text, policy)
    assert heard.intent is Intent.UNUSABLE, heard
    assert heard.unusable is kind


@pytest.mark.parametrize(
    "text",
    [
        "pardon?",
        "Pardon me?",
        "come again?",
        "Sorry, come again?",
        "repeat please",
        "Can you repeat the question?",
        "sorry, what?",
        "Sorry?",
        "What?",
        "Huh?",
        "Excuse me?",
        "can you say that again",
        "Say again?",
        "I didn't catch that",
        "I didn't get you",
        "What was the question?",
        "kya?",
        "Kya bola?",
        "phir se bolo",
        "Phir se boliye please",
        "dobara bolo",
        "One more time please",
        "What do you mean by salaried?",
        "Sorry, what does salaried mean?",
        "Salaried matlab kya?",
        "Monthly or yearly?",
        "In hand or CTC?",
        "Which city?",
    ],
)
@pytest.mark.parametrize("question", list(Question))
def test_repeat_requests(policy: Policy, question: Question, text: str) -> None:
    heard = understand(question, text, policy)
    assert heard.intent is Intent.REPEAT, heard
    assert heard.unusable is None


def test_bare_yes_no_at_city_question_is_unusable(policy: Policy) -> None:
    for text in ("yes", "no", "haan ji", "nahi"):
        heard = understand(Question.CITY, text, policy)
        assert heard.intent is Intent.UNUSABLE, text
        assert heard.city is None


def test_a_slot_makes_it_an_answer_even_with_a_hedge(policy: Policy) -> None:
    heard = understand(Question.SALARY, "I'm not sure, maybe around 30 thousand", policy)
    assert heard.intent is Intent.ANSWER
    assert heard.salary is not None and heard.salary.value.monthly == 30000


@pytest.mark.parametrize(
    "text",
    [
        "near the railway station",
        "behind the market",
        "I live with my family",
        "I live in a rented flat",
        "my name is Rahul Sharma",
        "how much loan can I get",
        "I have two children",
        "I'm at the bank now",
        "I am in office",
        "main ghar pe hoon",
        "Ram Ram ji",
        "Namaste",
        "Thanks for watching!",
        "sector fifteen",
        "I like to play cricket on Sunday",
    ],
)
@pytest.mark.parametrize("question", list(Question))
def test_everyday_sentences_fill_no_slot(policy: Policy, question: Question, text: str) -> None:
    heard = understand(question, text, policy)
    assert heard.intent is not Intent.ANSWER, heard
