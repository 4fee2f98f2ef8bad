"""The recogniser writes only what was said: context-prompt words never appear in a reading of audio
that does not hold them (core/speech/heard_words.py, core/speech/recognizer.py)."""

from __future__ import annotations

import numpy as np
import pytest
import soxr

from core.dialogue.unsure import Hearing, unsure_slots
from core.speech.context import QuestionContext
from core.speech.heard_words import context_words, drop_unheard, names_context_words, sounds_alike
from core.understanding import understand
from core.understanding.types import Intent, Question
from tests.corpus_audio import channels, voices

EMPLOYMENT_PROMPT = "Are you a salaried employee? Yes, I am salaried. No, I am self-employed. Haan. Nahi."
CITY_PROMPT = "Which city do you live in? Delhi, Mumbai, Bombay, Bangalore, Pune, Chennai."


def test_the_prompt_words_that_could_be_injected() -> None:
    assert {"haan", "nahi", "yes", "no", "salaried"} <= context_words(EMPLOYMENT_PROMPT)
    assert not {"are", "you", "i", "am"} & context_words(EMPLOYMENT_PROMPT)
    assert names_context_words("Haan. Nahi.", EMPLOYMENT_PROMPT)
    assert not names_context_words("Be the Nara.", EMPLOYMENT_PROMPT)


def test_words_no_unprompted_reading_sounds_like_are_dropped() -> None:
    """The issue's readings: 'haan ji' -> 'Haan. Nahi.', 'bees hazaar' -> 'Please, Haan.'."""
    assert drop_unheard("Haan. Nahi.", ["How'd you..."], EMPLOYMENT_PROMPT) == ("Haan.", ("Nahi.",))
    assert drop_unheard("Please, Haan.", ["Be the Nara", "Be the Nara."], EMPLOYMENT_PROMPT) == ("Please,", ("Haan.",))
    assert drop_unheard("Nahi.", ["Nucky"], EMPLOYMENT_PROMPT) == ("Nahi.", ())
    assert drop_unheard("Yes, I am salaried.", ["Yes, I am salaried."], EMPLOYMENT_PROMPT) == (
        "Yes, I am salaried.",
        (),
    )
    assert drop_unheard("Nahi.", [""], EMPLOYMENT_PROMPT) == ("", ("Nahi.",))
    long = "Man, look how much of that, haan."
    bare = ["Man, look how much you're locked on, who..."]
    assert drop_unheard(long, bare, EMPLOYMENT_PROMPT) == ("Man, look how much of that,", ("haan.",))
    assert drop_unheard("I stay in Hyderabad.", ["I stay in the rabbit."], CITY_PROMPT)[1] == ()


def test_sound_classes() -> None:
    assert sounds_alike("mumbai", "bye")  # Piper's "Mumbai." unprompted
    assert sounds_alike("haan", "on")
    assert not sounds_alike("nahi", "how")


# --- the no-yes/no, no-city corpus through the real recogniser -------------------------------

ENGLISH = (
    "forty thousand rupees",
    "twenty two thousand",
    "one lakh twenty thousand",
    "I run a tea stall",
    "I drive an auto rickshaw",
    "I have a small kirana shop",
)
HINDI = ("बीस हज़ार", "चालीस हज़ार रुपये", "मैं दुकान चलाता हूँ", "मेरा अपना काम है", "पचास हज़ार", "मैं ऑटो चलाता हूँ")
HINGLISH = ("bees hazaar", "chaalees hazaar rupaye", "mera apna kaam hai", "main auto chalata hoon")
EN_VOICE = voices.VOICES[0]
HI_VOICE = voices.Voice("espeak-hi", "espeak", "hi", 150, 50)
CLIPS = [(EN_VOICE, text) for text in ENGLISH] + [(HI_VOICE, text) for text in (*HINDI, *HINGLISH)]


def _clip(voice: voices.Voice, text: str, condition: str) -> np.ndarray:
    speech = voices.speak(voice, text)
    rendered = channels.render(speech, voices.SAMPLE_RATE, condition, np.random.default_rng(7), lambda: speech)
    return soxr.resample(rendered.audio[:, 0], rendered.rate, 16000).astype(np.float32)


@pytest.mark.slow
@pytest.mark.parametrize("condition", ["clean", "phone"])
def test_answers_without_yes_no_or_city_never_decide_on_a_gained_one(engine, policy, condition: str) -> None:
    """Numbers, businesses and Hindi phrases, decoded with every question's context prompt, both looks: a
    reading that still names a yes/no word or a city the audio does not hold is never acted on (it is no
    answer, or an unsure one that is read back). Readings that gain one at all are few (docs/speech.md)."""
    context = QuestionContext(policy, understand)
    recognizer = engine.recognizer
    gained, acted_on = [], []
    for voice, text in CLIPS:
        audio = _clip(voice, text, condition)
        for question in Question:
            prompt = context.prompt(question)
            for look in (recognizer.transcribe, recognizer.transcribe_full):
                reading = look(audio, prompt)
                if not names_context_words(reading.text, prompt):
                    continue
                gained.append(f"{text!r} at {question.value} -> {reading.text!r} (dropped {reading.injected})")
                heard = understand(question, reading.text, policy)
                hearing = Hearing(reading.confidence, "", bool(reading.injected))
                reread = lambda other, q=question: understand(q, other, policy)  # noqa: E731
                filled = {q for q in Question if heard.slot_for(q) is not None}
                unsure = unsure_slots(question, reading.text, heard, hearing, policy, reread)
                if heard.intent is Intent.ANSWER and filled - unsure:
                    acted_on.append(gained[-1])
    assert acted_on == [], f"acted on words that were not said: {acted_on}"
    assert len(gained) <= len(CLIPS) * len(Question) * 2 // 20, gained  # at most 5% of readings gain one
