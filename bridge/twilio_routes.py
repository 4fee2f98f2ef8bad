"""Twilio's HTTP webhooks (voice, status) and the media-stream WebSocket endpoint."""

from __future__ import annotations

import asyncio
import logging
from urllib.parse import parse_qsl

from fastapi import APIRouter, HTTPException, Request, Response, WebSocket

from bridge import twilio_media, twiml
from bridge.call import CallEdge, run_call
from bridge.logging import call_sid_var
from bridge.runtime import Runtime
from bridge.wire import Start
from core.records import StoreError

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
    replayed = await _already_answered(rt, call_sid)
    if replayed:
        rt.metrics.replays.labels("twilio").inc()
        rt.metrics.errors.labels("replay").inc()
        log.warning("replayed voice webhook refused: %s", replayed, extra={"call_sid": call_sid})
        return _twiml(twiml.hang_up())
    token = rt.tokens.issue(call_sid)
    settings = rt.settings
    log.info("call answered", extra={"call_sid": call_sid, "direction": form.get("Direction", "")})
    return _twiml(twiml.connect_stream(settings.public_ws_url(MEDIA_PATH), token, settings.public_url(STATUS_PATH)))


async def _already_answered(rt: Runtime, call_sid: str) -> str | None:
    """Why a webhook for this call must not get a stream: one is live, pending, or the call has a record.

    While the database is down the record cannot be checked here; the stream's insert-once claim
    (`RecordStore.begin`) still refuses it if the record exists by then.
    """
    if rt.calls.get(call_sid) is not None:
        return "a stream for this call is live"
    if rt.tokens.pending(call_sid):
        return "a stream token for this call is outstanding"
    try:
        if await asyncio.to_thread(rt.records.exists, call_sid):
            return "this call already has a record"
    except StoreError as exc:
        log.warning("cannot check the records for a replay: %s", exc, extra={"call_sid": call_sid})
    return None


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
