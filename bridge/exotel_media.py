"""Exotel voicebot stream messages: snake_case (camelCase tolerated), PCM16 or μ-law per media_format."""

from __future__ import annotations

import logging
from typing import Any

from bridge.wire import (
    DTMF_DIGITS,
    Connected,
    Dtmf,
    Inbound,
    Mark,
    Media,
    ProtocolError,
    Start,
    Stop,
    decode_payload,
    dumps,
    encode_payload,
    load_object,
    section,
    text_field,
)

log = logging.getLogger("bridge.exotel")
PCM16 = "audio/x-raw"
ULAW = "audio/x-mulaw"
_ENCODINGS = {
    "audio/x-mulaw": ULAW,
    "mulaw": ULAW,
    "raw": PCM16,
    "audio/x-raw": PCM16,
    "linear16": PCM16,
    "slin": PCM16,
    "audio/l16": PCM16,
    "pcm": PCM16,
}
SAMPLE_RATES = (8000, 16000, 24000)
MIN_CHUNK_BYTES = 3200
MAX_CHUNK_BYTES = 100_000
GRANULE_BYTES = 320


def _sid(obj: dict[str, Any]) -> str:
    return text_field(obj, "stream_sid", "streamSid")


def _media_format(start: dict[str, Any]) -> tuple[str, int]:
    fmt = start.get("media_format") or start.get("mediaFormat") or {}
    if not isinstance(fmt, dict):
        raise ProtocolError("bad_message", "media_format is not an object")
    raw_encoding = str(fmt.get("encoding", "raw")).strip().lower().split(";")[0]
    encoding = _ENCODINGS.get(raw_encoding)
    if encoding is None:  # e.g. "base64" (the payload's wrapping, not its format): the documented default
        log.warning("unknown Exotel encoding %r: taking the documented default, PCM16", raw_encoding[:40])
        encoding = PCM16
    try:
        rate = int(fmt.get("sample_rate", 8000))
    except (TypeError, ValueError):
        raise ProtocolError("bad_message", "sample_rate is not a number") from None
    if rate not in SAMPLE_RATES:
        raise ProtocolError("bad_message", f"unsupported sample_rate {rate}")
    return encoding, rate


def parse(text: str) -> Inbound:
    """One Exotel frame as a typed message; ProtocolError says what was wrong with it."""
    message = load_object(text)
    event = message["event"]
    if event == "connected":
        return Connected()
    if event == "start":
        start = section(message, "start")
        params = start.get("custom_parameters") or start.get("customParameters") or {}
        if not isinstance(params, dict):
            raise ProtocolError("bad_message", "custom_parameters is not an object")
        encoding, rate = _media_format(start)
        return Start(
            stream_sid=_sid(start) if ("stream_sid" in start or "streamSid" in start) else _sid(message),
            call_sid=text_field(start, "call_sid", "callSid"),
            account_sid=text_field(start, "account_sid", "accountSid", required=False),
            parameters={str(k): str(v) for k, v in params.items()},
            encoding=encoding,
            sample_rate=rate,
        )
    stream_sid = text_field(message, "stream_sid", "streamSid", required=False)
    if event == "media":
        return Media(stream_sid, decode_payload(section(message, "media")))
    if event == "dtmf":
        digit = text_field(section(message, "dtmf"), "digit")
        if digit not in DTMF_DIGITS:
            raise ProtocolError("bad_message", "unknown DTMF digit")
        return Dtmf(stream_sid, digit)
    if event == "mark":
        return Mark(stream_sid, text_field(section(message, "mark"), "name"))
    if event == "stop":
        stop = message.get("stop")
        reason = text_field(stop, "reason", required=False) if isinstance(stop, dict) else ""
        return Stop(stream_sid, reason)
    raise ProtocolError("unknown_event", f"unknown event {event[:40]!r}")


def chunk_bytes(bytes_per_second: int) -> int:
    """Outgoing chunk size: ~100 ms, a multiple of 320 bytes, at least Exotel's 3,200-byte minimum."""
    granules = -(-(bytes_per_second // 10) // GRANULE_BYTES)
    return max(MIN_CHUNK_BYTES, granules * GRANULE_BYTES)


class ExotelOut:
    """Outgoing frames for one stream: media (already sized by the caller), marks, clear."""

    def __init__(self, stream_sid: str) -> None:
        self.stream_sid = stream_sid

    def media(self, audio: bytes) -> str:
        if len(audio) % GRANULE_BYTES or not MIN_CHUNK_BYTES <= len(audio) <= MAX_CHUNK_BYTES:
            raise ValueError(f"Exotel chunk of {len(audio)} bytes breaks the 320-byte rule")
        return dumps({"event": "media", "stream_sid": self.stream_sid, "media": {"payload": encode_payload(audio)}})

    def mark(self, name: str) -> str:
        return dumps({"event": "mark", "stream_sid": self.stream_sid, "mark": {"name": name}})

    def clear(self) -> str:
        return dumps({"event": "clear", "stream_sid": self.stream_sid})
