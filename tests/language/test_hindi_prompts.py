"""Hindi prompts: the same keys as English, in Devanagari, validated at load; the language is chosen once."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from core.hindi_numbers import hindi_words
from core.language import LANGUAGE_ENV, LanguageError, asks_for_hindi, is_hindi, resolve_language
from core.policy import load_policy
from core.prompts import DEFAULT_PROMPTS_PATH, PromptKey, load_prompts, prompts_path

HINDI_SPEAKABLE = re.compile(r"[\u0900-\u097f][\u0900-\u097f ,?।]*")
"""Devanagari words and the pauses a voice reads; no digits, Latin letters, symbols or braces."""


def test_the_hindi_file_has_exactly_the_english_keys() -> None:
    english = json.loads(DEFAULT_PROMPTS_PATH.read_text(encoding="utf-8"))["prompts"]
    hindi = json.loads(prompts_path("hi").read_text(encoding="utf-8"))["prompts"]
    assert set(hindi) == set(english) == {key.value for key in PromptKey}


@pytest.mark.parametrize("key", list(PromptKey))
def test_every_hindi_prompt_is_devanagari_and_speakable(key: PromptKey) -> None:
    book = load_prompts(load_policy(), language="hi")
    text = book.fill(key, {"amount": "40000", "city": "Mumbai"})  # read-backs carry what was heard
    assert HINDI_SPEAKABLE.fullmatch(text), f"{key}: {text!r}"
    assert is_hindi(text)


def test_hindi_prompts_say_the_policy_minimum_in_hindi_words() -> None:
    book = load_prompts(load_policy(), language="hi")
    assert (book.language, book.code) == ("hi-IN", "hi")
    assert "पच्चीस हज़ार रुपये" in book[PromptKey.ASK_SALARY]
    assert "पच्चीस हज़ार रुपये" in book[PromptKey.REASON_SALARY_BELOW_MINIMUM]
    assert load_prompts(load_policy()).code == "en"


def _write(tmp_path: Path, prompts: dict[str, str]) -> Path:
    path = tmp_path / "prompts.hi.json"
    path.write_text(json.dumps({"language": "hi-IN", "prompts": prompts}, ensure_ascii=False), encoding="utf-8")
    return path


def _hindi_templates() -> dict[str, str]:
    return dict(json.loads(prompts_path("hi").read_text(encoding="utf-8"))["prompts"])


def test_a_missing_key_is_named(tmp_path: Path) -> None:
    templates = _hindi_templates()
    del templates["ask_city_retry"], templates["goodbye"]
    with pytest.raises(ValueError, match=r"lacks: ask_city_retry, goodbye"):
        load_prompts(load_policy(), _write(tmp_path, templates))


def test_an_extra_key_is_named(tmp_path: Path) -> None:
    templates = {**_hindi_templates(), "ask_citty": "आप कहाँ रहते हैं?"}
    with pytest.raises(ValueError, match=r"unknown keys: ask_citty"):
        load_prompts(load_policy(), _write(tmp_path, templates))


def test_a_broken_file_or_placeholder_is_one_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "prompts.hi.json"
    path.write_text("{not json", encoding="utf-8")
    with pytest.raises(ValueError, match="cannot read prompt file"):
        load_prompts(load_policy(), path)
    templates = {**_hindi_templates(), "ask_salary": "{minimum_salary} रुपये?"}
    with pytest.raises(ValueError, match="bad placeholder"):
        load_prompts(load_policy(), _write(tmp_path, templates))


@pytest.mark.parametrize(
    ("amount", "words"),
    [(25_000, "पच्चीस हज़ार"), (150_000, "एक लाख पचास हज़ार"), (99, "निन्यानवे"), (1_05_00_000, "एक करोड़ पांच लाख")],
)
def test_amounts_in_hindi_words(amount: int, words: str) -> None:
    assert hindi_words(amount) == words


def test_the_language_comes_from_the_flag_then_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(LANGUAGE_ENV, raising=False)
    assert resolve_language() == "en"
    monkeypatch.setenv(LANGUAGE_ENV, "hi")
    assert resolve_language() == "hi"
    assert resolve_language("en") == "en"
    assert resolve_language("hi-IN") == "hi"
    with pytest.raises(LanguageError, match=r"unknown language 'ta' \(available: en, hi\)"):
        resolve_language("ta")
    with pytest.raises(LanguageError):
        load_prompts(load_policy(), language="fr")


@pytest.mark.parametrize(
    ("reply", "wants_hindi"),
    [("2", True), ("2#", True), ("Hindi", True), ("हिंदी", True), ("हिन्दी में", True), ("Hindi please", True),
     ("yes", False), ("12", False), ("I am salaried", False), ("हाँ", False),
     ("I work at Hindi Motors in Pune", False)],
)  # fmt: skip
def test_asking_for_hindi(reply: str, wants_hindi: bool) -> None:
    assert asks_for_hindi(reply) is wants_hindi


def test_a_reply_written_in_devanagari_is_hindi() -> None:
    assert is_hindi("हाँ जी") and is_hindi("मैं दिल्ली में रहता हूँ")
    assert not is_hindi("Yes, I am salaried") and not is_hindi("") and not is_hindi("50,000")
