"""Voice packs: studio recordings of the bot's sentences that replace synthesised audio one by one.

A lender records the prompts in any language and ships them as a folder of WAV files:

    <pack>/<language>/<prompt key>.<sentence number>.wav      e.g.  pack/hi/greeting.1.wav
                                                                     pack/en/ask_city.1.wav

Sentence numbers count from 1 within each prompt of that language's prompt file (sentences end at
. ? ! or the danda). A sentence with a recording is played from it; every other sentence is
synthesised as usual, so a pack may be partial. Recordings match the prompt text of the default
policy: a prompt that says the policy's minimum salary must be re-recorded when the minimum changes.
"""

from __future__ import annotations

import re
from pathlib import Path

from core.audio import AudioError, AudioFrame, read_wav
from core.prompts import PromptBook
from core.speech.engine import EngineUnavailable
from core.speech.prompt_cache import sentences

_NAME = re.compile(r"(?P<key>[a-z_]+)\.(?P<number>[1-9][0-9]*)")


def sentence_keys(prompts: PromptBook) -> dict[str, str]:
    """Each sentence key ("greeting.1") and the sentence it names, for every prompt in `prompts`."""
    return {
        f"{key.value}.{number}": sentence
        for key, text in prompts.texts.items()
        for number, sentence in enumerate(sentences(text), start=1)
    }


class VoicePack:
    """The recordings of one language, read once; `get(sentence)` is the recording or None."""

    def __init__(self, recordings: dict[str, AudioFrame], folder: Path) -> None:
        self._recordings = recordings
        self.folder = folder

    def __len__(self) -> int:
        return len(self._recordings)

    def get(self, sentence: str) -> AudioFrame | None:
        return self._recordings.get(sentence)

    @classmethod
    def load(cls, root: Path, prompts: PromptBook) -> VoicePack:
        """Read `<root>/<language>/*.wav`; a file that names no sentence or will not read is an error
        naming it (a typo must not silently leave the synthetic voice in place)."""
        folder = root / prompts.code
        if not root.is_dir():
            raise EngineUnavailable(f"voice pack folder {root} does not exist")
        keys = sentence_keys(prompts)
        recordings: dict[str, AudioFrame] = {}
        for path in sorted(folder.glob("*.wav")) if folder.is_dir() else []:
            match = _NAME.fullmatch(path.stem)
            sentence = keys.get(path.stem) if match else None
            if sentence is None:
                raise EngineUnavailable(
                    f"voice pack file {path.name} names no sentence of the {prompts.code} prompts "
                    f"(expected <prompt key>.<sentence number>.wav, e.g. greeting.1.wav)"
                )
            try:
                audio = read_wav(path)
            except AudioError as exc:
                raise EngineUnavailable(f"voice pack file {path}: {exc}") from exc
            if audio.duration < 0.05:
                raise EngineUnavailable(f"voice pack file {path} is empty")
            recordings[sentence] = audio
        return cls(recordings, folder)
