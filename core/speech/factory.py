"""Pick a speech engine by name ("offline", "openai"); the one place front ends create engines."""

from __future__ import annotations

import os
from collections.abc import Callable

from core.speech.engine import EngineUnavailable, SpeechEngine
from core.speech.settings import ENGINE_ENV, SpeechSettings

DEFAULT_ENGINE = "offline"


def _offline(settings: SpeechSettings) -> SpeechEngine:
    from core.speech.offline import OfflineEngine

    return OfflineEngine(settings)


def _openai(settings: SpeechSettings) -> SpeechEngine:
    from core.speech.openai_realtime.engine import create_realtime_engine

    return create_realtime_engine(lambda: _offline(settings))


ENGINES: dict[str, Callable[[SpeechSettings], SpeechEngine]] = {"offline": _offline, "openai": _openai}
"""Engine name -> loader. Other engines register here (imported lazily, so unused ones cost nothing)."""


def engine_name(name: str | None = None) -> str:
    """The engine to use: the explicit name, else $QUICKRUPEE_ENGINE, else offline."""
    return name or os.environ.get(ENGINE_ENV) or DEFAULT_ENGINE


def create_engine(name: str | None = None, settings: SpeechSettings | None = None) -> SpeechEngine:
    """Load an engine once per process; raises EngineUnavailable with one line naming the fix."""
    chosen = engine_name(name)
    loader = ENGINES.get(chosen)
    if loader is None:
        raise EngineUnavailable(f"unknown speech engine {chosen!r} (available: {', '.join(sorted(ENGINES))})")
    return loader(settings or SpeechSettings.from_env())
