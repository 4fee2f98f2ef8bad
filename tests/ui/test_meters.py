"""Microphone level meter and the speaking indicator."""

from __future__ import annotations

import math

from pytestqt.qtbot import QtBot

from ui.level_meter import LevelMeter, rms_to_fraction
from ui.speaking_indicator import SpeakingIndicator


def test_rms_maps_onto_sixty_decibels() -> None:
    assert rms_to_fraction(0.0) == 0.0
    assert rms_to_fraction(1.0) == 1.0
    assert abs(rms_to_fraction(10 ** (-30 / 20)) - 0.5) < 1e-6
    assert rms_to_fraction(1e-6) == 0.0


def test_meter_shows_level_only_while_active(qtbot: QtBot) -> None:
    meter = LevelMeter()
    qtbot.addWidget(meter)
    meter.set_rms(0.5)
    assert meter.level == 0.0
    meter.set_active(True)
    meter.set_rms(0.5)
    assert abs(meter.level - (1 + 20 * math.log10(0.5) / 60)) < 1e-6
    meter.set_active(False)
    assert meter.level == 0.0


def test_meter_paints_a_bar_proportional_to_the_level(qtbot: QtBot) -> None:
    meter = LevelMeter()
    qtbot.addWidget(meter)
    meter.resize(200, 20)
    meter.set_active(True)
    meter.set_rms(10 ** (-30 / 20))
    image = meter.grab().toImage()
    assert image.pixelColor(40, 10).green() > image.pixelColor(40, 10).red()  # inside the bar: green
    assert image.pixelColor(180, 10).name() == "#d5dce6"  # beyond it: the track


def test_speaking_indicator_moves_only_while_speaking(qtbot: QtBot) -> None:
    indicator = SpeakingIndicator()
    qtbot.addWidget(indicator)
    indicator.resize(64, 30)
    still = indicator.grab().toImage()
    indicator.set_speaking(True)
    first = indicator.grab().toImage()
    qtbot.wait(120)
    assert indicator.grab().toImage() != first
    assert first != still
    indicator.set_speaking(False)
    assert indicator.grab().toImage() == still
