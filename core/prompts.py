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
    CONFIRM_SALARIED = "confirm_salaried"
    CONFIRM_NOT_SALARIED = "confirm_not_salaried"
    CONFIRM_AMOUNT = "confirm_amount"
    CONFIRM_MEETS_MINIMUM = "confirm_meets_minimum"
    CONFIRM_BELOW_MINIMUM = "confirm_below_minimum"
    CONFIRM_CITY = "confirm_city"
    CONFIRM_DENIED = "confirm_denied"


READ_BACK_VALUES = {PromptKey.CONFIRM_AMOUNT: "amount", PromptKey.CONFIRM_CITY: "city"}
"""Read-back prompts that carry what was heard: the placeholder each one fills at call time."""


def speakable_rupees(amount: int) -> str:
    """An amount as a TTS voice reads it well, in Indian numbering ("one lakh fifty thousand")."""
    return num2words(amount, lang="en_IN").replace(",", "")


@dataclass(frozen=True)
class PromptBook:
    """Every fixed sentence the bot can say, already filled in; keyed by PromptKey."""

    language: str
    texts: dict[PromptKey, str]

    cities: tuple[str, ...] = ()
    """The served cities' names, whose read-backs are pre-rendered like the fixed prompts."""

    def __getitem__(self, key: PromptKey) -> str:
        return self.texts[key]

    def fill(self, key: PromptKey, values: dict[str, str]) -> str:
        """A prompt with what was heard filled in ("Did you say forty thousand rupees?")."""
        name = READ_BACK_VALUES.get(key)
        return self.texts[key] if name is None else self.texts[key].replace("{" + name + "}", values[name])

    def all_texts(self) -> list[str]:
        """Every distinct prompt text, for pre-rendering the prompt-audio cache: the fixed prompts and the
        city read-backs for the served cities (an amount's read-back is rendered once, then cached)."""
        fixed = {text for key, text in self.texts.items() if key not in READ_BACK_VALUES}
        cities = {self.fill(PromptKey.CONFIRM_CITY, {"city": city}) for city in self.cities}
        return sorted(fixed | cities)


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
    values.update({name: "{" + name + "}" for name in READ_BACK_VALUES.values()})  # filled at call time
    texts = {key: templates[key.value].format(**values) for key in PromptKey}
    cities = tuple(city.name for city in policy.serviceable_cities)
    return PromptBook(language=raw.get("language", "en"), texts=texts, cities=cities)
