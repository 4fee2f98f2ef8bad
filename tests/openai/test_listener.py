"""The Realtime listener against the fake server: the events a Session relies on, in GA protocol."""

from __future__ import annotations

import asyncio
import warnings

import numpy as np

from core.audio import AudioFrame, concat
from core.policy import load_policy
from core.speech.context import QuestionContext
from core.speech.engine import Expectation, FinalText, PartialText, SpeechStarted, SpeechStopped, TurnSettings
from core.speech.openai_realtime.listener import RealtimeListener
from core.understanding import understand
from core.understanding.types import Question
from tests.fakes.realtime_server import FakeRealtimeServer
from tests.openai.conftest import api_key, frames, settings_for, spoken

with warnings.catch_warnings():
    warnings.simplefilter("ignore", DeprecationWarning)
    import audioop  # what bridge/codec.py decodes the carrier's μ-law with on Python 3.11

CITY_PROMPT = "Which city do you live in? Delhi, Mumbai, Bangalore, Bengaluru, Pune."


async def _final(listener: RealtimeListener, audio: AudioFrame, *, pace: bool = False) -> list[object]:
    """Push `audio` (in real time with `pace`) and collect events up to the first FinalText."""
    seen: list[object] = []

    async def collect() -> None:
        async for event in listener.events():
            seen.append(event)
            if isinstance(event, FinalText):
                return

    reader = asyncio.create_task(collect())
    for frame in frames(audio):
        await listener.push(frame)
        await asyncio.sleep(frame.duration if pace else 0)
        if reader.done():
            break
    await asyncio.wait_for(reader, 15)
    return seen


async def test_pcm_turn_gives_the_events_the_session_needs(fake: FakeRealtimeServer) -> None:
    listener = RealtimeListener(settings_for(fake), api_key(), 16000, TurnSettings())
    listener.set_question(Question.CITY, Expectation(Question.CITY, CITY_PROMPT, ("Mumbai",)))
    events = await _final(listener, spoken("I live in Mumbai.", 16000))
    await listener.aclose()

    kinds = [type(event) for event in events]
    assert kinds[:2] == [SpeechStarted, SpeechStopped]
    assert PartialText in kinds
    final = events[-1]
    assert isinstance(final, FinalText)
    assert "mumbai" in final.text.lower()
    assert final.confidence is not None and 0 < final.confidence <= 1
    started, stopped = events[0], events[1]
    assert isinstance(started, SpeechStarted) and isinstance(stopped, SpeechStopped)
    assert 0 <= started.at < stopped.at <= final.speech_end + 1e-9 < 3.5
    update = next(e for e in fake.client_events if e["type"] == "session.update")
    assert update["session"]["type"] == "transcription"
    assert update["session"]["audio"]["input"]["format"] == {"type": "audio/pcm", "rate": 24000}
    assert update["session"]["audio"]["input"]["transcription"]["prompt"] == CITY_PROMPT
    assert fake.violations == []


async def test_phone_audio_goes_out_as_pcmu_untouched(fake: FakeRealtimeServer) -> None:
    """The carrier's μ-law bytes, decoded by the bridge's codec, reach OpenAI byte for byte."""
    listener = RealtimeListener(settings_for(fake), api_key(), 8000, TurnSettings())
    listener.set_question(Question.EMPLOYMENT, Expectation(Question.EMPLOYMENT, "Yes, I am salaried.", ()))
    phone_bytes = audioop.lin2ulaw(spoken("Yes, I am salaried.", 8000).samples.tobytes(), 2)
    audio = AudioFrame(np.frombuffer(audioop.ulaw2lin(phone_bytes, 2), dtype=np.int16), 8000)
    events = await _final(listener, audio)
    await listener.aclose()

    final = events[-1]
    assert isinstance(final, FinalText) and "salaried" in final.text.lower()
    update = next(e for e in fake.client_events if e["type"] == "session.update")
    assert update["session"]["audio"]["input"]["format"] == {"type": "audio/pcmu"}
    assert fake.sessions[0].audio_ms >= audio.duration * 1000 - 1
    assert bytes(fake.sessions[0].raw_audio) == phone_bytes.replace(b"\x7f", b"\xff")  # only -0 becomes +0
    assert fake.violations == []


async def test_reply_stopping_mid_number_is_joined_with_the_rest(fake: FakeRealtimeServer) -> None:
    """'My salary is thirty' ... 'five thousand rupees': two server turns, one answer."""
    policy = load_policy()
    context = QuestionContext(policy, understand)
    turn = TurnSettings(end_of_turn_silence=0.5, mid_number_silence=2.0)
    listener = RealtimeListener(settings_for(fake), api_key(), 16000, turn)
    listener.set_question(Question.SALARY, context.expect(Question.SALARY))
    audio = concat([spoken("My salary is thirty", 16000, after_s=0.9), spoken("five thousand rupees.", 16000)])
    events = await _final(listener, audio, pace=True)
    await listener.aclose()

    finals = [event for event in events if isinstance(event, FinalText)]
    assert len(finals) == 1 and fake.utterances == 2
    text = finals[0].text.lower()
    assert ("thirty" in text or "30" in text) and ("five thousand" in text or "5,000" in text or "5000" in text)


async def test_reset_drops_the_turn_in_progress(fake: FakeRealtimeServer) -> None:
    listener = RealtimeListener(settings_for(fake), api_key(), 16000, TurnSettings())
    listener.set_question(Question.CITY, Expectation(Question.CITY, CITY_PROMPT, ()))
    await listener.push(AudioFrame.silence(0.02, 16000))
    while not listener.connected:
        await asyncio.sleep(0.01)
    for frame in frames(spoken("I live in Delhi.", 16000, after_s=0.0)):
        await listener.push(frame)
    listener.reset()  # e.g. the caller typed the answer instead
    events = await _final(listener, spoken("I live in Mumbai.", 16000))
    await listener.aclose()
    finals = [event for event in events if isinstance(event, FinalText)]
    assert len(finals) == 1 and "mumbai" in finals[0].text.lower()
    assert any(event["type"] == "input_audio_buffer.clear" for event in fake.client_events)


async def test_speech_that_never_stops_is_cut_at_max_turn(fake: FakeRealtimeServer) -> None:
    turn = TurnSettings(max_turn=2.0, end_of_turn_silence=2.0)  # pauses between words never end this turn
    listener = RealtimeListener(settings_for(fake), api_key(), 16000, turn)
    listener.set_question(Question.CITY, Expectation(Question.CITY, CITY_PROMPT, ()))
    talk = "I live in Mumbai and I have lived in Mumbai for many years with my family and my friends"
    events = await _final(listener, spoken(talk, 16000, after_s=0.0), pace=True)
    await listener.aclose()
    final = events[-1]
    assert isinstance(final, FinalText) and final.reason == "max_turn"
    assert final.text.lower().startswith("i live in") and 2.0 <= final.speech_end < 2.5
    assert any(event["type"] == "input_audio_buffer.commit" for event in fake.client_events)
    assert fake.violations == []


async def test_semantic_vad_and_model_settings_reach_the_session(fake: FakeRealtimeServer) -> None:
    settings = settings_for(fake, turn_detection="semantic_vad", eagerness="high", transcribe_model="whisper-1")
    listener = RealtimeListener(settings, api_key(), 16000, TurnSettings())
    listener.set_question(Question.CITY, Expectation(Question.CITY, CITY_PROMPT, ()))
    events = await _final(listener, spoken("I live in Mumbai.", 16000))
    await listener.aclose()
    final = events[-1]
    assert isinstance(final, FinalText) and "mumbai" in final.text.lower()
    update = next(e for e in fake.client_events if e["type"] == "session.update")
    audio_input = update["session"]["audio"]["input"]
    assert audio_input["turn_detection"] == {"type": "semantic_vad", "eagerness": "high"}
    assert audio_input["transcription"] == {"model": "whisper-1", "language": "en", "prompt": CITY_PROMPT}
