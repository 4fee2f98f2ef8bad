"""Exotel's voicebot stream endpoint: Basic auth (or our token), PCM at the rate the stream declares."""

from __future__ import annotations

import base64
import binascii
import hmac
import logging

from fastapi import APIRouter, WebSocket

from bridge import exotel_media
from bridge.call import CallEdge, run_call
from bridge.runtime import Runtime
from bridge.settings import BridgeSettings
from bridge.wire import Start

log = logging.getLogger("bridge.exotel")
router = APIRouter(prefix="/exotel")


def _same(given: str, expected: str) -> bool:
    return bool(expected) and hmac.compare_digest(given.encode(), expected.encode())


def basic_auth_ok(settings: BridgeSettings, header: str | None) -> bool:
    """`Authorization: Basic base64(user:password)` against EXOTEL_USERNAME / EXOTEL_PASSWORD."""
    if not header or not header.lower().startswith("basic ") or not settings.exotel_username:
        return False
    try:
        user, _, password = base64.b64decode(header[6:].strip(), validate=True).decode().partition(":")
    except (binascii.Error, UnicodeDecodeError):
        return False
    return _same(user, settings.exotel_username) & _same(password, settings.exotel_password.get_secret_value())


def _token_ok(settings: BridgeSettings, token: str) -> bool:
    return _same(token, settings.exotel_token.get_secret_value())


@router.websocket("/media")
async def media(websocket: WebSocket) -> None:
    """Authenticated on the upgrade (Basic or ?token=), or by a `token` custom parameter on `start`."""
    rt: Runtime = websocket.app.state.runtime
    settings = rt.settings
    upgrade_ok = basic_auth_ok(settings, websocket.headers.get("authorization")) or _token_ok(
        settings, websocket.query_params.get("token", "")
    )
    if not upgrade_ok and not settings.exotel_token.get_secret_value():
        rt.metrics.errors.labels("bad_auth").inc()
        log.warning("exotel stream upgrade refused: no valid credentials")
        await websocket.close(code=1008)
        return

    def authorise(start: Start) -> bool:
        return upgrade_ok or _token_ok(settings, start.parameters.get("token", ""))

    rate = websocket.query_params.get("sample-rate") or websocket.query_params.get("sample_rate")
    edge = CallEdge(
        provider="exotel",
        parse=exotel_media.parse,
        authorise=authorise,
        hang_up=None,
        requested_rate=int(rate) if rate and rate.isdigit() else None,
    )
    await run_call(rt, websocket, edge)
