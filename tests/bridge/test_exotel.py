"""Exotel's voicebot stream end to end: Basic auth (or token), PCM at the declared rate, 320-byte chunks."""

from __future__ import annotations

import asyncio
import base64
import json

import pytest
import websockets

from bench.call_sim import ExotelCaller, HangUp, Press, Say
from bridge import exotel_media
from core.audio import AudioFrame
from tests.bridge.harness import EXOTEL_PASSWORD, EXOTEL_TOKEN, EXOTEL_USER, BridgeUnderTest
from tests.bridge.streams import close_code


@pytest.mark.parametrize("rate", [8000, 16000])
async def test_spoken_exotel_call_end_to_end(bridge: BridgeUnderTest, voices: dict[str, AudioFrame], rate: int) -> None:
    caller = ExotelCaller(bridge.ws_url("/exotel/media"), EXOTEL_USER, EXOTEL_PASSWORD, rate=rate)
    script = [Say(voices["Yes I am salaried."]), Say(voices["Forty thousand rupees."]), Say(voices["Delhi."])]
    result = await caller.run(script)

    assert result.error is None and result.ended_by == "server" and result.close_code == 1000
    assert len(result.latencies_s) == 3
    sizes = set(result.bot_chunk_bytes)
    assert sizes == {exotel_media.chunk_bytes(rate * 2)}  # every chunk the same: ~100 ms, whole 320-byte granules
    assert all(size % 320 == 0 and 3200 <= size <= 100_000 for size in sizes)
    record = await bridge.api(f"/api/calls/exotel:{caller.call_sid}")  # Exotel SIDs have their own namespace
    assert record["channel"] == "exotel" and record["outcome"] == "eligible"
    assert record["answers"] == {"employment": "salaried", "monthly_salary": 40000, "city": "Delhi"}


async def test_exotel_keypad_and_caller_hang_up(bridge: BridgeUnderTest) -> None:
    """1 = yes; an amount typed without # counts once the caller pauses; then the caller hangs up."""
    caller = ExotelCaller(bridge.ws_url("/exotel/media"), EXOTEL_USER, EXOTEL_PASSWORD)
    result = await caller.run([Press("1"), Press("50000"), HangUp(after_s=0.3)])
    assert result.ended_by == "caller"
    for _ in range(50):
        calls = (await bridge.api("/api/calls?limit=5"))["calls"]
        if calls and calls[0]["ended_at"]:
            break
        await asyncio.sleep(0.1)
    (record,) = calls
    assert record["call_id"] == f"exotel:{caller.call_sid}" and record["outcome"] == "incomplete"
    assert record["answers"] == {"employment": "salaried", "monthly_salary": 50000, "city": None}


@pytest.mark.parametrize(
    "headers",
    [{}, {"Authorization": "Basic " + base64.b64encode(b"exo-key:wrong").decode()}, {"Authorization": "Basic %%%"}],
    ids=["none", "wrong-password", "garbage"],
)
async def test_exotel_start_without_credentials_is_refused(bridge: BridgeUnderTest, headers: dict[str, str]) -> None:
    """With no valid Basic auth, only a `start` carrying our token may open a call."""
    ws = await websockets.connect(bridge.ws_url("/exotel/media"), additional_headers=headers)
    await ws.send(json.dumps({"event": "connected"}))
    await ws.send(json.dumps({"event": "start", "stream_sid": "S1", "start": {
        "stream_sid": "S1", "call_sid": "EX1", "custom_parameters": {"token": "guess"},
        "media_format": {"encoding": "audio/x-raw", "sample_rate": "8000", "bit_rate": "16"}}}))  # fmt: skip
    assert await close_code(ws) == 1008


async def test_exotel_token_in_custom_parameters_opens_the_call(bridge: BridgeUnderTest) -> None:
    ws = await websockets.connect(bridge.ws_url("/exotel/media"))
    await ws.send(json.dumps({"event": "start", "stream_sid": "S2", "start": {
        "stream_sid": "S2", "call_sid": "EX2", "custom_parameters": {"token": EXOTEL_TOKEN},
        "media_format": {"encoding": "linear16", "sample_rate": 8000, "bit_rate": 16}}}))  # fmt: skip
    first = json.loads(await ws.recv())
    assert first["event"] == "media" and first["stream_sid"] == "S2"
    assert len(base64.b64decode(first["media"]["payload"])) == 3200
    await ws.send(json.dumps({"event": "stop", "stream_sid": "S2", "stop": {"call_sid": "EX2", "reason": "callended"}}))
    assert await close_code(ws) == 1000
