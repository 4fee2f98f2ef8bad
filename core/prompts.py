"""The bot's exact words, loaded from `resources/prompts.json` (English) or `prompts.<language>.json`
(Hindi: `prompts.hi.json`) and made speakable from the policy."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

from num2words import num2words

from core.language import DEFAULT_LANGUAGE, check_language
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


def speakable_rupees(amount: int, language: str = DEFAULT_LANGUAGE) -> str:
    """An amount as a TTS voice reads it well, in Indian numbering ("one lakh fifty thousand",
    "एक लाख पचास हज़ार")."""
    if check_language(language) == "hi":
        from core.hindi_numbers import hindi_words

        return hindi_words(amount)
    return num2words(amount, lang="en_IN").replace(",", "")


@dataclass(frozen=True)
class PromptBook:
    """Every fixed sentence the bot can say, already filled in; keyed by PromptKey."""

    language: str
    """The file's locale ("en-IN", "hi-IN")."""
    texts: dict[PromptKey, str]
    cities: tuple[str, ...] = ()
    """The served cities' names, whose read-backs are pre-rendered like the fixed prompts."""
    city_names: dict[str, str] = field(default_factory=dict)
    """How this language says a city the gazetteer names in English ("Mumbai" -> "मुंबई"), where it differs."""

    @property
    def code(self) -> str:
        """The short language code the rest of the app uses ("en", "hi"; CallRecord.language)."""
        return check_language(self.language)

    def __getitem__(self, key: PromptKey) -> str:
        return self.texts[key]

    def fill(self, key: PromptKey, values: dict[str, str]) -> str:
        """A prompt with what was heard filled in ("Did you say forty thousand rupees?")."""
        name = READ_BACK_VALUES.get(key)
        if name is None:
            return self.texts[key]
        value = values[name]
        if key is PromptKey.CONFIRM_AMOUNT:  # the dialogue passes rupees; words in the book's language
            value = speakable_rupees(int(value), self.language)
        elif key is PromptKey.CONFIRM_CITY:
            value = self.city_names.get(value, value)
        return self.texts[key].replace("{" + name + "}", value)

    def all_texts(self) -> list[str]:
        """Every distinct prompt text, for pre-rendering the prompt-audio cache: the fixed prompts and the
        city read-backs for the served cities (an amount's read-back is rendered once, then cached)."""
        fixed = {text for key, text in self.texts.items() if key not in READ_BACK_VALUES}
        cities = {self.fill(PromptKey.CONFIRM_CITY, {"city": city}) for city in self.cities}
        return sorted(fixed | cities)


DEFAULT_PROMPTS_PATH = resource_path("prompts.json")


def prompts_path(language: str = DEFAULT_LANGUAGE) -> Path:
    """The bundled prompt file for `language`: prompts.json for English, prompts.<code>.json otherwise."""
    code = check_language(language)
    return DEFAULT_PROMPTS_PATH if code == DEFAULT_LANGUAGE else resource_path(f"prompts.{code}.json")


def load_prompts(policy: Policy, path: Path | None = None, *, language: str = DEFAULT_LANGUAGE) -> PromptBook:
    """Load the prompt file for `language` (or `path`) and fill in policy values.

    Every language's file must have exactly the keys of PromptKey: a missing key would leave the bot
    silent mid-call and an extra one is a typo or a file from another version, so either is an error
    naming the keys."""
    path = path or prompts_path(language)
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise ValueError(f"cannot read prompt file {path}: {exc}") from exc
    templates = raw.get("prompts") if isinstance(raw, dict) else None
    if not isinstance(templates, dict) or not all(isinstance(text, str) for text in templates.values()):
        raise ValueError(f'prompt file {path} needs "prompts": an object of key -> text')
    missing = [key.value for key in PromptKey if key.value not in templates]
    if missing:
        raise ValueError(f"prompt file {path} lacks: {', '.join(missing)}")
    extra = sorted(set(templates) - {key.value for key in PromptKey})
    if extra:
        raise ValueError(f"prompt file {path} has unknown keys: {', '.join(extra)}")
    locale = str(raw.get("language") or language)
    values = {"min_salary": speakable_rupees(policy.min_monthly_salary, locale)}
    values.update({name: "{" + name + "}" for name in READ_BACK_VALUES.values()})  # filled at call time
    try:
        texts = {key: templates[key.value].format(**values) for key in PromptKey}
    except (KeyError, IndexError, ValueError) as exc:
        raise ValueError(f"prompt file {path}: bad placeholder {exc}") from exc
    cities = tuple(city.name for city in policy.serviceable_cities)
    city_names = raw.get("city_names") or {}
    if not isinstance(city_names, dict) or not all(isinstance(v, str) for v in city_names.values()):
        raise ValueError(f"prompt file {path}: city_names must map city names to how they are said")
    return PromptBook(language=locale, texts=texts, cities=cities, city_names=city_names)
