"""Bad input on one stream gets a clear error and never disturbs the call next to it."""

from __future__ import annotations

import asyncio
import io
import json

import httpx
import pytest

from bench.call_sim import Say, TwilioCaller
from bridge.dtmf import Keypad
from core.audio import AudioFrame
from tests.bridge.harness import AUTH_TOKEN, BridgeUnderTest
from tests.bridge.streams import close_code, connect, media_message, start_message, started_stream


async def _record(bridge: BridgeUnderTest, call_sid: str) -> dict[str, object]:
    """The closed record (an open checkpoint is written from the first prompt on)."""
    for _ in range(50):
        try:
            record = await bridge.api(f"/api/calls/{call_sid}")
            if record["ended_at"]:
                return record  # type: ignore[no-any-return]
        except httpx.HTTPStatusError:
            pass
        await asyncio.sleep(0.1)
    raise AssertionError(f"no closed record for {call_sid}")


def _dtmf(stream_sid: str, digit: str) -> str:
    return json.dumps({"event": "dtmf", "streamSid": stream_sid, "dtmf": {"track": "inbound_track", "digit": digit}})


def _full_call(bridge: BridgeUnderTest, voices: dict[str, AudioFrame]) -> asyncio.Task:  # type: ignore[type-arg]
    caller = TwilioCaller(bridge.url, AUTH_TOKEN)
    script = [Say(voices["Yes I am salaried."]), Say(voices["Forty thousand rupees."]), Say(voices["Mumbai."])]
    return asyncio.create_task(caller.run(script))


async def test_unusable_messages_are_dropped_and_counted_while_the_call_goes_on(
    bridge: BridgeUnderTest, voices: dict[str, AudioFrame]
) -> None:
    neighbour = _full_call(bridge, voices)
    ws, call_sid, stream_sid = await started_stream(bridge)
    await ws.send("{not json")
    await ws.send(json.dumps(["an", "array"]))
    await ws.send(json.dumps({"event": "bogus", "streamSid": stream_sid}))
    await ws.send(media_message(stream_sid, "***not base64***"))
    await ws.send(media_message("MZ" + "f" * 32, "/////w=="))  # another stream's SID
    await ws.send(json.dumps({"event": "media", "media": {"payload": "/////w=="}}))  # no streamSid
    await ws.send(json.dumps({"event": "mark", "streamSid": stream_sid, "mark": {"name": "never-sent"}}))
    await ws.send(_dtmf(stream_sid, "2"))  # a real answer still works: not salaried ends the call
    assert await close_code(ws, timeout=30) == 1000

    record = await _record(bridge, call_sid)
    assert record["outcome"] == "not_eligible"
    metrics = await bridge.metrics()
    for kind, count in [("bad_json", 1), ("bad_message", 2), ("unknown_event", 1), ("bad_base64", 1),
                        ("wrong_stream_sid", 1), ("unknown_mark", 1)]:  # fmt: skip
        assert f'bridge_errors_total{{kind="{kind}"}} {count}.0' in metrics, kind
    result = await neighbour
    assert result.ended_by == "server" and len(result.latencies_s) == 3
    assert (await _record(bridge, result.call_sid))["outcome"] == "eligible"


@pytest.mark.parametrize(
    ("frame", "code", "kind"),
    [(b"\x00\x01binary", 1003, "binary_frame"), ("x" * 70_000, 1009, "oversized")],
    ids=["binary", "oversized"],
)
async def test_binary_or_oversized_frames_end_that_call_with_a_record(
    bridge: BridgeUnderTest, frame: bytes | str, code: int, kind: str
) -> None:
    ws, call_sid, stream_sid = await started_stream(bridge)
    await ws.send(_dtmf(stream_sid, "1"))
    await asyncio.sleep(0.3)
    await ws.send(frame)
    assert await close_code(ws) == code
    record = await _record(bridge, call_sid)
    assert record["outcome"] == "incomplete"
    assert record["answers"]["employment"] == "salaried"  # type: ignore[index]
    assert f"ended: {kind}" in record["notes"]  # type: ignore[operator]


async def test_abrupt_disconnect_records_what_was_answered(bridge: BridgeUnderTest) -> None:
    ws, call_sid, stream_sid = await started_stream(bridge)
    await ws.send(_dtmf(stream_sid, "1"))
    await asyncio.sleep(0.5)
    ws.transport.abort()  # TCP gone, no close frame, no stop
    record = await _record(bridge, call_sid)
    assert record["outcome"] == "incomplete" and record["answers"]["employment"] == "salaried"  # type: ignore[index]
    assert 'bridge_active_calls{provider="twilio"} 0.0' in await bridge.metrics()


async def test_an_exception_in_one_call_ends_only_that_call(
    bridge: BridgeUnderTest, voices: dict[str, AudioFrame], monkeypatch: pytest.MonkeyPatch, json_log: io.StringIO
) -> None:
    """A bug hit by one call (here: a keypad handler that raises on 9) closes it with 1011, logged with
    its SID and recorded; the call beside it finishes normally."""
    original = Keypad.press

    def press(self: Keypad, digit: str, question: object, **options: bool) -> str | None:
        if digit == "9":
            raise RuntimeError("keypad exploded")
        return original(self, digit, question, **options)  # type: ignore[arg-type]

    monkeypatch.setattr(Keypad, "press", press)
    neighbour = _full_call(bridge, voices)
    ws, call_sid, stream_sid = await started_stream(bridge)
    await asyncio.sleep(0.5)
    await ws.send(_dtmf(stream_sid, "9"))
    assert await close_code(ws) == 1011
    record = await _record(bridge, call_sid)
    assert record["outcome"] == "incomplete" and "ended: server_error" in record["notes"]  # type: ignore[operator]

    lines = [json.loads(line) for line in json_log.getvalue().splitlines()]
    (failure,) = [line for line in lines if line["event"] == "call failed; ending it"]
    assert failure["call_sid"] == call_sid and "keypad exploded" in failure["exc"]
    assert all("call_sid" in line for line in lines if line["logger"] == "bridge.call")
    result = await neighbour
    assert result.ended_by == "server" and (await _record(bridge, result.call_sid))["outcome"] == "eligible"
    assert 'bridge_errors_total{kind="internal"} 1.0' in await bridge.metrics()


async def test_second_stream_for_a_live_call_is_refused(bridge: BridgeUnderTest) -> None:
    """Twilio has been seen opening a second stream for one call: the first keeps the call."""
    ws, call_sid, stream_sid = await started_stream(bridge)
    token = bridge.runtime.tokens.issue(call_sid)  # as if Twilio had asked again for this call
    duplicate = await connect(bridge)
    await duplicate.send(start_message(call_sid, "MZ-dup", token))
    assert await close_code(duplicate) == 1008
    await ws.send(_dtmf(stream_sid, "2"))  # the first stream still runs the call to its end
    assert await close_code(ws, timeout=30) == 1000
    assert (await _record(bridge, call_sid))["outcome"] == "not_eligible"
