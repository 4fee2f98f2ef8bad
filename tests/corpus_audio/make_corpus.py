"""Generate the spoken-answer corpus and simulator batch files, cached by a hash of everything that shapes it.

`python -m tests.corpus_audio.make_corpus` prints the corpus folder; `ensure_corpus()` does the same for tests.
"""

from __future__ import annotations

import argparse
import fcntl
import hashlib
import json
import shutil
import subprocess
import sys
from dataclasses import asdict, dataclass, field
from functools import cache
from importlib.metadata import version
from pathlib import Path
from typing import Any

import numpy as np

from core.policy import Policy, load_policy
from tests.corpus_audio import by_question, channels, scripts, voices

HERE = Path(__file__).resolve().parent
GENERATED = HERE / "generated"
COMPLETE = "corpus.json"  # written last: a folder without it is an interrupted run
# Unrelated sentences for babble noise; they are reversed before mixing.
BABBLE_TEXT = (
    "The train to the airport leaves from platform four in twenty minutes.",
    "Please remember to bring the documents when you come to the office tomorrow.",
    "We went to the market on Sunday and bought vegetables and some fruit.",
    "The meeting has been moved to the afternoon because of the weather.",
)


@dataclass(frozen=True)
class CorpusParams:
    """Everything the corpus depends on besides code and policy; part of the cache key."""

    seed: int = 2026
    conversations: int = 60
    conditions: tuple[str, ...] = channels.CONDITIONS
    voices: tuple[voices.Voice, ...] = field(default=voices.VOICES)


@dataclass(frozen=True)
class Corpus:
    """A generated corpus on disk: one simulator batch file per condition plus a text-only control."""

    root: Path
    params: CorpusParams

    def batch(self, condition: str) -> Path:
        return self.root / f"{condition}.jsonl"

    @property
    def text_batch(self) -> Path:
        """The same scripts as typed text, to tell understanding errors from recognition errors."""
        return self.root / "text.jsonl"

    def lines(self, condition: str) -> list[dict]:
        return [json.loads(line) for line in self.batch(condition).read_text().splitlines()]

    def by_question_batch(self, condition: str) -> Path:
        """The same callers as by-question lines (app/by_question.py), read-backs answered in their voice."""
        return self.root / f"by_question_{condition}.jsonl"


def corpus_key(params: CorpusParams, policy: Policy) -> str:
    """A content hash of the parameters, the generator source, the policy and the speech engines."""
    digest = hashlib.sha256()
    digest.update(json.dumps(asdict(params), sort_keys=True).encode())
    digest.update(policy.model_dump_json().encode())
    for module in (scripts, voices, channels):
        digest.update(Path(module.__file__ or "").read_bytes())
    digest.update(Path(__file__).read_bytes())
    espeak = subprocess.run(["espeak-ng", "--version"], check=True, capture_output=True, text=True).stdout
    digest.update(f"{espeak}|piper {version('piper-tts')}|sox|soxr {version('soxr')}".encode())
    return digest.hexdigest()[:16]


def _talkers() -> np.ndarray:
    """Babble source: the unrelated sentences in every espeak voice, end to end."""
    espeak_voices = [voice for voice in voices.VOICES if voice.engine == "espeak"]
    return np.concatenate([voices.speak(voice, text) for voice in espeak_voices for text in BABBLE_TEXT])


def _generate(root: Path, params: CorpusParams, policy: Policy) -> None:
    """Synthesize each answer once, render it in every condition, and write the batch files."""
    talkers = cache(_talkers)
    sampled = scripts.sample_scripts(params.seed, params.conversations, policy)
    batches: dict[str, list[str]] = {condition: [] for condition in params.conditions}
    by_question_lines: dict[str, list[str]] = {condition: [] for condition in params.conditions}
    confirm = _confirm_clips(root, params, talkers)
    text_lines = []
    for index, script in enumerate(sampled):
        voice = params.voices[index % len(params.voices)]
        spoken = [voices.speak(voice, text) for text in script.turns]
        meta = {"id": script.id, "voice": voice.name, "texts": list(script.turns), "expected": script.expected()}
        text_lines.append(json.dumps({**meta, "turns": list(script.turns)}))
        truth = by_question.truth_of(script.turns, script.expected(), policy)
        for condition_index, condition in enumerate(params.conditions):
            paths = []
            for turn, speech in enumerate(spoken):
                rng = np.random.default_rng([params.seed, index, condition_index, turn])
                clip = channels.render(speech, voices.SAMPLE_RATE, condition, rng, talkers)
                path = root / "wav" / condition / f"{script.id}_{turn}.wav"
                channels.write_wav(path, clip)
                paths.append(str(path))
            batches[condition].append(json.dumps({**meta, "condition": condition, "audio": paths}))
            line = by_question.line_for(
                script.id, paths, confirm[(voice.name, condition)], truth, {**meta, "condition": condition}
            )
            by_question_lines[condition].append(json.dumps(line))
    for condition, lines in batches.items():
        (root / f"{condition}.jsonl").write_text("\n".join(lines) + "\n")
        (root / f"by_question_{condition}.jsonl").write_text("\n".join(by_question_lines[condition]) + "\n")
    (root / "text.jsonl").write_text("\n".join(text_lines) + "\n")


def _confirm_clips(root: Path, params: CorpusParams, talkers: Any) -> dict[tuple[str, str], dict[str, str]]:
    """ "Yes" and "No" in every voice and condition: how each caller answers a read-back."""
    clips: dict[tuple[str, str], dict[str, str]] = {}
    for voice_index, voice in enumerate(params.voices):
        spoken = {answer: voices.speak(voice, text) for answer, text in (("yes", "Yes."), ("no", "No."))}
        for condition_index, condition in enumerate(params.conditions):
            paths = {}
            for answer_index, (answer, speech) in enumerate(spoken.items()):
                rng = np.random.default_rng([params.seed, 1000 + voice_index, condition_index, answer_index])
                path = root / "wav" / condition / f"confirm_{voice.name}_{answer}.wav"
                channels.write_wav(path, channels.render(speech, voices.SAMPLE_RATE, condition, rng, talkers))
                paths[answer] = str(path)
            clips[(voice.name, condition)] = paths
    return clips


def ensure_corpus(params: CorpusParams | None = None, out: Path = GENERATED) -> Corpus:
    """The corpus for `params`, generated only when no complete copy with the same key exists."""
    params = params or CorpusParams()
    policy = load_policy()
    key = corpus_key(params, policy)
    root = out / key
    out.mkdir(parents=True, exist_ok=True)
    with (out / ".lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # a test and a benchmark may ask for the corpus at once
        if not (root / COMPLETE).exists():
            shutil.rmtree(root, ignore_errors=True)  # an interrupted run
            _generate(root, params, policy)
            (root / COMPLETE).write_text(json.dumps({"key": key, **asdict(params)}, indent=1))
    # Older corpora stay: in a shared work tree another run may still be reading one.
    return Corpus(root, params)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.corpus_audio.make_corpus", description=__doc__)
    parser.add_argument("--seed", type=int, default=CorpusParams.seed)
    parser.add_argument("--conversations", type=int, default=CorpusParams.conversations)
    parser.add_argument("--conditions", nargs="+", choices=channels.CONDITIONS, default=channels.CONDITIONS)
    parser.add_argument("--out", type=Path, default=GENERATED, help="parent folder (default: %(default)s)")
    args = parser.parse_args(argv)
    params = CorpusParams(seed=args.seed, conversations=args.conversations, conditions=tuple(args.conditions))
    corpus = ensure_corpus(params, args.out)
    batches = {condition: str(corpus.batch(condition)) for condition in params.conditions}
    by_question_batches = {condition: str(corpus.by_question_batch(condition)) for condition in params.conditions}
    print(
        json.dumps(
            {
                "root": str(corpus.root),
                "batches": batches,
                "by_question": by_question_batches,
                "text": str(corpus.text_batch),
            },
            indent=1,
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
