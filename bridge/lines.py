"""One call's wire format, per provider: caller audio in; prompt chunks, marks and "clear" out.

Everything that differs between Twilio and Exotel on a running stream lives behind `MediaLine`
(as Pipecat's serializers own everything of one provider): the codec and rate, the chunk size, the
JSON of media, mark and clear frames. `bridge/call.py` never asks which provider it serves.
"""

from __future__ import annotations

from collections.abc import Callable

from bridge import exotel_media, twilio_media
from bridge.inbound import InboundAudio
from bridge.outbound import Chunker, OutAudio, OutMark, exotel_chunker, twilio_chunker
from bridge.wire import Start
from core.audio import AudioFrame


class MediaLine:
    """A stream's codec, chunker and outgoing frames."""

    def __init__(
        self, rate: int, inbound: InboundAudio, chunker: Chunker, out: twilio_media.TwilioOut | exotel_media.ExotelOut
    ) -> None:
        self.rate = rate
        """Caller and prompt audio rate on this stream."""
        self._inbound = inbound
        self._chunker = chunker
        self._out = out

    def caller_audio(self, payload: bytes) -> AudioFrame:
        return self._inbound.frame(payload)

    def duration(self, payload: bytes) -> float:
        """Seconds of caller audio in a payload, known before decoding it (for the input gate)."""
        return self._inbound.duration(payload)

    def prompt_chunks(self, prompt_id: int, chunk: AudioFrame, *, last: bool) -> list[OutAudio | OutMark]:
        """Wire-sized chunks of prompt audio with the marks that report how much has played."""
        return self._chunker.feed(prompt_id, chunk, last=last)

    def media(self, item: OutAudio) -> str:
        return self._out.media(item.data)

    def mark(self, item: OutMark) -> str:
        return self._out.mark(item.name)

    def clear(self) -> str:
        """Barge-in: the frame that flushes the provider's buffer; our partial chunk is dropped too."""
        self._chunker.drop()
        return self._out.clear()


def twilio_line(start: Start, requested_rate: int | None = None) -> MediaLine:
    """Twilio: 8 kHz µ-law both ways."""
    rate = start.sample_rate
    out = twilio_media.TwilioOut(start.stream_sid)
    return MediaLine(rate, InboundAudio(start.encoding, rate), twilio_chunker(), out)


def exotel_line(start: Start, requested_rate: int | None = None) -> MediaLine:
    """Exotel: the rate asked for in the stream URL (else the start message's), PCM16 or µ-law, chunks a
    multiple of 320 bytes."""
    rate = requested_rate if requested_rate in exotel_media.SAMPLE_RATES else start.sample_rate
    ulaw = start.encoding == exotel_media.ULAW
    chunker = exotel_chunker(ulaw, rate, exotel_media.chunk_bytes(rate * (1 if ulaw else 2)))
    return MediaLine(rate, InboundAudio(start.encoding, rate), chunker, exotel_media.ExotelOut(start.stream_sid))


LINES: dict[str, Callable[[Start, int | None], MediaLine]] = {"twilio": twilio_line, "exotel": exotel_line}
"""Each provider's line, for edges that do not name one."""
