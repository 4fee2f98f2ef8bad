"""Speech settings from the environment, and the many-calls profile the bridge runs with."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from core.audio import AudioFrame, write_wav
from core.speech.engine import EngineUnavailable
from core.speech.settings import SpeechSettings


def test_one_call_at_a_time_gives_every_core_to_one_decode(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("QUICKRUPEE_ASR_WORKERS", raising=False)
    monkeypatch.delenv("QUICKRUPEE_ASR_THREADS", raising=False)
    settings = SpeechSettings.from_env()
    assert (settings.asr_workers, settings.asr_threads) == (1, 2)


def test_many_calls_decode_side_by_side_one_thread_each(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("QUICKRUPEE_ASR_WORKERS", raising=False)
    monkeypatch.delenv("QUICKRUPEE_ASR_THREADS", raising=False)
    settings = SpeechSettings.from_env().for_many_calls()
    assert settings.asr_workers == max(1, os.cpu_count() or 1)
    assert settings.asr_threads == 1


def test_the_environment_overrides_the_profile(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("QUICKRUPEE_ASR_WORKERS", "3")
    settings = SpeechSettings.from_env().for_many_calls()
    assert (settings.asr_workers, settings.asr_threads) == (3, 2)


@pytest.mark.parametrize("value", ["0", "two", "-1"])
def test_a_bad_worker_count_is_one_clear_error(monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    monkeypatch.setenv("QUICKRUPEE_ASR_WORKERS", value)
    with pytest.raises(EngineUnavailable, match="QUICKRUPEE_ASR_WORKERS"):
        SpeechSettings.from_env()


def test_the_simulator_reports_a_bad_worker_count_in_one_line(tmp_path: Path) -> None:
    answer = tmp_path / "silence.wav"
    write_wav(answer, AudioFrame(np.zeros(8000, dtype=np.int16), 16000))
    env = {**os.environ, "QUICKRUPEE_ASR_THREADS": "lots"}
    done = subprocess.run(
        [sys.executable, "-m", "app", "simulate", "--json", "--no-record", "--audio", str(answer)],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert done.returncode != 0 and "Traceback" not in done.stderr
    assert done.stderr.strip().splitlines() == [
        "error: $QUICKRUPEE_ASR_THREADS must be a whole number of at least 1, not 'lots'"
    ]
