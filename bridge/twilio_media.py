"""Twilio Media Streams messages: parse what Twilio sends, build what we send back (JSON text only)."""

from __future__ import annotations

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

ENCODING = "audio/x-mulaw"
SAMPLE_RATE = 8000


def parse(text: str) -> Inbound:
    """One Twilio frame as a typed message; ProtocolError says what was wrong with it."""
    message = load_object(text)
    event = message["event"]
    if event == "connected":
        return Connected()
    if event == "start":
        start = section(message, "start")
        params = start.get("customParameters") or {}
        if not isinstance(params, dict):
            raise ProtocolError("bad_message", "customParameters is not an object")
        media_format = start.get("mediaFormat") or {}
        encoding = str(media_format.get("encoding", ENCODING)) if isinstance(media_format, dict) else ENCODING
        if encoding != ENCODING:
            raise ProtocolError("bad_message", f"unsupported encoding {encoding!r}")
        return Start(
            stream_sid=text_field(start, "streamSid"),
            call_sid=text_field(start, "callSid"),
            account_sid=text_field(start, "accountSid", required=False),
            parameters={str(k): str(v) for k, v in params.items()},
        )
    if event == "stop":  # honoured even without a streamSid: the call is over either way
        return Stop(text_field(message, "streamSid", required=False))
    stream_sid = text_field(message, "streamSid")
    if event == "media":
        media = section(message, "media")
        if media.get("track", "inbound") != "inbound":
            raise ProtocolError("bad_message", "media on a track other than inbound")
        return Media(stream_sid, decode_payload(media))
    if event == "dtmf":
        digit = text_field(section(message, "dtmf"), "digit")
        if digit not in DTMF_DIGITS:
            raise ProtocolError("bad_message", "unknown DTMF digit")
        return Dtmf(stream_sid, digit)
    if event == "mark":
        return Mark(stream_sid, text_field(section(message, "mark"), "name"))
    raise ProtocolError("unknown_event", f"unknown event {event[:40]!r}")


class TwilioOut:
    """Outgoing frames for one stream: μ-law media, marks, clear."""

    def __init__(self, stream_sid: str) -> None:
        self.stream_sid = stream_sid

    def media(self, ulaw: bytes) -> str:
        return dumps({"event": "media", "streamSid": self.stream_sid, "media": {"payload": encode_payload(ulaw)}})

    def mark(self, name: str) -> str:
        return dumps({"event": "mark", "streamSid": self.stream_sid, "mark": {"name": name}})

    def clear(self) -> str:
        return dumps({"event": "clear", "streamSid": self.stream_sid})
