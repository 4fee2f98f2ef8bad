"""The kiosk's call language: --language / $QUICKRUPEE_LANGUAGE or the visitor's choice picks the prompts
(and, on a voice call, the engine's language); the record keeps it."""

from __future__ import annotations

import asyncio
from dataclasses import replace

import pytest
from PySide6.QtCore import QSettings, Qt
from pytestqt.qtbot import QtBot

from app.kiosk.main import parse
from core.policy import Policy
from core.prompts import PromptBook
from tests.ui.kiosk_harness import build_kiosk
from ui.settings_model import KioskSettings
from ui.strings import Lang


def test_the_language_flag_and_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("QUICKRUPEE_LANGUAGE", raising=False)
    startup = parse([])
    assert startup.options.language is None and startup.language is None  # the kiosk's settings apply
    startup = parse(["--language", "hi"])
    assert startup.options.language == "hi" and startup.language == "hi"
    monkeypatch.setenv("QUICKRUPEE_LANGUAGE", "hi")
    assert parse([]).language == "hi"
    assert parse(["--language", "en"]).language == "en"
    with pytest.raises(SystemExit):
        parse(["--language", "xx"])


def test_a_typed_call_follows_the_chosen_language(
    qtbot: QtBot, qloop: asyncio.AbstractEventLoop, store: QSettings, policy: Policy, prompts: PromptBook
) -> None:
    kiosk = build_kiosk(qloop, store, policy, prompts, settings=replace(KioskSettings(), language="hi"))
    window, controller = kiosk.window, kiosk.controller
    records = []

    async def call(answers: tuple[str, ...]) -> None:
        await controller.start_call()
        for answer in answers:
            window.typed.edit.setText(answer)
            window.typed.send.click()
            await kiosk.until(lambda a=answer: any(e.text == a for e in window.transcript.entries()), 2)
        await kiosk.until(lambda: len(kiosk.saved) == len(records) + 1, 2)
        records.append(kiosk.saved[-1])
        first_bot = window.transcript.entries()[0].text
        assert first_bot.startswith("नमस्ते" if records[-1].language == "hi" else "Hello"), first_bot

    async def scenario() -> None:
        await call(("haan", "pachaas hazaar", "Delhi"))
        await controller.reset_to_welcome()  # back to the kiosk's own language (Hindi) ...
        assert window.strings.lang is Lang.HI
        qtbot.mouseClick(window.welcome.language_buttons[Lang.EN], Qt.MouseButton.LeftButton)  # ... English chosen
        await call(("yes", "fifty thousand", "Delhi"))

    kiosk.run(scenario())
    assert [(r.language, r.outcome) for r in records] == [("hi", "eligible"), ("en", "eligible")]
    assert records[0].turns[0].bot.startswith("नमस्ते, क्विकरुपी में आपका स्वागत है।")


def test_the_kiosk_wording_holds_in_every_language(policy: Policy) -> None:
    """A visitor stands in the branch: no language tells them to visit their nearest branch."""
    from app.kiosk.wording import for_the_kiosk
    from core.prompts import PromptKey, load_prompts
    from core.screening import Screening

    screening = Screening(policy, load_prompts(policy), tailor=for_the_kiosk)
    assert "staff" in screening.prompts[PromptKey.INCOMPLETE]
    hindi = screening.prompts_for("hi")[PromptKey.INCOMPLETE]
    assert "स्टाफ़" in hindi and "शाखा" not in hindi
