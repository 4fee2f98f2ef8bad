"""One phone call over one WebSocket: authenticate the stream, run a core Session, keep the record.

Three tasks per call share nothing with other calls: the receiver (wire -> session), the event pump
(session -> outgoing queue, record) and the paced sender (queue -> wire). Whatever ends the call
(the goodbye played, the caller hung up, bad input, an exception, shutdown) it ends the same way:
the session closes the record, the record is saved, the socket is closed.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from starlette.websockets import WebSocket, WebSocketDisconnect, WebSocketState

from bridge.checkpoints import CallCheckpoints, record_id
from bridge.dtmf import Keypad
from bridge.lines import LINES, MediaLine
from bridge.logging import call_sid_var
from bridge.outbound import OutAudio, OutMark, read_mark
from bridge.pacing import InputGate, Pacer
from bridge.runtime import Runtime
from bridge.wire import Connected, Dtmf, Inbound, Mark, Media, ProtocolError, Start, Stop, disconnect_reason
from core.events import (
    BotSaid,
    CallFinished,
    FinalTranscript,
    PromptAudio,
    SessionError,
    SpeechStopped,
    StopPlayback,
    TurnEnded,
)
from core.record import CallRecord
from core.session import Session

log = logging.getLogger("bridge.call")

MAX_BAD_MESSAGES = 50
"""A stream that keeps sending unusable messages is closed rather than logged forever."""
FINISH_TIMEOUT_S = 5.0
LAST_ANSWER_WAIT_S = 3.0
"""How long a hung-up call waits for the recogniser to finish the caller's last answer."""

# WebSocket close codes
NORMAL = 1000
GOING_AWAY = 1001
UNSUPPORTED_DATA = 1003
POLICY = 1008
TOO_BIG = 1009
SERVER_ERROR = 1011
TRY_AGAIN_LATER = 1013


@dataclass(frozen=True)
class CallEdge:
    """What differs between providers: message parsing, authentication on `start`, hang-up, and the
    media line (codec, chunker, marks, clear) a started stream runs on."""

    provider: str
    parse: Callable[[str], Inbound]
    authorise: Callable[[Start], bool]
    hang_up: Callable[[str], Awaitable[bool]] | None
    """REST hang-up (Twilio); None where closing the socket ends the call (Exotel)."""
    requested_rate: int | None = None
    open_line: Callable[[Start, int | None], MediaLine] | None = field(default=None)
    """The provider's media line; by default the one `bridge.lines.LINES` names for `provider`."""

    def line(self, start: Start) -> MediaLine:
        open_line = self.open_line or LINES[self.provider]
        return open_line(start, self.requested_rate)


class Closed(Exception):
    """The stream must end now; `code` and `reason` go on the close frame, `kind` on the error metric."""

    def __init__(self, code: int, kind: str, reason: str) -> None:
        super().__init__(reason)
        self.code = code
        self.kind = kind
        self.reason = reason


async def run_call(rt: Runtime, websocket: WebSocket, edge: CallEdge) -> None:
    """Accept, wait for an authorised `start`, then run the call to its end."""
    await websocket.accept()
    try:
        start = await _await_start(rt, websocket, edge)
    except Closed as closed:
        rt.metrics.errors.labels(closed.kind).inc()
        log.warning("stream refused: %s", closed.reason, extra={"provider": edge.provider})
        await _close(websocket, closed.code, closed.reason)
        return
    if start is None:
        return
    call_sid_var.set(start.call_sid)
    call = Call(rt, websocket, edge, start)
    key = call.session.record.call_id
    refused = rt.calls.admit(key, call)
    if refused:
        rt.metrics.errors.labels("call_refused").inc()
        log.warning("stream refused: %s", refused)
        await _close(websocket, TRY_AGAIN_LATER if rt.calls.draining else POLICY, refused)
        return
    try:
        if refused := await call.checkpoints.claim():  # insert-once: a replayed call never replaces a record
            rt.metrics.replays.labels(edge.provider).inc()
            rt.metrics.errors.labels("replay").inc()
            log.warning("stream refused: %s", refused)
            await _close(websocket, POLICY, refused)
            return
        await call.run()
    finally:
        rt.calls.release(key, call)


async def _receive_text(rt: Runtime, websocket: WebSocket, timeout: float | None = None) -> str | None:
    """The next text frame; None when the peer went away. Binary and oversized frames end the stream."""
    waiting_since = time.monotonic()
    message = await asyncio.wait_for(websocket.receive(), timeout)
    if message["type"] == "websocket.disconnect":
        quiet_s = time.monotonic() - waiting_since
        why = disconnect_reason(
            message.get("code"), message.get("reason"), quiet_s=quiet_s, ping_s=rt.settings.ws_ping_s
        )
        if why != "caller_hangup":
            raise Closed(message.get("code") or GOING_AWAY, why, f"connection closed: {why}")
        return None
    text = message.get("text")
    if text is None:
        raise Closed(UNSUPPORTED_DATA, "binary_frame", "binary frames are not part of the protocol")
    if len(text) > rt.settings.max_message_bytes:
        raise Closed(TOO_BIG, "oversized", f"message of {len(text)} bytes exceeds the limit")
    return text


async def _await_start(rt: Runtime, websocket: WebSocket, edge: CallEdge) -> Start | None:
    """`connected` may come first; anything but an authorised `start` within the time limit is refused."""
    deadline = time.monotonic() + rt.settings.start_timeout_s
    bad = 0
    while True:
        try:
            text = await _receive_text(rt, websocket, max(0.0, deadline - time.monotonic()))
        except TimeoutError:
            raise Closed(POLICY, "no_start", "no valid start message in time") from None
        if text is None:
            return None
        try:
            message = edge.parse(text)
            if not isinstance(message, Connected | Start):
                raise ProtocolError("before_start", f"{type(message).__name__.lower()} before start")
        except ProtocolError as exc:  # dropped and counted, like after start; only repeated garbage ends it
            bad += 1
            rt.metrics.errors.labels(exc.kind).inc()
            log.warning("unusable message before start dropped: %s", exc.detail, extra={"kind": exc.kind})
            if bad >= MAX_BAD_MESSAGES:
                raise Closed(POLICY, "too_many_bad_messages", "too many unusable messages before start") from None
            continue
        if isinstance(message, Connected):
            continue
        if not edge.authorise(message):
            raise Closed(POLICY, "bad_token", "stream token missing, spent or for another call")
        return message


async def _close(websocket: WebSocket, code: int, reason: str = "") -> None:
    if websocket.client_state is WebSocketState.CONNECTED and websocket.application_state is WebSocketState.CONNECTED:
        with contextlib.suppress(RuntimeError, OSError):  # the peer may already be gone
            await websocket.close(code, reason[:120])


class PeerGone(Exception):
    """The provider's side of the socket went away while we were sending."""


class Call:
    """A live call: session, wire codec, pacing, barge-in bookkeeping and the record."""

    def __init__(self, rt: Runtime, websocket: WebSocket, edge: CallEdge, start: Start) -> None:
        self.rt = rt
        self.ws = websocket
        self.edge = edge
        self.start = start
        self.sid = start.call_sid
        self.provider = edge.provider
        self.line = edge.line(start)
        self.wire_rate = self.line.rate
        self.pacer = Pacer(rt.settings.pacing_lead_ms / 1000)
        self.keypad = Keypad()
        self.queue: asyncio.Queue[OutAudio | OutMark] = asyncio.Queue()
        self._send_lock = asyncio.Lock()
        self._cleared: set[int] = set()
        self._heard_ms: dict[int, int] = {}
        self._sent_ms: dict[int, int] = {}
        self._closing_prompt: int | None = None
        self._end_requested = asyncio.Event()
        self._end_reason = ""
        self._bad_messages = 0
        self._speech_stopped_at: float | None = None
        self._first_chunk_pending: set[int] = set()
        self._audio_ready_at: dict[int, float] = {}
        self.record: CallRecord | None = None
        self._saved = False
        assert rt.engine is not None
        self.session: Session = rt.screening.open_session(
            rt.engine, channel=self.provider, input_rate=self.wire_rate, output_rate=self.wire_rate,
            keypad=True, call_id=record_id(edge.provider, self.sid), settings=rt.turn_settings,
        )  # fmt: skip
        """Opened with the call so its record can be claimed; started only by `run()`."""
        self.checkpoints = CallCheckpoints(rt, self.session)
        self.gate = InputGate(rt.settings.input_buffer_ms / 1000, rt.metrics.input_dropped.labels(edge.provider).inc)

    def end(self, reason: str) -> None:
        """Registry hook (shutdown): finish now, recorded as it stands."""
        self._end_reason = reason
        self._end_requested.set()

    def note(self, text: str) -> None:
        """A line for the record (a status callback while the call runs)."""
        self.session.note(text)

    async def run(self) -> None:
        metrics = self.rt.metrics
        metrics.active_calls.labels(self.provider).inc()
        log.info("call started", extra={"provider": self.provider, "wire_rate": self.wire_rate})
        close_code, close_reason = NORMAL, "call finished"
        tasks: list[asyncio.Task[None]] = []
        try:
            await self.session.start()
            pump = asyncio.create_task(self._pump(), name=f"pump-{self.sid}")
            receiver = asyncio.create_task(self._receive(), name=f"receive-{self.sid}")
            sender = asyncio.create_task(self._send(), name=f"send-{self.sid}")
            ended = asyncio.create_task(self._end_requested.wait())
            tasks = [pump, receiver, sender, ended]
            done, _ = await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
            if pump in done:
                pump.result()
                if self._closing_prompt is not None and self.edge.hang_up is not None:
                    await self.edge.hang_up(self.sid)
            elif receiver in done:
                receiver.result()  # the caller hung up (or a protocol error was raised)
                self._end_reason = self._end_reason or "caller_hangup"
                await self.session.end_input(LAST_ANSWER_WAIT_S)  # what they said before hanging up counts
            elif ended in done:
                close_code, close_reason = GOING_AWAY, "bridge shutting down"
            else:
                sender.result()
        except PeerGone:
            self._end_reason = "caller_hangup"
        except Closed as closed:
            metrics.errors.labels(closed.kind).inc()
            log.warning("closing the stream: %s", closed.reason)
            self._end_reason = closed.kind
            close_code, close_reason = closed.code, closed.reason
        except Exception:
            metrics.errors.labels("internal").inc()
            log.exception("call failed; ending it")
            self._end_reason = "server_error"
            close_code, close_reason = SERVER_ERROR, "internal error"
        finally:
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
            await self._finish_record()
            await _close(self.ws, close_code, close_reason)
            metrics.active_calls.labels(self.provider).dec()

    # --- wire -> session ----------------------------------------------------------------------

    async def _receive(self) -> None:
        while True:
            try:
                text = await _receive_text(self.rt, self.ws, self.keypad.wait_s())
            except TimeoutError:  # the caller stopped typing: a pause ends keypad entry like #
                await self._answer_by_keypad(self.keypad.flush())
                continue
            if text is None:
                return
            try:
                message = self.edge.parse(text)
                if isinstance(message, Stop):
                    log.info("stream stopped by the provider", extra={"reason": message.reason})
                    return
                await self._on_message(message)
            except ProtocolError as exc:
                self._bad_message(exc.kind, exc.detail)

    def _bad_message(self, kind: str, detail: str) -> None:
        self.rt.metrics.errors.labels(kind).inc()
        self._bad_messages += 1
        log.warning("unusable message dropped: %s", detail, extra={"kind": kind})
        if self._bad_messages >= MAX_BAD_MESSAGES:
            raise Closed(POLICY, "too_many_bad_messages", "too many unusable messages")

    def _check_stream(self, stream_sid: str) -> None:
        if stream_sid and stream_sid != self.start.stream_sid:  # Exotel may leave it out
            raise ProtocolError("wrong_stream_sid", "message for another stream")

    async def _on_message(self, message: Inbound) -> None:
        match message:
            case Media(stream_sid, payload):
                self._check_stream(stream_sid)
                self.rt.metrics.frames_received.labels(self.provider).inc()
                if payload and await self.gate.admit(self.line.duration(payload)):
                    await self.session.push_audio(self.line.caller_audio(payload))
            case Dtmf(stream_sid, digit):
                self._check_stream(stream_sid)
                await self._on_digit(digit)
            case Mark(stream_sid, name):
                self._check_stream(stream_sid)
                self._on_mark(name)
            case Start() | Connected():
                raise ProtocolError("unexpected_start", "a second start/connected on a running stream")

    async def _on_digit(self, digit: str) -> None:
        await self._answer_by_keypad(self.keypad.press(digit, self.session.question, yes_no=self.session.reading_back))

    async def _answer_by_keypad(self, answer: str | None) -> None:
        if answer is not None:
            log.info("keypad answer", extra={"question": str(self.session.question)})
            await self.session.push_text(answer)

    def _on_mark(self, name: str) -> None:
        """How much of a prompt has played, as its marks come back."""
        played = read_mark(name)
        if played.prompt_id in self._cleared:
            return  # flushed by our clear, not played
        self._heard_ms[played.prompt_id] = played.ms
        if played.complete:
            self.session.playback_finished(played.prompt_id)

    # --- session -> wire ----------------------------------------------------------------------

    async def _pump(self) -> None:
        async for event in self.session.events():
            match event:
                case PromptAudio(chunk, prompt_id, last):
                    if prompt_id in self._cleared:
                        continue
                    if prompt_id in self._first_chunk_pending and len(chunk):
                        self._audio_ready_at.setdefault(prompt_id, time.monotonic())
                    for item in self.line.prompt_chunks(prompt_id, chunk, last=last):
                        self.queue.put_nowait(item)
                case BotSaid(_, prompt_id, closing):
                    self.checkpoints.turn()
                    self._first_chunk_pending.add(prompt_id)
                    if closing:
                        self._closing_prompt = prompt_id
                    log.info("prompt", extra={"prompt_id": prompt_id, "closing": closing})
                case StopPlayback(prompt_id):
                    await self._barge_in(prompt_id)
                case SpeechStopped():
                    self._speech_stopped_at = time.monotonic()
                case FinalTranscript(text, confidence, _):
                    if self._speech_stopped_at is not None:
                        self.rt.metrics.recogniser_seconds.observe(time.monotonic() - self._speech_stopped_at)
                    log.debug("transcript", extra={"text": text, "confidence": confidence})
                case TurnEnded(_, reason, _):
                    log.info("caller turn ended", extra={"reason": reason})
                case SessionError(kind, message):
                    self.rt.metrics.errors.labels(f"session_{kind}").inc()
                    log.warning("session error: %s", message, extra={"kind": kind})
                case CallFinished(record):
                    self.record = record
        await self._save()

    async def _barge_in(self, prompt_id: int) -> None:
        """Stop the prompt on our side and Twilio's, and note how much of it the caller heard."""
        self._cleared.add(prompt_id)
        while not self.queue.empty():
            self.queue.get_nowait()
        self.pacer.reset()
        await self._send_text(self.line.clear())
        heard = self._heard_ms.get(prompt_id, 0)
        sent = self._sent_ms.get(prompt_id, 0)
        self.note(f"barge-in: prompt {prompt_id} cut off after about {heard} ms heard of {sent} ms sent")
        log.info("barge-in", extra={"prompt_id": prompt_id, "heard_ms": heard, "sent_ms": sent})

    async def _send(self) -> None:
        metrics = self.rt.metrics
        while True:
            item = await self.queue.get()
            if item.prompt_id in self._cleared:
                continue
            if isinstance(item, OutMark):
                await self._send_text(self.line.mark(item))
                continue
            late = await self.pacer.wait_turn(item.duration_s, continuing=item.index > 0)
            if item.prompt_id in self._cleared:
                continue
            await self._send_text(self.line.media(item))
            self._sent_ms[item.prompt_id] = self._sent_ms.get(item.prompt_id, 0) + round(item.duration_s * 1000)
            metrics.frames_sent.labels(self.provider).inc()
            if late:
                metrics.late_frames.labels(self.provider).inc()
            if item.index == 0 and item.prompt_id in self._first_chunk_pending:
                self._first_chunk_pending.discard(item.prompt_id)
                self._observe_latency(item.prompt_id)

    async def _send_text(self, text: str) -> None:
        """Every outgoing frame goes through here: one at a time, and a vanished peer is not a bug."""
        async with self._send_lock:
            try:
                await self.ws.send_text(text)
            except (WebSocketDisconnect, OSError, RuntimeError) as exc:
                raise PeerGone from exc

    def _observe_latency(self, prompt_id: int) -> None:
        """Turn latency as the caller hears it: the session's speech-end-to-audio-ready plus our queueing."""
        ready_at = self._audio_ready_at.pop(prompt_id, None)
        latency_ms = self.session.reply_latency_ms(prompt_id)
        if latency_ms is not None and ready_at is not None:
            queued = time.monotonic() - ready_at
            self.rt.metrics.turn_latency.observe(latency_ms / 1000 + queued)

    # --- the end ------------------------------------------------------------------------------

    async def _finish_record(self) -> None:
        """However the call ended: make the session close the record (incomplete if unfinished), save it."""
        session = self.session
        if self.record is None:
            try:
                await asyncio.wait_for(session.hang_up(), FINISH_TIMEOUT_S)
            except Exception:
                log.exception("session did not hang up cleanly")
            self.record = session.close_record()
            if self._end_reason:
                session.note(f"ended: {self._end_reason}")
            await self._save()
        await session.aclose()

    async def _save(self) -> None:
        record = self.record
        if record is None or self._saved:
            return
        self._saved = True
        await self.checkpoints.settle()
        outcome = record.outcome or "incomplete"
        self.rt.metrics.calls.labels(self.provider, outcome).inc()
        try:
            where = await self.rt.save(record)
        except Exception:
            self.rt.metrics.errors.labels("record_save").inc()
            log.exception("call record could not be saved")
            return
        log.info("call ended", extra={"outcome": outcome, "turns": len(record.turns), "saved": where})
