"""Per-question recognition context: the Whisper prompt fixes 'Mumbai', and replies are judged in time."""

from __future__ import annotations

import pytest

from core.audio import resample
from core.policy import Policy
from core.speech.context import QuestionContext, expects_more
from core.speech.vocabulary import corrections
from core.understanding import understand
from core.understanding.types import Question
from tests.speech.conftest import Say


@pytest.fixture(scope="module")
def context(policy: Policy) -> QuestionContext:
    return QuestionContext(policy, understand)


def test_prompts_list_the_words_we_expect(context: QuestionContext) -> None:
    city = context.prompt(Question.CITY)
    assert all(name in city for name in ("Delhi", "Mumbai", "Bombay", "Bangalore", "Bengaluru", "Pune"))
    salary = context.prompt(Question.SALARY)
    assert "25,000" in salary and "twenty-five thousand" in salary and "lakh" in salary and "Haan" in salary
    assert "salaried" in context.prompt(Question.EMPLOYMENT) and "Nahi" in context.prompt(Question.EMPLOYMENT)


@pytest.mark.parametrize(
    ("text", "more"),
    [
        ("thirty", True),
        ("Thirty five.", True),
        ("one lakh twenty", True),
        ("30", True),
        ("35,000.", False),
        ("one lakh", False),
        ("forty thousand rupees", False),
        ("Yes.", False),
    ],
)
def test_mid_number_replies_get_more_time(text: str, more: bool) -> None:
    assert expects_more(Question.SALARY, text) is more
    assert not expects_more(Question.CITY, text)


def test_complete_answers_end_turns_early(context: QuestionContext) -> None:
    assert context.is_complete(Question.EMPLOYMENT, "Yes.")
    assert context.is_complete(Question.CITY, "Mumbai.")
    assert context.is_complete(Question.SALARY, "Forty thousand rupees.")
    assert not context.is_complete(Question.SALARY, "Forty")
    assert not context.is_complete(Question.CITY, "I think")
    assert not context.is_complete(Question.CITY, "")


def test_vocabulary_corrections_rescue_near_misses(context: QuestionContext) -> None:
    assert "I stay in Pune." in corrections("I stay in Punet.", context.vocabulary(Question.CITY))
    assert corrections("Banglr.", context.vocabulary(Question.CITY))[0] == "Banglore."  # an alias: understood
    assert corrections("I stay in Chicago.", context.vocabulary(Question.CITY)) == ()
    assert corrections("No.", context.vocabulary(Question.EMPLOYMENT)) == ()  # short words are never bent


@pytest.mark.slow
def test_the_city_prompt_fixes_mumbai(engine, piper_say: Say, context: QuestionContext) -> None:
    audio = resample(piper_say("Mumbai."), 16000).to_float32()
    bare = engine.recognizer.transcribe(audio).text
    primed = engine.recognizer.transcribe(audio, context.prompt(Question.CITY)).text
    assert "mumbai" not in bare.lower()  # what tiny.en hears with no context ("Mm-bye")
    city = understand(Question.CITY, primed, context.policy).city
    assert city is not None and city.value.name == "Mumbai", primed
