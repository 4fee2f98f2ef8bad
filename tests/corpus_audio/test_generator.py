"""The corpus generator itself: seeded, consistent with the policy, and its channels do what they claim."""

from __future__ import annotations

from collections import Counter

import numpy as np
import pytest

from core.policy import load_policy
from tests.corpus_audio import channels, scripts, voices


def test_same_seed_same_scripts_and_another_seed_differs() -> None:
    policy = load_policy()
    first = scripts.sample_scripts(7, 40, policy)
    assert first == scripts.sample_scripts(7, 40, policy)
    assert first != scripts.sample_scripts(8, 40, policy)


def test_expected_results_follow_the_policy() -> None:
    policy = load_policy()
    sampled = scripts.sample_scripts(2026, 300, policy)
    for script in sampled:
        salary = script.monthly_salary
        if script.employment == "not_salaried":
            assert (script.outcome, len(script.turns)) == ("not_eligible", 1)
        elif salary is not None and salary < policy.min_monthly_salary:
            assert (script.outcome, script.reasons, len(script.turns)) == ("not_eligible", ("salary_below_minimum",), 2)
        elif script.outcome == "eligible":
            assert script.city is not None and policy.city_for(script.city) is not None
        else:
            assert script.reasons in {("city_not_serviceable",), ("salary_below_minimum",)}
    outcomes = Counter(script.outcome for script in sampled)
    assert outcomes["eligible"] > 60 and outcomes["not_eligible"] > 60  # both outcomes well represented


@pytest.mark.parametrize("voice", [voices.VOICES[0], voices.VOICES[-1]], ids=lambda voice: voice.name)
def test_voices_are_repeatable(voice: voices.Voice) -> None:
    first = voices.speak(voice, "my salary is forty thousand")
    assert first.size > voices.SAMPLE_RATE // 2
    assert np.array_equal(first, voices.speak(voice, "my salary is forty thousand"))


@pytest.mark.parametrize(("rupees", "words"), [(35000, "thirty five thousand"), (120000, "one lakh twenty thousand")])
def test_amounts_are_spoken_in_indian_numbering(rupees: int, words: str) -> None:
    assert scripts.spoken_amount(rupees) == words


def _band_energy(audio: np.ndarray, rate: int, low: float, high: float) -> float:
    spectrum = np.abs(np.fft.rfft(audio)) ** 2
    freqs = np.fft.rfftfreq(audio.size, 1 / rate)
    return float(spectrum[(freqs >= low) & (freqs < high)].sum() / spectrum.sum())


def test_phone_channel_is_8k_band_limited_and_mu_law_quantised() -> None:
    rng = np.random.default_rng(1)
    white = (rng.standard_normal(voices.SAMPLE_RATE) * 0.1).astype(np.float32)
    clip = channels.render(white, voices.SAMPLE_RATE, "phone", rng, lambda: white)
    assert clip.rate == 8000 and clip.audio.shape[1] == 1
    audio = clip.audio[:, 0]
    assert _band_energy(audio, 8000, 0, 200) < 0.01
    assert _band_energy(audio, 8000, 300, 3400) > 0.97
    assert np.unique(np.round(audio * 32768)).size <= 256  # G.711 has 256 levels


def test_noise_is_added_at_the_seeded_snr() -> None:
    rng = np.random.default_rng(2)
    speech = np.sin(np.linspace(0, 2000 * np.pi, voices.SAMPLE_RATE)).astype(np.float32) * 0.1
    talkers = (np.random.default_rng(3).standard_normal(voices.SAMPLE_RATE * 10) * 0.1).astype(np.float32)
    noisy = channels.add_noise(speech, channels.rms(speech), rng, talkers)
    snr = 20 * np.log10(channels.rms(speech) / channels.rms(noisy - speech))
    assert channels.SNR_DB[0] - 0.01 <= snr <= channels.SNR_DB[1] + 0.01
