"""Twilio's HTTP webhooks (voice, status) and the media-stream WebSocket endpoint."""

from __future__ import annotations

import logging
from urllib.parse import parse_qsl

from fastapi import APIRouter, HTTPException, Request, Response, WebSocket

from bridge import twilio_media, twiml
from bridge.call import CallEdge, run_call
from bridge.logging import call_sid_var
from bridge.runtime import Runtime
from bridge.wire import Start

log = logging.getLogger("bridge.twilio")
router = APIRouter(prefix="/twilio")
MEDIA_PATH = "/twilio/media"
STATUS_PATH = "/twilio/status"
BUSY_TEXT = "Sorry, we cannot take your call right now. Please call again in a few minutes. Goodbye."
STATUS_FIELDS = ("CallStatus", "CallDuration", "SequenceNumber", "StreamEvent", "StreamError", "SipResponseCode")


def _runtime(request: Request | WebSocket) -> Runtime:
    rt: Runtime = request.app.state.runtime
    return rt


async def _signed_form(request: Request) -> dict[str, str]:
    """The form fields, once the signature over the public URL and every field checks out (else 403)."""
    rt = _runtime(request)
    form = dict(parse_qsl((await request.body()).decode("utf-8", "replace"), keep_blank_values=True))
    signature = request.headers.get("x-twilio-signature")
    if not rt.signatures.webhook_ok(request.url.path, request.url.query, form, signature):
        rt.metrics.errors.labels("bad_signature").inc()
        log.warning("webhook signature rejected", extra={"path": request.url.path, "call_sid": form.get("CallSid", "")})
        raise HTTPException(403, "invalid Twilio signature")
    return form


def _twiml(xml: str) -> Response:
    return Response(xml, media_type="application/xml")


@router.post("/voice")
async def voice(request: Request) -> Response:
    """Answer a call: connect it to our media stream with a single-use token bound to its call SID."""
    rt = _runtime(request)
    form = await _signed_form(request)
    call_sid = form.get("CallSid", "")
    if not call_sid:
        raise HTTPException(400, "CallSid is missing")
    call_sid_var.set(call_sid)
    if rt.calls.draining or rt.engine is None:
        rt.metrics.errors.labels("call_refused").inc()
        log.info("call refused: not accepting calls", extra={"call_sid": call_sid})
        return _twiml(twiml.say_and_hang_up(BUSY_TEXT))
    token = rt.tokens.issue(call_sid)
    settings = rt.settings
    log.info("call answered", extra={"call_sid": call_sid, "direction": form.get("Direction", "")})
    return _twiml(twiml.connect_stream(settings.public_ws_url(MEDIA_PATH), token, settings.public_url(STATUS_PATH)))


@router.post("/status")
async def status(request: Request) -> Response:
    """Call and stream status callbacks: logged, counted, and noted on the call's record."""
    rt = _runtime(request)
    form = await _signed_form(request)
    call_sid = form.get("CallSid", "")
    call_sid_var.set(call_sid)
    fields = {key: form[key] for key in STATUS_FIELDS if key in form}
    log.info("twilio status callback", extra={"call_sid": call_sid, **fields})
    await rt.note_status(call_sid, fields)
    return Response(status_code=204)


def _authorise_start(rt: Runtime, start: Start) -> bool:
    return rt.tokens.spend(start.parameters.get("token", ""), start.call_sid)


@router.websocket("/media")
async def media(websocket: WebSocket) -> None:
    """The bidirectional stream: signed upgrade, then a `start` carrying the token within 5 s."""
    rt = _runtime(websocket)
    if not rt.signatures.websocket_ok(MEDIA_PATH, websocket.headers.get("x-twilio-signature")):
        rt.metrics.errors.labels("bad_signature").inc()
        log.warning("media stream upgrade signature rejected")
        await websocket.close(code=1008)
        return
    edge = CallEdge(
        provider="twilio",
        parse=twilio_media.parse,
        authorise=lambda start: _authorise_start(rt, start),
        hang_up=rt.hangup.hang_up,
    )
    await run_call(rt, websocket, edge)
