"""Provider-neutral stream messages: what Twilio and Exotel send us, once parsed and checked."""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass, field
from typing import Any


class ProtocolError(ValueError):
    """A message we cannot use; `kind` labels the error metric and the log line."""

    def __init__(self, kind: str, detail: str) -> None:
        super().__init__(f"{kind}: {detail}")
        self.kind = kind
        self.detail = detail


@dataclass(frozen=True, slots=True)
class Connected:
    """The first frame; carries nothing we need."""


@dataclass(frozen=True, slots=True)
class Start:
    stream_sid: str
    call_sid: str
    account_sid: str
    parameters: dict[str, str] = field(default_factory=dict)
    encoding: str = "audio/x-mulaw"
    sample_rate: int = 8000


@dataclass(frozen=True, slots=True)
class Media:
    stream_sid: str
    payload: bytes


@dataclass(frozen=True, slots=True)
class Dtmf:
    stream_sid: str
    digit: str


@dataclass(frozen=True, slots=True)
class Mark:
    stream_sid: str
    name: str


@dataclass(frozen=True, slots=True)
class Stop:
    stream_sid: str
    reason: str = ""


Inbound = Connected | Start | Media | Dtmf | Mark | Stop

DTMF_DIGITS = frozenset("0123456789*#")


def load_object(text: str) -> dict[str, Any]:
    """Parse one text frame into a JSON object with a string `event`."""
    try:
        message = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ProtocolError("bad_json", f"not JSON ({exc.msg})") from None
    except RecursionError:
        raise ProtocolError("bad_json", "JSON nested too deeply") from None
    except ValueError as exc:  # e.g. an integer longer than Python converts (4,300 digits)
        raise ProtocolError("bad_json", f"unusable JSON value ({str(exc)[:60]})") from None
    if not isinstance(message, dict) or not isinstance(message.get("event"), str):
        raise ProtocolError("bad_message", "not an object with an 'event' string")
    return message


def section(message: dict[str, Any], name: str) -> dict[str, Any]:
    """The nested object an event carries its fields in."""
    value = message.get(name)
    if not isinstance(value, dict):
        raise ProtocolError("bad_message", f"'{message['event']}' lacks its '{name}' object")
    return value


def text_field(obj: dict[str, Any], *names: str, required: bool = True) -> str:
    """The first of `names` present as a string (providers disagree on casing)."""
    for name in names:
        value = obj.get(name)
        if isinstance(value, str | int) and not isinstance(value, bool):
            return str(value)
    if required:
        raise ProtocolError("bad_message", f"missing '{names[0]}'")
    return ""


def decode_payload(obj: dict[str, Any]) -> bytes:
    """Strict base64: a corrupt payload is an error, never silently shortened audio."""
    payload = obj.get("payload")
    if not isinstance(payload, str):
        raise ProtocolError("bad_message", "media lacks a 'payload' string")
    try:
        return base64.b64decode(payload, validate=True)
    except (binascii.Error, ValueError):
        raise ProtocolError("bad_base64", "media payload is not valid base64") from None


def encode_payload(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def dumps(message: dict[str, Any]) -> str:
    return json.dumps(message, separators=(",", ":"))


CLOSE_NO_STATUS = 1005
CLOSE_ABNORMAL = 1006
CLOSE_TOO_BIG = 1009
CLOSE_SERVER_ERROR = 1011
CLOSE_SERVICE_RESTART = 1012


def disconnect_reason(code: int | None, reason: str | None, *, quiet_s: float, ping_s: float) -> str:
    """Why the socket closed under us, for the record: the caller, a frame too big, keep-alive, shutdown.

    A connection lost without a close frame after a silence as long as the keep-alive interval is a
    keep-alive timeout (the peer stopped answering pings), not a hang-up.
    """
    if code == CLOSE_TOO_BIG:
        return "oversized"
    if code == CLOSE_SERVER_ERROR and "keepalive" in (reason or "").lower():
        return "keepalive_timeout"
    if code == CLOSE_SERVICE_RESTART:
        return "shutdown"
    if code in (CLOSE_NO_STATUS, CLOSE_ABNORMAL) and quiet_s >= ping_s:
        return "keepalive_timeout"
    return "caller_hangup"
