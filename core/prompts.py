"""The bot's exact words, loaded from `resources/prompts.json` and made speakable from the policy."""

from __future__ import annotations

import json
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from num2words import num2words

from core.policy import Policy
from core.resources import resource_path


class PromptKey(StrEnum):
    GREETING = "greeting"
    ASK_EMPLOYMENT = "ask_employment"
    ASK_EMPLOYMENT_RETRY = "ask_employment_retry"
    ASK_SALARY = "ask_salary"
    ASK_SALARY_RETRY = "ask_salary_retry"
    ASK_CITY = "ask_city"
    ASK_CITY_RETRY = "ask_city_retry"
    STILL_THERE = "still_there"
    REPEAT_LEAD = "repeat_lead"
    KEYPAD_YES_NO = "keypad_yes_no"
    KEYPAD_AMOUNT = "keypad_amount"
    ELIGIBLE = "eligible"
    NOT_ELIGIBLE_LEAD = "not_eligible_lead"
    REASON_NOT_SALARIED = "reason_not_salaried"
    REASON_SALARY_BELOW_MINIMUM = "reason_salary_below_minimum"
    REASON_CITY_NOT_SERVICEABLE = "reason_city_not_serviceable"
    GOODBYE = "goodbye"
    INCOMPLETE = "incomplete"


def speakable_rupees(amount: int) -> str:
    """An amount as a TTS voice reads it well, in Indian numbering ("one lakh fifty thousand")."""
    return num2words(amount, lang="en_IN").replace(",", "")


@dataclass(frozen=True)
class PromptBook:
    """Every fixed sentence the bot can say, already filled in; keyed by PromptKey."""

    language: str
    texts: dict[PromptKey, str]

    def __getitem__(self, key: PromptKey) -> str:
        return self.texts[key]

    def all_texts(self) -> list[str]:
        """Every distinct prompt text, for pre-rendering the prompt-audio cache."""
        return sorted(set(self.texts.values()))


DEFAULT_PROMPTS_PATH = resource_path("prompts.json")


def load_prompts(policy: Policy, path: Path | None = None) -> PromptBook:
    """Load the prompt file and fill in policy values; a missing key is an error naming it."""
    path = path or DEFAULT_PROMPTS_PATH
    raw = json.loads(path.read_text(encoding="utf-8"))
    templates: dict[str, str] = raw["prompts"]
    missing = [key.value for key in PromptKey if key.value not in templates]
    if missing:
        raise ValueError(f"prompt file {path} lacks: {', '.join(missing)}")
    values = {"min_salary": speakable_rupees(policy.min_monthly_salary)}
    texts = {key: templates[key.value].format(**values) for key in PromptKey}
    return PromptBook(language=raw.get("language", "en"), texts=texts)
