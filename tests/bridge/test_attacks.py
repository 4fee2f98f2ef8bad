"""Issue 14 as an attacker would try it, on a real bridge on loopback with a real store: replays,
reused SIDs, malformed JSON before and after `start`, audio floods, and the small protocol points."""

from __future__ import annotations

import asyncio
import base64
import io
import json
import secrets
import threading
import time
from typing import Any

import httpx
import websockets
from websockets.sync.client import connect as sync_connect

from bench.call_sim import ExotelCaller, HangUp, Press, TwilioCaller, sign
from bridge.checkpoints import record_id
from tests.bridge.harness import (
    AUTH_TOKEN,
    EXOTEL_PASSWORD,
    EXOTEL_USER,
    BridgeUnderTest,
    FakeTwilio,
    running_bridge,
)
from tests.bridge.streams import close_code, connect, media_message, start_message, started_stream


async def _closed_record(bridge: BridgeUnderTest, call_id: str, timeout: float = 10.0) -> dict[str, Any]:
    async with asyncio.timeout(timeout):
        while True:
            try:
                record: dict[str, Any] = await bridge.api(f"/api/calls/{call_id}")
                if record["ended_at"]:
                    return record
            except httpx.HTTPStatusError:
                pass
            await asyncio.sleep(0.1)


def _metric(metrics: str, name: str) -> float:
    for line in metrics.splitlines():
        key, _, value = line.rpartition(" ")
        if key == name:
            return float(value)
    return 0.0


def _dtmf(stream_sid: str, digit: str) -> str:
    return json.dumps({"event": "dtmf", "streamSid": stream_sid, "dtmf": {"track": "inbound_track", "digit": digit}})


async def _not_eligible_call(bridge: BridgeUnderTest) -> tuple[str, dict[str, Any]]:
    """A finished call: not salaried, so not eligible (keypad 2)."""
    ws, call_sid, stream_sid = await started_stream(bridge)
    await ws.send(_dtmf(stream_sid, "2"))
    assert await close_code(ws, timeout=30) == 1000
    record = await _closed_record(bridge, call_sid)
    assert record["outcome"] == "not_eligible"
    return call_sid, record


async def test_a_replayed_webhook_for_a_finished_call_is_refused_and_its_record_unchanged(
    bridge: BridgeUnderTest,
) -> None:
    call_sid, before = await _not_eligible_call(bridge)
    url = f"{bridge.url}/twilio/voice"
    form = {"CallSid": call_sid, "AccountSid": "AC" + "0" * 32, "CallStatus": "ringing", "Direction": "inbound"}
    async with httpx.AsyncClient(timeout=10) as http:
        replay = await http.post(url, data=form, headers={"X-Twilio-Signature": sign(AUTH_TOKEN, url, form)})
    assert replay.status_code == 200 and "<Hangup" in replay.text and "<Connect" not in replay.text

    # Even a stream that got a token anyway (the store was down when the webhook came) cannot replace it.
    token = bridge.runtime.tokens.issue(call_sid)
    ws = await connect(bridge)
    await ws.send(start_message(call_sid, "MZ" + secrets.token_hex(16), token))
    assert await close_code(ws) == 1008
    assert await bridge.api(f"/api/calls/{call_sid}") == before
    metrics = await bridge.metrics()
    assert 'bridge_replays_total{provider="twilio"} 2.0' in metrics


async def test_an_exotel_stream_reusing_a_stored_sid_is_refused_and_sids_have_their_own_namespace(
    bridge: BridgeUnderTest,
) -> None:
    twilio_sid, twilio_record = await _not_eligible_call(bridge)

    first = ExotelCaller(bridge.ws_url("/exotel/media"), EXOTEL_USER, EXOTEL_PASSWORD)
    first.call_sid = twilio_sid  # the same SID as a Twilio call: another namespace, so a call of its own
    assert (await first.run([Press("2")])).close_code == 1000
    exotel_record = await _closed_record(bridge, f"exotel:{twilio_sid}")
    assert exotel_record["channel"] == "exotel" and exotel_record["outcome"] == "not_eligible"

    again = ExotelCaller(bridge.ws_url("/exotel/media"), EXOTEL_USER, EXOTEL_PASSWORD)
    again.call_sid = twilio_sid
    result = await again.run([Press("1"), Press("45000#")])
    assert result.close_code == 1008
    assert await bridge.api(f"/api/calls/exotel:{twilio_sid}") == exotel_record
    assert await bridge.api(f"/api/calls/{twilio_sid}") == twilio_record
    assert 'bridge_replays_total{provider="exotel"} 1.0' in await bridge.metrics()


async def test_a_long_exotel_sid_and_an_unknown_encoding_still_give_a_stored_call(
    bridge: BridgeUnderTest, json_log: io.StringIO
) -> None:
    class Base64Exotel(ExotelCaller):
        def hello(self) -> list[dict[str, Any]]:
            messages = super().hello()
            messages[1]["start"]["media_format"]["encoding"] = "base64"
            return messages

    caller = Base64Exotel(bridge.ws_url("/exotel/media"), EXOTEL_USER, EXOTEL_PASSWORD)
    caller.call_sid = "EX" + "7" * 150
    result = await caller.run([Press("2")])
    assert result.close_code == 1000
    call_id = record_id("exotel", caller.call_sid)
    assert len(call_id) == 64 and call_id.startswith("exotel:EX777")
    assert (await _closed_record(bridge, call_id))["outcome"] == "not_eligible"
    warnings = [json.loads(line) for line in json_log.getvalue().splitlines() if "unknown Exotel encoding" in line]
    assert len(warnings) == 1


async def test_a_stop_without_stream_sid_ends_the_call(bridge: BridgeUnderTest) -> None:
    ws, call_sid, stream_sid = await started_stream(bridge)
    await ws.send(_dtmf(stream_sid, "1"))
    await asyncio.sleep(0.3)
    await ws.send(json.dumps({"event": "stop", "sequenceNumber": "9", "stop": {"callSid": call_sid}}))
    record = await _closed_record(bridge, call_sid, timeout=10)
    assert record["outcome"] == "incomplete" and record["answers"]["employment"] == "salaried"
    assert "ended: caller_hangup" in record["notes"]
    await ws.close()


DEEP = "[" * 20_000 + "]" * 20_000  # far deeper than the JSON parser recurses, still under the size limit
HUGE = '{"event": "media", "streamSid": "MZ1", "media": {"payload": "", "n": ' + "9" * 5000 + "}}"


async def test_malformed_json_is_dropped_and_counted_before_and_after_start(
    bridge: BridgeUnderTest, json_log: io.StringIO
) -> None:
    call_sid, token = await _dial(bridge)
    stream_sid = "MZ" + secrets.token_hex(16)
    ws = await connect(bridge, max_size=2**22)
    for garbage in (DEEP, HUGE, json.dumps({"event": "surprise", "streamSid": stream_sid})):
        await ws.send(garbage)  # before start: dropped, counted, the socket stays open
    await ws.send(start_message(call_sid, stream_sid, token))
    for garbage in (DEEP, HUGE, json.dumps({"event": "surprise", "streamSid": stream_sid})):
        await ws.send(garbage)  # after start: the same
    await ws.send(_dtmf(stream_sid, "2"))
    assert await close_code(ws, timeout=30) == 1000
    assert (await _closed_record(bridge, call_sid))["outcome"] == "not_eligible"
    metrics = await bridge.metrics()
    assert _metric(metrics, 'bridge_errors_total{kind="bad_json"}') == 4
    assert _metric(metrics, 'bridge_errors_total{kind="unknown_event"}') == 2
    assert "Exception in ASGI application" not in json_log.getvalue()
    assert "RecursionError" not in json_log.getvalue()


async def _dial(bridge: BridgeUnderTest) -> tuple[str, str]:
    caller = TwilioCaller(bridge.url, AUTH_TOKEN)
    async with httpx.AsyncClient(timeout=10) as http:
        _, params = await caller.dial(http)
    return caller.call_sid, params["token"]


def _flood(bridge_url: str, ws_url: str, frames: int, ready: threading.Event) -> str:
    """A whole call from another thread (its own connection and loop): start, then `frames` 20 ms frames at once."""
    caller = TwilioCaller(bridge_url, AUTH_TOKEN)

    async def dial() -> dict[str, str]:
        async with httpx.AsyncClient(timeout=10) as http:
            return (await caller.dial(http))[1]

    token = asyncio.run(dial())["token"]
    stream_sid = "MZ" + secrets.token_hex(16)
    headers = {"X-Twilio-Signature": sign(AUTH_TOKEN, ws_url, {})}
    with sync_connect(ws_url, additional_headers=headers) as ws:
        ws.send(start_message(caller.call_sid, stream_sid, token))
        time.sleep(0.5)
        ready.set()
        frame = media_message(stream_sid, base64.b64encode(b"\xff" * 160).decode())
        for _ in range(frames):
            ws.send(frame)
        time.sleep(1.5)
        ws.send(_dtmf(stream_sid, "2"))
        for _ in ws:  # until the bridge closes: the call is still alive to answer
            pass
        assert ws.close_code == 1000, ws.close_code
    return caller.call_sid


async def test_an_audio_flood_is_dropped_beyond_a_small_buffer_and_stalls_nobody(bridge: BridgeUnderTest) -> None:
    """10,000 frames at once: the call's clock stays on real time (no no-input timeouts fire), the frames
    beyond the buffer are dropped and counted, and /healthz and the call next to it keep their pace."""
    neighbour = TwilioCaller(bridge.url, AUTH_TOKEN)
    neighbour_call = asyncio.create_task(neighbour.run([Press("1"), Press("45000#"), HangUp(after_s=6)]))
    async with httpx.AsyncClient(timeout=5) as http:
        await http.get(bridge.url + "/healthz")  # warm-up, so the probes below time only the request
    ready = threading.Event()
    flood = asyncio.create_task(asyncio.to_thread(_flood, bridge.url, bridge.ws_url("/twilio/media"), 10_000, ready))
    while not ready.is_set():
        await asyncio.sleep(0.01)
    latencies = []
    async with httpx.AsyncClient(timeout=5) as http:
        for _ in range(40):
            t0 = time.perf_counter()
            assert (await http.get(bridge.url + "/healthz")).status_code == 200
            latencies.append(time.perf_counter() - t0)
            await asyncio.sleep(0.05)
    call_sid = await asyncio.wait_for(flood, 30)
    record = await _closed_record(bridge, call_sid)
    assert record["outcome"] == "not_eligible", "the flood moved the call's clock and ended it early"
    assert not any(turn["intent"] == "silence" for turn in record["turns"]), record["turns"]
    dropped = _metric(await bridge.metrics(), 'bridge_input_dropped_frames_total{provider="twilio"}')
    assert dropped >= 9_900, dropped
    assert max(latencies) < 0.25, latencies
    result = await neighbour_call
    assert result.error is None and len(result.latencies_s) >= 2


async def test_a_peer_that_stops_answering_pings_is_recorded_as_a_keepalive_timeout(
    engine: Any, tmp_path: Any, fake_twilio: FakeTwilio
) -> None:
    async with running_bridge(engine, tmp_path / "records.db", fake_twilio.url, ws_ping_s=0.5) as bridge:
        ws, call_sid, stream_sid = await started_stream(bridge)
        await ws.send(_dtmf(stream_sid, "1"))
        await asyncio.sleep(0.3)
        ws.transport.pause_reading()  # no pongs from here on
        record = await _closed_record(bridge, call_sid, timeout=15)
        assert "ended: keepalive_timeout" in record["notes"] and record["answers"]["employment"] == "salaried"
        ws.transport.abort()


async def test_an_oversized_websocket_frame_is_recorded_as_oversized(bridge: BridgeUnderTest) -> None:
    ws, call_sid, stream_sid = await started_stream(bridge)
    await ws.send(_dtmf(stream_sid, "1"))
    await asyncio.sleep(0.3)
    await ws.send("x" * 500_000)  # beyond the WebSocket layer's own limit, not only ours
    assert await close_code(ws) == 1009
    assert "ended: oversized" in (await _closed_record(bridge, call_sid))["notes"]


async def test_webhooks_refuse_unsigned_and_oversized_bodies_before_reading_them(bridge: BridgeUnderTest) -> None:
    url = f"{bridge.url}/twilio/voice"
    async with httpx.AsyncClient(timeout=10) as http:
        unsigned = await http.post(url, content=b"CallSid=CA1&" + b"x=1&" * 100)
        assert unsigned.status_code == 403
        declared = await http.post(url, content=b"x" * 20_000, headers={"X-Twilio-Signature": "abc"})
        assert declared.status_code == 413

        async def chunks() -> Any:
            for _ in range(10):
                yield b"y" * 4096

        try:  # refused part-way through a chunked upload: the client sees the 413, or the connection closed
            streamed = await http.post(url, content=chunks(), headers={"X-Twilio-Signature": "abc"})
            assert streamed.status_code == 413
        except (httpx.ReadError, httpx.WriteError, httpx.RemoteProtocolError):
            pass
    metrics = await bridge.metrics()
    assert _metric(metrics, 'bridge_errors_total{kind="body_too_large"}') == 2  # the chunked one too
    assert _metric(metrics, 'bridge_errors_total{kind="bad_signature"}') == 1


async def test_readiness_says_no_without_a_twilio_token(engine: Any, tmp_path: Any, fake_twilio: FakeTwilio) -> None:
    async with (
        running_bridge(engine, tmp_path / "records.db", fake_twilio.url, twilio_auth_token="") as bridge,
        httpx.AsyncClient(timeout=10) as http,
    ):
        ready = await http.get(bridge.url + "/readyz")
    assert ready.status_code == 503 and ready.json()["twilio_token"] is False and ready.json()["database"] is True


async def test_a_websocket_url_token_never_reaches_the_log(bridge: BridgeUnderTest, json_log: io.StringIO) -> None:
    from tests.bridge.harness import EXOTEL_TOKEN

    async with websockets.connect(bridge.ws_url(f"/exotel/media?token={EXOTEL_TOKEN}&sample-rate=8000")) as ws:
        await ws.send(json.dumps({"event": "connected"}))
    async with httpx.AsyncClient(timeout=10) as http:
        await http.get(bridge.url + f"/healthz?password=hunter2&token={EXOTEL_TOKEN}")
    await asyncio.sleep(0.2)
    log = json_log.getvalue()
    assert "/exotel/media?token=[redacted]" in log
    assert EXOTEL_TOKEN not in log and "hunter2" not in log
