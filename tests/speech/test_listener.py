"""The offline listener on real models and real speech: VAD opening, endpointing, mid-number pauses."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pytest

from core.audio import AudioFrame, concat, resample
from core.policy import Policy
from core.speech.context import QuestionContext
from core.speech.engine import FinalText, SpeechStarted, SpeechStopped, TurnSettings
from core.understanding import understand
from core.understanding.types import Question
from tests.speech.conftest import Say, padded
from tests.speech.listening import RATE, listen

pytestmark = pytest.mark.slow
TURN = TurnSettings()


def voiced_seconds(audio: AudioFrame) -> float:
    loud = np.flatnonzero(np.abs(audio.to_float32()) > 0.02)
    return (loud[-1] - loud[0]) / audio.sample_rate


@pytest.fixture(scope="module")
def context(policy: Policy) -> QuestionContext:
    return QuestionContext(policy, understand)


async def test_a_short_yes_opens_speech_and_is_heard(
    engine, espeak_say: Callable[..., AudioFrame], context: QuestionContext
) -> None:
    short = espeak_say("Yes", speed=220)
    assert voiced_seconds(short) <= 0.32  # the one-word answer that never opened the peer's VAD
    heard = await listen(
        engine.open_listener(RATE, TURN), padded(short), Question.EMPLOYMENT, context.expect(Question.EMPLOYMENT)
    )
    assert heard.of(SpeechStarted)
    assert [final.text.lower().strip(".!") for final in heard.finals] == ["yes"]


async def test_a_complete_answer_ends_the_turn_before_the_full_silence(
    engine, piper_say: Say, context: QuestionContext
) -> None:
    heard = await listen(
        engine.open_listener(RATE, TURN),
        padded(piper_say("Yes.")),
        Question.EMPLOYMENT,
        context.expect(Question.EMPLOYMENT),
    )
    [(ended_at, final)] = heard.of(FinalText)
    assert isinstance(final, FinalText) and final.reason == "early"
    waited = ended_at - final.speech_end
    assert TURN.early_end_silence <= waited < TURN.end_of_turn_silence


async def test_an_unclear_reply_waits_for_the_end_of_turn_silence(
    engine, piper_say: Say, context: QuestionContext
) -> None:
    heard = await listen(
        engine.open_listener(RATE, TURN),
        padded(piper_say("Let me think about it.")),
        Question.EMPLOYMENT,
        context.expect(Question.EMPLOYMENT),
    )
    [(ended_at, final)] = heard.of(FinalText)
    assert isinstance(final, FinalText) and final.reason == "silence" and "think" in final.text.lower()
    assert ended_at - final.speech_end >= TURN.end_of_turn_silence


async def test_a_pause_mid_number_does_not_end_the_turn(engine, piper_say: Say, context: QuestionContext) -> None:
    pause = 1.0  # longer than the end-of-turn silence, shorter than the mid-number allowance
    assert TURN.end_of_turn_silence < pause < TURN.mid_number_silence
    reply = concat(
        [
            padded(piper_say("Thirty.")),
            AudioFrame.silence(pause, RATE),
            resample(piper_say("five thousand rupees."), RATE),
        ]
    )
    heard = await listen(engine.open_listener(RATE, TURN), reply, Question.SALARY, context.expect(Question.SALARY))
    assert len(heard.of(SpeechStopped)) >= 2  # the caller really paused
    [final] = heard.finals
    salary = understand(Question.SALARY, final.text, context.policy).salary
    assert salary is not None and salary.value.monthly == 35000, final.text


async def test_silence_and_quiet_noise_never_make_a_turn(engine, context: QuestionContext) -> None:
    rng = np.random.default_rng(7)
    hiss = AudioFrame.from_float(rng.normal(0, 10 ** (-50 / 20), 3 * RATE), RATE)
    line = concat([AudioFrame.silence(1.0, RATE), hiss])
    heard = await listen(
        engine.open_listener(RATE, TURN), line, Question.CITY, context.expect(Question.CITY), trailing=1.0
    )
    assert heard.events == []


async def test_phone_rate_audio_is_heard(engine, piper_say: Say, context: QuestionContext) -> None:
    phone = padded(piper_say("I live in Delhi."), rate=8000)
    heard = await listen(engine.open_listener(8000, TURN), phone, Question.CITY, context.expect(Question.CITY))
    [final] = heard.finals
    assert "delhi" in final.text.lower()
