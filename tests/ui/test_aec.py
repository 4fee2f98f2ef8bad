"""The echo canceller for real: a synthetic far end through a simulated room into the microphone."""

from __future__ import annotations

import numpy as np
import pytest

from app.kiosk.aec import EchoCanceller


def _speechlike(rate: int, seconds: float, seed: int, pitch: float | None = None) -> np.ndarray:
    """Syllable-rate bursts of band-limited noise (or of a harmonic voice), int16-scaled floats."""
    rng = np.random.default_rng(seed)
    t = np.arange(int(rate * seconds)) / rate
    envelope = np.clip(np.sin(2 * np.pi * 3.3 * t + seed), 0, None) ** 0.5
    if pitch is None:
        source = np.convolve(rng.standard_normal(len(t)), np.ones(6) / 6, mode="same")
    else:
        source = sum(np.sin(2 * np.pi * pitch * k * t) / k for k in range(1, 8))
    return source / np.max(np.abs(source)) * envelope * 9000.0


def _room(far: np.ndarray, rate: int) -> np.ndarray:
    """Speaker to microphone: 25 ms away, quieter, with two reflections and a short decay."""
    response = np.zeros(int(rate * 0.12))
    for delay_ms, gain in ((25, 0.5), (48, 0.22), (83, -0.12)):
        response[int(rate * delay_ms / 1000)] = gain
    response[int(rate * 0.03) :] += np.random.default_rng(3).standard_normal(len(response) - int(rate * 0.03)) * 0.01
    return np.convolve(far, response)[: len(far)]


def _run(canceller: EchoCanceller, far: np.ndarray, mic: np.ndarray, *, reference: bool) -> np.ndarray:
    """10 ms at a time, as the audio callback does: reverse stream first, then the microphone frame."""
    out = []
    frame = canceller.frame
    for start in range(0, len(mic) - frame + 1, frame):
        if reference:
            canceller.far_end(far[start : start + frame])
        out.append(canceller.near_end(mic[start : start + frame]))
    return np.concatenate(out).astype(np.float64)


def _db(signal: np.ndarray, reference: np.ndarray) -> float:
    return 10 * np.log10(np.mean(signal**2) / np.mean(reference**2))


@pytest.mark.parametrize("rate", [48000, 16000])
def test_residual_echo_drops_substantially(rate: int) -> None:
    far = _speechlike(rate, 8.0, seed=1).astype(np.int16)
    noise = np.random.default_rng(9).standard_normal(len(far)) * 20
    mic = np.clip(_room(far.astype(np.float64), rate) + noise, -32768, 32767).astype(np.int16)
    converged = slice(rate * 3, None)  # after three seconds of adaptation
    cancelled = _run(EchoCanceller(rate), far, mic, reference=True)
    suppressed_only = _run(EchoCanceller(rate), far, mic, reference=False)
    raw = mic[: len(cancelled)].astype(np.float64)
    with_aec = _db(cancelled[converged], raw[converged])
    without_reference = _db(suppressed_only[converged], raw[converged])
    assert with_aec < -20.0, f"echo only {with_aec:.1f} dB down"
    assert with_aec < without_reference - 15.0, "the drop must come from the echo canceller, not noise suppression"


def test_the_visitor_is_still_heard_over_the_echo() -> None:
    """Double talk after convergence: the near-end voice survives, so barge-in can work in full duplex."""
    rate = 48000
    far = _speechlike(rate, 8.0, seed=1).astype(np.int16)
    near = np.zeros(len(far))
    near[rate * 5 :] = _speechlike(rate, 3.0, seed=4, pitch=140.0)[: len(far) - rate * 5]
    mic = np.clip(_room(far.astype(np.float64), rate) + near, -32768, 32767).astype(np.int16)
    out = _run(EchoCanceller(rate), far, mic, reference=True)
    talk = slice(rate * 5 + rate // 2, len(out))
    kept = _db(out[talk], near[talk])
    assert kept > -10.0, f"the visitor's voice lost {-kept:.1f} dB"


def test_rejects_rates_the_apm_cannot_take() -> None:
    with pytest.raises(ValueError, match="44100"):
        EchoCanceller(44100)
