"""Live transcript: partial text is replaced by the final text, and the newest line stays in view."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from ui.strings import Strings
from ui.transcript_view import Entry, TranscriptView


def _view(qtbot: QtBot) -> TranscriptView:
    view = TranscriptView(Strings())
    qtbot.addWidget(view)
    view.resize(500, 300)
    view.show()
    return view


def test_partial_then_final_replaces_the_same_line(qtbot: QtBot) -> None:
    view = _view(qtbot)
    view.add_bot("Are you salaried?")
    view.show_partial("yes I")
    view.show_partial("yes I am")
    assert view.entries()[-1] == Entry("caller", "yes I am", True)
    view.show_final("Yes, I am salaried.")
    assert view.entries() == [Entry("bot", "Are you salaried?", False), Entry("caller", "Yes, I am salaried.", False)]


def test_partial_style_differs_from_final(qtbot: QtBot) -> None:
    view = _view(qtbot)
    view.show_partial("forty")
    assert view._bubbles[-1].property("partial") is True
    view.show_final("forty thousand")
    assert view._bubbles[-1].property("partial") is False


def test_unusable_speech_stays_visible_marked_not_clear(qtbot: QtBot) -> None:
    view = _view(qtbot)
    view.add_bot("Which city?")
    view.show_partial("hmm")
    view.drop_partial()
    unclear = Entry("caller", "hmm  (not clear, please say it again)", False)
    assert view.entries() == [Entry("bot", "Which city?", False), unclear]


def test_an_empty_partial_disappears(qtbot: QtBot) -> None:
    view = _view(qtbot)
    view.add_bot("Which city?")
    view.show_partial(" ")
    view.drop_partial()
    assert view.entries() == [Entry("bot", "Which city?", False)]


def test_follows_the_newest_line(qtbot: QtBot) -> None:
    view = _view(qtbot)
    for index in range(30):
        view.add_bot(f"Prompt number {index} with enough words to wrap onto a second line of the bubble.")
    qtbot.waitUntil(lambda: view.verticalScrollBar().maximum() > 0)
    qtbot.waitUntil(view.is_scrolled_to_end)


def test_clear_removes_everything(qtbot: QtBot) -> None:
    view = _view(qtbot)
    view.add_bot("hello")
    view.show_final("hi")
    view.clear()
    assert view.entries() == []
