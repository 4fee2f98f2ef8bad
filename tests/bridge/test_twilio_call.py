"""Whole Twilio calls against a live bridge: signed webhook, media stream, answers, hang-up, record."""

from __future__ import annotations

import asyncio
import io
import json
from pathlib import Path
from typing import Any

import httpx

from bench.call_sim import BargeIn, HangUp, Press, Say, TwilioCaller
from bridge.hangup import TwilioHangup
from core.audio import AudioFrame
from tests.bridge.harness import AUTH_TOKEN, BridgeUnderTest, FakeTwilio, bridge_settings


async def test_spoken_answers_from_webhook_to_rest_hang_up(
    bridge: BridgeUnderTest, fake_twilio: FakeTwilio, voices: dict[str, AudioFrame], json_log: io.StringIO
) -> None:
    caller = TwilioCaller(bridge.url, AUTH_TOKEN)
    script = [Say(voices["Yes I am salaried."]), Say(voices["Forty thousand rupees."]), Say(voices["Mumbai."])]
    result = await caller.run(script)

    assert result.error is None and result.ended_by == "server" and result.close_code == 1000
    assert fake_twilio.hangups == [(caller.call_sid, {"Status": "completed"})]
    assert len(result.latencies_s) == 3 and all(latency is not None for latency in result.latencies_s)
    assert result.clears == 0
    record = await bridge.api(f"/api/calls/{caller.call_sid}")
    assert record["outcome"] == "eligible" and record["reasons"] == []
    assert record["answers"] == {"employment": "salaried", "monthly_salary": 40000, "city": "Mumbai"}
    assert [turn["state"] for turn in record["turns"]] == ["ASK_EMPLOYMENT", "ASK_SALARY", "ASK_CITY", "ELIGIBLE"]
    assert record["channel"] == "twilio" and record["call_id"] == caller.call_sid
    listed = await bridge.api("/api/calls?limit=5")
    assert [call["call_id"] for call in listed["calls"]] == [caller.call_sid]
    assert listed["calls"][0]["turns"] == record["turns"]
    stats = await bridge.api("/api/stats")
    assert stats["calls"] == 1 and stats["by_outcome"]["eligible"] == 1
    assert (await bridge.api("/api/stats?since=2999-01-01"))["calls"] == 0
    metrics = await bridge.metrics()
    assert 'bridge_calls_total{outcome="eligible",provider="twilio"} 1.0' in metrics
    assert "bridge_turn_latency_seconds_count 3.0" in metrics
    assert 'bridge_active_calls{provider="twilio"} 0.0' in metrics

    lines = [json.loads(line) for line in json_log.getvalue().splitlines()]
    call_lines = [line for line in lines if line["logger"].startswith("bridge.") and line.get("call_sid")]
    assert {"call answered", "call started", "prompt", "caller turn ended", "call ended"} <= {
        line["event"] for line in call_lines
    }
    assert all(line["call_sid"] == caller.call_sid for line in call_lines)
    for private in ("40000", "40,000", "forty", "Forty", "Mumbai", "salaried", "+919800000000"):
        assert private not in json_log.getvalue(), private  # no answers or numbers at INFO


async def test_keypad_answers_and_barge_in_are_recorded(
    bridge: BridgeUnderTest, fake_twilio: FakeTwilio, voices: dict[str, AudioFrame]
) -> None:
    """Talking over the greeting cuts it off (clear sent, turn marked); 1 and 45000# answer by keypad."""
    caller = TwilioCaller(bridge.url, AUTH_TOKEN)
    script = [BargeIn(voices["Yes I am salaried."], after_s=2.0), Press("45000#"), Say(voices["Delhi."])]
    result = await caller.run(script)

    assert result.ended_by == "server" and result.clears == 1
    record = await bridge.api(f"/api/calls/{caller.call_sid}")
    assert record["outcome"] == "eligible"
    assert record["answers"] == {"employment": "salaried", "monthly_salary": 45000, "city": "Delhi"}
    first, second = record["turns"][:2]
    assert first["barge_in"] is True and first["caller"]
    assert second["barge_in"] is False and second["caller"] == "45000 rupees"
    (note,) = [note for note in record["notes"] if note.startswith("barge-in")]
    heard_ms = int(note.split("after about ")[1].split(" ms")[0])
    assert 1500 <= heard_ms <= 4000, note  # the caller spoke 2 s into a ~7 s greeting
    assert fake_twilio.hangups == [(caller.call_sid, {"Status": "completed"})]


async def test_caller_drop_is_recorded_incomplete_with_answers_so_far(
    bridge: BridgeUnderTest, fake_twilio: FakeTwilio, voices: dict[str, AudioFrame]
) -> None:
    caller = TwilioCaller(bridge.url, AUTH_TOKEN)
    result = await caller.run([Press("1"), HangUp(after_s=0.5)])

    assert result.ended_by == "caller"
    record = await _wait_for_record(bridge, caller.call_sid)
    assert record["outcome"] == "incomplete"
    assert record["answers"]["employment"] == "salaried"
    assert record["turns"][0]["caller"] == "yes"
    assert "ended: caller_hangup" in record["notes"]
    assert fake_twilio.hangups == []  # the caller left: nothing to hang up


async def test_an_answer_given_just_before_hanging_up_is_kept(
    bridge: BridgeUnderTest, fake_twilio: FakeTwilio, voices: dict[str, AudioFrame]
) -> None:
    """Nothing the caller said is lost: the last answer, cut off by the hang-up, still decides the call."""
    caller = TwilioCaller(bridge.url, AUTH_TOKEN)
    script = [Press("1"), Press("45000#"), Say(voices["Mumbai."], then_hang_up=True)]
    result = await caller.run(script)

    assert result.ended_by == "caller"
    record = await _wait_for_record(bridge, caller.call_sid)
    assert record["answers"] == {"employment": "salaried", "monthly_salary": 45000, "city": "Mumbai"}
    assert record["outcome"] == "eligible" and "ended: caller_hangup" in record["notes"]
    assert record["turns"][2]["caller"]


async def test_failed_rest_hang_up_still_ends_the_stream(
    bridge: BridgeUnderTest, fake_twilio: FakeTwilio, voices: dict[str, AudioFrame]
) -> None:
    """Twilio's REST API failing leaves the TwiML fallback: the socket is closed and the record kept."""
    fake_twilio.status = 500
    caller = TwilioCaller(bridge.url, AUTH_TOKEN)
    result = await caller.run([Press("2")])

    assert result.ended_by == "server" and result.close_code == 1000
    assert [sid for sid, _ in fake_twilio.hangups] == [caller.call_sid]
    record = await bridge.api(f"/api/calls/{caller.call_sid}")
    assert record["outcome"] == "not_eligible" and record["reasons"] == ["not_salaried"]


async def test_rest_hang_up_treats_404_as_already_ended(fake_twilio: FakeTwilio, tmp_path: Path) -> None:
    settings = bridge_settings(1, tmp_path / "unused.db", fake_twilio.url)
    hangup = TwilioHangup(settings)
    await hangup.open()
    try:
        fake_twilio.status = 404
        assert await hangup.hang_up("CA404") is True
        fake_twilio.status = 500
        assert await hangup.hang_up("CA500") is False
    finally:
        await hangup.aclose()
    assert [sid for sid, _ in fake_twilio.hangups] == ["CA404", "CA500"]


async def _wait_for_record(bridge: BridgeUnderTest, call_sid: str) -> dict[str, Any]:
    """The bridge saves a dropped call as soon as it sees the disconnect; allow it a moment."""
    for _ in range(50):
        try:
            record: dict[str, Any] = await bridge.api(f"/api/calls/{call_sid}")
            if record["ended_at"]:
                return record
        except httpx.HTTPStatusError:
            pass
        await asyncio.sleep(0.1)
    raise AssertionError(f"no closed record for {call_sid}")
