"""Shared speech fixtures: one offline engine per test session (models load once, as in production),
a prompt cache in a temp folder, and caller speech synthesised at test time (Piper and espeak-ng)."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from core.audio import AudioFrame, concat, read_wav, resample
from core.dialogue.conversation import Conversation
from core.policy import Policy, load_policy
from core.prompts import PromptBook, load_prompts

if TYPE_CHECKING:
    from core.speech.offline import OfflineEngine

Say = Callable[[str], AudioFrame]


@pytest.fixture(scope="session")
def policy() -> Policy:
    return load_policy()


@pytest.fixture(scope="session")
def prompts(policy: Policy) -> PromptBook:
    return load_prompts(policy)


@pytest.fixture(scope="session")
def speech_cache_dir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A fresh prompt cache for the session; $QUICKRUPEE_CACHE_DIR points at it for subprocesses too."""
    path = tmp_path_factory.mktemp("prompt-cache")
    previous = os.environ.get("QUICKRUPEE_CACHE_DIR")
    os.environ["QUICKRUPEE_CACHE_DIR"] = str(path)
    yield path
    if previous is None:
        os.environ.pop("QUICKRUPEE_CACHE_DIR", None)
    else:
        os.environ["QUICKRUPEE_CACHE_DIR"] = previous


@pytest.fixture(scope="session")
def engine(speech_cache_dir: Path, prompts: PromptBook) -> OfflineEngine:
    """The offline engine with every fixed prompt already cached (so only slow tests pay for models)."""
    from core.speech.offline import OfflineEngine
    from core.speech.settings import SpeechSettings

    loaded = OfflineEngine(SpeechSettings(cache_dir=speech_cache_dir))
    loaded.voice.warm(prompts.all_texts())
    return loaded


@pytest.fixture(scope="session")
def piper_say(engine: OfflineEngine) -> Say:
    """Caller speech in the Piper voice, memoised per text."""
    said: dict[str, AudioFrame] = {}

    def say(text: str) -> AudioFrame:
        if text not in said:
            said[text] = engine.voice.synthesize_now(text)
        return said[text]

    return say


@pytest.fixture(scope="session")
def espeak_say(tmp_path_factory: pytest.TempPathFactory) -> Callable[..., AudioFrame]:
    """Caller speech from espeak-ng (a robotic voice unlike the bot's) at `speed` words a minute."""
    folder = tmp_path_factory.mktemp("espeak")

    def say(text: str, speed: int = 175) -> AudioFrame:
        path = folder / f"{abs(hash((text, speed)))}.wav"
        subprocess.run(["espeak-ng", "-v", "en-us", "-s", str(speed), "-w", str(path), text], check=True)
        return read_wav(path)

    return say


def padded(audio: AudioFrame, before: float = 0.3, after: float = 0.0, rate: int = 16000) -> AudioFrame:
    """Speech at `rate` with silence around it, as a caller's reply sounds on the line."""
    speech = resample(audio, rate)
    return concat([AudioFrame.silence(before, rate), speech, AudioFrame.silence(after, rate)])


def new_conversation(policy: Policy, prompts: PromptBook, engine_name: str = "offline") -> Conversation:
    from core.understanding import understand

    return Conversation(policy, prompts, understand, channel="test", engine=engine_name)
