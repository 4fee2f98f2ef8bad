"""The small pure pieces behind issue 14: record ids, input pacing, close reasons, parsing, redaction, limits."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from bridge import exotel_media, twilio_media
from bridge.checkpoints import record_id
from bridge.logging import redact
from bridge.pacing import InputGate
from bridge.settings import BridgeSettings
from bridge.wire import ProtocolError, Stop, disconnect_reason, load_object


def test_exotel_sids_get_their_own_namespace_and_always_fit() -> None:
    assert record_id("twilio", "CA123") == "CA123"
    assert record_id("exotel", "CA123") == "exotel:CA123"
    long_a, long_b = "x" * 200 + "a", "x" * 200 + "b"
    assert len(record_id("exotel", long_a)) == 64
    assert record_id("exotel", long_a) != record_id("exotel", long_b)
    assert record_id("exotel", long_a) == record_id("exotel", long_a)


async def test_input_gate_follows_real_time_and_drops_a_burst() -> None:
    now = [100.0]
    drops: list[int] = []
    gate = InputGate(0.5, lambda: drops.append(1), clock=lambda: now[0])
    admitted = [await gate.admit(0.02) for _ in range(1000)]  # 20 s of audio at one instant
    assert sum(admitted) == 25 and len(drops) == 975  # 0.5 s buffer
    now[0] += 2.0
    assert sum([await gate.admit(0.02) for _ in range(200)]) == 100  # 2 s later: 2 s more
    now[0] += 10.0  # a network stall: the late audio is all taken, none of it is ahead of real time
    assert all([await gate.admit(0.02) for _ in range(500)])


@pytest.mark.parametrize(
    ("code", "reason", "quiet_s", "expected"),
    [
        (1000, "", 0.1, "caller_hangup"),
        (1006, "", 0.1, "caller_hangup"),
        (1006, "", 25.0, "keepalive_timeout"),
        (1011, "keepalive ping timeout", 0.1, "keepalive_timeout"),
        (1009, "", 0.1, "oversized"),
        (1012, "", 0.1, "shutdown"),
    ],
)
def test_disconnect_reasons(code: int, reason: str, quiet_s: float, expected: str) -> None:
    assert disconnect_reason(code, reason, quiet_s=quiet_s, ping_s=20.0) == expected


@pytest.mark.parametrize(
    "text", ["[" * 5000 + "]" * 5000, '{"event": "media", "n": ' + "9" * 5000 + "}", "{bad", "1e999999x"]
)
def test_unusable_json_is_a_protocol_error_never_another_exception(text: str) -> None:
    with pytest.raises(ProtocolError) as error:
        load_object(text)
    assert error.value.kind == "bad_json"


def test_a_twilio_stop_without_stream_sid_is_still_a_stop() -> None:
    assert twilio_media.parse(json.dumps({"event": "stop", "stop": {"callSid": "CA1"}})) == Stop("")


def test_an_unknown_exotel_encoding_falls_back_to_pcm16(caplog: pytest.LogCaptureFixture) -> None:
    start = {
        "event": "start",
        "start": {"stream_sid": "S", "call_sid": "C", "media_format": {"encoding": "base64", "sample_rate": 8000}},
    }
    parsed = exotel_media.parse(json.dumps(start))
    assert parsed.encoding == exotel_media.PCM16  # type: ignore[union-attr]
    assert [r.message for r in caplog.records].count(
        "unknown Exotel encoding 'base64': taking the documented default, PCM16"
    ) == 1


def test_credential_query_strings_are_redacted() -> None:
    line = '127.0.0.1:5 - "WebSocket /exotel/media?sample-rate=8000&token=s3cr3t&x=1" [accepted]'
    assert redact(line) == '127.0.0.1:5 - "WebSocket /exotel/media?sample-rate=8000&token=[redacted]&x=1" [accepted]'
    assert redact("GET /healthz?Password=p&api_key=k") == "GET /healthz?Password=[redacted]&api_key=[redacted]"


def test_orphans_must_outlive_several_heartbeats() -> None:
    with pytest.raises(ValueError, match="twice"):
        BridgeSettings(heartbeat_s=10, orphan_after_s=15)


def test_a_low_open_files_limit_is_raised_or_the_connection_limit_lowered() -> None:
    script = (
        "import resource; from bridge.server import connection_limit\n"
        "resource.setrlimit(resource.RLIMIT_NOFILE, (256, 4096)); print(connection_limit(1000))\n"
        "print(resource.getrlimit(resource.RLIMIT_NOFILE)[0])\n"
        "resource.setrlimit(resource.RLIMIT_NOFILE, (300, 300)); print(connection_limit(1000))\n"
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True).stdout.split()
    assert out == ["1000", "1128", str(300 - 128)]
