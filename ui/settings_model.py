"""Kiosk settings: one typed record, validated, persisted with QSettings; bad stored values fall back."""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from enum import StrEnum

from PySide6.QtCore import QSettings

ORGANISATION = "QuickRupee"
APPLICATION = "QuickRupee Voice Kiosk"


class Duplex(StrEnum):
    FULL = "full"  # echo cancelled, the visitor may interrupt the bot
    HALF = "half"  # microphone gated while the bot speaks


ENGINES = ("offline", "openai")
DEFAULT_PIN = "2580"
"""The factory staff PIN (README); the staff page asks for a new one while this is still set."""


@dataclass(frozen=True, slots=True)
class KioskSettings:
    """Everything a deployer can change; empty device names mean the system default."""

    input_device: str = ""
    output_device: str = ""
    engine: str = "offline"
    voice: str = ""
    speaking_rate: float = 1.0
    end_of_turn_ms: int = 800
    duplex: str = Duplex.FULL.value
    idle_reset_s: int = 90
    outcome_reset_s: int = 20
    exit_pin: str = DEFAULT_PIN
    language: str = "en"

    def problems(self) -> dict[str, str]:
        """Field name -> plain-words problem; empty when the settings can be used."""
        found: dict[str, str] = {}
        if self.engine not in ENGINES:
            found["engine"] = f"Speech engine must be one of: {', '.join(ENGINES)}."
        if not 0.5 <= self.speaking_rate <= 2.0:
            found["speaking_rate"] = "Speaking rate must be between 0.5 and 2.0."
        if not 300 <= self.end_of_turn_ms <= 3000:
            found["end_of_turn_ms"] = "End-of-turn silence must be between 300 and 3000 ms."
        if self.duplex not in {d.value for d in Duplex}:
            found["duplex"] = "Echo handling must be full-duplex or half-duplex."
        if not 15 <= self.idle_reset_s <= 1800:
            found["idle_reset_s"] = "Idle reset must be between 15 and 1800 seconds."
        if not 3 <= self.outcome_reset_s <= 300:
            found["outcome_reset_s"] = "Reset after the outcome must be between 3 and 300 seconds."
        if not (self.exit_pin.isdigit() and 4 <= len(self.exit_pin) <= 8):
            found["exit_pin"] = "The exit PIN must be 4 to 8 digits."
        if self.language not in ("en", "hi"):
            found["language"] = "Language must be English or Hindi."
        return found


def load_settings(store: QSettings) -> tuple[KioskSettings, list[str]]:
    """Stored settings, each unreadable or invalid field replaced by its default (and named in the notes)."""
    defaults = KioskSettings()
    values: dict[str, object] = {}
    notes: list[str] = []
    for field in fields(KioskSettings):
        default = getattr(defaults, field.name)
        raw = store.value(field.name, default)
        try:
            values[field.name] = type(default)(raw)
        except (TypeError, ValueError):
            notes.append(f"Setting '{field.name}' was unreadable and was reset to its default.")
            values[field.name] = default
    settings = KioskSettings(**values)  # type: ignore[arg-type]
    for name, problem in settings.problems().items():
        notes.append(f"{problem} Using the default.")
        settings = replace(settings, **{name: getattr(defaults, name)})
    return settings, notes


def save_settings(store: QSettings, settings: KioskSettings) -> None:
    """Persist valid settings only; the dialog refuses to close on invalid ones."""
    problems = settings.problems()
    if problems:
        raise ValueError("; ".join(problems.values()))
    for field in fields(KioskSettings):
        store.setValue(field.name, getattr(settings, field.name))
    store.sync()


def default_store() -> QSettings:
    return QSettings(ORGANISATION, APPLICATION)
