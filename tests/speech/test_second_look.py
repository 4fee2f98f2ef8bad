"""When the listener pays for Whisper's slower second look, and which of two readings it keeps (no models)."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest

from core.audio import AudioFrame
from core.policy import Policy, load_policy
from core.speech.context import QuestionContext
from core.speech.engine import TurnSettings
from core.speech.offline_listener import OfflineListener
from core.speech.recognizer import Transcript
from core.understanding import understand
from core.understanding.types import Question
from tests.speech.listening import RATE, listen


class LoudIsSpeech:
    """A VAD that calls any window louder than -40 dBFS speech."""

    def stream(self) -> LoudIsSpeech:
        return self

    def probability(self, window: np.ndarray) -> float:
        return 0.9 if np.sqrt(np.mean(np.square(window))) > 0.01 else 0.0


class Scripted:
    """A recogniser with fixed fast and second-look readings that counts its second looks."""

    def __init__(self, fast: Transcript, full: Transcript) -> None:
        self.fast, self.full, self.second_looks = fast, full, 0

    def transcribe(self, audio: np.ndarray, prompt: str | None = None) -> Transcript:
        return self.fast

    def transcribe_full(self, audio: np.ndarray, prompt: str | None = None) -> Transcript:
        self.second_looks += 1
        return self.full


@pytest.fixture(scope="module")
def context() -> QuestionContext:
    policy: Policy = load_policy()
    return QuestionContext(policy, understand)


def speech(seconds: float = 1.0) -> AudioFrame:
    tone = (np.sin(np.arange(round(seconds * RATE)) / 3) * 8000).astype(np.int16)
    quiet = np.zeros(RATE // 2, np.int16)
    return AudioFrame(np.concatenate([quiet, tone]), RATE)


async def hear(recognizer: Scripted, context: QuestionContext, question: Question) -> tuple[str, tuple[str, ...]]:
    with ThreadPoolExecutor(1) as executor:
        listener = OfflineListener(RATE, TurnSettings(), LoudIsSpeech(), recognizer, executor, 0.45)  # type: ignore[arg-type]
        heard = await listen(listener, speech(), question, context.expect(question))
    [final] = heard.finals
    return final.text, final.alternatives


async def test_a_confident_complete_answer_gets_no_second_look(context: QuestionContext) -> None:
    recognizer = Scripted(Transcript("Around 25,000 per month.", 0.8, 0.0), Transcript("unused", 0.9, 0.0))
    text, _ = await hear(recognizer, context, Question.SALARY)
    assert text == "Around 25,000 per month." and recognizer.second_looks == 0


async def test_a_complete_answer_decoded_unsurely_is_looked_at_again(context: QuestionContext) -> None:
    recognizer = Scripted(
        Transcript("I am twenty-five thousand rupees a month.", 0.55, 0.0),
        Transcript("I earn ninety-four thousand rupees a month.", 0.59, 0.0),
    )
    text, alternatives = await hear(recognizer, context, Question.SALARY)
    assert recognizer.second_looks == 1
    assert text == "I earn ninety-four thousand rupees a month."
    assert alternatives[0] == "I am twenty-five thousand rupees a month."


async def test_an_unsure_answer_looked_at_again_keeps_the_surer_reading(context: QuestionContext) -> None:
    recognizer = Scripted(Transcript("I stay in Boona.", 0.58, 0.0), Transcript("I stay in the mood.", 0.62, 0.0))
    text, _ = await hear(recognizer, context, Question.CITY)
    assert recognizer.second_looks == 1 and text == "I stay in Boona."  # an answer beats no answer


async def test_a_surer_first_reading_beats_a_less_sure_second_one(context: QuestionContext) -> None:
    recognizer = Scripted(
        Transcript("It's in a multi- eighty eight thousand.", 0.48, 0.0), Transcript("It's in a 28,000.", 0.46, 0.0)
    )
    text, _ = await hear(recognizer, context, Question.SALARY)
    assert text == "It's in a multi- eighty eight thousand."


async def test_the_beams_readings_vote_on_the_amount(context: QuestionContext) -> None:
    recognizer = Scripted(
        Transcript("73,000.", 0.39, 0.0),
        Transcript("Family three thousand.", 0.40, 0.0, (("Family free thousand.", 0.32), ("73,000", 0.18))),
    )
    text, alternatives = await hear(recognizer, context, Question.SALARY)
    assert text == "73,000." and alternatives[0] == "Family three thousand."


async def test_a_lower_beam_reading_never_outvotes_the_looks_at_the_city_question(context: QuestionContext) -> None:
    recognizer = Scripted(
        Transcript("I stayed in Boona.", 0.55, 0.0),
        Transcript("I stayed in Boona.", 0.58, 0.0, (("I stay in New Delhi.", 0.4), ("I stay in Bhuna.", 0.4))),
    )
    text, _ = await hear(recognizer, context, Question.CITY)
    assert text == "I stayed in Boona."


async def test_near_duplicate_beam_readings_count_once(context: QuestionContext) -> None:
    duplicates = (("A hundred sixty-six thousand rupees a month!", 0.49), ("I earn 66,000 rupees.", 0.3))
    recognizer = Scripted(
        Transcript("I earn 66,000 rupees a month.", 0.55, 0.0),
        Transcript("A hundred sixty-six thousand rupees a month.", 0.5, 0.0, duplicates),
    )
    text, _ = await hear(recognizer, context, Question.SALARY)
    assert text == "I earn 66,000 rupees a month."
