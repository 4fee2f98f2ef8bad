"""The bridge's small pure parts: pacing, chunking, keypad, wire parsing, TwiML, tokens."""

from __future__ import annotations

import asyncio
import json
import time
import xml.etree.ElementTree as ET

import numpy as np
import pytest

from bridge import exotel_media, twilio_media
from bridge.dtmf import Keypad
from bridge.outbound import OutAudio, OutMark, exotel_chunker, twilio_chunker
from bridge.pacing import Pacer
from bridge.tokens import StreamTokens
from bridge.twiml import connect_stream
from bridge.wire import Dtmf, Media, ProtocolError, Start, Stop
from core.audio import AudioFrame
from core.understanding.types import Question


def _tone(seconds: float, rate: int) -> AudioFrame:
    t = np.arange(round(seconds * rate)) / rate
    return AudioFrame((np.sin(2 * np.pi * 440 * t) * 8000).astype(np.int16), rate)


async def test_pacer_sends_in_real_time_with_its_lead() -> None:
    pacer = Pacer(lead_s=0.1)
    started = time.monotonic()
    sent_at = []
    for index in range(25):  # 1 s of 40 ms chunks
        late = await pacer.wait_turn(0.04, continuing=index > 0)
        assert not late
        sent_at.append(time.monotonic() - started)
    assert sent_at[2] < 0.02  # the first 100 ms go out at once (the lead)
    for index, at in enumerate(sent_at):
        assert at >= index * 0.04 - 0.1 - 0.005  # never more than the lead ahead of playback
    assert 0.85 <= sent_at[-1] <= 1.0
    pacer.reset()
    before = time.monotonic()
    await pacer.wait_turn(0.04, continuing=False)
    assert time.monotonic() - before < 0.01


async def test_pacer_reports_a_late_chunk_and_does_not_burst_to_catch_up() -> None:
    pacer = Pacer(lead_s=0.0)
    await pacer.wait_turn(0.04, continuing=False)
    await asyncio.sleep(0.2)  # the event loop was busy: playback ran dry
    assert await pacer.wait_turn(0.04, continuing=True) is True
    started = time.monotonic()
    assert await pacer.wait_turn(0.04, continuing=True) is False
    assert time.monotonic() - started >= 0.03  # paced from now, not a burst


def test_twilio_chunks_are_40_ms_of_mulaw_with_progress_and_end_marks() -> None:
    items = twilio_chunker().feed(7, _tone(1.01, 8000), last=True)
    audio = [item for item in items if isinstance(item, OutAudio)]
    marks = [item.name for item in items if isinstance(item, OutMark)]
    assert [len(item.data) for item in audio] == [320] * 25 + [80]
    assert [item.index for item in audio] == list(range(26))
    assert marks == ["7:at:520", "7:end:1010"]  # progress every >= 500 ms of audio, then the end


def test_exotel_chunks_are_padded_whole_320_byte_granules() -> None:
    chunker = exotel_chunker(False, 8000, exotel_media.chunk_bytes(16000))
    first = chunker.feed(1, _tone(0.5, 8000), last=False)
    rest = chunker.feed(1, _tone(0.33, 8000), last=True)
    sizes = [len(item.data) for item in first + rest if isinstance(item, OutAudio)]
    assert sizes == [3200] * 5  # 0.83 s = 13,280 bytes: four full chunks, the last padded
    assert isinstance(rest[-1], OutMark) and rest[-1].name.startswith("1:end:")
    assert [exotel_media.chunk_bytes(rate * 2) for rate in (8000, 16000, 24000)] == [3200, 3200, 4800]


@pytest.mark.parametrize(
    ("question", "keys", "answer"),
    [
        (Question.EMPLOYMENT, "1", "yes"),
        (Question.EMPLOYMENT, "2", "no"),
        (Question.EMPLOYMENT, "5", None),
        (Question.SALARY, "45000#", "45000 rupees"),
        (Question.SALARY, "1#", "yes"),
        (Question.SALARY, "2#", "no"),
        (Question.SALARY, "4*30000#", "30000 rupees"),
        (Question.SALARY, "#", None),
        (Question.CITY, "1", None),
    ],
)
def test_keypad_answers(question: Question, keys: str, answer: str | None) -> None:
    keypad = Keypad()
    said = [keypad.press(key, question) for key in keys]
    assert said[-1] == answer and all(text is None for text in said[:-1])


@pytest.mark.parametrize("question", list(Question))
def test_keypad_one_and_two_answer_a_read_back_at_once(question: Question) -> None:
    keypad = Keypad()
    assert keypad.press("1", question, yes_no=True) == "yes"
    assert keypad.press("2", question, yes_no=True) == "no"
    assert not keypad.pending


def test_keypad_entry_without_hash_ends_on_flush() -> None:
    keypad = Keypad()
    assert keypad.press("1", Question.SALARY) is None and keypad.pending
    assert keypad.flush() == "yes" and not keypad.pending


def test_twilio_messages_parse_strictly() -> None:
    start = twilio_media.parse(json.dumps({"event": "start", "streamSid": "MZ1", "start": {
        "streamSid": "MZ1", "callSid": "CA1", "accountSid": "AC1", "customParameters": {"token": "t"},
        "mediaFormat": {"encoding": "audio/x-mulaw", "sampleRate": 8000, "channels": 1}}}))  # fmt: skip
    assert start == Start("MZ1", "CA1", "AC1", {"token": "t"})
    media = twilio_media.parse('{"event":"media","streamSid":"MZ1","media":{"track":"inbound","payload":"/w=="}}')
    assert media == Media("MZ1", b"\xff")
    assert twilio_media.parse('{"event":"dtmf","streamSid":"MZ1","dtmf":{"digit":"#"}}') == Dtmf("MZ1", "#")
    assert twilio_media.parse('{"event":"stop","streamSid":"MZ1","stop":{}}') == Stop("MZ1")
    for bad, kind in [
        ("nope", "bad_json"),
        ('{"event": 3}', "bad_message"),
        ('{"event":"media","streamSid":"MZ1","media":{"payload":"@@"}}', "bad_base64"),
        ('{"event":"media","streamSid":"MZ1"}', "bad_message"),
        ('{"event":"dtmf","streamSid":"MZ1","dtmf":{"digit":"A"}}', "bad_message"),
        ('{"event":"start","start":{"streamSid":"M","callSid":"C","mediaFormat":{"encoding":"audio/l16"}}}',
         "bad_message"),
        ('{"event":"hello","streamSid":"MZ1"}', "unknown_event"),
    ]:  # fmt: skip
        with pytest.raises(ProtocolError) as error:
            twilio_media.parse(bad)
        assert error.value.kind == kind, bad


@pytest.mark.parametrize(
    ("media_format", "encoding", "rate"),
    [
        ({"encoding": "audio/x-raw", "sample_rate": "16000", "bit_rate": "16"}, exotel_media.PCM16, 16000),
        ({"encoding": "raw", "sample_rate": "8000", "bit_rate": "128"}, exotel_media.PCM16, 8000),
        ({"encoding": "linear16", "sample_rate": 24000}, exotel_media.PCM16, 24000),
        ({"encoding": "audio/x-mulaw;rate=8000"}, exotel_media.ULAW, 8000),
    ],
)
def test_exotel_start_reads_every_documented_media_format(
    media_format: dict[str, object], encoding: str, rate: int
) -> None:
    message = {"event": "start", "streamSid": "S", "start": {"callSid": "C", "media_format": media_format}}
    start = exotel_media.parse(json.dumps(message))
    assert (start.stream_sid, start.call_sid, start.encoding, start.sample_rate) == ("S", "C", encoding, rate)


def test_exotel_refuses_sizes_that_break_the_320_byte_rule() -> None:
    out = exotel_media.ExotelOut("S")
    assert json.loads(out.media(b"\0" * 3200))["stream_sid"] == "S"
    for size in (320, 3300, 100_160):
        with pytest.raises(ValueError):
            out.media(b"\0" * size)


def test_twiml_connects_the_stream_then_falls_back_to_speech_and_hang_up() -> None:
    root = ET.fromstring(connect_stream("wss://host/twilio/media", "tok", "https://host/twilio/status"))
    assert [child.tag for child in root] == ["Connect", "Say", "Hangup"]
    stream = root.find("./Connect/Stream")
    assert stream is not None and stream.attrib["url"] == "wss://host/twilio/media"
    assert [(p.attrib["name"], p.attrib["value"]) for p in stream] == [("token", "tok")]


def test_stream_tokens_are_single_use_bound_and_expire() -> None:
    now = [0.0]
    tokens = StreamTokens(ttl_s=10, clock=lambda: now[0])
    token = tokens.issue("CA1")
    assert not tokens.spend(token, "CA2")  # wrong call: and now spent
    assert not tokens.spend(token, "CA1")
    fresh = tokens.issue("CA1")
    assert tokens.spend(fresh, "CA1") and not tokens.spend(fresh, "CA1")
    stale = tokens.issue("CA1")
    now[0] = 11.0
    assert not tokens.spend(stale, "CA1")
