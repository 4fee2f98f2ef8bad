"""Conversation scripts sampled from phrase templates, so the audio corpus is generated, never hand-picked."""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Any

from num2words import num2words

from core.policy import Policy

SALARIED = (
    "yes",
    "yes I am",
    "yes I am salaried",
    "yeah I am a salaried employee",
    "yes I work for a company",
    "I am salaried",
    "I work as a software engineer at Infosys",
    "I am an accountant in a private company",
    "I get a monthly salary from my company",
    "yes I have a job in a bank",
)
NOT_SALARIED = (
    "no",
    "no I am self employed",
    "no I run my own business",
    "I have my own shop",
    "no I do business",
    "I am a freelancer",
    "no I am not salaried",
)
AMOUNT_PHRASES = (
    "{amount}",
    "{amount} rupees",
    "my salary is {amount}",
    "my salary is {amount} rupees",
    "around {amount} per month",
    "I earn {amount} rupees a month",
    "it is about {amount}",
    "my take home is {amount} rupees",
)
# Phrases that also say yes or no to "at least the minimum?" must agree with the amount.
AMOUNT_ABOVE_PHRASES = ("yes it is {amount}", "yes I get {amount} rupees")
AMOUNT_BELOW_PHRASES = ("no it is only {amount}", "no I get {amount} rupees")
YES_NO_SALARY = {True: ("yes", "yes it is", "yes more than that"), False: ("no", "no it is less")}
CITY_PHRASES = ("{place}", "I live in {place}", "I stay in {place}", "I am from {place}", "in {place}")
# Serviceable cities as callers say them: policy name -> spoken names and well-known localities.
SERVICEABLE_SPOKEN = {
    "Delhi": (("Delhi", "New Delhi"), ("Dwarka", "Rohini", "Lajpat Nagar", "Karol Bagh")),
    "Mumbai": (("Mumbai", "Bombay"), ("Andheri", "Bandra", "Powai", "Borivali")),
    "Bangalore": (("Bangalore", "Bengaluru"), ("Whitefield", "Koramangala", "Indiranagar", "Jayanagar")),
}
OTHER_CITIES = ("Pune", "Chennai", "Hyderabad", "Kolkata", "Jaipur", "Lucknow", "Ahmedabad", "Chandigarh")
# Monthly salaries in thousands; the few lakh values exercise Indian numbering.
THOUSANDS = (*range(8, 100), 100, 120, 150, 200)


@dataclass(frozen=True, slots=True)
class Script:
    """One caller: what they say to each question and what the bot must conclude."""

    id: str
    turns: tuple[str, ...]
    outcome: str
    reasons: tuple[str, ...]
    employment: str
    monthly_salary: int | None
    city: str | None
    """The policy's name for a serviceable city; None when not asked or not serviceable (any name is fine)."""

    def expected(self) -> dict[str, Any]:
        """What the simulator result must contain, as JSON."""
        return {
            "outcome": self.outcome,
            "reasons": list(self.reasons),
            "answers": {"employment": self.employment, "monthly_salary": self.monthly_salary, "city": self.city},
        }


def spoken_amount(rupees: int) -> str:
    """Rupees in words as an Indian caller says them ("one lakh twenty thousand")."""
    return num2words(rupees, lang="en_IN").replace(",", "").replace("-", " ")


def _salary_turn(rng: random.Random, policy: Policy) -> tuple[str, int | None, bool]:
    """A salary reply: (text, amount or None for a bare yes/no, meets the minimum)."""
    rupees = rng.choice(THOUSANDS) * 1000 + (500 if rng.random() < 0.1 else 0)
    meets = rupees >= policy.min_monthly_salary
    style = rng.random()
    if style < 0.2:
        return rng.choice(YES_NO_SALARY[meets]), None, meets
    templates = AMOUNT_PHRASES + (AMOUNT_ABOVE_PHRASES if meets else AMOUNT_BELOW_PHRASES)
    return rng.choice(templates).format(amount=spoken_amount(rupees)), rupees, meets


def _city_turn(rng: random.Random, policy: Policy) -> tuple[str, str | None]:
    """A city reply: (text, the policy name when serviceable else None)."""
    if rng.random() < 0.7:
        name = rng.choice(sorted(SERVICEABLE_SPOKEN))
        if policy.city_for(name) is None:
            raise ValueError(f"the corpus expects {name} to be serviceable; update SERVICEABLE_SPOKEN")
        spoken, localities = SERVICEABLE_SPOKEN[name]
        city = rng.choice(spoken)
        place = f"{rng.choice(localities)} {city}" if rng.random() < 0.3 else city
        return rng.choice(CITY_PHRASES).format(place=place), name
    return rng.choice(CITY_PHRASES).format(place=rng.choice(OTHER_CITIES)), None


def sample_script(rng: random.Random, policy: Policy, script_id: str) -> Script:
    """One caller, answering in question order until the policy has decided."""
    if rng.random() >= 0.8:
        return Script(
            script_id, (rng.choice(NOT_SALARIED),), "not_eligible", ("not_salaried",), "not_salaried", None, None
        )
    turns = [rng.choice(SALARIED)]
    salary_text, rupees, meets = _salary_turn(rng, policy)
    turns.append(salary_text)
    if not meets:
        return Script(script_id, tuple(turns), "not_eligible", ("salary_below_minimum",), "salaried", rupees, None)
    city_text, city = _city_turn(rng, policy)
    turns.append(city_text)
    if city is None:
        return Script(script_id, tuple(turns), "not_eligible", ("city_not_serviceable",), "salaried", rupees, None)
    return Script(script_id, tuple(turns), "eligible", (), "salaried", rupees, city)


def sample_scripts(seed: int, count: int, policy: Policy) -> list[Script]:
    """`count` callers from one seed: the same seed always gives the same scripts."""
    rng = random.Random(seed)
    return [sample_script(rng, policy, f"c{index:03d}") for index in range(count)]
