"""Settings are validated, persist in QSettings, survive bad stored values, and the dialog edits them."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import QSettings
from pytestqt.qtbot import QtBot

from app.kiosk.devices import SoundDeviceCatalog
from ui.settings_dialog import SettingsDialog
from ui.settings_model import Duplex, KioskSettings, load_settings, save_settings


def test_defaults_are_valid() -> None:
    assert KioskSettings().problems() == {}


def test_each_bad_field_is_named() -> None:
    bad = KioskSettings(engine="carrier-pigeon", speaking_rate=3.0, end_of_turn_ms=50, exit_pin="12a", duplex="x")
    assert set(bad.problems()) == {"engine", "speaking_rate", "end_of_turn_ms", "exit_pin", "duplex"}


def test_round_trip_through_qsettings(store: QSettings) -> None:
    chosen = replace(KioskSettings(), engine="openai", speaking_rate=1.3, duplex=Duplex.HALF.value, exit_pin="918273")
    save_settings(store, chosen)
    again = QSettings(store.fileName(), QSettings.Format.IniFormat)
    assert load_settings(again) == (chosen, [])


def test_refuses_to_save_invalid_settings(store: QSettings) -> None:
    try:
        save_settings(store, KioskSettings(exit_pin="1"))
    except ValueError as exc:
        assert "PIN" in str(exc)
    else:
        raise AssertionError("invalid settings were saved")
    assert store.allKeys() == []


def test_bad_stored_values_fall_back_with_a_note(store: QSettings) -> None:
    store.setValue("speaking_rate", "fast")
    store.setValue("idle_reset_s", 2)
    settings, notes = load_settings(store)
    assert settings.speaking_rate == KioskSettings().speaking_rate
    assert settings.idle_reset_s == KioskSettings().idle_reset_s
    assert len(notes) == 2 and any("speaking_rate" in note for note in notes)


def _dialog(qtbot: QtBot, settings: KioskSettings) -> SettingsDialog:
    dialog = SettingsDialog(settings, SoundDeviceCatalog(), ["joe"])
    qtbot.addWidget(dialog)
    return dialog


def test_default_voice_is_offered_not_flagged_missing(qtbot: QtBot) -> None:
    dialog = _dialog(qtbot, KioskSettings())
    assert dialog.voice.currentText() == "Engine default"
    assert [dialog.voice.itemText(i) for i in range(dialog.voice.count())] == ["Engine default", "joe"]


def test_dialog_shows_and_returns_the_settings(qtbot: QtBot) -> None:
    settings = replace(KioskSettings(), engine="openai", speaking_rate=1.2, idle_reset_s=120, voice="joe")
    dialog = _dialog(qtbot, settings)
    assert dialog.chosen() == settings
    dialog.rate.setValue(0.8)
    dialog.duplex.setCurrentIndex(dialog.duplex.findData(Duplex.HALF.value))
    assert dialog.chosen() == replace(settings, speaking_rate=0.8, duplex=Duplex.HALF.value)


def test_dialog_stays_open_on_a_bad_pin(qtbot: QtBot) -> None:
    dialog = _dialog(qtbot, KioskSettings())
    dialog.open()
    dialog.pin.setText("12")
    dialog.try_accept()
    assert dialog.isVisible()
    assert "PIN" in dialog.message.text()
    dialog.pin.setText("4321")
    with qtbot.waitSignal(dialog.accepted):
        dialog.try_accept()


def test_dialog_on_a_machine_without_audio_devices(qtbot: QtBot) -> None:
    """This machine has no sound card: the dialog says so, and the tests report why they cannot run."""
    dialog = _dialog(qtbot, replace(KioskSettings(), input_device="USB Mic"))
    assert "No microphone" in dialog.message.text()
    assert dialog.input.currentText() == "USB Mic (not connected)"
    dialog.tone.click()
    assert "Cannot play the test tone" in dialog.message.text()
    dialog.listen.click()
    assert "Cannot open the microphone" in dialog.message.text()
    assert not dialog.meter.active


def test_dialog_fits_the_screen_with_touch_size_buttons(qtbot: QtBot) -> None:
    from PySide6.QtWidgets import QDialogButtonBox

    dialog = _dialog(qtbot, KioskSettings())
    dialog.show()
    screen = dialog.screen().availableGeometry()
    assert dialog.height() <= screen.height() and dialog.width() <= screen.width()
    buttons = dialog.findChild(QDialogButtonBox).buttons()
    assert buttons and all(button.height() >= 48 for button in buttons)
