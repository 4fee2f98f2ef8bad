"""Provider media lines, the mark format and the keypad's pause timer: pure, no server, milliseconds."""

from __future__ import annotations

import json

import numpy as np
import pytest

from bridge.dtmf import Keypad
from bridge.lines import exotel_line, twilio_line
from bridge.outbound import OutAudio, OutMark, Played, read_mark
from bridge.wire import ProtocolError, Start
from core.audio import AudioFrame, ulaw_decode, ulaw_encode
from core.understanding.types import Question


def _tone(seconds: float, rate: int) -> AudioFrame:
    t = np.arange(int(seconds * rate)) / rate
    return AudioFrame((np.sin(2 * np.pi * 440 * t) * 8000).astype(np.int16), rate)


def test_marks_we_write_read_back_and_others_are_refused() -> None:
    line = twilio_line(Start("MZ1", "CA1", "AC1", {}))
    items = line.prompt_chunks(3, _tone(1.0, 8000), last=True)
    marks = [read_mark(item.name) for item in items if isinstance(item, OutMark)]
    assert marks[-1] == Played(3, 1000, complete=True)
    assert all(not mark.complete and mark.prompt_id == 3 for mark in marks[:-1])
    for bad in ("hello", "3:half:10", "x:end:10", "3:end:"):
        with pytest.raises(ProtocolError):
            read_mark(bad)


def test_twilio_line_speaks_ulaw_json_and_clears_its_partial_chunk() -> None:
    line = twilio_line(Start("MZ1", "CA1", "AC1", {}))
    assert line.rate == 8000
    first = line.prompt_chunks(1, _tone(0.05, 8000), last=False)  # 400 bytes: one 320-byte chunk, 80 left over
    assert [type(item) for item in first] == [OutAudio]
    media = json.loads(line.media(first[0]))  # type: ignore[arg-type]
    assert media["event"] == "media" and media["streamSid"] == "MZ1"
    assert json.loads(line.clear()) == {"event": "clear", "streamSid": "MZ1"}
    after = line.prompt_chunks(2, AudioFrame.silence(0, 8000), last=True)
    assert [type(item) for item in after] == [OutMark], "the cut-off prompt's leftover bytes were dropped"


def test_exotel_line_takes_the_rate_asked_for_and_pads_to_320_bytes() -> None:
    start = Start("S1", "C1", "", {}, encoding="audio/x-raw", sample_rate=8000)
    line = exotel_line(start, 16000)
    assert line.rate == 16000
    chunks = [item for item in line.prompt_chunks(1, _tone(0.33, 16000), last=True) if isinstance(item, OutAudio)]
    assert all(len(chunk.data) % 320 == 0 for chunk in chunks)
    assert exotel_line(start, 11025).rate == 8000, "an unsupported rate falls back to the start message's"
    caller = line.caller_audio(b"\x01\x00" * 160)
    assert caller.sample_rate == 16000 and len(caller) == 160


def test_one_ulaw_codec_round_trips_the_carriers_bytes() -> None:
    codes = bytes(range(256))
    again = ulaw_encode(ulaw_decode(codes).samples)
    assert again == codes.replace(b"\x7f", b"\xff"), "only the negative zero becomes positive zero"


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_keypad_pause_timer_runs_on_its_own_clock() -> None:
    clock = Clock()
    keypad = Keypad(pause_s=3.0, clock=clock)
    assert keypad.wait_s() is None
    assert keypad.press("4", Question.SALARY) is None
    assert keypad.wait_s() == pytest.approx(3.0)
    clock.now += 2.0
    keypad.press("5", Question.SALARY)
    assert keypad.wait_s() == pytest.approx(3.0), "every key restarts the pause"
    clock.now += 5.0
    assert keypad.wait_s() == 0.0
    assert keypad.flush() == "45 rupees" and keypad.wait_s() is None


def test_keypad_answer_on_hash_stops_the_timer() -> None:
    keypad = Keypad(clock=Clock())
    keypad.press("9", Question.SALARY)
    assert keypad.press("#", Question.SALARY) == "9 rupees"
    assert keypad.wait_s() is None
    assert keypad.press("1", Question.EMPLOYMENT) == "yes" and keypad.wait_s() is None
