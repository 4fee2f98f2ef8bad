"""Prompt audio to wire-sized chunks: μ-law for Twilio, 320-byte-multiple PCM for Exotel."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from bridge import twilio_media
from bridge.codec import frame_to_pcm16, frame_to_ulaw
from bridge.wire import ProtocolError
from core.audio import AudioFrame

PLAYED_AT, PLAYED_ALL = "at", "end"


@dataclass(frozen=True, slots=True)
class OutAudio:
    prompt_id: int
    data: bytes
    duration_s: float
    index: int
    """Position of this chunk within its prompt (0 = the prompt's first audio)."""


@dataclass(frozen=True, slots=True)
class OutMark:
    prompt_id: int
    name: str


@dataclass(frozen=True, slots=True)
class Played:
    """A mark came back: `ms` of prompt `prompt_id` have played (`complete`: all of it)."""

    prompt_id: int
    ms: int
    complete: bool


def mark_name(prompt_id: int, kind: str, ms: int) -> str:
    """`<prompt>:at:<ms>` = that much of the prompt has played; `<prompt>:end:<ms>` = all of it."""
    return f"{prompt_id}:{kind}:{ms}"


def read_mark(name: str) -> Played:
    """A mark we sent, as it comes back; anything else is a protocol error."""
    prompt, _, rest = name.partition(":")
    kind, _, ms = rest.partition(":")
    if not prompt.isdigit() or kind not in (PLAYED_AT, PLAYED_ALL) or not ms.isdigit():
        raise ProtocolError("unknown_mark", "mark we never sent")
    return Played(int(prompt), int(ms), kind == PLAYED_ALL)


class Chunker:
    """Cuts one prompt's audio into fixed-size chunks, with a mark every `mark_every_s` and at the end.

    Marks echo back when the audio before them has played, so they tell how much of a cut-off
    prompt the caller actually heard.
    """

    def __init__(
        self,
        encode: Callable[[AudioFrame], bytes],
        chunk_bytes: int,
        bytes_per_second: int,
        *,
        pad_last: bool,
        mark_every_s: float = 0.5,
    ) -> None:
        self._encode = encode
        self._chunk_bytes = chunk_bytes
        self._bytes_per_second = bytes_per_second
        self._pad_last = pad_last
        self._mark_every_bytes = max(chunk_bytes, int(mark_every_s * bytes_per_second))
        self._pending = b""
        self._sent = 0
        self._marked = 0
        self._index = 0

    def feed(self, prompt_id: int, frame: AudioFrame, *, last: bool) -> list[OutAudio | OutMark]:
        """Chunks ready so far; on `last` the remainder goes out (padded with silence if required)."""
        self._pending += self._encode(frame) if len(frame) else b""
        out: list[OutAudio | OutMark] = []
        while len(self._pending) >= self._chunk_bytes:
            self._emit(prompt_id, self._pending[: self._chunk_bytes], out)
            self._pending = self._pending[self._chunk_bytes :]
        if last:
            if self._pending:
                tail = self._pending
                if self._pad_last:
                    tail += self._silence(self._chunk_bytes - len(tail))
                self._emit(prompt_id, tail, out)
            out.append(OutMark(prompt_id, mark_name(prompt_id, PLAYED_ALL, self._ms(self._sent))))
            self.drop()
        return out

    def drop(self) -> None:
        """Barge-in: forget the partial chunk of the prompt that was cut off."""
        self._pending, self._sent, self._marked, self._index = b"", 0, 0, 0

    def _emit(self, prompt_id: int, data: bytes, out: list[OutAudio | OutMark]) -> None:
        out.append(OutAudio(prompt_id, data, len(data) / self._bytes_per_second, self._index))
        self._index += 1
        self._sent += len(data)
        if self._sent - self._marked >= self._mark_every_bytes:
            self._marked = self._sent
            out.append(OutMark(prompt_id, mark_name(prompt_id, PLAYED_AT, self._ms(self._sent))))

    def _ms(self, nbytes: int) -> int:
        return round(nbytes * 1000 / self._bytes_per_second)

    def _silence(self, nbytes: int) -> bytes:
        return b"\xff" * nbytes if self._encode is frame_to_ulaw else b"\x00" * nbytes


def twilio_chunker(chunk_ms: int = 40) -> Chunker:
    """8 kHz μ-law, 40 ms (320-byte) chunks: big enough to avoid jitter, small enough for barge-in."""
    rate = twilio_media.SAMPLE_RATE
    return Chunker(frame_to_ulaw, rate * chunk_ms // 1000, rate, pad_last=False)  # one byte per μ-law sample


def exotel_chunker(encode_ulaw: bool, sample_rate: int, chunk_bytes: int) -> Chunker:
    """Exotel wants every chunk a multiple of 320 bytes, so the last one is padded with silence."""
    if encode_ulaw:
        return Chunker(frame_to_ulaw, chunk_bytes, sample_rate, pad_last=True)
    return Chunker(frame_to_pcm16, chunk_bytes, sample_rate * 2, pad_last=True)
