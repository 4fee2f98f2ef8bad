"""Whole screening calls on the openai engine against the fake server, answered with audio."""

from __future__ import annotations

from core.policy import load_policy
from core.prompts import load_prompts
from core.speech.simulated_call import simulate_call
from core.understanding import understand
from tests.fakes.realtime_server import FakeRealtimeServer
from tests.openai.conftest import openai_engine, spoken


async def test_spoken_call_is_decided_on_openai_transcripts(fake: FakeRealtimeServer) -> None:
    policy = load_policy()
    replies = [
        spoken("Yes, I am salaried.", 16000),
        spoken("My salary is forty five thousand rupees.", 16000),
        spoken("I live in Mumbai.", 16000),
    ]
    call = await simulate_call(openai_engine(fake), replies, policy, load_prompts(policy), understand)

    record = call.record
    assert call.errors == []
    assert record.outcome == "eligible", record.to_json()
    assert record.answers["employment"] == "salaried"
    assert record.answers["monthly_salary"] == 45000
    assert record.answers["city"] == "Mumbai"
    heard = [(turn.caller or "").lower() for turn in record.turns[:3]]
    assert "salaried" in heard[0] and ("45" in heard[1] or "forty-five" in heard[1]) and "mumbai" in heard[2], heard
    assert record.notes == []  # no fail-over
    completed = [e for e in fake.client_events if e["type"] == "session.update"]
    prompts = [e["session"]["audio"]["input"]["transcription"]["prompt"] for e in completed]
    assert any("salary" in p.lower() for p in prompts) and any("Mumbai" in p for p in prompts)
    assert fake.violations == []
