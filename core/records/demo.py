"""Realistic simulated calls (the real dialogue, scripted callers) for demos, screenshots and tests."""

from __future__ import annotations

import random
from collections import deque
from datetime import datetime, timedelta

from core.dialogue.conversation import Conversation
from core.policy import Policy, load_policy
from core.prompts import PromptBook, load_prompts
from core.record import CallRecord, utc_now
from core.understanding.types import (
    CityAnswer,
    Employment,
    Intent,
    Question,
    SalaryAnswer,
    Slot,
    Understanding,
    Unusable,
)

Reply = tuple[str, Understanding]
CHANNELS = (("twilio", 0.5), ("exotel", 0.25), ("kiosk", 0.2), ("simulator", 0.05))
ENGINES = {"twilio": "offline", "exotel": "offline", "kiosk": "offline", "simulator": "text"}
OTHER_CITIES = ("Pune", "Jaipur", "Lucknow", "Chennai", "Hyderabad", "Kolkata", "Patna", "Indore")
UNUSABLE: tuple[Reply, ...] = (
    ("", Understanding(Intent.UNUSABLE, unusable=Unusable.SILENCE)),
    ("umm", Understanding(Intent.UNUSABLE, unusable=Unusable.FILLER)),
    ("I am not sure", Understanding(Intent.UNUSABLE, unusable=Unusable.UNSURE)),
    ("why do you need this", Understanding(Intent.UNUSABLE, unusable=Unusable.REFUSAL)),
)


def simulated_calls(count: int, *, days: int = 14, seed: int = 7, now: datetime | None = None) -> list[CallRecord]:
    """`count` finished calls spread over the last `days` days, with a plausible mix of outcomes."""
    rng = random.Random(seed)
    policy = load_policy()
    prompts = load_prompts(policy)
    end = now or utc_now()
    return [_call(rng, policy, prompts, end - timedelta(days=days) * rng.random() ** 0.8) for _ in range(count)]


def _call(rng: random.Random, policy: Policy, prompts: PromptBook, started: datetime) -> CallRecord:
    channel = rng.choices([c for c, _ in CHANNELS], [w for _, w in CHANNELS])[0]
    replies = deque(_script(rng, policy))
    heard: list[Understanding] = []

    def understand(_question: Question, _text: str, _policy: Policy) -> Understanding:
        return heard.pop()

    conversation = Conversation(policy, prompts, understand, channel=channel, engine=ENGINES[channel])
    conversation.record.started_at = started.isoformat()
    clock = started
    conversation.start()
    conversation.record.turns[-1].at = clock.isoformat()
    while conversation.awaiting_reply:
        if not replies:  # the caller hangs up
            conversation.hang_up()
            break
        clock += timedelta(seconds=rng.uniform(3, 9))
        if rng.random() < 0.08:
            conversation.note_barge_in()
        text, understanding = replies.popleft()
        heard.append(understanding)
        turn = conversation.reply(text, asr_confidence=round(rng.uniform(0.55, 0.99), 2))
        conversation.note_latency(rng.lognormvariate(6.4, 0.35))  # median about 600 ms
        conversation.record.turns[-1].at = clock.isoformat()
        if turn.closing:
            conversation.close()
    record = conversation.record
    record.ended_at = (clock + timedelta(seconds=rng.uniform(4, 8))).isoformat()
    return record


def _script(rng: random.Random, policy: Policy) -> list[Reply]:
    """What one caller will say, in order; running out of replies is hanging up."""
    script: list[Reply] = []
    if rng.random() < 0.06:
        return [rng.choice(UNUSABLE)] * rng.randint(0, policy.max_attempts)
    if rng.random() < 0.1:
        script.append(rng.choice(UNUSABLE))
    if rng.random() < 0.2:
        script.append(("I run my own shop", _employment(Employment.NOT_SALARIED, rng)))
        return script
    script.append(
        (rng.choice(["yes", "haan ji, salaried", "yes I work in a company"]), _employment(Employment.SALARIED, rng))
    )
    if rng.random() < 0.05:
        return script
    monthly = int(round(rng.lognormvariate(10.45, 0.45), -3))
    if rng.random() < 0.12:
        script.append(("pardon?", Understanding(Intent.REPEAT)))
    script.append((f"around {monthly} rupees", _salary(monthly, policy, rng)))
    if monthly < policy.min_monthly_salary:
        return script
    if rng.random() < 0.05:
        return script
    if rng.random() < 0.08:
        script.append(rng.choice(UNUSABLE))
    city = rng.choice([c.name for c in policy.serviceable_cities]) if rng.random() < 0.72 else rng.choice(OTHER_CITIES)
    script.append((f"I live in {city}", _city(city, policy, rng)))
    return script


def _employment(value: Employment, rng: random.Random) -> Understanding:
    return Understanding(Intent.ANSWER, employment=Slot(value, round(rng.uniform(0.7, 0.99), 2)))


def _salary(monthly: int, policy: Policy, rng: random.Random) -> Understanding:
    answer = SalaryAnswer(monthly, monthly >= policy.min_monthly_salary)
    return Understanding(Intent.ANSWER, salary=Slot(answer, round(rng.uniform(0.6, 0.99), 2)))


def _city(name: str, policy: Policy, rng: random.Random) -> Understanding:
    answer = CityAnswer(name, policy.city_for(name) is not None)
    return Understanding(Intent.ANSWER, city=Slot(answer, round(rng.uniform(0.6, 0.99), 2)))
