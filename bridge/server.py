"""uvicorn set up for the open internet: bounded connections, timeouts for idle and half-sent requests,
a small webhook body checked for a signature before it is read, and file-descriptor headroom.
"""

from __future__ import annotations

import asyncio
import logging
import resource
from typing import Any

import uvicorn
from starlette.types import ASGIApp, Message, Receive, Scope, Send
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from bridge.metrics import BridgeMetrics
from bridge.settings import BridgeSettings

log = logging.getLogger("bridge.server")

FD_RESERVE = 128
"""Descriptors kept free beyond the connection limit: database, spool, models, logs, outgoing HTTP."""
SIGNED_PREFIX = "/twilio/"
SIGNATURE_HEADER = b"x-twilio-signature"


def guarded_protocol(header_timeout_s: float) -> type[HttpToolsProtocol]:
    """uvicorn's HTTP protocol with a deadline for each request head.

    uvicorn times out idle keep-alive connections only after a response; a connection that sends
    nothing, or half a request line, would stay open for ever. Each request head must now be
    complete within `header_timeout_s` of the connection opening (or of its first byte, after a
    keep-alive pause), else the connection is closed.
    """

    class GuardedHttpTools(HttpToolsProtocol):
        _head_deadline: asyncio.TimerHandle | None = None

        def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
            super().connection_made(transport)
            if self.limit_concurrency is not None and len(self.connections) > self.limit_concurrency:
                transport.close()  # over the limit: give the descriptor back now, never run out of them
                return
            self._arm()

        def on_message_begin(self) -> None:
            super().on_message_begin()
            if self._head_deadline is None:
                self._arm()

        def on_headers_complete(self) -> None:
            self._disarm()
            super().on_headers_complete()

        def connection_lost(self, exc: Exception | None) -> None:
            self._disarm()
            super().connection_lost(exc)

        def _arm(self) -> None:
            self._head_deadline = self.loop.call_later(header_timeout_s, self._head_timed_out)

        def _disarm(self) -> None:
            if self._head_deadline is not None:
                self._head_deadline.cancel()
                self._head_deadline = None

        def _head_timed_out(self) -> None:
            self._head_deadline = None
            if not self.transport.is_closing():
                self.transport.close()

    return GuardedHttpTools


class WebhookGuard:
    """Twilio webhooks: no signature header -> 403 before a byte of the body is read; a body over the
    limit -> 413 (from Content-Length at once, else as it arrives); a body not complete in time -> 408.

    The signature itself covers the body, so it is verified by the route on the small body read here.
    """

    def __init__(self, app: ASGIApp, *, settings: BridgeSettings, metrics: BridgeMetrics) -> None:
        self.app = app
        self._limit = settings.max_webhook_bytes
        self._timeout_s = settings.body_timeout_s
        self._metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not scope["path"].startswith(SIGNED_PREFIX):
            await self.app(scope, receive, send)
            return
        headers = dict(scope["headers"])
        if not headers.get(SIGNATURE_HEADER):
            await self._refuse(send, 403, "bad_signature", "missing X-Twilio-Signature")
            return
        length = headers.get(b"content-length", b"")
        if length.isdigit() and int(length) > self._limit:
            await self._refuse(send, 413, "body_too_large", f"webhook bodies are limited to {self._limit} bytes")
            return
        try:
            body = await asyncio.wait_for(self._read(receive), self._timeout_s)
        except TimeoutError:
            await self._refuse(send, 408, "body_timeout", "request body not received in time")
            return
        except _TooLarge:
            await self._refuse(send, 413, "body_too_large", f"webhook bodies are limited to {self._limit} bytes")
            return
        if body is None:
            return  # the client went away
        await self.app(scope, _replay(body), send)

    async def _read(self, receive: Receive) -> bytes | None:
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return None
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self._limit:
                raise _TooLarge
            chunks.append(chunk)
            if not message.get("more_body", False):
                return b"".join(chunks)

    async def _refuse(self, send: Send, status: int, kind: str, detail: str) -> None:
        self._metrics.errors.labels(kind).inc()
        log.warning("webhook refused: %s", detail, extra={"status": status})
        body = detail.encode()
        await send({
            "type": "http.response.start", "status": status,
            "headers": [(b"content-type", b"text/plain"), (b"content-length", str(len(body)).encode()),
                        (b"connection", b"close")],
        })  # fmt: skip
        await send({"type": "http.response.body", "body": body})


class _TooLarge(Exception):
    pass


def _replay(body: bytes) -> Receive:
    sent = False

    async def receive() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return {"type": "http.disconnect"}

    return receive


def connection_limit(wanted: int) -> int:
    """Raise the open-files limit to fit `wanted` connections plus a reserve; if the hard limit does not
    allow it, serve fewer connections instead of failing (even /healthz) once descriptors run out."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    needed = wanted + FD_RESERVE
    if soft != resource.RLIM_INFINITY and soft < needed:
        target = needed if hard == resource.RLIM_INFINITY else min(needed, hard)
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
            soft = target
        except (ValueError, OSError) as exc:
            log.warning("cannot raise the open-files limit: %s", exc)
    if soft != resource.RLIM_INFINITY and soft < needed:
        allowed = max(1, soft - FD_RESERVE)
        log.warning(
            "open-files limit %d leaves room for %d connections, not %d: serving at most %d",
            soft, allowed, wanted, allowed,
        )  # fmt: skip
        return allowed
    return wanted


def server_config(app: Any, settings: BridgeSettings, **overrides: Any) -> uvicorn.Config:
    """The uvicorn config every bridge runs with (the CLI and the tests alike)."""
    values: dict[str, Any] = {
        "host": settings.host,
        "port": settings.port,
        "http": guarded_protocol(settings.header_timeout_s),
        "ws": "websockets-sansio",
        "ws_max_size": settings.max_message_bytes,
        "ws_ping_interval": settings.ws_ping_s,
        "ws_ping_timeout": settings.ws_ping_s,
        "limit_concurrency": connection_limit(settings.max_connections),
        "timeout_keep_alive": settings.keep_alive_s,
        "log_config": None,
        "timeout_graceful_shutdown": 5,
    }
    values.update(overrides)
    return uvicorn.Config(app, **values)
