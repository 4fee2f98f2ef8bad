"""Eligibility policy: a versioned data file, validated at load so a bad field is named, never guessed."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from core.resources import resource_path


class PolicyError(ValueError):
    """The policy file is missing, unreadable or has a bad field."""


class ServiceableCity(BaseModel):
    """A city the lender serves, with the names callers and recognisers use for it."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str = Field(min_length=1)
    aliases: tuple[str, ...] = ()

    @field_validator("aliases")
    @classmethod
    def _no_blank_alias(cls, aliases: tuple[str, ...]) -> tuple[str, ...]:
        if any(not alias.strip() for alias in aliases):
            raise ValueError("aliases must not be blank")
        return aliases

    def names(self) -> tuple[str, ...]:
        """The canonical name and every alias."""
        return (self.name, *self.aliases)


class Policy(BaseModel):
    """The rules a screening call is decided by."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    version: str = Field(min_length=1)
    min_monthly_salary: int = Field(gt=0, le=10_000_000)
    max_attempts: int = Field(ge=1, le=10)
    serviceable_cities: tuple[ServiceableCity, ...] = Field(min_length=1)
    salary_basis: Literal["take_home", "ctc"] = "take_home"
    """Which figure the minimum applies to when a caller gives both: the monthly take-home (in hand, after
    deductions) or the cost to company (gross package) made monthly."""

    def meets_minimum(self, monthly: int) -> bool:
        """Whether a monthly salary satisfies the policy (the minimum itself does)."""
        return monthly >= self.min_monthly_salary

    def city_for(self, name: str) -> ServiceableCity | None:
        """The serviceable city a name (canonical or alias, any case) refers to, if any."""
        wanted = name.strip().casefold()
        for city in self.serviceable_cities:
            if any(wanted == known.casefold() for known in city.names()):
                return city
        return None


DEFAULT_POLICY_PATH = resource_path("policy.json")


def load_policy(path: Path | None = None) -> Policy:
    """Load and validate a policy file; raise PolicyError naming the file and the bad field."""
    path = path or DEFAULT_POLICY_PATH
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise PolicyError(f"cannot read policy file {path}: {exc.strerror or exc}") from exc
    except json.JSONDecodeError as exc:
        raise PolicyError(f"policy file {path} is not valid JSON: {exc.msg} at line {exc.lineno}") from exc
    try:
        return Policy.model_validate(raw)
    except ValidationError as exc:
        first = exc.errors()[0]
        field = ".".join(str(part) for part in first["loc"]) or "(root)"
        raise PolicyError(f"policy file {path}: field '{field}': {first['msg']}") from exc
