"""Whisper tiny.en for short answers: int8, greedy, no timestamps, no carried-over text, short window.

faster-whisper pads every clip to a 30 s window, so its encoder costs ~210 ms even for "Yes." and a
decode ~340 ms. CTranslate2 accepts shorter windows: a 15 s window gives the same key words on
answer-length clips at well under half the cost (docs/speech.md; 10 s and shorter start to repeat and
mishear). So we run CTranslate2 directly on a window of max(`window_seconds`, clip + 3 s), and decode
again with the full 30 s window when the short one loops ("Yes. Yes. Yes."). Our VAD gates the audio,
so there is no VAD filter here.
"""

from __future__ import annotations

import math
import re
import zlib
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from core.speech.heard_words import drop_unheard, names_context_words
from core.speech.models import ensure_offline_env

HALLUCINATIONS = frozenset(
    {
        "you",
        "thank you",
        "thanks",
        "thanks for watching",
        "thank you for watching",
        "bye",
        "bye bye",
        "please subscribe",
        "subscribe",
        "so",
        "the end",
        "i",
        "oh",
        "uh",
        "um",
        "hmm",
    }
)
"""What Whisper says on near-silence or noise; dropped unless the audio clearly held speech."""

FULL_WINDOW = 3000
"""Mel frames in Whisper's native 30 s window (100 frames a second)."""
WINDOW_MARGIN = 300
"""Frames of padding kept after the clip: a window barely longer than the speech makes Whisper repeat."""
MAX_TOKENS = 120
TOKENS_PER_SECOND = {"en": 6, "hi": 20}
"""Decode budget per second of audio: Devanagari takes ~3-4 byte-level tokens a word, English ~1.5; the
budget stops a runaway loop on garbled audio (up to 18 s seen on Hindi) without cutting real answers."""
SECOND_LOOK_BEAM = 5
BARE_BEAM = 3
TRUSTED_DECODE = 0.7
"""Decoder confidence from which a reading's prompt words are taken as heard: copied prompt words come in
readings of audio the decoder cannot read ("Haan. Nahi." at 0.57 for "haan ji"); a clear "In Chennai."
(0.70) has no unprompted reading that sounds like it ("in tonight")."""
"""Readings of the decode without the prompt that may support a prompt word (Piper's "Mumbai." is the
second reading, after "Bye")."""
DITHER = 3e-4
"""-70 dBFS of noise under the audio: after exact digital silence (a quiet line, our pre-roll) Whisper
tends to repeat its prompt ("I am a salaried employee."); with it, 282 vs 274 of 298 corpus answers."""
REPETITIVE = 2.4
"""zlib compression ratio above which a transcript is a repetition loop (Whisper's own threshold)."""
_QUIET_DBFS = -40.0
_WORDS = re.compile(r"[a-z0-9\u0900-\u097f]+")
"""Words in Latin letters, digits or Devanagari (a Hindi reading is words too, not punctuation)."""
_NAME = re.compile(r"\b[A-Z][a-z]+\b")
_CLAUSE_END = re.compile(r"[.?!,\u0964]")


@dataclass(frozen=True, slots=True)
class Transcript:
    """What the recogniser heard, with exp(mean token log-probability) as its confidence."""

    text: str
    confidence: float | None
    no_speech: float
    others: tuple[tuple[str, float], ...] = ()
    """The beam's other readings of the same audio with their confidences (second looks only)."""
    injected: tuple[str, ...] = ()
    """Context-prompt words the decoder wrote that a decode without the prompt did not hear; they were
    dropped from `text` (core/speech/heard_words.py)."""


class WhisperRecognizer:
    """One loaded Whisper model; `transcribe` is blocking and meant for a single worker thread."""

    def __init__(
        self,
        model_dir: Path,
        *,
        threads: int = 2,
        workers: int = 1,
        no_speech_gate: float = 0.6,
        window_seconds: float = 15.0,
        language: str = "en",
    ) -> None:
        """`language`: what the caller speaks ("en", "hi"); anything but English needs a multilingual model."""
        ensure_offline_env()
        from faster_whisper import WhisperModel
        from faster_whisper.tokenizer import Tokenizer

        self.model_dir = model_dir
        self._gate = no_speech_gate
        self._min_frames = min(FULL_WINDOW, round(window_seconds * 100))
        self._whisper = WhisperModel(
            str(model_dir), device="cpu", compute_type="int8", cpu_threads=threads, num_workers=workers
        )
        self._model = self._whisper.model
        if language != "en" and not self._model.is_multilingual:
            raise ValueError(f"the Whisper model in {model_dir} is English-only; {language!r} needs a multilingual one")
        self.language = language
        self._token_rate = TOKENS_PER_SECOND.get(language, max(TOKENS_PER_SECOND.values()))
        self._tokenizer = Tokenizer(
            self._whisper.hf_tokenizer, self._model.is_multilingual, task="transcribe", language=language
        )
        self._suppress = sorted(
            {
                *self._tokenizer.non_speech_tokens,
                self._tokenizer.transcribe,
                self._tokenizer.translate,
                self._tokenizer.sot,
                self._tokenizer.sot_prev,
                self._tokenizer.sot_lm,
                self._tokenizer.no_speech,
            }
        )
        self._prompts: dict[str | None, list[int]] = {}

    def transcribe(self, audio: np.ndarray, prompt: str | None = None) -> Transcript:
        """Transcribe 16 kHz float32 mono speech; `prompt` lists the words we expect to hear."""
        return self._transcribe(audio, prompt, self._min_frames)

    def transcribe_full(self, audio: np.ndarray, prompt: str | None = None) -> Transcript:
        """The slower, surer reading for unclear or unsure replies: Whisper's native 30 s window and a beam
        search (on the espeak corpus it turns "I can move sharp" into "I have my own shop", "In New Valley"
        into "In New Delhi", "I am twenty-five thousand" into "I earn ninety-four thousand")."""
        return self._transcribe(audio, prompt, FULL_WINDOW, SECOND_LOOK_BEAM)

    def _transcribe(self, audio: np.ndarray, prompt: str | None, min_frames: int, beam: int = 1) -> Transcript:
        dither = np.random.default_rng(len(audio)).normal(0.0, DITHER, len(audio)).astype(np.float32)
        features = self._whisper.feature_extractor(audio + dither)
        frames = min(FULL_WINDOW, max(min_frames, features.shape[-1] + WINDOW_MARGIN))
        encoded = self._encode(features, frames)
        readings, no_speech = self._generate(encoded, prompt, len(audio), beam)
        if frames < FULL_WINDOW and _repetitive(readings[0][0]):
            encoded = self._encode(features, FULL_WINDOW)
            readings, no_speech = self._generate(encoded, prompt, len(audio), beam)
        if prompt and echoes_prompt(readings[0][0], prompt):
            unprompted, no_speech = self._generate(encoded, None, len(audio), beam)
            readings = unprompted if unprompted[0][0] else readings
        text, logprob = readings[0]
        text = repair(text)
        if no_speech > self._gate and logprob < -0.7:
            text = ""
        if is_hallucination(text, audio, no_speech):
            return Transcript("", None, no_speech)
        injected: tuple[str, ...] = ()
        if prompt and logprob < math.log(TRUSTED_DECODE) and names_context_words(text, prompt):
            # the prompt may bias spelling but must not make words appear: in a reading the decoder is not
            # sure of, words from it that no reading of a decode without it sounds like were not said
            # (the encoder's work is reused)
            bare = [reading for reading, _ in self._generate(encoded, None, len(audio), BARE_BEAM)[0]]
            text, injected = drop_unheard(text, bare, prompt)
            if not text:
                return Transcript("", None, no_speech, injected=injected)
        others = tuple((repair(other), math.exp(score)) for other, score in readings[1:] if other and text)
        return Transcript(text, math.exp(logprob) if text else None, no_speech, others, injected)

    def _encode(self, features: np.ndarray, frames: int) -> object:
        """Whisper's encoder output for the clip padded (or cut) to `frames` mel frames."""
        import ctranslate2

        window = np.zeros((features.shape[0], frames), dtype=np.float32)
        used = min(frames, features.shape[-1])
        window[:, :used] = features[:, :used]
        return self._model.encode(ctranslate2.StorageView.from_array(window[None]), to_cpu=False)

    def _generate(
        self, encoded: object, prompt: str | None, samples: int, beam: int
    ) -> tuple[list[tuple[str, float]], float]:
        """The beam's readings, best first, each with its mean token log-probability; and no_speech_prob."""
        tokens_in = self._prompt_tokens(prompt)
        new_tokens = min(MAX_TOKENS, 8 + round(self._token_rate * samples / 16000))  # no long loops on short turns
        result = self._model.generate(
            encoded,
            [tokens_in],
            beam_size=beam,
            num_hypotheses=beam,
            max_length=len(tokens_in) + new_tokens,  # CTranslate2 counts the prompt in max_length
            return_scores=True,
            return_no_speech_prob=True,
            suppress_blank=True,
            suppress_tokens=self._suppress,
        )[0]
        readings = [
            (self._tokenizer.decode(tokens).strip(), score * len(tokens) / (len(tokens) + 1) if tokens else -10.0)
            for tokens, score in zip(result.sequences_ids, result.scores, strict=True)
        ]
        return readings, result.no_speech_prob

    def _prompt_tokens(self, prompt: str | None) -> list[int]:
        """Whisper's decoder prompt: [previous-text marker, the context words] + start + no-timestamps."""
        tokens = self._prompts.get(prompt)
        if tokens is None:
            tokenizer = self._tokenizer
            context = [tokenizer.sot_prev, *tokenizer.encode(" " + prompt.strip())[-200:]] if prompt else []
            tokens = [*context, *tokenizer.sot_sequence, tokenizer.no_timestamps]
            self._prompts[prompt] = tokens
        return tokens


def _repetitive(text: str) -> bool:
    """A repetition loop: the whole text one phrase over and over, a tail of one to three words said
    three times or more ("India, India, India"), or text that compresses too well."""
    words = _WORDS.findall(text.lower())
    for size in range(1, len(words) // 2 + 1):
        if len(words) >= 3 and all(words[i] == words[i % size] for i in range(len(words))):
            return True
    for size in (1, 2, 3):
        tail = words[-3 * size :]
        if len(tail) == 3 * size and tail[:size] == tail[size : 2 * size] == tail[2 * size :]:
            return True
    data = text.encode("utf-8")
    return len(data) > 24 and len(data) / len(zlib.compress(data)) > REPETITIVE


def _unloop(text: str) -> str:
    """Cut a repetition loop after its first round (what was said once is kept)."""
    words = text.split()
    for start in range(len(words)):
        for size in (1, 2, 3):
            unit = [_bare(w) for w in words[start : start + size]]
            if unit and all(
                [_bare(w) for w in words[start + k * size : start + (k + 1) * size]] == unit for k in range(1, 3)
            ):
                return " ".join(words[: start + size]).rstrip(",;")
    return text


def echoes_prompt(text: str, prompt: str) -> bool:
    """Whisper reciting its prompt instead of hearing the caller: three or more of the prompt's proper
    names in one reply ("I live in Chennai, Delhi, Bombay, India" for "in Ahmedabad"), or one phrase of
    the prompt said over and over (the Hindi model's "रहते हैं? रहते हैं?" on a city it did not catch)."""
    names = {word for word in _NAME.findall(prompt) if word != "I"}
    if len({word for word in _NAME.findall(text) if word in names}) >= 3:
        return True
    said = [part.strip() for part in _CLAUSE_END.split(text) if part.strip()]
    if len(said) < 2 or len(set(said)) != 1:
        return False
    clauses = [f" {part.strip()} " for part in _CLAUSE_END.split(prompt)]
    phrase = said[0]  # a whole clause of the prompt ("नहीं। नहीं।" on a Hindi "हाँ"), or words of one
    return f" {phrase} " in clauses or (" " in phrase and any(f" {phrase} " in clause for clause in clauses))


def _bare(word: str) -> str:
    return "".join(_WORDS.findall(word.lower()))


def repair(text: str) -> str:
    """Whisper's repetition loops cut (what was said once is kept); answer-specific repairs, such as
    amounts, come from the question's `Expectation`."""
    return _unloop(text) if _repetitive(text) else text


def is_hallucination(text: str, audio: np.ndarray, no_speech: float) -> bool:
    """A stock phrase heard in quiet or speech-less audio, or text made only of punctuation."""
    words = " ".join(_WORDS.findall(text.lower()))
    if not words:
        return True
    if words not in HALLUCINATIONS:
        return False
    return no_speech > 0.3 or level_dbfs(audio) < _QUIET_DBFS


def level_dbfs(audio: np.ndarray) -> float:
    """Level of the loudest 100 ms of the clip (float samples), in dB full scale."""
    if audio.size == 0:
        return -120.0
    block = 1600
    usable = audio[: audio.size - audio.size % block] if audio.size >= block else audio
    rms = np.sqrt(np.mean(np.square(usable.reshape(-1, min(block, usable.size))), axis=1)).max()
    return 20.0 * math.log10(max(float(rms), 1e-6))
