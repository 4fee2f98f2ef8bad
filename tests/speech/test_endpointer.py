"""The endpointer's rules, window by window: no model, no event loop, milliseconds."""

from __future__ import annotations

import pytest

from core.speech.endpointer import CLOSE_MARGIN, Decision, Endpointer

W = 0.032
THRESHOLD = 0.5
LOUD, SOFT, QUIET = 0.9, THRESHOLD - CLOSE_MARGIN + 0.01, 0.05


def feed(endpointer: Endpointer, probabilities: list[float], start: int = 0) -> list[tuple[Decision, ...]]:
    return [endpointer.step((start + i + 1) * W, p) for i, p in enumerate(probabilities)]


def make(max_turn: float = 15.0) -> Endpointer:
    return Endpointer(THRESHOLD, W, max_turn)


def test_two_loud_windows_open_speech_dated_from_the_first() -> None:
    ep = make()
    decisions = feed(ep, [QUIET, LOUD, LOUD])
    assert decisions == [(Decision.QUIET,), (Decision.QUIET,), (Decision.OPENED,)]
    assert ep.in_speech and ep.had_speech
    assert ep.opened_at == pytest.approx(1 * W) and ep.turn_start == pytest.approx(1 * W)


def test_one_loud_window_is_a_click_not_speech() -> None:
    ep = make()
    assert feed(ep, [LOUD, QUIET, LOUD, QUIET]) == [(Decision.QUIET,)] * 4
    assert not ep.had_speech


def test_four_soft_windows_open_speech_as_band_limited_phone_words_do() -> None:
    ep = make()
    decisions = feed(ep, [SOFT, SOFT, SOFT, SOFT])
    assert decisions[-1] == (Decision.OPENED,) and decisions[:3] == [(Decision.QUIET,)] * 3
    assert ep.opened_at == pytest.approx(0.0)


def test_two_quiet_windows_close_speech_at_its_last_loud_window() -> None:
    ep = make()
    feed(ep, [LOUD, LOUD, LOUD])
    decisions = feed(ep, [QUIET, QUIET], start=3)
    assert decisions == [(Decision.SPEAKING,), (Decision.CLOSED,)]
    assert ep.paused and ep.speech_end == pytest.approx(3 * W)
    assert ep.silence == pytest.approx(2 * W)


def test_hysteresis_keeps_speech_open_above_the_closing_threshold() -> None:
    ep = make()
    feed(ep, [LOUD, LOUD])
    assert feed(ep, [SOFT, SOFT, SOFT], start=2) == [(Decision.SPEAKING,)] * 3
    assert ep.in_speech


def test_the_pause_after_speech_grows_until_speech_resumes() -> None:
    ep = make()
    feed(ep, [LOUD, LOUD, QUIET, QUIET])
    pauses = feed(ep, [QUIET] * 5, start=4)
    assert pauses == [(Decision.PAUSED,)] * 5
    assert ep.silence == pytest.approx(7 * W)
    assert feed(ep, [LOUD, LOUD], start=9) == [(Decision.PAUSED,), (Decision.OPENED,)]
    assert ep.turn_start == pytest.approx(0.0), "a resumed turn keeps its start"
    assert ep.opened_at == pytest.approx(9 * W)


def test_stirring_marks_a_possible_restart() -> None:
    ep = make()
    feed(ep, [LOUD, LOUD, QUIET, QUIET])
    feed(ep, [SOFT], start=4)
    assert ep.stirring
    feed(ep, [QUIET], start=5)
    assert not ep.stirring


def test_a_turn_that_never_stops_ends_at_max_turn() -> None:
    ep = make(max_turn=10 * W)
    decisions = feed(ep, [LOUD] * 12)  # speech dates from 0: the tenth window ends the turn
    assert all(Decision.MAX_TURN not in d for d in decisions[:9])
    assert decisions[9] == (Decision.SPEAKING, Decision.MAX_TURN)
    assert not ep.in_speech


def test_closing_and_max_turn_can_fall_on_one_window() -> None:
    ep = make(max_turn=6 * W)
    decisions = feed(ep, [LOUD, LOUD, LOUD, LOUD, QUIET, QUIET])
    assert decisions[-1] == (Decision.CLOSED, Decision.MAX_TURN)


def test_reset_forgets_the_turn() -> None:
    ep = make()
    feed(ep, [LOUD, LOUD, QUIET])
    ep.reset()
    assert not ep.had_speech and not ep.in_speech and ep.silence == 0.0
    assert feed(ep, [LOUD], start=3) == [(Decision.QUIET,)]


def test_cut_off_ends_open_speech_at_the_last_window() -> None:
    ep = make()
    feed(ep, [LOUD, LOUD, LOUD])
    ep.cut_off()
    assert ep.paused and ep.speech_end == pytest.approx(3 * W) and ep.silence == 0.0
    ep.cut_off()
    assert ep.paused, "cutting off a pause changes nothing"
