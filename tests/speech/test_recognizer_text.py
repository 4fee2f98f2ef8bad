"""Whisper's known output faults, repaired or rejected without a second decode."""

from __future__ import annotations

import numpy as np
import pytest

from core.speech.amounts import join_split_tens, join_teen_tens
from core.speech.recognizer import _repetitive, _unloop, echoes_prompt, is_hallucination


@pytest.mark.parametrize(
    ("heard", "meant"),
    [
        ("60, 8,000 rupees.", "68,000 rupees."),
        ("70, 3000.", "73,000."),
        ("I earn 40, 1,000 rupees", "I earn 41,000 rupees"),
        ("I earn 40, one thousand rupees", "I earn 41,000 rupees"),
        ("My salary is 35,000 rupees.", "My salary is 35,000 rupees."),
        ("25,000", "25,000"),
    ],
)
def test_split_tens_are_joined(heard: str, meant: str) -> None:
    assert join_split_tens(heard) == meant


@pytest.mark.parametrize(
    ("heard", "meant"),
    [
        ("Yes, it is fifteen-eight thousand.", "Yes, it is fifty-eight thousand."),
        ("Nineteen-five thousand", "Ninety-five thousand"),
        ("fifteen thousand", "fifteen thousand"),
        ("nineteen-ninety", "nineteen-ninety"),
    ],
)
def test_a_teen_joined_to_a_unit_is_the_tens(heard: str, meant: str) -> None:
    assert join_teen_tens(heard) == meant


def test_loops_are_found_and_cut_after_one_round() -> None:
    looping = "I live in Chennai, Delhi, Bombay, India, India, India, India"
    assert _repetitive(looping) and _unloop(looping) == "I live in Chennai, Delhi, Bombay, India"
    assert _repetitive("Yes, I am salaried. Yes, I am salaried.")
    assert not _repetitive("Mumbai, Mumbai,") and not _repetitive("My income is one lakh. Twenty thousand.")


def test_stock_phrases_on_quiet_audio_are_dropped() -> None:
    quiet = np.full(16000, 1e-4, np.float32)
    loud = np.sin(np.arange(16000) / 5).astype(np.float32) * 0.3
    assert is_hallucination("Thank you.", quiet, no_speech=0.1)
    assert is_hallucination("...", loud, no_speech=0.0)
    assert not is_hallucination("Thank you.", loud, no_speech=0.1)
    assert not is_hallucination("Yes.", quiet, no_speech=0.9)


def test_a_recited_prompt_list_is_recognised() -> None:
    prompt = "Which city do you live in? Delhi, New Delhi, Mumbai, Bombay, Bangalore, Pune, Chennai."
    assert echoes_prompt("I live in Chennai, Delhi, Bombay, India", prompt)
    assert not echoes_prompt("I live in New Delhi.", prompt) and not echoes_prompt("Mumbai.", prompt)
