"""Signatures, single-use stream tokens, the start deadline and the ops API bearer token."""

from __future__ import annotations

import asyncio
import json
import secrets
from pathlib import Path

import httpx
import pytest
import websockets

from bench.call_sim import HangUp, TwilioCaller, sign
from core.speech.engine import SpeechEngine
from tests.bridge.harness import AUTH_TOKEN, OPS_TOKEN, BridgeUnderTest, FakeTwilio, running_bridge
from tests.bridge.streams import close_code, connect, dial, start_message

FORM = {"CallSid": "CA" + "2" * 32, "AccountSid": "AC" + "1" * 32, "From": "+919800000000", "CallStatus": "ringing"}


async def _post_voice(bridge: BridgeUnderTest, signature: str | None, url: str | None = None) -> httpx.Response:
    headers = {} if signature is None else {"X-Twilio-Signature": signature}
    async with httpx.AsyncClient(timeout=10) as http:
        return await http.post(url or f"{bridge.url}/twilio/voice", data=FORM, headers=headers)


@pytest.mark.parametrize("signature", [None, "", "bm90IGEgc2lnbmF0dXJl", "forged"])
async def test_webhook_without_a_valid_signature_is_forbidden(bridge: BridgeUnderTest, signature: str | None) -> None:
    response = await _post_voice(bridge, signature)
    assert response.status_code == 403
    assert 'bridge_errors_total{kind="bad_signature"} 1.0' in await bridge.metrics()


async def test_webhook_signed_with_another_token_or_other_fields_is_forbidden(bridge: BridgeUnderTest) -> None:
    url = f"{bridge.url}/twilio/voice"
    assert (await _post_voice(bridge, sign("someone-else", url, FORM))).status_code == 403
    assert (await _post_voice(bridge, sign(AUTH_TOKEN, url, {**FORM, "From": "+10000000000"}))).status_code == 403
    assert (await _post_voice(bridge, sign(AUTH_TOKEN, url, FORM))).status_code == 200


async def test_behind_a_proxy_signatures_use_the_public_url(
    engine: SpeechEngine, tmp_path: Path, fake_twilio: FakeTwilio
) -> None:
    """Twilio signs https://public/...; the bridge sees http://127.0.0.1:port/... and must not care.
    With several processes behind one webhook URL, each names its own stream URL (path prefix)."""
    public, own = "https://voice.example.com", "https://voice.example.com/b1"
    async with running_bridge(
        engine, tmp_path / "r.db", fake_twilio.url, public_base_url=public, public_stream_base_url=own
    ) as bridge:
        seen_url = f"{bridge.url}/twilio/voice"
        assert (await _post_voice(bridge, sign(AUTH_TOKEN, seen_url, FORM))).status_code == 403
        response = await _post_voice(bridge, sign(AUTH_TOKEN, f"{public}/twilio/voice", FORM))
        assert response.status_code == 200
        assert 'url="wss://voice.example.com/b1/twilio/media"' in response.text
        assert 'statusCallback="https://voice.example.com/twilio/status"' in response.text
        assert '<Parameter name="token"' in response.text and "<Hangup />" in response.text
        ws_url = bridge.ws_url("/twilio/media")
        for wrong in (ws_url, "wss://voice.example.com/twilio/media"):  # seen URL; prefix missing
            with pytest.raises(websockets.InvalidStatus):
                await websockets.connect(ws_url, additional_headers={"X-Twilio-Signature": sign(AUTH_TOKEN, wrong, {})})
        public_sig = sign(AUTH_TOKEN, "wss://voice.example.com/b1/twilio/media", {})
        ws = await websockets.connect(ws_url, additional_headers={"X-Twilio-Signature": public_sig})
        await ws.close()


@pytest.mark.parametrize("signature", [None, "forged"])
async def test_media_upgrade_without_a_valid_signature_is_refused(
    bridge: BridgeUnderTest, signature: str | None
) -> None:
    headers = {} if signature is None else {"X-Twilio-Signature": signature}
    with pytest.raises(websockets.InvalidStatus) as refused:
        await websockets.connect(bridge.ws_url("/twilio/media"), additional_headers=headers)
    assert refused.value.response.status_code == 403


async def test_stream_token_is_single_use_and_bound_to_its_call(bridge: BridgeUnderTest) -> None:
    call_sid, token = await dial(bridge)
    other_sid, other_token = await dial(bridge)

    wrong_call = await connect(bridge)
    await wrong_call.send(start_message(call_sid, "MZ1", other_token))  # the other call's token
    assert await close_code(wrong_call) == 1008

    first = await connect(bridge)
    await first.send(start_message(call_sid, "MZ2", token))
    second = await connect(bridge)
    await second.send(start_message(call_sid, "MZ3", token))  # replayed token
    assert await close_code(second) == 1008
    first_event = json.loads(await first.recv())  # the real stream is running: prompt audio arrives
    assert first_event["event"] == "media" and first_event["streamSid"] == "MZ2"
    await first.close()

    spent = await connect(bridge)
    await spent.send(start_message(other_sid, "MZ4", other_token))  # spent by the wrong_call attempt
    assert await close_code(spent) == 1008
    assert 'bridge_errors_total{kind="bad_token"} 3.0' in await bridge.metrics()


async def test_socket_without_a_start_is_closed_after_the_deadline(
    engine: SpeechEngine, tmp_path: Path, fake_twilio: FakeTwilio
) -> None:
    async with running_bridge(engine, tmp_path / "r.db", fake_twilio.url, start_timeout_s=0.5) as bridge:
        silent = await connect(bridge)
        await silent.send(json.dumps({"event": "connected", "protocol": "Call", "version": "1.0.0"}))
        assert await close_code(silent, timeout=3) == 1008
        media_first = await connect(bridge)
        await media_first.send(json.dumps({"event": "media", "streamSid": "MZ", "media": {"payload": ""}}))
        assert await close_code(media_first, timeout=3) == 1008
        assert 'bridge_errors_total{kind="no_start"} 2.0' in await bridge.metrics()


async def test_ops_api_needs_the_bearer_token(bridge: BridgeUnderTest) -> None:
    async with httpx.AsyncClient(base_url=bridge.url, timeout=10) as http:
        assert (await http.get("/api/calls")).status_code == 401
        assert (await http.get("/api/calls", headers={"Authorization": "Bearer wrong"})).status_code == 401
        assert (await http.get("/api/calls/CAx", headers={"Authorization": "Bearer wrong"})).status_code == 401
        authorised = {"Authorization": f"Bearer {OPS_TOKEN}"}
        assert (await http.get("/api/calls/CAnone", headers=authorised)).status_code == 404
        assert (await http.get("/api/calls?limit=0", headers=authorised)).status_code == 422
        assert (await http.get("/healthz")).json() == {"status": "ok"}
        assert (await http.get("/readyz")).status_code == 200


async def test_status_callbacks_are_signed_and_noted_on_the_record(bridge: BridgeUnderTest) -> None:
    caller = TwilioCaller(bridge.url, AUTH_TOKEN)
    await caller.run([HangUp(after_s=0.2)])
    url = f"{bridge.url}/twilio/status"
    form = {"CallSid": caller.call_sid, "CallStatus": "completed", "CallDuration": "9", "SequenceNumber": "3"}
    async with httpx.AsyncClient(timeout=10) as http:
        forged = await http.post(url, data=form, headers={"X-Twilio-Signature": secrets.token_urlsafe(20)})
        assert forged.status_code == 403
        for _ in range(50):  # the dropped call's record is closed as the bridge sees the close
            found = await http.get(
                f"{bridge.url}/api/calls/{caller.call_sid}", headers={"Authorization": f"Bearer {OPS_TOKEN}"}
            )
            if found.status_code == 200 and found.json()["ended_at"]:
                break
            await asyncio.sleep(0.1)
        signed = await http.post(url, data=form, headers={"X-Twilio-Signature": sign(AUTH_TOKEN, url, form)})
        assert signed.status_code == 204
    record = await bridge.api(f"/api/calls/{caller.call_sid}")
    assert "twilio status: CallStatus=completed, CallDuration=9, SequenceNumber=3" in record["notes"]
