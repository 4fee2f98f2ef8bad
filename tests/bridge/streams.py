"""Hand-driven Twilio streams for the protocol tests: dial, upgrade, `start`, then whatever the test sends."""

from __future__ import annotations

import asyncio
import json
import secrets
from typing import Any

import httpx
import websockets

from bench.call_sim import TwilioCaller, sign
from tests.bridge.harness import ACCOUNT_SID, AUTH_TOKEN, BridgeUnderTest


def start_message(call_sid: str, stream_sid: str, token: str) -> str:
    return json.dumps({
        "event": "start",
        "sequenceNumber": "1",
        "streamSid": stream_sid,
        "start": {
            "streamSid": stream_sid, "accountSid": ACCOUNT_SID, "callSid": call_sid, "tracks": ["inbound"],
            "customParameters": {"token": token},
            "mediaFormat": {"encoding": "audio/x-mulaw", "sampleRate": 8000, "channels": 1},
        },
    })  # fmt: skip


def media_message(stream_sid: str, payload: str) -> str:
    return json.dumps({"event": "media", "streamSid": stream_sid, "media": {"track": "inbound", "payload": payload}})


async def dial(bridge: BridgeUnderTest) -> tuple[str, str]:
    """A signed voice webhook for a new call: (call SID, stream token)."""
    caller = TwilioCaller(bridge.url, AUTH_TOKEN)
    async with httpx.AsyncClient(timeout=10) as http:
        _, params = await caller.dial(http)
    return caller.call_sid, params["token"]


async def connect(bridge: BridgeUnderTest, **kwargs: Any) -> websockets.ClientConnection:
    """A media-stream socket with a valid upgrade signature."""
    url = bridge.ws_url("/twilio/media")
    headers = {"X-Twilio-Signature": sign(AUTH_TOKEN, url, {})}
    return await websockets.connect(url, additional_headers=headers, **kwargs)


async def started_stream(bridge: BridgeUnderTest) -> tuple[websockets.ClientConnection, str, str]:
    """A running call: (socket, call SID, stream SID)."""
    call_sid, token = await dial(bridge)
    stream_sid = "MZ" + secrets.token_hex(16)
    ws = await connect(bridge)
    await ws.send(json.dumps({"event": "connected", "protocol": "Call", "version": "1.0.0"}))
    await ws.send(start_message(call_sid, stream_sid, token))
    return ws, call_sid, stream_sid


async def close_code(ws: websockets.ClientConnection, timeout: float = 10.0) -> int | None:
    """Read (and drop) what the bridge sends until it closes; the close code it used."""
    try:
        async with asyncio.timeout(timeout):
            async for _ in ws:
                pass
    except websockets.ConnectionClosed:
        pass
    return ws.close_code
