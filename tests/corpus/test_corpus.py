"""The conversation corpus played through the public `python -m app simulate` contract, end to end."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from core.dialogue.table import QUESTION_OF, TERMINAL_STATES
from core.policy import Policy, load_policy
from core.prompts import PromptBook, PromptKey, load_prompts

ROOT = Path(__file__).resolve().parents[2]
CORPUS = Path(__file__).with_name("conversations.jsonl")
OUTCOMES = {"eligible", "not_eligible", "incomplete"}
REASON_ORDER = ["not_salaried", "salary_below_minimum", "city_not_serviceable"]
ASKING = {state.value for state in QUESTION_OF}
TERMINAL = {state.value for state in TERMINAL_STATES}


def simulate(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    """Run the simulator CLI the way a user does."""
    return subprocess.run(
        [sys.executable, "-m", "app", "simulate", *args],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=300,
    )


def load_corpus() -> list[dict[str, Any]]:
    return [json.loads(line) for line in CORPUS.read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.fixture(scope="module")
def policy() -> Policy:
    return load_policy()


@pytest.fixture(scope="module")
def prompts(policy: Policy) -> PromptBook:
    return load_prompts(policy)


@pytest.fixture(scope="module")
def corpus() -> list[dict[str, Any]]:
    return load_corpus()


@pytest.fixture(scope="module")
def results(corpus: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Every corpus conversation's simulate result, from one batch run, keyed by id."""
    done = simulate("--json", "--batch", str(CORPUS))
    assert done.returncode == 0, done.stderr
    lines = [json.loads(line) for line in done.stdout.splitlines() if line.strip()]
    assert [line["id"] for line in lines] == [item["id"] for item in corpus], "one result per line, in order"
    return {line["id"]: line for line in lines}


def test_corpus_is_large_varied_and_well_formed(corpus: list[dict[str, Any]]) -> None:
    ids = [item["id"] for item in corpus]
    assert len(ids) >= 170
    assert len(set(ids)) == len(ids), "ids must be unique"
    outcomes = [item["expect"]["outcome"] for item in corpus]
    for outcome in OUTCOMES:
        assert outcomes.count(outcome) >= 20, f"too few {outcome} conversations"
    for item in corpus:
        assert isinstance(item["turns"], list) and all(isinstance(t, str) for t in item["turns"]), item["id"]
        expect = item["expect"]
        assert expect["outcome"] in OUTCOMES, item["id"]
        assert set(expect["answers"]) == {"employment", "monthly_salary", "city"}, item["id"]
        assert expect["reasons"] == [r for r in REASON_ORDER if r in expect["reasons"]], item["id"]


def test_corpus_expectations_agree_with_policy(corpus: list[dict[str, Any]], policy: Policy) -> None:
    """A typo in an expectation must not pass silently: outcome and reasons follow from the answers."""
    serviceable = {city.name for city in policy.serviceable_cities}
    for item in corpus:
        expect = item["expect"]
        answers, outcome, reasons = expect["answers"], expect["outcome"], expect["reasons"]
        salary = answers["monthly_salary"]
        implied = []
        if answers["employment"] == "not_salaried":
            implied.append("not_salaried")
        if salary is not None and salary < policy.min_monthly_salary:
            implied.append("salary_below_minimum")
        if answers["city"] is not None and answers["city"] not in serviceable:
            implied.append("city_not_serviceable")
        if outcome == "eligible":
            assert answers["employment"] == "salaried" and answers["city"] in serviceable, item["id"]
            assert not implied and not reasons, item["id"]
        elif outcome == "not_eligible":
            assert reasons, item["id"]
            # a bare "no" to the threshold question fails salary without an amount
            assert [r for r in reasons if not (r == "salary_below_minimum" and salary is None)] == implied, item["id"]
        else:
            assert not reasons and not implied, item["id"]


def test_corpus_outcomes_reasons_and_answers(corpus: list[dict[str, Any]], results: dict[str, dict[str, Any]]) -> None:
    mismatches = []
    for item in corpus:
        got = results[item["id"]]
        got_view = {"outcome": got["outcome"], "reasons": got["reasons"], "answers": got["answers"]}
        if got_view != item["expect"]:
            mismatches.append(
                f"{item['id']}: turns={item['turns']}\n    expected {item['expect']}\n    got      {got_view}"
            )
    assert not mismatches, f"{len(mismatches)}/{len(corpus)} conversations differ:\n" + "\n".join(mismatches)


def test_corpus_turns_shape(
    corpus: list[dict[str, Any]], results: dict[str, dict[str, Any]], policy: Policy, prompts: PromptBook
) -> None:
    opening = f"{prompts[PromptKey.GREETING]} {prompts[PromptKey.ASK_EMPLOYMENT]}"
    for item in corpus:
        got = results[item["id"]]
        turns = got["turns"]
        assert got["policy_version"] == policy.version
        assert turns and turns[0]["state"] == "ASK_EMPLOYMENT" and turns[0]["bot"] == opening, item["id"]
        for turn in turns:
            assert {"state", "bot", "caller"} <= set(turn), item["id"]
            assert isinstance(turn["bot"], str) and turn["bot"].strip(), item["id"]
        for turn in turns[:-1]:
            assert turn["state"] in ASKING and isinstance(turn["caller"], str), item["id"]
        last = turns[-1]
        assert last["caller"] is None, item["id"]
        callers = [turn["caller"] for turn in turns[:-1]]
        assert callers == item["turns"][: len(callers)], f"{item['id']}: replies are heard in order"
        if last["state"] in ASKING:
            assert callers == item["turns"], f"{item['id']}: the call only stops early when it has ended"
            assert got["outcome"] == "incomplete", item["id"]
        else:
            assert last["state"] in TERMINAL and last["state"] == got["outcome"].upper(), item["id"]


def test_every_conversation_is_bounded(
    corpus: list[dict[str, Any]], results: dict[str, dict[str, Any]], policy: Policy
) -> None:
    """Per question at most max_attempts honoured repeats plus max_attempts failures; plus the opening."""
    bound = 1 + 3 * 2 * policy.max_attempts
    for item in corpus:
        assert len(results[item["id"]]["turns"]) <= min(bound, len(item["turns"]) + 1), item["id"]


def test_stdin_json_mode_one_line_per_prompt() -> None:
    done = simulate("--json", stdin="\nyes\n40000\nMumbai\n")
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["outcome"] == "eligible" and result["reasons"] == []
    assert result["answers"] == {"employment": "salaried", "monthly_salary": 40000, "city": "Mumbai"}
    assert [turn["caller"] for turn in result["turns"]] == ["", "yes", "40000", "Mumbai", None]


def test_stdin_replies_running_out_is_incomplete() -> None:
    done = simulate("--json", stdin="yes\n")
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["outcome"] == "incomplete"
    assert result["answers"] == {"employment": "salaried", "monthly_salary": None, "city": None}


def test_readable_mode_is_a_transcript_not_json(prompts: PromptBook) -> None:
    done = simulate(stdin="no\n")
    assert done.returncode == 0, done.stderr
    with pytest.raises(json.JSONDecodeError):
        json.loads(done.stdout)
    assert prompts[PromptKey.ASK_EMPLOYMENT] in done.stdout
    assert prompts[PromptKey.REASON_NOT_SALARIED] in done.stdout
    assert "not_eligible" in done.stdout


def test_batch_ids_come_back_in_order(tmp_path: Path) -> None:
    batch = tmp_path / "batch.jsonl"
    lines = [{"id": "b", "turns": ["no"]}, {"id": 7, "turns": []}, {"id": "a", "turns": ["yes", "no"]}]
    batch.write_text("\n".join(json.dumps(line) for line in lines) + "\n", encoding="utf-8")
    done = simulate("--json", "--batch", str(batch))
    assert done.returncode == 0, done.stderr
    got = [json.loads(line) for line in done.stdout.splitlines()]
    assert [(r["id"], r["outcome"]) for r in got] == [("b", "not_eligible"), (7, "incomplete"), ("a", "not_eligible")]


def _assert_one_line_failure(done: subprocess.CompletedProcess[str]) -> None:
    assert done.returncode != 0
    assert "Traceback" not in done.stderr + done.stdout
    assert len(done.stderr.strip().splitlines()) == 1, done.stderr
    assert done.stdout == ""


def test_unknown_flag_fails_in_one_line() -> None:
    _assert_one_line_failure(simulate("--jsno"))


def test_missing_batch_file_fails_in_one_line(tmp_path: Path) -> None:
    done = simulate("--json", "--batch", str(tmp_path / "absent.jsonl"))
    _assert_one_line_failure(done)
    assert "absent.jsonl" in done.stderr


def test_non_json_batch_line_fails_in_one_line(tmp_path: Path) -> None:
    batch = tmp_path / "bad.jsonl"
    batch.write_text('{"id": 1, "turns": ["yes"]}\nthis is not json\n', encoding="utf-8")
    done = simulate("--json", "--batch", str(batch))
    _assert_one_line_failure(done)
    assert ":2" in done.stderr, "the message names the bad line"
