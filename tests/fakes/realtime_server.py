"""A fake OpenAI Realtime server (GA protocol) on loopback, for tests and demos without a network.

It checks the bearer key on the upgrade, answers `session.created` / `session.updated`, buffers
`input_audio_buffer.append`, runs its own VAD (Silero) to emit `speech_started` / `speech_stopped` /
`committed`, and transcribes each committed turn with faster-whisper tiny.en into
`conversation.item.input_audio_transcription.delta` / `.completed`. Client events are validated
against the `openai` package's GA types with unknown fields forbidden, and refused with the `error`
event the real API sends; every server event is checked to parse as `RealtimeServerEvent`.
`Faults` injects slow responses, dropped sockets, error events, session expiry and a 401 on connect.

Run as a process: `python -m tests.fakes.realtime_server --port 8765 [--relay-only] [--key KEY]`.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import logging
import math
import os
import re
import secrets
import signal
import time
from dataclasses import dataclass, field
from http import HTTPStatus
from typing import Any
from urllib.parse import parse_qs, urlsplit

import numpy as np
from websockets.asyncio.server import Server, ServerConnection, serve
from websockets.datastructures import Headers
from websockets.exceptions import ConnectionClosed
from websockets.http11 import Request, Response

from tests.fakes import realtime_recognizer, realtime_voice
from tests.fakes.realtime_audio import InputDecoder, StreamingVad
from tests.fakes.realtime_conformance import client_event_problems, server_event_problem

PATH = "/v1/realtime"
SESSION_LIMIT_S = 60 * 60
EXPIRY_REASON = "Your session hit the maximum duration of 60 minutes."


@dataclass
class Faults:
    """Misbehaviour to inject; tests may change it while calls are running."""

    reject_status: int | None = None
    """Refuse the WebSocket upgrade with this HTTP status (e.g. 503)."""
    delay_s: float = 0.0
    """Sleep before sending every server event (a slow service)."""
    drop_after_audio_ms: int | None = None
    """Abort the TCP connection once a session has received this much audio."""
    drop_at_speech: int | None = None
    """Abort the TCP connection as the Nth caller utterance (server-wide) starts: a drop mid-turn."""
    drop_times: int | None = 1
    """How many sessions the drop faults hit (None: every one)."""
    refuse_after_drop: bool = False
    """After a drop, refuse every new connection with HTTP 503 (OpenAI stays down)."""
    error_after_audio_ms: int | None = None
    """Send `server_error` events once a session has received this much audio (first session only)."""
    error_count: int = 1
    expire_after_s: float | None = None
    """Close with 1001 and the 60-minute reason after this long (the session limit, made short)."""
    expire_times: int | None = 1
    """How many sessions the short limit hits (None: every one); later ones get the real hour."""
    improvise: str | None = None
    """The voice adds these words to whatever it was told to say exactly (a model going off-script)."""
    silent_transcriber: bool = False
    """Commit turns but never send their transcripts (a stuck transcription)."""


class _QuietKeys(logging.LoggerAdapter):  # type: ignore[type-arg]
    """websockets logs request headers at DEBUG; the fake must not print callers' keys either."""

    def log(self, level: int, msg: object, *args: object, **kwargs: Any) -> None:
        if self.isEnabledFor(level):
            text = str(msg) % args if args else str(msg)
            kwargs.pop("extra", None)
            self.logger.log(level, re.sub(r"Bearer\s+\S+", "Bearer [redacted]", text), **kwargs)


def _id(prefix: str) -> str:
    return f"{prefix}_{secrets.token_hex(10)}"


class FakeRealtimeServer:
    """The server; `url` is the base to give OPENAI_REALTIME_URL. Use `async with`."""

    def __init__(
        self,
        *,
        api_key: str | None = "sk-test-fake-key",
        host: str = "127.0.0.1",
        port: int = 0,
        relay_only: bool = False,
        strict: bool = True,
        record_audio: bool = False,
    ) -> None:
        self.api_key = api_key
        self.host, self.port = host, port
        self.relay_only = relay_only
        self.strict = strict
        self.record_audio = record_audio
        self.faults = Faults()
        self.handshakes = 0
        """Every upgrade attempt, refused or not."""
        self.sessions: list[FakeSession] = []
        self.client_events: list[dict[str, Any]] = []
        """Every client event received but valid appends (counted in `appends`); audio shown by length."""
        self.appends = 0
        self.violations: list[str] = []
        """Client events that broke the GA schema, and server events that did not parse."""
        self.audio_bytes = 0
        self.utterances = 0
        self.drops = 0
        self.expiries = 0
        self.errors_sent = False
        self._server: Server | None = None

    @property
    def url(self) -> str:
        return f"ws://{self.host}:{self.port}{PATH}"

    async def start(self) -> FakeRealtimeServer:
        if not self.relay_only:
            await asyncio.to_thread(realtime_recognizer.warm_up)
        self._server = await serve(
            self._handle,
            self.host,
            self.port,
            process_request=self._check_upgrade,
            compression=None,
            max_size=16 * 1024 * 1024,
            logger=_QuietKeys(logging.getLogger("tests.fakes.realtime_server"), {}),
        )
        self.port = self._server.sockets[0].getsockname()[1]
        return self

    async def stop(self) -> None:
        """Close the listening socket and every session: later connections are refused."""
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()
            self._server = None

    async def __aenter__(self) -> FakeRealtimeServer:
        return await self.start()

    async def __aexit__(self, *_exc: object) -> None:
        await self.stop()

    def _check_upgrade(self, connection: ServerConnection, request: Request) -> Response | None:
        self.handshakes += 1
        target = urlsplit(request.path)
        if target.path != PATH:
            return _http_error(connection, HTTPStatus.NOT_FOUND, "invalid_request_error", None, "Not found.")
        auth = request.headers.get("Authorization", "")
        if self.api_key is not None and auth != f"Bearer {self.api_key}":
            return _http_error(
                connection,
                HTTPStatus.UNAUTHORIZED,
                "invalid_request_error",
                "invalid_api_key",
                "Incorrect API key provided. You can find your API key at https://platform.openai.com/account/api-keys.",
            )
        if self.faults.reject_status is not None:
            status = HTTPStatus(self.faults.reject_status)
            return _http_error(connection, status, "server_error", None, status.phrase)
        return None

    async def _handle(self, ws: ServerConnection) -> None:
        query = parse_qs(urlsplit(ws.request.path if ws.request else "").query)
        beta = ws.request is not None and "OpenAI-Beta" in ws.request.headers
        session = FakeSession(self, ws, query.get("intent", [""])[0], query.get("model", [""])[0])
        self.sessions.append(session)
        await session.run(beta=beta)


def _http_error(
    connection: ServerConnection, status: HTTPStatus, kind: str, code: str | None, message: str
) -> Response:
    body = json.dumps({"error": {"message": message, "type": kind, "param": None, "code": code}})
    response = connection.respond(status, body + "\n")
    response.headers = Headers([("Content-Type", "application/json"), ("Content-Length", str(len(response.body)))])
    return response


@dataclass
class Turn:
    """The caller audio of one item, from speech start (with prefix padding) on."""

    item_id: str
    start_ms: int
    audio: list[np.ndarray] = field(default_factory=list)


class FakeSession:
    """One connection: a transcription session (`?intent=transcription`) or a conversation (`?model=`)."""

    def __init__(self, server: FakeRealtimeServer, ws: ServerConnection, intent: str, model: str) -> None:
        self.server = server
        self.ws = ws
        self.kind = "transcription" if intent == "transcription" or not model else "realtime"
        self.model = model or None
        self.id = _id("sess")
        self.created = time.time()
        self.config: dict[str, Any] = {
            "format": {"type": "audio/pcm", "rate": 24000},
            "noise_reduction": None,
            "transcription": None,
            "turn_detection": {
                "type": "server_vad",
                "threshold": 0.5,
                "prefix_padding_ms": 300,
                "silence_duration_ms": 500,
            },
        }
        self.output: dict[str, Any] = {"format": {"type": "audio/pcm", "rate": 24000}, "voice": "alloy"}
        self.include: list[str] | None = None
        self.decoder = InputDecoder("audio/pcm")
        self.vad: StreamingVad | None = None
        self.audio_ms = 0.0
        self.raw_audio = bytearray()
        """Every input byte as received (only with `record_audio`)."""
        self.buffer: list[np.ndarray] = []
        """16 kHz audio since the last commit, for prefix padding and manual commits."""
        self.buffer_start_ms = 0
        self.turn: Turn | None = None
        self.last_item: str | None = None
        self._send_lock = asyncio.Lock()
        self._tasks: set[asyncio.Task[None]] = set()

    async def run(self, *, beta: bool) -> None:
        if beta:
            await self.emit(
                _error(
                    "invalid_request_error",
                    "beta_api_shape_disabled",
                    "The Realtime Beta API is no longer supported. Please use /v1/realtime for the GA API.",
                )
            )
            await self.ws.close(4000, "invalid_request_error.beta_api_shape_disabled")
            return
        faults = self.server.faults
        limit = SESSION_LIMIT_S
        if faults.expire_after_s is not None and (
            faults.expire_times is None or self.server.expiries < faults.expire_times
        ):
            self.server.expiries += 1
            limit = faults.expire_after_s
        expiry = asyncio.get_running_loop().call_later(limit, lambda: self._spawn(self._expire()))
        try:
            await self.emit({"type": "session.created", "session": self.session_object()})
            async for message in self.ws:
                await self.on_message(message)
        except ConnectionClosed:
            pass
        finally:
            expiry.cancel()
            for task in self._tasks:
                task.cancel()

    async def _expire(self) -> None:
        await self.ws.close(1001, EXPIRY_REASON)

    def _spawn(self, coro: Any) -> None:
        task = asyncio.get_running_loop().create_task(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def emit(self, event: dict[str, Any]) -> None:
        """Send one server event, checked against the GA types first (unless relay-only)."""
        event = {"event_id": _id("event"), **event}
        if self.server.strict and not self.server.relay_only:
            problem = server_event_problem(event)
            if problem:
                self.server.violations.append(f"server event {problem}")
        async with self._send_lock:
            if self.server.faults.delay_s:
                await asyncio.sleep(self.server.faults.delay_s)
            await self.ws.send(json.dumps(event))

    async def on_message(self, message: str | bytes) -> None:
        try:
            event = json.loads(message)
        except ValueError:
            await self.emit(
                _error(
                    "invalid_request_error", "invalid_json", "The server could not parse the JSON of the client event."
                )
            )
            return
        kind = event.get("type") if isinstance(event, dict) else None
        if kind == "input_audio_buffer.append" and self.server.relay_only:
            await self.on_append(event)  # the bench's hot path: no schema pass
            return
        problems = client_event_problems(event)
        if kind != "input_audio_buffer.append" or problems:
            self.server.client_events.append(_loggable(event))
        if problems:
            self.server.violations.extend(f"client event {kind}: {p.code} {p.param}: {p.message}" for p in problems)
            first = problems[0]
            await self.emit(
                _error(
                    "invalid_request_error",
                    first.code,
                    first.message,
                    first.param,
                    event.get("event_id") if isinstance(event, dict) else None,
                )
            )
            return
        handler = getattr(self, "on_" + str(kind).replace(".", "_"), None)
        if handler is None:
            await self.emit(
                _error(
                    "invalid_request_error",
                    "unsupported_by_fake",
                    f"The fake server does not implement '{kind}'.",
                    "type",
                    event.get("event_id"),
                )
            )
            return
        await handler(event)

    # -- client events -------------------------------------------------------------------------

    async def on_session_update(self, event: dict[str, Any]) -> None:
        session = event["session"]
        if session["type"] != self.kind:
            await self.emit(
                _error(
                    "invalid_request_error",
                    "invalid_value",
                    f"Cannot update a {self.kind} session to a {session['type']} session.",
                    "session.type",
                    event.get("event_id"),
                )
            )
            return
        audio_input = (session.get("audio") or {}).get("input") or {}
        merged = {**self.config, **audio_input}
        transcription = merged.get("transcription") or {}
        if transcription.get("model") == "gpt-realtime-whisper":
            if merged.get("turn_detection") is not None:
                await self.emit(
                    _error(
                        "invalid_request_error",
                        "invalid_value",
                        "Turn detection is not supported with gpt-realtime-whisper; set it to null.",
                        "session.audio.input.turn_detection",
                        event.get("event_id"),
                    )
                )
                return
            if transcription.get("prompt"):
                await self.emit(
                    _error(
                        "invalid_request_error",
                        "invalid_value",
                        "Prompt is not supported with gpt-realtime-whisper.",
                        "session.audio.input.transcription.prompt",
                        event.get("event_id"),
                    )
                )
                return
        if merged["format"]["type"] != self.config["format"]["type"] and (self.buffer or self.turn):
            await self.emit(
                _error(
                    "invalid_request_error",
                    "invalid_value",
                    "Cannot change the input audio format while audio is buffered.",
                    "session.audio.input.format",
                    event.get("event_id"),
                )
            )
            return
        previous, self.config = self.config, merged
        if merged["format"] != previous["format"]:
            self.decoder = InputDecoder(merged["format"]["type"])
        self.output.update((session.get("audio") or {}).get("output") or {})
        if "include" in session:
            self.include = session["include"]
        vad = merged.get("turn_detection")
        if self.vad is not None and vad == previous.get("turn_detection"):
            pass  # e.g. only the transcription prompt changed: the caller's utterance in progress goes on
        elif vad is None or self.server.relay_only:
            self.vad = None
        else:
            silence = vad.get("silence_duration_ms") or 500
            if vad["type"] == "semantic_vad":
                silence = {"high": 400, "low": 1200}.get(vad.get("eagerness") or "auto", 700)
            self.vad = StreamingVad(vad.get("threshold") or 0.5, silence, int(self.audio_ms))
        await self.emit({"type": "session.updated", "session": self.session_object()})

    async def on_input_audio_buffer_append(self, event: dict[str, Any]) -> None:
        await self.on_append(event)

    async def on_append(self, event: dict[str, Any]) -> None:
        self.server.appends += 1
        try:
            raw = self.decoder.decode(event.get("audio", ""))
        except ValueError:
            await self.emit(
                _error(
                    "invalid_request_error",
                    "invalid_value",
                    "Invalid 'audio'. Expected base64-encoded audio bytes.",
                    "audio",
                    event.get("event_id"),
                )
            )
            return
        self.server.audio_bytes += len(raw)
        self.audio_ms += len(raw) / self.decoder.bytes_per_ms
        faults = self.server.faults
        if faults.drop_after_audio_ms is not None and self.audio_ms >= faults.drop_after_audio_ms and self.drop():
            return
        if (
            faults.error_after_audio_ms is not None
            and self.audio_ms >= faults.error_after_audio_ms
            and not self.server.errors_sent
        ):
            self.server.errors_sent = True
            for _ in range(faults.error_count):
                await self.emit(
                    _error(
                        "server_error", None, "The server had an error while processing your request. Sorry about that!"
                    )
                )
        if self.server.relay_only:
            return
        if self.server.record_audio:
            self.raw_audio += raw
        samples = self.decoder.to_16k(raw)
        self.buffer.append(samples)
        if self.turn is not None:
            self.turn.audio.append(samples)
        if self.vad is None:
            return
        for vad_event in self.vad.feed(samples):
            if vad_event.started:
                await self._speech_started(vad_event.ms)
            else:
                await self._speech_stopped(vad_event.ms)

    async def on_input_audio_buffer_commit(self, event: dict[str, Any]) -> None:
        buffered_ms = sum(len(chunk) for chunk in self.buffer) / 16
        if buffered_ms < 100:
            await self.emit(
                _error(
                    "invalid_request_error",
                    "input_audio_buffer_commit_empty",
                    f"Error committing input audio buffer: buffer too small. Expected at least 100ms "
                    f"of audio, but buffer only has {buffered_ms:.2f}ms of audio.",
                    None,
                    event.get("event_id"),
                )
            )
            return
        turn = self.turn or Turn(_id("item"), self.buffer_start_ms, list(self.buffer))
        self.turn = None
        await self._commit(turn, int(self.audio_ms))

    async def on_input_audio_buffer_clear(self, event: dict[str, Any]) -> None:
        self.buffer, self.turn, self.buffer_start_ms = [], None, int(self.audio_ms)
        if self.vad is not None:  # the cleared audio's speech is forgotten too
            self.vad = StreamingVad(self.vad.threshold, self.vad.silence_ms, int(self.audio_ms))
        await self.emit({"type": "input_audio_buffer.cleared"})

    async def on_response_create(self, event: dict[str, Any]) -> None:
        if self.kind == "transcription":
            await self.emit(
                _error(
                    "invalid_request_error",
                    "invalid_request",
                    "Responses cannot be created in a transcription session.",
                    "type",
                    event.get("event_id"),
                )
            )
            return
        self._spawn(realtime_voice.respond(self, event.get("response") or {}))

    @property
    def improvise(self) -> str | None:
        return self.server.faults.improvise

    # -- server VAD ----------------------------------------------------------------------------

    def drop(self) -> bool:
        """Abort the TCP connection (the client sees 1006) if the drop faults still apply."""
        faults = self.server.faults
        if faults.drop_times is not None and self.server.drops >= faults.drop_times:
            return False
        self.server.drops += 1
        if faults.refuse_after_drop:
            faults.reject_status = 503
        self.ws.transport.abort()
        return True

    async def _speech_started(self, speech_ms: int) -> None:
        self.server.utterances += 1
        if self.server.utterances == self.server.faults.drop_at_speech and self.drop():
            return
        vad = self.config["turn_detection"] or {}
        start_ms = max(self.buffer_start_ms, speech_ms - int(vad.get("prefix_padding_ms") or 300))
        skip = (start_ms - self.buffer_start_ms) * 16
        audio = np.concatenate(self.buffer) if self.buffer else np.zeros(0, np.float32)
        self.turn = Turn(_id("item"), start_ms, [audio[skip:]])
        await self.emit(
            {"type": "input_audio_buffer.speech_started", "audio_start_ms": start_ms, "item_id": self.turn.item_id}
        )

    async def _speech_stopped(self, end_ms: int) -> None:
        turn, self.turn = self.turn, None
        if turn is None:
            return
        await self.emit({"type": "input_audio_buffer.speech_stopped", "audio_end_ms": end_ms, "item_id": turn.item_id})
        await self._commit(turn, end_ms)

    async def _commit(self, turn: Turn, end_ms: int) -> None:
        self.buffer, self.buffer_start_ms = [], int(self.audio_ms)
        previous, self.last_item = self.last_item, turn.item_id
        await self.emit({"type": "input_audio_buffer.committed", "item_id": turn.item_id, "previous_item_id": previous})
        item = {
            "id": turn.item_id,
            "object": "realtime.item",
            "type": "message",
            "role": "user",
            "status": "completed",
            "content": [{"type": "input_audio", "transcript": None}],
        }
        await self.emit({"type": "conversation.item.added", "item": item, "previous_item_id": previous})
        audio = np.concatenate(turn.audio) if turn.audio else np.zeros(0, np.float32)
        if self.config.get("transcription") is not None:
            self._spawn(self._transcribe(turn.item_id, audio, previous))

    async def _transcribe(self, item_id: str, audio: np.ndarray, previous: str | None) -> None:
        settings = self.config["transcription"] or {}
        heard = await asyncio.to_thread(
            realtime_recognizer.transcribe, audio, prompt=settings.get("prompt"), language=settings.get("language")
        )
        if self.server.faults.silent_transcriber:
            return
        words = heard.text.split()
        logprobs = [{"token": word, "logprob": heard.logprob, "bytes": list(word.encode())} for word in words]
        with_logprobs = self.include is not None and "item.input_audio_transcription.logprobs" in self.include
        for index, word in enumerate(words):
            delta: dict[str, Any] = {
                "type": "conversation.item.input_audio_transcription.delta",
                "item_id": item_id,
                "content_index": 0,
                "delta": word if index == 0 else " " + word,
            }
            if with_logprobs:
                delta["logprobs"] = [logprobs[index]]
            await self.emit(delta)
        seconds = len(audio) / 16000
        completed: dict[str, Any] = {
            "type": "conversation.item.input_audio_transcription.completed",
            "item_id": item_id,
            "content_index": 0,
            "transcript": heard.text,
            "usage": {
                "type": "tokens",
                "input_tokens": math.ceil(seconds * 10),
                "output_tokens": len(words),
                "total_tokens": math.ceil(seconds * 10) + len(words),
                "input_token_details": {"audio_tokens": math.ceil(seconds * 10), "text_tokens": 0},
            },
        }
        if with_logprobs:
            completed["logprobs"] = logprobs
        await self.emit(completed)
        item = {
            "id": item_id,
            "object": "realtime.item",
            "type": "message",
            "role": "user",
            "status": "completed",
            "content": [{"type": "input_audio", "transcript": heard.text}],
        }
        await self.emit({"type": "conversation.item.done", "item": item, "previous_item_id": previous})

    def session_object(self) -> dict[str, Any]:
        """The full effective configuration, as `session.created` / `session.updated` carry it."""
        base: dict[str, Any] = {
            "id": self.id,
            "type": self.kind,
            "expires_at": int(self.created) + SESSION_LIMIT_S,
            "include": self.include,
        }
        if self.kind == "transcription":
            return {**base, "object": "realtime.transcription_session", "audio": {"input": self.config}}
        return {
            **base,
            "object": "realtime.session",
            "model": self.model,
            "output_modalities": ["audio"],
            "audio": {"input": self.config, "output": self.output},
        }


def _error(
    kind: str, code: str | None, message: str, param: str | None = None, event_id: str | None = None
) -> dict[str, Any]:
    return {
        "type": "error",
        "error": {"type": kind, "code": code, "message": message, "param": param, "event_id": event_id},
    }


def _loggable(event: Any) -> dict[str, Any]:
    if isinstance(event, dict) and isinstance(event.get("audio"), str):
        return {**event, "audio": f"<{len(event['audio'])} base64 chars>"}
    return event if isinstance(event, dict) else {"type": None, "raw": repr(event)[:200]}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.fakes.realtime_server", description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8765, help="0 picks a free port (printed)")
    parser.add_argument(
        "--key",
        default=os.environ.get("FAKE_OPENAI_KEY", "sk-test-fake-key"),
        help="the only API key accepted (default sk-test-fake-key, or $FAKE_OPENAI_KEY)",
    )
    parser.add_argument("--relay-only", action="store_true", help="skip VAD, recognition and schema checks (bench)")
    parser.add_argument("--delay", type=float, default=0.0, help="seconds before every server event")
    parser.add_argument("--reject-status", type=int, help="refuse every upgrade with this HTTP status")
    args = parser.parse_args(argv)
    os.environ.setdefault("ORT_DISABLE_TELEMETRY", "1")
    os.environ.setdefault("HF_HUB_OFFLINE", "1")

    async def serve_forever() -> None:
        server = FakeRealtimeServer(api_key=args.key, host=args.host, port=args.port, relay_only=args.relay_only)
        server.faults.delay_s = args.delay
        server.faults.reject_status = args.reject_status
        stop = asyncio.Event()
        asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stop.set)
        async with server:
            print(f"fake realtime server listening on {server.url}", flush=True)
            with contextlib.suppress(asyncio.CancelledError):
                await stop.wait()
        stats = {"sessions": len(server.sessions), "appends": server.appends, "audio_bytes": server.audio_bytes,
                 "violations": server.violations}  # fmt: skip
        print(json.dumps(stats), flush=True)  # what a bench checks the relay delivered

    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(serve_forever())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
