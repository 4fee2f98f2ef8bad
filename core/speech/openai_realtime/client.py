"""One Realtime WebSocket: handshake, session setup, JSON in and out, errors classified, key hidden."""

from __future__ import annotations

import asyncio
import json
import logging
import re
from collections.abc import AsyncIterator
from typing import Any
from urllib.parse import urlencode, urlsplit, urlunsplit

from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed, InvalidHandshake, InvalidStatus

from core.speech.openai_realtime import protocol
from core.speech.openai_realtime.errors import (
    AuthenticationError,
    ConnectError,
    RealtimeError,
    ServiceError,
    SessionClosed,
)
from core.speech.openai_realtime.keys import ApiKey
from core.speech.openai_realtime.protocol import ServerEvent

log = logging.getLogger("quickrupee.openai")
_BEARER = re.compile(r"Bearer\s+\S+", re.IGNORECASE)
MAX_MESSAGE_BYTES = 8 * 1024 * 1024
"""Audio deltas from a voice response can exceed websockets' 1 MiB default."""


class _RedactingLogger(logging.LoggerAdapter):  # type: ignore[type-arg]
    """websockets logs handshake headers at DEBUG; this formats first and strips the key and any bearer."""

    def __init__(self, key: ApiKey) -> None:
        super().__init__(logging.getLogger("quickrupee.openai.websocket"), {})
        self._key = key

    def log(self, level: int, msg: object, *args: object, **kwargs: Any) -> None:
        if self.isEnabledFor(level):
            text = str(msg) % args if args else str(msg)
            kwargs.pop("extra", None)
            self.logger.log(level, _BEARER.sub("Bearer [redacted]", self._key.redact(text)), **kwargs)


def session_url(base: str, **query: str) -> str:
    """The base URL with `intent=`/`model=` added to whatever query it already has."""
    parts = urlsplit(base)
    extra = urlencode(query)
    return urlunsplit(parts._replace(query=f"{parts.query}&{extra}" if parts.query else extra))


class RealtimeConnection:
    """An open, configured Realtime session: send client events, iterate server events."""

    def __init__(self, ws: ClientConnection, key: ApiKey, created: ServerEvent) -> None:
        self._ws = ws
        self._key = key
        self.session = created.get("session") or {}

    @classmethod
    async def open(cls, url: str, key: ApiKey, setup: dict[str, Any], *, timeout: float) -> RealtimeConnection:
        """Connect, wait for `session.created`, send `setup` and wait for `session.updated`."""
        try:
            ws = await asyncio.wait_for(
                connect(
                    url,
                    additional_headers={"Authorization": key.bearer()},
                    open_timeout=timeout,
                    max_size=MAX_MESSAGE_BYTES,
                    compression=None,
                    logger=_RedactingLogger(key),
                ),
                timeout,
            )
        except InvalidStatus as exc:
            status = exc.response.status_code
            if status in (401, 403):
                raise AuthenticationError(f"OpenAI refused the API key (HTTP {status})") from None
            raise ConnectError(f"OpenAI refused the connection (HTTP {status})") from None
        except (OSError, InvalidHandshake, TimeoutError) as exc:
            raise ConnectError(f"cannot connect to OpenAI: {key.redact(_describe(exc))}") from None
        conn = cls(ws, key, {})
        try:
            created = await conn._expect("session.created", timeout)
            conn.session = created.get("session") or {}
            await conn.send(setup)
            updated = await conn._expect("session.updated", timeout)
            conn.session = updated.get("session") or conn.session
        except BaseException:
            await conn.close()
            raise
        return conn

    async def send(self, event: dict[str, Any]) -> None:
        await self.send_text(protocol.dumps(event))

    async def send_text(self, text: str) -> None:
        """Send one client event already encoded as JSON text."""
        try:
            await self._ws.send(text)
        except ConnectionClosed as exc:
            raise self._closed(exc) from None

    async def events(self) -> AsyncIterator[ServerEvent]:
        """Server events until the socket closes; an unexpected close raises SessionClosed/AuthenticationError."""
        while True:
            try:
                message = await self._ws.recv()
            except ConnectionClosed as exc:
                if self._ws.close_code == 1000:
                    return
                raise self._closed(exc) from None
            yield _parse(message)

    async def close(self) -> None:
        await self._ws.close()

    async def _expect(self, wanted: str, timeout: float) -> ServerEvent:
        """The next event of type `wanted`; an `error` first means the service refused the session."""
        try:
            async with asyncio.timeout(timeout):
                async for event in self.events():
                    kind = event.get("type")
                    if kind == wanted:
                        return event
                    if kind == "error":
                        raise _error_from_event(event, self._key)
        except TimeoutError:
            raise ConnectError(f"OpenAI sent no {wanted} within {timeout:g} s") from None
        raise SessionClosed(f"OpenAI closed the session before {wanted}")

    def _closed(self, exc: ConnectionClosed) -> RealtimeError:
        frame = exc.rcvd
        code = frame.code if frame else 1006
        reason = self._key.redact(frame.reason) if frame else ""
        if "invalid_api_key" in reason or code == 3000:
            return AuthenticationError(f"OpenAI closed the session: {code} {reason}".strip())
        expired = code == 1001 and "maximum duration" in reason
        return SessionClosed(f"OpenAI connection closed: {code} {reason}".strip(), expired=expired)


def _parse(message: str | bytes) -> ServerEvent:
    try:
        event = json.loads(message)
    except ValueError:
        raise ServiceError("OpenAI sent a frame that is not JSON") from None
    if not isinstance(event, dict) or not isinstance(event.get("type"), str):
        raise ServiceError("OpenAI sent an event without a type")
    return event


def _error_from_event(event: ServerEvent, key: ApiKey) -> RealtimeError:
    summary = key.redact(protocol.error_summary(event))
    if (event.get("error") or {}).get("code") == "invalid_api_key":
        return AuthenticationError(f"OpenAI refused the API key ({summary})")
    return ServiceError(f"OpenAI refused the session ({summary})")


def _describe(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
