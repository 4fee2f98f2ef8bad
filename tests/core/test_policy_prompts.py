"""Policy loading and validation, and prompt loading: a bad file is named precisely, every prompt is speakable."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from core.policy import DEFAULT_POLICY_PATH, PolicyError, load_policy
from core.prompts import DEFAULT_PROMPTS_PATH, PromptKey, load_prompts, speakable_rupees

SPEAKABLE = re.compile(r"[A-Za-z][A-Za-z .,?!'\-]*")
"""Words and the punctuation a TTS voice pauses on; no digits, currency signs, slashes or braces."""


def default_raw() -> dict[str, Any]:
    return json.loads(DEFAULT_POLICY_PATH.read_text(encoding="utf-8"))


def write(tmp_path: Path, data: Any, name: str = "policy.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


# --- policy --------------------------------------------------------------------------


def test_default_policy_is_the_published_rules() -> None:
    policy = load_policy()
    assert policy.version
    assert policy.min_monthly_salary == 25_000
    assert policy.max_attempts == 3
    assert [city.name for city in policy.serviceable_cities] == ["Delhi", "Mumbai", "Bangalore"]


@pytest.mark.parametrize(
    ("said", "city"),
    [("Delhi", "Delhi"), ("new delhi", "Delhi"), ("  BOMBAY ", "Mumbai"), ("Bengaluru", "Bangalore")],
)
def test_city_for_knows_names_and_aliases_in_any_case(said: str, city: str) -> None:
    found = load_policy().city_for(said)
    assert found is not None and found.name == city


@pytest.mark.parametrize("said", ["Pune", "", "Delhi Mumbai"])
def test_city_for_rejects_other_names(said: str) -> None:
    assert load_policy().city_for(said) is None


def test_policy_is_immutable() -> None:
    with pytest.raises(ValidationError):
        load_policy().min_monthly_salary = 1  # type: ignore[misc]


def test_missing_policy_file_is_named(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere.json"
    with pytest.raises(PolicyError, match=r"cannot read policy file .*nowhere\.json"):
        load_policy(missing)


def test_bad_json_is_named_with_its_line(tmp_path: Path) -> None:
    path = tmp_path / "policy.json"
    path.write_text('{\n  "version": "x",\n  oops\n}', encoding="utf-8")
    with pytest.raises(PolicyError, match=r"policy.json is not valid JSON: .* at line 3"):
        load_policy(path)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (lambda raw: raw.pop("max_attempts"), "max_attempts"),
        (lambda raw: raw.pop("version"), "version"),
        (lambda raw: raw.update(min_monthly_salary="lots"), "min_monthly_salary"),
        (lambda raw: raw.update(min_monthly_salary=-5), "min_monthly_salary"),
        (lambda raw: raw.update(max_attempts=0), "max_attempts"),
        (lambda raw: raw.update(max_attempts=2.5), "max_attempts"),
        (lambda raw: raw.update(version=""), "version"),
        (lambda raw: raw.update(serviceable_cities=[]), "serviceable_cities"),
        (lambda raw: raw.update(serviceable_cities="Delhi"), "serviceable_cities"),
        (lambda raw: raw["serviceable_cities"][1].update(aliases=["Bombay", " "]), "serviceable_cities.1.aliases"),
        (lambda raw: raw["serviceable_cities"][2].pop("name"), "serviceable_cities.2.name"),
        (lambda raw: raw.update(minimum_salary=25000), "minimum_salary"),
    ],
)
def test_a_bad_field_is_named(tmp_path: Path, change: Any, field: str) -> None:
    raw = default_raw()
    change(raw)
    with pytest.raises(PolicyError, match=rf"field '{re.escape(field)}'"):
        load_policy(write(tmp_path, raw))


def test_a_non_object_policy_is_rejected(tmp_path: Path) -> None:
    with pytest.raises(PolicyError, match="field"):
        load_policy(write(tmp_path, ["not", "a", "policy"]))


def test_a_valid_custom_policy_loads(tmp_path: Path) -> None:
    raw = default_raw()
    raw.update(version="test-1", min_monthly_salary=30_000, max_attempts=5)
    policy = load_policy(write(tmp_path, raw))
    assert (policy.version, policy.min_monthly_salary, policy.max_attempts) == ("test-1", 30_000, 5)


# --- prompts -------------------------------------------------------------------------


def test_every_prompt_is_loaded_and_filled_in() -> None:
    book = load_prompts(load_policy())
    assert set(book.texts) == set(PromptKey)
    assert book.language == "en-IN"
    for key, text in book.texts.items():
        text = book.fill(key, {"amount": "40000", "city": "Mumbai"})
        assert text.strip(), key
        assert "{" not in text and "}" not in text, key
    assert book.fill(PromptKey.CONFIRM_AMOUNT, {"amount": "40000"}) == "Did you say forty thousand rupees?"
    hindi = load_prompts(load_policy(), language="hi")
    assert "चालीस हज़ार" in hindi.fill(PromptKey.CONFIRM_AMOUNT, {"amount": "40000"}), "amounts in the call's language"
    assert speakable_rupees(25_000) in book[PromptKey.ASK_SALARY]
    assert speakable_rupees(25_000) in book[PromptKey.REASON_SALARY_BELOW_MINIMUM]


@pytest.mark.parametrize("key", list(PromptKey))
def test_every_prompt_is_speakable(key: PromptKey) -> None:
    """A TTS voice reads digits and symbols unpredictably ("1" as "one" or "first", "/-" aloud)."""
    text = load_prompts(load_policy()).fill(key, {"amount": "40000", "city": "Bangalore"})
    assert SPEAKABLE.fullmatch(text), f"{key}: {text!r} has digits or symbols"


def test_prompts_follow_the_policy_minimum(tmp_path: Path) -> None:
    raw = default_raw()
    raw["min_monthly_salary"] = 150_000
    book = load_prompts(load_policy(write(tmp_path, raw)))
    assert "one lakh fifty thousand rupees" in book[PromptKey.ASK_SALARY]


@pytest.mark.parametrize(
    ("amount", "spoken"),
    [(25_000, "twenty-five thousand"), (150_000, "one lakh fifty thousand"), (1_234_567, "twelve lakh")],
)
def test_speakable_rupees_uses_indian_numbering_without_digits(amount: int, spoken: str) -> None:
    text = speakable_rupees(amount)
    assert text.startswith(spoken)
    assert SPEAKABLE.fullmatch(text)


def test_all_texts_are_distinct_and_sorted() -> None:
    book = load_prompts(load_policy())
    texts = book.all_texts()
    read_backs = {PromptKey.CONFIRM_AMOUNT, PromptKey.CONFIRM_CITY}
    fixed = {text for key, text in book.texts.items() if key not in read_backs}
    cities = {f"Did you say {city}?" for city in ("Delhi", "Mumbai", "Bangalore")}
    assert texts == sorted(fixed | cities), "fixed prompts and served-city read-backs; no placeholders"
    assert book[PromptKey.GOODBYE] in texts


def test_a_missing_prompt_is_named(tmp_path: Path) -> None:
    raw = json.loads(DEFAULT_PROMPTS_PATH.read_text(encoding="utf-8"))
    del raw["prompts"]["still_there"]
    path = write(tmp_path, raw, "prompts.json")
    with pytest.raises(ValueError, match="lacks: still_there"):
        load_prompts(load_policy(), path)
