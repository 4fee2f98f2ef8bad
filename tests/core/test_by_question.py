"""The by-question simulated caller: `simulate --json --batch` lines with "by_question", "confirm", "truth"."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from app.by_question import MAX_PROMPTS, ByQuestion, same_place_for
from core.dialogue.conversation import Conversation
from core.dialogue.unsure import Hearing
from core.policy import load_policy
from core.prompts import load_prompts
from core.understanding import understand

ROOT = Path(__file__).resolve().parents[2]
POLICY = load_policy()
TRUTH = {"employment": "salaried", "monthly_salary": 40000, "city": "Mumbai", "meets_minimum": True}


def simulate(tmp_path: Path, *lines: dict[str, Any]) -> list[dict[str, Any]]:
    batch = tmp_path / "batch.jsonl"
    batch.write_text("".join(json.dumps(line) + "\n" for line in lines))
    done = subprocess.run(
        [sys.executable, "-m", "app", "simulate", "--json", "--no-record", "--batch", str(batch)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return [json.loads(line) for line in done.stdout.splitlines()]


def test_each_question_gets_its_own_replies_in_order(tmp_path: Path) -> None:
    [result] = simulate(
        tmp_path,
        {
            "id": "x",
            "by_question": {"employment": ["umm", "yes"], "salary": ["forty thousand"], "city": ["Bombay"]},
            "truth": TRUTH,
        },
    )
    assert result["id"] == "x"
    assert (result["outcome"], result["answers"]) == (
        "eligible",
        {"employment": "salaried", "monthly_salary": 40000, "city": "Mumbai"},
    )
    assert [turn["caller"] for turn in result["turns"][:-1]] == ["umm", "yes", "forty thousand", "Bombay"]
    assert result["confirmations"] == []


def test_the_last_reply_repeats_and_a_missing_question_is_silence(tmp_path: Path) -> None:
    [ran_out, silent] = simulate(
        tmp_path,
        {"id": 1, "by_question": {"employment": ["umm"]}},
        {"id": 2, "by_question": {"employment": ["yes"], "salary": ["50000"]}},
    )
    assert ran_out["outcome"] == "incomplete"
    assert [turn["caller"] for turn in ran_out["turns"][:-1]] == ["umm"] * POLICY.max_attempts
    assert silent["outcome"] == "incomplete"
    assert [turn["caller"] for turn in silent["turns"][2:-1]] == [""] * POLICY.max_attempts


def test_the_call_is_cut_off_after_twelve_prompts(tmp_path: Path) -> None:
    stalling = ["pardon?"] * POLICY.max_attempts
    [result] = simulate(
        tmp_path,
        {
            "id": "long",
            "by_question": {
                "employment": [*stalling, "yes"],
                "salary": [*stalling, "50000"],
                "city": [*stalling, "Delhi"],
            },
        },
    )
    assert result["outcome"] == "incomplete"
    assert len(result["turns"]) == MAX_PROMPTS
    assert result["turns"][-1]["caller"] is None


def test_the_two_older_line_shapes_still_work(tmp_path: Path) -> None:
    [typed, by_question] = simulate(
        tmp_path, {"id": "old", "turns": ["yes", "no"]}, {"id": "new", "by_question": {"employment": ["no"]}}
    )
    assert typed["outcome"] == by_question["outcome"] == "not_eligible"


@pytest.mark.parametrize(
    "line",
    [
        {"by_question": {"salary": "forty"}},
        {"by_question": {"age": ["30"]}},
        {"by_question": {}, "confirm": {"maybe": "x"}},
        {"by_question": {}, "truth": {"age": 30}},
        {"by_question": {}, "audio": "yes"},
    ],
)
def test_a_bad_by_question_line_is_one_clear_error(tmp_path: Path, line: dict[str, Any]) -> None:
    batch = tmp_path / "bad.jsonl"
    batch.write_text(json.dumps(line) + "\n")
    done = subprocess.run(
        [sys.executable, "-m", "app", "simulate", "--json", "--no-record", "--batch", str(batch)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
        check=False,
    )
    assert done.returncode == 2 and done.stdout == ""
    assert "bad.jsonl:1" in done.stderr and len(done.stderr.strip().splitlines()) == 1


# --- read-backs are answered from the truth ------------------------------------------------


def caller(truth: dict[str, Any]) -> ByQuestion[str]:
    return ByQuestion(
        replies={"employment": ["haan"], "salary": ["forty thousand"], "city": ["Boona"]},
        confirm={"yes": "YES", "no": "NO"},
        truth=truth,
        silence="",
        same_place=same_place_for(POLICY),
        minimum=POLICY.min_monthly_salary,
    )


def test_a_read_back_is_confirmed_only_when_it_matches_the_truth() -> None:
    conversation = Conversation(POLICY, load_prompts(POLICY), understand)
    conversation.start()
    conversation.reply("Nahi.", hearing=Hearing(confidence=0.3))  # unsure: read back "not salaried"
    assert conversation.read_back == ("employment", "not_salaried")
    assert caller(TRUTH).next_reply(conversation) == "NO"
    assert caller({**TRUTH, "employment": "not_salaried"}).next_reply(conversation) == "YES"


@pytest.mark.parametrize(
    ("slot", "heard", "truth", "answer"),
    [
        ("monthly_salary", 40000, TRUTH, True),
        ("monthly_salary", 45000, TRUTH, False),
        ("meets_minimum", True, TRUTH, False),  # an amount is known: only that amount matches
        ("monthly_salary", 45000, {"monthly_salary": None, "meets_minimum": True}, True),
        ("monthly_salary", 20000, {"monthly_salary": None, "meets_minimum": True}, False),
        ("meets_minimum", False, {"monthly_salary": None, "meets_minimum": False}, True),
        ("city", "Mumbai", {"city": "Bombay"}, True),
        ("city", "Bangalore", {"city": "Bengaluru"}, True),
        ("city", "Pune", {"city": "Mumbai"}, False),
        ("employment", "salaried", TRUTH, True),
    ],
)
def test_matching_rules(slot: str, heard: object, truth: dict[str, Any], answer: bool) -> None:
    assert caller(truth).matches(slot, heard) is answer
