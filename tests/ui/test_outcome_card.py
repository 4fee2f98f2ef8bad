"""The outcome card says the result, the reasons in plain words, and what happens next."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from core.record import CallRecord
from ui.outcome_card import OutcomeCard
from ui.strings import Strings


def _card(qtbot: QtBot, values: dict[str, str]) -> OutcomeCard:
    card = OutcomeCard(Strings(), values)
    qtbot.addWidget(card)
    return card


def _record(outcome: str, reasons: list[str]) -> CallRecord:
    record = CallRecord(channel="kiosk", engine="text", policy_version="test")
    record.outcome, record.reasons = outcome, reasons
    return record


def test_eligible_promises_the_agent_call(qtbot: QtBot, values: dict[str, str]) -> None:
    card = _card(qtbot, values)
    card.show_record(_record("eligible", []))
    assert card.title.text() == "You are eligible"
    assert "An agent will call you back within one working day" in card.next_step.text()
    assert card.property("outcome") == "eligible"


def test_not_eligible_lists_each_reason_with_policy_values(qtbot: QtBot, values: dict[str, str]) -> None:
    card = _card(qtbot, values)
    card.show_record(_record("not_eligible", ["salary_below_minimum", "city_not_serviceable"]))
    reasons = card.reasons.text()
    assert f"Rs {values['min_salary']}" in reasons
    assert values["cities"] in reasons
    assert reasons.count("•") == 2
    assert card.property("outcome") == "not_eligible"


def test_incomplete_and_countdown(qtbot: QtBot, values: dict[str, str]) -> None:
    card = _card(qtbot, values)
    card.show_record(_record("incomplete", []))
    assert card.title.text() == "We could not finish"
    card.set_countdown(12)
    assert "12" in card.countdown.text() and not card.countdown.isHidden()
    card.set_countdown(None)
    assert card.countdown.isHidden()
